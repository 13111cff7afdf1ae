/**
 * End to end: the built docs page shows every element of the generated manifest with its API
 * and a live example, at a narrow width; the plain-data example hears `curbside-fact-select`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import type { Sandbox } from '../../launch/sandbox/server.ts';
import { generateManifest, manifestElements } from '../../scripts/custom-elements.ts';

let sandbox: Sandbox;
let chromium: TestBrowser;

before(async () => {
  sandbox = await startTestSandbox({ loadSynthea: false, largePatientObservations: 0 });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await sandbox?.close();
});

test('the docs page documents and renders every element in custom-elements.json', async () => {
  const elements = manifestElements(generateManifest('node_modules/.cache/curbside-e2e'));
  const page = await chromium.browser.newPage({ viewport: { width: 360, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${sandbox.appOrigin}/docs.html`);

  for (const element of elements) {
    const section = page.locator(`section[data-tag="${element.tagName}"]`);
    await section.waitFor();
    const text = await section.innerText();
    assert.ok(text.includes(element.summary!.split('\n')[0]!.slice(0, 40)), `${element.tagName} shows its summary`);
    for (const part of element.cssParts ?? []) assert.ok(text.includes(part.name), `${element.tagName} lists part ${part.name}`);
    for (const event of element.events ?? []) assert.ok(text.includes(event.name), `${element.tagName} lists event ${event.name}`);
    // The live example is the element itself, upgraded and rendered into its shadow root.
    const rendered = await section.locator(`[data-example] ${element.tagName}`).first().evaluate((el) => Boolean(el.shadowRoot?.childNodes.length));
    assert.ok(rendered, `${element.tagName} renders a live example`);
  }
  const differential = page.locator('section[data-tag="curbside-differential"]');
  assert.ok((await differential.innerText()).includes('curbside-suggestion-accept'));

  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page fits 360 px without scrolling sideways (scrollWidth ${width})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the plain-data example reports the fact a clinician selects', async () => {
  const page = await chromium.browser.newPage();
  await page.goto(`${sandbox.appOrigin}/examples/plain-data.html`);
  await page.locator('curbside-chart-summary').getByRole('button', { name: /HbA1c/ }).first().click();
  await page.locator('#selected', { hasText: 'Observation/a1c-2' }).waitFor();
  await page.close();
});

test('the own-client example runs its own standalone launch and feeds the sidebar from that session', async () => {
  const page = await chromium.browser.newPage();
  await page.goto(`${sandbox.appOrigin}/examples/own-client.html?iss=${encodeURIComponent(sandbox.fhirBase)}`);
  await page.getByText('Harold James Bennett').click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL(/\/examples\/own-client\.html/);
  const sidebar = page.locator('curbside-sidebar');
  await sidebar.getByText('Chronic kidney disease stage 3B').waitFor();
  await sidebar.getByText('Harold James Bennett').first().waitFor();
  await page.close();
});
