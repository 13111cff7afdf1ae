import type Client from 'fhirclient/lib/Client';
import type { FhirRequester } from '../src/smart/context.ts';
import { isAllowedFhirUrl } from '../src/security/fhir-urls.ts';

/**
 * Adapts fhirclient's Client to the one thing widgets need; fhirclient refreshes on 401 itself.
 * fhirclient sends its bearer token to any absolute URL it is given, so a reference or paging
 * link that points off the launch's FHIR base is refused here, before anything is sent.
 */
export function fhirRequesterFor(client: Client): FhirRequester {
  return {
    request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      if (!isAllowedFhirUrl(url, client.state.serverUrl)) {
        return Promise.reject(new Error(`Curbside sends the access token to the FHIR server only; refused ${safeOrigin(url)}.`));
      }
      return client.request<T>({ url, ...(init?.signal ? { signal: init.signal } : {}) });
    },
    batch<T>(bundle: unknown, init?: { signal?: AbortSignal }): Promise<T> {
      // An empty path is the FHIR base itself, where a batch is POSTed.
      return client.request<T>({
        url: '',
        method: 'POST',
        body: JSON.stringify(bundle),
        headers: { 'content-type': 'application/fhir+json' },
        ...(init?.signal ? { signal: init.signal } : {}),
      });
    },
  };
}

/** Names the refused host without echoing a path or query, which could hold an identifier. */
function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'a malformed URL';
  }
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
