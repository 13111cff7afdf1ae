import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSeries, readObservations } from '../../chart/observations.ts';
import type { Allergy, Medication, PatientChart, Problem, TextResult } from '../../chart/types.ts';
import { runInsight } from '../pipeline.ts';
import type { InsightProvider, ModelDifferentialItem, ModelOutput } from '../types.ts';
import { checkTreatment, FitContext } from './index.ts';

const AS_OF = '2026-11-25T12:00:00Z';
let seq = 0;

function obs(code: string, value: number, unit: string, daysAgo: number): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    id: `f${++seq}`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code }] },
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    effectiveDateTime: new Date(Date.parse(AS_OF) - daysAgo * 86_400_000).toISOString(),
  };
}

const med = (display: string): Medication => ({ reference: `MedicationRequest/${display.split(' ')[0]!.toLowerCase()}`, display, codes: [], status: 'active' });
const allergy = (display: string, reactions: string[] = [], criticality?: string): Allergy => ({ reference: `AllergyIntolerance/${display.toLowerCase()}`, display, codes: [], reactions, ...(criticality ? { criticality } : {}) });

interface Input {
  readonly observations?: readonly Record<string, unknown>[];
  readonly age?: number;
  readonly gender?: 'male' | 'female';
  readonly medications?: readonly Medication[];
  readonly allergies?: readonly Allergy[];
  readonly problems?: readonly Problem[];
  readonly textResults?: readonly TextResult[];
}

function chart({ observations = [], age = 60, gender = 'male', medications = [], allergies = [], problems = [], textResults = [] }: Input): PatientChart {
  const ready = { status: 'ready', skipped: 0, truncated: false } as const;
  return {
    fhirBase: 'https://ehr.example/fhir',
    asOf: AS_OF,
    patient: { reference: 'Patient/p1', name: 'Test', ageYears: age, gender, deceased: false },
    problems,
    series: buildSeries(readObservations(observations, 'laboratory').points),
    textResults,
    medications,
    allergies,
    notes: [],
    reports: [],
    sections: { patient: ready, encounter: ready, problems: ready, vitals: ready, labs: ready, medications: ready, allergies: ready, notes: ready, reports: ready },
  };
}

const fit = (c: PatientChart, text: string) => checkTreatment(text, new FitContext(c));
const lowEgfr = [obs('98979-8', 26, 'mL/min/{1.73_m2}', 100), obs('98979-8', 24, 'mL/min/{1.73_m2}', 5)];

/** A stand-in for a remote model: answers with whatever it is given, however unsafe. */
function modelDouble(items: readonly ModelDifferentialItem[]): InsightProvider {
  const output: ModelOutput = { differential: items, summary: 'Model double.', citations: [], confidence: 'Test.' };
  return {
    id: 'model-double',
    identity: { provider: 'openai-compatible', name: 'Model double', version: '1', builtIn: false },
    async generate() {
      return { output, raw: JSON.stringify(output), model: this.identity };
    },
  };
}

const item = (condition: string, treatments: readonly string[]): ModelDifferentialItem => ({
  condition,
  snomed: null,
  icd10: null,
  likelihood: 'moderate',
  probability: null,
  cantMiss: false,
  rarity: null,
  supporting: [],
  opposing: [],
  missing: [],
  nextSteps: treatments.map((text) => ({ kind: 'treatment' as const, text })),
  citations: [],
});

