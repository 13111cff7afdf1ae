/**
 * Early signs: patterns in the chart's own results that point at a disease before anyone has
 * named it, each carrying the exact points it rests on, the figure it computed, the rule and its
 * guideline, and what would confirm or refute it. Detection is local and deterministic; nothing
 * here is sent to a model.
 */
import type { Code, FactReference, ReferenceRange, SeriesPoint } from '../../chart/types.ts';
import type { ModelCitation } from '../types.ts';

export type EarlySignKind =
  /** A rate of change over a stated window (eGFR decline per year). */
  | 'rate-of-change'
  /** A diagnostic threshold crossed and confirmed by a second result. */
  | 'threshold'
  /** The same abnormality at several visits (BP above target at 3 or more). */
  | 'persistent'
  /** Results meet a diagnosis's criteria but the problem list does not name it. */
  | 'unrecorded'
  /** Several results together in a rare or can't-miss pattern. */
  | 'pattern';

/** One series a sign rests on, with the points drawn so the clinician sees the trend it read. */
export interface EarlySignSeries {
  readonly code: string;
  readonly label: string;
  readonly unit?: string;
  /** Every point of the series in the chart's unit, oldest first (the sparkline's data). */
  readonly points: readonly SeriesPoint[];
  readonly referenceRange?: ReferenceRange;
  /** References of the points the rule used; highlighted in the sparkline. */
  readonly used: readonly FactReference[];
}

/** The number the rule computed: a slope, a count of visits, a span of time. */
export interface EarlySignFigure {
  readonly value: number;
  readonly unit: string;
  /** The figure in words with its window: "falling 8.2 mL/min/1.73 m² a year over 4.8 years". */
  readonly text: string;
}

export interface EarlySign {
  /** Stable: `<rule id>` (one sign per rule). */
  readonly id: string;
  readonly rule: string;
  readonly kind: EarlySignKind;
  readonly title: string;
  /** The condition the sign points at, with SNOMED CT / ICD-10-CM codes where one fits. */
  readonly condition: { readonly display: string; readonly codes: readonly Code[] };
  readonly figure: EarlySignFigure;
  /** Why it was raised, in a sentence that names the values. */
  readonly why: string;
  /** The rule as the guideline states it, in the engine's paraphrase. */
  readonly criterion: string;
  readonly citation: ModelCitation;
  /** Every chart fact used (results, problems, medicines). */
  readonly references: readonly FactReference[];
  readonly series: readonly EarlySignSeries[];
  readonly confirm: readonly string[];
  readonly refute: readonly string[];
  /** The problem list does not name it yet. */
  readonly unrecorded: boolean;
  readonly cantMiss: boolean;
  /** Base rate in words for rare patterns. */
  readonly rarity?: string;
  /** How sure the rule is: `low` for broad, non-specific pictures. */
  readonly confidence: 'high' | 'moderate' | 'low';
}
