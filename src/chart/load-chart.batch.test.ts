/**
 * The chart reader's batch path: with the EHR's CapabilityStatement in hand and a requester that
 * can POST a batch, the first reads share one round trip. The sandbox FHIR engine answers the
 * batches for real; faults are injected in front of it, and every failure of the batch itself
 * falls back to reading one by one.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from 'fhir/r4';
import { createFhirServer, type FhirServer } from '../../launch/sandbox/fhir/index.ts';
import { type CohortPatient, generateCohort } from '../../launch/sandbox/cohort/index.ts';
import { makeGrant } from '../../launch/sandbox/scopes.ts';
import type { FhirRequester, LaunchContext } from '../smart/context.ts';
import { loadChart, type ChartLoadResult } from './index.ts';
import { ChartRequests } from './requests.ts';

const BASE = 'http://localhost:4000/fhir';
const AS_OF = '2025-06-01';
const AS_OF_DATE = new Date(`${AS_OF}T18:00:00Z`);

let server: FhirServer;
let patient: CohortPatient;
let capability: unknown;

before(async () => {
  const cohort = generateCohort({ asOf: AS_OF, largePatientObservations: 1500 });
  patient = cohort.patients.find((p) => p.key === 'ckd-progression')!;
  const large = cohort.patients.find((p) => p.key === 'large-history')!;
  server = await createFhirServer({ baseUrl: BASE, authorizeUrl: `${BASE}/../auth/authorize`, tokenUrl: `${BASE}/../auth/token` });
  await server.load([...cohort.practitioners, cohort.organization, ...patient.resources, ...large.resources] as Resource[]);
  capability = server.capabilityStatement();
});

class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

interface Recorder extends FhirRequester {
  /** Every GET, by URL. */
  readonly gets: string[];
  /** Every batch POSTed, as the URLs of its entries. */
  readonly batches: string[][];
}

/**
 * The sandbox behind a requester that can batch. `answer` may replace the batch's answer (or
 * throw); `entry` may replace one entry of a genuine batch-response.
 */
function batchingFhir(
  patientId: string,
  options: { answer?: (urls: string[]) => unknown; entry?: (url: string, entry: Record<string, unknown>) => Record<string, unknown>; batchDelayMs?: number } = {},
): Recorder {
  const grant = makeGrant({ clientId: 'curbside-sandbox', scopes: ['patient/*.rs'], patient: patientId, expiresAt: Date.now() + 3_600_000 });
  const gets: string[] = [];
  const batches: string[][] = [];
  return {
    gets,
    batches,
    async request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      init?.signal?.throwIfAborted();
      gets.push(url);
      const response = await server.handle({ method: 'GET', url: new URL(url, `${BASE}/`), headers: {} }, grant);
      if (response.status >= 400) throw new HttpError(response.status);
      return response.body as T;
    },
    async batch<T>(bundle: unknown, init?: { signal?: AbortSignal }): Promise<T> {
      init?.signal?.throwIfAborted();
      const urls = ((bundle as { entry: Array<{ request: { url: string } }> }).entry ?? []).map((e) => e.request.url);
      batches.push(urls);
      if (options.batchDelayMs) await new Promise((resolve) => setTimeout(resolve, options.batchDelayMs));
      init?.signal?.throwIfAborted();
      if (options.answer) return structuredClone(options.answer(urls)) as T;
      const response = await server.handle({ method: 'POST', url: new URL(`${BASE}/`), headers: { 'content-type': 'application/fhir+json' }, body: bundle }, grant);
      if (response.status >= 400) throw new HttpError(response.status);
      const body = structuredClone(response.body) as { entry: Array<Record<string, unknown>> };
      if (options.entry) body.entry = body.entry.map((e, i) => options.entry!(urls[i]!, e));
      return body as T;
    },
  };
}

