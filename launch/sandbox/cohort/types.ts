import type { Resource } from 'fhir/r4';
import type { Clock } from './clock.ts';
import type { Random } from './random.ts';
import { type Code, type ConditionCode, SYSTEM } from './terminology.ts';

export interface CohortLabel {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

export interface CohortPatient {
  /** Stable slug, e.g. `ckd-progression`. */
  key: string;
  /** Short clinician-readable title. */
  scenario: string;
  /** One or two sentences of the clinical story. */
  summary: string;
  /** Patient.id */
  patientId: string;
  /** The current (open or most recent) encounter to launch into; absent for the near-empty patient. */
  encounterId?: string;
  /** The attending Practitioner.id for the launch. */
  practitionerId: string;
  /** Codes the case is about, for evaluation: SNOMED CT and/or ICD-10-CM. */
  labels: CohortLabel[];
  /** Everything belonging to this patient, Patient first; ids fixed, references relative. */
  resources: Resource[];
}

export interface CohortOptions {
  seed?: number;
  /** ISO date `YYYY-MM-DD`; default: today (UTC). */
  asOf?: string;
  /** Observations for the long-history patient; default 20,000. */
  largePatientObservations?: number;
}

export interface ScenarioContext {
  readonly clock: Clock;
  readonly random: Random;
  readonly largePatientObservations: number;
}

/** Both codings of a condition as evaluation labels. */
export function labelsFor(...conditions: ConditionCode[]): CohortLabel[] {
  return conditions.flatMap((c) => [
    { system: SYSTEM.snomed, ...c.snomed },
    { system: SYSTEM.icd10cm, ...c.icd10 },
  ]);
}

export function icd10Label(code: Code): CohortLabel {
  return { system: SYSTEM.icd10cm, ...code };
}
