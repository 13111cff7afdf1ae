import { ageAt, DAY, MINUTE } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { egfrCkdEpi2021 } from '../kidney.ts';
import { CONDITION, DRUG, ENCOUNTER_TYPE, ETHNICITY, LAB, LANGUAGE, NOTE_TYPE, PANEL, RACE, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

/** Hypercalcaemia, renal impairment, anaemia and a widening protein gap over eight months. */
const DRAWS = [
  { daysAgo: 240, hb: 13.6, ca: 9.6, creatinine: 0.98, protein: 7.4, albumin: 4.1, kg: 82.0 },
  { daysAgo: 120, hb: 12.2, ca: 10.2, creatinine: 1.25, protein: 8.2, albumin: 3.8, kg: 80.4 },
  { daysAgo: 45, hb: 10.8, ca: 11.0, creatinine: 1.62, protein: 8.9, albumin: 3.4, kg: 78.6 },
  { daysAgo: 2, hb: 9.6, ca: 11.9, creatinine: 2.05, protein: 9.4, albumin: 3.1, kg: 77.1 },
];

export function myelomaPattern({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('mm-14', clock, random, 'male');
  const birthDate = clock.birthDate(68, 310);
  chart.patient({
    mrn: 'CB1000014',
    family: 'Weiß',
    given: ['Jürgen'],
    gender: 'male',
    birthDate,
    phone: '+1-555-201-1186',
    address: { line: ['44 Lakeshore Dr'], city: 'Springfield', state: 'IL', postalCode: '62712' },
    language: LANGUAGE.english,
    race: RACE.white,
    ethnicity: ETHNICITY.notHispanic,
    birthSex: 'M',
    generalPractitioner: DOCTOR.pcp,
  });

  chart.condition({ code: CONDITION.hypertension, category: 'problem-list-item', onset: clock.daysAgo(11 * 365, 10), recorded: clock.daysAgo(11 * 365, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.lowBackPain, category: 'problem-list-item', onset: clock.daysAgo(150, 10), recorded: clock.daysAgo(140, 16), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.anemia, category: 'problem-list-item', onset: clock.daysAgo(120, 10), recorded: clock.daysAgo(45, 16), recorder: DOCTOR.pcp });
  chart.medication({ drug: DRUG.amlodipine5, status: 'active', authored: clock.daysAgo(300, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (5 mg) by mouth once daily', reason: CONDITION.hypertension });
  chart.medication({ drug: DRUG.naproxen500, status: 'active', authored: clock.daysAgo(140, 16), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (500 mg) by mouth twice daily with food', reason: CONDITION.lowBackPain });
  chart.medication({ drug: DRUG.acetaminophen500, status: 'active', authored: clock.daysAgo(140, 16), requester: DOCTOR.pcp, dosage: 'Take 2 tablets (1000 mg) by mouth every 8 hours as needed for pain', asNeeded: true, reason: CONDITION.lowBackPain });

  let encounterId = '';
  DRAWS.forEach((d, i) => {
    const last = i === DRAWS.length - 1;
    const drawAt = clock.daysAgo(d.daysAgo, 14, random.int(0, 40));
    const creatinine = d.creatinine + random.jitter(0.04);
    const protein = d.protein + random.jitter(0.1);
    const albumin = d.albumin + random.jitter(0.05);
    chart.panel(PANEL.cmp, drawAt, [
      [LAB.sodium, 138 + random.jitter(1.5)],
      [LAB.potassium, 4.4 + random.jitter(0.2)],
      [LAB.chloride, 104 + random.jitter(1.5)],
      [LAB.bicarbonate, 24 + random.jitter(1)],
      [LAB.urea, 16 + 14 * (i / 3) + random.jitter(2)],
      [LAB.creatinine, creatinine],
      [LAB.glucose, 98 + random.jitter(6)],
      [LAB.calcium, d.ca + random.jitter(0.08)],
      [LAB.protein, protein],
      [LAB.albumin, albumin],
      [LAB.globulin, protein - albumin],
      [LAB.alt, 24 + random.jitter(4)],
      [LAB.ast, 22 + random.jitter(4)],
      [LAB.alkalinePhosphatase, 82 + random.jitter(8)],
      [LAB.bilirubin, 0.6 + random.jitter(0.1)],
      [LAB.egfr, egfrCkdEpi2021(creatinine, ageAt(birthDate, drawAt), 'male')],
    ]);
    chart.panel(PANEL.cbc, drawAt, [
      [LAB.hemoglobin, d.hb + random.jitter(0.1)],
      [LAB.mcv, 91 + random.jitter(1.5)],
      [LAB.wbc, 5.6 + random.jitter(0.6)],
      [LAB.platelets, 205 - 12 * i + random.jitter(10)],
    ]);
    if (last) {
      // The analyser sent no flag with this ESR: value and range only.
      chart.lab(LAB.esr, 92 + random.jitter(3), drawAt, { noInterpretation: true, slug: 'esr-no-flag' });
    }
    const visitAt = last ? clock.at(14, 50) : drawAt + 2 * DAY;
    encounterId = chart.encounter({
      cls: 'AMB',
      type: ENCOUNTER_TYPE.followUp,
      start: visitAt,
      ...(last ? { slug: 'today' } : { end: visitAt + 25 * MINUTE }),
      practitioner: DOCTOR.pcp,
    });
    chart.bloodPressure(132 + random.jitter(5), 80 + random.jitter(3), visitAt + 5 * MINUTE, { encounter: encounterId });
    chart.vital(VITAL.weight, d.kg + random.jitter(0.3), visitAt + 5 * MINUTE, { encounter: encounterId });
    chart.vital(VITAL.heartRate, 76 + 3 * i + random.jitter(3), visitAt + 5 * MINUTE, { encounter: encounterId });
  });

  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Back pain',
    at: clock.daysAgo(140, 16, 20),
    author: DOCTOR.pcp,
    text: [
      'Four weeks of low back pain, worse at night, no injury. No leg weakness, no bladder or bowel change.',
      'Tender over mid-lumbar spine. Neurologically intact.',
      'Likely mechanical. Naproxen 500 mg twice daily, physical therapy. Return if not improving.',
    ].join('\n'),
  });
  chart.note({
    type: NOTE_TYPE.imaging,
    title: 'XR lumbar spine, 2 views',
    at: clock.daysAgo(44, 11),
    author: DOCTOR.radiologist,
    text: [
      'Clinical: persistent low back pain, night pain.',
      'Findings: diffuse osteopenia. Ill-defined lucency in the L3 vertebral body with mild loss of height. Disc spaces preserved.',
      'Impression: L3 lucency of uncertain cause; correlate with bloods; MRI suggested.',
    ].join('\n'),
  });

  return {
    key: 'myeloma-pattern',
    scenario: 'Back pain with hypercalcaemia, anaemia and rising creatinine',
    summary:
      'A 68-year-old man with four months of night back pain on naproxen whose calcium has risen to 11.9 mg/dL, haemoglobin fallen to 9.6 g/dL, creatinine doubled and globulin widened to over 6 g/dL, with an L3 lucency on X-ray: a myeloma pattern nobody has named.',
    patientId: chart.patientId,
    encounterId,
    practitionerId: DOCTOR.pcp,
    labels: labelsFor(CONDITION.multipleMyeloma),
    resources: chart.resources,
  };
}
