/**
 * Chart benchmark: from the access token to `<curbside-chart-summary>` fully rendered, in real
 * Chromium against the sandbox, beside a naive loader measured in the same page with the same
 * token: one request chain per resource type, sequentially, following every `next` link at the
 * server's default page size — what `client.request(url, { pageLimit: 0 })` per type does.
 */
import type { Frame, Page, Request } from 'playwright-core';
import type { Sandbox, SandboxPatient } from '../../launch/sandbox/server.ts';
import type { TestBrowser } from '../support/browser.ts';

export interface ChartBenchRow {
  loader: 'curbside' | 'naive';
  patient: string;
  latencyMs: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Sequential round trips on the critical path. */
  criticalPath: number;
  requests: number;
  bytes: number;
  heapMb: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface Launched {
  page: Page;
  frame: Frame;
  fhirRequests: Request[];
}

async function launchInShell(sandbox: Sandbox, chromium: TestBrowser, patient: SandboxPatient): Promise<Launched> {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const fhirRequests: Request[] = [];
  page.on('requestfinished', (request) => {
    if (request.url().startsWith(sandbox.fhirBase) && request.method() !== 'OPTIONS') fhirRequests.push(request);
  });
  await page.goto(`${sandbox.ehrOrigin}/`);
  await page.click(`button[data-patient-id="${patient.id}"]`);
  const handle = await page.waitForSelector('#curbside-frame:not([hidden])');
  const frame = (await handle.contentFrame())!;
  return { page, frame, fhirRequests };
}

async function bytesOf(requests: readonly Request[]): Promise<number> {
  let total = 0;
  for (const r of requests) {
    const sizes = await r.sizes();
    total += sizes.responseBodySize + sizes.responseHeadersSize + sizes.requestHeadersSize + sizes.requestBodySize;
  }
  return total;
}

async function heapMb(frame: Frame): Promise<number> {
  const bytes = await frame.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  return Math.round((bytes / 1048576) * 10) / 10;
}

export async function benchCurbsideChart(sandbox: Sandbox, chromium: TestBrowser, patient: SandboxPatient, latencyMs: number, runs: number): Promise<ChartBenchRow> {
  sandbox.settings.latencyMs = latencyMs;
  const times: number[] = [];
  const depths: number[] = [];
  const requests: number[] = [];
  const bytes: number[] = [];
  const heaps: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const { page, frame, fhirRequests } = await launchInShell(sandbox, chromium, patient);
      await frame.waitForFunction(() => performance.getEntriesByName('curbside:chart-summary').length > 0, undefined, { timeout: 120_000 });
      const { elapsed, depth } = await frame.evaluate(() => {
        const token = performance.getEntriesByName('curbside:token')[0]!;
        const done = performance.getEntriesByName('curbside:chart-summary')[0] as PerformanceMark;
        const detail = done.detail as { criticalPathDepth?: number } | null;
        return { elapsed: done.startTime - token.startTime, depth: detail?.criticalPathDepth ?? -1 };
      });
      // Requests made after the token: everything but the launch's own discovery.
      const tokenAt = await frame.evaluate(() => performance.timeOrigin + performance.getEntriesByName('curbside:token')[0]!.startTime);
      const afterToken = fhirRequests.filter((r) => r.timing().startTime >= tokenAt - 1);
      times.push(elapsed);
      depths.push(depth);
      requests.push(afterToken.length);
      bytes.push(await bytesOf(afterToken));
      heaps.push(await heapMb(frame));
      await page.context().close();
    }
  } finally {
    sandbox.settings.latencyMs = 0;
  }
  return row('curbside', patient, latencyMs, times, median(depths), median(requests), median(bytes), median(heaps));
}

/**
 * The naive loader, as page-side source: tsx's transform would wrap named functions in a helper
 * the page doesn't have. It reads the session's token where fhirclient keeps it (the app never
 * exposes it), then requests each type in turn and follows every `next` link before the next type.
 */
const NAIVE_LOADER = `async ({ fhirBase, patientId, encounterId }) => {
  let token = '';
  for (let k = 0; k < sessionStorage.length; k++) {
    try {
      const state = JSON.parse(sessionStorage.getItem(sessionStorage.key(k)) || '');
      if (state && state.tokenResponse && state.tokenResponse.access_token) token = state.tokenResponse.access_token;
    } catch (e) {}
  }
  async function get(url) {
    const response = await fetch(url, { headers: { authorization: 'Bearer ' + token, accept: 'application/fhir+json' } });
    return response.json();
  }
  const started = performance.now();
  await get(fhirBase + '/Patient/' + patientId);
  if (encounterId) await get(fhirBase + '/Encounter/' + encounterId);
  let searches = 0;
  for (const type of ['Condition', 'Observation', 'MedicationRequest', 'AllergyIntolerance', 'DocumentReference', 'DiagnosticReport']) {
    let url = fhirBase + '/' + type + '?patient=' + patientId;
    while (url) {
      const bundle = await get(url);
      searches++;
      const next = (bundle.link || []).find((l) => l.relation === 'next');
      url = next ? next.url : undefined;
    }
  }
  return { elapsed: performance.now() - started, searches };
}`;

export async function benchNaiveChart(sandbox: Sandbox, chromium: TestBrowser, patient: SandboxPatient, latencyMs: number, runs: number): Promise<ChartBenchRow> {
  const times: number[] = [];
  const requests: number[] = [];
  const bytes: number[] = [];
  const heaps: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const { page, frame, fhirRequests } = await launchInShell(sandbox, chromium, patient);
      await frame.waitForFunction(() => performance.getEntriesByName('curbside:token').length > 0, undefined, { timeout: 60_000 });
      // Let Curbside's own loading finish so it doesn't share the connection pool with the baseline.
      await frame.waitForFunction(() => performance.getEntriesByName('curbside:chart-summary').length > 0, undefined, { timeout: 120_000 });
      sandbox.settings.latencyMs = latencyMs;
      const before = fhirRequests.length;
      const args = JSON.stringify({ fhirBase: sandbox.fhirBase, patientId: patient.id, encounterId: patient.encounterId ?? null });
      const result = (await frame.evaluate(`(${NAIVE_LOADER})(${args})`)) as {
        elapsed: number;
        searches: number;
      };
      sandbox.settings.latencyMs = 0;
      const mine = fhirRequests.slice(before);
      times.push(result.elapsed);
      requests.push(mine.length);
      bytes.push(await bytesOf(mine));
      heaps.push(await heapMb(frame));
      await page.context().close();
    }
  } finally {
    sandbox.settings.latencyMs = 0;
  }
  // Every naive request waits for the one before it.
  return row('naive', patient, latencyMs, times, median(requests), median(requests), median(bytes), median(heaps));
}

function row(loader: ChartBenchRow['loader'], patient: SandboxPatient, latencyMs: number, times: number[], criticalPath: number, requests: number, bytes: number, heap: number): ChartBenchRow {
  return {
    loader,
    patient: patient.scenario,
    latencyMs,
    runs: times.length,
    medianMs: Math.round(median(times)),
    minMs: Math.round(Math.min(...times)),
    maxMs: Math.round(Math.max(...times)),
    criticalPath,
    requests,
    bytes,
    heapMb: heap,
  };
}
