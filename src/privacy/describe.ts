/**
 * What the "what is sent" panel shows: the exact text that goes to the model, its size against
 * the budget and against the same facts as raw FHIR, what was left out to fit, and how much
 * de-identification removed — as counts by kind, never the removed values.
 */
import { type RemovalKind, type SanitisedCase, serializeCaseSummary } from './case-summary.ts';

export interface RemovalLine {
  readonly kind: RemovalKind;
  /** Plain words for the clinician: "Dates", "Instruction-like passages flagged". */
  readonly label: string;
  readonly count: number;
}

export interface PayloadDescription {
  /** Exactly what is sent. */
  readonly json: string;
  readonly tokens: {
    readonly payload: number;
    readonly rawFhir: number;
    readonly budget: number;
    /** Raw FHIR tokens per payload token, one decimal. */
    readonly ratio: number;
    readonly withinBudget: boolean;
  };
  /** How many of each kind of fact are sent. */
  readonly sent: {
    readonly problems: number;
    readonly medications: number;
    readonly allergies: number;
    readonly series: number;
    readonly seriesValues: number;
    readonly textResults: number;
    readonly notes: number;
  };
  readonly omissions: readonly string[];
  readonly removed: readonly RemovalLine[];
}

const REMOVAL_LABELS: Readonly<Record<RemovalKind, string>> = {
  name: 'Names',
  date: 'Dates',
  phone: 'Phone numbers',
  email: 'Email addresses',
  url: 'Web addresses',
  ssn: 'Social Security numbers',
  identifier: 'Record numbers and other identifiers',
  address: 'Street addresses',
  'postal-code': 'ZIP codes',
  'ip-address': 'IP addresses',
  'age-over-89': 'Ages over 89 (shown as 90+)',
  'year-over-89': 'Years that would reveal an age over 89',
  'hidden-character': 'Invisible characters',
  'quote-marker': 'Characters that could forge a quotation marker',
  'control-token': 'Model control tokens defused',
  'markup-tag': 'Markup tags defused',
  'code-fence': 'Code fences defused',
  separator: 'Separator lines defused',
  'role-label': 'Role labels (such as "system:") defused',
  'instruction-like': 'Instruction-like passages flagged',
  'non-standard-code': 'Codes from local or non-standard code systems',
};

export function describePayload(prepared: SanitisedCase): PayloadDescription {
  const { summary, tokens } = prepared;
  const removed = (Object.keys(prepared.removed) as RemovalKind[])
    .map((kind) => ({ kind, label: REMOVAL_LABELS[kind], count: prepared.removed[kind] ?? 0 }))
    .filter((line) => line.count > 0)
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
  return {
    json: serializeCaseSummary(summary),
    tokens: {
      ...tokens,
      ratio: tokens.payload > 0 ? Math.round((tokens.rawFhir / tokens.payload) * 10) / 10 : 0,
      withinBudget: tokens.payload <= tokens.budget,
    },
    sent: {
      problems: summary.problems.length,
      medications: summary.medications.length,
      allergies: summary.allergies.length,
      series: summary.series.length,
      seriesValues: summary.series.reduce((n, s) => n + s.points.length, 0),
      textResults: summary.textResults.length,
      notes: summary.notes.length,
    },
    omissions: prepared.omissions,
    removed,
  };
}
