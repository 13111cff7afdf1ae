import { ageAt, DAY, HOUR, MINUTE } from '../clock.ts';
import { Chart } from '../chart.ts';
import { DOCTOR } from '../care-team.ts';
import { egfrCkdEpi2009, egfrCkdEpi2021 } from '../kidney.ts';
import { CONDITION, DRUG, ENCOUNTER_TYPE, ETHNICITY, LAB, type LabTest, LANGUAGE, NOTE_TYPE, PANEL, RACE, type VitalSign, VITAL, type Code } from '../terminology.ts';
import { type CohortPatient, labelsFor, type ScenarioContext } from '../types.ts';

/** The record starts this many days before the as-of day (a little over 15 years). */
export const LARGE_HISTORY_DAYS = 5500;
const CLINIC_VISITS = 61;
const HEART_FAILURE_DIAGNOSED = 4380;
const AF_DIAGNOSED = 3650;
const WARFARIN_STOPPED = 2900;
const SPIRONOLACTONE_STARTED = 2190;
const TELEMONITORING_STARTED = 3300;
const EGFR_EQUATION_SWITCH = 900;
const ADMISSIONS = [4000, 2200, 550];
const ADMISSION_DAYS = 4;

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

type Item =
  | { readonly kind: 'lab'; readonly test: LabTest; readonly value: number; readonly panel?: Code }
  | { readonly kind: 'vital'; readonly sign: VitalSign; readonly value: number }
  | { readonly kind: 'bp'; readonly systolic: number; readonly diastolic: number };

interface Group {
  readonly at: number;
  readonly encounter?: string;
  readonly items: Item[];
}

/**
 * Heart failure, atrial fibrillation and diabetes over fifteen years: quarterly clinic visits,
 * three admissions, anticoagulation clinic INRs, then home telemonitoring filling the rest of
 * the requested Observation count. The count is exact for any requested number: clinic and
 * hospital results are planned first (about 1,250), and when fewer are asked for they are thinned
 * evenly so the record still spans fifteen years.
 */
