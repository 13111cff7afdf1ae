/**
 * The requests a launch milestone waited for, and how many sequential round trips they cost.
 *
 * Times come from each document's own Resource and Navigation Timing, collected by an init script
 * (handed on when a document is left, read at the end), as epoch times in the same clock the
 * milestones use. Playwright's request timings are not used: for requests from the
 * cross-site sidebar frame they came out up to ~100 ms later than the frame's own timings, which
 * put responses after the render they fed.
 *
 * What neither reports is reconstructed:
 *   - what started a request: the chain walks back from the milestone, each step taking the
 *     request that finished last before the current one started. A request that happens to finish
 *     in a gap without being awaited is counted too, so the chain is an upper bound;
 *   - CORS preflights: a cross-origin request with a header outside the CORS safelist (the bearer
 *     token) or a non-simple method or content type is preceded by one, unless the same document
 *     origin already preflighted that URL in this browser context (the sandbox allows caching them
 *     for 600 s). Each preflight is one more round trip;
 *   - redirects: a navigation's timing spans its cross-origin redirects (the authorization
 *     server's 302 back to the app); each hop is one more round trip.
 */
import type { Browser, BrowserContext, Frame, Page, Request } from 'playwright-core';

export interface Timing {
  readonly url: string;
  /** `navigation`, or the resource's initiator type (`script`, `fetch`, `link`, …). */
  readonly kind: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
}

/**
 * Page-side: every finished request of the document as `Timing`s. A document being left keeps its
 * own in sessionStorage for the next document of the same origin in the frame (launch.html hands
 * over to index.html); a binding call from `pagehide` did not arrive reliably.
 */
export const TIMINGS_SCRIPT = `(() => {
  // The default buffer keeps 250 entries; the naive loader alone makes hundreds of requests.
  performance.setResourceTimingBufferSize(100000);
  const KEY = '__curbsideBenchTimings';
  const epoch = (t) => performance.timeOrigin + t;
  const own = () => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
    .filter((e) => e.responseEnd > 0)
    .map((e) => ({ url: e.name, kind: e.entryType === 'navigation' ? 'navigation' : e.initiatorType, start: epoch(e.startTime), end: epoch(e.responseEnd) }));
  const kept = () => {
    try { return JSON.parse(sessionStorage.getItem(KEY) || '[]'); } catch (e) { return []; }
  };
  window.__benchCollect = () => kept().concat(own());
  addEventListener('pagehide', () => {
    try { sessionStorage.setItem(KEY, JSON.stringify(window.__benchCollect())); } catch (e) {}
  });
})();`;

/** Only these can hold up a render; images and icons never gate a milestone here. */
const BLOCKING_KINDS = new Set(['navigation', 'script', 'link', 'css', 'fetch', 'xmlhttprequest']);
const NOT_BLOCKING_URL = /\.(svg|png|ico|jpe?g|webp|woff2?)(\?|$)/;
/** The EHR's SMART style is applied whenever it arrives; nothing waits for it. */
const NOT_AWAITED_URL = /\/ehr\/style\.json$/;

const SIMPLE_METHODS = new Set(['GET', 'HEAD', 'POST']);
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
/** Headers Chromium itself adds, and the safelisted ones a page may set without a preflight. */
const HEADERS_WITHOUT_PREFLIGHT = new Set([
  'accept',
  'accept-language',
  'accept-encoding',
  'content-language',
  'content-length',
  'content-type',
  'connection',
  'cookie',
  'host',
  'origin',
  'range',
  'referer',
  'user-agent',
]);

function needsPreflight(request: Request): boolean {
  if (request.isNavigationRequest()) return false;
  let documentOrigin: string;
  try {
    documentOrigin = new URL(request.frame().url()).origin;
  } catch {
    return false;
  }
  if (new URL(request.url()).origin === documentOrigin) return false;
  if (!SIMPLE_METHODS.has(request.method())) return true;
  for (const [name, value] of Object.entries(request.headers())) {
    const header = name.toLowerCase();
    if (header.startsWith('sec-')) continue;
    if (header === 'content-type' && !SIMPLE_CONTENT_TYPES.has(value.split(';')[0]!.trim().toLowerCase())) return true;
    if (!HEADERS_WITHOUT_PREFLIGHT.has(header)) return true;
  }
  return false;
}

export interface Timeline {
  /** URLs whose first request in this context was preflighted. */
  readonly preflighted: Set<string>;
  /** Final URL of a navigation → redirect hops before it. */
  readonly redirects: Map<string, number>;
}

/** Call before the page exists: installs the collector in every document of the context. */
export async function watchTimeline(context: BrowserContext): Promise<Timeline> {
  const timeline: Timeline = { preflighted: new Set(), redirects: new Map() };
  const seen = new Set<string>();
  await context.addInitScript({ content: TIMINGS_SCRIPT });
  context.on('request', (request) => {
    let documentUrl: string;
    try {
      documentUrl = request.frame().url();
    } catch {
      return;
    }
    const key = `${documentUrl.split('/').slice(0, 3).join('/')} ${request.url()}`;
    if (!seen.has(key) && needsPreflight(request)) timeline.preflighted.add(request.url());
    seen.add(key);
    let hops = 0;
    for (let from = request.redirectedFrom(); from; from = from.redirectedFrom()) hops += 1;
    if (hops > 0) timeline.redirects.set(request.url(), hops);
  });
  return timeline;
}

/** A worker's resource timings, as `Timing`s. */
const WORKER_TIMINGS = `performance.getEntriesByType('resource').filter((e) => e.responseEnd > 0).map((e) => ({ url: e.name, kind: e.initiatorType, start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd }))`;

