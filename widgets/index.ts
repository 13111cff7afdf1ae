/** Registers every Curbside element. Import for its side effect; classes are re-exported for typing and subclassing. */
export { CurbsidePatientBannerElement } from './patient-banner/patient-banner.ts';
export { CurbsideSidebarElement } from './sidebar/sidebar.ts';
export { CurbsideSparklineElement } from './sparkline/sparkline.ts';
export { CurbsideChartSummaryElement } from './chart-summary/chart-summary.ts';
export { CurbsideEvent, CurbsideFactSelectEvent, CurbsidePatientLoadEvent, CurbsidePatientRetryEvent } from './shared/events.ts';
export { fhirContext, launchContext } from './shared/contexts.ts';
export { defineOnce } from './shared/define.ts';
export { CurbsideDifferentialElement } from './differential/differential.ts';
export { CurbsideEarlySignsElement } from './early-signs/early-signs.ts';
export { CurbsideDecisionElement } from './decision/decision.ts';
export { CurbsideEvidenceElement } from './evidence/evidence.ts';
export { CurbsideAboutAiElement } from './about-ai/about-ai.ts';
export type { ModelValidation } from './about-ai/about-ai.ts';
export { CurbsidePayloadViewElement } from './payload-view/payload-view.ts';
export {
  CurbsideEvidenceAskEvent,
  CurbsideEvidenceStopEvent,
  CurbsideInsightRetryEvent,
  CurbsideSuggestionAcceptEvent,
  CurbsideSuggestionRejectEvent,
} from './shared/events.ts';
export type { SuggestionAcceptDetail, SuggestionOverrideReason, SuggestionRejectDetail } from './shared/events.ts';
export { markdown, markdownStream, renderMarkdown, MarkdownStream } from './shared/markdown.ts';
export { CurbsideSuggestionsElement } from './suggestions/suggestions.ts';
export { CurbsideNoteComposerElement } from './note-composer/note-composer.ts';
export { CurbsideAttestationElement } from './attestation/attestation.ts';
