/**
 * A SMART EHR launch done from Node against the sandbox over real HTTP (launch → authorize with
 * PKCE → token), and a WriteTransport on the resulting session that renews with the refresh token.
 * For tests that drive the writer without a browser.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Sandbox } from '../../launch/sandbox/server.ts';
import type { TransportRequest, TransportResponse, WriteTransport } from '../../src/writeback/writer.ts';
import { readFileSync } from 'node:fs';
import { parseRuntimeConfig } from '../../src/smart/config.ts';
import { parseLaunchContext } from '../../src/smart/context.ts';

export interface NodeSmartSession extends WriteTransport {
  readonly patientId: string;
  readonly encounterId?: string;
  readonly fhirUser?: string;
  readonly accessToken: string;
  /** Requests sent, for assertions about what went where. */
  readonly sent: Array<{ method: string; url: string; status: number | 'no answer' }>;
}

export async function smartLaunch(sandbox: Sandbox, patientId: string): Promise<NodeSmartSession> {
  const config = parseRuntimeConfig(JSON.parse(readFileSync(new URL('../../public/curbside.config.json', import.meta.url), 'utf8')));
  const entry = config.ehrs.find((e) => e.id === 'sandbox');
  if (!entry) throw new Error('No sandbox entry in public/curbside.config.json');
  const launchResponse = await fetch(`${sandbox.ehrOrigin}/ehr/launch`, { method: 'POST', body: JSON.stringify({ patientId }) });
  const { launchUrl } = (await launchResponse.json()) as { launchUrl: string };
  const launch = new URL(launchUrl).searchParams.get('launch') ?? '';
  const redirectUri = `${sandbox.appOrigin}/index.html`;
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${sandbox.ehrOrigin}/auth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: entry.clientId,
    redirect_uri: redirectUri,
    scope: entry.scope,
    state: randomBytes(8).toString('hex'),
    aud: sandbox.fhirBase,
    launch,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })) {
    authorize.searchParams.set(k, v);
  }
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error(`authorize gave no code (HTTP ${redirect.status})`);
  const tokens = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: entry.clientId });
  let accessToken = String(tokens.access_token);
  let refreshToken = typeof tokens.refresh_token === 'string' ? tokens.refresh_token : undefined;
  const base = `${sandbox.fhirBase}/`;
  const sent: NodeSmartSession['sent'] = [];

  const context = parseLaunchContext(tokens, sandbox.fhirBase);

  return {
    patientId: context.patientId ?? '',
    ...(context.encounterId ? { encounterId: context.encounterId } : {}),
    ...(context.fhirUser ? { fhirUser: context.fhirUser } : {}),
    get accessToken() {
      return accessToken;
    },
    sent,
    async send(request: TransportRequest): Promise<TransportResponse> {
      const url = new URL(request.url, base);
      if (!url.href.startsWith(base)) throw new Error('Refusing to send the access token off the FHIR base.');
      try {
        const response = await fetch(url, {
          method: request.method,
          headers: { ...request.headers, authorization: `Bearer ${accessToken}` },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          ...(request.signal ? { signal: request.signal } : {}),
        });
        const text = await response.text();
        let body: unknown = text || undefined;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: keep the text.
        }
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
        sent.push({ method: request.method, url: url.pathname + url.search, status: response.status });
        return { status: response.status, headers, body };
      } catch (error) {
        sent.push({ method: request.method, url: url.pathname + url.search, status: 'no answer' });
        throw error;
      }
    },
    async reauthorize(): Promise<boolean> {
      if (!refreshToken) return false;
      try {
        const renewed = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: entry.clientId });
        accessToken = String(renewed.access_token);
        if (typeof renewed.refresh_token === 'string') refreshToken = renewed.refresh_token;
        return true;
      } catch {
        return false;
      }
    },
  };
}

async function tokenRequest(sandbox: Sandbox, form: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.ehrOrigin}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}: ${String(body.error)}`);
  return body;
}
