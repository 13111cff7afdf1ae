/** Driving the sandbox EHR shell in end-to-end tests: open a patient's chart, wait for a condition. */
import type { Frame, Page } from 'playwright-core';
import type { Sandbox } from '../../launch/sandbox/server.ts';
import type { TestBrowser } from './browser.ts';

/**
 * Opens the shell in a fresh browser context, clicks the patient (a real EHR launch) and returns
 * Curbside's frame once `ready` (a selector inside it) is visible.
 */
export async function openChart(sandbox: Sandbox, chromium: TestBrowser, patientId: string, ready: string): Promise<{ page: Page; frame: Frame }> {
  const page = await (await chromium.browser.newContext()).newPage();
  await page.goto(`${sandbox.ehrOrigin}/`);
  await page.click(`button[data-patient-id="${patientId}"]`);
  const frame = (await (await page.waitForSelector('#curbside-frame:not([hidden])')).contentFrame())!;
  await frame.locator(ready).waitFor({ timeout: 30_000 });
  return { page, frame };
}

/** Polls `probe` every 100 ms until it gives a value, or fails naming `what`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
