/**
 * `npm run check-ehr` over real HTTP: against the sandbox, against doubles that serve Epic's and
 * Oracle Health's recorded CapabilityStatements with their documented SMART capability sets, and
 * against servers that are unreachable, answer HTML or answer JSON that isn't FHIR.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, SHARED_DIR, startSandbox, type Sandbox } from '../../launch/sandbox/server.ts';
import { evaluateEhr, type EhrCheckReport } from '../../src/admin/check-ehr.ts';

const VENDORS = join(SHARED_DIR, 'fixtures', 'vendors');
const haveVendors = existsSync(VENDORS);
const vendorSkip = haveVendors ? false : 'vendor fixtures absent';

function vendorBody(path: string): unknown {
  const wrapped = JSON.parse(readFileSync(join(VENDORS, path), 'utf8')) as { body?: unknown };
  return wrapped.body ?? wrapped;
}

/** Epic's documented SMART capability set (no verbatim Epic smart-configuration is public). */
const EPIC_SMART = {
  authorization_endpoint: 'https://ehr.example/oauth2/authorize',
  token_endpoint: 'https://ehr.example/oauth2/token',
  token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
  scopes_supported: ['openid', 'fhirUser', 'launch', 'offline_access', 'online_access'],
  response_types_supported: ['code'],
  capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'client-confidential-symmetric', 'context-banner', 'context-style', 'context-ehr-patient', 'context-ehr-encounter', 'context-standalone-patient', 'sso-openid-connect', 'permission-patient', 'permission-user', 'permission-v2'],
  code_challenge_methods_supported: ['S256'],
};

type Route = { status: number; body: string; type?: string };
let doubles: Server;
let doublesBase = '';
const routes = new Map<string, Route>();

function serveJson(path: string, json: unknown, status = 200): void {
  routes.set(path, { status, body: JSON.stringify(json), type: 'application/json' });
}

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox({ quiet: true, largePatientObservations: 100, loadSynthea: false });
  doubles = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(route.status, { 'content-type': route.type ?? 'text/html' });
    res.end(route.body);
  });
  await new Promise<void>((r) => doubles.listen(0, '127.0.0.1', () => r()));
  doublesBase = `http://127.0.0.1:${(doubles.address() as AddressInfo).port}`;
  if (haveVendors) {
    serveJson('/epic/.well-known/smart-configuration', EPIC_SMART);
    serveJson('/epic/metadata', vendorBody('epic/CapabilityStatement-2026-05-11.json'));
    serveJson('/epic-no-pkce/.well-known/smart-configuration', { ...EPIC_SMART, code_challenge_methods_supported: [] });
    serveJson('/epic-no-pkce/metadata', vendorBody('epic/CapabilityStatement-2026-05-11.json'));
    // The open tier publishes no SMART configuration at all.
    serveJson('/oracle-open/metadata', vendorBody('cerner/CapabilityStatement-2026-05-11.json'));
    const html = (vendorBody('epic/error-404-unknown-resource-type-html.json') as { _non_json_body?: string })._non_json_body ?? '<html></html>';
    routes.set('/html/metadata', { status: 200, body: html, type: 'text/html' });
    routes.set('/html/.well-known/smart-configuration', { status: 200, body: html, type: 'text/html' });
  }
  serveJson('/not-fhir/metadata', { hello: 'world' });
  serveJson('/not-fhir/.well-known/smart-configuration', ['not', 'an', 'object']);
});

after(async () => {
  await sandbox?.close();
  doubles?.closeAllConnections();
  await new Promise((r) => doubles?.close(r));
});

function runCli(iss: string): Promise<{ code: number; stdout: string; report: EhrCheckReport }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/check-ehr.ts'), '--iss', iss, '--json', '--timeout', '5'], { cwd: PROJECT_ROOT });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, report: JSON.parse(stdout) as EhrCheckReport }));
  });
}

function status(report: EhrCheckReport, id: string): string | undefined {
  return report.requirements.find((r) => r.id === id)?.status;
}

