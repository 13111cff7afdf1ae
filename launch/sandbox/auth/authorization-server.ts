/**
 * The sandbox EHR's SMART App Launch 2.x authorization server: launch ids, /authorize (GET and
 * POST) with a patient picker and consent, /token with PKCE S256, single-use codes, refresh
 * tokens and signed id_tokens. Tokens are opaque random strings looked up in memory, as in most EHRs.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { ClientRegistration } from '../registration.ts';
import { makeGrant, parseResourceScope, splitScopes, type AccessGrant } from '../scopes.ts';
import { consentPage, errorPage, patientPickerPage } from './pages.ts';

export interface AuthRequest {
  readonly method: string;
  readonly url: URL;
  /** Parsed `application/x-www-form-urlencoded` body, when there is one. */
  readonly form?: URLSearchParams;
}

export interface AuthResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface LaunchRequest {
  readonly patient: string;
  readonly encounter?: string;
  readonly practitioner: string;
  readonly needPatientBanner: boolean;
}

export interface AuthSettings {
  /** Lifetime of new access tokens; tests shorten it to make tokens expire mid-session. */
  tokenLifetimeSeconds: number;
  /** `prompt` shows a consent page on EHR launches too; standalone launches always ask. */
  consent: 'auto' | 'prompt';
  /** Scopes the EHR refuses to grant even when registered and requested (narrower grants). */
  withheldScopes: string[];
}

export interface PickerPatient {
  readonly id: string;
  readonly name: string;
  readonly detail: string;
}

export interface AuthServerOptions {
  readonly issuer: string;
  readonly fhirBase: string;
  readonly clients: readonly ClientRegistration[];
  readonly smartStyleUrl: string;
  readonly settings: AuthSettings;
  /** The clinician a standalone launch signs in as. */
  readonly defaultPractitioner: string;
  readonly listPatients: () => Promise<readonly PickerPatient[]>;
  readonly patientName: (id: string) => Promise<string | undefined>;
  readonly now?: () => number;
}

interface PendingAuthorization {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly codeChallenge: string;
  readonly scopes: readonly string[];
  readonly launch?: LaunchRequest;
  readonly standalonePatient: boolean;
  readonly expiresAt: number;
  /** Chosen on the patient picker during a standalone launch. */
  pickedPatient?: string;
}

interface IssuedCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly nonce: string | undefined;
  readonly scopes: readonly string[];
  readonly patient?: string;
  readonly encounter?: string;
  readonly practitioner: string;
  readonly needPatientBanner: boolean;
  readonly expiresAt: number;
  used: boolean;
  /** Tokens issued for this code, revoked if the code is replayed (RFC 6749 §4.1.2). */
  readonly issuedTokens: string[];
}

interface RefreshGrant {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly patient?: string;
  readonly encounter?: string;
  readonly practitioner: string;
  readonly needPatientBanner: boolean;
  readonly expiresAt: number;
}

export type TokenCheck = { ok: true; grant: AccessGrant } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

const CODE_LIFETIME_MS = 60_000;
const LAUNCH_LIFETIME_MS = 10 * 60_000;
const PENDING_LIFETIME_MS = 10 * 60_000;
const REFRESH_LIFETIME_MS = 24 * 3600_000;

export const SMART_CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'client-public',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'context-banner',
  'context-style',
  'permission-v2',
  'permission-v1',
  'permission-patient',
  'permission-user',
  'permission-online',
  'permission-offline',
  'sso-openid-connect',
  'authorize-post',
] as const;

function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function sameString(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

function json(status: number, body: unknown, extra: Record<string, string> = {}): AuthResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...extra }, body: JSON.stringify(body) };
}

function html(status: number, body: string): AuthResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE }, body };
}

function redirect(location: string): AuthResponse {
  return { status: 302, headers: { location, ...NO_STORE } };
}

function oauthError(error: string, description: string, status = 400): AuthResponse {
  return json(status, { error, error_description: description });
}

