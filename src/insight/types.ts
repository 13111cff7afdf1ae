/**
 * The insight pipeline's contracts.
 *
 *   PatientChart ──(privacy: buildCaseSummary)──▶ CaseSummary ──(provider)──▶ ModelOutput
 *        ──(validate + ground)──▶ Insight
 *
 * A remote model only ever sees the de-identified `CaseSummary`, whose facts carry short local
 * ids (`F12`) instead of FHIR references: FHIR ids are unique identifiers too. The model answers
 * in `ModelOutput` (JSON, strict schema) citing those ids; grounding maps them back to the chart's
 * FHIR references and marks anything it cannot map as unverified.
 */
import type { Code, FactReference } from '../chart/types.ts';
import type { EarlySign } from './early-signs/types.ts';
import type { TreatmentOption } from './patient-fit/types.ts';

// ─── What leaves the browser ────────────────────────────────────────────────────────────────

/** A local id for one chart fact inside a case summary, e.g. `F12`. Meaningless outside it. */
export type FactId = string;

export interface CaseFact {
  readonly id: FactId;
}

/** Days before the summary's reference day (0 = today); exact dates never leave the browser. */
export type DaysAgo = number;

export interface CaseProblem extends CaseFact {
  readonly display: string;
  /** SNOMED CT / ICD-10-CM codes only (never local code systems). */
  readonly codes: readonly Code[];
  readonly status?: string;
  readonly category?: string;
  readonly onsetDaysAgo?: DaysAgo;
  readonly abatedDaysAgo?: DaysAgo;
}

export interface CaseMedication extends CaseFact {
  readonly display: string;
  readonly codes: readonly Code[];
  readonly status?: string;
  readonly dosage?: string;
  readonly startedDaysAgo?: DaysAgo;
}

export interface CaseAllergy extends CaseFact {
  readonly display: string;
  readonly criticality?: string;
  readonly reactions: readonly string[];
}

export interface CaseSeriesPoint extends CaseFact {
  readonly daysAgo: DaysAgo;
  readonly value: number;
  readonly flag?: string;
}

export interface CaseSeries {
  /** LOINC code. */
  readonly code: string;
  readonly display: string;
  readonly category: 'vital-signs' | 'laboratory' | 'other';
  readonly unit?: string;
  readonly referenceLow?: number;
  readonly referenceHigh?: number;
  readonly abnormal?: string;
  readonly trend?: string;
  /** Oldest first; thinned to fit the token budget but always keeping the latest, the extremes and the first. */
  readonly points: readonly CaseSeriesPoint[];
  /** How many points the chart had before thinning. */
  readonly totalPoints: number;
}

export interface CaseNote extends CaseFact {
  readonly title: string;
  readonly daysAgo?: DaysAgo;
  /** Scrubbed of identifiers and delimited as untrusted data; may be truncated. */
  readonly text: string;
}

export interface CaseSummary {
  /** Schema version of this structure. */
  readonly version: 1;
  /** Whole years; patients aged 90 or more are "90+" (HIPAA Safe Harbor). */
  readonly age: number | '90+' | null;
  readonly sex: 'male' | 'female' | 'other' | 'unknown' | null;
  readonly deceased: boolean;
  readonly encounter: { readonly id: FactId; readonly class?: string; readonly type?: string; readonly reason?: string; readonly startedDaysAgo?: DaysAgo } | null;
  readonly problems: readonly CaseProblem[];
  readonly medications: readonly CaseMedication[];
  readonly allergies: readonly CaseAllergy[];
  readonly series: readonly CaseSeries[];
  readonly textResults: ReadonlyArray<CaseFact & { readonly display: string; readonly daysAgo?: DaysAgo; readonly text: string }>;
  readonly notes: readonly CaseNote[];
  /** Sections the EHR did not provide, so the model can tell "absent" from "not recorded". */
  readonly unavailableSections: readonly string[];
}

/** The summary plus what stays local: the map from fact ids back to FHIR references. */
export interface PreparedCase {
  readonly summary: CaseSummary;
  readonly factIndex: ReadonlyMap<FactId, FactReference>;
  /** Estimated tokens of the summary as sent, and of the raw FHIR JSON of the same facts. */
  readonly tokens: { readonly payload: number; readonly rawFhir: number; readonly budget: number };
  /** What was dropped to meet the budget, in plain words (shown in "what is sent"). */
  readonly omissions: readonly string[];
}

// ─── What the clinician asks ────────────────────────────────────────────────────────────────

export type InsightTask =
  | { readonly kind: 'differential' }
  | { readonly kind: 'evidence'; readonly question: string };

// ─── What a model answers (strict JSON schema; nullable instead of optional) ────────────────

export type LikelihoodBand = 'high' | 'moderate' | 'low';

export interface ModelCitation {
  readonly title: string;
  /** Journal or issuing body. */
  readonly source: string;
  readonly year: number | null;
  readonly url: string | null;
  readonly doi: string | null;
  readonly pmid: string | null;
  /** The passage relied on, quoted or closely paraphrased. */
  readonly quote: string | null;
}

