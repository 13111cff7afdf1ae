/**
 * End to end: the sandbox EHR shell over real HTTP, a real SMART EHR launch (PKCE, token, FHIR
 * reads) of the built app inside a cross-site iframe in Debian's Chromium.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import type { Sandbox, SandboxPatient } from '../../launch/sandbox/server.ts';

let sandbox: Sandbox;
let chromium: TestBrowser;

before(async () => {
  sandbox = await startTestSandbox();
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await sandbox?.close();
});

async function newPage(): Promise<Page> {
  const context = await chromium.browser.newContext();
  return context.newPage();
}

function syntheticPatient(match: RegExp): SandboxPatient {
  const found = sandbox.patients.find((p) => p.source === 'synthetic' && match.test(`${p.key} ${p.scenario}`));
  assert.ok(found, `the cohort has a patient matching ${match}`);
  return found;
}

async function sidebarFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#curbside-frame:not([hidden])');
  const frame = await handle.contentFrame();
  assert.ok(frame, 'the sidebar iframe has a frame');
  return frame;
}

async function openChart(page: Page, patient: SandboxPatient): Promise<Frame> {
  await page.goto(`${sandbox.ehrOrigin}/`);
  await page.click(`button[data-patient-id="${patient.id}"]`);
  return sidebarFrame(page);
}

async function resetSettings(): Promise<void> {
  Object.assign(sandbox.settings, { consent: 'auto', needPatientBanner: true, latencyMs: 0, failTypes: {}, withheldScopes: [] });
}

describe('EHR launch from the sandbox chart', () => {
  test('picking a patient launches Curbside in the sidebar and shows that patient’s banner', async () => {
    await resetSettings();
    const patient = syntheticPatient(/ckd|kidney/i);
    const page = await newPage();
    const frame = await openChart(page, patient);
    const name = frame.locator('curbside-patient-banner [part~="name"]');
    await name.waitFor({ timeout: 15_000 });
    assert.equal((await name.textContent())?.trim(), patient.name);
    // Cross-site: the app runs on 127.0.0.1, the EHR on localhost.
    assert.equal(new URL(frame.url()).origin, sandbox.appOrigin);
    assert.notEqual(new URL(page.url()).origin, sandbox.appOrigin);
    // The code is gone from the address once exchanged; no token or patient id is in it.
    const url = new URL(frame.url());
    assert.equal(url.searchParams.get('code'), null);
    assert.ok(!frame.url().includes(patient.id), 'the app URL carries no patient id');
    await page.context().close();
  });

  test('a different patient gets their own banner, not the previous one', async () => {
    await resetSettings();
    const first = syntheticPatient(/anaemia|anemia|iron/i);
    const second = syntheticPatient(/diabetes/i);
    const page = await newPage();
    await openChart(page, first);
    const frame = await sidebarFrame(page);
    await frame.locator('curbside-patient-banner [part~="name"]').waitFor();
    await page.click(`button[data-patient-id="${second.id}"]`);
    const next = await sidebarFrame(page);
    await next.waitForFunction(
      (expected) => {
        const banner = document.querySelector('curbside-sidebar')?.shadowRoot?.querySelector('curbside-patient-banner');
        const name = banner?.shadowRoot?.querySelector('[part~="name"]');
        return name?.textContent?.trim() === expected;
      },
      second.name,
      { timeout: 15_000 },
    );
    await page.context().close();
  });

  test('need_patient_banner false: no banner, the sidebar still names the patient for screen readers', async () => {
    await resetSettings();
    sandbox.settings.needPatientBanner = false;
    const patient = syntheticPatient(/ckd|kidney/i);
    const page = await newPage();
    const frame = await openChart(page, patient);
    await frame.locator('curbside-sidebar').waitFor();
    await frame.waitForFunction(() => {
      const root = document.querySelector('curbside-sidebar')?.shadowRoot;
      return Boolean(root && root.textContent && root.textContent.length > 0 && !root.querySelector('[data-loading]'));
    });
    await frame.getByText(patient.name).first().waitFor({ state: 'attached', timeout: 15_000 });
    assert.equal(await frame.locator('curbside-patient-banner').count(), 0);
    await page.context().close();
  });
});

describe('session upkeep', () => {
  test('the access token is refreshed a minute before it expires', async () => {
    await resetSettings();
    sandbox.settings.tokenLifetimeSeconds = 62;
    try {
      const page = await newPage();
      const frame = await openChart(page, syntheticPatient(/ckd|kidney/i));
      await frame.locator('curbside-patient-banner [part~="name"]').waitFor({ timeout: 15_000 });
      const tokenCalls = (): number => sandbox.requestLog.filter((r) => r.path === '/auth/token' && r.method === 'POST' && r.status === 200).length;
      const before = tokenCalls();
      const deadline = Date.now() + 10_000;
      while (tokenCalls() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(tokenCalls(), before + 1, 'one refresh grant was made, about 2 s after launch');
      await page.context().close();
    } finally {
      sandbox.settings.tokenLifetimeSeconds = 3600;
    }
  });
});

describe('launch failures end on a clear page', () => {
  test('denied consent', async () => {
    await resetSettings();
    sandbox.settings.consent = 'prompt';
    const page = await newPage();
    const frame = await openChart(page, syntheticPatient(/ckd|kidney/i));
    await frame.getByRole('button', { name: 'Deny' }).click();
    const problem = frame.locator('[data-problem="authorization-denied"]');
    await problem.waitFor({ timeout: 15_000 });
    assert.match((await problem.textContent()) ?? '', /not granted/i);
    await page.context().close();
  });

  test('tampered state', async () => {
    await resetSettings();
    const page = await newPage();
    // Alter the state on the authorization server's redirect back to the app.
    await page.route('**/auth/authorize?**', async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = response.headers()['location'];
      assert.ok(location, 'authorize redirects back to the app');
      const target = new URL(location);
      target.searchParams.set('state', `${target.searchParams.get('state')}x`);
      await route.fulfill({ status: 302, headers: { location: target.toString() } });
    });
    const frame = await openChart(page, syntheticPatient(/ckd|kidney/i));
    await frame.locator('[data-problem="state-invalid"]').waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('curbside-sidebar').count(), 0);
    await page.context().close();
  });

  test('unknown iss is refused without contacting it', async () => {
    const page = await newPage();
    const contacted: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).hostname === 'evil.example') contacted.push(r.url());
    });
    await page.goto(`${sandbox.appOrigin}/launch.html?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=abc`);
    const problem = page.locator('[data-problem="unknown-ehr"]');
    await problem.waitFor();
    assert.match((await problem.textContent()) ?? '', /evil\.example/);
    assert.deepEqual(contacted, []);
    await page.context().close();
  });

  test('opened without iss or launch', async () => {
    const page = await newPage();
    await page.goto(`${sandbox.appOrigin}/launch.html`);
    await page.locator('[data-problem="missing-launch-parameters"]').waitFor();
    await page.goto(`${sandbox.appOrigin}/index.html`);
    await page.locator('[data-problem="missing-launch-parameters"]').waitFor();
    await page.context().close();
  });

  test('an unreachable EHR discovery endpoint', async () => {
    const page = await newPage();
    await page.route('**/fhir/.well-known/smart-configuration', (route) => route.abort('connectionrefused'));
    await page.route('**/fhir/metadata', (route) => route.abort('connectionrefused'));
    await page.goto(`${sandbox.appOrigin}/launch.html?iss=${encodeURIComponent(sandbox.fhirBase)}&launch=whatever`);
    await page.locator('[data-problem="discovery-failed"]').waitFor({ timeout: 15_000 });
    await page.context().close();
  });
});

describe('standalone launch', () => {
  test('the patient picker and consent lead to the chosen patient’s banner', async () => {
    await resetSettings();
    const patient = syntheticPatient(/diabetes/i);
    const page = await newPage();
    await page.goto(`${sandbox.launchUri}?iss=${encodeURIComponent(sandbox.fhirBase)}`);
    await page.locator(`button[name="patient"][value="${patient.id}"]`).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    const name = page.locator('curbside-patient-banner [part~="name"]');
    await name.waitFor({ timeout: 15_000 });
    assert.equal((await name.textContent())?.trim(), patient.name);
    await page.context().close();
  });
});
