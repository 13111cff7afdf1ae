import { DAY, MINUTE, parseAsOf } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { ALLERGEN, CONDITION, DRUG, ENCOUNTER_TYPE, ETHNICITY, LANGUAGE, NOTE_TYPE, REACTION, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

const MONTH = 30.4375 * DAY;

/** Well-child growth: age in months, weight (kg), length/height (cm), head circumference (cm, under 3s), BMI percentile (2 and over). */
const GROWTH = [
  { months: 12, kg: 9.9, cm: 75.5, head: 46.3 },
  { months: 18, kg: 11.1, cm: 81.8, head: 47.4 },
  { months: 24, kg: 12.3, cm: 87.4, head: 48.2, bmiPct: 55 },
  { months: 36, kg: 14.3, cm: 95.6, bmiPct: 58 },
  { months: 48, kg: 16.3, cm: 102.8, bmiPct: 60 },
  { months: 60, kg: 18.4, cm: 109.6, bmiPct: 62 },
  { months: 72, kg: 20.6, cm: 115.9, bmiPct: 63 },
];

export function paediatricAsthma({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('ped-07', clock, random, 'male');
  const birthDate = clock.birthDate(6, 130);
  const born = parseAsOf(birthDate);
  const atAge = (months: number, hour: number): number => Math.floor((born + months * MONTH) / DAY) * DAY + hour * 3_600_000;

  chart.patient({
    mrn: 'CB1000007',
    family: 'Ortega',
    given: ['José', 'Miguel'],
    gender: 'male',
    birthDate,
    phone: '+1-555-201-5150',
    address: { line: ['640 N Grand Ave'], city: 'Springfield', state: 'IL', postalCode: '62702' },
    language: LANGUAGE.spanish,
    ethnicity: ETHNICITY.hispanic,
    birthSex: 'M',
    generalPractitioner: DOCTOR.paediatrician,
  });

  chart.allergy({ allergen: ALLERGEN.peanut, category: 'food', verification: 'confirmed', criticality: 'high', recorded: atAge(20, 15), reactions: [REACTION.urticaria, REACTION.angioedema], severity: 'severe' });

  for (const g of GROWTH) {
    const at = atAge(g.months, 15);
    const visit = chart.encounter({ cls: 'AMB', type: ENCOUNTER_TYPE.checkUp, start: at, end: at + 30 * MINUTE, practitioner: DOCTOR.paediatrician });
    const kg = g.kg + random.jitter(0.15);
    const cm = g.cm + random.jitter(0.4);
    chart.vital(VITAL.weight, kg, at + 5 * MINUTE, { encounter: visit });
    chart.vital(VITAL.height, cm, at + 5 * MINUTE, { encounter: visit });
    if (g.head !== undefined) chart.vital(VITAL.headCircumference, g.head + random.jitter(0.2), at + 5 * MINUTE, { encounter: visit });
    if (g.bmiPct !== undefined) {
      chart.vital(VITAL.bmi, kg / (cm / 100) ** 2, at + 5 * MINUTE, { encounter: visit });
      chart.vital(VITAL.bmiPercentile, g.bmiPct + random.jitter(2), at + 5 * MINUTE, { encounter: visit });
    }
    chart.vital(VITAL.heartRate, 110 - g.months / 2 + random.jitter(5), at + 6 * MINUTE, { encounter: visit });
  }

  // Otitis media at three: treated and resolved.
  const otitisAt = atAge(38, 17);
  const otitisVisit = chart.encounter({ cls: 'AMB', type: ENCOUNTER_TYPE.symptom, start: otitisAt, end: otitisAt + 20 * MINUTE, practitioner: DOCTOR.paediatrician });
  chart.vital(VITAL.temperature, 38.6 + random.jitter(0.2), otitisAt + 5 * MINUTE, { encounter: otitisVisit });
  chart.vital(VITAL.weight, 14.5 + random.jitter(0.1), otitisAt + 5 * MINUTE, { encounter: otitisVisit });
  chart.condition({ code: CONDITION.otitisMedia, category: 'encounter-diagnosis', onset: otitisAt - 2 * DAY, abatement: otitisAt + 12 * DAY, recorded: otitisAt + 10 * MINUTE, recorder: DOCTOR.paediatrician, encounter: otitisVisit });
  chart.medication({ drug: DRUG.amoxicillinSuspension, status: 'completed', authored: otitisAt + 12 * MINUTE, end: otitisAt + 10 * DAY, requester: DOCTOR.paediatrician, encounter: otitisVisit, dosage: 'Give 8 mL (640 mg) by mouth twice daily for 10 days', reason: CONDITION.otitisMedia });

  chart.condition({ code: CONDITION.mildPersistentAsthma, category: 'problem-list-item', onset: atAge(50, 15), recorded: atAge(50, 15), recorder: DOCTOR.paediatrician });
  chart.medication({ drug: DRUG.fluticasoneInhaler, status: 'active', authored: clock.daysAgo(122, 16), requester: DOCTOR.paediatrician, dosage: 'Inhale 2 puffs (88 mcg) twice daily through a spacer with mask; rinse mouth after', reason: CONDITION.mildPersistentAsthma });
  chart.medication({ drug: DRUG.albuterolInhaler, status: 'active', authored: clock.daysAgo(122, 16), requester: DOCTOR.paediatrician, dosage: 'Inhale 2 puffs (180 mcg) through a spacer every 4 hours as needed for wheeze or cough', asNeeded: true, reason: CONDITION.mildPersistentAsthma });

  // Today: wheezy for a day after three days of a cold, reliever every 2 to 3 hours.
  const ed = chart.encounter({ cls: 'EMER', type: ENCOUNTER_TYPE.emergency, start: clock.at(17, 20), practitioner: DOCTOR.paediatrician, reason: CONDITION.asthmaExacerbation, slug: 'ed-today' });
  chart.vital(VITAL.weight, 21.2 + random.jitter(0.1), clock.at(17, 25), { encounter: ed });
  const readings = [
    { h: 17, m: 25, temp: 37.9, hr: 132, rr: 34, spo2: 92 },
    { h: 18, m: 10, hr: 140, rr: 28, spo2: 95 },
  ];
  for (const r of readings) {
    const at = clock.at(r.h, r.m);
    if (r.temp !== undefined) chart.vital(VITAL.temperature, r.temp + random.jitter(0.1), at, { encounter: ed });
    chart.vital(VITAL.heartRate, r.hr + random.jitter(3), at, { encounter: ed });
    chart.vital(VITAL.respiratoryRate, r.rr, at, { encounter: ed });
    chart.vital(VITAL.oxygenSaturation, r.spo2, at, { encounter: ed });
  }
  chart.condition({ code: CONDITION.asthmaExacerbation, category: 'encounter-diagnosis', onset: clock.daysAgo(1, 8), recorded: clock.at(17, 45), recorder: DOCTOR.paediatrician, encounter: ed });
  chart.medication({ drug: DRUG.prednisone5, status: 'active', authored: clock.at(18, 20), requester: DOCTOR.paediatrician, encounter: ed, dosage: 'Give 4 tablets (20 mg) by mouth once daily for 3 days; tablets may be crushed into applesauce', reason: CONDITION.asthmaExacerbation });

  chart.note({
    type: NOTE_TYPE.emergency,
    title: 'Paediatric ED note',
    at: clock.at(18, 25),
    author: DOCTOR.paediatrician,
    encounter: ed,
    text: [
      'History from mother (Spanish).',
      '6-year-old boy with mild persistent asthma on inhaled fluticasone. Three days of cold symptoms, wheeze and cough since last night, albuterol every 2-3 hours with partial relief. No fever until today. Known peanut allergy, no exposure.',
      'Exam: moderate subcostal recession, diffuse expiratory wheeze, speaks in short sentences. SpO2 92 % in air, RR 34.',
      'Treatment: albuterol 6 puffs via spacer x3 over an hour; prednisone 20 mg given.',
      'Reassessment 18:10: RR 28, SpO2 95 %, occasional wheeze, talking in sentences.',
      'Plan: home if stable at 4 hours; prednisone 3 days; albuterol every 4 hours; asthma action plan reviewed; follow-up with paediatrician in 2 days.',
    ].join('\n'),
  });

  return {
    key: 'paediatric-asthma',
    scenario: 'Six-year-old with an asthma exacerbation',
    summary:
      'A 6-year-old boy with mild persistent asthma and a severe peanut allergy seen in the emergency department with a viral-triggered exacerbation (SpO2 92 %, RR 34); growth has followed the 55th-63rd BMI centiles since infancy.',
    patientId: chart.patientId,
    encounterId: ed,
    practitionerId: DOCTOR.paediatrician,
    labels: labelsFor(CONDITION.asthmaExacerbation, CONDITION.mildPersistentAsthma),
    resources: chart.resources,
  };
}
