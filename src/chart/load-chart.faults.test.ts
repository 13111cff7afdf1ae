/**
 * How loadChart fails: per section, in plain words, without taking the rest of the chart down.
 * The sandbox FHIR engine serves one real patient; faults are injected in front of it.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from 'fhir/r4';
import { createFhirServer, type FhirServer } from '../../launch/sandbox/fhir/index.ts';
import { type CohortPatient, generateCohort } from '../../launch/sandbox/cohort/index.ts';
import { makeGrant } from '../../launch/sandbox/scopes.ts';
import type { FhirRequester, LaunchContext } from '../smart/context.ts';
import { loadChart, type ChartLoadOptions, type ChartSectionName, type PatientChart } from './index.ts';

const BASE = 'http://localhost:4000/fhir';
const AS_OF = '2025-06-01';
const AS_OF_DATE = new Date(`${AS_OF}T18:00:00Z`);
const ALL_SECTIONS: readonly ChartSectionName[] = ['patient', 'encounter', 'problems', 'vitals', 'labs', 'medications', 'allergies', 'notes', 'reports'];

let server: FhirServer;
let patient: CohortPatient;

before(async () => {
  const cohort = generateCohort({ asOf: AS_OF, largePatientObservations: 50 });
  patient = cohort.patients.find((p) => p.key === 'ckd-progression')!;
  server = await createFhirServer({ baseUrl: BASE, authorizeUrl: `${BASE}/../auth/authorize`, tokenUrl: `${BASE}/../auth/token` });
  await server.load([...cohort.practitioners, cohort.organization, ...patient.resources] as Resource[]);
});

class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly statusCode: number;
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.statusCode = status;
  }
}

const SKIP = Symbol('pass through');
type Fault = (url: string) => unknown;

/**
 * The sandbox patient behind a fault injector: `fault` may throw, return a body to send instead,
 * or return SKIP to let the sandbox answer. `delay` slows chosen requests.
 */
function faultyFhir(fault: Fault = () => SKIP, delay: (url: string) => number = () => 0): FhirRequester & { urls: string[] } {
  const grant = makeGrant({ clientId: 'curbside-sandbox', scopes: ['patient/*.rs'], patient: patient.patientId, expiresAt: Date.now() + 3_600_000 });
  const urls: string[] = [];
  return {
    urls,
    async request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      init?.signal?.throwIfAborted();
      urls.push(url);
      const wait = delay(url);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      init?.signal?.throwIfAborted();
      const injected = fault(url);
      if (injected !== SKIP) return structuredClone(injected) as T;
      const response = await server.handle({ method: 'GET', url: new URL(url, `${BASE}/`), headers: {} }, grant);
      if (response.status >= 400) throw new HttpError(response.status);
      return response.body as T;
    },
  };
}

const failing = (prefix: string, error: () => Error): Fault => (url) => {
  if (url.startsWith(prefix)) throw error();
  return SKIP;
};

function context(extra: Partial<LaunchContext> = {}): LaunchContext {
  return { fhirBase: BASE, patientId: patient.patientId, encounterId: patient.encounterId!, needPatientBanner: false, grantedScopes: [], ...extra };
}

async function load(fhir: FhirRequester, options: ChartLoadOptions = {}, ctx: LaunchContext = context()): Promise<PatientChart> {
  return (await loadChart(fhir, ctx, { asOf: AS_OF_DATE, ...options })).chart;
}

function assertOnlyUnavailable(chart: PatientChart, expected: Partial<Record<ChartSectionName, { cause: string; reason?: string | RegExp }>>): void {
  for (const name of ALL_SECTIONS) {
    const state = chart.sections[name];
    const want = expected[name];
    if (!want) {
      assert.equal(state.status, 'ready', `${name}: ${JSON.stringify(state)}`);
      continue;
    }
    assert.equal(state.status, 'unavailable', name);
    if (state.status !== 'unavailable') continue;
    assert.equal(state.cause, want.cause, name);
    if (typeof want.reason === 'string') assert.equal(state.reason, want.reason);
    else if (want.reason) assert.match(state.reason, want.reason);
  }
}

