/**
 * `npm run bench`: builds nothing itself (run `npm run build` first, `npm run bench` does it via
 * its npm script) and prints one table of measured numbers. `--json <file>` also writes them.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { benchLaunch, type LaunchBenchRow } from './launch.bench.ts';
import { benchCurbsideChart, benchNaiveChart, type ChartBenchRow } from './chart.bench.ts';
import { benchStreaming, type StreamingBenchRow } from './streaming.bench.ts';

const { values } = parseArgs({ options: { json: { type: 'string' }, runs: { type: 'string', default: '7' }, only: { type: 'string' } } });
const only = values.only?.split(',') ?? ['launch', 'chart', 'streaming'];
const runs = Number(values.runs);

const sandbox = await startTestSandbox({ largePatientObservations: 20_000 });
const chromium = await launchBrowser(['--enable-precise-memory-info']);
const rows: LaunchBenchRow[] = [];
const chartRows: ChartBenchRow[] = [];
let streaming: StreamingBenchRow | undefined;
try {
  const typical = sandbox.patients.find((p) => p.source === 'synthetic' && /ckd|kidney/i.test(`${p.key} ${p.scenario}`)) ?? sandbox.patients[0]!;
  const large = sandbox.patients.find((p) => p.source === 'synthetic' && /20[, ]?000|large|scale/i.test(`${p.key} ${p.scenario} ${p.summary}`));
  for (const patient of only.includes('launch') ? [typical, ...(large ? [large] : [])] : []) {
    for (const latency of [0, 100]) rows.push(await benchLaunch(sandbox, chromium, patient, latency, runs));
  }
  for (const patient of only.includes('chart') ? [typical, ...(large ? [large] : [])] : []) {
    for (const latency of [0, 100]) {
      chartRows.push(await benchCurbsideChart(sandbox, chromium, patient, latency, runs));
      // The naive loader makes hundreds of sequential requests for the large record: fewer runs there.
      const naiveRuns = patient === large ? 1 : Math.min(runs, 3);
      chartRows.push(await benchNaiveChart(sandbox, chromium, patient, latency, naiveRuns));
    }
  }
  if (only.includes('streaming')) streaming = await benchStreaming(chromium.browser, runs);
} finally {
  await chromium.close();
  await sandbox.close();
}

console.log('\nLaunch: click on the patient in the EHR shell → Curbside banner shown');
console.table(
  rows.map((r) => ({
    patient: r.patient,
    'added latency (ms)': r.latencyMs,
    runs: r.runs,
    'median (ms)': r.medianMs,
    'min (ms)': r.minMs,
    'max (ms)': r.maxMs,
    'HTTP requests by then (all frames)': r.requests,
    'EHR auth+FHIR+model requests by then': r.ehrRequests,
  })),
);
console.log('\nChart: access token → chart summary rendered (Curbside) vs a naive sequential loader in the same page');
console.table(
  chartRows.map((r) => ({
    loader: r.loader,
    patient: r.patient.slice(0, 40),
    'latency (ms)': r.latencyMs,
    runs: r.runs,
    'median (ms)': r.medianMs,
    'min (ms)': r.minMs,
    'max (ms)': r.maxMs,
    'critical path': r.criticalPath,
    requests: r.requests,
    'bytes (KB)': Math.round(r.bytes / 1024),
    'heap (MB)': r.heapMb,
  })),
);
for (const patient of new Set(chartRows.map((r) => r.patient))) {
  for (const latency of [0, 100]) {
    const mine = chartRows.find((r) => r.loader === 'curbside' && r.patient === patient && r.latencyMs === latency);
    const naive = chartRows.find((r) => r.loader === 'naive' && r.patient === patient && r.latencyMs === latency);
    if (mine && naive) console.log(`${patient.slice(0, 40)} @ ${latency} ms: Curbside is ${(naive.medianMs / mine.medianMs).toFixed(1)}× faster than the naive loader`);
  }
}
if (streaming) {
  console.log('\nStreaming render: a 4,000-token markdown answer streamed into <curbside-evidence> vs one final render');
  console.table([
    {
      tokens: streaming.tokens,
      runs: streaming.runs,
      'streamed main-thread (ms)': streaming.streamedMs,
      'one render (ms)': streaming.finalMs,
      'token arrival alone (ms)': streaming.arrivalOnlyMs,
      'total / one render': `${streaming.ratio}×`,
      '(total − arrival) / one render': `${streaming.renderRatio}×`,
      'longest task while streaming (ms)': streaming.longestTaskMs,
    },
  ]);
}
if (values.json) writeFileSync(values.json, JSON.stringify({ date: new Date().toISOString(), launch: rows, chart: chartRows, streaming }, null, 2));
