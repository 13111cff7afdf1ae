/**
 * Launch benchmark: a click on the patient in the sandbox EHR shell, then four milestones in
 * Curbside's sidebar — the patient banner, the chart summary, the first differential item and
 * the differential complete — in real Chromium over real HTTP. Also, from the same launches: the
 * chart load from the access token (the app's `curbside:token` → `curbside:chart-summary`
 * marks), its sequential round trips as the loader counts them, its FHIR requests, bytes and JS
 * heap, and the round trips each milestone waited for (see critical-path.ts).
 *
 * Milestones are taken inside the pages: the shell records the click's event time, and an init
 * script in the sidebar frame polls its shadow DOM every frame (and every 10 ms, should frames be
 * throttled) for the banner's name and the differential's items and state, and reads the
 * chart-summary mark. Both are epoch times, so click and milestone compare across processes.
 * Should the app mark `curbside:differential-first-item` or `curbside:differential-complete`,
 * those marks are used instead of polling.
 */
import type { Frame, Page, Request } from 'playwright-core';
import type { Sandbox, SandboxPatient } from '../../launch/sandbox/server.ts';
import type { TestBrowser } from '../support/browser.ts';
import { criticalChain, describeChain, roundTrips, timingsOf, watchTimeline, type Timeline, type Timing } from './critical-path.ts';
import { stat, type Stat } from './stats.ts';

