/**
 * Grounded insights for the component tests of the views of model output: one written out by
 * hand to cover every case a view must show, and one produced by the real pipeline
 * (`parseModelOutput` → `groundInsight`) from the recorded model answer.
 */
import { groundInsight } from '../../src/insight/ground.ts';
import { parseModelOutput } from '../../src/insight/schema.ts';
import type { DifferentialItem, GroundedCitation, Insight, ModelIdentity } from '../../src/insight/types.ts';
import { PREPARED, WIRE_OUTPUT_TEXT } from '../msw/insight-fixtures.ts';

export const REMOTE_MODEL: ModelIdentity = { provider: 'azure-foundry', name: 'gpt-4.1', version: '2025-04-14', builtIn: false };
export const BUILT_IN_MODEL: ModelIdentity = { provider: 'reference-engine', name: 'Curbside reference engine', version: '1.0.0', builtIn: true };

export const ADA: GroundedCitation = {
  title: 'Standards of Care in Diabetes—2024',
  source: 'Diabetes Care',
  year: 2024,
  url: 'https://diabetesjournals.org/care/issue/47/Supplement_1',
  doi: '10.2337/dc24-S002',
  pmid: '38078589',
  quote: 'HbA1c ≥ 6.5 % is diagnostic when confirmed.',
  verified: true,
};

export const UNVERIFIED_CITATION: GroundedCitation = {
  title: 'A review the model remembers',
  source: 'Journal of Recollection',
  year: 2019,
  url: null,
  doi: null,
  pmid: null,
  quote: null,
  verified: false,
};

export const DIABETES: DifferentialItem = {
  id: 'item-t2dm',
  condition: 'Type 2 diabetes mellitus',
  codes: [
    { system: 'http://snomed.info/sct', code: '44054006', display: 'Type 2 diabetes mellitus' },
    { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' },
  ],
  likelihood: 'moderate',
  probability: 0.3,
  cantMiss: false,
  supporting: [
    { text: 'HbA1c 7.4 % three days ago, rising from 6.1 %', references: ['Observation/a1c-new', 'Observation/a1c-old'], verified: true },
    { text: 'Polyuria for a month', references: ['DocumentReference/note-1'], verified: true },
    { text: 'Family history of diabetes', references: [], verified: false },
  ],
  opposing: [{ text: 'Normal fasting glucose last year', references: ['Observation/glu-1'], verified: true }],
  missing: ['No lipid panel in 5 years', 'No fasting glucose on record'],
  nextSteps: [
    { text: 'Repeat HbA1c or fasting plasma glucose to confirm', kind: 'test' },
    { text: 'Refer to diabetes education', kind: 'referral' },
  ],
  citations: [ADA, UNVERIFIED_CITATION],
};

export const DKA: DifferentialItem = {
  id: 'item-dka',
  condition: 'Diabetic ketoacidosis',
  codes: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.10' }],
  likelihood: 'high',
  cantMiss: true,
  supporting: [{ text: 'Ketones in urine', references: ['Observation/invented'], verified: false }],
  opposing: [],
  missing: ['No ketones or anion gap'],
  nextSteps: [],
  citations: [],
};

export const MODY: DifferentialItem = {
  id: 'item-mody',
  condition: 'Maturity-onset diabetes of the young',
  codes: [],
  likelihood: 'low',
  probability: 0.004,
  cantMiss: false,
  rarity: 'about 1 in 10,000 adults',
  supporting: [{ text: 'Hyperglycaemia with a normal BMI', references: ['Observation/bmi-1'], verified: true }],
  opposing: [],
  missing: [],
  nextSteps: [],
  citations: [],
};

export function insight(overrides: Partial<Insight> = {}): Insight {
  return {
    id: 'insight-1',
    task: { kind: 'differential' },
    createdAt: '2026-11-10T09:30:00.000Z',
    model: REMOTE_MODEL,
    differential: [DIABETES, DKA, MODY],
    summary: 'Rising HbA1c above the diagnostic threshold with osmotic symptoms suggests **type 2 diabetes**.\n\n- Confirm with a second test\n- Exclude *ketoacidosis*',
    citations: [ADA, UNVERIFIED_CITATION],
    confidence: 'Moderately confident; one HbA1c above 6.5 % needs confirmation.',
    ...overrides,
  };
}

/** The recorded model answer, validated and grounded by the real pipeline. */
export function pipelineInsight(): Insight {
  const parsed = parseModelOutput(WIRE_OUTPUT_TEXT);
  if (!parsed.ok) throw new Error('The recorded model answer no longer validates.');
  return groundInsight({ output: parsed.output, raw: WIRE_OUTPUT_TEXT, model: REMOTE_MODEL }, PREPARED, { kind: 'differential' }, new Date('2026-11-10T09:30:00Z'));
}
