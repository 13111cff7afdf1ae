import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { ALLERGEN, CONDITION, ENCOUNTER_TYPE, ETHNICITY, LAB, LANGUAGE, NOTE_TYPE, PANEL, RACE, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

/** Annual checks while prediabetic, then a confirmatory repeat: days before the as-of day. */
const VISITS = [1480, 1110, 740, 370, 120, 14];
const HBA1C = [5.9, 6.0, 6.2, 6.4, 6.7, 6.9];
const FASTING_GLUCOSE = [104, 109, 116, 121, 131, 138];
const WEIGHT_KG = [74, 76.5, 79, 81.5, 84.5, 86];

export function newOnsetDiabetes({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('dm-02', clock, random, 'female');
  chart.patient({
    mrn: 'CB1000002',
    family: 'Delgado',
    given: ['Rosa', 'María'],
    gender: 'female',
    birthDate: clock.birthDate(52, 61),
    phone: '+1-555-201-7730',
    address: { line: ['77 Calle Linda', 'Apt 3B'], city: 'Springfield', state: 'IL', postalCode: '62702' },
    language: LANGUAGE.spanish,
    race: RACE.white,
    ethnicity: ETHNICITY.hispanic,
    birthSex: 'F',
    generalPractitioner: DOCTOR.pcp,
  });

  chart.condition({ code: CONDITION.prediabetes, category: 'problem-list-item', onset: clock.daysAgo(1477, 15, 20), recorded: clock.daysAgo(1477, 15, 20), recorder: DOCTOR.pcp });
  // Recorded without an onset date: a real-world gap the app has to tolerate.
  chart.condition({ code: CONDITION.obesity, category: 'problem-list-item', recorded: clock.daysAgo(367, 15, 20), recorder: DOCTOR.pcp, slug: 'obesity-no-onset' });
  chart.allergy({ allergen: ALLERGEN.noKnownAllergy, category: 'medication', verification: 'confirmed', recorded: clock.daysAgo(1477, 15, 20), reactions: [], slug: 'nka' });

  const height = 160;
  let encounterId = '';
  VISITS.forEach((daysAgo, i) => {
    const last = i === VISITS.length - 1;
    // Fasting draws at about 08:00 Central time; results are reviewed at a visit three days later.
    const drawAt = clock.daysAgo(daysAgo, 14, 5 + random.int(0, 20));
    // The first HbA1c came from an outside lab that sent no reference range.
    chart.lab(LAB.hba1c, HBA1C[i]! + random.jitter(0.04), drawAt, i === 0 ? { noRange: true, slug: 'hba1c-outside-lab' } : {});
    chart.lab(LAB.fastingGlucose, FASTING_GLUCOSE[i]! + random.jitter(2), drawAt);
    if (i >= 3) {
      chart.panel(PANEL.lipids, drawAt, [
        [LAB.cholesterol, 228 + random.jitter(8)],
        [LAB.hdl, 43 + random.jitter(3)],
        [LAB.ldl, 144 + random.jitter(6)],
        [LAB.triglycerides, 205 + random.jitter(15)],
      ]);
    }
    if (last) {
      chart.panel(PANEL.cmp, drawAt, [
        [LAB.sodium, 139 + random.jitter(1.5)],
        [LAB.potassium, 4.2 + random.jitter(0.2)],
        [LAB.chloride, 102 + random.jitter(2)],
        [LAB.bicarbonate, 25 + random.jitter(1.5)],
        [LAB.urea, 14 + random.jitter(2)],
        [LAB.creatinine, 0.72 + random.jitter(0.05)],
        [LAB.glucose, 141 + random.jitter(4)],
        [LAB.calcium, 9.5 + random.jitter(0.2)],
        [LAB.protein, 7.2 + random.jitter(0.2)],
        [LAB.albumin, 4.3 + random.jitter(0.1)],
        [LAB.alt, 58 + random.jitter(3)],
        [LAB.ast, 41 + random.jitter(2)],
        [LAB.alkalinePhosphatase, 88 + random.jitter(8)],
        [LAB.bilirubin, 0.6 + random.jitter(0.1)],
        [LAB.egfr, 99 + random.jitter(2)],
      ]);
      chart.lab(LAB.urineAlbuminCreatinine, 22 + random.jitter(3), drawAt);
    }

    const visitAt = last ? clock.at(15, 0) : clock.daysAgo(daysAgo - 3, 15, random.int(0, 30));
    encounterId = chart.encounter({
      cls: 'AMB',
      type: last ? ENCOUNTER_TYPE.followUp : ENCOUNTER_TYPE.checkUp,
      start: visitAt,
      ...(last ? { slug: 'today' } : { end: visitAt + 30 * 60_000 }),
      practitioner: DOCTOR.pcp,
    });
    const weight = WEIGHT_KG[i]! + random.jitter(0.4);
    chart.vital(VITAL.weight, weight, visitAt + 4 * 60_000, { encounter: encounterId });
    chart.vital(VITAL.height, height + random.jitter(0.4), visitAt + 4 * 60_000, { encounter: encounterId });
    chart.vital(VITAL.bmi, weight / (height / 100) ** 2, visitAt + 4 * 60_000, { encounter: encounterId });
    chart.bloodPressure(126 + random.jitter(5), 78 + random.jitter(4), visitAt + 6 * 60_000, { encounter: encounterId });
    chart.vital(VITAL.heartRate, 78 + random.jitter(6), visitAt + 6 * 60_000, { encounter: encounterId });
  });

  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Annual visit',
    at: clock.daysAgo(367, 16, 5),
    author: DOCTOR.pcp,
    text: [
      'Annual visit (Spanish interpreter present).',
      'Prediabetes known for 3 years. HbA1c 6.4 %, fasting glucose 121. Weight up 2.5 kg this year.',
      'Discussed diet and walking 30 min daily; referred to diabetes prevention program.',
      'Lipids high; 10-year ASCVD risk discussed, patient prefers lifestyle first.',
      'Recheck HbA1c in 6 to 12 months.',
    ].join('\n'),
  });
  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Follow-up: prediabetes',
    at: clock.daysAgo(117, 16, 0),
    author: DOCTOR.pcp,
    text: [
      'HbA1c 6.7 %, fasting glucose 131 mg/dL (drawn 3 days ago).',
      'Single value in the diabetes range; plan to repeat HbA1c and fasting glucose to confirm before labelling.',
      'Continue lifestyle measures. Return in 3 to 4 months.',
    ].join('\n'),
  });

  return {
    key: 'new-onset-diabetes',
    scenario: 'New-onset type 2 diabetes not yet on the problem list',
    summary:
      'A 52-year-old woman with prediabetes whose HbA1c has now been 6.5 % or higher twice (6.7 then 6.9) with fasting glucose above 126 and a rising BMI; the chart still lists only prediabetes.',
    patientId: chart.patientId,
    encounterId,
    practitionerId: DOCTOR.pcp,
    labels: labelsFor(CONDITION.type2Diabetes),
    resources: chart.resources,
  };
}
