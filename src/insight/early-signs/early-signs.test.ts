import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSeries, readObservations } from '../../chart/observations.ts';
import type { Medication, PatientChart, Problem } from '../../chart/types.ts';
import { REFERENCES } from '../reference-engine/references.ts';
import { detectEarlySigns, EARLY_SIGN_RULES } from './index.ts';

const LOINC = 'http://loinc.org';
const AS_OF = '2026-11-25T12:00:00Z';
const EGFR = '98979-8';
const HBA1C = '4548-4';
const HB = '718-7';
const CREATININE = '2160-0';
const GLUCOSE_FASTING = '1558-6';

let seq = 0;
/** A FHIR Observation `daysAgo` before the as-of day. */
function obs(code: string, value: number, unit: string, daysAgo: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const time = new Date(Date.parse(AS_OF) - daysAgo * 86_400_000).toISOString();
  return {
    resourceType: 'Observation',
    id: `o${++seq}`,
    status: 'final',
    code: { coding: [{ system: LOINC, code }] },
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    effectiveDateTime: time,
    ...extra,
  };
}

interface ChartInput {
  readonly observations: readonly Record<string, unknown>[];
  readonly age?: number;
  readonly gender?: 'male' | 'female';
  readonly problems?: readonly Problem[];
  readonly medications?: readonly Medication[];
}

/** A chart built the way the loader builds it: Observations read and merged into series. */
function chart({ observations, age = 60, gender = 'male', problems = [], medications = [] }: ChartInput): PatientChart {
  const labs = readObservations(observations.filter((o) => !['8480-6', '8462-4', '85354-9'].includes((o.code as { coding: { code: string }[] }).coding[0]!.code)), 'laboratory');
  const vitals = readObservations(observations.filter((o) => ['85354-9'].includes((o.code as { coding: { code: string }[] }).coding[0]!.code)), 'vital-signs');
  const ready = { status: 'ready', skipped: 0, truncated: false } as const;
  return {
    fhirBase: 'https://ehr.example/fhir',
    asOf: AS_OF,
    patient: { reference: 'Patient/p1', name: 'Test', ageYears: age, gender, deceased: false },
    problems,
    series: buildSeries([...labs.points, ...vitals.points]),
    textResults: [],
    medications,
    allergies: [],
    notes: [],
    reports: [],
    sections: { patient: ready, encounter: ready, problems: ready, vitals: ready, labs: ready, medications: ready, allergies: ready, notes: ready, reports: ready },
  };
}

