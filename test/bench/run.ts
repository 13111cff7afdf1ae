/**
 * `npm run bench`: the performance report. Builds the app into a private directory (dist/ is
 * shared: a rebuild there mid-run would pull files from under the sandbox) and prints one table — launch milestones, the naive-loader baseline, bundle,
 * streaming render and model payload — with every budget marked PASS or MISS, then where the time
 * and bytes go. `--json <file>` also writes every figure. Exits 1 when a budget is missed or a
 * section fails, after printing and writing everything.
 *
 *   --runs N     runs per figure (default 7; the naive loader on the 20,000-observation patient
 *                makes hundreds of sequential requests a run, so it does at most 3)
 *   --only a,b   sections: launch, chart (the naive baseline), bundle, streaming, payload
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { PROJECT_ROOT, startSandbox, type Sandbox, type SandboxPatient } from '../../launch/sandbox/server.ts';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { benchBundle } from './bundle.bench.ts';
import { benchNaiveChart } from './chart.bench.ts';
import { benchLaunch } from './launch.bench.ts';
import { benchPayload } from './payload.bench.ts';
import { BUDGETS, buildReport, renderTable, type BenchData } from './report.ts';
import { kb, thousands } from './stats.ts';
import { benchStreaming } from './streaming.bench.ts';

const SECTIONS = ['launch', 'chart', 'bundle', 'streaming', 'payload'] as const;
const LARGE_OBSERVATIONS = 20_000;

const { values } = parseArgs({ options: { json: { type: 'string' }, runs: { type: 'string', default: '7' }, only: { type: 'string' } } });
const only = new Set(values.only?.split(',').map((s) => s.trim()) ?? SECTIONS);
const unknown = [...only].filter((s) => !(SECTIONS as readonly string[]).includes(s));
if (unknown.length > 0) throw new Error(`Unknown section ${unknown.join(', ')}; sections are ${SECTIONS.join(', ')}`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1, got ${values.runs}`);

const data: BenchData = { roles: {}, largeKey: undefined, launch: [], baseline: [], payload: [], errors: [] };
const started = Date.now();
let chromiumVersion = '';

/** A failing section is reported in the table, and the rest still run. */
async function section(name: string, body: () => Promise<void>): Promise<void> {
  if (!only.has(name)) return;
  process.stderr.write(`bench: ${name}…\n`);
  try {
    await body();
  } catch (error) {
    data.errors.push({ section: name, message: error instanceof Error ? error.message : String(error) });
  }
}

const needsApp = only.has('launch') || only.has('chart') || only.has('bundle');
const appDir = mkdtempSync(join(tmpdir(), 'curbside-bench-app-'));
if (needsApp) {
  process.stderr.write('bench: building the app…\n');
  await build({ configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir: appDir, emptyOutDir: true } });
}

await section('bundle', async () => {
  data.bundle = benchBundle(appDir);
});
// In process and before the sandbox starts, so two 20,000-observation cohorts never share the heap.
await section('payload', async () => {
  data.payload = await benchPayload(LARGE_OBSERVATIONS);
});

if (only.has('launch') || only.has('chart') || only.has('streaming')) {
  const chromium = await launchBrowser(['--enable-precise-memory-info']);
  chromiumVersion = chromium.browser.version();
  // The streaming bench serves its own page and model server; only launch and chart need the sandbox.
  const sandbox = only.has('launch') || only.has('chart') ? await startSandbox({ appDir, quiet: true, largePatientObservations: LARGE_OBSERVATIONS }) : undefined;
  try {
    if (sandbox) await launchAndChart(sandbox, chromium);
    await section('streaming', async () => {
      data.streaming = await benchStreaming(chromium.browser, runs);
    });
  } finally {
    await chromium.close();
    await sandbox?.close();
  }
}

async function launchAndChart(sandbox: Sandbox, chromium: TestBrowser): Promise<void> {
  const typical = sandbox.patients.find((p) => p.key === 'ckd-progression') ?? sandbox.patients[0]!;
  const large = sandbox.patients.find((p) => p.key === 'large-history');
  const patients: SandboxPatient[] = [typical, ...(large ? [large] : [])];
  data.roles[typical.key] = 'typical';
  if (large) {
    data.roles[large.key] = '20k obs';
    data.largeKey = large.key;
  } else {
    data.errors.push({ section: 'launch', message: 'The sandbox has no 20,000-observation patient (key large-history).' });
  }
  await section('launch', async () => {
    for (const patient of patients) for (const latency of [0, 100]) data.launch.push(await benchLaunch(sandbox, chromium, patient, latency, runs));
  });
  await section('chart', async () => {
    for (const patient of patients) {
      for (const latency of [0, 100]) data.baseline.push(await benchNaiveChart(sandbox, chromium, patient, latency, patient === large ? Math.min(runs, 3) : runs));
    }
  });
}