describe('patient-fit check', () => {
  test('a model proposing a contraindicated drug gets it flagged on its own output', async () => {
    const c = chart({ observations: lowEgfr, age: 70, medications: [med('Warfarin 5 MG Oral Tablet')], allergies: [allergy('Penicillin', ['hives'])] });
    const provider = modelDouble([item('Knee osteoarthritis flare', ['Start ibuprofen 400 mg three times daily', 'Start amoxicillin 500 mg three times daily', 'Paracetamol 1 g up to four times daily', 'Stop warfarin'])]);
    const { insight } = await runInsight(c, { kind: 'differential' }, provider, { now: new Date(AS_OF) });
    const options = insight.differential[0]!.treatmentOptions!;
    assert.equal(options.length, 4);
    const [ibuprofen, amoxicillin, paracetamol, stop] = options;
    assert.equal(ibuprofen!.fit, 'avoid');
    assert.ok(ibuprofen!.reasons.some((r) => r.check === 'kidney' && /eGFR 24/.test(r.text) && r.references.length > 0));
    assert.ok(ibuprofen!.reasons.some((r) => r.check === 'interaction' && /Warfarin/.test(r.text) && r.citation?.title.includes('Beers')));
    assert.equal(amoxicillin!.fit, 'avoid');
    assert.deepEqual(amoxicillin!.reasons.map((r) => r.check), ['allergy']);
    assert.deepEqual(amoxicillin!.reasons[0]!.references, ['AllergyIntolerance/penicillin']);
    assert.equal(paracetamol!.fit, 'fits');
    assert.equal(stop!.action, 'stop');
    assert.ok(insight.earlySigns, 'early signs ride along with every provider');
  });

  test('kidney: metformin adjust at eGFR 30–44 and avoid below 30; dabigatran avoid; SGLT2 not started below 20', () => {
    const mid = chart({ observations: [obs('98979-8', 40, 'mL/min/{1.73_m2}', 100), obs('98979-8', 38, 'mL/min/{1.73_m2}', 5)] });
    assert.equal(fit(mid, 'Start metformin 500 mg daily').fit, 'adjust');
    assert.equal(fit(chart({ observations: lowEgfr }), 'Start metformin 500 mg daily').fit, 'avoid');
    assert.equal(fit(chart({ observations: lowEgfr }), 'Anticoagulate with dabigatran 150 mg twice daily').fit, 'avoid');
    assert.equal(fit(chart({ observations: [obs('98979-8', 18, 'mL/min/{1.73_m2}', 5)] }), 'Add empagliflozin 10 mg').fit, 'adjust');
    assert.equal(fit(chart({ observations: [obs('98979-8', 85, 'mL/min/{1.73_m2}', 5)] }), 'Start metformin 500 mg daily').fit, 'fits');
  });

  test('apixaban dose criteria: two of age ≥ 80, weight ≤ 60 kg, creatinine ≥ 1.5', () => {
    const c = chart({ observations: [obs('2160-0', 1.7, 'mg/dL', 5), obs('29463-7', 55, 'kg', 5)], age: 84, gender: 'female' });
    const option = fit(c, 'Start apixaban 5 mg twice daily');
    assert.equal(option.fit, 'adjust');
    assert.ok(option.reasons.some((r) => /2\.5 mg/.test(r.text)));
  });

  test('age: AGS Beers flags zolpidem and glyburide at 80, not at 40', () => {
    assert.equal(fit(chart({ age: 80 }), 'Zolpidem 5 mg at night for sleep').fit, 'avoid');
    assert.equal(fit(chart({ age: 80 }), 'Add glyburide 2.5 mg').fit, 'avoid');
    assert.equal(fit(chart({ age: 40 }), 'Zolpidem 5 mg at night for sleep').fit, 'fits');
  });

  test('pregnancy: an ACE inhibitor is avoided when the chart shows a pregnancy', () => {
    const c = chart({ age: 31, gender: 'female', textResults: [{ reference: 'Observation/hcg', code: '2106-3', display: 'hCG urine', time: AS_OF, text: 'Positive' }] });
    const option = fit(c, 'Start lisinopril 10 mg daily');
    assert.equal(option.fit, 'avoid');
    assert.equal(option.reasons[0]!.check, 'pregnancy');
    assert.deepEqual(option.reasons[0]!.references, ['Observation/hcg']);
  });

  test('allergy cross-reactivity: a cephalosporin with a mild penicillin allergy is adjust, with anaphylaxis avoid', () => {
    assert.equal(fit(chart({ allergies: [allergy('Penicillin', ['rash'])] }), 'Ceftriaxone 1 g IV daily').fit, 'adjust');
    assert.equal(fit(chart({ allergies: [allergy('Penicillin', ['anaphylaxis'], 'high')] }), 'Ceftriaxone 1 g IV daily').fit, 'avoid');
    assert.equal(fit(chart({ allergies: [allergy('Sulfa drugs', ['rash'])] }), 'Trimethoprim-sulfamethoxazole DS twice daily').fit, 'avoid');
  });

  test('duplicate therapy and interactions from the curated table', () => {
    assert.equal(fit(chart({ medications: [med('Lisinopril 20 MG Oral Tablet')] }), 'Add losartan 50 mg').fit, 'avoid');
    assert.equal(fit(chart({ medications: [med('Apixaban 5 MG Oral Tablet')] }), 'Start rivaroxaban 20 mg').fit, 'avoid');
    assert.equal(fit(chart({ medications: [med('Oxycodone 5 MG Oral Tablet')] }), 'Lorazepam 1 mg as needed').fit, 'avoid');
    assert.equal(fit(chart({ medications: [med('Metformin 500 MG Oral Tablet')] }), 'Start metformin 500 mg').reasons[0]?.check, 'duplicate');
  });

  test('switching names what is started: the drug switched from is not checked', () => {
    const c = chart({ observations: lowEgfr });
    const option = fit(c, 'Switch from ibuprofen to paracetamol 1 g four times daily');
    assert.deepEqual(option.drugs, ['paracetamol (acetaminophen)']);
    assert.equal(option.fit, 'fits');
    assert.equal(fit(c, 'Lifestyle advice and weight loss').fit, 'unchecked');
  });

  test('liver: a hepatotoxic drug is avoided when ALT is over 3 times the upper limit', () => {
    const c = chart({ observations: [obs('1742-6', 190, 'U/L', 5)] });
    assert.equal(fit(c, 'Start methotrexate 7.5 mg weekly').fit, 'avoid');
    assert.equal(fit(c, 'Atorvastatin 20 mg').fit, 'adjust');
  });
});

describe('reading what a treatment starts', () => {
  test('a drug a clause holds or avoids is not started; class names count as the class', () => {
    const c = chart({ observations: [obs('98979-8', 34, 'mL/min/{1.73_m2}', 5)], medications: [med('Metformin 500 MG Oral Tablet')] });
    const held = fit(c, 'Find and control the source; hold nephrotoxins and metformin');
    assert.deepEqual(held.drugs, []);
    assert.equal(held.fit, 'unchecked');
    assert.deepEqual(fit(c, 'Antibiotic by local resistance (avoid nitrofurantoin below clearance 30)').drugs, []);
    const sglt2 = fit(chart({ observations: [obs('98979-8', 18, 'mL/min/{1.73_m2}', 5)] }), 'Consider an SGLT2 inhibitor for CKD');
    assert.deepEqual(sglt2.drugs, ['an SGLT2 inhibitor']);
    assert.equal(sglt2.fit, 'adjust');
    assert.equal(fit(chart({ age: 31, gender: 'female', observations: [obs('21198-7', 5200, 'm[IU]/mL', 10)] }), 'Discuss statin therapy by risk').fit, 'avoid');
    // Reviewing a drug the patient takes is not starting it.
    assert.equal(fit(chart({ age: 31, gender: 'female', observations: [obs('21198-7', 5200, 'm[IU]/mL', 10)] }), 'Review medicines with fetal risk now: lisinopril 10 MG Oral Tablet').fit, 'unchecked');
  });
});
