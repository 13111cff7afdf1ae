/**
 * The sandbox's SMART authorization server and FHIR access checks over real HTTP: every refusal
 * an EHR must make, proven by a request that should be refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startSandbox, type Sandbox } from '../../launch/sandbox/server.ts';

let sandbox: Sandbox;
let redirectUri: string;
const clientId = 'curbside-sandbox';

before(async () => {
  sandbox = await startSandbox({ quiet: true, largePatientObservations: 500, loadSynthea: false });
  redirectUri = `${sandbox.appOrigin}/index.html`;
});
after(() => sandbox?.close());

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const SCOPE = 'launch openid fhirUser online_access patient/Patient.r patient/Observation.rs patient/AllergyIntolerance.rs';

async function newLaunch(patientIndex = 0): Promise<{ launch: string; patient: string }> {
  const patient = sandbox.patients.filter((p) => p.source === 'synthetic' && p.encounterId)[patientIndex]!;
  const res = await fetch(`${sandbox.ehrOrigin}/ehr/launch`, { method: 'POST', body: JSON.stringify({ patientId: patient.id }) });
  const { launchUrl } = (await res.json()) as { launchUrl: string };
  return { launch: new URL(launchUrl).searchParams.get('launch')!, patient: patient.id };
}

async function authorize(overrides: Record<string, string | null> = {}): Promise<Response> {
  const url = new URL(`${sandbox.ehrOrigin}/auth/authorize`);
  const params: Record<string, string | null> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: SCOPE,
    state: 'state-123',
    aud: sandbox.fhirBase,
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return fetch(url, { redirect: 'manual' });
}

async function getCode(patientIndex = 0, scope = SCOPE): Promise<{ code: string; verifier: string; patient: string }> {
  const { launch, patient } = await newLaunch(patientIndex);
  const { verifier, challenge } = pkce();
  const res = await authorize({ launch, code_challenge: challenge, scope });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.searchParams.get('state'), 'state-123');
  const code = location.searchParams.get('code');
  assert.ok(code, `authorize issued a code (got ${location.search})`);
  return { code, verifier, patient };
}

function token(form: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.ehrOrigin}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
}

async function exchange(code: string, verifier: string): Promise<Record<string, unknown>> {
  const res = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Record<string, unknown>;
}

function fhirGet(path: string, accessToken?: string): Promise<Response> {
  return fetch(`${sandbox.fhirBase}/${path}`, { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });
}

describe('discovery', () => {
  test('smart-configuration advertises what Curbside needs', async () => {
    const res = await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`);
    const config = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(config.code_challenge_methods_supported, ['S256']);
    for (const capability of ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-ehr-encounter', 'context-standalone-patient', 'permission-v2', 'permission-v1', 'sso-openid-connect', 'authorize-post']) {
      assert.ok((config.capabilities as string[]).includes(capability), capability);
    }
    assert.equal(config.authorization_endpoint, `${sandbox.ehrOrigin}/auth/authorize`);
  });

  test('metadata answers without a token', async () => {
    const res = await fhirGet('metadata');
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { resourceType: string }).resourceType, 'CapabilityStatement');
  });
});

describe('a full EHR launch', () => {
  test('returns context, a signed id_token with fhirUser, a refresh token, and reads the patient', async () => {
    const { code, verifier, patient } = await getCode();
    const body = await exchange(code, verifier);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.patient, patient);
    assert.ok(typeof body.encounter === 'string');
    assert.equal(body.need_patient_banner, true);
    assert.equal(body.smart_style_url, `${sandbox.ehrOrigin}/ehr/style.json`);
    assert.ok(typeof body.refresh_token === 'string');
    assert.deepEqual(String(body.scope).split(' ').sort(), SCOPE.split(' ').sort());
    const jwks = createRemoteJWKSet(new URL(`${sandbox.ehrOrigin}/auth/jwks`));
    const { payload } = await jwtVerify(String(body.id_token), jwks, { issuer: `${sandbox.ehrOrigin}/auth`, audience: clientId });
    assert.match(String(payload.fhirUser), new RegExp(`^${sandbox.fhirBase}/Practitioner/`));
    const read = await fhirGet(`Patient/${patient}`, String(body.access_token));
    assert.equal(read.status, 200);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(body.refresh_token), client_id: clientId });
    assert.equal(refreshed.status, 200);
    const again = (await refreshed.json()) as Record<string, unknown>;
    assert.notEqual(again.access_token, body.access_token);
    assert.equal(again.patient, patient);
  });

  test('a registered scope set is the ceiling: unregistered scopes are not granted', async () => {
    const { code, verifier } = await getCode(0, `${SCOPE} patient/Claim.rs system/*.cruds`);
    const body = await exchange(code, verifier);
    const granted = String(body.scope).split(' ');
    assert.ok(!granted.includes('patient/Claim.rs'));
    assert.ok(!granted.includes('system/*.cruds'));
  });
});

describe('refusals', () => {
  test('a wrong PKCE verifier', async () => {
    const { code } = await getCode();
    const res = await token({ grant_type: 'authorization_code', code, code_verifier: pkce().verifier, redirect_uri: redirectUri, client_id: clientId });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_grant');
  });

  test('a missing PKCE challenge is sent back as an error to the app', async () => {
    const { launch } = await newLaunch();
    const res = await authorize({ launch, code_challenge: null, code_challenge_method: null });
    const location = new URL(res.headers.get('location')!);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.equal(location.searchParams.get('code'), null);
  });

  test('a wrong redirect_uri is never redirected to', async () => {
    const { launch } = await newLaunch();
    const res = await authorize({ launch, code_challenge: pkce().challenge, redirect_uri: 'http://127.0.0.1:9/steal' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /Redirect URI not registered/);
  });

  test('a redirect_uri at the token endpoint that differs from authorize', async () => {
    const { code, verifier } = await getCode();
    const res = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: `${redirectUri}?x=1`, client_id: clientId });
    assert.equal(res.status, 400);
  });

  test('an unknown client', async () => {
    const res = await authorize({ client_id: 'someone-else', code_challenge: pkce().challenge });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });

  test('a wrong aud', async () => {
    const { launch } = await newLaunch();
    const res = await authorize({ launch, code_challenge: pkce().challenge, aud: 'https://other.example/fhir' });
    assert.equal(new URL(res.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  });

  test('an unknown or reused launch id', async () => {
    const unknown = await authorize({ launch: 'not-issued', code_challenge: pkce().challenge });
    assert.match(new URL(unknown.headers.get('location')!).searchParams.get('error_description')!, /launch/);
    const { launch } = await newLaunch();
    assert.ok(new URL((await authorize({ launch, code_challenge: pkce().challenge })).headers.get('location')!).searchParams.get('code'));
    const reused = await authorize({ launch, code_challenge: pkce().challenge });
    assert.equal(new URL(reused.headers.get('location')!).searchParams.get('error'), 'invalid_request');
  });

  test('a reused code fails and revokes the token it produced', async () => {
    const { code, verifier, patient } = await getCode();
    const body = await exchange(code, verifier);
    const replay = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId });
    assert.equal(replay.status, 400);
    assert.equal(((await replay.json()) as { error: string }).error, 'invalid_grant');
    assert.equal((await fhirGet(`Patient/${patient}`, String(body.access_token))).status, 401);
  });

  test('no token, an unknown token and an expired token get 401 with WWW-Authenticate', async () => {
    const { code, verifier, patient } = await getCode();
    const body = await exchange(code, verifier);
    const none = await fhirGet(`Patient/${patient}`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal(((await none.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
    assert.equal((await fhirGet(`Patient/${patient}`, 'forged')).status, 401);
    assert.equal((await fhirGet(`Patient/${patient}`, String(body.access_token))).status, 200);
    await fetch(`${sandbox.ehrOrigin}/ehr/expire-tokens`, { method: 'POST' });
    const expired = await fhirGet(`Patient/${patient}`, String(body.access_token));
    assert.equal(expired.status, 401);
    assert.match(expired.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  test('a short token lifetime expires on its own', async () => {
    sandbox.settings.tokenLifetimeSeconds = 1;
    try {
      const { code, verifier, patient } = await getCode();
      const body = await exchange(code, verifier);
      assert.equal(body.expires_in, 1);
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await fhirGet(`Patient/${patient}`, String(body.access_token))).status, 401);
    } finally {
      sandbox.settings.tokenLifetimeSeconds = 3600;
    }
  });

  test('out-of-scope reads: another resource type, another patient', async () => {
    const { code, verifier, patient } = await getCode(0);
    const body = await exchange(code, verifier);
    const accessToken = String(body.access_token);
    const otherType = await fhirGet(`Condition?patient=${patient}`, accessToken);
    assert.equal(otherType.status, 403);
    assert.equal(((await otherType.json()) as { resourceType: string }).resourceType, 'OperationOutcome');
    const other = sandbox.patients.find((p) => p.source === 'synthetic' && p.id !== patient)!;
    assert.equal((await fhirGet(`Patient/${other.id}`, accessToken)).status, 403);
    assert.equal((await fhirGet(`Observation?patient=${other.id}`, accessToken)).status, 403);
  });

  test('a withheld scope is not granted and its reads are refused', async () => {
    sandbox.settings.withheldScopes = ['patient/AllergyIntolerance.rs'];
    try {
      const { code, verifier, patient } = await getCode();
      const body = await exchange(code, verifier);
      assert.ok(!String(body.scope).split(' ').includes('patient/AllergyIntolerance.rs'));
      assert.equal((await fhirGet(`AllergyIntolerance?patient=${patient}`, String(body.access_token))).status, 403);
    } finally {
      sandbox.settings.withheldScopes = [];
    }
  });

  test('fault knobs: a type failing with 500, and added latency', async () => {
    const { code, verifier, patient } = await getCode();
    const accessToken = String((await exchange(code, verifier)).access_token);
    sandbox.settings.failTypes = { Observation: 500 };
    sandbox.settings.latencyMs = 120;
    try {
      const started = performance.now();
      const res = await fhirGet(`Observation?patient=${patient}`, accessToken);
      assert.equal(res.status, 500);
      assert.ok(performance.now() - started >= 110, 'latency was added');
      assert.equal((await fhirGet(`Patient/${patient}`, accessToken)).status, 200);
    } finally {
      sandbox.settings.failTypes = {};
      sandbox.settings.latencyMs = 0;
    }
  });

  test('token endpoint errors are RFC 6749 JSON', async () => {
    const res = await token({ grant_type: 'password', username: 'x' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(((await res.json()) as { error: string }).error, 'unsupported_grant_type');
  });
});
