/**
 * End to end under the production CSP the app server sends: the launch and the whole accept →
 * compose → attest → write flow raise no `securitypolicyviolation`; no access token, refresh
 * token or patient identifier leaks into the app's URLs, console, localStorage or any request
 * that is not for the FHIR server; and hostile text in a patient's name and notes, read through
 * the real launch, never runs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Condition, DocumentReference, Patient } from 'fhir/r4';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { PROJECT_ROOT, type Sandbox } from '../../launch/sandbox/server.ts';
import { TRUSTED_TYPES_POLICIES } from '../../src/security/csp.ts';
import { answerChatCompletion, DEFAULT_MODEL_FAULTS } from '../../launch/sandbox/model/model-endpoint.ts';
import { parseModelOutput } from '../../src/insight/schema.ts';

let sandbox: Sandbox;
let chromium: TestBrowser;

before(async () => {
  sandbox = await startTestSandbox({ asOf: '2026-11-20' });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await sandbox?.close();
});

const REPORT = '[curbside-test]';
const CORPUS = (JSON.parse(readFileSync(`${PROJECT_ROOT}/test/security/xss-corpus.json`, 'utf8')) as { payloads: Array<{ payload: string }> }).payloads.map((p) => p.payload);

/** Everything the browser showed us, from every frame of one tab. */
interface Observed {
  readonly violations: string[];
  readonly console: string[];
  readonly requests: Array<{ url: string; method: string; headers: Record<string, string>; body: string; fromApp: boolean }>;
  readonly appUrls: string[];
  readonly dialogs: string[];
  readonly tokens: { access: string[]; refresh: string[] };
}

/**
 * In every frame, before any page script: report CSP violations, and make `xss()` (what every
 * hostile payload calls) and the dialog functions report that script ran. A string, because it
 * runs in the browser as written (the TypeScript loader would add helpers the page lacks).
 */
const INSTRUMENT = `
  (() => {
    const report = (kind, detail) => console.info(${JSON.stringify(REPORT)}, JSON.stringify({ kind, detail }));
    document.addEventListener('securitypolicyviolation', (event) => {
      report('violation', { directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample, source: event.sourceFile, line: event.lineNumber });
    });
    for (const name of ['xss', 'alert', 'confirm', 'prompt']) window[name] = () => report('xss', name);
  })();
`;

/** Opens every <details>, then lists script, embedding elements, handlers and script URLs in the DOM and every shadow root. */
const OPEN_AND_INSPECT = `
  (() => {
    const problems = [];
    const walk = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (element instanceof HTMLDetailsElement) element.open = true;
        if (element.localName === 'script' && element.closest('head') === null) problems.push('script in the body');
        if (/^(?:iframe|object|embed|img|base|meta)$/.test(element.localName) && element.getRootNode() !== document) problems.push('<' + element.localName + '> in a shadow root');
        for (const attribute of element.attributes) {
          if (attribute.name.toLowerCase().startsWith('on')) problems.push(attribute.name + ' on <' + element.localName + '>');
          if (/^(?:href|src|action|formaction|xlink:href)$/i.test(attribute.name) && /^\\s*(?:javascript|data|vbscript):/i.test(attribute.value)) problems.push(attribute.name + '=' + attribute.value);
        }
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return problems;
  })()
`;

async function observedTab(): Promise<{ context: BrowserContext; page: Page; observed: Observed }> {
  const context = await chromium.browser.newContext();
  await context.addInitScript({ content: INSTRUMENT });
  // Playwright neither sees nor routes a shared worker's requests, and these tests inspect and
  // answer the model request: the sidebar falls back to its dedicated worker here, which sends the
  // same request from the same script (e2e/insight proves the shared one in the real launch).
  await context.addInitScript({ content: 'delete window.SharedWorker;' });
  const page = await context.newPage();
  const observed: Observed = { violations: [], console: [], requests: [], appUrls: [], dialogs: [], tokens: { access: [], refresh: [] } };
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(REPORT)) {
      const { kind, detail } = JSON.parse(text.slice(REPORT.length)) as { kind: string; detail: unknown };
      if (kind === 'violation') observed.violations.push(JSON.stringify(detail));
      if (kind === 'xss') observed.dialogs.push(`script ran: ${String(detail)}`);
      return;
    }
    observed.console.push(text);
    if (/Content Security Policy|Trusted Type/i.test(text)) observed.violations.push(text);
  });
  page.on('dialog', (dialog) => {
    observed.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('framenavigated', (frame) => {
    if (frame.url().startsWith(sandbox.appOrigin) || /^(?:javascript|data):/i.test(frame.url())) observed.appUrls.push(frame.url());
  });
  page.on('request', (request) => {
    let fromApp = false;
    try {
      fromApp = request.frame().url().startsWith(sandbox.appOrigin);
    } catch {
      // A request without a frame (none are expected here) counts as the app's.
      fromApp = true;
    }
    observed.requests.push({ url: request.url(), method: request.method(), headers: request.headers(), body: request.postData() ?? '', fromApp });
  });
  page.on('response', async (response) => {
    if (!response.url().startsWith(`${sandbox.ehrOrigin}/auth/token`) || response.status() !== 200) return;
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string };
    if (body.access_token) observed.tokens.access.push(body.access_token);
    if (body.refresh_token) observed.tokens.refresh.push(body.refresh_token);
  });
  return { context, page, observed };
}

