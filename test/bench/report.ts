/**
 * The bench's one table and its budgets. Every figure is a row (median, min and max of its runs;
 * figures that are the same on every run — sizes, payloads — are measured once); a row that carries
 * a budget says PASS or MISS. Time budgets are checked against the median, round trips and long
 * tasks against the worst run.
 */
import type { NaiveBenchRow } from './chart.bench.ts';
import type { BundleReport } from './bundle.bench.ts';
import type { LaunchBenchRow } from './launch.bench.ts';
import type { PayloadBenchRow } from './payload.bench.ts';
import type { StreamingBenchRow } from './streaming.bench.ts';
import { kb, thousands, type Stat } from './stats.ts';

export interface BenchData {
  /** Patient key → the short name rows use ("typical", "20k obs"). */
  roles: Record<string, string>;
  /** The 20,000-observation patient, whose launch at 0 ms carries the time budgets. */
  largeKey: string | undefined;
  launch: LaunchBenchRow[];
  baseline: NaiveBenchRow[];
  bundle?: BundleReport;
  streaming?: StreamingBenchRow[];
  payload: PayloadBenchRow[];
  /** Sections that threw, with the error. */
  errors: Array<{ section: string; message: string }>;
}

export interface Row {
  section: string;
  measure: string;
  median: string;
  min: string;
  max: string;
  runs: string;
  budget: string;
  result: '' | 'PASS' | 'MISS' | 'ERROR';
}

export interface Budget {
  name: string;
  limit: string;
  measured: string;
  pass: boolean;
}

export const BUDGETS = {
  bannerMs: 1000,
  chartSummaryMs: 1500,
  chartRoundTrips: 8,
  speedup: 3,
  initialGzipBytes: 60 * 1024,
  totalGzipBytes: 200 * 1024,
  streamingRatio: 2,
  longTaskMs: 50,
  payloadRatio: 20,
} as const;

type Format = (n: number) => string;
const ms: Format = (n) => `${thousands(n)} ms`;
const count: Format = (n) => thousands(n);
const times: Format = (n) => `${n.toFixed(1)}×`;

