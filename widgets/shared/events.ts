/**
 * Curbside's DOM events: one small subclass per event, each with a readonly typed `detail`,
 * bubbling and composed so they cross shadow roots up to the launch page.
 */
import type { ChartLoadStats } from '../../src/chart/index.ts';

export type CurbsideEventType = `curbside-${string}`;

export abstract class CurbsideEvent<TDetail extends object> extends CustomEvent<Readonly<TDetail>> {
  protected constructor(type: CurbsideEventType, detail: TDetail) {
    // Frozen so a listener cannot change what later listeners see.
    super(type, { detail: Object.freeze({ ...detail }), bubbles: true, composed: true });
  }
}

/** The banner facts for a patient finished loading. Carries the reference only, never PHI. */
export class CurbsidePatientLoadEvent extends CurbsideEvent<{ reference: string }> {
  static readonly eventType = 'curbside-patient-load';
  constructor(detail: { reference: string }) {
    super(CurbsidePatientLoadEvent.eventType, detail);
  }
}

/** The chart summary finished loading and has rendered; `stats` describe the requests it took. */
export class CurbsideChartLoadEvent extends CurbsideEvent<{ reference: string; stats: ChartLoadStats }> {
  static readonly eventType = 'curbside-chart-load';
  constructor(detail: { reference: string; stats: ChartLoadStats }) {
    super(CurbsideChartLoadEvent.eventType, detail);
  }
}

/** The clinician asked to retry loading the patient after an error. */
export class CurbsidePatientRetryEvent extends CurbsideEvent<Record<string, never>> {
  static readonly eventType = 'curbside-patient-retry';
  constructor() {
    super(CurbsidePatientRetryEvent.eventType, {});
  }
}

/**
 * The clinician chose a chart fact (a problem, a lab series, a note…). Carries the fact's FHIR
 * reference only, so listeners look the fact up themselves and no PHI travels in the event.
 */
