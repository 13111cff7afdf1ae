import { ageAt, DAY, MINUTE } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { CREATININE_UMOL_PER_MGDL, egfrCkdEpi2021 } from '../kidney.ts';
import { type Code, type ConditionCode, CONDITION, DRUG, ENCOUNTER_TYPE, ETHNICITY, LAB, LANGUAGE, NOTE_TYPE, RACE, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';
import type { PractitionerId } from '../care-team.ts';

/** Active orders: twelve drugs, five of them on the AGS Beers list for someone her age. */
const ACTIVE: ReadonlyArray<{ drug: Code; dosage: string; reason?: ConditionCode; daysAgo: number; prn?: boolean; by: PractitionerId }> = [
  { drug: DRUG.apixaban5, dosage: 'Take 1 tablet (5 mg) by mouth twice daily', reason: CONDITION.atrialFibrillation, daysAgo: 2 * 365, by: DOCTOR.cardiologist },
  { drug: DRUG.furosemide40, dosage: 'Take 1 tablet (40 mg) by mouth every morning', reason: CONDITION.heartFailure, daysAgo: 300, by: DOCTOR.cardiologist },
  { drug: DRUG.metoprololTartrate25, dosage: 'Take 1 tablet (25 mg) by mouth twice daily', reason: CONDITION.atrialFibrillation, daysAgo: 300, by: DOCTOR.cardiologist },
  { drug: DRUG.amlodipine5, dosage: 'Take 1 tablet (5 mg) by mouth once daily', reason: CONDITION.hypertension, daysAgo: 400, by: DOCTOR.pcp },
  { drug: DRUG.donepezil10, dosage: 'Take 1 tablet (10 mg) by mouth at bedtime', reason: CONDITION.dementia, daysAgo: 3 * 365, by: DOCTOR.geriatrician },
  { drug: DRUG.omeprazole20, dosage: 'Take 1 tablet (20 mg) by mouth once daily before breakfast', daysAgo: 5 * 365, by: DOCTOR.pcp },
  { drug: DRUG.zolpidem5, dosage: 'Take 1 tablet (5 mg) by mouth at bedtime', reason: CONDITION.insomnia, daysAgo: 2 * 365, by: DOCTOR.pcp },
  { drug: DRUG.diphenhydramine25, dosage: 'Take 1 tablet (25 mg) by mouth at bedtime as needed for sleep', reason: CONDITION.insomnia, daysAgo: 250, prn: true, by: DOCTOR.pcp },
  { drug: DRUG.glyburide5, dosage: 'Take 1 tablet (5 mg) by mouth once daily with breakfast', reason: CONDITION.type2Diabetes, daysAgo: 8 * 365, by: DOCTOR.pcp },
  { drug: DRUG.sertraline50, dosage: 'Take 1 tablet (50 mg) by mouth once daily', reason: CONDITION.depression, daysAgo: 2 * 365, by: DOCTOR.geriatrician },
  { drug: DRUG.alendronate10, dosage: 'Take 1 tablet (10 mg) by mouth once daily, 30 minutes before breakfast, upright', reason: CONDITION.osteoporosis, daysAgo: 4 * 365, by: DOCTOR.pcp },
  { drug: DRUG.acetaminophen500, dosage: 'Take 2 tablets (1000 mg) by mouth every 8 hours as needed for pain; maximum 3000 mg a day', reason: CONDITION.osteoarthritis, daysAgo: 400, prn: true, by: DOCTOR.pcp },
];

const PROBLEMS: ReadonlyArray<{ code: ConditionCode; years: number }> = [
  { code: CONDITION.hypertension, years: 30 },
  { code: CONDITION.type2Diabetes, years: 18 },
  { code: CONDITION.atrialFibrillation, years: 9 },
  { code: CONDITION.heartFailure, years: 6 },
  { code: CONDITION.ckd3b, years: 3 },
  { code: CONDITION.dementia, years: 4 },
  { code: CONDITION.osteoporosis, years: 12 },
  { code: CONDITION.osteoarthritis, years: 20 },
  { code: CONDITION.insomnia, years: 7 },
  { code: CONDITION.depression, years: 2 },
];

/** Creatinine (µmol/L, from the reference lab) and glucose (mg/dL) at each draw, days ago. */
const DRAWS = [
  { daysAgo: 365, creatinine: 97, glucose: 104 },
  { daysAgo: 180, creatinine: 104, glucose: 91 },
  { daysAgo: 60, creatinine: 110, glucose: 62 },
  { daysAgo: 5, creatinine: 113, glucose: 74 },
];

export function nonagenarianPolypharmacy({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('ger-08', clock, random, 'female');
  const birthDate = clock.birthDate(92, 77);
  chart.patient({
    mrn: 'CB1000008',
    family: 'Li',
    given: ['Xiuying'],
    gender: 'female',
    birthDate,
    phone: '+1-555-201-2088',
    address: { line: ['88 Magnolia Terrace'], city: 'Springfield', state: 'IL', postalCode: '62704' },
    language: LANGUAGE.chinese,
    nativeName: { text: '李秀英', family: '李', given: ['秀英'], language: 'zh' },
    race: RACE.asian,
    ethnicity: ETHNICITY.notHispanic,
    birthSex: 'F',
    generalPractitioner: DOCTOR.geriatrician,
  });

  for (const p of PROBLEMS) {
    const at = clock.daysAgo(p.years * 365 + 30, 10);
    chart.condition({ code: p.code, category: 'problem-list-item', onset: at, recorded: at, recorder: DOCTOR.pcp });
  }
  chart.condition({ code: CONDITION.falls, category: 'problem-list-item', onset: clock.daysAgo(150, 10), recorded: clock.daysAgo(60, 12), recorder: DOCTOR.emergency, note: 'Three falls in five months, mostly at night.' });

  for (const m of ACTIVE) {
    chart.medication({ drug: m.drug, status: 'active', authored: clock.daysAgo(m.daysAgo, 11), requester: m.by, dosage: m.dosage, ...(m.reason ? { reason: m.reason } : {}), ...(m.prn ? { asNeeded: true } : {}) });
  }
  chart.medication({
    drug: DRUG.naproxen500,
    status: 'stopped',
    authored: clock.daysAgo(2 * 365, 11),
    end: clock.daysAgo(400, 11),
    statusReason: 'Stopped: dyspepsia; NSAID avoided with anticoagulant',
    requester: DOCTOR.pcp,
    dosage: 'Take 1 tablet (500 mg) by mouth twice daily with food',
    reason: CONDITION.osteoarthritis,
  });
  chart.medication({
    drug: DRUG.warfarin5,
    status: 'entered-in-error',
    authored: clock.daysAgo(30, 10),
    statusReason: 'Ordered on the wrong patient; cancelled by pharmacy',
    requester: DOCTOR.pcp,
    dosage: 'Take 1 tablet (5 mg) by mouth once daily in the evening',
    reason: CONDITION.atrialFibrillation,
    slug: 'warfarin-eie',
  });

  let encounterId = '';
  DRAWS.forEach((d, i) => {
    const last = i === DRAWS.length - 1;
    const drawAt = clock.daysAgo(d.daysAgo, 10, random.int(0, 40));
    const umol = d.creatinine + random.jitter(2);
    chart.lab(LAB.creatinineMolar, umol, drawAt, { slug: `creatinine-umol-${i + 1}` });
    chart.lab(LAB.egfr, egfrCkdEpi2021(umol / CREATININE_UMOL_PER_MGDL, ageAt(birthDate, drawAt), 'female'), drawAt);
    chart.lab(LAB.sodium, 136 + random.jitter(1.5), drawAt);
    chart.lab(LAB.potassium, 4.7 + random.jitter(0.2), drawAt);
    chart.lab(LAB.glucose, d.glucose + random.jitter(2), drawAt);
    chart.lab(LAB.hemoglobin, 11.4 + random.jitter(0.3), drawAt);
    if (i % 2 === 1) chart.lab(LAB.hba1c, 6.0 + random.jitter(0.1), drawAt);

    const fall = i === 2;
    const visitAt = last ? clock.at(10, 30) : fall ? drawAt - 40 * MINUTE : drawAt + 3 * DAY;
    encounterId = chart.encounter({
      cls: fall ? 'EMER' : 'AMB',
      type: fall ? ENCOUNTER_TYPE.emergency : last ? ENCOUNTER_TYPE.followUp : ENCOUNTER_TYPE.checkUp,
      start: visitAt,
      ...(last ? { slug: 'today' } : { end: visitAt + (fall ? 5 * 60 : 40) * MINUTE }),
      practitioner: fall ? DOCTOR.emergency : DOCTOR.geriatrician,
      ...(fall ? { reason: CONDITION.falls } : {}),
    });
    chart.bloodPressure(114 + random.jitter(6), 62 + random.jitter(4), visitAt + 10 * MINUTE, { encounter: encounterId });
    chart.vital(VITAL.heartRate, 56 + random.jitter(3), visitAt + 10 * MINUTE, { encounter: encounterId });
    chart.vital(VITAL.weight, 47.5 - i * 0.4 + random.jitter(0.3), visitAt + 10 * MINUTE, { encounter: encounterId });
    if (fall) {
      chart.note({
        type: NOTE_TYPE.emergency,
        title: 'ED note: fall at home',
        at: visitAt + 3 * 60 * MINUTE,
        author: DOCTOR.emergency,
        encounter: encounterId,
        text: [
          '92-year-old woman found on bedroom floor at 04:00 by her son; got up to the toilet. No head strike reported. Takes zolpidem and diphenhydramine at night.',
          'Drowsy on arrival, capillary glucose low; lab glucose 62 mg/dL. Given juice, improved.',
          'X-ray left wrist: no fracture. Bruising left hip, weight-bearing.',
          'Impression: fall, probably multifactorial (sedatives, nocturia on furosemide, hypoglycaemia on glyburide, bradycardia).',
          'Discharged with son. Recommend medication review with geriatrics.',
        ].join('\n'),
      });
    }
  });

  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Geriatrics clinic',
    at: clock.daysAgo(177, 11),
    author: DOCTOR.geriatrician,
    text: [
      'Seen with son (interpreter: Mandarin). Lives with son; needs help with bathing. MoCA 14/30.',
      'Weight 47 kg. Creatinine 104 µmol/L (reference lab units).',
      'Medication list reviewed: 12 regular or as-needed drugs. Son requests no changes until after family visit.',
      'Plan: revisit sedatives and sulfonylurea at next visit.',
    ].join('\n'),
  });

  return {
    key: 'nonagenarian-polypharmacy',
    scenario: '92-year-old with falls and polypharmacy',
    summary:
      'A 92-year-old woman (47 kg) with dementia, atrial fibrillation and heart failure on twelve medicines including zolpidem, diphenhydramine, glyburide, a long-term PPI and full-dose apixaban, with three recent falls and a hypoglycaemic episode; creatinine is reported in µmol/L.',
    patientId: chart.patientId,
    encounterId,
    practitionerId: DOCTOR.geriatrician,
    labels: labelsFor(CONDITION.falls),
    resources: chart.resources,
  };
}
