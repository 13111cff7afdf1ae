import type Client from 'fhirclient/lib/Client';
import type { TransportRequest, TransportResponse, WriteTransport } from '../src/writeback/writer.ts';
import { isAllowedFhirUrl } from '../src/security/fhir-urls.ts';

/**
 * The writer's way to the EHR in the browser: plain fetch with the session's access token, so the
 * writer sees every status and header (fhirclient would replay a POST on its own after a 401).
 * The token only ever goes to the launch's FHIR base; any other URL is refused before sending.
 */
export function writeTransportFor(client: Client): WriteTransport {
  const base = `${client.state.serverUrl.replace(/\/+$/, '')}/`;
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const url = new URL(request.url, base);
      if (!isAllowedFhirUrl(url.href, base)) throw new Error('Curbside sends the access token to the FHIR server only.');
      const token = client.state.tokenResponse?.access_token;
      const response = await fetch(url, {
        method: request.method,
        headers: { ...request.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        ...(request.signal ? { signal: request.signal } : {}),
        credentials: 'omit',
        cache: 'no-store',
      });
      const text = await response.text();
      let body: unknown = text || undefined;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          // A Binary may come back as its raw content.
        }
      }
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, body };
    },
    async reauthorize(): Promise<boolean> {
      if (!client.getState('tokenResponse.refresh_token')) return false;
      try {
        await client.refresh();
        return true;
      } catch {
        return false;
      }
    },
  };
}
