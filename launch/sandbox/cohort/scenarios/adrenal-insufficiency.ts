import { DAY, MINUTE } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { CONDITION, DRUG, ENCOUNTER_TYPE, ETHNICITY, LAB, LANGUAGE, NOTE_TYPE, PANEL, RACE, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

/** The slow slide over six months, then today in the ED. Glucose is reported by this lab in mmol/L. */
const COURSE = [
  { daysAgo: 180, na: 137, k: 4.5, glucose: 4.8, creatinine: 0.74, kg: 59.0, sys: 112, dia: 72, hr: 78 },
  { daysAgo: 90, na: 133, k: 5.1, glucose: 4.1, creatinine: 0.8, kg: 56.6, sys: 104, dia: 66, hr: 84 },
  { daysAgo: 30, na: 131, k: 5.4, glucose: 3.8, creatinine: 0.86, kg: 54.9, sys: 98, dia: 62, hr: 90 },
  { daysAgo: 0, na: 127, k: 5.9, glucose: 3.2, creatinine: 1.12, kg: 53.6, sys: 86, dia: 54, hr: 108 },
];

export function adrenalInsufficiency({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('adr-12', clock, random, 'female');
  chart.patient({
    mrn: 'CB1000012',
    family: 'Ní Bhriain',
    given: ['Aoife'],
    gender: 'female',
    birthDate: clock.birthDate(44, 95),
    phone: '+1-555-201-7321',
    email: 'aoife.nibhriain@example.ie',
    address: { line: ['27 Shamrock Court'], city: 'Rochester', state: 'IL', postalCode: '62563' },
    language: LANGUAGE.english,
    race: RACE.white,
    ethnicity: ETHNICITY.notHispanic,
    birthSex: 'F',
    generalPractitioner: DOCTOR.pcp,
  });

  chart.condition({ code: CONDITION.hypothyroidism, category: 'problem-list-item', onset: clock.daysAgo(8 * 365, 10), recorded: clock.daysAgo(8 * 365, 10), recorder: DOCTOR.pcp, note: 'Hashimoto thyroiditis (TPO antibodies positive).' });
  chart.condition({ code: CONDITION.vitiligo, category: 'problem-list-item', onset: clock.daysAgo(5 * 365, 10), recorded: clock.daysAgo(5 * 365, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.fatigue, category: 'problem-list-item', onset: clock.daysAgo(150, 10), recorded: clock.daysAgo(90, 16), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.weightLoss, category: 'problem-list-item', onset: clock.daysAgo(120, 10), recorded: clock.daysAgo(30, 16), recorder: DOCTOR.pcp });
  chart.medication({ drug: DRUG.levothyroxine75, status: 'active', authored: clock.daysAgo(200, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (75 mcg) by mouth every morning on an empty stomach', reason: CONDITION.hypothyroidism });

  let encounterId = '';
  COURSE.forEach((c, i) => {
    const today = c.daysAgo === 0;
    const start = today ? clock.at(9, 20) : clock.daysAgo(c.daysAgo, 15, random.int(0, 30));
    encounterId = chart.encounter({
      cls: today ? 'EMER' : 'AMB',
      type: today ? ENCOUNTER_TYPE.emergency : ENCOUNTER_TYPE.symptom,
      start,
      ...(today ? { slug: 'ed-today' } : { end: start + 25 * MINUTE }),
      practitioner: today ? DOCTOR.emergency : DOCTOR.pcp,
    });
    const enc = { encounter: encounterId };
    chart.bloodPressure(c.sys + random.jitter(2), c.dia + random.jitter(2), start + 5 * MINUTE, enc);
    chart.vital(VITAL.heartRate, c.hr + random.jitter(3), start + 5 * MINUTE, enc);
    chart.vital(VITAL.weight, c.kg + random.jitter(0.2), start + 5 * MINUTE, enc);
    if (today) {
      chart.bloodPressure(74 + random.jitter(2), 48 + random.jitter(2), start + 12 * MINUTE, { ...enc, note: 'Standing, after 1 minute; patient dizzy.' });
      chart.vital(VITAL.heartRate, 124 + random.jitter(3), start + 12 * MINUTE, { ...enc, note: 'Standing.' });
      chart.vital(VITAL.temperature, 37.2 + random.jitter(0.1), start + 5 * MINUTE, enc);
      chart.vital(VITAL.respiratoryRate, 20, start + 5 * MINUTE, enc);
      chart.vital(VITAL.oxygenSaturation, 98, start + 5 * MINUTE, enc);
    }

    const drawAt = today ? start + 20 * MINUTE : start - 2 * DAY;
    const labOpts = today ? { ...enc, turnaround: 25 } : {};
    chart.panel(
      PANEL.bmp,
      drawAt,
      [
        [LAB.sodium, c.na + (today ? 0 : random.jitter(0.5))],
        [LAB.potassium, c.k + random.jitter(0.05)],
        [LAB.chloride, c.na - 34 + random.jitter(1)],
        [LAB.bicarbonate, (today ? 19 : 24) + random.jitter(1)],
        [LAB.urea, (today ? 28 : 14) + random.jitter(2)],
        [LAB.creatinine, c.creatinine + random.jitter(0.03)],
        [LAB.glucoseMolar, c.glucose + random.jitter(0.05), { slug: `glucose-mmol-${i + 1}` }],
        [LAB.calcium, (today ? 10.5 : 9.7) + random.jitter(0.1)],
      ],
      labOpts,
    );
    if (i === 0 || today) chart.lab(LAB.tsh, 2.1 + random.jitter(0.3), drawAt, labOpts);
    if (today) {
      chart.panel(PANEL.cbc, drawAt, [
        [LAB.hemoglobin, 11.8 + random.jitter(0.2)],
        [LAB.wbc, 6.2 + random.jitter(0.4)],
        [LAB.platelets, 262 + random.jitter(15)],
      ], labOpts);
      chart.lab(LAB.cortisol, 2.8 + random.jitter(0.2), drawAt, { ...labOpts, turnaround: 150, note: 'Random sample drawn at 09:40 before any steroid.' });
      chart.pendingLab(LAB.acth, drawAt, { ...labOpts, slug: 'acth-pending' });
    }
  });
  chart.condition({ code: CONDITION.dehydration, category: 'encounter-diagnosis', verification: 'provisional', onset: clock.daysAgo(2, 8), recorded: clock.at(10, 5), recorder: DOCTOR.emergency, encounter: encounterId });

  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Fatigue follow-up',
    at: clock.daysAgo(30, 15, 40),
    author: DOCTOR.pcp,
    text: [
      'Still exhausted, appetite poor, lost 4 kg since spring. Craves salty food. Dizzy when standing up quickly.',
      'Says friends comment she looks tanned although she has not been away; darker creases on palms.',
      'BP 98/62. TSH normal on current levothyroxine. Sodium 131, potassium 5.4, glucose 3.8 mmol/L.',
      'Impression: fatigue and weight loss, ?low mood ?overwork. PHQ-9 score 6.',
      'Plan: encourage fluids and regular meals, recheck in 6 weeks.',
    ].join('\n'),
  });
  chart.note({
    type: NOTE_TYPE.emergency,
    title: 'ED provider note',
    at: clock.at(10, 10),
    author: DOCTOR.emergency,
    encounter: encounterId,
    text: [
      '44-year-old woman with Hashimoto hypothyroidism and vitiligo. Two days of vomiting, diffuse abdominal pain, unable to keep fluids down; near-syncope this morning.',
      'Exam: dry, BP 86/54 lying, 74/48 standing with HR 124. Hyperpigmented buccal mucosa and knuckles. Abdomen soft.',
      'Labs: sodium 127, potassium 5.9, glucose 3.2 mmol/L, creatinine 1.12, bicarbonate 19. Hyponatraemia screen sent with the first bloods (cortisol, ACTH).',
      'Impression: gastroenteritis with dehydration, hyponatraemia and pre-renal AKI.',
      'Plan: IV saline with dextrose, antiemetic, admit to medicine.',
    ].join('\n'),
  });

  return {
    key: 'adrenal-insufficiency-pattern',
    scenario: 'Adrenal crisis picture not yet recognised',
    summary:
      'A 44-year-old woman with autoimmune thyroid disease and vitiligo with six months of fatigue, weight loss and falling blood pressure; today sodium 127, potassium 5.9, glucose 3.2 mmol/L, orthostatic hypotension and a low random cortisol, with no adrenal diagnosis in the chart.',
    patientId: chart.patientId,
    encounterId,
    practitionerId: DOCTOR.emergency,
    labels: labelsFor(CONDITION.addisonsDisease),
    resources: chart.resources,
  };
}
