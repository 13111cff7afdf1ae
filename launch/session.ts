import type Client from 'fhirclient/lib/Client';
import type { FhirRequester } from '../src/smart/context.ts';

/** Adapts fhirclient's Client to the one thing widgets need; fhirclient refreshes on 401 itself. */
export function fhirRequesterFor(client: Client): FhirRequester {
  return {
    request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      return client.request<T>({ url, ...(init?.signal ? { signal: init.signal } : {}) });
    },
  };
}

const REFRESH_MARGIN_SECONDS = 60;

/**
 * Refreshes the access token a minute before it expires, when a refresh token exists, so a
 * clinician who leaves the sidebar open is never met by a 401 mid-task. Returns a stop function.
 */
export function keepSessionFresh(client: Client, onFailure: (error: unknown) => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (): void => {
    const refreshToken = client.getState('tokenResponse.refresh_token') as string | undefined;
    const expiresAt = client.state.expiresAt;
    if (!refreshToken || !expiresAt) return;
    const delayMs = Math.max(0, (expiresAt - REFRESH_MARGIN_SECONDS) * 1000 - Date.now());
    timer = setTimeout(() => {
      client.refresh().then(schedule, onFailure);
    }, delayMs);
  };
  schedule();
  return () => clearTimeout(timer);
}
