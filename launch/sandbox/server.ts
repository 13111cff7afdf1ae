/**
 * The sandbox EHR: one HTTP server on 127.0.0.1 that is reached as `http://localhost:<port>` and
 * plays Epic's part (chart shell, SMART authorization server, FHIR R4 API), plus an optional
 * static server for the built app on `http://127.0.0.1:<port>` — a different site, so the app
 * runs in the sidebar iframe with the same partitioned storage it gets inside a real EHR.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import type { AuditEvent, Binary, Bundle, OperationOutcome, Patient } from 'fhir/r4';
import { AuthorizationServer, type AuthSettings, type PickerPatient } from './auth/authorization-server.ts';
import { registerFromManifest } from './registration.ts';
import { createFhirServer, type FhirServer } from './fhir/index.ts';
import { AuditSink } from './audit-sink.ts';
import { FaultError, FaultQueue, faultTarget, parseFaults, type Fault } from './faults.ts';
import { writtenNotes } from './notes.ts';
import { WRITE_PROFILES, WriteProfiles, isWriteProfile, type WriteProfile } from './write-profiles.ts';
import { generateCohort } from './cohort/index.ts';
import { answerChatCompletion, DEFAULT_MODEL_FAULTS, type ModelFaults } from './model/model-endpoint.ts';
import { REFERENCE_ENGINE_VERSION, runReferenceEngine } from '../../src/insight/reference-engine/index.ts';
import { documentedFrom, parseBands, renderMonitorHtml, summariseAudit } from '../../src/evaluation/monitor.ts';
import { parseRuntimeConfig } from '../../src/smart/config.ts';
import { contentSecurityPolicy, cspSourcesFor } from '../../src/security/csp.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const PROJECT_ROOT = resolve(here, '../..');
export const SHARED_DIR = resolve(PROJECT_ROOT, '../shared');

export interface FaultSettings {
  /** Added before every FHIR and token response. */
  latencyMs: number;
  /** Resource type → HTTP status every request for that type answers with (403, 500, …). */
  failTypes: Record<string, number>;
}

export type { Fault, WriteProfile };

export interface SandboxSettings extends AuthSettings, FaultSettings {
  /** Whether launches tell the app to show its own patient banner. */
  needPatientBanner: boolean;
  /** How the sandbox's model endpoint misbehaves. */
  model: ModelFaults;
  /** Which EHR's way of accepting a note the FHIR API follows (see write-profiles.ts). */
  writeProfile: WriteProfile;
}

export interface SandboxOptions {
  /** Port for the EHR (0 picks a free one). */
  ehrPort?: number;
  /** Port for the app's static server; only used with `appDir`. */
  appPort?: number;
  /** A built app (vite build output) to serve on 127.0.0.1. */
  appDir?: string;
  /** Where the app is served when not by this process (e.g. a Vite dev server). */
  appOrigin?: string;
  /** Cohort generation. */
  seed?: number;
  asOf?: string;
  largePatientObservations?: number;
  /** Load the Synthea fixtures from ../shared when present. */
  loadSynthea?: boolean;
  settings?: Partial<SandboxSettings>;
  /** Silence request logging. */
  quiet?: boolean;
  /** Served as the app's `curbside.config.json` instead of the built file (e.g. a rollout stage under test). */
  appConfig?: unknown;
}

export interface SandboxPatient {
  readonly id: string;
  readonly name: string;
  readonly birthDate?: string;
  readonly gender?: string;
  readonly deceased: boolean;
  readonly scenario: string;
  readonly summary: string;
  readonly key: string;
  readonly encounterId?: string;
  readonly practitionerId: string;
  readonly source: 'synthetic' | 'synthea';
}

/** A Bundle POSTed to the FHIR base, as the request log keeps it: its type and its entries' methods. */
export interface LoggedBundle {
  readonly type: string;
  readonly methods: readonly string[];
}