export function buildReport(data: BenchData): { rows: Row[]; budgets: Budget[] } {
  const rows: Row[] = [];
  const budgets: Budget[] = [];

  const timed = (section: string, measure: string, s: Stat, format: Format, check?: { limit: string; pass: (s: Stat) => boolean; measured?: string }): void => {
    const missing = s.runs === 0;
    let result: Row['result'] = '';
    if (check) {
      const pass = !missing && check.pass(s);
      result = pass ? 'PASS' : 'MISS';
      budgets.push({ name: `${section} · ${measure}`, limit: check.limit, measured: missing ? 'not measured' : (check.measured ?? format(s.median)), pass });
    }
    rows.push({
      section,
      measure,
      median: missing ? 'not reached' : format(s.median),
      min: missing ? '–' : format(s.min),
      max: missing ? '–' : format(s.max),
      runs: String(s.runs),
      budget: check?.limit ?? '',
      result,
    });
  };
  const once = (section: string, measure: string, value: string, check?: { limit: string; pass: boolean }): void => {
    if (check) budgets.push({ name: `${section} · ${measure}`, limit: check.limit, measured: value, pass: check.pass });
    rows.push({ section, measure, median: value, min: '–', max: '–', runs: '1', budget: check?.limit ?? '', result: check ? (check.pass ? 'PASS' : 'MISS') : '' });
  };
  const role = (key: string): string => data.roles[key] ?? key;

  for (const r of data.launch) {
    const at = `${role(r.patientKey)}, +${r.latencyMs} ms`;
    const large = r.patientKey === data.largeKey && r.latencyMs === 0;
    timed('Launch', `${at}: click → banner`, r.banner, ms, large ? { limit: `≤ ${thousands(BUDGETS.bannerMs)} ms`, pass: (s) => s.median <= BUDGETS.bannerMs } : undefined);
    timed('Launch', `${at}: click → chart summary`, r.chartSummary, ms, large ? { limit: `≤ ${thousands(BUDGETS.chartSummaryMs)} ms`, pass: (s) => s.median <= BUDGETS.chartSummaryMs } : undefined);
    timed('Launch', `${at}: click → first differential item`, r.firstDifferentialItem, ms);
    timed('Launch', `${at}: click → differential complete`, r.differentialComplete, ms);
    timed('Launch', `${at}: click → access token (SMART launch)`, r.token, ms);
    timed('Launch', `${at}: token → chart summary (chart loader)`, r.tokenToChart, ms);
    timed('Launch', `${at}: sequential round trips, chart loader`, r.chartRoundTrips, count, {
      limit: `≤ ${BUDGETS.chartRoundTrips}`,
      pass: (s) => s.max <= BUDGETS.chartRoundTrips,
      measured: `max ${r.chartRoundTrips.max}`,
    });
    timed('Launch', `${at}: round trips traced, token → chart summary`, r.tokenToChartRoundTrips, count);
    timed('Launch', `${at}: round trips traced, click → banner`, r.bannerRoundTrips, count);
    timed('Launch', `${at}: round trips traced, click → chart summary`, r.chartSummaryRoundTrips, count);
    timed('Launch', `${at}: round trips traced, click → differential complete`, r.differentialRoundTrips, count);
    timed('Launch', `${at}: FHIR requests, token → chart summary`, r.fhirRequests, count);
    timed('Launch', `${at}: FHIR KB, token → chart summary`, r.bytes, (n) => kb(n));
    timed('Launch', `${at}: JS heap at chart summary`, r.heapMb, (n) => `${n.toFixed(1)} MB`);
    if (r.differentialErrors.length > 0) once('Launch', `${at}: differential failed`, `${r.differentialErrors.length}×: ${r.differentialErrors[0]}`);
  }

  for (const r of data.baseline) {
    const at = `${role(r.patientKey)}, +${r.latencyMs} ms`;
    timed('Naive loader', `${at}: click → banner (launch + Patient read)`, r.banner, ms);
    timed('Naive loader', `${at}: click → chart (launch + every page)`, r.chart, ms);
    timed('Naive loader', `${at}: token → chart`, r.tokenToChart, ms);
    timed('Naive loader', `${at}: Curbside token → chart summary, same launches`, r.curbsideTokenToChart, ms);
    timed(
      'Naive loader',
      `${at}: Curbside faster by`,
      r.speedup,
      times,
      r.latencyMs === 100 ? { limit: `≥ ${BUDGETS.speedup}×`, pass: (s) => s.median >= BUDGETS.speedup } : undefined,
    );
    timed('Naive loader', `${at}: sequential round trips (every request)`, r.roundTrips, count);
    timed('Naive loader', `${at}: FHIR KB`, r.bytes, (n) => kb(n));
  }

  const b = data.bundle;
  if (b) {
    once('Bundle', `initial JS of the sidebar, gzip (${b.initial.chunks} chunks)`, kb(b.initial.gzip), {
      limit: `≤ ${kb(BUDGETS.initialGzipBytes)}`,
      pass: b.initial.gzip <= BUDGETS.initialGzipBytes,
    });
    once('Bundle', 'initial JS of the sidebar, brotli', kb(b.initial.brotli));
    once('Bundle', 'initial JS of the sidebar, minified', kb(b.initial.raw));
    // "Total" is what a session loads: the model a site configures decides which lazy chunks come.
    const session = data.launch?.find((r) => r.latencyMs === 0 && r.sessionScripts.length > 0);
    if (session) {
      const loaded = b.chunks.filter((c) => session.sessionScripts.includes(c.file));
      const gzip = loaded.reduce((n, c) => n + c.gzip, 0);
      once('Bundle', `JS a session loaded (launch to differential, sandbox model server; ${loaded.length} chunks), gzip`, kb(gzip), {
        limit: `≤ ${kb(BUDGETS.totalGzipBytes)}`,
        pass: gzip <= BUDGETS.totalGzipBytes,
      });
      const engine = b.chunks.filter((c) => !c.msal && c.load === 'lazy' && !session.sessionScripts.includes(c.file));
      once('Bundle', 'the same session on the embedded engine adds (lazy chunks not loaded above, MSAL aside), gzip', kb(engine.reduce((n, c) => n + c.gzip, 0)));
      once('Bundle', 'the same session on Azure AI Foundry adds MSAL, gzip', kb(b.chunks.filter((c) => c.msal).reduce((n, c) => n + c.gzip, 0)));
    }
    once('Bundle', `all JS the sidebar can load in any configuration, gzip (${b.total.chunks} chunks)`, kb(b.total.gzip));
    once('Bundle', 'all JS the sidebar can load, brotli', kb(b.total.brotli));
    once('Bundle', 'all JS the sidebar can load, minified', kb(b.total.raw));
    const msalWhere = `${b.msalChunks.length} chunk${b.msalChunks.length === 1 ? '' : 's'} marked (MSAL) below`;
    once('Bundle', '@azure/msal-browser in the initial load', b.msalInitial ? `yes: ${msalWhere}` : `no: lazy, ${msalWhere}`, {
      limit: 'not initial',
      pass: !b.msalInitial,
    });
    for (const c of b.chunks) {
      once('Bundle', `${c.load} chunk ${c.file.replace(/^assets\//, '')}${c.msal ? ' (MSAL)' : ''}`, `${kb(c.gzip)} gz · ${kb(c.brotli)} br · ${kb(c.raw)}`);
    }
  }

  for (const s of data.streaming ?? []) {
    const tokens = `${thousands(s.tokens)}-token answer at ${thousands(s.tokensPerSecond)} tokens/s`;
    timed('Streaming', `${tokens}: main thread, streamed (model-stream worker, as the sidebar does)`, s.streamed, ms);
    if (s.streamedOnPage) timed('Streaming', `${tokens}: main thread, streamed with the request on the page instead`, s.streamedOnPage, ms);
    timed('Streaming', `${tokens}: main thread, one final render`, s.final, ms);
    timed('Streaming', `${tokens}: main thread, the element waiting that long for its first words (spinner turning)`, s.waiting, ms);
    timed('Streaming', `${tokens}: streamed ÷ one render`, s.ratio, times, { limit: `≤ ${BUDGETS.streamingRatio}×`, pass: (x) => x.median <= BUDGETS.streamingRatio });
    if (s.ratioOnPage) timed('Streaming', `${tokens}: streamed on the page ÷ one render`, s.ratioOnPage, times);
    timed('Streaming', `${tokens}: the spinner alone that long ÷ one render`, s.waitingRatio, times);
    timed('Streaming', `${tokens}: stream reads carrying text on the main thread, through the worker`, s.deliveries, (n) => thousands(n));
    if (s.replayed) {
      const { updates, overStream, overFast, fastMs } = s.replayed;
      const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
      timed('Streaming', `${tokens}: the same ${updates} renders without the network, spread over the stream's ${seconds((s.tokens / s.tokensPerSecond) * 1000)}`, overStream, ms);
      timed('Streaming', `${tokens}: the same ${updates} renders without the network, spread over ${seconds(fastMs)}`, overFast, ms);
    }
    if (s.deliveriesOnPage) timed('Streaming', `${tokens}: stream reads carrying text on the page`, s.deliveriesOnPage, (n) => thousands(n));
    timed('Streaming', `${tokens}: longest task while streaming`, s.longestTask, (n) => (n === 0 ? `< ${BUDGETS.longTaskMs} ms` : ms(n)), {
      limit: `≤ ${BUDGETS.longTaskMs} ms`,
      pass: (x) => x.max <= BUDGETS.longTaskMs,
      measured: s.longestTask.max === 0 ? `no task over ${BUDGETS.longTaskMs} ms` : `max ${ms(s.longestTask.max)}`,
    });
  }

  // One budget for all patients, as the issue states it; each patient's row still says PASS or MISS.
  for (const p of data.payload) {
    const pass = p.ratio >= BUDGETS.payloadRatio;
    rows.push({
      section: 'Payload',
      measure: `${payloadLabel(p)}: case summary vs raw FHIR read, tokens`,
      median: `${thousands(p.payloadTokens)} vs ${thousands(p.rawReadTokens)} (${times(p.ratio)}; bare facts ${thousands(p.floorTokens)})`,
      min: '–',
      max: '–',
      runs: '1',
      budget: `≥ ${BUDGETS.payloadRatio}× smaller`,
      result: pass ? 'PASS' : 'MISS',
    });
  }
  if (data.payload.length > 0) {
    const under = data.payload.filter((p) => p.ratio < BUDGETS.payloadRatio).sort((a, b) => a.ratio - b.ratio);
    budgets.push({
      name: `Payload · case summary vs raw FHIR read, every patient`,
      limit: `≥ ${BUDGETS.payloadRatio}× smaller`,
      measured:
        under.length === 0
          ? `all ${data.payload.length} patients`
          : `${under.length} of ${data.payload.length} patients under, from ${times(under[0]!.ratio)} (${payloadLabel(under[0]!)}) to ${times(under.at(-1)!.ratio)} (${payloadLabel(under.at(-1)!)})`,
      pass: under.length === 0,
    });
  }
  if (data.payload.length > 0) {
    const over = data.payload.filter((p) => !p.withinBudget);
    const budget = data.payload[0]!.budgetTokens;
    once('Payload', `every case summary within the model token budget (${thousands(budget)})`, over.length === 0 ? `largest ${thousands(Math.max(...data.payload.map((p) => p.payloadTokens)))} tokens` : `${over.length} over`, {
      limit: `≤ ${thousands(budget)} tokens`,
      pass: over.length === 0,
    });
  }

  for (const e of data.errors) {
    rows.push({ section: e.section, measure: 'section failed', median: e.message.split('\n')[0]!.slice(0, 120), min: '–', max: '–', runs: '–', budget: '', result: 'ERROR' });
  }
  return { rows, budgets };
}

/** Synthetic patients by their scenario key; Synthea ones by name (their keys are UUIDs). */
export function payloadLabel(p: PayloadBenchRow): string {
  return p.source === 'synthea' ? p.patient.replace(/^Synthea record \((.*)\)$/, 'Synthea: $1') : p.patientKey;
}

/** A Markdown table, aligned for the terminal; the same text goes into the README. */
export function renderTable(rows: readonly Row[]): string {
  const header: Row = { section: 'Section', measure: 'Measure', median: 'Median', min: 'Min', max: 'Max', runs: 'Runs', budget: 'Budget', result: '' };
  const columns: Array<keyof Row> = ['section', 'measure', 'median', 'min', 'max', 'runs', 'budget', 'result'];
  const titles: Record<keyof Row, string> = { ...header, result: 'Result' };
  const widths = columns.map((c) => Math.max(titles[c].length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(columns.map((c) => titles[c])), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c])))].join('\n');
}
