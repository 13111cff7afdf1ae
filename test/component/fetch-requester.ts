import type { FhirRequester } from '../../src/smart/context.ts';

/**
 * A FhirRequester over the page's fetch, shaped like the app's fhirclient wrapper: relative
 * URLs resolve against the base, and HTTP failures throw an error carrying `status` and
 * `statusCode` as fhirclient's HttpError does. msw answers the requests at the network layer.
 */
export function fetchRequester(fhirBase: string): FhirRequester {
  const base = fhirBase.endsWith('/') ? fhirBase : `${fhirBase}/`;
  return {
    async request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      const response = await fetch(new URL(url, base), {
        headers: { accept: 'application/fhir+json' },
        ...(init?.signal ? { signal: init.signal } : {}),
      });
      if (!response.ok) {
        throw Object.assign(new Error(`${response.status} ${response.statusText}`), { name: 'HttpError', status: response.status, statusCode: response.status });
      }
      return (await response.json()) as T;
    },
  };
}
