/**
 * One case through exactly the production path: the chart read by `loadChart` over a FHIR
 * requester, de-identified by the privacy module, sent to the provider, validated and grounded by
 * `runInsight`. Only the scoring is the harness's own.
 */
import { loadChart } from '../chart/index.ts';
import { runInsight, prepareCase } from '../insight/pipeline.ts';
import { InsightError, type DifferentialItem, type InsightProvider } from '../insight/types.ts';
import type { FhirRequester, LaunchContext } from '../smart/context.ts';
import type { CaseResult, EvaluationCase, ItemSummary } from './types.ts';

export interface CaseRunOptions {
  /** The FHIR server the case's patient is on, read with the app's own scopes. */
  readonly fhir: FhirRequester;
  readonly fhirBase: string;
  readonly grantedScopes: readonly string[];
  readonly provider: InsightProvider;
  /** Key of the provider in the report. */
  readonly providerKey: string;
  /** The day the chart is read as of; fixed, so a run is repeatable. */
  readonly asOf: Date;
  readonly signal?: AbortSignal;
}

const TOP = 10;

/** True when `code` is one of `expected` (exact, or by a `PREFIX*` pattern). */
export function codeMatches(code: string, expected: readonly string[]): boolean {
  return expected.some((pattern) => (pattern.endsWith('*') ? code.startsWith(pattern.slice(0, -1)) : code === pattern));
}

function itemCodes(item: DifferentialItem): string[] {
  return item.codes.map((c) => c.code).filter((c): c is string => Boolean(c));
}

/** Zero-based rank of the first item carrying an expected code; -1 when none does. */
export function rankOf(items: ReadonlyArray<{ readonly codes: readonly string[] }>, expected: readonly string[]): number {
  if (expected.length === 0) return -1;
  return items.findIndex((item) => item.codes.some((code) => codeMatches(code, expected)));
}

export async function evaluateCase(evalCase: EvaluationCase, options: CaseRunOptions): Promise<CaseResult> {
  const base = { caseId: evalCase.id, label: evalCase.label, provider: options.providerKey, expected: evalCase.expected };
  const context: LaunchContext = {
    fhirBase: options.fhirBase,
    patientId: evalCase.patientId,
    ...(evalCase.encounterId ? { encounterId: evalCase.encounterId } : {}),
    needPatientBanner: false,
    grantedScopes: options.grantedScopes,
  };
  const failed = (kind: NonNullable<CaseResult['error']>['kind'], message: string, extra: Partial<CaseResult> = {}): CaseResult => ({
    ...base,
    rank: -1,
    ...(evalCase.cantMiss?.length ? { cantMissCaught: false } : {}),
    findings: 0,
    groundedFindings: 0,
    citations: 0,
    unverifiedCitations: 0,
    schemaFailure: kind === 'invalid-output',
    error: { kind, message },
    latencyMs: 0,
    tokensSent: 0,
    top: [],
    ...extra,
  });

  const asOf = evalCase.asOf ? new Date(`${evalCase.asOf}T20:00:00Z`) : options.asOf;
  let chart;
  try {
    chart = (await loadChart(options.fhir, context, { asOf, ...(options.signal ? { signal: options.signal } : {}) })).chart;
  } catch (error) {
    return failed('chart', error instanceof Error ? error.message : String(error));
  }
  const prepared = prepareCase(chart, { now: asOf });
  const started = performance.now();
  let run;
  try {
    run = await runInsight(chart, { kind: 'differential' }, options.provider, { prepared, now: asOf, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    const extra = { latencyMs: performance.now() - started, tokensSent: prepared.tokens.payload };
    if (error instanceof InsightError) return failed(error.kind, error.message, extra);
    return failed('unknown', error instanceof Error ? error.message : String(error), extra);
  }

  const items = run.insight.differential;
  const top: ItemSummary[] = items.slice(0, TOP).map((item) => ({ condition: item.condition, codes: itemCodes(item), likelihood: item.likelihood, cantMiss: item.cantMiss }));
  const findings = items.flatMap((item) => [...item.supporting, ...item.opposing]);
  const citations = [...run.insight.citations, ...items.flatMap((item) => item.citations)];
  return {
    ...base,
    rank: rankOf(top, evalCase.expected),
    ...(evalCase.cantMiss?.length ? { cantMissCaught: rankOf(top, evalCase.cantMiss) >= 0 } : {}),
    findings: findings.length,
    groundedFindings: findings.filter((f) => f.verified).length,
    citations: citations.length,
    unverifiedCitations: citations.filter((c) => !c.verified).length,
    schemaFailure: false,
    latencyMs: run.durationMs,
    tokensSent: run.prepared.tokens.payload,
    ...(run.usage ? { usage: run.usage } : {}),
    top,
  };
}
