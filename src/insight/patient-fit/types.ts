import type { FactReference } from '../../chart/types.ts';
import type { ModelCitation } from '../types.ts';

/** fits: nothing in the chart against it; adjust: usable with a change (dose, monitoring); avoid: contraindicated here; unchecked: no medicine recognised. */
export type PatientFit = 'fits' | 'adjust' | 'avoid' | 'unchecked';

export type FitCheck = 'allergy' | 'kidney' | 'liver' | 'age' | 'pregnancy' | 'interaction' | 'duplicate';

export interface FitReason {
  readonly fit: 'adjust' | 'avoid';
  readonly check: FitCheck;
  /** Names the chart value it rests on ("eGFR 24", "Recorded allergy to penicillin (hives)"). */
  readonly text: string;
  readonly references: readonly FactReference[];
  /** From the checked reference list; absent where the rule rests on drug labelling alone. */
  readonly citation?: ModelCitation;
}

/** A provider's proposed treatment, checked against this patient. */
export interface TreatmentOption {
  readonly text: string;
  readonly action: 'start' | 'stop' | 'reduce' | 'other';
  /** The medicines recognised in the text (the ones it starts). */
  readonly drugs: readonly string[];
  readonly fit: PatientFit;
  readonly reasons: readonly FitReason[];
  /** Which checks ran (empty when nothing was started). */
  readonly checked: readonly FitCheck[];
}