describe('check-ehr', () => {
  test('the sandbox supports everything: exit 0', async () => {
    const { code, report } = await runCli(sandbox.fhirBase);
    assert.equal(code, 0);
    assert.deepEqual(report.blockers, []);
    assert.ok(report.requirements.every((r) => r.status === 'supported'), report.requirements.filter((r) => r.status !== 'supported').map((r) => r.id).join(', '));
  });

  test('an Epic-like server: launchable, but Provenance create and transactions are missing (optional)', { skip: vendorSkip }, async () => {
    const { code, report } = await runCli(`${doublesBase}/epic`);
    assert.equal(code, 0, report.blockers.map((b) => b.id).join(', '));
    assert.equal(status(report, 'pkce-s256'), 'supported');
    assert.equal(status(report, 'DocumentReference.create'), 'supported');
    assert.equal(status(report, 'Provenance.create'), 'missing');
    assert.equal(status(report, 'transaction'), 'missing');
    assert.match(report.software ?? '', /Epic/);
  });

  test('a deliberately lacking double (empty PKCE methods) fails with a clear reason', { skip: vendorSkip }, async () => {
    const { code, report } = await runCli(`${doublesBase}/epic-no-pkce`);
    assert.equal(code, 1);
    assert.deepEqual(report.blockers.map((b) => b.id), ['pkce-s256']);
    assert.match(report.blockers[0]!.detail, /empty/);
  });

  test('the Oracle Health open tier is not mistaken for the secure tier', { skip: vendorSkip }, async () => {
    const { code, report } = await runCli(`${doublesBase}/oracle-open`);
    assert.equal(code, 1);
    const ids = report.blockers.map((b) => b.id);
    assert.ok(ids.includes('smart-authorization'), ids.join(', '));
    assert.ok(ids.includes('DocumentReference.create'));
    assert.match(report.requirements.find((r) => r.id === 'smart-authorization')!.detail, /open \(unauthenticated\) tier/);
  });

  test('unreachable, HTML and non-FHIR answers are reported, not crashed on', { skip: vendorSkip }, async () => {
    const unreachable = await runCli('http://127.0.0.1:9/fhir');
    assert.equal(unreachable.code, 1);
    assert.equal(unreachable.report.smartConfiguration.problem, 'unreachable');
    const html = await runCli(`${doublesBase}/html`);
    assert.equal(html.code, 1);
    assert.equal(html.report.capabilityStatement.problem, 'not-json');
    assert.match(html.report.capabilityStatement.detail ?? '', /HTML/);
    const notFhir = await runCli(`${doublesBase}/not-fhir`);
    assert.equal(notFhir.code, 1);
    assert.equal(notFhir.report.capabilityStatement.problem, 'wrong-type');
    assert.equal(notFhir.report.smartConfiguration.problem, 'wrong-type');
  });

  test('the recorded 2021 Oracle smart-configuration: client-public counts though only client_secret_basic is listed; resources unknown without metadata', { skip: vendorSkip }, () => {
    const smart = vendorBody('cerner/smart-configuration-ec2458f2-2021.json');
    const report = evaluateEhr('https://x/fhir', { url: 'x', ok: true, json: smart }, { url: 'y', ok: false, problem: 'unreachable', detail: 'offline' });
    assert.equal(status(report, 'public-client'), 'supported');
    assert.equal(status(report, 'pkce-s256'), 'supported');
    assert.equal(status(report, 'scopes-v2'), 'supported');
    assert.equal(status(report, 'Patient.read'), 'unknown');
    assert.ok(report.blockers.some((b) => b.id === 'Patient.read'), 'an unknown blocker still blocks');
  });

  test('a server with only private_key_jwt and no PKCE (recorded third-party configuration) is blocked', { skip: vendorSkip }, () => {
    const smart = vendorBody('other/smart-configuration-tsys-fhirsandbox2.json');
    const report = evaluateEhr('https://x/fhir', { url: 'x', ok: true, json: smart }, { url: 'y', ok: false, problem: 'http-error', detail: 'HTTP 404' });
    const ids = report.blockers.map((b) => b.id);
    assert.ok(ids.includes('pkce-s256'));
    assert.ok(ids.includes('openid-fhiruser'));
  });
});
