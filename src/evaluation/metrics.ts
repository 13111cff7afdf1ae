/** The figures a run is judged by, from its per-case results. */
import type { CaseResult, EvaluationFigures } from './types.ts';

/** Nearest-rank percentile (p in 0–100) of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function summarise(results: readonly CaseResult[]): EvaluationFigures {
  const scored = results.filter((r) => r.expected.length > 0);
  const within = (n: number): number => (scored.length ? scored.filter((r) => r.rank >= 0 && r.rank < n).length / scored.length : 0);
  const cantMiss = results.filter((r) => r.cantMissCaught !== undefined);
  const findings = results.reduce((sum, r) => sum + r.findings, 0);
  const citations = results.reduce((sum, r) => sum + r.citations, 0);
  // Latency of answers only: a refused connection is fast and would flatter the figure.
  const answered = results.filter((r) => !r.error);
  const tokens = results.filter((r) => r.tokensSent > 0).map((r) => r.tokensSent);
  const total = tokens.reduce((a, b) => a + b, 0);
  return {
    cases: results.length,
    scoredCases: scored.length,
    top1: within(1),
    top3: within(3),
    top10: within(10),
    cantMissRecall: ratio(cantMiss.filter((r) => r.cantMissCaught).length, cantMiss.length),
    cantMissCases: cantMiss.length,
    groundingRate: ratio(results.reduce((sum, r) => sum + r.groundedFindings, 0), findings),
    unverifiedCitationRate: ratio(results.reduce((sum, r) => sum + r.unverifiedCitations, 0), citations),
    schemaFailureRate: results.length ? results.filter((r) => r.schemaFailure).length / results.length : 0,
    errorRate: results.length ? results.filter((r) => r.error).length / results.length : 0,
    latencyMs: { p50: percentile(answered.map((r) => r.latencyMs), 50), p95: percentile(answered.map((r) => r.latencyMs), 95) },
    tokensSent: { mean: tokens.length ? Math.round(total / tokens.length) : 0, total },
  };
}
