/**
 * The sandbox EHR's synthetic patients: a fixed set of clinical scenarios, generated
 * deterministically from a seed and an "as of" day so the same options always give the same
 * bytes. Values carry bounded seeded noise; the clinical story of each scenario holds for every seed.
 */
import type { Organization, Practitioner } from 'fhir/r4';
import { Clock } from './clock.ts';
import { buildOrganization, buildPractitioners } from './care-team.ts';
import { Random } from './random.ts';
import { adrenalInsufficiency } from './scenarios/adrenal-insufficiency.ts';
import { chestPainTroponin } from './scenarios/chest-pain-troponin.ts';
import { ckdProgression } from './scenarios/ckd-progression.ts';
import { ironDeficiencyAnaemia } from './scenarios/iron-deficiency-anaemia.ts';
import { largeHistory } from './scenarios/large-history.ts';
import { myelomaPattern } from './scenarios/myeloma-pattern.ts';
import { nearEmpty } from './scenarios/near-empty.ts';
import { newOnsetDiabetes } from './scenarios/new-onset-diabetes.ts';
import { nonagenarianPolypharmacy } from './scenarios/nonagenarian-polypharmacy.ts';
import { paediatricAsthma } from './scenarios/paediatric-asthma.ts';
import { pregnancy } from './scenarios/pregnancy.ts';
import { sepsis } from './scenarios/sepsis.ts';
import { thiazideHyponatraemia } from './scenarios/thiazide-hyponatraemia.ts';
import { undiagnosedHypertension } from './scenarios/undiagnosed-hypertension.ts';
import type { CohortOptions, CohortPatient, ScenarioContext } from './types.ts';

export type { CohortLabel, CohortOptions, CohortPatient } from './types.ts';
export { AWKWARD_DATA, SCENARIO_FACTS, type AwkwardKind, type AwkwardRecord, type ScenarioFacts, type ScenarioKey } from './facts.ts';
export { PROMPT_INJECTION_TEXT } from './scenarios/undiagnosed-hypertension.ts';
export { THIAZIDE_STARTED_DAYS_AGO } from './scenarios/thiazide-hyponatraemia.ts';
export { LARGE_HISTORY_DAYS } from './scenarios/large-history.ts';
export { ageOn } from './clock.ts';
export { isValidNpi } from './care-team.ts';

export const DEFAULT_SEED = 20240601;
export const DEFAULT_LARGE_PATIENT_OBSERVATIONS = 20_000;

export interface Cohort {
  practitioners: Practitioner[];
  organization: Organization;
  patients: CohortPatient[];
}

/** In launch-menu order: the first patients are the ones end-to-end tests pick by name. */
const SCENARIOS: ReadonlyArray<readonly [key: string, build: (ctx: ScenarioContext) => CohortPatient]> = [
  ['ckd-progression', ckdProgression],
  ['new-onset-diabetes', newOnsetDiabetes],
  ['iron-deficiency-anaemia', ironDeficiencyAnaemia],
  ['chest-pain-troponin', chestPainTroponin],
  ['sepsis', sepsis],
  ['thiazide-hyponatraemia', thiazideHyponatraemia],
  ['paediatric-asthma', paediatricAsthma],
  ['nonagenarian-polypharmacy', nonagenarianPolypharmacy],
  ['near-empty', nearEmpty],
  ['large-history', largeHistory],
  ['undiagnosed-hypertension', undiagnosedHypertension],
  ['adrenal-insufficiency-pattern', adrenalInsufficiency],
  ['pregnancy', pregnancy],
  ['myeloma-pattern', myelomaPattern],
];

/** Today's date in UTC; the only read of the wall clock, and only when no `asOf` is given. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export function generateCohort(options: CohortOptions = {}): Cohort {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const largePatientObservations = options.largePatientObservations ?? DEFAULT_LARGE_PATIENT_OBSERVATIONS;
  if (!Number.isInteger(largePatientObservations) || largePatientObservations < 0) {
    throw new RangeError(`largePatientObservations must be a non-negative integer, got ${largePatientObservations}`);
  }
  const clock = new Clock(options.asOf ?? todayUtc());
  const patients = SCENARIOS.map(([key, build]) => {
    const patient = build({ clock, random: Random.forKey(seed, key), largePatientObservations });
    if (patient.key !== key) throw new Error(`scenario ${key} returned key ${patient.key}`);
    return patient;
  });
  return { practitioners: buildPractitioners(), organization: buildOrganization(), patients };
}
