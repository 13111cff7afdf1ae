/**
 * Property-based: the chart reader given mutated and malformed FHIR — resources with wrong types,
 * missing or extra fields, hostile strings, bundles that are not bundles, paging links to other
 * hosts, errors — settles every time with a chart made only of plain data, and never asks for a
 * URL off the FHIR base. The answers start as the sandbox's real answers for one patient.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Resource } from 'fhir/r4';
import { createFhirServer } from '../../launch/sandbox/fhir/index.ts';
import { generateCohort, type CohortPatient } from '../../launch/sandbox/cohort/index.ts';
import { makeGrant } from '../../launch/sandbox/scopes.ts';
import { applyMutations, assertNoPrototypePollution, hostileJson, hostileString, mutation, type Json } from '../../test/support/mutate.ts';
import { isAllowedFhirUrl } from '../security/fhir-urls.ts';
import type { FhirRequester, LaunchContext } from '../smart/context.ts';
import { loadBannerFacts, loadChart, PatientLoadError } from './index.ts';

const BASE = 'http://localhost:4000/fhir';
const AS_OF = new Date('2025-06-01T18:00:00Z');
const RUNS = 200;

let patient: CohortPatient;
/** The sandbox's answer to each URL the reader asked for, in the order it asked. */
const recorded = new Map<string, Json>();

before(async () => {
  const cohort = generateCohort({ asOf: '2025-06-01', largePatientObservations: 0 });
  patient = cohort.patients.find((p) => p.key === 'ckd-progression')!;
  const server = await createFhirServer({ baseUrl: BASE, authorizeUrl: `${BASE}/../auth/authorize`, tokenUrl: `${BASE}/../auth/token` });
  await server.load([...cohort.practitioners, cohort.organization, ...patient.resources] as Resource[]);
  const grant = makeGrant({ clientId: 'curbside-sandbox', scopes: ['patient/*.rs'], patient: patient.patientId, expiresAt: Date.now() + 3_600_000 });
  const recorder: FhirRequester = {
    async request<T>(url: string): Promise<T> {
      const response = await server.handle({ method: 'GET', url: new URL(url, `${BASE}/`), headers: {} }, grant);
      recorded.set(url, response.body as Json);
      if (response.status >= 400) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
      return response.body as T;
    },
  };
  await loadChart(recorder, context(), { asOf: AS_OF });
  await loadBannerFacts(recorder, patient.patientId);
});

function context(): LaunchContext {
  return { fhirBase: BASE, patientId: patient.patientId, encounterId: patient.encounterId!, needPatientBanner: true, grantedScopes: [] };
}

/** How one request is answered: the recorded body mutated, something else entirely, or an error. */
const answer = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('mutate' as const), mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), body: hostileJson }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('next-link' as const),
      url: fc.oneof(hostileString, fc.constantFrom('https://evil.example/fhir/Observation?page=2', `${BASE}/Observation?page=99`, '//evil.example/x', 'javascript:alert(1)')),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('error' as const), status: fc.constantFrom(0, 400, 401, 403, 404, 429, 500, 503) }) },
);

type AnswerPlan = typeof answer extends fc.Arbitrary<infer A> ? A : never;

/** A requester that answers the n-th distinct URL with `plans[n % plans.length]`, off-base URLs refused as the app refuses them. */
function fuzzedFhir(plans: readonly AnswerPlan[]): FhirRequester & { offBase: string[] } {
  const order = new Map<string, number>();
  const offBase: string[] = [];
  return {
    offBase,
    async request<T>(url: string): Promise<T> {
      if (!isAllowedFhirUrl(url, BASE)) {
        offBase.push(url);
        throw new Error('Curbside sends the access token to the FHIR server only.');
      }
      if (!order.has(url)) order.set(url, order.size);
      const plan = plans[order.get(url)! % plans.length]!;
      const original: Json = recorded.get(url) ?? { resourceType: 'Bundle', type: 'searchset', entry: [] };
      switch (plan.kind) {
        case 'mutate':
          return applyMutations(original, plan.mutations) as T;
        case 'replace':
          return structuredClone(plan.body) as T;
        case 'next-link':
          return { ...(original as object), link: [{ relation: 'next', url: plan.url }] } as T;
        case 'error':
          throw Object.assign(new Error(`HTTP ${plan.status}`), { status: plan.status, statusCode: plan.status });
      }
    },
  };
}

/** True when `value` is plain data: what a Lit text binding can only ever show as text. */
function isPlainData(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return true;
  if (typeof value !== 'object') return false;
  // Shared sub-objects are fine; a cycle is caught by the JSON.stringify check.
  if (seen.has(value)) return true;
  seen.add(value);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return false;
  return Object.values(value).every((child) => isPlainData(child, seen));
}

test('the chart reader settles with plain data for any mutated or malformed FHIR answer', async () => {
  assert.ok(recorded.size >= 8, 'the reader was recorded against the real sandbox');
  await fc.assert(
    fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 12 }), async (plans) => {
      const fhir = fuzzedFhir(plans);
      const { chart } = await loadChart(fhir, context(), { asOf: AS_OF });
      assert.ok(isPlainData(chart), 'the chart holds only plain data');
      for (const [name, state] of Object.entries(chart.sections)) {
        assert.ok(['ready', 'unavailable'].includes(state.status), `${name} settled: ${state.status}`);
      }
      for (const problem of chart.problems) assert.equal(typeof problem.display, 'string');
      for (const note of chart.notes) assert.equal(typeof note.reference, 'string');
      assert.doesNotThrow(() => JSON.stringify(chart));
      assertNoPrototypePollution();
    }),
    { numRuns: RUNS },
  );
});

test('the banner either shows facts or says why the patient could not be read, for any answer', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 4 }), async (plans) => {
      try {
        const facts = await loadBannerFacts(fuzzedFhir(plans), patient.patientId);
        assert.ok(isPlainData(facts));
        assert.equal(typeof facts.patient.name, 'string');
      } catch (error) {
        assert.ok(error instanceof PatientLoadError, `only a PatientLoadError, not ${String(error)}`);
      }
      assertNoPrototypePollution();
    }),
    { numRuns: RUNS },
  );
});