function context(patientId = patient.patientId, encounterId = patient.encounterId): LaunchContext {
  return { fhirBase: BASE, patientId, ...(encounterId ? { encounterId } : {}), needPatientBanner: false, grantedScopes: [] };
}

async function load(fhir: FhirRequester, withCapability: unknown = capability, ctx = context()): Promise<ChartLoadResult> {
  return loadChart(fhir, ctx, { asOf: AS_OF_DATE, capabilityStatement: Promise.resolve(withCapability) });
}

/** What a clinician sees, without the load's own bookkeeping. */
function shown(result: ChartLoadResult): unknown {
  return JSON.parse(JSON.stringify(result.chart));
}

describe('loadChart with batch reads', () => {
  test('the first reads go out as one batch, and the chart is the same as read one by one', async () => {
    const batched = batchingFhir(patient.patientId);
    const result = await load(batched);
    const single = await loadChart(batchingFhir(patient.patientId), context(), { asOf: AS_OF_DATE });
    assert.equal(batched.batches.length, 1);
    assert.ok(batched.batches[0]!.length >= 12, `${batched.batches[0]!.length} reads in the batch`);
    assert.ok(batched.batches[0]!.some((u) => u.startsWith('Patient/')) && batched.batches[0]!.some((u) => u.startsWith('Observation?')));
    assert.deepEqual(shown(result), shown(single));
    assert.equal(result.stats.criticalPathDepth, 1);
    // One POST in place of every first read.
    assert.equal(result.stats.requests, 1 + batched.gets.length);
    assert.ok(single.stats.requests >= 12);
  });

  test('next pages of a batched search are read on their own, and the 1,500-observation chart matches', async () => {
    const large = generateCohort({ asOf: AS_OF, largePatientObservations: 1500 }).patients.find((p) => p.key === 'large-history')!;
    const batched = batchingFhir(large.patientId);
    const result = await loadChart(batched, context(large.patientId, large.encounterId), { asOf: AS_OF_DATE, pageSize: 50, capabilityStatement: Promise.resolve(capability) });
    const single = await loadChart(batchingFhir(large.patientId), context(large.patientId, large.encounterId), { asOf: AS_OF_DATE, pageSize: 50 });
    assert.equal(batched.batches.length, 1);
    assert.ok(batched.gets.length > 0 && batched.gets.every((u) => u.includes('_offset=')), batched.gets.join('\n'));
    assert.deepEqual(shown(result), shown(single));
    assert.ok(result.stats.criticalPathDepth >= 2);
  });

  test('an entry the EHR refuses marks only its own section, in the same words as a refused read', async () => {
    const forbidVitals = (url: string, entry: Record<string, unknown>) =>
      url.includes('category=vital-signs') ? { response: { status: '403 Forbidden', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] } } } : entry;
    const chart = (await load(batchingFhir(patient.patientId, { entry: forbidVitals }))).chart;
    assert.equal(chart.sections.vitals.status, 'unavailable');
    assert.equal(chart.sections.vitals.status === 'unavailable' && chart.sections.vitals.cause, 'forbidden');
    for (const name of ['patient', 'encounter', 'problems', 'labs', 'medications', 'allergies', 'notes', 'reports'] as const) {
      assert.equal(chart.sections[name].status, 'ready', name);
    }
  });

  test('when the EHR lists batch but refuses every read in it, each read is made on its own and the chart is whole', async () => {
    const refuseAll = () => ({ response: { status: '400 Bad Request', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] } } });
    const fhir = batchingFhir(patient.patientId, { entry: refuseAll });
    const result = await load(fhir);
    assert.equal(fhir.batches.length, 1);
    assert.deepEqual(new Set(fhir.gets.filter((u) => !u.includes('_offset='))), new Set(fhir.batches[0]));
    for (const [section, state] of Object.entries(result.chart.sections)) assert.equal(state.status, 'ready', section);
    assert.equal(result.stats.criticalPathDepth, 2);
  });

  test('an entry whose status is unreadable is a failure of that section, not a success', async () => {
    const garble = (url: string, entry: Record<string, unknown>) => (url.startsWith('MedicationRequest') ? { response: { status: 'fine' }, resource: { resourceType: 'Bundle' } } : entry);
    const chart = (await load(batchingFhir(patient.patientId, { entry: garble }))).chart;
    assert.equal(chart.sections.medications.status, 'unavailable');
    assert.equal(chart.sections.labs.status, 'ready');
  });

  for (const [name, answer] of [
    ['refuses the batch (HTTP 405)', () => {
      throw new HttpError(405);
    }],
    ['answers with something other than a batch-response', () => ({ resourceType: 'Bundle', type: 'searchset', entry: [] })],
    ['answers with fewer entries than were asked for', (urls: string[]) => ({ resourceType: 'Bundle', type: 'batch-response', entry: urls.slice(1).map(() => ({ response: { status: '200' }, resource: { resourceType: 'Bundle', type: 'searchset' } })) })],
    ['answers with garbage', () => 'Service Unavailable'],
  ] as const) {
    test(`when the EHR ${name}, every read is made on its own and the chart is whole`, async () => {
      const fhir = batchingFhir(patient.patientId, { answer: answer as (urls: string[]) => unknown });
      const result = await load(fhir);
      assert.equal(fhir.batches.length, 1);
      assert.deepEqual(new Set(fhir.gets), new Set(fhir.batches[0]));
      for (const [section, state] of Object.entries(result.chart.sections)) assert.equal(state.status, 'ready', section);
      // The failed batch was a round trip of its own.
      assert.equal(result.stats.criticalPathDepth, 2);
    });
  }

  test('no batch is sent when the EHR does not declare batch, or its CapabilityStatement could not be read', async () => {
    const withoutBatch = structuredClone(capability) as { rest: Array<{ interaction?: unknown }> };
    for (const rest of withoutBatch.rest) delete rest.interaction;
    for (const statement of [withoutBatch, null, { resourceType: 'OperationOutcome' }]) {
      const fhir = batchingFhir(patient.patientId);
      const result = await load(fhir, statement);
      assert.equal(fhir.batches.length, 0);
      assert.ok(fhir.gets.length >= 12);
      assert.equal(result.chart.sections.labs.status, 'ready');
    }
    const failed = batchingFhir(patient.patientId);
    const result = await loadChart(failed, context(), { asOf: AS_OF_DATE, capabilityStatement: Promise.reject(new HttpError(500)) });
    assert.equal(failed.batches.length, 0);
    assert.equal(result.chart.sections.labs.status, 'ready');
  });

  test('a first read asked for after the batch has left still goes out', async () => {
    const fhir = batchingFhir(patient.patientId);
    const requests = new ChartRequests(fhir, BASE, undefined, Promise.resolve(capability));
    const early = await Promise.all([requests.get(`Patient/${patient.patientId}`, 1), requests.get(`AllergyIntolerance?patient=${patient.patientId}`, 1)]);
    assert.equal(fhir.batches.length, 1);
    assert.equal((early[0] as { resourceType?: string }).resourceType, 'Patient');
    const late = await Promise.race([
      requests.get(`Condition?patient=${patient.patientId}`, 1),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2000)),
    ]);
    assert.equal((late as { resourceType?: string }).resourceType, 'Bundle');
  });

  test('aborting while the batch is out rejects with the abort and sends nothing more', async () => {
    const controller = new AbortController();
    const fhir = batchingFhir(patient.patientId, { batchDelayMs: 30 });
    const loading = loadChart(fhir, context(), { asOf: AS_OF_DATE, signal: controller.signal, capabilityStatement: Promise.resolve(capability) });
    setTimeout(() => controller.abort(), 10);
    await assert.rejects(loading, { name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(fhir.batches.length, 1);
    assert.equal(fhir.gets.length, 0);
  });
});