function bp(systolic: number, diastolic: number, daysAgo: number): Record<string, unknown> {
  const time = new Date(Date.parse(AS_OF) - daysAgo * 86_400_000).toISOString();
  return {
    resourceType: 'Observation',
    id: `bp${++seq}`,
    status: 'final',
    category: [{ coding: [{ code: 'vital-signs' }] }],
    code: { coding: [{ system: LOINC, code: '85354-9' }] },
    effectiveDateTime: time,
    component: [
      { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: systolic, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: diastolic, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
    ],
  };
}

const problem = (display: string, code: string): Problem => ({ reference: `Condition/${code}`, display, codes: [{ system: 'http://snomed.info/sct', code }], clinicalStatus: 'active' });
const ids = (c: PatientChart): string[] => detectEarlySigns(c).map((s) => s.id);
const egfr = (values: readonly number[], everyDays = 365): Record<string, unknown>[] => values.map((v, i) => obs(EGFR, v, 'mL/min/{1.73_m2}', (values.length - 1 - i) * everyDays));

describe('early-sign rules', () => {
  test('at least 15 rules, each cited only from the checked reference list', () => {
    assert.ok(EARLY_SIGN_RULES.length >= 15, `${EARLY_SIGN_RULES.length} rules`);
    assert.equal(new Set(EARLY_SIGN_RULES.map((r) => r.id)).size, EARLY_SIGN_RULES.length);
    const known = new Set(Object.values(REFERENCES).map((r) => r.title));
    const c = chart({ observations: [...egfr([72, 64, 55, 47, 38]), obs(HBA1C, 6.7, '%', 200), obs(HBA1C, 6.9, '%', 10), obs(HB, 10.9, 'g/dL', 100), obs(HB, 10.6, 'g/dL', 5)] });
    const signs = detectEarlySigns(c);
    assert.ok(signs.length >= 4);
    for (const s of signs) assert.ok(known.has(s.citation.title), `${s.id} cites ${s.citation.title}`);
  });

  test('eGFR decline per year against KDIGO rapid progression, with its window and the points used', () => {
    const c = chart({ observations: egfr([72, 64, 55, 47, 38]), problems: [problem('Chronic kidney disease stage 3B', '700379002')] });
    const sign = detectEarlySigns(c).find((s) => s.id === 'egfr-rapid-decline');
    assert.ok(sign);
    assert.ok(sign.figure.value < -8 && sign.figure.value > -9, `slope ${sign.figure.value}`);
    assert.match(sign.figure.text, /a year over 4 years/);
    assert.equal(sign.series[0]!.used.length, 5);
    assert.match(sign.criterion, /more than 5/);
    assert.ok(sign.confirm.length && sign.refute.length);
    // The recorded stage 3b is milder than the last two eGFRs (47 and 38 → G3b, then…) only once both are G4.
    assert.ok(!ids(c).includes('ckd-stage-outdated'));
  });

  test('a single low eGFR at the end is not a decline, and one outlier in the middle does not make one', () => {
    assert.ok(!ids(chart({ observations: egfr([72, 71, 73, 72, 40]) })).includes('egfr-rapid-decline'));
    assert.ok(!ids(chart({ observations: egfr([72, 71, 30, 72, 71]) })).includes('egfr-rapid-decline'));
    assert.ok(!ids(chart({ observations: egfr([72, 71, 73, 72, 40]) })).includes('ckd-unrecorded'));
  });

  test('two HbA1c ≥ 6.5 % is the diabetes criterion; one is not', () => {
    assert.ok(ids(chart({ observations: [obs(HBA1C, 6.7, '%', 200), obs(HBA1C, 6.9, '%', 10)] })).includes('diabetes-unrecorded'));
    assert.ok(!ids(chart({ observations: [obs(HBA1C, 5.4, '%', 200), obs(HBA1C, 7.1, '%', 10)] })).includes('diabetes-unrecorded'));
    // Discordant: high then back to normal.
    assert.ok(!ids(chart({ observations: [obs(HBA1C, 6.8, '%', 200), obs(HBA1C, 6.6, '%', 100), obs(HBA1C, 5.6, '%', 10)] })).includes('diabetes-unrecorded'));
    // Recorded diabetes: nothing missing from the problem list.
    assert.ok(!ids(chart({ observations: [obs(HBA1C, 6.7, '%', 200), obs(HBA1C, 6.9, '%', 10)], problems: [problem('Type 2 diabetes mellitus', '44054006')] })).includes('diabetes-unrecorded'));
  });

  test('an entered-in-error value never counts', () => {
    const c = chart({ observations: [obs(HBA1C, 6.7, '%', 200), obs(HBA1C, 9.9, '%', 10, { status: 'entered-in-error' }), obs(HBA1C, 5.5, '%', 5)] });
    assert.ok(!ids(c).includes('diabetes-unrecorded'));
    const k = chart({ observations: [obs('2823-3', 4.4, 'mmol/L', 20), obs('2823-3', 7.9, 'mmol/L', 10, { status: 'entered-in-error' }), obs('2823-3', 7.8, 'mmol/L', 2, { status: 'entered-in-error' })] });
    assert.ok(!ids(k).includes('hyperkalaemia'));
  });

  test('a unit change is not a rise: creatinine in µmol/L beside mg/dL, glucose in mmol/L beside mg/dL', () => {
    const creat = chart({ observations: [obs(CREATININE, 1.0, 'mg/dL', 300), obs(CREATININE, 1.05, 'mg/dL', 200), obs(CREATININE, 90, 'umol/L', 100), obs(CREATININE, 92, 'umol/L', 10)] });
    assert.ok(!ids(creat).includes('creatinine-rise'));
    const glucose = chart({ observations: [obs(GLUCOSE_FASTING, 95, 'mg/dL', 300), obs(GLUCOSE_FASTING, 5.3, 'mmol/L', 100), obs(GLUCOSE_FASTING, 5.4, 'mmol/L', 10)] });
    assert.deepEqual(ids(glucose), []);
    // The same values in mmol/L that are in range do count once converted.
    const high = chart({ observations: [obs(GLUCOSE_FASTING, 7.4, 'mmol/L', 100), obs(GLUCOSE_FASTING, 133, 'mg/dL', 10)] });
    assert.ok(ids(high).includes('diabetes-unrecorded'));
  });

  test('BP above target at 3 or more visits; two visits or a normal latest visit are not enough', () => {
    assert.ok(ids(chart({ observations: [bp(152, 96, 300), bp(148, 94, 200), bp(158, 99, 100), bp(150, 95, 5)] })).includes('hypertension-unrecorded'));
    assert.ok(!ids(chart({ observations: [bp(152, 96, 300), bp(118, 76, 200), bp(158, 99, 5)] })).includes('hypertension-unrecorded'));
    assert.ok(!ids(chart({ observations: [bp(152, 96, 300), bp(148, 94, 200), bp(158, 99, 100), bp(120, 76, 5)] })).includes('hypertension-unrecorded'));
  });

  test('CKD by labs for more than 3 months with no CKD on the list; less than 3 months is not CKD', () => {
    const sign = detectEarlySigns(chart({ observations: egfr([52, 50, 48], 60) })).find((s) => s.id === 'ckd-unrecorded');
    assert.ok(sign);
    assert.equal(sign.unrecorded, true);
    assert.ok(sign.condition.codes.some((c) => c.code === '700378005'));
    assert.ok(!ids(chart({ observations: egfr([52, 50], 30) })).includes('ckd-unrecorded'));
  });

  test('anaemia by sex-specific thresholds: 12.5 g/dL is anaemia in a man, not in a woman', () => {
    const hb = [obs(HB, 12.5, 'g/dL', 100), obs(HB, 12.4, 'g/dL', 5)];
    const sign = detectEarlySigns(chart({ observations: hb, gender: 'male' })).find((s) => s.id === 'anaemia-unrecorded');
    assert.ok(sign);
    // The lab sent no range, so the sparkline's band is the threshold for a man.
    assert.equal(sign.series[0]!.referenceRange?.low, 13);
    assert.ok(!ids(chart({ observations: hb, gender: 'female' })).includes('anaemia-unrecorded'));
  });

  test('pregnancy charted (serum hCG) lowers the anaemia threshold to 11 g/dL', () => {
    const hcg = obs('21198-7', 5200, 'm[IU]/mL', 10);
    const mild = [obs(HB, 11.5, 'g/dL', 60), obs(HB, 11.4, 'g/dL', 5)];
    assert.ok(ids(chart({ observations: mild, age: 30, gender: 'female' })).includes('anaemia-unrecorded'));
    assert.ok(!ids(chart({ observations: [...mild, hcg], age: 30, gender: 'female' })).includes('anaemia-unrecorded'));
    assert.ok(ids(chart({ observations: [obs(HB, 10.6, 'g/dL', 60), obs(HB, 10.4, 'g/dL', 5), hcg], age: 30, gender: 'female' })).includes('anaemia-unrecorded'));
  });

  test('a pregnancy in the results while an ACE inhibitor is active is raised, and says the problem list lacks it', () => {
    const hcg = [obs('21198-7', 5200, 'm[IU]/mL', 10)];
    const lisinopril: Medication = { reference: 'MedicationRequest/lis', display: 'lisinopril 10 MG Oral Tablet', codes: [], status: 'active' };
    const sign = detectEarlySigns(chart({ observations: hcg, age: 31, gender: 'female', medications: [lisinopril] })).find((x) => x.id === 'pregnancy-ras-blocker');
    assert.ok(sign?.unrecorded && sign.cantMiss);
    assert.ok(sign.references.includes('MedicationRequest/lis'));
    assert.ok(!ids(chart({ observations: hcg, age: 31, gender: 'female' })).includes('pregnancy-ras-blocker'));
  });

  test('eGFR computed with CKD-EPI 2021 when only creatinine is charted', () => {
    const creat = [2.0, 2.05, 2.1].map((v, i) => obs(CREATININE, v, 'mg/dL', (2 - i) * 100));
    const sign = detectEarlySigns(chart({ observations: creat, age: 70, gender: 'male' })).find((s) => s.id === 'ckd-unrecorded');
    assert.ok(sign);
    assert.match(sign.why, /CKD-EPI 2021/);
    assert.ok(sign.condition.codes.some((c) => c.code === '700379002'), 'stage G3b at about 33–35');
  });

  test('rare patterns carry a base rate and the discriminating test', () => {
    const adrenal = chart({
      observations: [obs('2951-2', 127, 'mmol/L', 1), obs('2823-3', 5.9, 'mmol/L', 1), obs('2143-6', 2.1, 'ug/dL', 1)],
      age: 45,
      gender: 'female',
    });
    const sign = detectEarlySigns(adrenal).find((s) => s.id === 'adrenal-insufficiency-pattern');
    assert.ok(sign);
    assert.ok(sign.cantMiss);
    assert.match(sign.rarity ?? '', /1 in 10,000/);
    assert.ok(sign.confirm.some((c) => /ACTH/.test(c)));
    // Low sodium and high potassium alone (a drug or kidney cause is commoner) do not raise it.
    assert.ok(!ids(chart({ observations: [obs('2951-2', 131, 'mmol/L', 1), obs('2823-3', 5.6, 'mmol/L', 1)] })).includes('adrenal-insufficiency-pattern'));
    const iron = chart({ observations: [obs('2276-4', 820, 'ng/mL', 200), obs('2276-4', 900, 'ng/mL', 10), obs('2502-3', 62, '%', 10)] });
    const hh = detectEarlySigns(iron).find((s) => s.id === 'iron-overload');
    assert.ok(hh?.rarity);
    assert.ok(hh.confirm.some((c) => /HFE/.test(c)));
  });

  test('a sign points at the chart facts it used', () => {
    const c = chart({ observations: [obs(HBA1C, 6.7, '%', 200), obs(HBA1C, 6.9, '%', 10)] });
    const sign = detectEarlySigns(c).find((s) => s.id === 'diabetes-unrecorded')!;
    const refs = c.series[HBA1C]!.points.map((p) => p.reference);
    assert.deepEqual([...sign.references].sort(), [...refs].sort());
    assert.ok(sign.references.every((r) => r.startsWith('Observation/')));
  });
});
