import { ageAt, DAY } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { creatinineForEgfr, egfrCkdEpi2009, egfrCkdEpi2021 } from '../kidney.ts';
import { ALLERGEN, CONDITION, DRUG, ENCOUNTER_TYPE, LAB, LANGUAGE, NOTE_TYPE, PANEL, REACTION, RACE, ETHNICITY, VITAL } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

/** Days before the as-of day of each outpatient blood draw, oldest first (~5.5 years). */
const DRAWS = [2010, 1855, 1700, 1545, 1390, 1235, 1080, 925, 770, 615, 460, 305, 150, 3];
/** The lab moved from CKD-EPI 2009 to the race-free 2021 equation (and its LOINC code) here. */
const EQUATION_SWITCH_DAYS_AGO = 900;
const EIE_DRAW = 10;

export function ckdProgression({ clock, random }: ScenarioContext): CohortPatient {
  const chart = new Chart('ckd-01', clock, random, 'male');
  const birthDate = clock.birthDate(67, 143);
  chart.patient({
    mrn: 'CB1000001',
    family: 'Bennett',
    given: ['Harold', 'James'],
    gender: 'male',
    birthDate,
    phone: '+1-555-201-4417',
    email: 'h.bennett@example.com',
    address: { line: ['418 Sycamore Lane'], city: 'Springfield', state: 'IL', postalCode: '62704' },
    language: LANGUAGE.english,
    race: RACE.white,
    ethnicity: ETHNICITY.notHispanic,
    birthSex: 'M',
    generalPractitioner: DOCTOR.pcp,
  });

  chart.condition({ code: CONDITION.hypertension, category: 'problem-list-item', onset: clock.daysAgo(15 * 365 + 40, 10), recorded: clock.daysAgo(15 * 365 + 40, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.type2Diabetes, category: 'problem-list-item', onset: clock.daysAgo(12 * 365 + 100, 10), recorded: clock.daysAgo(12 * 365 + 100, 10), recorder: DOCTOR.pcp });
  chart.condition({ code: CONDITION.hyperlipidemia, category: 'problem-list-item', onset: clock.daysAgo(10 * 365, 10), recorded: clock.daysAgo(10 * 365, 10), recorder: DOCTOR.pcp });
  // The problem list still says 3b although recent eGFRs are stage 4: the list was not updated.
  chart.condition({ code: CONDITION.ckd3b, category: 'problem-list-item', onset: clock.daysAgo(2 * 365 + 20, 10), recorded: clock.daysAgo(2 * 365 + 20, 10), recorder: DOCTOR.pcp, slug: 'ckd3b-stale' });
  chart.condition({ code: CONDITION.kneeOsteoarthritis, category: 'problem-list-item', onset: clock.daysAgo(430, 10), recorded: clock.daysAgo(425, 10), recorder: DOCTOR.pcp });

  chart.allergy({ allergen: ALLERGEN.penicillin, category: 'medication', verification: 'confirmed', criticality: 'low', recorded: clock.daysAgo(12 * 365, 9), reactions: [REACTION.urticaria], severity: 'mild' });

  chart.medication({ drug: DRUG.lisinopril20, status: 'active', authored: clock.daysAgo(212, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (20 mg) by mouth once daily', reason: CONDITION.hypertension });
  chart.medication({ drug: DRUG.metformin1000, status: 'active', authored: clock.daysAgo(305, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (1000 mg) by mouth twice daily with meals', reason: CONDITION.type2Diabetes, slug: 'metformin' });
  chart.medication({ drug: DRUG.atorvastatin40, status: 'active', authored: clock.daysAgo(305, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (40 mg) by mouth at bedtime', reason: CONDITION.hyperlipidemia });
  chart.medication({ drug: DRUG.amlodipine5, status: 'active', authored: clock.daysAgo(3 * 365, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (5 mg) by mouth once daily', reason: CONDITION.hypertension });
  chart.medication({ drug: DRUG.ibuprofen400, status: 'active', authored: clock.daysAgo(425, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (400 mg) by mouth every 8 hours as needed for knee pain', asNeeded: true, reason: CONDITION.kneeOsteoarthritis, slug: 'nsaid' });

  const height = 178;
  let visitId = '';
  DRAWS.forEach((daysAgo, i) => {
    const frac = i / (DRAWS.length - 1);
    const drawAt = clock.daysAgo(daysAgo, 13, 10 + random.int(0, 40));
    const age = ageAt(birthDate, drawAt);
    // Decline accelerates, as it does with heavy albuminuria; endpoints are pinned so the story holds for any seed.
    const endpoint = i === 0 || i === DRAWS.length - 1;
    const targetEgfr = 72 - 44 * frac ** 1.25 + (endpoint ? random.jitter(0.8) : random.jitter(2));
    const creatinine = creatinineForEgfr(targetEgfr, age, 'male');
    const before = daysAgo > EQUATION_SWITCH_DAYS_AGO;
    const egfrTest = before ? LAB.egfrCkdEpi2009 : LAB.egfr;
    const egfrValue = before ? egfrCkdEpi2009(creatinine, age, 'male') : egfrCkdEpi2021(creatinine, age, 'male');
    const potassium = i === DRAWS.length - 1 ? 5.4 + random.jitter(0.05) : 4.4 + 0.8 * frac + random.jitter(0.15);

    chart.panel(PANEL.bmp, drawAt, [
      [LAB.sodium, 139 + random.jitter(2)],
      [LAB.potassium, potassium],
      [LAB.chloride, 103 + random.jitter(2)],
      [LAB.bicarbonate, 25.5 - 5 * frac + random.jitter(1)],
      [LAB.urea, 16 + 24 * frac ** 1.3 + random.jitter(2)],
      [LAB.creatinine, creatinine],
      [LAB.glucose, 150 + random.jitter(20)],
      [LAB.calcium, 9.4 - 0.4 * frac + random.jitter(0.2)],
      [egfrTest, egfrValue],
    ]);
    if (i === EIE_DRAW) {
      // A haemolysed sample first filed against this draw; the lab withdrew it.
      chart.lab(LAB.potassium, 11.8, drawAt, { status: 'entered-in-error', note: 'Result withdrawn: specimen haemolysed and mislabelled. Disregard.', slug: 'potassium-eie' });
    }
    chart.lab(LAB.urineAlbuminCreatinine, 45 * (420 / 45) ** frac * (1 + random.jitter(0.08)), drawAt + 5 * 60_000);
    if (i % 2 === 1 || i === DRAWS.length - 1) chart.lab(LAB.hba1c, 7.1 + 0.5 * frac + random.jitter(0.15), drawAt);
    if (i % 3 === 0 || i === DRAWS.length - 1) {
      chart.panel(PANEL.cbc, drawAt, [
        [LAB.hemoglobin, 14.3 - 2.4 * frac + random.jitter(0.2)],
        [LAB.wbc, 7.2 + random.jitter(1.2)],
        [LAB.platelets, 245 + random.jitter(30)],
        [LAB.mcv, 89 + random.jitter(2)],
      ]);
    }

    const visitAt = i === DRAWS.length - 1 ? clock.at(14, 30) : drawAt + 3 * DAY + 75 * 60_000;
    const today = i === DRAWS.length - 1;
    visitId = chart.encounter({
      cls: 'AMB',
      type: ENCOUNTER_TYPE.followUp,
      start: visitAt,
      ...(today ? {} : { end: visitAt + 25 * 60_000 }),
      practitioner: DOCTOR.pcp,
      reason: CONDITION.ckd3b,
      ...(today ? { slug: 'today' } : {}),
    });
    chart.bloodPressure(138 + 14 * frac + random.jitter(6), 80 + 6 * frac + random.jitter(4), visitAt + 5 * 60_000, { encounter: visitId });
    chart.vital(VITAL.heartRate, 74 + random.jitter(6), visitAt + 5 * 60_000, { encounter: visitId });
    const weight = 94 - 3 * frac + random.jitter(0.8);
    chart.vital(VITAL.weight, weight, visitAt + 6 * 60_000, { encounter: visitId });
    if (i % 4 === 0) {
      chart.vital(VITAL.height, height, visitAt + 6 * 60_000, { encounter: visitId });
      chart.vital(VITAL.bmi, weight / (height / 100) ** 2, visitAt + 6 * 60_000, { encounter: visitId });
    }
  });

  const consultEnc = chart.encounter({ cls: 'AMB', type: ENCOUNTER_TYPE.followUp, start: clock.daysAgo(398, 15), end: clock.daysAgo(398, 16), practitioner: DOCTOR.nephrologist, reason: CONDITION.ckd3b });
  chart.note({
    type: NOTE_TYPE.consult,
    title: 'Nephrology consultation',
    at: clock.daysAgo(398, 16),
    author: DOCTOR.nephrologist,
    encounter: consultEnc,
    text: [
      'NEPHROLOGY CONSULT',
      'Reason: declining eGFR and rising albuminuria in a 66-year-old man with type 2 diabetes and hypertension.',
      'eGFR has fallen from the low 70s to the low 40s over four years; urine albumin/creatinine now ~250 mg/g.',
      'Exam: BP 148/84, trace ankle oedema, no bruits.',
      'Assessment: CKD G3b/A3, most likely diabetic kidney disease with hypertensive component.',
      'Plan:',
      '1. Continue lisinopril 20 mg; recheck potassium and creatinine in 2 weeks.',
      '2. Add an SGLT2 inhibitor if no contraindication.',
      '3. Reduce metformin to 500 mg twice daily now; stop if eGFR falls below 30.',
      '4. Avoid NSAIDs (currently taking ibuprofen for knee pain); use acetaminophen instead.',
      '5. Follow-up in nephrology clinic in 6 months.',
    ].join('\n'),
  });
  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Primary care follow-up',
    at: clock.daysAgo(147, 14, 50),
    author: DOCTOR.pcp,
    text: [
      'Follow-up: diabetes, hypertension, kidney function.',
      'S: Knee pain better with ibuprofen. No chest pain or dyspnoea. Mild fatigue.',
      'O: BP about 150/86. Weight down slightly. Labs reviewed: creatinine up again, potassium at the upper limit of normal.',
      'A/P: CKD progressing. Nephrology advice noted; patient prefers to keep current diabetes regimen for now.',
      'Recheck labs before next visit.',
    ].join('\n'),
  });
  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Progress note',
    at: clock.daysAgo(203, 10),
    author: DOCTOR.pcp,
    status: 'entered-in-error',
    slug: 'wrong-patient',
    text: 'Seen for right wrist sprain after a fall while skiing. X-ray negative. Splint and ice.\n[Filed to the wrong chart; retracted.]',
  });

  return {
    key: 'ckd-progression',
    scenario: 'CKD progressing to stage 4 on metformin and an NSAID',
    summary:
      'A 67-year-old man whose eGFR has fallen from about 70 to below 30 over five years with rising albuminuria and potassium; he still takes full-dose metformin and ibuprofen, and his problem list still says stage 3b.',
    patientId: chart.patientId,
    encounterId: visitId,
    practitionerId: DOCTOR.pcp,
    labels: [...labelsFor(CONDITION.ckd4, CONDITION.diabeticCkd)],
    resources: chart.resources,
  };
}
