import { ageAt } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { egfrCkdEpi2021 } from '../kidney.ts';
import { ALLERGEN, CONDITION, DRUG, ENCOUNTER_TYPE, LAB, LANGUAGE, NOTE_TYPE, PANEL, QUALITATIVE, REACTION, RESULT, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

export function sepsis({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('sep-05', clock, random, 'female');
  const birthDate = clock.birthDate(71, 35);
  chart.patient({
    mrn: 'CB1000005',
    family: 'Al-Sayed',
    given: ['Fatima'],
    gender: 'female',
    birthDate,
    phone: '+1-555-201-6604',
    address: { line: ['2210 Cedar Court'], city: 'Springfield', state: 'IL', postalCode: '62711' },
    language: LANGUAGE.arabic,
    nativeName: { text: 'فاطمة السيد', family: 'السيد', given: ['فاطمة'], language: 'ar' },
    birthSex: 'F',
    generalPractitioner: DOCTOR.pcp,
  });

  chart.condition({ code: CONDITION.type2Diabetes, category: 'problem-list-item', onset: clock.daysAgo(10 * 365, 10), recorded: clock.daysAgo(10 * 365, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.hypertension, category: 'problem-list-item', onset: clock.daysAgo(12 * 365, 10), recorded: clock.daysAgo(12 * 365, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.recurrentUti, category: 'problem-list-item', onset: clock.daysAgo(2 * 365, 10), recorded: clock.daysAgo(2 * 365, 10), recorder: DOCTOR.pcp });
  chart.allergy({ allergen: ALLERGEN.penicillin, category: 'medication', verification: 'confirmed', criticality: 'low', recorded: clock.daysAgo(20 * 365, 10), reactions: [REACTION.rash], severity: 'mild' });

  chart.medication({ drug: DRUG.metformin500, status: 'active', authored: clock.daysAgo(180, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (500 mg) by mouth twice daily with meals', reason: CONDITION.type2Diabetes });
  chart.medication({ drug: DRUG.lisinopril10, status: 'active', authored: clock.daysAgo(180, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (10 mg) by mouth once daily', reason: CONDITION.hypertension });

  // Baseline six months ago.
  const baselineAt = clock.daysAgo(180, 14, 20);
  const baselineCreatinine = 0.9 + random.jitter(0.04);
  chart.panel(PANEL.bmp, baselineAt, [
    [LAB.sodium, 139 + random.jitter(1.5)],
    [LAB.potassium, 4.3 + random.jitter(0.2)],
    [LAB.chloride, 102 + random.jitter(2)],
    [LAB.bicarbonate, 25 + random.jitter(1)],
    [LAB.urea, 17 + random.jitter(2)],
    [LAB.creatinine, baselineCreatinine],
    [LAB.glucose, 148 + random.jitter(10)],
    [LAB.calcium, 9.3 + random.jitter(0.2)],
    [LAB.egfr, egfrCkdEpi2021(baselineCreatinine, ageAt(birthDate, baselineAt), 'female')],
  ]);
  chart.panel(PANEL.cbc, baselineAt, [
    [LAB.hemoglobin, 12.9 + random.jitter(0.2)],
    [LAB.wbc, 7.1 + random.jitter(0.6)],
    [LAB.platelets, 236 + random.jitter(15)],
  ]);
  chart.lab(LAB.hba1c, 7.4 + random.jitter(0.1), baselineAt);
  const clinic = chart.encounter({ cls: 'AMB', type: ENCOUNTER_TYPE.followUp, start: baselineAt + 2 * 86_400_000, end: baselineAt + 2 * 86_400_000 + 20 * 60_000, practitioner: DOCTOR.pcp });
  chart.bloodPressure(134 + random.jitter(4), 78 + random.jitter(3), baselineAt + 2 * 86_400_000 + 5 * 60_000, { encounter: clinic });

  // Tonight: brought in by her daughter at 03:05.
  const ed = chart.encounter({ cls: 'EMER', type: ENCOUNTER_TYPE.emergency, start: clock.at(3, 5), practitioner: DOCTOR.emergency, reason: CONDITION.urinaryTractInfection, slug: 'ed-today' });
  // Triage charted the temperature in Fahrenheit; later readings are Celsius.
  chart.vital(VITAL.temperatureF, 102.6 + random.jitter(0.1), clock.at(3, 10), { encounter: ed, slug: 'temp-degf' });
  const vitals = [
    { h: 3, m: 10, sys: 88, dia: 52, hr: 118, rr: 26, spo2: 93 },
    { h: 4, m: 30, sys: 92, dia: 56, hr: 112, rr: 24, spo2: 94, temp: 38.9 },
    { h: 6, m: 0, sys: 97, dia: 60, hr: 106, rr: 23, spo2: 95, temp: 38.4 },
  ];
  for (const v of vitals) {
    const at = clock.at(v.h, v.m);
    chart.bloodPressure(v.sys + random.jitter(1.5), v.dia + random.jitter(2), at, { encounter: ed });
    chart.vital(VITAL.heartRate, v.hr + random.jitter(2), at, { encounter: ed });
    chart.vital(VITAL.respiratoryRate, v.rr, at, { encounter: ed });
    chart.vital(VITAL.oxygenSaturation, v.spo2, at, { encounter: ed });
    if (v.temp) chart.vital(VITAL.temperature, v.temp + random.jitter(0.1), at, { encounter: ed });
  }

  const drawAt = clock.at(3, 30);
  const creatinine = 1.6 + random.jitter(0.05);
  chart.lab(LAB.lactate, 3.8 + random.jitter(0.1), drawAt, { encounter: ed, turnaround: 15, slug: 'lactate-1' });
  chart.panel(
    PANEL.cbc,
    drawAt,
    [
      [LAB.hemoglobin, 12.4 + random.jitter(0.2)],
      [LAB.wbc, 18.6 + random.jitter(0.4)],
      [LAB.neutrophils, 16.1 + random.jitter(0.3)],
      [LAB.platelets, 168 + random.jitter(10)],
    ],
    { encounter: ed, turnaround: 40 },
  );
  chart.panel(
    PANEL.bmp,
    drawAt,
    [
      [LAB.sodium, 134 + random.jitter(1)],
      [LAB.potassium, 4.6 + random.jitter(0.2)],
      [LAB.chloride, 99 + random.jitter(2)],
      [LAB.bicarbonate, 18 + random.jitter(1)],
      [LAB.urea, 34 + random.jitter(2)],
      [LAB.creatinine, creatinine],
      [LAB.glucose, 248 + random.jitter(10)],
      [LAB.calcium, 8.8 + random.jitter(0.2)],
      [LAB.egfr, egfrCkdEpi2021(creatinine, ageAt(birthDate, drawAt), 'female')],
    ],
    { encounter: ed, turnaround: 40 },
  );
  chart.lab(LAB.crp, 186 + random.jitter(8), drawAt, { encounter: ed, turnaround: 60 });
  chart.lab(LAB.procalcitonin, 8.4 + random.jitter(0.3), drawAt, { encounter: ed, turnaround: 90 });
  const ua = [
    chart.codedLab(QUALITATIVE.leukocyteEsterase, RESULT.positive, clock.at(3, 45), { encounter: ed, abnormal: true, turnaround: 5 }),
    chart.codedLab(QUALITATIVE.nitrite, RESULT.positive, clock.at(3, 45), { encounter: ed, abnormal: true, turnaround: 5 }),
  ];
  chart.report(PANEL.urinalysis, clock.at(3, 45), ua, { encounter: ed, turnaround: 5, conclusion: 'Pyuria and nitrites: consistent with urinary infection. Culture sent.' });
  chart.lab(LAB.lactate, 2.9 + random.jitter(0.1), clock.at(6, 30), { encounter: ed, turnaround: 15, slug: 'lactate-2' });

  // A diagnosis picked in error at triage and withdrawn once the urinalysis came back.
  chart.condition({ code: CONDITION.pneumonia, category: 'encounter-diagnosis', verification: 'entered-in-error', onset: clock.at(3, 0), recorded: clock.at(3, 50), recorder: DOCTOR.emergency, encounter: ed, slug: 'pneumonia-eie' });
  chart.condition({ code: CONDITION.urinaryTractInfection, category: 'encounter-diagnosis', verification: 'confirmed', onset: clock.daysAgo(2, 12), recorded: clock.at(4, 5), recorder: DOCTOR.emergency, encounter: ed });

  chart.medication({ drug: DRUG.ceftriaxone1g, status: 'active', category: 'inpatient', authored: clock.at(4, 10), requester: DOCTOR.emergency, encounter: ed, dosage: '1 g intravenously every 24 hours', reason: CONDITION.urinaryTractInfection });
  chart.medication({ drug: DRUG.acetaminophen500, status: 'completed', category: 'inpatient', authored: clock.at(3, 40), end: clock.at(3, 45), requester: DOCTOR.emergency, encounter: ed, dosage: 'Give 2 tablets (1000 mg) by mouth once' });

  chart.note({
    type: NOTE_TYPE.emergency,
    title: 'ED provider note',
    at: clock.at(4, 20),
    author: DOCTOR.emergency,
    encounter: ed,
    text: [
      'History via daughter (Arabic interpreter by phone).',
      '71-year-old woman with diabetes and recurrent UTIs. Two days of dysuria and frequency, since yesterday fevers, rigors, vomiting, and new confusion.',
      'Triage: T 102.6 F, HR 118, RR 26, BP 88/52, SpO2 93 % on room air.',
      'Exam: drowsy but rousable, oriented to person only. Dry mucosa. Right costovertebral angle tenderness. Chest clear.',
      'Labs: WBC 18.6, lactate 3.8, creatinine 1.6 (baseline 0.9), glucose 248. Urine dipstick: leukocytes and nitrites positive.',
      'Initial impression of pneumonia withdrawn: chest clear, urine source evident.',
      'Plan: blood and urine cultures, 30 mL/kg crystalloid, ceftriaxone, hold metformin and lisinopril, repeat lactate.',
    ].join('\n'),
  });

  return {
    key: 'sepsis',
    scenario: 'Sepsis from a urinary source in the ED',
    summary:
      'A 71-year-old woman with diabetes arrives confused with fever, heart rate 118, respiratory rate 26, systolic BP 88, lactate 3.8 and WBC 18.6 from a urinary source; the chart says only "urinary tract infection".',
    patientId: chart.patientId,
    encounterId: ed,
    practitionerId: DOCTOR.emergency,
    labels: labelsFor(CONDITION.sepsis, CONDITION.urinaryTractInfection),
    resources: chart.resources,
  };
}
