/**
 * Model payload size per cohort patient, without a browser: the chart is read in process from the
 * sandbox's FHIR engine exactly as the sidebar reads it, the de-identified case is built as the
 * suggestions panel builds it, and its tokens are set against the raw FHIR JSON — all costed by the
 * app's own `estimateTokens`:
 *   - raw FHIR read: every response the chart loader received, serialised compactly — what sending
 *     FHIR instead of the case summary would cost for the same reads (the budgeted comparison);
 *   - whole record: every resource the patient has, as the cohort (or the Synthea bundle) holds it;
 *   - the app's estimate: the raw size the "What is sent to the model" panel shows, rebuilt from
 *     the chart (a floor, by its own account);
 *   - the facts floor: only the bare facts the payload keeps, as plain text — what no encoding of
 *     the same facts can go below, so floor × 20 over the raw read says whether 20× is reachable
 *     without dropping facts.
 * The figures are deterministic for a given cohort, so they are measured once.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Resource } from 'fhir/r4';
import { generateCohort } from '../../launch/sandbox/cohort/index.ts';
import { SHARED_DIR } from '../../launch/sandbox/server.ts';
import { loadChart } from '../../src/chart/index.ts';
import { prepareCase } from '../../src/insight/pipeline.ts';
import type { CaseSummary } from '../../src/insight/types.ts';
import { describePayload, estimateTokens } from '../../src/privacy/index.ts';
import type { FhirRequester } from '../../src/smart/context.ts';
import { APP_SCOPES, IN_PROCESS_BASE, inProcessRequester, inProcessServer } from '../support/in-process-fhir.ts';

export interface PayloadBenchRow {
  patient: string;
  patientKey: string;
  source: 'synthetic' | 'synthea';
  payloadTokens: number;
  budgetTokens: number;
  withinBudget: boolean;
  rawReadTokens: number;
  rawReadRequests: number;
  recordTokens: number;
  /** The app's own raw-FHIR estimate for the panel. */
  appEstimateTokens: number;
  /** Raw FHIR read / payload. */
  ratio: number;
  /** The bare facts of the payload as plain text (`factsFloorTokens`). */
  floorTokens: number;
  omissions: readonly string[];
}

/**
 * The sandbox's "today": its as-of day 18.5 hours back keeps the cohort's same-day events (03:00
 * to 18:30 UTC) in the past whatever time the bench runs, as `npm start` does.
 */
function sandboxAsOf(now = Date.now()): string {
  return new Date(now - 18.5 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The payload's facts and nothing else, one a line: name, value, unit and days ago of each (a
 * problem's status, a medication's dosage, an allergy's reactions count as its value), and the
 * text of notes and results without Curbside's quotation markers. No ids, keys or codes.
 */
export function factsFloorTokens(summary: CaseSummary): number {
  const unquoted = (text: string): string => text.replace(/^⟦[^⟧\n]*⟧\n|\n⟦[^⟧\n]*⟧$/g, '');
  const line = (...parts: Array<string | number | undefined>): string => parts.filter((p) => p !== undefined && p !== '').join(' ');
  const e = summary.encounter;
  const lines = [
    line(summary.age ?? undefined, summary.sex ?? undefined, summary.deceased ? 'deceased' : undefined),
    ...(e ? [line(e.class, e.type, e.reason, e.startedDaysAgo)] : []),
    ...summary.problems.map((p) => line(p.display, p.status, p.onsetDaysAgo, p.abatedDaysAgo)),
    ...summary.medications.map((m) => line(m.display, m.dosage, m.startedDaysAgo)),
    ...summary.allergies.map((a) => line(a.display, ...a.reactions)),
    ...summary.series.flatMap((s) => s.points.map((p) => line(s.display, p.value, s.unit, p.daysAgo))),
    ...summary.textResults.map((t) => line(t.display, unquoted(t.text), t.daysAgo)),
    ...summary.notes.map((n) => line(n.title, n.daysAgo, unquoted(n.text))),
  ];
  return estimateTokens(lines.join('\n'));
}

function tokensOfJson(value: unknown): number {
  return estimateTokens(typeof value === 'string' ? value : JSON.stringify(value));
}

/** A requester that also costs every response it hands the chart loader. */
function costing(inner: FhirRequester): FhirRequester & { tokens: number; requests: number } {
  const costed = {
    tokens: 0,
    requests: 0,
    async request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      const body = await inner.request<T>(url, init);
      costed.tokens += tokensOfJson(body);
      costed.requests += 1;
      return body;
    },
  };
  return costed;
}

export async function benchPayload(largePatientObservations: number): Promise<PayloadBenchRow[]> {
  const cohort = generateCohort({ largePatientObservations, asOf: sandboxAsOf() });
  const server = await inProcessServer();
  await server.load([...cohort.practitioners, cohort.organization] as Resource[]);
  const patients: Array<{ id: string; key: string; scenario: string; encounterId?: string; source: PayloadBenchRow['source']; resources: readonly Resource[] }> = [];
  for (const p of cohort.patients) {
    await server.load(p.resources);
    patients.push({ id: p.patientId, key: p.key, scenario: p.scenario, ...(p.encounterId ? { encounterId: p.encounterId } : {}), source: 'synthetic', resources: p.resources });
  }
  // The sandbox serves the Synthea records too when ../shared has them; so does this.
  const syntheaDir = join(SHARED_DIR, 'fixtures', 'synthea');
  if (existsSync(syntheaDir)) {
    for (const file of readdirSync(syntheaDir).filter((f) => f.endsWith('.json')).sort()) {
      const bundle = JSON.parse(readFileSync(join(syntheaDir, file), 'utf8')) as Bundle;
      const { patientIds } = await server.loadTransaction(bundle);
      const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
      for (const id of patientIds) {
        const encounters = await server.searchUnchecked('Encounter', `patient=${id}&_sort=-date&_count=1`);
        const name = file.split('_').slice(0, 2).join(' ');
        patients.push({ id, key: `synthea-${id}`, scenario: `Synthea record (${name})`, ...(encounters[0]?.id ? { encounterId: encounters[0].id } : {}), source: 'synthea', resources });
      }
    }
  }

  const rows: PayloadBenchRow[] = [];
  for (const patient of patients) {
    const fhir = costing(inProcessRequester(server, patient.id));
    const context = {
      fhirBase: IN_PROCESS_BASE,
      patientId: patient.id,
      ...(patient.encounterId ? { encounterId: patient.encounterId } : {}),
      needPatientBanner: false,
      grantedScopes: APP_SCOPES,
    };
    const { chart } = await loadChart(fhir, context);
    const prepared = prepareCase(chart);
    const description = describePayload(prepared);
    rows.push({
      patient: patient.scenario,
      patientKey: patient.key,
      source: patient.source,
      payloadTokens: description.tokens.payload,
      budgetTokens: description.tokens.budget,
      withinBudget: description.tokens.withinBudget,
      rawReadTokens: fhir.tokens,
      rawReadRequests: fhir.requests,
      recordTokens: patient.resources.reduce((n, r) => n + tokensOfJson(r), 0),
      appEstimateTokens: description.tokens.rawFhir,
      ratio: Math.round((fhir.tokens / description.tokens.payload) * 10) / 10,
      floorTokens: factsFloorTokens(prepared.summary),
      omissions: description.omissions,
    });
  }
  return rows;
}
