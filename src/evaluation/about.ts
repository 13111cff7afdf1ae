/**
 * What "About this AI" says about measured performance: the latest evaluation report's figures
 * for the configured model, in words, or nothing when that model is not in the report.
 */
import type { ModelIdentity } from '../insight/types.ts';
import type { EvaluationReport, ProviderReport } from './types.ts';

export interface MeasuredPerformance {
  /** ISO date of the run. */
  readonly date: string;
  readonly caseSet: string;
  readonly figures: Readonly<Record<string, string>>;
}

const pct = (value: number | null): string | undefined => (value === null ? undefined : `${Math.round(value * 1000) / 10} %`);

/** True for a report this version of Curbside can read. */
export function isEvaluationReport(json: unknown): json is EvaluationReport {
  const report = json as Partial<EvaluationReport> | null;
  return typeof report === 'object' && report !== null && report.schema === 'curbside-evaluation/1' && Array.isArray(report.providers) && typeof report.generatedAt === 'string';
}

function sameModel(entry: ProviderReport, model: ModelIdentity): boolean {
  const a = entry.identity;
  if (a.provider === 'reference-engine' && model.provider === 'reference-engine') return true;
  return a.provider === model.provider && a.name === model.name && a.version === model.version;
}

export function measuredPerformance(report: unknown, model: ModelIdentity): MeasuredPerformance | undefined {
  if (!isEvaluationReport(report)) return undefined;
  const entry = report.providers.find((p) => sameModel(p, model));
  if (!entry) return undefined;
  const f = entry.figures;
  const figures: Record<string, string> = {};
  const put = (label: string, value: string | undefined): void => {
    if (value !== undefined) figures[label] = value;
  };
  if (f.scoredCases > 0) {
    put('Expected diagnosis ranked first', pct(f.top1));
    put('Expected diagnosis in the top 3', pct(f.top3));
    put('Expected diagnosis in the top 10', pct(f.top10));
  }
  if (f.cantMissCases > 0) put(`Can't-miss diagnoses in the top 10 (of ${f.cantMissCases})`, pct(f.cantMissRecall));
  put('Findings pointing at real chart facts', pct(f.groundingRate));
  put('Citations without a DOI, PubMed id or web address', pct(f.unverifiedCitationRate));
  put('Answers that failed the required format', pct(f.schemaFailureRate));
  put('Time to answer, median / 95th percentile', `${(f.latencyMs.p50 / 1000).toFixed(1)} s / ${(f.latencyMs.p95 / 1000).toFixed(1)} s`);
  return {
    date: report.generatedAt.slice(0, 10),
    caseSet: `${report.caseSet.cases} cases (${f.scoredCases} with an expected diagnosis) — ${report.caseSet.description}`,
    figures,
  };
}
