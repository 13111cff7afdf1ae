/**
 * One insight, end to end: chart → de-identified case (privacy) → provider → validated and
 * grounded `Insight`. The only path by which chart data reaches a model.
 */
import type { PatientChart } from '../chart/types.ts';
import { buildCaseSummary, type SanitisedCase } from '../privacy/index.ts';
import { groundInsight } from './ground.ts';
import { withChartChecks } from './patient-fit/apply.ts';
import type { Insight, InsightProgress, InsightProvider, InsightTask } from './types.ts';

export interface InsightRunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: InsightProgress) => void;
  readonly budgetTokens?: number;
  readonly now?: Date;
  /** A case already prepared for this chart (e.g. the one shown in "what is sent"). */
  readonly prepared?: SanitisedCase;
}

export interface InsightRun {
  readonly insight: Insight;
  /** Exactly what was sent, for the "what is sent" panel and the audit trail. */
  readonly prepared: SanitisedCase;
  readonly raw: string;
  readonly durationMs: number;
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
}

export function prepareCase(chart: PatientChart, options: { budgetTokens?: number; now?: Date } = {}): SanitisedCase {
  return buildCaseSummary(chart, { ...(options.budgetTokens ? { budgetTokens: options.budgetTokens } : {}), ...(options.now ? { now: options.now } : {}) });
}

export async function runInsight(chart: PatientChart, task: InsightTask, provider: InsightProvider, options: InsightRunOptions = {}): Promise<InsightRun> {
  const started = performance.now();
  const prepared = options.prepared ?? prepareCase(chart, options);
  const result = await provider.generate(
    { task, case: prepared.summary },
    { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  );
  // Local checks run on every provider's answer, so a model's unsafe proposal is flagged like the engine's.
  const insight = withChartChecks(groundInsight(result, prepared, task, options.now), chart);
  return { insight, prepared, raw: result.raw, durationMs: performance.now() - started, ...(result.usage ? { usage: result.usage } : {}) };
}