export class CurbsideFactSelectEvent extends CurbsideEvent<{ reference: string }> {
  static readonly eventType = 'curbside-fact-select';
  constructor(detail: { reference: string }) {
    super(CurbsideFactSelectEvent.eventType, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'curbside-patient-load': CurbsidePatientLoadEvent;
    'curbside-patient-retry': CurbsidePatientRetryEvent;
    'curbside-fact-select': CurbsideFactSelectEvent;
    'curbside-chart-load': CurbsideChartLoadEvent;
  }
}

// ─── Insight: the clinician's choices about model suggestions ───────────────────────────────

import type { Code } from '../../src/chart/types.ts';

/** Why a suggestion was rejected: a CDS Hooks-style override reason. */
export interface SuggestionOverrideReason {
  readonly code: string;
  readonly display: string;
}

export interface SuggestionAcceptDetail {
  insightId: string;
  itemId: string;
  condition: string;
  codes: readonly Code[];
}

export interface SuggestionRejectDetail {
  insightId: string;
  itemId: string;
  condition: string;
  reason: SuggestionOverrideReason;
  /** Required when the reason is "other". */
  comment?: string;
}

/** The clinician accepted a suggested diagnosis. The host records the decision and owns it from then on. */
export class CurbsideSuggestionAcceptEvent extends CurbsideEvent<SuggestionAcceptDetail> {
  static readonly eventType = 'curbside-suggestion-accept';
  constructor(detail: SuggestionAcceptDetail) {
    super(CurbsideSuggestionAcceptEvent.eventType, detail);
  }
}

/** The clinician rejected a suggested diagnosis, giving a reason. */
export class CurbsideSuggestionRejectEvent extends CurbsideEvent<SuggestionRejectDetail> {
  static readonly eventType = 'curbside-suggestion-reject';
  constructor(detail: SuggestionRejectDetail) {
    super(CurbsideSuggestionRejectEvent.eventType, detail);
  }
}

/** The clinician asked to run the model again after a failure. The event's target says which view asked. */
export class CurbsideInsightRetryEvent extends CurbsideEvent<Record<string, never>> {
  static readonly eventType = 'curbside-insight-retry';
  constructor() {
    super(CurbsideInsightRetryEvent.eventType, {});
  }
}

/** The clinician asked an evidence question. */
export class CurbsideEvidenceAskEvent extends CurbsideEvent<{ question: string }> {
  static readonly eventType = 'curbside-evidence-ask';
  constructor(detail: { question: string }) {
    super(CurbsideEvidenceAskEvent.eventType, detail);
  }
}

/** The clinician stopped an answer that was still streaming. */
export class CurbsideEvidenceStopEvent extends CurbsideEvent<Record<string, never>> {
  static readonly eventType = 'curbside-evidence-stop';
  constructor() {
    super(CurbsideEvidenceStopEvent.eventType, {});
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'curbside-suggestion-accept': CurbsideSuggestionAcceptEvent;
    'curbside-suggestion-reject': CurbsideSuggestionRejectEvent;
    'curbside-insight-retry': CurbsideInsightRetryEvent;
    'curbside-evidence-ask': CurbsideEvidenceAskEvent;
    'curbside-evidence-stop': CurbsideEvidenceStopEvent;
  }
}

// ─── Write-back: composing, attesting and filing the note ───────────────────────────────────

import type { Attestation } from '../../src/writeback/attestation.ts';
import type { NoteDraft } from '../../src/writeback/note.ts';

/** The note draft changed (an edit, a confirmation, a new note type, or new decisions recomposed it). */
export class CurbsideNoteChangeEvent extends CurbsideEvent<{ draft: NoteDraft }> {
  static readonly eventType = 'curbside-note-change';
  constructor(detail: { draft: NoteDraft }) {
    super(CurbsideNoteChangeEvent.eventType, detail);
  }
}

/** The clinician finished editing and asked to review and attest this draft. */
export class CurbsideNoteReviewEvent extends CurbsideEvent<{ draft: NoteDraft }> {
  static readonly eventType = 'curbside-note-review';
  constructor(detail: { draft: NoteDraft }) {
    super(CurbsideNoteReviewEvent.eventType, detail);
  }
}

export interface NoteAttestDetail {
  readonly attestation: Attestation;
  /** Exactly the text the clinician was shown; `attestation.contentHash` is its SHA-256. */
  readonly text: string;
  readonly draft: NoteDraft;
}

/** The clinician attested the note shown: the host files `text` with `attestation`. */
export class CurbsideNoteAttestEvent extends CurbsideEvent<NoteAttestDetail> {
  static readonly eventType = 'curbside-note-attest';
  constructor(detail: NoteAttestDetail) {
    super(CurbsideNoteAttestEvent.eventType, detail);
  }
}

/** The clinician went back from the attestation to editing the draft. */
export class CurbsideNoteEditEvent extends CurbsideEvent<Record<string, never>> {
  static readonly eventType = 'curbside-note-edit';
  constructor() {
    super(CurbsideNoteEditEvent.eventType, {});
  }
}

/** Filing failed in a way that proves nothing was stored, and the clinician asked to try again with the same attestation. */
export class CurbsideNoteRetryEvent extends CurbsideEvent<Record<string, never>> {
  static readonly eventType = 'curbside-note-retry';
  constructor() {
    super(CurbsideNoteRetryEvent.eventType, {});
  }
}

/** Whether the note landed is unknown, and the clinician asked Curbside to search the chart for it. */
export class CurbsideNoteCheckEvent extends CurbsideEvent<Record<string, never>> {
  static readonly eventType = 'curbside-note-check';
  constructor() {
    super(CurbsideNoteCheckEvent.eventType, {});
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'curbside-note-change': CurbsideNoteChangeEvent;
    'curbside-note-review': CurbsideNoteReviewEvent;
    'curbside-note-attest': CurbsideNoteAttestEvent;
    'curbside-note-edit': CurbsideNoteEditEvent;
    'curbside-note-retry': CurbsideNoteRetryEvent;
    'curbside-note-check': CurbsideNoteCheckEvent;
  }
}

// ─── Audit: what was disclosed to the model and what the clinician was shown ───────────────

import type { ModelIdentity } from '../../src/insight/types.ts';
import type { WriteOutcome } from '../../src/writeback/writer.ts';

export interface ModelDisclosureDetail {
  readonly task: 'differential' | 'evidence';
  /** Size of the de-identified case sent, in tokens. */
  readonly payloadTokens: number;
  /** SHA-256 of exactly what was sent, so the record can be matched without holding the content. */
  readonly payloadSha256: string;
  readonly model: ModelIdentity;
}

/** The de-identified case is about to go to the model. Carries sizes and a hash, never content. */
export class CurbsideModelDisclosureEvent extends CurbsideEvent<ModelDisclosureDetail> {
  static readonly eventType = 'curbside-model-disclosure';
  constructor(detail: ModelDisclosureDetail) {
    super(CurbsideModelDisclosureEvent.eventType, detail);
  }
}

export interface SuggestionsShownDetail {
  readonly insightId: string;
  readonly itemIds: readonly string[];
  readonly model: ModelIdentity;
  /** Shadow mode: the set was produced and recorded but never put in front of the clinician. */
  readonly shadow?: boolean;
  /** Each item's codes (`system|code`) and whether every finding was grounded, for monitoring. */
  readonly items?: ReadonlyArray<{ readonly id: string; readonly codes: readonly string[]; readonly verified: boolean }>;
}

/** A set of model suggestions was put in front of the clinician. */
export class CurbsideSuggestionsShownEvent extends CurbsideEvent<SuggestionsShownDetail> {
  static readonly eventType = 'curbside-suggestions-shown';
  constructor(detail: SuggestionsShownDetail) {
    super(CurbsideSuggestionsShownEvent.eventType, detail);
  }
}

/** Filing an attested note ended: written (with the server's id), failed, unconfirmed or needing a relaunch. */
export class CurbsideNoteFiledEvent extends CurbsideEvent<{ outcome: WriteOutcome }> {
  static readonly eventType = 'curbside-note-filed';
  constructor(detail: { outcome: WriteOutcome }) {
    super(CurbsideNoteFiledEvent.eventType, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'curbside-model-disclosure': CurbsideModelDisclosureEvent;
    'curbside-suggestions-shown': CurbsideSuggestionsShownEvent;
    'curbside-note-filed': CurbsideNoteFiledEvent;
  }
}
