import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { ALLERGEN, CONDITION, DRUG, ENCOUNTER_TYPE, ETHNICITY, FINDING, LAB, LANGUAGE, NOTE_TYPE, PANEL, RACE, REACTION, SOCIAL, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

/** Serial high-sensitivity troponin I: 0 h, 1 h, 3 h after the first draw (UTC times on the as-of day). */
const TROPONIN = [
  { hour: 6, minute: 40, value: 14 },
  { hour: 7, minute: 40, value: 48 },
  { hour: 9, minute: 40, value: 162 },
] as const;

export function chestPainTroponin({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('acs-04', clock, random, 'male');
  chart.patient({
    mrn: 'CB1000004',
    family: "O'Connor",
    given: ['James', 'Patrick'],
    gender: 'male',
    birthDate: clock.birthDate(58, 290),
    phone: '+1-555-201-8812',
    address: { line: ['9 Quarry Road'], city: 'Chatham', state: 'IL', postalCode: '62629' },
    language: LANGUAGE.english,
    race: RACE.white,
    ethnicity: ETHNICITY.notHispanic,
    birthSex: 'M',
    generalPractitioner: DOCTOR.pcp,
  });

  chart.condition({ code: CONDITION.hypertension, category: 'problem-list-item', onset: clock.daysAgo(8 * 365, 10), recorded: clock.daysAgo(8 * 365, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.hyperlipidemia, category: 'problem-list-item', onset: clock.daysAgo(5 * 365, 10), recorded: clock.daysAgo(5 * 365, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.nicotineDependence, category: 'problem-list-item', onset: clock.daysAgo(38 * 365, 10), recorded: clock.daysAgo(8 * 365, 10), recorder: DOCTOR.pcp });
  chart.allergy({ allergen: ALLERGEN.codeine, category: 'medication', verification: 'confirmed', criticality: 'low', recorded: clock.daysAgo(6 * 365, 10), reactions: [REACTION.nausea], severity: 'mild' });

  chart.medication({ drug: DRUG.amlodipine5, status: 'active', authored: clock.daysAgo(380, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (5 mg) by mouth once daily', reason: CONDITION.hypertension });
  chart.medication({
    drug: DRUG.atorvastatin40,
    status: 'stopped',
    authored: clock.daysAgo(5 * 365, 11),
    end: clock.daysAgo(3 * 365, 11),
    statusReason: 'Patient stopped: muscle aches; declined alternative statin',
    requester: DOCTOR.pcp,
    dosage: 'Take 1 tablet (40 mg) by mouth at bedtime',
    reason: CONDITION.hyperlipidemia,
  });

  // Last year's annual visit: the risk factors.
  const annualAt = clock.daysAgo(380, 15);
  const annual = chart.encounter({ cls: 'AMB', type: ENCOUNTER_TYPE.checkUp, start: annualAt, end: annualAt + 30 * 60_000, practitioner: DOCTOR.pcp });
  chart.bloodPressure(146 + random.jitter(3), 92 + random.jitter(2), annualAt + 5 * 60_000, { encounter: annual });
  chart.vital(VITAL.weight, 97 + random.jitter(1), annualAt + 5 * 60_000, { encounter: annual });
  chart.vital(VITAL.bmi, 30.6 + random.jitter(0.3), annualAt + 5 * 60_000, { encounter: annual });
  chart.social(SOCIAL.smokingStatus, { code: FINDING.smokesDaily }, annualAt + 8 * 60_000, { encounter: annual });
  chart.panel(PANEL.lipids, annualAt - 3 * 86_400_000, [
    [LAB.cholesterol, 242 + random.jitter(6)],
    [LAB.hdl, 36 + random.jitter(2)],
    [LAB.ldl, 168 + random.jitter(5)],
    [LAB.triglycerides, 190 + random.jitter(12)],
  ]);
  chart.lab(LAB.hba1c, 5.8 + random.jitter(0.1), annualAt - 3 * 86_400_000);

  // Today in the emergency department: pain began around 04:10, arrival 06:12.
  const ed = chart.encounter({ cls: 'EMER', type: ENCOUNTER_TYPE.emergency, start: clock.at(6, 12), practitioner: DOCTOR.emergency, reason: CONDITION.chestPain, slug: 'ed-today' });
  chart.condition({ code: CONDITION.chestPain, category: 'encounter-diagnosis', verification: 'provisional', onset: clock.at(4, 10), recorded: clock.at(6, 30), recorder: DOCTOR.emergency, encounter: ed });
  chart.social(SOCIAL.smokingStatus, { code: FINDING.smokesDaily }, clock.at(6, 20), { encounter: ed });

  const vitals = [
    { h: 6, m: 15, sys: 156, dia: 94, hr: 96, rr: 18, spo2: 97 },
    { h: 8, m: 0, sys: 142, dia: 88, hr: 88, rr: 16, spo2: 98 },
    { h: 10, m: 0, sys: 138, dia: 84, hr: 84, rr: 16, spo2: 98 },
  ];
  for (const v of vitals) {
    const at = clock.at(v.h, v.m);
    chart.bloodPressure(v.sys + random.jitter(3), v.dia + random.jitter(2), at, { encounter: ed });
    chart.vital(VITAL.heartRate, v.hr + random.jitter(3), at, { encounter: ed });
    chart.vital(VITAL.respiratoryRate, v.rr, at, { encounter: ed });
    chart.vital(VITAL.oxygenSaturation, v.spo2, at, { encounter: ed });
  }
  chart.vital(VITAL.temperature, 36.8 + random.jitter(0.1), clock.at(6, 15), { encounter: ed });

  const firstDraw = clock.at(6, 40);
  chart.panel(
    PANEL.bmp,
    firstDraw,
    [
      [LAB.sodium, 139 + random.jitter(1.5)],
      [LAB.potassium, 4.1 + random.jitter(0.2)],
      [LAB.chloride, 102 + random.jitter(2)],
      [LAB.bicarbonate, 24 + random.jitter(1.5)],
      [LAB.urea, 15 + random.jitter(2)],
      [LAB.creatinine, 1.0 + random.jitter(0.06)],
      [LAB.glucose, 142 + random.jitter(6)],
      [LAB.calcium, 9.4 + random.jitter(0.2)],
      [LAB.egfr, 86 + random.jitter(3)],
    ],
    { encounter: ed, turnaround: 40 },
  );
  chart.panel(
    PANEL.cbc,
    firstDraw,
    [
      [LAB.hemoglobin, 15.1 + random.jitter(0.3)],
      [LAB.wbc, 9.2 + random.jitter(0.8)],
      [LAB.platelets, 255 + random.jitter(20)],
    ],
    { encounter: ed, turnaround: 40 },
  );
  TROPONIN.forEach((t, i) => {
    chart.lab(LAB.troponinHs, t.value + random.jitter(i === 0 ? 1 : 3), clock.at(t.hour, t.minute), { encounter: ed, turnaround: 35, slug: `troponin-${i}h` });
  });

  chart.medication({ drug: DRUG.aspirin81Chewable, status: 'completed', category: 'inpatient', authored: clock.at(6, 30), end: clock.at(6, 35), requester: DOCTOR.emergency, encounter: ed, dosage: 'Chew 4 tablets (324 mg) once now', reason: CONDITION.chestPain });
  chart.medication({ drug: DRUG.nitroglycerinSpray, status: 'active', category: 'inpatient', authored: clock.at(6, 35), requester: DOCTOR.emergency, encounter: ed, dosage: '1 spray (0.4 mg) under the tongue every 5 minutes as needed for chest pain, maximum 3 doses', asNeeded: true, reason: CONDITION.chestPain });

  chart.note({
    type: NOTE_TYPE.emergency,
    title: 'ED provider note',
    at: clock.at(7, 25),
    author: DOCTOR.emergency,
    encounter: ed,
    text: [
      'CC: chest pain.',
      "HPI: 58-year-old man, smoker, with hypertension and untreated hyperlipidaemia. Central pressure-like chest pain at rest from about 04:10, radiating to the left arm, with sweating and nausea. Partly eased after aspirin and one nitroglycerin spray. Father had an MI at 54.",
      'Exam: diaphoretic on arrival, BP 156/94, HR 96, lungs clear, no murmur.',
      'ECG 06:20: sinus rhythm 94/min, 1 mm horizontal ST depression V4-V6, no ST elevation. Repeat ECG 07:00 unchanged.',
      'Initial hs-troponin I 14 ng/L; 1-hour value pending.',
      'Impression: acute coronary syndrome not excluded.',
      'Plan: serial troponin, repeat ECG with any pain, cardiology aware.',
    ].join('\n'),
  });

  return {
    key: 'chest-pain-troponin',
    scenario: 'Chest pain in the ED with a rising troponin',
    summary:
      'A 58-year-old smoker with hypertension and untreated hyperlipidaemia presents with chest pain; hs-troponin I rises from 14 to 48 to 162 ng/L over three hours with lateral ST depression, so NSTEMI is not yet documented.',
    patientId: chart.patientId,
    encounterId: ed,
    practitionerId: DOCTOR.emergency,
    labels: labelsFor(CONDITION.nstemi),
    resources: chart.resources,
  };
}