/** True when `requested` is covered by a registered scope (same context and type or `*`, at most its permissions). */
function scopeCovered(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const want = parseResourceScope(requested);
  if (!want) return false;
  return registered.some((r) => {
    const have = parseResourceScope(r);
    if (!have || have.context !== want.context) return false;
    if (have.resourceType !== '*' && have.resourceType !== want.resourceType) return false;
    if (have.constraints.length > 0) return false;
    return [...want.permissions].every((p) => have.permissions.has(p));
  });
}

export class AuthorizationServer {
  readonly #options: AuthServerOptions;
  readonly #launches = new Map<string, LaunchRequest & { expiresAt: number }>();
  readonly #pending = new Map<string, PendingAuthorization>();
  readonly #codes = new Map<string, IssuedCode>();
  readonly #accessTokens = new Map<string, AccessGrant>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  #signingKey: CryptoKey | undefined;
  #publicJwk: JWK | undefined;

  constructor(options: AuthServerOptions) {
    this.#options = options;
  }

  get authorizeUrl(): string {
    return `${this.#options.issuer}/authorize`;
  }

  get tokenUrl(): string {
    return `${this.#options.issuer}/token`;
  }

  get jwksUrl(): string {
    return `${this.#options.issuer}/jwks`;
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  async #keys(): Promise<{ key: CryptoKey; jwk: JWK }> {
    if (!this.#signingKey || !this.#publicJwk) {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      this.#signingKey = privateKey;
      this.#publicJwk = { ...(await exportJWK(publicKey)), kid: 'sandbox-1', alg: 'RS256', use: 'sig' };
    }
    return { key: this.#signingKey, jwk: this.#publicJwk };
  }

  /** The EHR side of an EHR launch: bind the chart's patient, encounter and user to a one-time launch id. */
  issueLaunch(request: LaunchRequest): string {
    const id = randomToken(16);
    this.#launches.set(id, { ...request, expiresAt: this.#now() + LAUNCH_LIFETIME_MS });
    return id;
  }

  smartConfiguration(): Record<string, unknown> {
    const { issuer } = this.#options;
    return {
      issuer,
      jwks_uri: this.jwksUrl,
      authorization_endpoint: this.authorizeUrl,
      token_endpoint: this.tokenUrl,
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      response_types_supported: ['code'],
      scopes_supported: [
        'openid',
        'fhirUser',
        'launch',
        'launch/patient',
        'launch/encounter',
        'offline_access',
        'online_access',
        'patient/*.cruds',
        'user/*.cruds',
        'patient/*.read',
        'user/*.read',
        'patient/*.write',
      ],
      code_challenge_methods_supported: ['S256'],
      capabilities: [...SMART_CAPABILITIES],
    };
  }

  async jwks(): Promise<Record<string, unknown>> {
    return { keys: [(await this.#keys()).jwk] };
  }

  openidConfiguration(): Record<string, unknown> {
    return {
      issuer: this.#options.issuer,
      authorization_endpoint: this.authorizeUrl,
      token_endpoint: this.tokenUrl,
      jwks_uri: this.jwksUrl,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'fhirUser'],
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'fhirUser', 'nonce'],
    };
  }

  /** Checks a bearer token from a FHIR request. */
  checkAccessToken(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'missing' };
    const grant = this.#accessTokens.get(match[1]!);
    if (!grant) return { ok: false, reason: 'unknown' };
    if (grant.expiresAt <= this.#now()) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  }

  /** Makes every live access token expire now (a fault knob: "the token expired mid-session"). */
  expireAllAccessTokens(): number {
    let n = 0;
    for (const [token, grant] of this.#accessTokens) {
      this.#accessTokens.set(token, { ...grant, expiresAt: 0 });
      n++;
    }
    return n;
  }

  /** Expires the one access token a request carries (a fault knob); its refresh token keeps working. */
  expireAccessToken(authorization: string | undefined): boolean {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const grant = token ? this.#accessTokens.get(token) : undefined;
    if (!token || !grant) return false;
    this.#accessTokens.set(token, { ...grant, expiresAt: 0 });
    return true;
  }

  async handle(req: AuthRequest): Promise<AuthResponse | undefined> {
    const path = req.url.pathname.slice(new URL(this.#options.issuer).pathname.length);
    if (path === '/authorize' && (req.method === 'GET' || req.method === 'POST')) {
      const params = req.method === 'POST' ? (req.form ?? new URLSearchParams()) : req.url.searchParams;
      return this.#authorize(params);
    }
    if (path === '/authorize/continue' && req.method === 'POST') return this.#continue(req.form ?? new URLSearchParams());
    if (path === '/token') {
      if (req.method !== 'POST') return oauthError('invalid_request', 'The token endpoint only accepts POST.', 405);
      if (!req.form) return oauthError('invalid_request', 'The token request must be application/x-www-form-urlencoded.');
      return this.#token(req.form);
    }
    if (path === '/jwks' && req.method === 'GET') return json(200, await this.jwks(), { 'cache-control': 'max-age=300' });
    if (path === '/.well-known/openid-configuration' && req.method === 'GET') return json(200, this.openidConfiguration());
    return undefined;
  }

  async #authorize(params: URLSearchParams): Promise<AuthResponse> {
    const clientId = params.get('client_id') ?? '';
    const client = this.#options.clients.find((c) => c.clientId === clientId);
    // Until client and redirect_uri are verified, errors are shown here, never redirected (RFC 6749 §4.1.2.1).
    if (!client) return html(400, errorPage('Unknown application', `No application is registered with client_id "${clientId}".`));
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!client.redirectUris.includes(redirectUri)) {
      return html(400, errorPage('Redirect URI not registered', `The redirect_uri does not exactly match one registered for ${client.clientName}.`));
    }
    const state = params.get('state') ?? undefined;
    const fail = (error: string, description: string): AuthResponse => {
      const target = new URL(redirectUri);
      target.searchParams.set('error', error);
      target.searchParams.set('error_description', description);
      if (state !== undefined) target.searchParams.set('state', state);
      return redirect(target.toString());
    };
    if (params.get('response_type') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
    if (!state) return fail('invalid_request', 'The state parameter is required.');
    const aud = (params.get('aud') ?? '').replace(/\/+$/, '');
    if (aud !== this.#options.fhirBase) return fail('invalid_request', `aud must be this EHR's FHIR base (${this.#options.fhirBase}).`);
    const codeChallenge = params.get('code_challenge') ?? '';
    if (params.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
      return fail('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
    }
    const requested = splitScopes(params.get('scope'));
    if (requested.length === 0) return fail('invalid_scope', 'No scope was requested.');
    const withheld = new Set(this.#options.settings.withheldScopes);
    const scopes = requested.filter((s) => scopeCovered(s, client.scopes) && !withheld.has(s));

    let launch: LaunchRequest | undefined;
    if (requested.includes('launch')) {
      const launchId = params.get('launch') ?? '';
      const found = this.#launches.get(launchId);
      if (!found || found.expiresAt <= this.#now()) {
        return fail('invalid_request', 'The launch parameter is missing, unknown or expired. Relaunch the app from the chart.');
      }
      this.#launches.delete(launchId);
      launch = found;
    }
    const pending: PendingAuthorization = {
      clientId,
      redirectUri,
      state,
      nonce: params.get('nonce') ?? undefined,
      codeChallenge,
      scopes,
      ...(launch ? { launch } : {}),
      standalonePatient: !launch && requested.includes('launch/patient'),
      expiresAt: this.#now() + PENDING_LIFETIME_MS,
    };
    if (!launch || this.#options.settings.consent === 'prompt') {
      const txn = randomToken(16);
      this.#pending.set(txn, pending);
      return this.#nextStep(txn, pending);
    }
    return this.#issueCode(pending, launch.patient);
  }

  async #nextStep(txn: string, pending: PendingAuthorization): Promise<AuthResponse> {
    const client = this.#options.clients.find((c) => c.clientId === pending.clientId)!;
    const action = `${this.#options.issuer}/authorize/continue`;
    if (pending.standalonePatient && !pending.pickedPatient) {
      return html(200, patientPickerPage({ txn, clientName: client.clientName, action, patients: await this.#options.listPatients() }));
    }
    const patientId = pending.pickedPatient ?? pending.launch?.patient;
    const patientName = patientId ? await this.#options.patientName(patientId) : undefined;
    return html(200, consentPage({ txn, clientName: client.clientName, scopes: pending.scopes, action, ...(patientName ? { patientName } : {}) }));
  }

  async #continue(form: URLSearchParams): Promise<AuthResponse> {
    const txn = form.get('txn') ?? '';
    const pending = this.#pending.get(txn);
    if (!pending || pending.expiresAt <= this.#now()) {
      return html(400, errorPage('Authorization expired', 'This authorization request is no longer valid. Relaunch the app.'));
    }
    const decision = form.get('decision');
    if (decision === 'deny') {
      this.#pending.delete(txn);
      const target = new URL(pending.redirectUri);
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user denied the authorization request.');
      if (pending.state !== undefined) target.searchParams.set('state', pending.state);
      return redirect(target.toString());
    }
    const picked = form.get('patient');
    if (pending.standalonePatient && picked) {
      if (!(await this.#options.patientName(picked))) return html(400, errorPage('Unknown patient', 'That patient does not exist.'));
      pending.pickedPatient = picked;
      return this.#nextStep(txn, pending);
    }
    if (decision !== 'allow' || (pending.standalonePatient && !pending.pickedPatient)) return this.#nextStep(txn, pending);
    this.#pending.delete(txn);
    return this.#issueCode(pending, pending.launch?.patient ?? pending.pickedPatient);
  }

  #issueCode(pending: PendingAuthorization, patient: string | undefined): AuthResponse {
    const code = randomToken();
    const wantsPatient = pending.launch !== undefined || pending.standalonePatient;
    this.#codes.set(code, {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      codeChallenge: pending.codeChallenge,
      nonce: pending.nonce,
      scopes: pending.scopes,
      ...(wantsPatient && patient ? { patient } : {}),
      ...(pending.launch?.encounter ? { encounter: pending.launch.encounter } : {}),
      practitioner: pending.launch?.practitioner ?? this.#options.defaultPractitioner,
      needPatientBanner: pending.launch?.needPatientBanner ?? true,
      expiresAt: this.#now() + CODE_LIFETIME_MS,
      used: false,
      issuedTokens: [],
    });
    const target = new URL(pending.redirectUri);
    target.searchParams.set('code', code);
    if (pending.state !== undefined) target.searchParams.set('state', pending.state);
    return redirect(target.toString());
  }

  async #token(form: URLSearchParams): Promise<AuthResponse> {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.#exchangeCode(form);
    if (grantType === 'refresh_token') return this.#refresh(form);
    return oauthError('unsupported_grant_type', `grant_type "${grantType ?? ''}" is not supported.`);
  }

  async #exchangeCode(form: URLSearchParams): Promise<AuthResponse> {
    const code = form.get('code') ?? '';
    const issued = this.#codes.get(code);
    if (!issued) return oauthError('invalid_grant', 'The authorization code is unknown.');
    if (issued.used) {
      // A replayed code means it leaked: revoke what it produced.
      for (const token of issued.issuedTokens) {
        this.#accessTokens.delete(token);
        this.#refreshTokens.delete(token);
      }
      return oauthError('invalid_grant', 'The authorization code has already been used.');
    }
    issued.used = true;
    if (issued.expiresAt <= this.#now()) return oauthError('invalid_grant', 'The authorization code has expired.');
    const clientId = form.get('client_id') ?? '';
    if (clientId !== issued.clientId) return oauthError('invalid_client', 'client_id does not match the authorization request.', 401);
    if ((form.get('redirect_uri') ?? '') !== issued.redirectUri) {
      return oauthError('invalid_grant', 'redirect_uri does not match the authorization request.');
    }
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !sameString(s256(verifier), issued.codeChallenge)) {
      return oauthError('invalid_grant', 'The PKCE code_verifier does not match the code_challenge.');
    }
    const body = await this.#tokenResponse(issued, issued.nonce);
    issued.issuedTokens.push(String(body.access_token));
    if (typeof body.refresh_token === 'string') issued.issuedTokens.push(body.refresh_token);
    return json(200, body);
  }

  async #refresh(form: URLSearchParams): Promise<AuthResponse> {
    const token = form.get('refresh_token') ?? '';
    const grant = this.#refreshTokens.get(token);
    if (!grant || grant.expiresAt <= this.#now()) return oauthError('invalid_grant', 'The refresh token is unknown or expired.');
    const clientId = form.get('client_id');
    if (clientId !== null && clientId !== grant.clientId) return oauthError('invalid_client', 'client_id does not match the refresh token.', 401);
    const requested = splitScopes(form.get('scope'));
    // A refresh may narrow the scopes, never widen them.
    const scopes = requested.length > 0 ? requested.filter((s) => grant.scopes.includes(s)) : grant.scopes;
    this.#refreshTokens.delete(token);
    return json(200, await this.#tokenResponse({ ...grant, scopes }, undefined));
  }

  async #tokenResponse(
    source: Omit<RefreshGrant, 'expiresAt'>,
    nonce: string | undefined,
  ): Promise<Record<string, unknown>> {
    const now = this.#now();
    const lifetime = this.#options.settings.tokenLifetimeSeconds;
    const accessToken = randomToken();
    const fhirUser = `${this.#options.fhirBase}/Practitioner/${source.practitioner}`;
    this.#accessTokens.set(
      accessToken,
      makeGrant({
        clientId: source.clientId,
        scopes: source.scopes,
        ...(source.patient ? { patient: source.patient } : {}),
        ...(source.encounter ? { encounter: source.encounter } : {}),
        fhirUser: `Practitioner/${source.practitioner}`,
        expiresAt: now + lifetime * 1000,
      }),
    );
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: lifetime,
      scope: source.scopes.join(' '),
      need_patient_banner: source.needPatientBanner,
      smart_style_url: this.#options.smartStyleUrl,
    };
    if (source.patient) body.patient = source.patient;
    if (source.encounter) body.encounter = source.encounter;
    if (source.scopes.includes('openid') && (source.scopes.includes('fhirUser') || source.scopes.includes('profile'))) {
      const { key } = await this.#keys();
      body.id_token = await new SignJWT({ fhirUser, ...(nonce ? { nonce } : {}) })
        .setProtectedHeader({ alg: 'RS256', kid: 'sandbox-1', typ: 'JWT' })
        .setIssuer(this.#options.issuer)
        .setSubject(source.practitioner)
        .setAudience(source.clientId)
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(Math.floor(now / 1000) + lifetime)
        .sign(key);
    }
    if (source.scopes.includes('offline_access') || source.scopes.includes('online_access')) {
      const refreshToken = randomToken();
      this.#refreshTokens.set(refreshToken, {
        clientId: source.clientId,
        scopes: source.scopes,
        ...(source.patient ? { patient: source.patient } : {}),
        ...(source.encounter ? { encounter: source.encounter } : {}),
        practitioner: source.practitioner,
        needPatientBanner: source.needPatientBanner,
        expiresAt: now + REFRESH_LIFETIME_MS,
      });
      body.refresh_token = refreshToken;
    }
    return body;
  }
}
