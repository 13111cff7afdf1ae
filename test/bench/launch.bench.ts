/**
 * Launch benchmark: click on a patient in the sandbox EHR shell → Curbside's banner for that
 * patient, in real Chromium over real HTTP. Prints the median, min and max of several runs and
 * the HTTP requests made by the time the banner shows (all of them, and those to the EHR's auth,
 * FHIR and model endpoints). The chart starts loading beside the banner, so its first requests
 * are counted too.
 */
import type { Sandbox, SandboxPatient } from '../../launch/sandbox/server.ts';
import type { TestBrowser } from '../support/browser.ts';

export interface LaunchBenchRow {
  patient: string;
  latencyMs: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  requests: number;
  ehrRequests: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function benchLaunch(sandbox: Sandbox, chromium: TestBrowser, patient: SandboxPatient, latencyMs: number, runs: number): Promise<LaunchBenchRow> {
  sandbox.settings.latencyMs = latencyMs;
  const times: number[] = [];
  const requestCounts: number[] = [];
  const ehrCounts: number[] = [];
  try {
    for (let i = 0; i < runs + 1; i++) {
      const context = await chromium.browser.newContext();
      const page = await context.newPage();
      await page.goto(`${sandbox.ehrOrigin}/`);
      const button = page.locator(`button[data-patient-id="${patient.id}"]`);
      await button.waitFor();
      let requests = 0;
      page.on('request', () => requests++);
      const logStart = sandbox.requestLog.length;
      const started = performance.now();
      await button.click();
      const frame = page.frameLocator('#curbside-frame');
      await frame.locator('curbside-patient-banner [part~="name"]').filter({ hasText: patient.name }).waitFor({ timeout: 30_000 });
      const elapsed = performance.now() - started;
      // The first run warms the server and the browser's caches of nothing shared; it is not counted.
      if (i > 0) {
        times.push(elapsed);
        requestCounts.push(requests);
        ehrCounts.push(sandbox.requestLog.length - logStart);
      }
      await context.close();
    }
  } finally {
    sandbox.settings.latencyMs = 0;
  }
  return {
    patient: patient.scenario,
    latencyMs,
    runs,
    medianMs: Math.round(median(times)),
    minMs: Math.round(Math.min(...times)),
    maxMs: Math.round(Math.max(...times)),
    requests: median(requestCounts),
    ehrRequests: median(ehrCounts),
  };
}