export function largeHistory({ clock, random, largePatientObservations: requested }: ScenarioContext): CohortPatient {
  const total = Math.max(0, Math.floor(requested));
  const chart = new Chart('big-10', clock, random, 'male', Math.max(5, String(total).length));
  const birthDate = clock.birthDate(74, 19);
  chart.patient({
    mrn: 'CB1000010',
    family: 'Kowalski',
    given: ['Robert', 'Stanisław'],
    gender: 'male',
    birthDate,
    phone: '+1-555-201-9044',
    email: 'rkowalski@example.net',
    address: { line: ['3901 Old Jacksonville Rd'], city: 'Springfield', state: 'IL', postalCode: '62711' },
    language: LANGUAGE.english,
    race: RACE.white,
    ethnicity: ETHNICITY.notHispanic,
    birthSex: 'M',
    generalPractitioner: DOCTOR.pcp,
  });

  const problems: Array<[typeof CONDITION.hypertension, number]> = [
    [CONDITION.hypertension, 7300],
    [CONDITION.type2Diabetes, 5600],
    [CONDITION.hyperlipidemia, 5600],
    [CONDITION.systolicHeartFailure, HEART_FAILURE_DIAGNOSED],
    [CONDITION.atrialFibrillation, AF_DIAGNOSED],
    [CONDITION.ckd3a, 1400],
  ];
  for (const [code, daysAgo] of problems) {
    chart.condition({ code, category: 'problem-list-item', onset: clock.daysAgo(daysAgo, 10), recorded: clock.daysAgo(daysAgo, 10), recorder: daysAgo === HEART_FAILURE_DIAGNOSED || daysAgo === AF_DIAGNOSED ? DOCTOR.cardiologist : DOCTOR.pcp });
  }

  chart.medication({ drug: DRUG.metformin500, status: 'active', authored: clock.daysAgo(120, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (500 mg) by mouth twice daily with meals', reason: CONDITION.type2Diabetes });
  chart.medication({ drug: DRUG.atorvastatin40, status: 'active', authored: clock.daysAgo(120, 11), requester: DOCTOR.pcp, dosage: 'Take 1 tablet (40 mg) by mouth at bedtime', reason: CONDITION.hyperlipidemia });
  chart.medication({ drug: DRUG.lisinopril10, status: 'active', authored: clock.daysAgo(120, 11), requester: DOCTOR.cardiologist, dosage: 'Take 1 tablet (10 mg) by mouth once daily', reason: CONDITION.systolicHeartFailure });
  chart.medication({ drug: DRUG.metoprololSuccinate25, status: 'active', authored: clock.daysAgo(120, 11), requester: DOCTOR.cardiologist, dosage: 'Take 1 tablet (25 mg) by mouth once daily', reason: CONDITION.systolicHeartFailure });
  chart.medication({ drug: DRUG.furosemide40, status: 'active', authored: clock.daysAgo(120, 11), requester: DOCTOR.cardiologist, dosage: 'Take 1 tablet (40 mg) by mouth every morning; an extra 40 mg if weight rises 2 kg in 3 days', reason: CONDITION.systolicHeartFailure });
  chart.medication({ drug: DRUG.spironolactone25, status: 'active', authored: clock.daysAgo(SPIRONOLACTONE_STARTED, 11), requester: DOCTOR.cardiologist, dosage: 'Take 1 tablet (25 mg) by mouth once daily', reason: CONDITION.systolicHeartFailure });
  chart.medication({ drug: DRUG.warfarin5, status: 'stopped', authored: clock.daysAgo(AF_DIAGNOSED, 11), end: clock.daysAgo(WARFARIN_STOPPED, 11), statusReason: 'Switched to apixaban', requester: DOCTOR.cardiologist, dosage: 'Take as directed by the anticoagulation clinic (usually 5 mg each evening)', reason: CONDITION.atrialFibrillation });
  chart.medication({ drug: DRUG.apixaban5, status: 'active', authored: clock.daysAgo(WARFARIN_STOPPED, 11), requester: DOCTOR.cardiologist, dosage: 'Take 1 tablet (5 mg) by mouth twice daily', reason: CONDITION.atrialFibrillation });

  const progress = (daysAgo: number): number => (LARGE_HISTORY_DAYS - daysAgo) / LARGE_HISTORY_DAYS;
  /** Fluid gained in the fortnight before each admission. */
  const congestion = (daysAgo: number): number => {
    for (const a of ADMISSIONS) {
      const before = daysAgo - a;
      if (before >= 0 && before < 14) return 1 - before / 14;
    }
    return 0;
  };
  const dryWeight = (daysAgo: number): number => 93 - 7 * progress(daysAgo);
  const inAf = (daysAgo: number): boolean => daysAgo <= AF_DIAGNOSED;
  const heartRate = (daysAgo: number): number => (inAf(daysAgo) ? 78 + random.jitter(14) : 70 + random.jitter(6));

  const bmp = (daysAgo: number, at: number, sick: boolean): Item[] => {
    const creatinine = 1.0 + 0.55 * progress(daysAgo) ** 1.5 + (sick ? 0.35 : 0) + random.jitter(0.06);
    const age = ageAt(birthDate, at);
    const useOld = daysAgo > EGFR_EQUATION_SWITCH;
    const potassium = 4.3 + (daysAgo <= SPIRONOLACTONE_STARTED ? 0.3 : 0) + random.jitter(0.3);
    return [
      { kind: 'lab', test: LAB.sodium, value: (sick ? 133 : 139) + random.jitter(2), panel: PANEL.bmp },
      { kind: 'lab', test: LAB.potassium, value: potassium, panel: PANEL.bmp },
      { kind: 'lab', test: LAB.chloride, value: 102 + random.jitter(2), panel: PANEL.bmp },
      { kind: 'lab', test: LAB.bicarbonate, value: 26 + random.jitter(2), panel: PANEL.bmp },
      { kind: 'lab', test: LAB.urea, value: 18 + 14 * progress(daysAgo) + (sick ? 12 : 0) + random.jitter(3), panel: PANEL.bmp },
      { kind: 'lab', test: LAB.creatinine, value: creatinine, panel: PANEL.bmp },
      { kind: 'lab', test: LAB.glucose, value: 150 + random.jitter(28), panel: PANEL.bmp },
      { kind: 'lab', test: LAB.calcium, value: 9.3 + random.jitter(0.3), panel: PANEL.bmp },
      {
        kind: 'lab',
        test: useOld ? LAB.egfrCkdEpi2009 : LAB.egfr,
        value: useOld ? egfrCkdEpi2009(creatinine, age, 'male') : egfrCkdEpi2021(creatinine, age, 'male'),
        panel: PANEL.bmp,
      },
    ];
  };
  const ntProBnp = (daysAgo: number, sick: boolean): number =>
    sick ? 7000 + random.jitter(1800) : daysAgo > HEART_FAILURE_DIAGNOSED ? 180 + random.jitter(60) : 950 + random.jitter(350);

  // ---- Plan the clinic, hospital and anticoagulation-clinic results.
  const groups: Group[] = [];
  let currentEncounter = '';
  for (let k = 0; k < CLINIC_VISITS; k++) {
    const daysAgo = Math.round(LARGE_HISTORY_DAYS * (1 - k / (CLINIC_VISITS - 1)));
    const today = daysAgo === 0;
    const at = today ? clock.at(9, 15) : clock.daysAgo(daysAgo, 14, random.int(0, 50));
    const encounter = chart.encounter({
      cls: 'AMB',
      type: ENCOUNTER_TYPE.followUp,
      start: at,
      ...(today ? { slug: 'today' } : { end: at + 30 * MINUTE }),
      practitioner: daysAgo <= HEART_FAILURE_DIAGNOSED && k % 2 === 0 ? DOCTOR.cardiologist : DOCTOR.pcp,
    });
    if (today) currentEncounter = encounter;
    const items: Item[] = [
      { kind: 'bp', systolic: 128 + random.jitter(10), diastolic: 76 + random.jitter(6) },
      { kind: 'vital', sign: VITAL.heartRate, value: heartRate(daysAgo) },
      { kind: 'vital', sign: VITAL.weight, value: dryWeight(daysAgo) + random.jitter(0.8) },
      { kind: 'vital', sign: VITAL.oxygenSaturation, value: 96 + random.jitter(1.5) },
      ...bmp(daysAgo, at, false),
    ];
    if (k % 2 === 0) {
      items.push({ kind: 'lab', test: LAB.hba1c, value: 7.2 + random.jitter(0.4) });
      items.push({ kind: 'lab', test: LAB.ntProBnp, value: ntProBnp(daysAgo, false) });
    }
    if (k % 4 === 0) {
      items.push({ kind: 'lab', test: LAB.hemoglobin, value: 14.2 - 1.4 * progress(daysAgo) + random.jitter(0.3), panel: PANEL.cbc });
      items.push({ kind: 'lab', test: LAB.wbc, value: 7 + random.jitter(1.5), panel: PANEL.cbc });
      items.push({ kind: 'lab', test: LAB.platelets, value: 230 + random.jitter(40), panel: PANEL.cbc });
    }
    groups.push({ at, encounter, items });
  }
  for (let daysAgo = AF_DIAGNOSED - 14; daysAgo > WARFARIN_STOPPED; daysAgo -= 28) {
    groups.push({ at: clock.daysAgo(daysAgo, 15, random.int(0, 30)), items: [{ kind: 'lab', test: LAB.inr, value: 2.5 + random.jitter(0.7) }] });
  }
  for (const admittedDaysAgo of ADMISSIONS) {
    const start = clock.daysAgo(admittedDaysAgo, 19, 30);
    const end = start + ADMISSION_DAYS * DAY - 5 * HOUR;
    const encounter = chart.encounter({ cls: 'IMP', type: ENCOUNTER_TYPE.admission, start, end, practitioner: DOCTOR.hospitalist, reason: CONDITION.systolicHeartFailure });
    for (let shift = 0; shift < ADMISSION_DAYS * 3; shift++) {
      const recovering = shift / (ADMISSION_DAYS * 3);
      groups.push({
        at: start + 30 * MINUTE + shift * 8 * HOUR,
        encounter,
        items: [
          { kind: 'bp', systolic: 142 - 16 * recovering + random.jitter(6), diastolic: 84 - 8 * recovering + random.jitter(4) },
          { kind: 'vital', sign: VITAL.heartRate, value: 104 - 26 * recovering + random.jitter(8) },
          { kind: 'vital', sign: VITAL.respiratoryRate, value: 26 - 8 * recovering + random.jitter(1.5) },
          { kind: 'vital', sign: VITAL.oxygenSaturation, value: 90 + 6 * recovering + random.jitter(1) },
          { kind: 'vital', sign: VITAL.temperature, value: 36.8 + random.jitter(0.3) },
        ],
      });
    }
    for (let day = 0; day < ADMISSION_DAYS; day++) {
      const at = start + (day === 0 ? 50 * MINUTE : day * DAY + 11 * HOUR);
      const items: Item[] = [
        { kind: 'vital', sign: VITAL.weight, value: dryWeight(admittedDaysAgo) + 3.5 - day * 1.1 + random.jitter(0.3) },
        ...bmp(admittedDaysAgo, at, day < 2),
      ];
      if (day === 0 || day === ADMISSION_DAYS - 1) items.push({ kind: 'lab', test: LAB.ntProBnp, value: ntProBnp(admittedDaysAgo, day === 0) });
      groups.push({ at, encounter, items });
    }
    chart.note({
      type: NOTE_TYPE.discharge,
      title: 'Discharge summary: decompensated heart failure',
      at: end + 2 * HOUR,
      author: DOCTOR.hospitalist,
      encounter,
      text: [
        `Admitted with ${3 + Math.round(random.next())} days of worsening breathlessness, orthopnoea and ankle swelling; weight up about 3.5 kg.`,
        'Treated with intravenous furosemide with good diuresis; oxygen weaned on day 2.',
        'Creatinine rose modestly with diuresis and settled. Potassium monitored on spironolactone.',
        'Discharge: daily weights with the home telemonitoring kit, furosemide-sliding plan, cardiology clinic in 2 weeks.',
      ].join('\n'),
    });
  }
  groups.sort((a, b) => a.at - b.at);

  const planned = groups.reduce((n, g) => n + g.items.length, 0);
  const keep = new Set<number>();
  if (total < planned) {
    // Thin evenly, always keeping the first and last result so the record still spans fifteen years.
    for (let i = 0; i < total; i++) keep.add(total === 1 ? 0 : Math.round((i * (planned - 1)) / (total - 1)));
  }
  let index = 0;
  for (const group of groups) {
    const panels = new Map<Code, string[]>();
    const opts = group.encounter ? { encounter: group.encounter } : {};
    for (const item of group.items) {
      const kept = total >= planned || keep.has(index);
      index++;
      if (!kept) continue;
      if (item.kind === 'bp') chart.bloodPressure(item.systolic, item.diastolic, group.at, opts);
      else if (item.kind === 'vital') chart.vital(item.sign, item.value, group.at, opts);
      else {
        const id = chart.lab(item.test, item.value, group.at, opts);
        if (item.panel) panels.set(item.panel, [...(panels.get(item.panel) ?? []), id]);
      }
    }
    for (const [panel, ids] of panels) chart.report(panel, group.at, ids, opts);
  }

  // ---- Home telemonitoring fills the remainder: sessions of weight, blood pressure, pulse, SpO2.
  const remaining = Math.max(0, total - planned);
  const perSession = 4;
  const sessions = Math.ceil(remaining / perSession);
  const first = clock.daysAgo(TELEMONITORING_STARTED, 0);
  const span = clock.daysAgo(1, 0) - first;
  let made = 0;
  for (let s = 0; s < sessions; s++) {
    const slot = first + Math.floor(span * (s / sessions));
    // Readings are taken in the morning (07:00-08:30 UTC) or evening (19:00-20:30 UTC).
    const dayStart = Math.floor(slot / DAY) * DAY;
    const at = dayStart + (s % 2 === 0 ? 7 * HOUR : 19 * HOUR) + random.int(0, 90) * MINUTE;
    const daysAgo = (clock.today - at) / DAY;
    const fluid = congestion(daysAgo) * 3.5;
    const readings = Math.min(perSession, remaining - made);
    if (readings > 0) chart.vital(VITAL.weight, dryWeight(daysAgo) + fluid + random.jitter(0.6), at);
    if (readings > 1) chart.bloodPressure(126 + random.jitter(12), 74 + random.jitter(7), at + MINUTE);
    if (readings > 2) chart.vital(VITAL.heartRate, heartRate(daysAgo) + fluid * 3, at + MINUTE);
    if (readings > 3) chart.vital(VITAL.oxygenSaturation, 96 - fluid + random.jitter(1.5), at + 2 * MINUTE);
    made += readings;
  }

  chart.note({
    type: NOTE_TYPE.progress,
    title: 'Cardiology clinic',
    at: clock.daysAgo(366, 15),
    author: DOCTOR.cardiologist,
    text: [
      'HFrEF (EF 30 % on last echo), permanent AF rate-controlled, type 2 diabetes.',
      'NYHA II. Telemonitoring weights stable. On lisinopril, metoprolol succinate, spironolactone, furosemide, apixaban.',
      'Consider switching lisinopril to sacubitril/valsartan and adding an SGLT2 inhibitor; patient wants to discuss cost first.',
    ].join('\n'),
  });

  return {
    key: 'large-history',
    scenario: 'Large record: heart failure, AF and diabetes over 15 years',
    summary: `A 74-year-old man with heart failure with reduced ejection fraction, atrial fibrillation and type 2 diabetes whose fifteen-year record holds ${thousands(total)} observations (clinic, three admissions, home telemonitoring).`,
    patientId: chart.patientId,
    encounterId: currentEncounter,
    practitionerId: DOCTOR.cardiologist,
    labels: labelsFor(CONDITION.systolicHeartFailure, CONDITION.atrialFibrillation, CONDITION.type2Diabetes),
    resources: chart.resources,
  };
}
