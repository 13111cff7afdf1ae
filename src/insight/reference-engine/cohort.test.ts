/**
 * The reference engine over the sandbox's synthetic cohort, end to end in process: each patient's
 * chart is read through the sandbox FHIR engine with the app's own scopes, de-identified into a
 * case summary, and run through the engine. The scenario's expected diagnosis must be in the top 3.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from 'fhir/r4';
import { type Cohort, type CohortPatient, generateCohort, SCENARIO_FACTS, type ScenarioKey } from '../../../launch/sandbox/cohort/index.ts';
import { createFhirServer, type FhirServer } from '../../../launch/sandbox/fhir/index.ts';
import { APP_SCOPES as SCOPES, inProcessRequester } from '../../../test/support/in-process-fhir.ts';
import { loadChart } from '../../chart/index.ts';
import { buildCaseSummary } from '../../privacy/index.ts';
import type { FhirRequester, LaunchContext } from '../../smart/context.ts';
import type { CaseSummary, ModelOutput } from '../types.ts';
import { runReferenceEngine } from './index.ts';

const BASE = 'http://localhost:4000/fhir';
const AS_OF = '2026-11-25';
const AS_OF_DATE = new Date(`${AS_OF}T20:00:00Z`);

/**
 * What the engine should surface for each scenario: SNOMED CT or ICD-10-CM codes of which one
 * must be in the top 3, and a short name for the table. The near-empty patient has nothing to find.
 */
const EXPECTED: Readonly<Record<ScenarioKey, { readonly codes: readonly string[]; readonly label: string } | 'nothing'>> = {
  'ckd-progression': { codes: ['431857002', 'N18.4', '771000119108', 'E11.22'], label: 'CKD stage 4 / diabetic CKD' },
  'new-onset-diabetes': { codes: ['44054006', 'E11.9'], label: 'type 2 diabetes' },
  'iron-deficiency-anaemia': { codes: ['87522002', 'D50.0'], label: 'iron-deficiency anaemia' },
  'chest-pain-troponin': { codes: ['401314000', 'I21.4'], label: 'NSTEMI' },
  sepsis: { codes: ['91302008', 'A41.9'], label: 'sepsis' },
  'thiazide-hyponatraemia': { codes: ['89627008', 'E87.1'], label: 'hyponatraemia' },
  'paediatric-asthma': { codes: ['281239006', 'J45.901'], label: 'asthma exacerbation' },
  'nonagenarian-polypharmacy': { codes: ['161898004', 'R29.6'], label: 'falls' },
  'near-empty': 'nothing',
  'large-history': { codes: ['441481004', 'I50.22', '84114007', 'I50.9', '49436004', 'I48.91', '44054006', 'E11.9'], label: 'HF / AF / type 2 diabetes' },
  'undiagnosed-hypertension': { codes: ['59621000', 'I10'], label: 'hypertension' },
  'adrenal-insufficiency-pattern': { codes: ['363732003', 'E27.1'], label: 'Addison disease' },
  pregnancy: { codes: ['77386006', 'Z33.1', 'O10.011'], label: 'pregnancy / hypertension in pregnancy' },
  'myeloma-pattern': { codes: ['109989006', 'C90.00'], label: 'multiple myeloma' },
};

/** Safety items the engine should also raise for a scenario, by words in their name. */
const SAFETY: Partial<Record<ScenarioKey, readonly RegExp[]>> = {
  'ckd-progression': [/metformin/i, /NSAID/],
  'nonagenarian-polypharmacy': [/Beers/, /anticoagulant dose/],
  pregnancy: [/ACE inhibitor or ARB in pregnancy/],
  'paediatric-asthma': [/auto-injector/],
};

let cohort: Cohort;
let server: FhirServer;
const results = new Map<ScenarioKey, { rank: number; output: ModelOutput }>();

