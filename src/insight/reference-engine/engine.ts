/**
 * Curbside's built-in reference engine: deterministic rules over the de-identified case summary
 * that answer in the same strict `ModelOutput` a remote clinical model returns, so the sidebar
 * works with no model account. It is a checklist with citations, not a clinical model, and every
 * answer says so.
 */
import {
  InsightError,
  type InsightProvider,
  type InsightRequest,
  type ModelCitation,
  type ModelDifferentialItem,
  type ModelIdentity,
  type ModelOutput,
} from '../types.ts';
import { toWireOutput } from '../schema.ts';
import { CaseView } from './case-view.ts';
import { matchEntries, uniqueCitations } from './evidence.ts';
import { CONDITIONS, KNOWLEDGE_BASE_DATE } from './knowledge-base/index.ts';
import { toModelCitation } from './references.ts';
import type { ConditionDefinition } from './rules.ts';
import { compareScored, scoreAssessment, type ScoredItem } from './scoring.ts';

export const REFERENCE_ENGINE_VERSION = '1.0.0';

export const REFERENCE_ENGINE_IDENTITY: ModelIdentity = {
  provider: 'reference-engine',
  name: 'Curbside reference engine',
  version: `${REFERENCE_ENGINE_VERSION} (knowledge base ${KNOWLEDGE_BASE_DATE})`,
  builtIn: true,
};

export interface ReferenceEngineOptions {
  /**
   * The day the answer is given for (a Date or ISO string): decides which guideline editions had
   * been published. Defaults to the knowledge base's review date, never the wall clock, so the
   * same case always gives the same answer.
   */
  readonly now?: Date | string;
}

const MAX_ITEMS = 10;
const MAX_BROAD_ITEMS = 8;
const DISCLAIMER = '_Built-in reference engine: deterministic rules with guideline citations, not a clinical model. It reads only the coded problems, medicines, results and note keywords in the case summary._';

export function runReferenceEngine(request: InsightRequest, options: ReferenceEngineOptions = {}): ModelOutput {
  const view = new CaseView(request.case);
  const asOf = dayOf(options.now) ?? KNOWLEDGE_BASE_DATE;
  return request.task.kind === 'evidence' ? answerQuestion(view, request.task.question, asOf) : differential(view, asOf);
}

export function createReferenceEngineProvider(options: ReferenceEngineOptions = {}): InsightProvider {
  return {
    id: 'reference-engine',
    identity: REFERENCE_ENGINE_IDENTITY,
    async generate(request, { signal, onProgress } = {}) {
      stopIfAborted(signal);
      onProgress?.({ kind: 'status', message: 'Reading the case summary with the built-in rules' });
      // One turn of the event loop, so a cancel issued right after the request still lands.
      await new Promise((resolve) => setTimeout(resolve, 0));
      stopIfAborted(signal);
      const output = runReferenceEngine(request, options);
      onProgress?.({ kind: 'status', message: `Checked the case against ${CONDITIONS.length} knowledge-base entries` });
      stopIfAborted(signal);
      // The raw text is the wire form a remote model would send, so every provider's raw reads alike.
      return { output, raw: JSON.stringify(toWireOutput(output)), model: REFERENCE_ENGINE_IDENTITY };
    },
  };
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InsightError('cancelled', 'The request was cancelled.', { retryable: false, cause: signal.reason });
}

/** Every condition that the case brings up, scored and ranked. */
export function assessCase(view: CaseView, asOf: string, conditions: readonly ConditionDefinition[] = CONDITIONS): ScoredItem[] {
  const scored: ScoredItem[] = [];
  for (const def of conditions) {
    const assessment = def.assess(view);
    if (assessment) scored.push(scoreAssessment(def, assessment, view, asOf));
  }
  return scored.sort(compareScored);
}

function differential(view: CaseView, asOf: string): ModelOutput {
  const scored = assessCase(view, asOf);
  const decisive = scored.some((s) => s.observed && s.item.likelihood !== 'low');
  const shown = scored.slice(0, decisive ? MAX_ITEMS : MAX_BROAD_ITEMS);
  const items = shown.map((s) => s.item);
  const narrowing = decisive ? [] : narrowingTests(items);
  return {
    differential: items,
    summary: summarise(view, shown, decisive, narrowing),
    citations: uniqueCitations(items.flatMap((i) => i.citations)),
    confidence: confidence(view, shown, decisive),
  };
}

