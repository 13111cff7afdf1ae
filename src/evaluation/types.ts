/**
 * The evaluation harness's records: a case (a patient in a FHIR source with what a good answer
 * names), what one provider made of it, and the report that sums a run up. Plain JSON throughout,
 * so a report can be stored, resumed and read by the "About this AI" panel.
 */
import type { InsightErrorKind, LikelihoodBand, ModelIdentity } from '../insight/types.ts';

export interface EvaluationCase {
  /** Stable across runs: resuming matches on it. */
  readonly id: string;
  /** Short words for the report, e.g. the scenario's name. */
  readonly label: string;
  readonly patientId: string;
  readonly encounterId?: string;
  /**
   * Codes (SNOMED CT or ICD-10-CM) of which any one in the differential counts as the expected
   * diagnosis; `E11*` matches every code starting `E11`. Empty: nothing to find, so the case counts
   * for grounding, schema and latency but not accuracy.
   */
  readonly expected: readonly string[];
  /** Codes of a can't-miss diagnosis this case holds; any one in the top 10 counts as caught. */
  readonly cantMiss?: readonly string[];
  /** ISO day the chart is read as of, when not the run's (a record that ends decades ago). */
  readonly asOf?: string;
}

export interface CaseSet {
  /** e.g. `built-in` or the folder's name. */
  readonly name: string;
  readonly description: string;
  readonly cases: readonly EvaluationCase[];
}

export interface ItemSummary {
  readonly condition: string;
  readonly codes: readonly string[];
  readonly likelihood: LikelihoodBand;
  readonly cantMiss: boolean;
}

export interface CaseResult {
  readonly caseId: string;
  readonly label: string;
  readonly provider: string;
  readonly expected: readonly string[];
  /** Zero-based rank of the first expected diagnosis in the differential; -1 when absent or nothing expected. */
  readonly rank: number;
  /** Whether the case's can't-miss diagnosis was in the top 10; undefined when it has none. */
  readonly cantMissCaught?: boolean;
  readonly findings: number;
  /** Findings whose every cited fact is in the chart. */
  readonly groundedFindings: number;
  readonly citations: number;
  readonly unverifiedCitations: number;
  /** The answer did not match the output schema (the model's fault, not the network's). */
  readonly schemaFailure: boolean;
  /** Any failure, schema included: the kind and the words. */
  readonly error?: { readonly kind: InsightErrorKind | 'chart' | 'unknown'; readonly message: string };
  /** Provider call, validation and grounding; the chart read is not counted. */
  readonly latencyMs: number;
  /** Estimated tokens of the de-identified case sent. */
  readonly tokensSent: number;
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
  readonly top: readonly ItemSummary[];
}

export interface EvaluationFigures {
  readonly cases: number;
  /** Cases with an expected diagnosis: the denominator of the accuracies. */
  readonly scoredCases: number;
  readonly top1: number;
  readonly top3: number;
  readonly top10: number;
  /** Of cases with a can't-miss diagnosis, how many had it in the top 10; null without any. */
  readonly cantMissRecall: number | null;
  readonly cantMissCases: number;
  /** Findings pointing at real chart facts, of all findings; null without findings. */
  readonly groundingRate: number | null;
  readonly unverifiedCitationRate: number | null;
  readonly schemaFailureRate: number;
  readonly errorRate: number;
  readonly latencyMs: { readonly p50: number; readonly p95: number };
  readonly tokensSent: { readonly mean: number; readonly total: number };
}

export interface ProviderReport {
  /** The key in the runtime configuration's `models`, or `reference-engine`. */
  readonly key: string;
  readonly identity: ModelIdentity;
  readonly figures: EvaluationFigures;
  readonly cases: readonly CaseResult[];
}

export interface EvaluationReport {
  readonly schema: 'curbside-evaluation/1';
  /** ISO instant the run finished. */
  readonly generatedAt: string;
  readonly caseSet: { readonly name: string; readonly description: string; readonly cases: number };
  readonly providers: readonly ProviderReport[];
}
