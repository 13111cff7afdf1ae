/**
 * The shape of a knowledge-base entry and the small vocabulary its rules speak: a rule reads the
 * case and, when it fires, adds a weighted finding that cites the exact facts behind it.
 */
import type { FactId, ModelNextStep } from '../types.ts';
import type { CaseView, Matcher, Mention, Point } from './case-view.ts';
import type { CitationUse } from './references.ts';

/**
 * Where a finding comes from. Results, vital signs, notes and allergy reactions are observations;
 * problems and medications are what someone already wrote down; context (age, sex) has no fact to cite.
 */
export type EvidenceSource = 'result' | 'vital' | 'note' | 'problem' | 'medication' | 'allergy' | 'context';

/** Sources that observe the patient; a recorded allergy reaction counts, a problem-list label does not. */
export const OBSERVED: ReadonlySet<EvidenceSource> = new Set(['result', 'vital', 'note', 'allergy']);

export interface Hit {
  readonly direction: 'supporting' | 'opposing';
  /** Points this finding adds to (supporting) or takes from (opposing) the item's score. */
  readonly weight: number;
  readonly text: string;
  readonly factIds: readonly FactId[];
  readonly source: EvidenceSource;
  /**
   * Set when the finding on its own meets a guideline's diagnostic or safety criterion: the
   * probability the engine states for the item (chance the label applies once the criterion is
   * met; it allows for a wrong sample, not for clinical judgement).
   */
  readonly criterion?: number;
  /** The finding adds something the problem list does not already say (a new stage, a cause). */
  readonly novel?: boolean;
}

export interface Assessment {
  readonly hits: readonly Hit[];
  readonly missing: readonly string[];
  readonly nextSteps: readonly ModelNextStep[];
  /** A more specific name for this case ("Chronic kidney disease, stage G4"). */
  readonly name?: string;
  readonly snomed?: string;
  readonly icd10?: string;
}

export type ConditionKind = 'diagnosis' | 'safety';

export interface ConditionDefinition {
  readonly id: string;
  readonly name: string;
  /** SNOMED CT concept for the condition in general; an assessment may name a more specific one. */
  readonly snomed: string | null;
  readonly icd10: string | null;
  readonly kind: ConditionKind;
  readonly cantMiss: boolean;
  /** Base rate in words for rare conditions; null for common ones. */
  readonly rarity: string | null;
  /** Starting score: negative for rare conditions, so they need more evidence to rise. */
  readonly prior: number;
  /** How the problem list names it, so the engine can tell "already recorded" from "not yet named". */
  readonly recordedAs?: Matcher;
  /** Words a clinician's evidence question may use for it. */
  readonly keywords: readonly string[];
  /** Short statements of what the knowledge base relies on, for evidence answers. */
  readonly keyFacts: readonly string[];
  readonly citations: readonly CitationUse[];
  /** Null when the case does not bring the condition up at all. */
  assess(view: CaseView): Assessment | null;
}

export function defineCondition(def: ConditionDefinition): ConditionDefinition {
  return def;
}

/** Collects one condition's findings, missing facts and next steps while its rules run. */
export class Findings {
  readonly hits: Hit[] = [];
  readonly missing: string[] = [];
  readonly nextSteps: ModelNextStep[] = [];
  name?: string;
  snomed?: string;
  icd10?: string;

  support(weight: number, text: string, facts: FactRefs, source: EvidenceSource, extra: Pick<Hit, 'criterion' | 'novel'> = {}): this {
    this.hits.push({ direction: 'supporting', weight, text, factIds: ids(facts), source, ...extra });
    return this;
  }

  oppose(weight: number, text: string, facts: FactRefs, source: EvidenceSource): this {
    this.hits.push({ direction: 'opposing', weight, text, factIds: ids(facts), source });
    return this;
  }

  /** Age or sex adding weight; it has no fact to cite, so it is shown on the item's first finding. */
  context(weight: number, text: string): this {
    this.hits.push({ direction: 'supporting', weight, text, factIds: [], source: 'context' });
    return this;
  }

  lacks(text: string): this {
    if (!this.missing.includes(text)) this.missing.push(text);
    return this;
  }

  step(kind: ModelNextStep['kind'], text: string): this {
    if (!this.nextSteps.some((s) => s.text === text)) this.nextSteps.push({ kind, text });
    return this;
  }

  /** True once any finding other than context supports the condition. */
  get triggered(): boolean {
    return this.hits.some((h) => h.direction === 'supporting' && h.source !== 'context');
  }

  result(): Assessment | null {
    if (!this.triggered) return null;
    return {
      hits: this.hits,
      missing: this.missing,
      nextSteps: this.nextSteps,
      ...(this.name ? { name: this.name } : {}),
      ...(this.snomed ? { snomed: this.snomed } : {}),
      ...(this.icd10 ? { icd10: this.icd10 } : {}),
    };
  }
}

type FactRefs = ReadonlyArray<FactId | Point | Mention | { readonly id: FactId } | undefined>;

function ids(facts: FactRefs): FactId[] {
  const out: FactId[] = [];
  for (const f of facts) {
    if (f === undefined) continue;
    const id = typeof f === 'string' ? f : f.id;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** "in the last year", "in the last 3 months": wording for a look-back window in days. */
export function lookBack(days: number): string {
  if (days >= 365 * 2) return `in the last ${Math.round(days / 365)} years`;
  if (days >= 360) return 'in the last year';
  if (days >= 60) return `in the last ${Math.round(days / 30)} months`;
  if (days >= 14) return `in the last ${Math.round(days / 7)} weeks`;
  return `in the last ${days} days`;
}

/** "today", "3 days ago", "about 5 months ago". */
export function ago(daysAgo: number): string {
  if (daysAgo < 1) return 'today';
  if (daysAgo < 2) return 'yesterday';
  if (daysAgo < 60) return `${Math.round(daysAgo)} days ago`;
  if (daysAgo < 730) return `about ${Math.round(daysAgo / 30.4)} months ago`;
  return `about ${Math.round(daysAgo / 365.25)} years ago`;
}