rmSync(appDir, { recursive: true, force: true });

const { rows, budgets } = buildReport(data);
const roles = Object.entries(data.roles).map(([key, role]) => `${role} = ${key}`);
console.log(`\nCurbside performance — ${runs} run${runs === 1 ? '' : 's'} per figure${roles.length ? `; ${roles.join(', ')}` : ''}; +N ms = added latency per EHR and model request\n`);
console.log(renderTable(rows));

const missed = budgets.filter((b) => !b.pass);
console.log(`\nBudgets: ${budgets.length - missed.length} PASS, ${missed.length} MISS${data.errors.length ? `, ${data.errors.length} section(s) failed` : ''}`);
for (const b of missed) console.log(`  MISS ${b.name}: ${b.measured} (budget ${b.limit})`);

console.log('\nWhere the time and bytes go');
for (const r of data.launch) {
  const at = `${data.roles[r.patientKey] ?? r.patientKey}, +${r.latencyMs} ms`;
  console.log(
    `  ${at}: click → token ${thousands(r.token.median)} ms of ${thousands(r.banner.median)} ms to the banner; ` +
      `${r.fhirRequests.median} FHIR reads before the chart summary took ${thousands(r.fhirReadMs.min)}–${thousands(r.fhirReadMs.max)} ms each (median ${thousands(r.fhirReadMs.median)})`,
  );
}
if (data.launch.length > 0 && data.launch.every((r) => r.firstDifferentialItem.runs > 0 && r.firstDifferentialItem.median === r.differentialComplete.median)) {
  console.log('  The first differential item appears only with the complete differential in every scenario: no item is shown while the answer streams.');
}
const largeAtZero = data.launch.find((r) => r.patientKey === data.largeKey && r.latencyMs === 0);
if (largeAtZero) {
  console.log(`  20k obs, +0 ms, click → banner, requests waited for (last run; times from the click):`);
  for (const line of largeAtZero.bannerChain) console.log(`    ${line}`);
  console.log(`  20k obs, +0 ms, click → chart summary, requests waited for (last run):`);
  for (const line of largeAtZero.chartSummaryChain) console.log(`    ${line}`);
}
if (data.bundle) {
  const initial = data.bundle.initial.raw;
  console.log(`  Initial sidebar JS by origin (minified bytes, share of ${kb(initial)}):`);
  for (const o of data.bundle.initialByOrigin.slice(0, 12)) console.log(`    ${o.name.padEnd(28)} ${kb(o.bytes).padStart(9)}  ${((o.bytes / initial) * 100).toFixed(0).padStart(3)}%`);
  console.log(`  @azure/msal-browser is in ${data.bundle.msalChunks.join(', ') || 'no chunk'}${data.bundle.msalInitial ? ', in the initial load' : ', all lazy'}`);
  const lazy = data.bundle.chunks.filter((c) => c.load === 'lazy');
  const msal = lazy.filter((c) => c.msal);
  console.log(
    `  Of ${kb(data.bundle.total.gzip)} gzip in all: initial ${kb(data.bundle.initial.gzip)}, MSAL ${kb(msal.reduce((n, c) => n + c.gzip, 0))} (${msal.length} lazy chunks), ` +
      lazy
        .filter((c) => !c.msal)
        .map((c) => `${c.file.replace(/^assets\//, '')} ${kb(c.gzip)}`)
        .join(', '),
  );
  if (data.bundle.preloadedButLazy.length > 0) console.log(`  Modulepreloaded without a static import: ${data.bundle.preloadedButLazy.join(', ')}`);
}
if (data.payload.length > 0) {
  const ratios = data.payload.map((p) => p.ratio);
  const under = data.payload.filter((p) => p.ratio < BUDGETS.payloadRatio);
  console.log(
    `  Case summary vs raw FHIR read: ${Math.min(...ratios).toFixed(1)}×–${Math.max(...ratios).toFixed(1)}× smaller; ${under.length} of ${data.payload.length} under ${BUDGETS.payloadRatio}×` +
      (under.length ? `, their raw reads ${thousands(Math.min(...under.map((p) => p.rawReadTokens)))}–${thousands(Math.max(...under.map((p) => p.rawReadTokens)))} tokens` : ''),
  );
}

if (values.json) {
  writeFileSync(
    values.json,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        durationSeconds: Math.round((Date.now() - started) / 1000),
        runs,
        machine: { cpus: cpus().length, node: process.version, chromium: chromiumVersion },
        budgetLimits: BUDGETS,
        ...data,
        budgets,
        table: rows,
      },
      null,
      2,
    ),
  );
}
if (missed.length > 0 || data.errors.length > 0) process.exitCode = 1;