/** Page-side source: tsx would wrap named functions in a helper the page doesn't have. */
const MILESTONES_SCRIPT = `(() => {
  const epoch = (t) => performance.timeOrigin + t;
  if (window === window.top) {
    addEventListener('click', (event) => { window.__benchClickAt = epoch(event.timeStamp); }, true);
    return;
  }
  const seen = {};
  window.__curbsideBench = seen;
  const markAt = (name) => {
    const mark = performance.getEntriesByName(name)[0];
    return mark ? epoch(mark.startTime) : undefined;
  };
  const finished = () => seen.banner !== undefined && seen.chart !== undefined && (seen.complete !== undefined || seen.error !== undefined);
  const check = () => {
    const root = document.querySelector('curbside-sidebar')?.shadowRoot;
    if (!root) return;
    const now = epoch(performance.now());
    if (seen.banner === undefined) {
      const name = root.querySelector('curbside-patient-banner')?.shadowRoot?.querySelector('[part~="name"]');
      if (name && name.textContent.trim()) seen.banner = now;
    }
    if (seen.chart === undefined) seen.chart = markAt('curbside:chart-summary');
    const differential = root.querySelector('curbside-suggestions')?.shadowRoot?.querySelector('curbside-differential');
    const view = differential?.shadowRoot;
    if (seen.firstItem === undefined) seen.firstItem = markAt('curbside:differential-first-item') ?? (view?.querySelector('[part~="item"]') ? now : undefined);
    if (seen.complete === undefined) {
      const ready = differential?.getAttribute('state') === 'ready' && view?.querySelector('[part~="list"], [part~="empty"]');
      seen.complete = markAt('curbside:differential-complete') ?? (ready ? now : undefined);
    }
    if (seen.error === undefined && differential?.getAttribute('state') === 'error') {
      seen.error = view?.querySelector('[part~="error"]')?.textContent?.trim() || 'the differential failed';
    }
  };
  const timer = setInterval(() => {
    check();
    if (finished()) clearInterval(timer);
  }, 10);
  const frame = () => {
    check();
    if (!finished()) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

interface Milestones {
  banner?: number;
  chart?: number;
  firstItem?: number;
  complete?: number;
  error?: string;
  tokenAt?: number;
  depth?: number;
  heapBytes: number;
}

export interface OpenLaunch {
  readonly page: Page;
  readonly frame: Frame;
  readonly timeline: Timeline;
  /** Every request that finished, for sizes (their timings come from the pages instead). */
  readonly finished: Request[];
  readonly clickAt: number;
}

/** Opens the shell in a fresh browser context (nothing cached) and clicks the patient. */
export async function clickPatient(sandbox: Sandbox, chromium: TestBrowser, patient: SandboxPatient): Promise<OpenLaunch> {
  const context = await chromium.browser.newContext();
  const timeline = await watchTimeline(context);
  await context.addInitScript({ content: MILESTONES_SCRIPT });
  const finished: Request[] = [];
  context.on('requestfinished', (request) => void finished.push(request));
  const page = await context.newPage();
  await page.goto(`${sandbox.ehrOrigin}/`);
  const button = page.locator(`button[data-patient-id="${patient.id}"]`);
  await button.waitFor();
  await button.click();
  const handle = await page.waitForSelector('#curbside-frame:not([hidden])');
  const frame = (await handle.contentFrame())!;
  const clickAt = (await page.evaluate('window.__benchClickAt')) as number;
  return { page, frame, timeline, finished, clickAt };
}

/** Waits for every milestone (or the differential's failure) and reads them. */
export async function waitForMilestones(frame: Frame, timeoutMs = 180_000): Promise<Milestones> {
  // A function, not a string: the sidebar page's CSP forbids the eval a string predicate needs.
  await frame.waitForFunction(
    () => {
      const s = (window as unknown as { __curbsideBench?: Record<string, unknown> }).__curbsideBench;
      return Boolean(s && s.banner && s.chart && (s.complete || s.error));
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  return (await frame.evaluate(`(() => {
    const token = performance.getEntriesByName('curbside:token')[0];
    const chart = performance.getEntriesByName('curbside:chart-summary')[0];
    return {
      ...window.__curbsideBench,
      tokenAt: token ? performance.timeOrigin + token.startTime : undefined,
      depth: chart && chart.detail ? chart.detail.criticalPathDepth : undefined,
      heapBytes: performance.memory ? performance.memory.usedJSHeapSize : 0,
    };
  })()`)) as Milestones;
}

/** Added latency for FHIR, token and model requests alike (and their preflights). */
export function setLatency(sandbox: Sandbox, latencyMs: number): void {
  sandbox.settings.latencyMs = latencyMs;
  // A fresh object: the default model faults are a shared constant.
  sandbox.settings.model = { ...sandbox.settings.model, latencyMs };
}

/** Bytes on the wire of the requests behind `timings`, matched by URL to the finished requests. */
export async function bytesOf(timings: readonly Timing[], finished: readonly Request[]): Promise<number> {
  const unused = [...finished];
  let total = 0;
  for (const t of timings) {
    const i = unused.findIndex((r) => r.url() === t.url);
    if (i < 0) continue;
    const [request] = unused.splice(i, 1);
    const sizes = await request!.sizes();
    total += sizes.responseBodySize + sizes.responseHeadersSize + sizes.requestHeadersSize + sizes.requestBodySize;
  }
  return total;
}

/** FHIR reads (not discovery) that started in [from, to]. */
export function fhirReads(timings: readonly Timing[], fhirBase: string, from: number, to: number): Timing[] {
  return timings.filter((t) => t.url.startsWith(`${fhirBase}/`) && !t.url.includes('/.well-known/') && t.start >= from - 2 && t.start <= to);
}

export interface LaunchBenchRow {
  patient: string;
  patientKey: string;
  latencyMs: number;
  /** Click in the EHR shell → each milestone, ms. */
  banner: Stat;
  chartSummary: Stat;
  firstDifferentialItem: Stat;
  differentialComplete: Stat;
  /** Click → access token: the SMART launch itself, before Curbside reads anything. */
  token: Stat;
  /** Access token → chart summary rendered: Curbside's chart loader alone. */
  tokenToChart: Stat;
  /** Sequential round trips on the chart loader's critical path, as the loader counts them. */
  chartRoundTrips: Stat;
  /** Traced round trips (with preflights) from the click to each milestone. */
  bannerRoundTrips: Stat;
  chartSummaryRoundTrips: Stat;
  differentialRoundTrips: Stat;
  /** Traced round trips (with preflights) from the token to the chart summary: the loader's path as the browser ran it. */
  tokenToChartRoundTrips: Stat;
  /** How long each FHIR read between token and chart summary took, last run: queueing shows here. */
  fhirReadMs: Stat;
  /** FHIR requests from the token to the chart summary, their bytes, and the frame's JS heap then. */
  fhirRequests: Stat;
  bytes: Stat;
  heapMb: Stat;
  /** Runs where the differential ended in an error instead of items, with the message shown. */
  differentialErrors: string[];
  /** The last run's traced chains, for the report's causes. */
  bannerChain: string[];
  chartSummaryChain: string[];
  /** The JS files (paths under the app's origin) the sidebar page loaded by the end of the last run. */
  sessionScripts: string[];
}

export async function benchLaunch(sandbox: Sandbox, chromium: TestBrowser, patient: SandboxPatient, latencyMs: number, runs: number): Promise<LaunchBenchRow> {
  const samples = {
    banner: [] as number[],
    chartSummary: [] as number[],
    firstItem: [] as number[],
    complete: [] as number[],
    token: [] as number[],
    tokenToChart: [] as number[],
    tokenTrips: [] as number[],
    depth: [] as number[],
    bannerTrips: [] as number[],
    chartTrips: [] as number[],
    completeTrips: [] as number[],
    fhirRequests: [] as number[],
    bytes: [] as number[],
    heap: [] as number[],
  };
  const errors: string[] = [];
  let bannerChain: string[] = [];
  let chartChain: string[] = [];
  let readMs: number[] = [];
  let sessionScripts: string[] = [];
  setLatency(sandbox, latencyMs);
  try {
    // One extra run first: it warms the sandbox's FHIR engine and is not counted.
    for (let i = 0; i < runs + 1; i++) {
      const { page, frame, timeline, finished, clickAt } = await clickPatient(sandbox, chromium, patient);
      try {
        const m = await waitForMilestones(frame);
        if (i === 0) continue;
        sessionScripts = await frame.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .map((e) => new URL(e.name))
            .filter((u) => u.origin === location.origin && u.pathname.endsWith('.js'))
            .map((u) => u.pathname.replace(/^\//, '')),
        );
        if (m.banner === undefined || m.chart === undefined || m.tokenAt === undefined) throw new Error('a milestone was not recorded');
        const timings = await timingsOf([page, frame], timeline);
        const chain = (to: number, last?: (t: Timing) => boolean) => criticalChain(timings, clickAt, to, last);
        const trips = (to: number, last?: (t: Timing) => boolean) => roundTrips(timeline, timings, chain(to, last));
        // What each milestone shows: the banner the Patient read and allergy search, the chart
        // summary any chart read, the differential the model's answer.
        const bannerReads = (t: Timing) => /\/fhir\/(Patient\/|AllergyIntolerance\?)/.test(t.url);
        const chartReads = (t: Timing) => t.url.startsWith(`${sandbox.fhirBase}/`) && !t.url.includes('/.well-known/');
        const modelAnswer = (t: Timing) => t.url.includes('/model/');
        samples.banner.push(m.banner - clickAt);
        samples.chartSummary.push(m.chart - clickAt);
        samples.token.push(m.tokenAt - clickAt);
        samples.tokenToChart.push(m.chart - m.tokenAt);
        samples.tokenTrips.push(roundTrips(timeline, timings, criticalChain(timings, m.tokenAt, m.chart, chartReads)));
        samples.bannerTrips.push(trips(m.banner, bannerReads));
        samples.chartTrips.push(trips(m.chart, chartReads));
        if (m.depth !== undefined) samples.depth.push(m.depth);
        if (m.error !== undefined) errors.push(m.error);
        if (m.firstItem !== undefined) samples.firstItem.push(m.firstItem - clickAt);
        if (m.complete !== undefined) {
          samples.complete.push(m.complete - clickAt);
          samples.completeTrips.push(trips(m.complete, modelAnswer));
        }
        bannerChain = describeChain(timeline, timings, chain(m.banner, bannerReads), clickAt);
        chartChain = describeChain(timeline, timings, chain(m.chart, chartReads), clickAt);
        const reads = fhirReads(timings, sandbox.fhirBase, m.tokenAt, m.chart);
        samples.fhirRequests.push(reads.length);
        readMs = reads.map((t) => t.end - t.start);
        samples.bytes.push(await bytesOf(reads, finished));
        samples.heap.push(m.heapBytes / 1048576);
      } finally {
        await page.context().close();
      }
    }
  } finally {
    setLatency(sandbox, 0);
  }
  return {
    patient: patient.scenario,
    patientKey: patient.key,
    latencyMs,
    banner: stat(samples.banner),
    chartSummary: stat(samples.chartSummary),
    firstDifferentialItem: stat(samples.firstItem),
    differentialComplete: stat(samples.complete),
    token: stat(samples.token),
    tokenToChart: stat(samples.tokenToChart),
    chartRoundTrips: stat(samples.depth),
    bannerRoundTrips: stat(samples.bannerTrips),
    chartSummaryRoundTrips: stat(samples.chartTrips),
    differentialRoundTrips: stat(samples.completeTrips),
    tokenToChartRoundTrips: stat(samples.tokenTrips),
    fhirReadMs: stat(readMs),
    fhirRequests: stat(samples.fhirRequests),
    bytes: stat(samples.bytes),
    heapMb: stat(samples.heap, 1),
    differentialErrors: errors,
    bannerChain,
    chartSummaryChain: chartChain,
    sessionScripts,
  };
}
