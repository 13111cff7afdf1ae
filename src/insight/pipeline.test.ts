import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FhirServer } from '../../launch/sandbox/fhir/index.ts';
import type { Cohort } from '../../launch/sandbox/cohort/index.ts';
import { cohortServer, IN_PROCESS_BASE, inProcessRequester } from '../../test/support/in-process-fhir.ts';
import { loadChart, type PatientChart } from '../chart/index.ts';
import { createReferenceEngineProvider } from './reference-engine/index.ts';
import { prepareCase, runInsight } from './pipeline.ts';
import { InsightError, type InsightProvider } from './types.ts';

const AS_OF = new Date('2026-11-25T20:00:00Z');
let cohort: Cohort;
let server: FhirServer;

before(async () => {
  ({ cohort, server } = await cohortServer({ asOf: '2026-11-25', largePatientObservations: 500 }));
});

async function chartOf(key: string): Promise<PatientChart> {
  const patient = cohort.patients.find((p) => p.key === key)!;
  const fhir = inProcessRequester(server, patient.patientId);
  const context = { fhirBase: IN_PROCESS_BASE, patientId: patient.patientId, ...(patient.encounterId ? { encounterId: patient.encounterId } : {}), needPatientBanner: false, grantedScopes: [] };
  return (await loadChart(fhir, context, { asOf: AS_OF })).chart;
}

function chartReferences(chart: PatientChart): Set<string> {
  const refs = new Set<string>();
  for (const p of chart.problems) refs.add(p.reference);
  for (const m of chart.medications) refs.add(m.reference);
  for (const a of chart.allergies) refs.add(a.reference);
  for (const s of Object.values(chart.series)) for (const p of s.points) refs.add(p.reference);
  for (const t of chart.textResults) refs.add(t.reference);
  for (const n of chart.notes) refs.add(n.reference);
  if (chart.encounter) refs.add(chart.encounter.reference);
  return refs;
}

test('CKD chart → de-identified case → reference engine → grounded insight whose findings are chart facts', async () => {
  const chart = await chartOf('ckd-progression');
  const run = await runInsight(chart, { kind: 'differential' }, createReferenceEngineProvider(), { now: AS_OF });
  const top3 = run.insight.differential.slice(0, 3).map((d) => d.condition.toLowerCase());
  assert.ok(top3.some((c) => c.includes('kidney')), top3.join(' | '));
  const refs = chartReferences(chart);
  const findings = run.insight.differential.flatMap((d) => [...d.supporting, ...d.opposing]);
  assert.ok(findings.length > 0);
  for (const f of findings) {
    assert.equal(f.verified, true, f.text);
    for (const r of f.references) assert.ok(refs.has(r), `${r} is a fact of the chart`);
  }
  assert.equal(run.insight.model.builtIn, true);
  assert.ok(!run.raw.includes('ckd-01'), 'no FHIR id reached the model');
});

test('the case shown in "what is sent" is the case that is sent', async () => {
  const chart = await chartOf('new-onset-diabetes');
  const prepared = prepareCase(chart, { now: AS_OF });
  let sent: unknown;
  const spy: InsightProvider = {
    id: 'spy',
    identity: { provider: 'openai-compatible', name: 'spy', version: '1', builtIn: false },
    async generate(request, options) {
      sent = request.case;
      return createReferenceEngineProvider().generate(request, options);
    },
  };
  await runInsight(chart, { kind: 'differential' }, spy, { prepared, now: AS_OF });
  assert.equal(sent, prepared.summary);
});

test('a provider failure surfaces as its InsightError, unchanged', async () => {
  const chart = await chartOf('near-empty');
  const failing: InsightProvider = {
    id: 'failing',
    identity: { provider: 'openai-compatible', name: 'x', version: '1', builtIn: false },
    async generate() {
      throw new InsightError('timeout', 'The model did not answer in time.');
    },
  };
  await assert.rejects(runInsight(chart, { kind: 'differential' }, failing), (e: unknown) => e instanceof InsightError && e.kind === 'timeout');
});
