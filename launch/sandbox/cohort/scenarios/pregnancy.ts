import { MINUTE } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { CONDITION, DRUG, ENCOUNTER_TYPE, ETHNICITY, FINDING, ICD10_ONLY, LAB, LANGUAGE, NOTE_TYPE, PANEL, QUALITATIVE, RACE, RESULT, SOCIAL, VITAL } from '../terminology.ts';
import { type CohortPatient, icd10Label, labelsFor, type ScenarioContext } from '../types.ts';

/** Days since the last menstrual period on the as-of day (9 weeks 2 days). */
export const DAYS_SINCE_LMP = 65;

export function pregnancy({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('preg-13', clock, random, 'female');
  chart.patient({
    mrn: 'CB1000013',
    family: 'Thompson',
    given: ['Aaliyah', 'Renee'],
    gender: 'female',
    birthDate: clock.birthDate(31, 222),
    phone: '+1-555-201-3107',
    email: 'aaliyah.t@example.com',
    address: { line: ['1530 S 11th St'], city: 'Springfield', state: 'IL', postalCode: '62703' },
    language: LANGUAGE.english,
    race: RACE.black,
    ethnicity: ETHNICITY.notHispanic,
    birthSex: 'F',
    generalPractitioner: DOCTOR.pcp,
  });
  const lmp = clock.daysAgo(DAYS_SINCE_LMP);

  chart.condition({ code: CONDITION.hypertension, category: 'problem-list-item', onset: clock.daysAgo(3 * 365, 10), recorded: clock.daysAgo(3 * 365, 10), recorder: DOCTOR.pcp });
  chart.medication({ drug: DRUG.lisinopril10, status: 'active', authored: clock.daysAgo(100, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (10 mg) by mouth once daily', reason: CONDITION.hypertension, slug: 'lisinopril' });
  chart.medication({ drug: DRUG.acetaminophen500, status: 'active', authored: clock.daysAgo(21, 16), requester: DOCTOR.pcp, dosage: 'Take 1 to 2 tablets (500-1000 mg) by mouth every 6 hours as needed for headache; maximum 3000 mg a day', asNeeded: true });

  // Three weeks ago: positive home test confirmed in the office.
  const confirmAt = clock.daysAgo(21, 15, 30);
  const confirm = chart.encounter({ cls: 'AMB', type: ENCOUNTER_TYPE.symptom, start: confirmAt, end: confirmAt + 20 * MINUTE, practitioner: DOCTOR.pcp });
  chart.codedLab(QUALITATIVE.hcgUrine, RESULT.positive, confirmAt + 10 * MINUTE, { encounter: confirm, slug: 'hcg-urine' });
  chart.social(SOCIAL.pregnancyStatus, { code: FINDING.pregnant }, confirmAt + 15 * MINUTE, { encounter: confirm });
  chart.social(SOCIAL.lastMenstrualPeriod, { date: lmp }, confirmAt + 15 * MINUTE, { encounter: confirm });
  chart.condition({ code: CONDITION.pregnancy, category: 'problem-list-item', onset: lmp, recorded: confirmAt + 15 * MINUTE, recorder: DOCTOR.pcp, encounter: confirm, slug: 'pregnancy' });
  chart.bloodPressure(136 + random.jitter(2), 86 + random.jitter(2), confirmAt + 5 * MINUTE, { encounter: confirm });

  const labsAt = clock.daysAgo(7, 13, 15);
  chart.lab(LAB.hcgSerum, 48_000 + random.jitter(2500), labsAt, { slug: 'hcg-serum' });
  chart.panel(PANEL.cbc, labsAt, [
    [LAB.hemoglobin, 12.4 + random.jitter(0.2)],
    [LAB.wbc, 8.1 + random.jitter(0.6)],
    [LAB.platelets, 248 + random.jitter(15)],
  ]);
  chart.panel(PANEL.bmp, labsAt, [
    [LAB.sodium, 137 + random.jitter(1)],
    [LAB.potassium, 4.0 + random.jitter(0.2)],
    [LAB.chloride, 104 + random.jitter(1.5)],
    [LAB.bicarbonate, 23 + random.jitter(1)],
    [LAB.urea, 9 + random.jitter(1.5)],
    [LAB.creatinine, 0.58 + random.jitter(0.04)],
    [LAB.glucose, 84 + random.jitter(4)],
    [LAB.calcium, 9.3 + random.jitter(0.2)],
  ]);
  chart.lab(LAB.tsh, 1.9 + random.jitter(0.2), labsAt);

  // Today: first prenatal visit.
  const visitAt = clock.at(11, 0);
  const today = chart.encounter({ cls: 'AMB', type: ENCOUNTER_TYPE.prenatal, start: visitAt, practitioner: DOCTOR.obstetrician, reason: CONDITION.pregnancy, slug: 'today' });
  chart.bloodPressure(138 + random.jitter(2), 88 + random.jitter(1.5), visitAt + 5 * MINUTE, { encounter: today });
  chart.vital(VITAL.heartRate, 84 + random.jitter(3), visitAt + 5 * MINUTE, { encounter: today });
  chart.vital(VITAL.weight, 72 + random.jitter(0.3), visitAt + 5 * MINUTE, { encounter: today });
  chart.vital(VITAL.height, 165, visitAt + 5 * MINUTE, { encounter: today });
  chart.social(SOCIAL.gestationalAge, { quantity: Math.round((DAYS_SINCE_LMP / 7) * 10) / 10, unit: 'wk', ucum: 'wk' }, visitAt + 6 * MINUTE, { encounter: today });
  chart.social(SOCIAL.pregnancyStatus, { code: FINDING.pregnant }, visitAt + 6 * MINUTE, { encounter: today });

  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Positive pregnancy test',
    at: confirmAt + 18 * MINUTE,
    author: DOCTOR.pcp,
    encounter: confirm,
    text: [
      'Positive home pregnancy test, confirmed in office. LMP about 6 weeks ago; planned pregnancy.',
      'Mild nausea, no bleeding. BP 136/86 on lisinopril.',
      'Plan: prenatal vitamins with folic acid, serum hCG, obstetric referral. Continue current medicines until seen by OB.',
    ].join('\n'),
  });

  return {
    key: 'pregnancy',
    scenario: 'First-trimester pregnancy on an ACE inhibitor',
    summary:
      'A 31-year-old woman about nine weeks pregnant (positive urine and serum hCG) with chronic hypertension, still taking lisinopril at her first prenatal visit.',
    patientId: chart.patientId,
    encounterId: today,
    practitionerId: DOCTOR.obstetrician,
    labels: [...labelsFor(CONDITION.pregnancy), icd10Label(ICD10_ONLY.preexistingHypertensionInPregnancy)],
    resources: chart.resources,
  };
}
