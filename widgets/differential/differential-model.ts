/**
 * The words and rules of the differential view, kept apart from the element so they read as
 * plain functions: how a likelihood is said, which items may be accepted, the reasons a
 * clinician can give for rejecting one.
 */
import type { DifferentialItem, GroundedFinding, LikelihoodBand } from '../../src/insight/types.ts';
import type { SuggestionOverrideReason } from '../shared/events.ts';

/** The host's record of what the clinician decided, by item id. */
export type SuggestionDecision = 'accepted' | 'rejected';

/** Override reasons in the manner of CDS Hooks' `overrideReasons`; "other" needs a comment. */
export const REJECT_REASONS: readonly SuggestionOverrideReason[] = [
  { code: 'not-relevant', display: 'Not relevant to this patient' },
  { code: 'already-addressed', display: 'Already addressed' },
  { code: 'contraindicated', display: 'Contraindicated' },
  { code: 'patient-declined', display: 'Patient declined' },
  { code: 'insufficient-evidence', display: 'Insufficient evidence' },
  { code: 'other', display: 'Other' },
];

export const OTHER_REASON = 'other';

const BAND_WORDS: Readonly<Record<LikelihoodBand, string>> = {
  high: 'High likelihood',
  moderate: 'Moderate likelihood',
  low: 'Low likelihood',
};

/**
 * "Moderate likelihood (about 30 %)", or "Moderate likelihood; no probability stated": the
 * band always, the number only as the model stated it, rounded, never invented.
 */
export function likelihoodText(band: LikelihoodBand, probability: number | undefined): string {
  const words = BAND_WORDS[band] ?? 'Likelihood not stated';
  if (probability === undefined || !Number.isFinite(probability) || probability < 0 || probability > 1) {
    return `${words}; no probability stated`;
  }
  const percent = Math.round(probability * 100);
  if (percent < 1) return `${words} (under 1 %)`;
  if (percent > 99) return `${words} (over 99 %)`;
  return `${words} (about ${percent} %)`;
}

/** A finding's chart references, when grounding found every cited fact in the chart. */
export function verifiedReferences(finding: GroundedFinding): readonly string[] {
  return finding.verified ? finding.references : [];
}

/** Only a suggestion with support found in the chart can be carried into a note. */
export function canAccept(item: DifferentialItem): boolean {
  return item.supporting.some((finding) => verifiedReferences(finding).length > 0);
}

export const NEXT_STEP_WORDS: Readonly<Record<string, string>> = {
  test: 'Test',
  treatment: 'Treatment',
  referral: 'Referral',
  monitoring: 'Monitoring',
  other: 'Other',
};
