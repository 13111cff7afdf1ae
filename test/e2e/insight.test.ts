/**
 * End to end: launch → chart → the sandbox's model server (reference engine over HTTP) → a cited
 * differential whose findings click through to the chart, and accept/reject by the clinician.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { openChart } from '../support/shell.ts';
import type { Sandbox } from '../../launch/sandbox/server.ts';

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

const openDifferential = (patientId: string): Promise<{ page: Page; frame: Frame }> => openChart(sandbox, chromium, patientId, 'curbside-differential[state="ready"]');

describe('suggestions in the sandbox', () => {
  test('CKD: the model server is asked over HTTP, the differential is labelled, cited, and its findings open the chart fact', async () => {
    const before = sandbox.requestLog.filter((r) => r.path === '/model/v1/chat/completions').length;
    const { page, frame } = await openDifferential('ckd-01');
    assert.equal(sandbox.requestLog.filter((r) => r.path === '/model/v1/chat/completions' && r.status === 200).length, before + 1);
    // The model-stream worker made the request: the sidebar's own timeline has the FHIR reads, not it.
    const pageFetches = (await frame.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name))) as string[];
    assert.ok(pageFetches.some((url) => url.includes('/fhir/')), 'the page timeline lists its own requests');
    assert.ok(!pageFetches.some((url) => url.includes('/model/v1/chat/completions')), 'the model was asked from the worker, not the main thread');
    // A shared worker, where the browser has them (a dedicated one would wake the sidebar for every network chunk).
    const cdp = await chromium.browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    await cdp.detach();
    assert.ok(
      targetInfos.some((t) => t.type === 'shared_worker' && t.url.startsWith(sandbox.appOrigin) && t.url.includes('stream-worker')),
      `a shared model-stream worker runs (${targetInfos.map((t) => `${t.type} ${t.url}`).join(', ')})`,
    );
    const view = frame.locator('curbside-differential');
    assert.match((await view.locator('[part~="ai-label"]').textContent()) ?? (await view.textContent()) ?? '', /AI-generated — verify before use/);
    const first = view.locator('[part~="item"]').first();
    assert.match((await first.textContent()) ?? '', /kidney/i);
    await first.locator('[part~="disclosure"]').click();
    const chip = first.locator('[part~="chip"]').first();
    const reference = await chip.getAttribute('data-reference');
    assert.match(reference ?? '', /^(Observation|Condition|MedicationRequest)\//);
    await chip.click();
    // The chip brings the fact up in the chart summary.
    await frame.locator('curbside-chart-summary [aria-current="true"]').first().waitFor({ timeout: 5_000 });
    assert.ok((await first.locator('a[href*="doi.org"], a[href*="pubmed"]').count()) > 0, 'cited with a resolvable identifier');
    await page.context().close();
  });

  test('accept one suggestion and reject another with a reason', async () => {
    const { page, frame } = await openDifferential('ckd-01');
    const items = frame.locator('curbside-differential [part~="item"]');
    await items.nth(0).locator('[part~="disclosure"]').click();
    // The items' own buttons, by the differential's ids: each treatment option has its own too.
    await items.nth(0).locator('#accept-0').click();
    await items.nth(0).locator('[part~="decision"]').waitFor();
    assert.match((await items.nth(0).locator('[part~="decision"]').textContent()) ?? '', /accepted/i);
    await items.nth(1).locator('[part~="disclosure"]').click();
    await items.nth(1).locator('#reject-1').click();
    await items.nth(1).getByRole('radio').first().check();
    await items.nth(1).locator('[part~="confirm-reject-button"]').click();
    await items.nth(1).locator('[part~="decision"]').waitFor();
    assert.match((await items.nth(1).locator('[part~="decision"]').textContent()) ?? '', /rejected/i);
    await page.context().close();
  });

  test('a model server that answers garbage shows a clear error with the raw answer, and Retry recovers', async () => {
    sandbox.settings.model.garbage = true;
    const page = await (await chromium.browser.newContext()).newPage();
    try {
      await page.goto(`${sandbox.ehrOrigin}/`);
      await page.click('button[data-patient-id="dm-02"]');
      const frame = (await (await page.waitForSelector('#curbside-frame:not([hidden])')).contentFrame())!;
      const view = frame.locator('curbside-differential[state="error"]');
      await view.waitFor({ timeout: 30_000 });
      assert.match((await view.locator('[part~="error"]').textContent()) ?? '', /cannot|could not|not in the expected|invalid|unreadable|form/i);
      assert.match((await view.locator('[part~="raw"]').textContent()) ?? '', /probably fine/);
      sandbox.settings.model.garbage = false;
      await view.locator('[part~="retry-button"]').click();
      await frame.locator('curbside-differential[state="ready"]').waitFor({ timeout: 30_000 });
    } finally {
      sandbox.settings.model.garbage = false;
      await page.context().close();
    }
  });
});
