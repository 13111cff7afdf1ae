/**
 * The sandbox's FHIR engine in process, for tests that read the chart without HTTP: a server
 * seeded with the synthetic cohort, and a `FhirRequester` over its `handle` that fails like
 * fhirclient does (an `HttpError` with a numeric `status`). Scope, compartment and search
 * semantics are the sandbox's own.
 */
import { readFileSync } from 'node:fs';
import type { Resource } from 'fhir/r4';
import { createFhirServer, type FhirServer } from '../../launch/sandbox/fhir/index.ts';
import { generateCohort, type Cohort, type CohortOptions } from '../../launch/sandbox/cohort/index.ts';
import { makeGrant } from '../../launch/sandbox/scopes.ts';
import { parseRuntimeConfig } from '../../src/smart/config.ts';
import type { FhirRequester } from '../../src/smart/context.ts';

export const IN_PROCESS_BASE = 'http://localhost:4000/fhir';

/** The scopes the app asks the sandbox for in an EHR launch, from the shipped runtime configuration. */
export const APP_SCOPES: readonly string[] = (() => {
  const config = parseRuntimeConfig(JSON.parse(readFileSync(new URL('../../public/curbside.config.json', import.meta.url), 'utf8')));
  return config.ehrs.find((e) => e.id === 'sandbox')!.scope.split(/\s+/);
})();

export async function inProcessServer(): Promise<FhirServer> {
  return createFhirServer({ baseUrl: IN_PROCESS_BASE, authorizeUrl: `${IN_PROCESS_BASE}/../auth/authorize`, tokenUrl: `${IN_PROCESS_BASE}/../auth/token` });
}

/** A server holding the whole cohort generated with `options`. */
export async function cohortServer(options: CohortOptions): Promise<{ cohort: Cohort; server: FhirServer }> {
  const cohort = generateCohort(options);
  const server = await inProcessServer();
  await server.load([...cohort.practitioners, cohort.organization] as Resource[]);
  for (const patient of cohort.patients) await server.load(patient.resources);
  return { cohort, server };
}

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly statusCode: number;
  constructor(status: number) {
    super(`HTTP ${status}`);
    this.status = status;
    this.statusCode = status;
  }
}

/** A requester for one patient's launch; `urls` records every URL asked for. */
export function inProcessRequester(server: FhirServer, patientId: string, scopes: readonly string[] = APP_SCOPES): FhirRequester & { urls: string[] } {
  const grant = makeGrant({ clientId: 'curbside-sandbox', scopes: [...scopes], patient: patientId, expiresAt: Date.now() + 3_600_000 });
  const urls: string[] = [];
  return {
    urls,
    async request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      init?.signal?.throwIfAborted();
      urls.push(url);
      const response = await server.handle({ method: 'GET', url: new URL(url, `${IN_PROCESS_BASE}/`), headers: { accept: 'application/fhir+json' } }, grant);
      if (response.status >= 400) throw new HttpError(response.status);
      return response.body as T;
    },
  };
}