/** Tests named by the items' next steps and missing facts, most often named first. */
function narrowingTests(items: readonly ModelDifferentialItem[]): string[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    for (const step of item.nextSteps) if (step.kind === 'test') counts.set(step.text, (counts.get(step.text) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6).map(([text]) => text);
}

function summarise(view: CaseView, shown: readonly ScoredItem[], decisive: boolean, narrowing: readonly string[]): string {
  const lines: string[] = [DISCLAIMER, ''];
  if (shown.length === 0) {
    lines.push('Nothing in this case summary triggers a rule: there are too few coded problems, medicines or results to reason from.');
    if (view.summary.unavailableSections.length) lines.push('', `Not provided by the EHR: ${view.summary.unavailableSections.join(', ')}.`);
    return lines.join('\n');
  }
  lines.push(decisive ? '**Leading items**' : '**A broad, low-confidence list**: no item reaches moderate likelihood on results or vital signs.', '');
  shown.slice(0, 5).forEach((s, i) => {
    const tags = [s.item.likelihood === 'high' ? 'high' : s.item.likelihood === 'moderate' ? 'moderate' : 'low', s.item.cantMiss ? "can't miss" : '', s.item.rarity ? 'rare' : '', s.observed ? '' : 'from the problem list or medicines only']
      .filter(Boolean)
      .join(', ');
    lines.push(`${i + 1}. **${s.item.condition}** (${tags})`);
  });
  const cantMiss = shown.slice(5).filter((s) => s.item.cantMiss);
  if (cantMiss.length) lines.push('', `Also can't miss: ${cantMiss.map((s) => `${s.item.condition} (${s.item.likelihood})`).join('; ')}.`);
  const safety = shown.filter((s) => s.def.kind === 'safety' && s.item.likelihood !== 'low');
  if (safety.length) lines.push('', `Medication safety: ${safety.map((s) => s.item.condition.replace(/^Medication safety: /, '')).join('; ')}.`);
  if (narrowing.length) lines.push('', `Tests that would narrow it: ${narrowing.join('; ')}.`);
  if (view.summary.unavailableSections.length) lines.push('', `Not provided by the EHR, so not considered: ${view.summary.unavailableSections.join(', ')}.`);
  return lines.join('\n');
}

function confidence(view: CaseView, shown: readonly ScoredItem[], decisive: boolean): string {
  const caveat = 'Rule weights, not a calibrated model; probabilities appear only where a guideline criterion is met in the chart.';
  const gaps = view.summary.unavailableSections.length ? ` Some chart sections were unavailable (${view.summary.unavailableSections.join(', ')}).` : '';
  if (shown.length === 0) return `None: the case holds too little coded data for the rules.${gaps}`;
  const top = shown[0]!;
  if (!shown.some((s) => s.observed)) return `Low: the list rests on the problem list and medicines alone, with no results or observations that confirm or add to them. ${caveat}${gaps}`;
  if (!decisive) return `Low: the findings are non-specific, so the list is deliberately broad; the tests listed would narrow it. ${caveat}${gaps}`;
  if (top.item.likelihood === 'high' && top.item.probability !== null) return `High for the leading item, which meets a guideline criterion in the chart's own results; lower for the rest. ${caveat}${gaps}`;
  if (top.item.likelihood === 'high') return `Moderate to high for the leading items on the weight of several findings, but no diagnostic criterion is fully met. ${caveat}${gaps}`;
  return `Moderate: the leading items rest on partial criteria and need the missing tests. ${caveat}${gaps}`;
}

function answerQuestion(view: CaseView, question: string, asOf: string): ModelOutput {
  const entries = matchEntries(question, CONDITIONS);
  if (entries.length === 0) {
    return {
      differential: [],
      summary: `${DISCLAIMER}\n\nNo entry in the built-in knowledge base matches this question. The reference engine answers only from its own short list of conditions and cannot search the literature; a clinical model or a literature source is needed for this question.`,
      citations: [],
      confidence: 'None: no knowledge-base entry matches the question.',
    };
  }
  const onCase = assessCase(view, asOf, entries);
  const lines: string[] = [DISCLAIMER, ''];
  const citations: ModelCitation[] = [];
  for (const def of entries) {
    lines.push(`**${def.name}**`);
    for (const fact of def.keyFacts) lines.push(`- ${fact}`);
    const here = onCase.find((s) => s.def === def);
    if (here) lines.push(`- In this case: ${here.item.condition} is ${here.item.likelihood} on the rules (see the differential).`);
    const cited = def.citations.map((c) => toModelCitation(c, asOf));
    citations.push(...cited);
    lines.push(`- Source: ${uniqueCitations(cited).map((c) => `${c.title} (${c.source}${c.year ? `, ${c.year}` : ''})`).join('; ')}`, '');
  }
  return {
    differential: onCase.map((s) => s.item),
    summary: lines.join('\n').trimEnd(),
    citations: uniqueCitations(citations),
    confidence: `Keyword match against the built-in knowledge base (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}): summaries of the cited guidelines, not a review of the evidence.`,
  };
}

function dayOf(now: Date | string | undefined): string | undefined {
  if (now === undefined) return undefined;
  const date = typeof now === 'string' ? new Date(now) : now;
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}
