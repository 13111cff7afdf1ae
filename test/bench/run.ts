/**
 * `npm run bench`: builds nothing itself (run `npm run build` first, `npm run bench` does it via
 * its npm script) and prints one table of measured numbers. `--json <file>` also writes them.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { benchLaunch, type LaunchBenchRow } from './launch.bench.ts';

const { values } = parseArgs({ options: { json: { type: 'string' }, runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

const sandbox = await startTestSandbox({ largePatientObservations: 20_000 });
const chromium = await launchBrowser();
const rows: LaunchBenchRow[] = [];
try {
  const typical = sandbox.patients.find((p) => p.source === 'synthetic' && /ckd|kidney/i.test(`${p.key} ${p.scenario}`)) ?? sandbox.patients[0]!;
  const large = sandbox.patients.find((p) => p.source === 'synthetic' && /20[, ]?000|large|scale/i.test(`${p.key} ${p.scenario} ${p.summary}`));
  for (const patient of [typical, ...(large ? [large] : [])]) {
    for (const latency of [0, 100]) rows.push(await benchLaunch(sandbox, chromium, patient, latency, runs));
  }
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
    'HTTP requests': r.requests,
    'EHR auth+FHIR requests': r.ehrRequests,
  })),
);
if (values.json) writeFileSync(values.json, JSON.stringify({ date: new Date().toISOString(), launch: rows }, null, 2));