export interface ModelFinding {
  readonly text: string;
  readonly factIds: readonly FactId[];
}

export interface ModelNextStep {
  readonly text: string;
  readonly kind: 'test' | 'treatment' | 'referral' | 'monitoring' | 'other';
}

export interface ModelDifferentialItem {
  readonly condition: string;
  readonly snomed: string | null;
  readonly icd10: string | null;
  readonly likelihood: LikelihoodBand;
  /** 0–1 when the model can state one; null otherwise. */
  readonly probability: number | null;
  readonly cantMiss: boolean;
  /** For rare conditions: the base rate in words ("about 1 in 10,000 adults"); null otherwise. */
  readonly rarity: string | null;
  readonly supporting: readonly ModelFinding[];
  readonly opposing: readonly ModelFinding[];
  /** Facts that would help but are absent from the chart ("no lipid panel in 5 years"). */
  readonly missing: readonly string[];
  readonly nextSteps: readonly ModelNextStep[];
  readonly citations: readonly ModelCitation[];
}

export interface ModelOutput {
  readonly differential: readonly ModelDifferentialItem[];
  /** Short markdown rationale or, for an evidence question, the answer. */
  readonly summary: string;
  readonly citations: readonly ModelCitation[];
  /** The model's own statement of how sure it is overall, in words. */
  readonly confidence: string;
}

// ─── What the clinician sees (after validation and grounding) ───────────────────────────────

export interface ModelIdentity {
  readonly provider: 'reference-engine' | 'azure-foundry' | 'openai-compatible';
  readonly name: string;
  readonly version: string;
  /** True for the deterministic engine that ships with Curbside (not a clinical model). */
  readonly builtIn: boolean;
}

export interface GroundedFinding {
  readonly text: string;
  readonly references: readonly FactReference[];
  /** False when any cited fact id is not in the case (the model invented or garbled it), or none was cited. */
  readonly verified: boolean;
}

export interface GroundedCitation extends ModelCitation {
  /** False without a resolvable identifier (DOI, PMID or an http(s) URL) — shown as unverified. */
  readonly verified: boolean;
}

export interface DifferentialItem {
  /** Stable within one insight: used for accept/reject and the audit trail. */
  readonly id: string;
  readonly condition: string;
  readonly codes: readonly Code[];
  readonly likelihood: LikelihoodBand;
  readonly probability?: number;
  readonly cantMiss: boolean;
  readonly rarity?: string;
  readonly supporting: readonly GroundedFinding[];
  readonly opposing: readonly GroundedFinding[];
  readonly missing: readonly string[];
  readonly nextSteps: readonly ModelNextStep[];
  readonly citations: readonly GroundedCitation[];
  /** The treatment next steps, each checked against this patient's chart (allergies, kidneys, age…). */
  readonly treatmentOptions?: readonly TreatmentOption[];
}

export interface Insight {
  readonly id: string;
  readonly task: InsightTask;
  /** ISO instant. */
  readonly createdAt: string;
  readonly model: ModelIdentity;
  readonly differential: readonly DifferentialItem[];
  /** Untrusted markdown: render only through the sanitising markdown module. */
  readonly summary: string;
  readonly citations: readonly GroundedCitation[];
  readonly confidence: string;
  /** Patterns in the chart's own results, found locally; absent when the insight was built without the chart. */
  readonly earlySigns?: readonly EarlySign[];
}

// ─── Providers ──────────────────────────────────────────────────────────────────────────────

export interface InsightRequest {
  readonly task: InsightTask;
  readonly case: CaseSummary;
}

export type InsightProgress =
  | { readonly kind: 'text'; readonly delta: string }
  | { readonly kind: 'status'; readonly message: string }
  /** An already-streamed answer was withdrawn (e.g. a content filter fired after text was shown). */
  | { readonly kind: 'retracted'; readonly reason: string };

export interface ProviderResult {
  readonly output: ModelOutput;
  /** The model's raw text, kept so a clinician can see it when validation fails. */
  readonly raw: string;
  readonly model: ModelIdentity;
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
}

export interface InsightProvider {
  readonly id: string;
  readonly identity: ModelIdentity;
  generate(request: InsightRequest, options: { readonly signal?: AbortSignal; readonly onProgress?: (progress: InsightProgress) => void }): Promise<ProviderResult>;
}

export type InsightErrorKind =
  | 'cancelled'
  | 'timeout'
  | 'rate-limited'
  | 'unauthorized'
  | 'forbidden'
  | 'content-filter'
  | 'invalid-output'
  | 'network'
  | 'server'
  | 'configuration';

/** Every provider failure, with words for the clinician and whether a retry may help. */
export class InsightError extends Error {
  override readonly name = 'InsightError';
  readonly kind: InsightErrorKind;
  readonly retryable: boolean;
  /** The model's raw text, when there was any. */
  readonly raw: string | undefined;

  constructor(kind: InsightErrorKind, message: string, options: { retryable?: boolean; raw?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.retryable = options.retryable ?? (kind === 'timeout' || kind === 'rate-limited' || kind === 'network' || kind === 'server');
    this.raw = options.raw;
  }
}