export interface Sandbox {
  readonly ehrOrigin: string;
  readonly fhirBase: string;
  readonly appOrigin: string;
  readonly launchUri: string;
  readonly settings: SandboxSettings;
  readonly patients: readonly SandboxPatient[];
  readonly fhir: FhirServer;
  readonly auth: AuthorizationServer;
  /** Counts of FHIR/auth requests since the last reset, for measurements; status 0 is a dropped connection. */
  readonly requestLog: Array<{ method: string; path: string; status: number; bundle?: LoggedBundle }>;
  /** One-shot faults for the next matching FHIR requests (also `/ehr/faults`). */
  readonly faults: FaultQueue;
  /** AuditEvents received by the stand-in audit repository (also `/ehr/audit-sink`), oldest first. */
  readonly auditSink: AuditEvent[];
  /** Replaces the app's served `curbside.config.json` from the next request on; undefined serves the built file again. */
  setAppConfig(config: unknown): void;
  close(): Promise<void>;
}

export const DEFAULT_SETTINGS: SandboxSettings = {
  tokenLifetimeSeconds: 3600,
  consent: 'auto',
  withheldScopes: [],
  latencyMs: 0,
  failTypes: {},
  needPatientBanner: true,
  model: DEFAULT_MODEL_FAULTS,
  writeProfile: 'standard',
};

/**
 * The cohort's "today" events happen between 03:00 and 18:30 UTC of its as-of day. Anchoring the
 * as-of day 18.5 hours back keeps every one of them in the past whatever time the sandbox starts.
 */
function defaultAsOf(now = Date.now()): string {
  return new Date(now - 18.5 * 3600_000).toISOString().slice(0, 10);
}

function displayName(patient: Patient): string {
  const name = patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0];
  if (!name) return 'Unnamed patient';
  if (name.text) return name.text;
  return [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(Boolean).join(' ') || 'Unnamed patient';
}

function operationOutcome(code: OperationOutcome['issue'][number]['code'], diagnostics: string, severity: 'error' | 'fatal' = 'error'): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

async function readBody(req: IncomingMessage, limit = 20 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
}

const SHELL_DIR = join(here, 'shell');
const SHELL_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/ehr/assets/shell.js': 'shell.js',
  '/ehr/assets/shell.css': 'shell.css',
};
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * What a hospital's web server should send with Curbside, as this app server sends it: the strict
 * CSP for launches from this EHR (framed by its shell, talking to its FHIR base, authorization
 * server and model), and no MIME sniffing or referrers.
 */
