import type { Patient } from 'fhir/r4';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { ALLERGEN, REACTION, SYSTEM } from '../terminology.ts';
import type { CohortPatient, ScenarioContext } from '../types.ts';

/** A patient registered this week with nothing but demographics and one unverified allergy. */
export function nearEmpty({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('min-09', clock, random, 'female');
  // Built by hand rather than through chart.patient(): no telecom, no address, no communication,
  // gender "unknown"; each optional element the app reads has to be missing here.
  const patient: Patient = {
    resourceType: 'Patient',
    id: chart.patientId,
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: SYSTEM.identifierType, code: 'MR', display: 'Medical record number' }], text: 'MRN' },
        system: SYSTEM.mrn,
        value: 'CB1000009',
      },
    ],
    name: [{ use: 'official', family: 'Taylor', given: ['Sam'] }],
    gender: 'unknown',
    birthDate: clock.birthDate(29, 300),
  };
  chart.resources.push(patient);
  // No criticality and no severity recorded: "unknown" must not be shown as "low".
  chart.allergy({ allergen: ALLERGEN.latex, category: 'environment', verification: 'unconfirmed', recorded: clock.daysAgo(2, 16, 5), reactions: [REACTION.rash], slug: 'latex-no-criticality' });

  return {
    key: 'near-empty',
    scenario: 'New registration with almost no data',
    summary: 'A newly registered adult with no encounters, problems, medications or results; only an unconfirmed latex allergy of unknown criticality.',
    patientId: chart.patientId,
    practitionerId: DOCTOR.pcp,
    labels: [],
    resources: chart.resources,
  };
}