before(async () => {
  cohort = generateCohort({ asOf: AS_OF });
  server = await createFhirServer({ baseUrl: BASE, authorizeUrl: `${BASE}/../auth/authorize`, tokenUrl: `${BASE}/../auth/token` });
  await server.load([...cohort.practitioners, cohort.organization] as Resource[]);
  for (const patient of cohort.patients) await server.load(patient.resources);
});

after(() => {
  const rows = Object.entries(EXPECTED).map(([key, expected]) => {
    const result = results.get(key as ScenarioKey);
    const rank = !result ? 'not run' : expected === 'nothing' ? (result.output.differential.length === 0 ? 'none (as expected)' : `${result.output.differential.length} items`) : result.rank >= 0 ? `#${result.rank + 1}` : 'missed';
    return `  ${key.padEnd(30)} ${(expected === 'nothing' ? '—' : expected.label).padEnd(38)} ${rank}`;
  });
  const scored = [...results.entries()].filter(([key]) => EXPECTED[key] !== 'nothing');
  const hits = scored.filter(([, r]) => r.rank >= 0 && r.rank < 3).length;
  console.log(`\nReference engine recall over the sandbox cohort (expected diagnosis in the top 3): ${hits}/${scored.length}\n${rows.join('\n')}\n`);
});

function requester(patient: CohortPatient): FhirRequester {
  return inProcessRequester(server, patient.patientId, SCOPES);
}

async function caseFor(patient: CohortPatient): Promise<CaseSummary> {
  const context: LaunchContext = {
    fhirBase: BASE,
    patientId: patient.patientId,
    ...(patient.encounterId ? { encounterId: patient.encounterId } : {}),
    needPatientBanner: false,
    grantedScopes: SCOPES,
  };
  const { chart } = await loadChart(requester(patient), context, { asOf: AS_OF_DATE });
  return buildCaseSummary(chart).summary;
}

describe('reference engine over the sandbox cohort', () => {
  for (const key of Object.keys(SCENARIO_FACTS) as ScenarioKey[]) {
    test(`${key}: ${EXPECTED[key] === 'nothing' ? 'no confident item' : `${(EXPECTED[key] as { label: string }).label} in the top 3`}`, async () => {
      const patient = cohort.patients.find((p) => p.key === key);
      assert.ok(patient, key);
      const summary = await caseFor(patient);
      const output = runReferenceEngine({ task: { kind: 'differential' }, case: summary });
      const expected = EXPECTED[key];
      const rank = expected === 'nothing' ? -1 : output.differential.findIndex((d) => expected.codes.includes(d.snomed ?? '') || expected.codes.includes(d.icd10 ?? ''));
      results.set(key, { rank, output });

      const ids = new Set([
        ...summary.problems.map((p) => p.id),
        ...summary.medications.map((m) => m.id),
        ...summary.allergies.map((a) => a.id),
        ...summary.notes.map((n) => n.id),
        ...summary.textResults.map((t) => t.id),
        ...summary.series.flatMap((s) => s.points.map((p) => p.id)),
        ...(summary.encounter ? [summary.encounter.id] : []),
      ]);
      for (const item of output.differential) for (const f of [...item.supporting, ...item.opposing]) for (const id of f.factIds) assert.ok(ids.has(id), `${item.condition} cites ${id}`);

      if (expected === 'nothing') {
        assert.ok(output.differential.every((d) => d.likelihood === 'low'), 'nothing confident from an empty chart');
        assert.match(output.confidence, /^(None|Low)/);
        return;
      }
      assert.ok(rank >= 0 && rank < 3, `${expected.label} in the top 3; got ${output.differential.map((d) => `${d.condition} [${d.snomed}/${d.icd10}]`).join(' | ')}`);
      assert.notEqual(output.differential[rank]!.likelihood, 'low', `${expected.label} is at least moderately likely`);
      for (const pattern of SAFETY[key] ?? []) assert.ok(output.differential.some((d) => pattern.test(d.condition)), `${key}: safety item ${pattern}`);
    });
  }
});