/**
 * Every timing so far of the documents open in `where`, of those they replaced, and of the
 * workers they run. The sidebar asks its model from a shared worker, which Playwright does not
 * list, so shared workers are read over the browser's CDP. Playwright does not see their requests
 * either, so no preflight is recorded for them: the worker sends only the model providers' JSON
 * POSTs, which always need one, and each cross-origin URL's first request is marked preflighted
 * in `timeline` here.
 */
export async function timingsOf(where: ReadonlyArray<Page | Frame>, timeline?: Timeline): Promise<Timing[]> {
  const open = await Promise.all(where.map(async (w) => (await w.evaluate('window.__benchCollect ? window.__benchCollect() : []')) as Timing[]));
  const pages = where.filter((w): w is Page => 'workers' in w);
  const dedicated = await Promise.all(
    pages.flatMap((p) => p.workers()).map(async (worker) => {
      try {
        return (await worker.evaluate(WORKER_TIMINGS)) as Timing[];
      } catch {
        // A worker that ended meanwhile has nothing left to read.
        return [];
      }
    }),
  );
  const browser = pages[0]?.context().browser();
  const shared = browser ? await sharedWorkerTimings(browser) : [];
  for (const { origin, timings } of shared) {
    for (const t of timings) if (t.kind === 'fetch' && new URL(t.url).origin !== origin) timeline?.preflighted.add(t.url);
  }
  return [...open.flat(), ...dedicated.flat(), ...shared.flatMap((w) => w.timings)];
}

/** The resource timings of every shared worker in the browser, with its origin, read through a CDP session attached to each. */
async function sharedWorkerTimings(browser: Browser): Promise<Array<{ readonly origin: string; readonly timings: Timing[] }>> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const found: Array<{ readonly origin: string; readonly timings: Timing[] }> = [];
    for (const target of targetInfos.filter((t) => t.type === 'shared_worker')) {
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
      try {
        const answer = new Promise<Timing[]>((resolve) => {
          const onMessage = (event: { sessionId?: string; message: string }): void => {
            if (event.sessionId !== sessionId) return;
            const reply = JSON.parse(event.message) as { id?: number; result?: { result?: { value?: Timing[] } } };
            if (reply.id !== 1) return;
            cdp.off('Target.receivedMessageFromTarget', onMessage);
            resolve(reply.result?.result?.value ?? []);
          };
          cdp.on('Target.receivedMessageFromTarget', onMessage);
        });
        await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression: WORKER_TIMINGS, returnByValue: true } }) });
        // A worker that ends meanwhile never answers, and has nothing left to read.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timings = await Promise.race([answer, new Promise<Timing[]>((resolve) => (timer = setTimeout(() => resolve([]), 5000)))]);
        clearTimeout(timer);
        found.push({ origin: new URL(target.url).origin, timings });
      } finally {
        await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      }
    }
    return found;
  } finally {
    await cdp.detach();
  }
}

/** Renderer clocks of the shell and the frame agree to about a millisecond. */
const SKEW_MS = 2;

/**
 * The requests `to` waited for, in order, starting no earlier than `from` (epoch ms). `last` names
 * the requests whose answer the milestone shows (the banner's Patient read, say), so the walk
 * starts from the right one rather than from whatever finished just before a slow render.
 */
export function criticalChain(timings: readonly Timing[], from: number, to: number, last: (t: Timing) => boolean = () => true): Timing[] {
  const pool = timings.filter(
    (t) => BLOCKING_KINDS.has(t.kind) && !NOT_BLOCKING_URL.test(t.url) && !NOT_AWAITED_URL.test(t.url) && t.start >= from - SKEW_MS && t.end <= to + SKEW_MS,
  );
  const chain: Timing[] = [];
  let cursor = to + SKEW_MS;
  for (;;) {
    let latest: Timing | undefined;
    for (const t of pool) {
      if (chain.length === 0 && !last(t)) continue;
      if (t.end <= cursor && t.start < cursor && !chain.includes(t) && (!latest || t.end > latest.end)) latest = t;
    }
    if (!latest) return chain;
    chain.unshift(latest);
    cursor = latest.start;
  }
}

/** Extra round trips hidden in one timing: its preflight (the URL's first request only) and redirects. */
function hiddenTrips(timeline: Timeline, timings: readonly Timing[], t: Timing): number {
  const first = timings.reduce<Timing | undefined>((a, b) => (b.url === t.url && (!a || b.start < a.start) ? b : a), undefined);
  return (timeline.preflighted.has(t.url) && first === t ? 1 : 0) + (t.kind === 'navigation' ? (timeline.redirects.get(t.url) ?? 0) : 0);
}

/** Sequential round trips of a chain: each request, each preflight and each redirect hop. */
export function roundTrips(timeline: Timeline, timings: readonly Timing[], chain: readonly Timing[]): number {
  return chain.reduce((n, t) => n + 1 + hiddenTrips(timeline, timings, t), 0);
}

/** A chain as short lines for the report: path, duration, what it hides. */
export function describeChain(timeline: Timeline, timings: readonly Timing[], chain: readonly Timing[], origin: number): string[] {
  return chain.map((t) => {
    const url = new URL(t.url);
    const path = `${url.host}${url.pathname}${url.search.length > 32 ? `${url.search.slice(0, 32)}…` : url.search}`;
    const preflight = timeline.preflighted.has(t.url) && hiddenTrips(timeline, timings, t) > 0 && t.kind !== 'navigation';
    const redirects = t.kind === 'navigation' ? (timeline.redirects.get(t.url) ?? 0) : 0;
    const notes = [preflight ? 'after a preflight' : '', redirects ? `after ${redirects} redirect${redirects > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');
    return `+${Math.round(t.start - origin)}–${Math.round(t.end - origin)} ms ${t.kind} ${path}${notes ? ` (${notes})` : ''}`;
  });
}