export function appSecurityHeaders(runtimeConfig: unknown, ehrOrigin: string, fhirBase: string): Record<string, string> {
  const config = parseRuntimeConfig(runtimeConfig);
  const csp = contentSecurityPolicy(cspSourcesFor(config, [{ fhirBase, ehrOrigin, authorizationOrigins: [ehrOrigin] }]));
  return { 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings: SandboxSettings = { ...DEFAULT_SETTINGS, ...options.settings, model: { ...DEFAULT_MODEL_FAULTS, ...options.settings?.model } };
  const ehrServer = createServer();
  const ehrPort = await listen(ehrServer, options.ehrPort ?? 0);
  const ehrOrigin = `http://localhost:${ehrPort}`;
  const fhirBase = `${ehrOrigin}/fhir`;
  const issuer = `${ehrOrigin}/auth`;

  let appServer: Server | undefined;
  let appConfig = options.appConfig;
  let appOrigin = options.appOrigin ?? 'http://127.0.0.1:4100';
  if (options.appDir) {
    const serveApp = sirv(options.appDir, { etag: true, dev: false, single: false });
    const builtConfig: unknown = JSON.parse(readFileSync(join(options.appDir, 'curbside.config.json'), 'utf8'));
    let headers: { config: unknown; values: Record<string, string> } | undefined;
    // The policy follows the configuration being served, so a test's model endpoint is allowed too.
    const securityHeaders = (): Record<string, string> => {
      const config = appConfig ?? builtConfig;
      if (headers && headers.config === config) return headers.values;
      let values: Record<string, string>;
      try {
        values = appSecurityHeaders(config, ehrOrigin, fhirBase);
      } catch {
        values = appSecurityHeaders(builtConfig, ehrOrigin, fhirBase);
      }
      headers = { config, values };
      return values;
    };
    appServer = createServer((req, res) => {
      // The sidebar must never be cached with a stale token-handling script between builds.
      res.setHeader('cache-control', 'no-cache');
      for (const [name, value] of Object.entries(securityHeaders())) res.setHeader(name, value);
      if (appConfig !== undefined && new URL(req.url ?? '/', 'http://app').pathname === '/curbside.config.json') {
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(appConfig));
        return;
      }
      serveApp(req, res, () => {
        res.statusCode = 404;
        res.end('Not found');
      });
    });
    const appPort = await listen(appServer, options.appPort ?? 0);
    appOrigin = `http://127.0.0.1:${appPort}`;
  }

  const registration = registerFromManifest(join(PROJECT_ROOT, 'smart-manifest.json'), appOrigin, ['/examples/own-client.html']);
  const fhir = await createFhirServer({ baseUrl: fhirBase, authorizeUrl: `${issuer}/authorize`, tokenUrl: `${issuer}/token` });

  const cohort = generateCohort({
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    asOf: options.asOf ?? defaultAsOf(),
    ...(options.largePatientObservations !== undefined ? { largePatientObservations: options.largePatientObservations } : {}),
  });
  await fhir.load([cohort.organization, ...cohort.practitioners]);
  const patients: SandboxPatient[] = [];
  for (const p of cohort.patients) {
    await fhir.load(p.resources);
    const patient = p.resources.find((r): r is Patient => r.resourceType === 'Patient')!;
    patients.push({
      id: p.patientId,
      name: displayName(patient),
      ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
      ...(patient.gender ? { gender: patient.gender } : {}),
      deceased: Boolean(patient.deceasedBoolean || patient.deceasedDateTime),
      scenario: p.scenario,
      summary: p.summary,
      key: p.key,
      ...(p.encounterId ? { encounterId: p.encounterId } : {}),
      practitionerId: p.practitionerId,
      source: 'synthetic',
    });
  }
  const defaultPractitioner = cohort.patients[0]?.practitionerId ?? String(cohort.practitioners[0]?.id);

  const syntheaDir = join(SHARED_DIR, 'fixtures', 'synthea');
  if (options.loadSynthea !== false && existsSync(syntheaDir)) {
    for (const file of readdirSync(syntheaDir).filter((f) => f.endsWith('.json')).sort()) {
      const bundle = JSON.parse(readFileSync(join(syntheaDir, file), 'utf8')) as Bundle;
      const { patientIds } = await fhir.loadTransaction(bundle);
      for (const id of patientIds) {
        const patient = await fhir.readUnchecked<Patient>('Patient', id);
        if (!patient) continue;
        const encounters = await fhir.searchUnchecked('Encounter', `patient=${id}&_sort=-date&_count=1`);
        patients.push({
          id,
          name: displayName(patient),
          ...(patient.birthDate ? { birthDate: patient.birthDate } : {}),
          ...(patient.gender ? { gender: patient.gender } : {}),
          deceased: Boolean(patient.deceasedBoolean || patient.deceasedDateTime),
          scenario: 'Synthea record',
          summary: `Third-party Synthea patient (${file.split('_').slice(0, 2).join(' ')}).`,
          key: `synthea-${id}`,
          ...(encounters[0]?.id ? { encounterId: encounters[0].id } : {}),
          practitionerId: defaultPractitioner,
          source: 'synthea',
        });
      }
    }
  }

  // Everything stored from here on was written by a client, not seeded.
  const startedAt = new Date().toISOString();

  const auth = new AuthorizationServer({
    issuer,
    fhirBase,
    clients: [registration],
    smartStyleUrl: `${ehrOrigin}/ehr/style.json`,
    settings,
    defaultPractitioner,
    listPatients: async (): Promise<PickerPatient[]> =>
      patients.map((p) => ({ id: p.id, name: p.name, detail: [p.gender, p.birthDate && `born ${p.birthDate}`, p.scenario].filter(Boolean).join(' · ') })),
    patientName: async (id) => patients.find((p) => p.id === id)?.name,
  });

  const requestLog: Sandbox['requestLog'] = [];
  /** What a Bundle POSTed to the FHIR base asked for, for the log. */
  const bundles = new WeakMap<IncomingMessage, LoggedBundle>();
  const log = (method: string, path: string, status: number, bundle?: LoggedBundle): void => {
    requestLog.push({ method, path, status, ...(bundle ? { bundle } : {}) });
    if (!options.quiet) process.stdout.write(`${status} ${method} ${path}\n`);
  };

  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin) return {};
    return {
      'access-control-allow-origin': origin,
      vary: 'Origin',
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'access-control-allow-headers': 'authorization, api-key, content-type, accept, if-none-exist, if-match, if-none-match, prefer, x-request-id',
      'access-control-expose-headers': 'location, content-location, etag, last-modified, www-authenticate, retry-after, retry-after-ms',
      'access-control-max-age': '600',
    };
  };

  const send = (req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body?: string | Buffer): void => {
    res.writeHead(status, { ...corsHeaders(req), ...headers });
    res.end(body);
  };
  const sendJson = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
    send(req, res, status, { 'content-type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(body));
  const sendFhir = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
    send(req, res, status, { ...(body === undefined ? {} : { 'content-type': 'application/fhir+json; charset=utf-8' }), ...headers }, body === undefined ? undefined : JSON.stringify(body));

  const delay = (): Promise<void> => (settings.latencyMs > 0 ? new Promise((r) => setTimeout(r, settings.latencyMs)) : Promise.resolve());
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

  const faults = new FaultQueue();
  const auditSink = new AuditSink();
  const writeProfiles = new WriteProfiles(fhir, fhirBase);

  interface FhirAnswer {
    status: number;
    headers: Record<string, string>;
    /** JSON; undefined means no body. */
    body?: unknown;
    /** Sent as is instead of `body` (a Binary's own bytes). */
    raw?: Buffer;
  }

  const outcomeAnswer = (status: number, code: OperationOutcome['issue'][number]['code'], text: string, headers: Record<string, string> = {}): FhirAnswer => ({
    status,
    headers,
    body: operationOutcome(code, text),
  });

  /** The request as the EHR processes it: fail knobs, the bearer token, then the FHIR server under the write profile. */
  async function processFhir(req: IncomingMessage, url: URL, rest: string): Promise<FhirAnswer> {
    const knobbed = failKnobAnswer(rest);
    if (knobbed) return knobbed;
    const check = auth.checkAccessToken(req.headers.authorization);
    if (!check.ok) {
      const description = { missing: 'No bearer token was sent.', unknown: 'The access token is not valid.', expired: 'The access token has expired.' }[check.reason];
      return outcomeAnswer(401, 'login', description, {
        'www-authenticate': `Bearer realm="${fhirBase}"${check.reason === 'missing' ? '' : `, error="invalid_token", error_description="${description}"`}`,
      });
    }
    let body: unknown;
    if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
      const raw = await readBody(req);
      const type = req.headers['content-type'] ?? '';
      if (type.includes('application/x-www-form-urlencoded')) body = new URLSearchParams(raw.toString('utf8'));
      else if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
          const bundle = body as Bundle | null;
          if (rest === '' && typeof bundle?.type === 'string') {
            bundles.set(req, { type: bundle.type, methods: [...new Set((bundle.entry ?? []).map((e) => e.request?.method ?? ''))] });
          }
        } catch {
          return outcomeAnswer(400, 'structure', 'The request body is not valid JSON.');
        }
      }
    }
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const handle = (input: unknown): Promise<FhirAnswer> =>
      writeProfiles.handle(settings.writeProfile, { method: req.method ?? 'GET', url: new URL(url.pathname + url.search, ehrOrigin), headers, body: input }, check.grant);
    const failing = rest === '' && req.method === 'POST' ? failingBatchEntries(body) : undefined;
    const out = failing ? await batchWithFailures(body as Bundle, failing, handle) : await handle(body);
    const raw = req.method === 'GET' && /^Binary\/[^/]+$/.test(rest) ? rawBinary(req.headers.accept, out.status, out.body) : undefined;
    return raw ?? out;
  }

  /** The fail knobs' answer for a request path (`Observation?…`, `Patient/1`), when they name its resource type. */
  function failKnobAnswer(path: string): FhirAnswer | undefined {
    const type = path.replace(/^\//, '').split(/[/?]/)[0] ?? '';
    const status = settings.failTypes[type];
    return status ? outcomeAnswer(status, status === 403 ? 'forbidden' : 'exception', `Sandbox fault: ${type} answers ${status}.`) : undefined;
  }

  /**
   * The entries of a batch that the fail knobs refuse, by index, with their answers (undefined when
   * none is): a batch must not be a way around them, since a real EHR refuses a type however it is asked.
   */
  function failingBatchEntries(body: unknown): Map<number, FhirAnswer> | undefined {
    const bundle = body as Bundle | undefined;
    if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'batch' || !Array.isArray(bundle.entry)) return undefined;
    const failing = new Map<number, FhirAnswer>();
    bundle.entry.forEach((entry, i) => {
      const answer = failKnobAnswer(entry.request?.url ?? '');
      if (answer) failing.set(i, answer);
    });
    return failing.size > 0 ? failing : undefined;
  }

  /** The batch without its failing entries goes to the server; each failing entry gets its own error, in place. */
  async function batchWithFailures(bundle: Bundle, failing: ReadonlyMap<number, FhirAnswer>, handle: (input: unknown) => Promise<FhirAnswer>): Promise<FhirAnswer> {
    const entries = bundle.entry ?? [];
    const kept = entries.filter((_, i) => !failing.has(i));
    const answered = kept.length > 0 ? await handle({ ...bundle, entry: kept }) : { status: 200, headers: {}, body: { resourceType: 'Bundle', type: 'batch-response', entry: [] } };
    const response = answered.body as Bundle | undefined;
    if (answered.status !== 200 || response?.type !== 'batch-response') return answered;
    const keptAnswers = [...(response.entry ?? [])];
    const entry = entries.map((_, i) => {
      const refused = failing.get(i);
      if (!refused) return keptAnswers.shift()!;
      return { response: { status: String(refused.status), outcome: refused.body as OperationOutcome } };
    });
    return { ...answered, body: { ...response, entry } };
  }

  /**
   * A Binary read whose Accept names the Binary's own content type (and no JSON) gets the bytes
   * themselves, as FHIR's Binary read specifies; any JSON or wildcard Accept gets the resource.
   */
  function rawBinary(accept: string | undefined, status: number, body: unknown): FhirAnswer | undefined {
    const binary = body as Binary | undefined;
    if (status !== 200 || binary?.resourceType !== 'Binary' || !accept || /json|\*\/\*/i.test(accept)) return undefined;
    const type = binary.contentType.split(';')[0]!.trim().toLowerCase();
    if (!accept.toLowerCase().split(',').some((part) => part.split(';')[0]!.trim() === type)) return undefined;
    return { status: 200, headers: { 'content-type': binary.contentType }, raw: Buffer.from(binary.data ?? '', 'base64') };
  }

  function faultAnswer(fault: Extract<Fault, { kind: 'status' }>): FhirAnswer {
    const code = fault.status === 429 ? 'throttled' : fault.status >= 500 ? 'transient' : fault.status === 401 ? 'login' : fault.status === 403 ? 'forbidden' : 'processing';
    const when = fault.afterCommit ? ' after the request was processed' : '';
    return outcomeAnswer(fault.status, code, `Sandbox fault: injected ${fault.status}${when}.`, fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
  }

  function dropConnection(req: IncomingMessage, path: string): void {
    log(req.method ?? 'GET', path, 0);
    req.socket.destroy();
  }

  async function handleFhir(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const rest = url.pathname.slice('/fhir'.length).replace(/^\//, '');
    await delay();
    if (rest === '.well-known/smart-configuration' && req.method === 'GET') {
      return sendJson(req, res, 200, auth.smartConfiguration());
    }
    if (rest === 'metadata' && req.method === 'GET') {
      return sendFhir(req, res, 200, writeProfiles.capabilityStatement(settings.writeProfile, fhir.capabilityStatement()));
    }
    const fault = faults.take(faultTarget(req.method ?? 'GET', rest));
    const afterCommit = fault !== undefined && 'afterCommit' in fault && fault.afterCommit === true;
    if (fault && !afterCommit) {
      if (fault.kind === 'drop') return dropConnection(req, url.pathname);
      if (fault.kind === 'status') {
        // Read the body anyway so the connection stays usable for the client's retry.
        await readBody(req);
        const answer = faultAnswer(fault);
        return sendFhir(req, res, answer.status, answer.body, answer.headers);
      }
      if (fault.kind === 'expire-token') auth.expireAccessToken(req.headers.authorization);
    }
    const answer = await processFhir(req, url, rest);
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault && afterCommit) {
      // What a gateway does when the EHR stored the write but the answer never reaches the client.
      if (fault.kind === 'drop') return dropConnection(req, url.pathname);
      if (fault.kind === 'status') {
        const failed = faultAnswer(fault);
        return sendFhir(req, res, failed.status, failed.body, failed.headers);
      }
    }
    if (answer.raw) return send(req, res, answer.status, answer.headers, answer.raw);
    return sendFhir(req, res, answer.status, answer.body, answer.headers);
  }

  /** The sandbox's model server: OpenAI-compatible, answered by the reference engine. */
  async function handleModel(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req)).toString('utf8'));
    } catch {
      return sendJson(req, res, 400, { error: { code: 'invalid_json', message: 'The request body is not JSON.', type: 'invalid_request_error' } });
    }
    const reply = await answerChatCompletion(body, {
      answer: (request) => runReferenceEngine(request),
      modelName: `curbside-reference-engine-${REFERENCE_ENGINE_VERSION}`,
      faults: settings.model,
    });
    if (!reply.stream) return send(req, res, reply.status, reply.headers, reply.body);
    res.writeHead(reply.status, { ...corsHeaders(req), ...reply.headers });
    let closed = false;
    res.on('close', () => (closed = true));
    for await (const line of reply.stream) {
      if (closed) break;
      res.write(line);
    }
    res.end();
  }

  async function handleEhrApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname === '/ehr/patients' && req.method === 'GET') {
      sendJson(req, res, 200, { fhirBase, appOrigin, launchUri: registration.launchUri, patients });
      return true;
    }
    if (url.pathname === '/ehr/launch' && req.method === 'POST') {
      const input = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { patientId?: string; encounterId?: string; practitionerId?: string };
      const patient = patients.find((p) => p.id === input.patientId);
      if (!patient) {
        sendJson(req, res, 404, { error: 'Unknown patient' });
        return true;
      }
      const encounterId = input.encounterId ?? patient.encounterId;
      const launch = auth.issueLaunch({
        patient: patient.id,
        ...(encounterId ? { encounter: encounterId } : {}),
        practitioner: input.practitionerId ?? patient.practitionerId,
        needPatientBanner: settings.needPatientBanner,
      });
      const launchUrl = new URL(registration.launchUri);
      launchUrl.searchParams.set('iss', fhirBase);
      launchUrl.searchParams.set('launch', launch);
      sendJson(req, res, 200, { launchUrl: launchUrl.toString() });
      return true;
    }
    if (url.pathname === '/ehr/settings') {
      if (req.method === 'POST') {
        const patch = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Partial<SandboxSettings>;
        if (patch.writeProfile !== undefined && !isWriteProfile(patch.writeProfile)) {
          sendJson(req, res, 400, { error: `writeProfile must be one of ${WRITE_PROFILES.join(', ')}` });
          return true;
        }
        Object.assign(settings, patch);
      }
      sendJson(req, res, 200, settings);
      return true;
    }
    if (url.pathname === '/ehr/faults') {
      if (req.method === 'POST') {
        let added: Fault[];
        try {
          added = parseFaults(JSON.parse((await readBody(req)).toString('utf8')));
        } catch (err) {
          sendJson(req, res, 400, { error: err instanceof FaultError ? err.message : 'The body must be a JSON array of faults.' });
          return true;
        }
        faults.push(...added);
      } else if (req.method === 'DELETE') {
        faults.clear();
      } else if (req.method !== 'GET') {
        return false;
      }
      sendJson(req, res, 200, faults.remaining());
      return true;
    }
    if (url.pathname === '/ehr/audit-sink') {
      if (req.method === 'GET') {
        sendJson(req, res, 200, auditSink.events);
        return true;
      }
      if (req.method !== 'POST') return false;
      let event: unknown;
      try {
        event = JSON.parse((await readBody(req)).toString('utf8'));
      } catch {
        sendFhir(req, res, 400, operationOutcome('structure', 'The request body is not valid JSON.'));
        return true;
      }
      const answer = auditSink.accept(event);
      if (answer.ok) send(req, res, 202, {});
      else sendFhir(req, res, 400, answer.outcome);
      return true;
    }
    if (url.pathname === '/ehr/notes' && req.method === 'GET') {
      const patient = url.searchParams.get('patient');
      if (!patient) {
        sendJson(req, res, 400, { error: 'Give the patient: /ehr/notes?patient=<id>' });
        return true;
      }
      sendJson(req, res, 200, await writtenNotes(patient, { fhir, fhirBase, writeProfiles, auditSink, writeProfile: settings.writeProfile, since: startedAt }));
      return true;
    }
    if (url.pathname === '/ehr/monitor' && req.method === 'GET') {
      // Everything Curbside put on the audit trail here (the FHIR server's AuditEvents and the sink's),
      // judged against the monitoring bands of the configuration the app is served with.
      const events = [...(await fhir.searchUnchecked<AuditEvent>('AuditEvent', '')), ...auditSink.events];
      const documented = documentedFrom(JSON.stringify(await fhir.searchUnchecked('Condition', '')));
      const served = (appConfig ?? JSON.parse(readFileSync(join(options.appDir ?? join(PROJECT_ROOT, 'public'), 'curbside.config.json'), 'utf8'))) as { monitoring?: unknown };
      const summary = summariseAudit(events, { documented, bands: parseBands(served.monitoring) });
      if (url.searchParams.get('format') === 'json') sendJson(req, res, 200, summary);
      else send(req, res, 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }, renderMonitorHtml(summary, 'Curbside monitoring — sandbox EHR'));
      return true;
    }
    if (url.pathname === '/ehr/expire-tokens' && req.method === 'POST') {
      sendJson(req, res, 200, { expired: auth.expireAllAccessTokens() });
      return true;
    }
    if (url.pathname === '/ehr/style.json' && req.method === 'GET') {
      sendJson(req, res, 200, {
        color_background: '#f7f9fb',
        color_error: '#b3261e',
        color_highlight: '#1f5fa8',
        color_modal_backdrop: '#1d273380',
        color_success: '#1e7a3c',
        color_text: '#1d2733',
        dim_border_radius: '6px',
        dim_font_size: '14px',
        dim_spacing_size: '8px',
        font_family_body: 'system-ui, "Segoe UI", Roboto, sans-serif',
        font_family_heading: 'system-ui, "Segoe UI", Roboto, sans-serif',
      });
      return true;
    }
    return false;
  }

  ehrServer.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', ehrOrigin);
    const started = url.pathname;
    res.on('finish', () => {
      if (started.startsWith('/fhir') || started.startsWith('/auth') || started.startsWith('/model')) log(req.method ?? 'GET', started, res.statusCode, bundles.get(req));
    });
    (async () => {
      if (req.method === 'OPTIONS') {
        // A CORS preflight is a round trip like any other: it pays the added latency too.
        if (url.pathname.startsWith('/fhir') || url.pathname.startsWith('/auth/') || url.pathname.startsWith('/model/')) await delay();
        return send(req, res, 204, {});
      }
      if (url.pathname === '/fhir' || url.pathname.startsWith('/fhir/')) return handleFhir(req, res, url);
      if (url.pathname.startsWith('/auth/')) {
        let form: URLSearchParams | undefined;
        if (req.method === 'POST' && (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
          form = new URLSearchParams((await readBody(req)).toString('utf8'));
        }
        if (url.pathname === '/auth/token') await delay();
        const out = await auth.handle({ method: req.method ?? 'GET', url, ...(form ? { form } : {}) });
        if (out) return send(req, res, out.status, out.headers, out.body);
        return sendJson(req, res, 404, { error: 'not_found' });
      }
      if (url.pathname === '/model/v1/chat/completions' && req.method === 'POST') return handleModel(req, res);
      if (url.pathname.startsWith('/ehr/') && (await handleEhrApi(req, res, url))) return;
      const file = SHELL_FILES[url.pathname];
      if (file && req.method === 'GET') {
        const ext = file.split('.').pop()!;
        // The stand-in EHR holds itself to a strict policy too: it frames only Curbside (and its own sign-in pages).
        const shellCsp = `default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'self' ${appOrigin}; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'`;
        return send(req, res, 200, { 'content-type': CONTENT_TYPES[ext]!, 'cache-control': 'no-cache', 'content-security-policy': shellCsp }, readFileSync(join(SHELL_DIR, file)));
      }
      return send(req, res, 404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found');
    })().catch((error: unknown) => {
      if (!options.quiet) process.stderr.write(`Sandbox error on ${req.method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) sendFhir(req, res, 500, operationOutcome('exception', 'The sandbox EHR hit an internal error.', 'fatal'));
      else res.end();
    });
  });

  return {
    ehrOrigin,
    fhirBase,
    appOrigin,
    launchUri: registration.launchUri,
    settings,
    patients,
    fhir,
    auth,
    requestLog,
    faults,
    auditSink: auditSink.events,
    setAppConfig(config: unknown) {
      appConfig = config;
    },
    async close() {
      const closeOne = (server: Server): Promise<void> =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        });
      await Promise.all([closeOne(ehrServer), ...(appServer ? [closeOne(appServer)] : [])]);
    },
  };
}
