import { ageAt, DAY, MINUTE } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { egfrCkdEpi2021 } from '../kidney.ts';
import { CONDITION, DRUG, ENCOUNTER_TYPE, ETHNICITY, ICD10_ONLY, LAB, LANGUAGE, NOTE_TYPE, PANEL, RACE, VITAL } from '../terminology.ts';
import { type CohortPatient, icd10Label, labelsFor, type ScenarioContext } from '../types.ts';

/** Hydrochlorothiazide was added this many days before the as-of day. */
export const THIAZIDE_STARTED_DAYS_AGO = 70;

/** Draws (days ago) with sodium and potassium: two baselines, one just before the thiazide, three after. */
const DRAWS = [
  { daysAgo: 400, na: 139, k: 4.3 },
  { daysAgo: 200, na: 138, k: 4.2 },
  { daysAgo: 75, na: 137, k: 4.2 },
  { daysAgo: 42, na: 131, k: 3.7 },
  { daysAgo: 21, na: 127, k: 3.5 },
  { daysAgo: 1, na: 124, k: 3.3 },
];

export function thiazideHyponatraemia({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('hyn-06', clock, random, 'female');
  const birthDate = clock.birthDate(81, 250);
  chart.patient({
    mrn: 'CB1000006',
    family: 'Ellison',
    given: ['Margaret', 'Anne'],
    gender: 'female',
    birthDate,
    // No phone or email on file: a deliberate gap.
    phone: null,
    address: { line: ['15 Willow Bend Retirement Village', 'Cottage 12'], city: 'Springfield', state: 'IL', postalCode: '62707' },
    language: LANGUAGE.english,
    race: RACE.white,
    ethnicity: ETHNICITY.notHispanic,
    birthSex: 'F',
    generalPractitioner: DOCTOR.pcp,
  });

  chart.condition({ code: CONDITION.hypertension, category: 'problem-list-item', onset: clock.daysAgo(20 * 365, 10), recorded: clock.daysAgo(20 * 365, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.depression, category: 'problem-list-item', onset: clock.daysAgo(3 * 365, 10), recorded: clock.daysAgo(3 * 365, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.osteoporosis, category: 'problem-list-item', onset: clock.daysAgo(6 * 365, 10), recorded: clock.daysAgo(6 * 365, 10), recorder: DOCTOR.pcp });

  const thiazideStart = clock.daysAgo(THIAZIDE_STARTED_DAYS_AGO, 15, 40);
  chart.medication({ drug: DRUG.amlodipine5, status: 'active', authored: clock.daysAgo(5 * 365, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (5 mg) by mouth once daily', reason: CONDITION.hypertension });
  chart.medication({ drug: DRUG.sertraline50, status: 'active', authored: clock.daysAgo(3 * 365, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (50 mg) by mouth once daily', reason: CONDITION.depression });
  chart.medication({ drug: DRUG.alendronate10, status: 'active', authored: clock.daysAgo(6 * 365, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (10 mg) by mouth once daily, 30 minutes before breakfast, upright', reason: CONDITION.osteoporosis });
  chart.medication({ drug: DRUG.hydrochlorothiazide25, status: 'active', authored: thiazideStart, requester: DOCTOR.pcp, dosage: 'Take 1 tablet (25 mg) by mouth once daily in the morning', reason: CONDITION.hypertension, slug: 'hctz' });

  let encounterId = '';
  DRAWS.forEach((d, i) => {
    const last = i === DRAWS.length - 1;
    const drawAt = clock.daysAgo(d.daysAgo, 14, random.int(0, 50));
    const creatinine = 0.86 + (d.daysAgo < THIAZIDE_STARTED_DAYS_AGO ? 0.1 : 0) + random.jitter(0.04);
    chart.panel(PANEL.bmp, drawAt, [
      [LAB.sodium, d.na + (last ? 0 : random.jitter(0.6))],
      [LAB.potassium, d.k + random.jitter(0.05)],
      [LAB.chloride, d.na - 36 + random.jitter(1.5)],
      [LAB.bicarbonate, 26 + random.jitter(1)],
      [LAB.urea, 19 + random.jitter(2)],
      [LAB.creatinine, creatinine],
      [LAB.glucose, 96 + random.jitter(8)],
      [LAB.calcium, 9.6 + random.jitter(0.2)],
      [LAB.egfr, egfrCkdEpi2021(creatinine, ageAt(birthDate, drawAt), 'female')],
    ]);
    if (last) {
      chart.lab(LAB.serumOsmolality, 262 + random.jitter(2), drawAt);
      chart.lab(LAB.urineOsmolality, 410 + random.jitter(15), drawAt + 20 * MINUTE);
      chart.lab(LAB.urineSodium, 48 + random.jitter(4), drawAt + 20 * MINUTE);
      chart.lab(LAB.tsh, 2.1 + random.jitter(0.3), drawAt);
    }
    // Clinic visits at the baseline draws, the day the thiazide was added, and today.
    if (i === 0 || i === 2 || last) {
      const visitAt = last ? clock.at(15, 20) : i === 2 ? thiazideStart - 25 * MINUTE : drawAt + 2 * DAY;
      encounterId = chart.encounter({
        cls: 'AMB',
        type: last ? ENCOUNTER_TYPE.symptom : ENCOUNTER_TYPE.followUp,
        start: visitAt,
        ...(last ? { slug: 'today' } : { end: visitAt + 30 * MINUTE }),
        practitioner: DOCTOR.pcp,
      });
      const bp = last ? [128, 70] : [158, 84];
      chart.bloodPressure(bp[0]! + random.jitter(3), bp[1]! + random.jitter(2), visitAt + 5 * MINUTE, { encounter: encounterId });
      chart.vital(VITAL.heartRate, 72 + random.jitter(4), visitAt + 5 * MINUTE, { encounter: encounterId });
      chart.vital(VITAL.weight, 58.5 - (last ? 1.2 : 0) + random.jitter(0.3), visitAt + 5 * MINUTE, { encounter: encounterId });
    }
  });

  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Hypertension follow-up',
    at: thiazideStart,
    author: DOCTOR.pcp,
    text: [
      'Home readings average 155/82 on amlodipine 5 mg. Ankle swelling when amlodipine was increased before, so not going higher.',
      'Plan: add hydrochlorothiazide 25 mg each morning. Recheck BMP in 4 weeks.',
    ].join('\n'),
  });
  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Result note',
    at: clock.daysAgo(20, 9, 15),
    author: DOCTOR.pcp,
    text: 'Sodium 127, potassium 3.5. Called daughter: patient "a bit more tired". Encourage diet, recheck in 3 weeks.',
  });
  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Nurse triage call',
    at: clock.daysAgo(1, 11),
    author: DOCTOR.pcp,
    text: 'Daughter reports mother is more confused, unsteady, nearly fell twice this week, nausea. Same-day labs drawn; appointment booked for tomorrow.',
  });

  return {
    key: 'thiazide-hyponatraemia',
    scenario: 'Hyponatraemia after a thiazide was added in an 81-year-old',
    summary:
      'An 81-year-old woman on sertraline whose sodium fell from 137 to 124 mmol/L (with potassium 3.3) in the ten weeks since hydrochlorothiazide was started; she is now confused and unsteady.',
    patientId: chart.patientId,
    encounterId,
    practitionerId: DOCTOR.pcp,
    labels: [...labelsFor(CONDITION.hyponatremia), icd10Label(ICD10_ONLY.thiazideAdverseEffect)],
    resources: chart.resources,
  };
}
