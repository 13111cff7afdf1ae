/**
 * The baseline: a naive chart loader run in the same launches as Curbside, with the same token and
 * the same added latency: one request chain per resource type, sequentially, following every
 * `next` link at the server's default page size — what `client.request(url, { pageLimit: 0 })`
 * per type does. Each run launches Curbside as the launch bench does, lets it finish (chart and
 * differential, so nothing shares the connection pool), then runs the naive loader in the sidebar
 * frame. Its click → banner and click → chart are that launch's click → token plus the naive
 * loader's own time to the Patient read and to its last page; Curbside's token → chart summary
 * from the same launches gives the speed-up.
 */
import type { Sandbox, SandboxPatient } from '../../launch/sandbox/server.ts';
import type { TestBrowser } from '../support/browser.ts';
import { timingsOf } from './critical-path.ts';
import { bytesOf, clickPatient, fhirReads, setLatency, waitForMilestones } from './launch.bench.ts';
import { stat, type Stat } from './stats.ts';

export interface NaiveBenchRow {
  patient: string;
  patientKey: string;
  latencyMs: number;
  /** Click → token of the launch, plus the naive loader's time to its Patient read. */
  banner: Stat;
  /** Click → token of the launch, plus the naive loader's whole time. */
  chart: Stat;
  /** Token → last page read: the naive loader alone. */
  tokenToChart: Stat;
  /** Curbside's token → chart summary in the same launches. */
  curbsideTokenToChart: Stat;
  /** Naive time / Curbside time, per launch. */
  speedup: Stat;
  /** Every naive request waits for the one before it. */
  roundTrips: Stat;
  bytes: Stat;
  heapMb: Stat;
}

/**
 * Page-side source (tsx would wrap named functions in a helper the page doesn't have). It reads
 * the session's token where fhirclient keeps it (the app never exposes it), then requests each
 * type in turn and follows every `next` link before the next type.
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
  const patientRead = performance.now() - started;
  if (encounterId) await get(fhirBase + '/Encounter/' + encounterId);
  let requests = encounterId ? 2 : 1;
  for (const type of ['Condition', 'Observation', 'MedicationRequest', 'AllergyIntolerance', 'DocumentReference', 'DiagnosticReport']) {
    let url = fhirBase + '/' + type + '?patient=' + patientId;
    while (url) {
      const bundle = await get(url);
      requests++;
      const next = (bundle.link || []).find((l) => l.relation === 'next');
      url = next ? next.url : undefined;
    }
  }
  return { startedAt: performance.timeOrigin + started, patientRead, elapsed: performance.now() - started, requests };
}`;

export async function benchNaiveChart(sandbox: Sandbox, chromium: TestBrowser, patient: SandboxPatient, latencyMs: number, runs: number): Promise<NaiveBenchRow> {
  const samples = { banner: [] as number[], chart: [] as number[], naive: [] as number[], curbside: [] as number[], speedup: [] as number[], trips: [] as number[], bytes: [] as number[], heap: [] as number[] };
  setLatency(sandbox, latencyMs);
  try {
    for (let i = 0; i < runs; i++) {
      const { page, frame, finished, clickAt } = await clickPatient(sandbox, chromium, patient);
      try {
        const m = await waitForMilestones(frame);
        if (m.tokenAt === undefined || m.chart === undefined) throw new Error('Curbside did not reach its chart summary');
        const args = JSON.stringify({ fhirBase: sandbox.fhirBase, patientId: patient.id, encounterId: patient.encounterId ?? null });
        const result = (await frame.evaluate(`(${NAIVE_LOADER})(${args})`)) as { startedAt: number; patientRead: number; elapsed: number; requests: number };
        const launch = m.tokenAt - clickAt;
        const curbside = m.chart - m.tokenAt;
        samples.banner.push(launch + result.patientRead);
        samples.chart.push(launch + result.elapsed);
        samples.naive.push(result.elapsed);
        samples.curbside.push(curbside);
        samples.speedup.push(result.elapsed / curbside);
        samples.trips.push(result.requests);
        // Let the last requestfinished events arrive before counting bytes.
        await page.waitForTimeout(100);
        const mine = fhirReads(await timingsOf([frame]), sandbox.fhirBase, result.startedAt, Number.POSITIVE_INFINITY);
        samples.bytes.push(await bytesOf(mine, finished.slice().reverse()));
        samples.heap.push(((await frame.evaluate('performance.memory ? performance.memory.usedJSHeapSize : 0')) as number) / 1048576);
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
    chart: stat(samples.chart),
    tokenToChart: stat(samples.naive),
    curbsideTokenToChart: stat(samples.curbside),
    speedup: stat(samples.speedup, 1),
    roundTrips: stat(samples.trips),
    bytes: stat(samples.bytes),
    heapMb: stat(samples.heap, 1),
  };
}