describe('loadChart when the EHR fails', () => {
  test('a 403 on one type marks only its section unavailable, with a reason', async () => {
    const chart = await load(faultyFhir(failing('MedicationRequest', () => new HttpError(403))));
    assertOnlyUnavailable(chart, { medications: { cause: 'forbidden', reason: 'The EHR refused access to medications.' } });
    assert.deepEqual(chart.medications, []);
    assert.ok(chart.problems.length > 0);
  });

  test('a 500 is a server failure the clinician can retry', async () => {
    const chart = await load(faultyFhir(failing('AllergyIntolerance', () => new HttpError(500))));
    assertOnlyUnavailable(chart, { allergies: { cause: 'server', reason: 'The EHR could not return allergies just now. Try again shortly.' } });
  });

  test('a network error is reported as unreachable', async () => {
    const chart = await load(faultyFhir(failing('DiagnosticReport', () => new TypeError('fetch failed'))));
    assertOnlyUnavailable(chart, { reports: { cause: 'network', reason: 'The EHR could not be reached for diagnostic reports.' } });
  });

  test('a 404 with a CapabilityStatement that lacks the type is not-supported', async () => {
    const capability = server.capabilityStatement();
    capability.rest![0]!.resource = capability.rest![0]!.resource!.filter((r) => r.type !== 'DocumentReference');
    const fhir = faultyFhir((url) => {
      if (url === 'metadata') return capability;
      if (url.startsWith('DocumentReference')) throw new HttpError(404);
      return SKIP;
    });
    const chart = await load(fhir);
    assertOnlyUnavailable(chart, { notes: { cause: 'not-supported', reason: 'This EHR does not provide clinical notes.' } });
    assert.equal(fhir.urls.filter((u) => u === 'metadata').length, 1);
  });

  test('a 400 on an optional query leaves a caveat, not an unavailable section', async () => {
    const fhir = faultyFhir((url) => {
      if (url.startsWith('Condition') && url.includes('health-concern')) throw new HttpError(400);
      return SKIP;
    });
    const chart = await load(fhir);
    assertOnlyUnavailable(chart, {});
    const problems = chart.sections.problems;
    assert.deepEqual(problems.status === 'ready' && problems.caveats, ['Health concerns could not be read.']);
    assert.ok(chart.problems.length > 0);
  });

  test('a grant without MedicationRequest: not-granted, and no request is made', async () => {
    const fhir = faultyFhir();
    const scopes = ['openid', 'fhirUser', 'launch', 'patient/Patient.r', 'patient/Encounter.r', 'patient/Condition.rs', 'patient/Observation.rs', 'patient/AllergyIntolerance.rs', 'patient/DocumentReference.rs', 'patient/DiagnosticReport.rs'];
    const chart = await load(fhir, {}, context({ grantedScopes: scopes }));
    assertOnlyUnavailable(chart, { medications: { cause: 'not-granted', reason: 'Access to medications was not granted to Curbside.' } });
    assert.ok(!fhir.urls.some((u) => u.startsWith('MedicationRequest') || u.startsWith('Medication/')));
  });

  test('a body that is text, a Patient instead of a Bundle, or entries without resources is malformed', async () => {
    const bundleFor = (prefix: string, body: unknown): Fault => (url) => (url.startsWith(prefix) ? body : SKIP);
    const cases: Array<[string, ChartSectionName, unknown]> = [
      ['AllergyIntolerance', 'allergies', '<html><body>Service unavailable</body></html>'],
      ['MedicationRequest', 'medications', { resourceType: 'Patient', id: patient.patientId }],
      ['DiagnosticReport', 'reports', { resourceType: 'Bundle', type: 'searchset', entry: [{ fullUrl: 'urn:uuid:1' }] }],
      ['Condition', 'problems', { resourceType: 'Bundle', type: 'searchset', entry: 'not a list' }],
      ['Patient/', 'patient', { resourceType: 'Patient', id: 'someone-else' }],
    ];
    for (const [prefix, section, body] of cases) {
      const chart = await load(faultyFhir(bundleFor(prefix, body)));
      assertOnlyUnavailable(chart, { [section]: { cause: 'malformed', reason: /in a form Curbside cannot read\.$/ } });
    }
  });

  test('malformed resources inside a good bundle are skipped and counted; Epic outcome entries are not', async () => {
    const fhir = faultyFhir((url) => {
      if (!url.startsWith('AllergyIntolerance')) return SKIP;
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        entry: [
          { resource: { resourceType: 'AllergyIntolerance', id: 'a1', code: { text: 'Penicillin' } }, search: { mode: 'match' } },
          { resource: { resourceType: 'AllergyIntolerance', code: { text: 'no id' } } },
          { resource: { resourceType: 'AllergyIntolerance', id: 'a3' } },
          { resource: { resourceType: 'Observation', id: 'wrong-type' } },
          { resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'suppressed' }] }, search: { mode: 'outcome' } },
          { resource: { resourceType: 'AllergyIntolerance', id: 'a5', code: { text: 'Withdrawn' }, verificationStatus: { coding: [{ code: 'entered-in-error' }] } } },
        ],
      };
    });
    const chart = await load(fhir);
    const state = chart.sections.allergies;
    assert.deepEqual(state, { status: 'ready', skipped: 3, truncated: false });
    assert.deepEqual(
      chart.allergies.map((a) => a.display),
      ['Penicillin'],
    );
  });

  test('a next link to another host is not followed; the section says it was cut short', async () => {
    const fhir = faultyFhir((url) => {
      if (url.startsWith('Condition') && url.includes('problem-list-item')) {
        return {
          resourceType: 'Bundle',
          type: 'searchset',
          link: [{ relation: 'next', url: 'https://attacker.example/fhir/Condition?page=2' }],
          entry: [{ resource: { resourceType: 'Condition', id: 'c1', code: { text: 'Asthma' } } }],
        };
      }
      if (url.startsWith('AllergyIntolerance')) {
        // Same host, outside the FHIR base path: also refused.
        return { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: 'http://localhost:4000/other/AllergyIntolerance?page=2' }], entry: [] };
      }
      return SKIP;
    });
    const chart = await load(fhir);
    assert.ok(!fhir.urls.some((u) => u.includes('attacker') || u.includes('page=2')));
    for (const name of ['problems', 'allergies'] as const) {
      const state = chart.sections[name];
      assert.equal(state.status === 'ready' && state.truncated, true, name);
      assert.match((state.status === 'ready' && state.caveats?.join(' ')) || '', /outside its FHIR server/);
    }
    assert.ok(chart.problems.some((p) => p.reference === 'Condition/c1'));
  });

  test('a Binary url off the FHIR base is never requested', async () => {
    const fhir = faultyFhir((url) =>
      url.startsWith('DocumentReference')
        ? {
            resourceType: 'Bundle',
            type: 'searchset',
            entry: [
              { resource: { resourceType: 'DocumentReference', id: 'd1', status: 'current', date: '2025-05-01', content: [{ attachment: { contentType: 'text/plain', url: 'https://elsewhere.example/Binary/1' } }] } },
              { resource: { resourceType: 'DocumentReference', id: 'd2', status: 'current', date: '2025-04-01', content: [{ attachment: { contentType: 'text/plain', url: `${BASE}/Binary/2` } }] } },
            ],
          }
        : url === 'Binary/2'
          ? { resourceType: 'Binary', contentType: 'text/plain', data: Buffer.from('On-base note').toString('base64') }
          : SKIP,
    );
    const chart = await load(fhir);
    assert.equal(chart.notes[0]?.textUnavailable, "the document is stored outside the EHR's FHIR server");
    assert.equal(chart.notes[1]?.text, 'On-base note');
    assert.ok(!fhir.urls.some((u) => u.includes('elsewhere')));
  });

  test('a 401 that survived the refresh asks the clinician to reopen Curbside', async () => {
    const chart = await load(faultyFhir(failing('Observation', () => new HttpError(401))));
    const reason = 'The EHR session has ended or was not accepted. Reopen Curbside from the chart.';
    assertOnlyUnavailable(chart, { vitals: { cause: 'unauthorized', reason }, labs: { cause: 'unauthorized', reason } });
  });

  test('without a patient in context every patient section says so', async () => {
    const fhir = faultyFhir();
    const chart = await load(fhir, {}, context({ patientId: undefined as unknown as string }));
    assert.equal(chart.sections.patient.status === 'unavailable' && chart.sections.patient.reason, 'Curbside was opened without a patient in context. Reopen it from the chart.');
    assert.equal(chart.sections.labs.status, 'unavailable');
    assert.ok(fhir.urls.every((u) => u.startsWith('Encounter/')));
  });

  test('aborting stops further requests and rejects with the abort', async () => {
    const controller = new AbortController();
    let updates = 0;
    const fhir = faultyFhir(
      () => SKIP,
      (url) => (url.startsWith('MedicationRequest') ? 0 : 30),
    );
    const loading = loadChart(fhir, context(), { asOf: AS_OF_DATE, signal: controller.signal, onUpdate: () => (updates += 1) });
    const issued = fhir.urls.length;
    assert.ok(issued >= 9, 'every independent query starts at once');
    setTimeout(() => controller.abort(), 5);
    await assert.rejects(loading, { name: 'AbortError' });
    const afterAbort = fhir.urls.length;
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(fhir.urls.length, afterAbort, 'nothing requested after the abort');
    assert.ok(fhir.urls.length <= issued + 7, 'only the reads that were already due');
    const before = updates;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(updates, before, 'no updates after the abort');
  });

  test('an already aborted signal makes no request', async () => {
    const fhir = faultyFhir();
    await assert.rejects(loadChart(fhir, context(), { signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.equal(fhir.urls.length, 0);
  });

  test('onUpdate renders progressively: the first snapshot arrives before the slowest section settles', async () => {
    const snapshots: Array<{ at: number; chart: PatientChart }> = [];
    let reportsAnsweredAt = Number.POSITIVE_INFINITY;
    const fhir = faultyFhir(
      (url) => {
        if (url.startsWith('DiagnosticReport')) reportsAnsweredAt = performance.now();
        return SKIP;
      },
      (url) => (url.startsWith('DiagnosticReport') ? 150 : 0),
    );
    const { chart } = await loadChart(fhir, context(), { asOf: AS_OF_DATE, onUpdate: (c) => snapshots.push({ at: performance.now(), chart: c }) });
    assert.equal(snapshots.length, ALL_SECTIONS.length, 'one snapshot per settled section');
    assert.ok(snapshots[0]!.at < reportsAnsweredAt);
    assert.equal(snapshots[0]!.chart.sections.reports.status, 'loading');
    const readyCounts = snapshots.map((s) => Object.values(s.chart.sections).filter((x) => x.status !== 'loading').length);
    assert.deepEqual(readyCounts, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.notEqual(snapshots[0]!.chart, snapshots[1]!.chart, 'each snapshot is a fresh object');
    assert.ok(Object.isFrozen(snapshots[0]!.chart) && Object.isFrozen(snapshots[0]!.chart.sections) && Object.isFrozen(chart.problems));
    assert.throws(() => {
      (chart.problems as unknown[]).push({});
    });
    assert.equal(snapshots.at(-1)!.chart.sections.reports.status, 'ready');
    assert.ok(chart.reports.length > 0);
  });

  test('a listener that throws does not stop the chart', async () => {
    const chart = await load(faultyFhir(), {
      onUpdate: () => {
        throw new Error('listener bug');
      },
    });
    assertOnlyUnavailable(chart, {});
  });
});
