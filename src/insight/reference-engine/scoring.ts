/**
 * From rule findings to a ranked differential. Weights add up to a score; the score sets the
 * likelihood band; a probability is stated only when a finding meets a guideline criterion on its
 * own. Ranking is separate from likelihood: can't-miss items are lifted in the order without
 * changing their band, and items resting only on what the chart already lists sink below items
 * backed by results, because the tool is there to surface what is not yet named.
 */
import type { LikelihoodBand, ModelDifferentialItem, ModelFinding } from '../types.ts';
import type { CaseView } from './case-view.ts';
import { toModelCitation } from './references.ts';
import { OBSERVED, type Assessment, type ConditionDefinition, type Hit } from './rules.ts';

export const HIGH_SCORE = 6;
export const MODERATE_SCORE = 3;
/** Rank penalty for an item the problem list already names, unless a finding adds something new. */
const ALREADY_RECORDED_PENALTY = 2;
const MAX_NEXT_STEPS = 6;
const MAX_FINDING_FACTS = 24;

export interface ScoredItem {
  readonly def: ConditionDefinition;
  readonly item: ModelDifferentialItem;
  readonly score: number;
  /** Order key within the list (higher first). */
  readonly rankScore: number;
  readonly group: number;
  /** Some supporting finding comes from a result, vital sign or note. */
  readonly observed: boolean;
}

export function scoreAssessment(def: ConditionDefinition, assessment: Assessment, view: CaseView, asOf: string): ScoredItem {
  const supporting = assessment.hits.filter((h) => h.direction === 'supporting');
  const opposing = assessment.hits.filter((h) => h.direction === 'opposing');
  const score = def.prior + sum(supporting) - sum(opposing);
  const observed = supporting.some((h) => OBSERVED.has(h.source));
  let likelihood: LikelihoodBand = score >= HIGH_SCORE ? 'high' : score >= MODERATE_SCORE ? 'moderate' : 'low';
  // What the chart already says cannot by itself make an item more than moderately likely here.
  if (!observed && likelihood === 'high') likelihood = 'moderate';
  const criterion = Math.max(0, ...supporting.map((h) => h.criterion ?? 0));
  const strongOpposition = opposing.some((h) => h.weight >= 2);
  const probability = likelihood === 'high' && criterion > 0 && !strongOpposition ? criterion : null;

  const recorded = def.recordedAs ? view.problems(def.recordedAs).length > 0 : false;
  const novel = supporting.some((h) => h.novel);
  const rankScore = score - (recorded && !novel ? ALREADY_RECORDED_PENALTY : 0);
  const group = rankGroup(def, likelihood, observed);

  const item: ModelDifferentialItem = {
    condition: assessment.name ?? def.name,
    snomed: assessment.snomed ?? def.snomed,
    icd10: assessment.icd10 ?? def.icd10,
    likelihood,
    probability,
    cantMiss: def.cantMiss,
    rarity: def.rarity,
    supporting: findings(supporting, view),
    opposing: findings(opposing, view),
    missing: [...assessment.missing],
    nextSteps: assessment.nextSteps.slice(0, MAX_NEXT_STEPS),
    citations: def.citations.map((c) => toModelCitation(c, asOf)),
  };
  return { def, item, score, rankScore, group, observed };
}

/**
 * Lower groups come first. Observed evidence before chart labels; within each band, can't-miss
 * items lead their band, so a likely can't-miss item heads the list and an unlikely one still
 * stands ahead of other unlikely items, without any change to its band.
 */
function rankGroup(def: ConditionDefinition, likelihood: LikelihoodBand, observed: boolean): number {
  const tier = observed ? 0 : 10;
  const band = likelihood === 'high' ? 0 : likelihood === 'moderate' ? 2 : 4;
  return tier + band + (def.cantMiss ? 0 : 1);
}

export function compareScored(a: ScoredItem, b: ScoredItem): number {
  return a.group - b.group || b.rankScore - a.rankScore || b.score - a.score || a.def.id.localeCompare(b.def.id);
}

/** Context (age, sex) has no fact to cite, so it is folded into the first cited finding. */
function findings(hits: readonly Hit[], view: CaseView): ModelFinding[] {
  const cited = hits.filter((h) => h.source !== 'context');
  const context = hits.filter((h) => h.source === 'context').map((h) => h.text);
  const ordered = [...cited].sort((a, b) => b.weight - a.weight);
  const out = ordered.map((h) => ({ text: h.text, factIds: trim(h.factIds.filter((id) => view.hasFact(id))) }));
  if (context.length && out[0]) out[0] = { ...out[0], text: `${out[0].text} (context: ${context.join('; ')})` };
  return out.filter((f) => f.factIds.length > 0);
}

/** A long run of results keeps its first value and the most recent ones. */
function trim(ids: readonly string[]): string[] {
  return ids.length <= MAX_FINDING_FACTS ? [...ids] : [ids[0]!, ...ids.slice(ids.length - MAX_FINDING_FACTS + 1)];
}

function sum(hits: readonly Hit[]): number {
  return hits.reduce((total, h) => total + h.weight, 0);
}