async function launchFor(page: Page, patientId: string): Promise<Frame> {
  await page.goto(`${sandbox.ehrOrigin}/`);
  await page.click(`button[data-patient-id="${patientId}"]`);
  const frame = (await (await page.waitForSelector('#curbside-frame:not([hidden])')).contentFrame())!;
  await frame.locator('curbside-differential[state="ready"]').waitFor({ timeout: 30_000 });
  return frame;
}

/** Strings that identify the patient: the FHIR id and every identifier value (MRN, SSN, …). */
async function patientIdentifiers(patientId: string): Promise<string[]> {
  const patient = await sandbox.fhir.readUnchecked<Patient>('Patient', patientId);
  return [patientId, ...(patient?.identifier ?? []).map((i) => i.value ?? '').filter((v) => v.length >= 4)];
}

function leaks(haystack: string, secrets: Record<string, readonly string[]>): string[] {
  const decoded = (() => {
    try {
      return decodeURIComponent(haystack);
    } catch {
      return haystack;
    }
  })();
  return Object.entries(secrets).flatMap(([kind, values]) => values.filter((v) => v && (haystack.includes(v) || decoded.includes(v))).map(() => kind));
}

describe('security end to end', () => {
  test('the app server sends the strict CSP with Trusted Types and the EHR as the only frame ancestor', async () => {
    for (const path of ['/launch.html', '/index.html', '/docs.html', '/msal-relay.html', '/msal-redirect.html']) {
      const response = await fetch(`${sandbox.appOrigin}${path}`);
      assert.equal(response.status, 200, path);
      const csp = response.headers.get('content-security-policy') ?? '';
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
      assert.deepEqual(directives.get('default-src'), ["'self'"], path);
      assert.deepEqual(directives.get('script-src'), ["'self'"], path);
      assert.deepEqual(directives.get('object-src'), ["'none'"], path);
      assert.deepEqual(directives.get('base-uri'), ["'none'"], path);
      assert.deepEqual(directives.get('frame-ancestors'), [sandbox.ehrOrigin], path);
      assert.deepEqual(directives.get('connect-src'), ["'self'", sandbox.ehrOrigin], path);
      assert.deepEqual(directives.get('require-trusted-types-for'), ["'script'"], path);
      assert.deepEqual(directives.get('trusted-types'), [...TRUSTED_TYPES_POLICIES], path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('the docs page, the examples and the sign-in pages run under the same CSP without a violation', { timeout: 60_000 }, async () => {
    const { context, page, observed } = await observedTab();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const path of ['/docs.html', '/examples/plain-data.html', '/msal-relay.html', '/msal-redirect.html']) {
      await page.goto(`${sandbox.appOrigin}${path}`);
      await page.waitForLoadState('networkidle');
    }
    await page.goto(`${sandbox.appOrigin}/docs.html`);
    await page.locator('section[data-tag="curbside-differential"] [data-example] curbside-differential').waitFor();
    assert.deepEqual(observed.violations, []);
    assert.deepEqual(observed.dialogs, []);
    await context.close();
  });

  test('launch, accept, compose, attest and write: no CSP violation, and no token or identifier where it does not belong', { timeout: 120_000 }, async () => {
    const patientId = 'ckd-01';
    const { context, page, observed } = await observedTab();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const frame = await launchFor(page, patientId);

    const items = frame.locator('curbside-differential [part~="item"]');
    let index = 0;
    for (;;) {
      const item = items.nth(index);
      await item.locator('[part~="disclosure"]').click();
      // The item's own Accept (its treatment options have theirs), by the differential's id.
      const accept = item.locator(`#accept-${index}`);
      if (await accept.isEnabled()) {
        await accept.click();
        await item.locator('[part~="decision"]').waitFor();
        break;
      }
      index += 1;
    }
    const composer = frame.locator('curbside-note-composer');
    await composer.locator('[part~="own-words"]').fill('Reviewed under a strict content security policy.');
    await composer.locator('[part~="confirm-all-button"]').click();
    await composer.locator('[part~="review-button"]').click();
    const attestation = frame.locator('curbside-attestation');
    await attestation.locator('[part~="checkbox"]').check();
    await attestation.locator('[part~="confirm-button"]').click();
    await attestation.locator('[part~="status"]').filter({ hasText: /DocumentReference\// }).waitFor({ timeout: 20_000 });
    assert.equal(await frame.evaluate('typeof trustedTypes'), 'object', 'Chromium enforces Trusted Types here');

    assert.deepEqual(observed.violations, [], 'no securitypolicyviolation in any frame');
    assert.deepEqual(observed.dialogs, []);
    assert.deepEqual(errors, []);

    const { access, refresh } = observed.tokens;
    assert.ok(access.length >= 1, 'the access token was seen, so its absence below means something');
    const identifiers = await patientIdentifiers(patientId);
    const secrets = { 'access token': access, 'refresh token': refresh, 'patient identifier': identifiers };

    // URLs the app created or navigated to.
    for (const url of observed.appUrls) assert.deepEqual(leaks(url, secrets), [], `app URL ${url}`);
    assert.ok(!observed.appUrls.some((url) => /^(?:javascript|data):/i.test(url)));
    // Console output of every frame.
    for (const line of observed.console) assert.deepEqual(leaks(line, secrets), [], `console: ${line.slice(0, 200)}`);
    // localStorage of the app's origin (partitioned under the EHR's site).
    const stored = await frame.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    assert.deepEqual(leaks(stored, secrets), [], 'localStorage');

    const fhirPrefix = `${sandbox.fhirBase}/`;
    const appRequests = observed.requests.filter((r) => r.fromApp);
    assert.ok(appRequests.some((r) => r.url.startsWith(`${sandbox.ehrOrigin}/model/`)), 'the model was asked');
    for (const request of appRequests) {
      const toFhir = request.url.startsWith(fhirPrefix);
      const authorization = request.headers.authorization ?? '';
      if (toFhir) {
        // The FHIR server is the one place the token goes.
        continue;
      }
      assert.ok(!access.some((token) => authorization.includes(token)), `no access token sent to ${request.url}`);
      const everything = [request.url, JSON.stringify(request.headers), request.body].join('\n');
      const isTokenEndpoint = request.url === `${sandbox.ehrOrigin}/auth/token`;
      // The token endpoint issues the tokens: it may be sent the refresh token, never an access token or an identifier.
      const forbidden = isTokenEndpoint ? { 'access token': access, 'patient identifier': identifiers } : secrets;
      assert.deepEqual(leaks(everything, forbidden), [], `${request.method} ${request.url}`);
    }
    // And no request of the app's ever left the sandbox's two origins.
    for (const request of appRequests) assert.ok(request.url.startsWith(sandbox.ehrOrigin) || request.url.startsWith(sandbox.appOrigin), request.url);

    // The zero above is worth something: the markdown summary was rendered through the policy, a
    // second policy of that name is refused, and a raw HTML string in a sink is reported.
    assert.ok(await frame.locator('curbside-differential [part~="summary"]').count(), 'the differential showed its markdown summary');
    const probe = await frame.evaluate(`(() => {
      const out = [];
      try { trustedTypes.createPolicy('curbside-markdown', { createHTML: (s) => s }); out.push('duplicate allowed'); } catch { out.push('duplicate refused'); }
      try { trustedTypes.createPolicy('dompurify', { createHTML: (s) => s }); out.push('dompurify allowed'); } catch { out.push('dompurify refused'); }
      try { document.createElement('div').innerHTML = '<b>x</b>'; out.push('string sink allowed'); } catch { out.push('string sink refused'); }
      return out;
    })()`);
    assert.deepEqual(probe, ['duplicate refused', 'dompurify refused', 'string sink refused']);
    await new Promise((r) => setTimeout(r, 300));
    // Read afresh: the deepEqual above narrowed the array's type to empty.
    const heard: readonly string[] = observed.violations;
    assert.ok(heard.some((v) => v.includes('trusted-types')), 'the listener hears violations in the app frame');
    await context.close();
  });

  test('hostile text in a patient’s name, problems and notes, read through the real launch, never runs', { timeout: 120_000 }, async () => {
    const corpus = CORPUS;
    const patientId = 'htn-11';
    const patient = (await sandbox.fhir.readUnchecked<Patient>('Patient', patientId))!;
    const hostileName = corpus.find((p) => p.includes('onerror'))!;
    await sandbox.fhir.load([
      <Patient>{ ...patient, name: [{ use: 'official', family: hostileName, given: ['<script>xss()</script>'], text: `${hostileName} [x](javascript:xss())` }] },
      ...corpus.slice(0, 40).map(
        (payload, i): Condition => ({
          resourceType: 'Condition',
          id: `xss-condition-${i}`,
          subject: { reference: `Patient/${patientId}` },
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
          code: { text: payload },
          text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${payload}</div>` },
        }),
      ),
      ...[0, 1, 2, 3].map(
        (n): DocumentReference => ({
          resourceType: 'DocumentReference',
          id: `xss-note-${n}`,
          status: 'current',
          docStatus: 'final',
          subject: { reference: `Patient/${patientId}` },
          date: `2026-11-1${n}T10:00:00Z`,
          description: corpus[n * 7]!,
          type: { text: corpus[n * 11]! },
          content: [
            {
              attachment: {
                contentType: n % 2 ? 'text/html' : 'text/plain;charset=utf-8',
                data: Buffer.from(corpus.slice(n * 48, n * 48 + 48).join('\n'), 'utf8').toString('base64'),
                title: corpus[n * 13]!,
              },
            },
          ],
        }),
      ),
    ]);
    const stored = await sandbox.fhir.readUnchecked<Patient>('Patient', patientId);
    assert.equal(stored?.name?.[0]?.family, hostileName, 'the hostile name is in the chart');

    const { context, page, observed } = await observedTab();
    const frame = await launchFor(page, patientId);
    await frame.locator('curbside-chart-summary').waitFor();
    // Open everything a clinician could open, so hidden text is rendered too.
    await frame.evaluate(OPEN_AND_INSPECT);
    await page.waitForTimeout(500);
    const bannerName = await frame.locator('curbside-patient-banner [part~="name"]').textContent();
    assert.ok((bannerName ?? '').includes('onerror'), 'the name is shown, as text');

    const found = (await frame.evaluate(OPEN_AND_INSPECT)) as string[];
    assert.deepEqual(found, []);
    assert.deepEqual(observed.dialogs, [], 'no payload ran');
    assert.deepEqual(observed.violations, [], 'nothing was even attempted against the CSP');
    assert.ok(!observed.appUrls.some((url) => /^(?:javascript|data):/i.test(url)), 'no navigation to a script URL');
    await context.close();
  });

  test('hostile model output (conditions, findings, markdown summary, citation titles and URLs) through the real model path never runs', { timeout: 120_000 }, async () => {
    const payloads = CORPUS.slice(0, 60);
    const wire = {
      differential: payloads.slice(0, 6).map((payload, i) => ({
        condition: payload,
        snomed: null,
        icd10: null,
        likelihood: i === 0 ? 'high' : 'low',
        probability: null,
        cantMiss: i === 1,
        rarity: payloads[i + 6]!,
        supporting: [{ text: payloads[i + 12]!, factIds: 'F1' }],
        opposing: [{ text: payloads[i + 18]!, factIds: '' }],
        missing: [payloads[i + 24]!],
        nextSteps: [{ text: payloads[i + 30]!, kind: 'test' }],
        citations: [{ title: payloads[i + 36]!, source: payloads[i + 42]!, year: 2024, url: payloads[i + 48]!, doi: null, pmid: null, quote: payloads[i]! }],
      })),
      summary: payloads.map((payload) => `- ${payload} [see](${payload})`).join('\n'),
      citations: [{ title: payloads[1]!, source: 'x', year: null, url: 'javascript:xss()', doi: null, pmid: null, quote: null }],
      confidence: payloads[2]!,
    };
    const parsed = parseModelOutput(JSON.stringify(wire));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    const { context, page, observed } = await observedTab();
    // The model endpoint answers with the hostile output, encoded by the sandbox's own chat-completions server.
    let answered = 0;
    await context.route(`${sandbox.ehrOrigin}/model/**`, async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const reply = await answerChatCompletion(route.request().postDataJSON(), { answer: () => parsed.output, modelName: 'hostile', faults: DEFAULT_MODEL_FAULTS });
      let body = reply.body ?? '';
      if (reply.stream) for await (const line of reply.stream) body += line;
      answered += 1;
      await route.fulfill({ status: reply.status, headers: { ...reply.headers, 'access-control-allow-origin': sandbox.appOrigin }, body });
    });
    const frame = await launchFor(page, 'ckd-01');
    assert.ok(answered >= 1, 'the app asked the (hostile) model');
    const condition = await frame.locator('curbside-differential [part~="item"] [part~="condition"]').first().textContent();
    assert.ok(payloads.slice(0, 6).some((p) => (condition ?? '').includes(p.trim().slice(0, 12))), 'the hostile condition is shown, as text');
    for (const disclosure of await frame.locator('curbside-differential [part~="disclosure"]').all()) await disclosure.click();
    const found = (await frame.evaluate(OPEN_AND_INSPECT)) as string[];
    await page.waitForTimeout(500);
    assert.deepEqual(found, []);
    assert.deepEqual(observed.dialogs, [], 'no payload ran');
    assert.deepEqual(observed.violations, [], 'nothing was even attempted against the CSP');
    assert.ok(!observed.appUrls.some((url) => /^(?:javascript|data):/i.test(url)), 'no navigation to a script URL');
    await context.close();
  });
});
