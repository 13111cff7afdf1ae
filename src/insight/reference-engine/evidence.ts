/**
 * The reference engine's modest answer to an evidence question: the knowledge-base entries whose
 * words the question uses, with their key facts and citations. It does not search the literature
 * and says so; when nothing matches it says that plainly.
 */
import type { ModelCitation } from '../types.ts';
import type { ConditionDefinition } from './rules.ts';

const STOPWORDS = new Set(
  'a an and are as at be by can do does for from how i in is it me my of on or should the this to what when which who why with would patient patients our your there their than then'.split(' '),
);
const MAX_ENTRIES = 3;

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** How strongly the question names a condition: whole keyword phrases count most. */
export function matchScore(question: string, def: ConditionDefinition): number {
  const text = ` ${words(question).join(' ')} `;
  const tokens = new Set(words(question));
  let score = 0;
  for (const keyword of def.keywords) {
    const phrase = words(keyword).join(' ');
    if (!phrase) continue;
    if (phrase.includes(' ') ? text.includes(` ${phrase} `) : tokens.has(phrase)) score += phrase.includes(' ') ? 3 : 2;
  }
  for (const w of words(def.name)) if (w.length > 3 && tokens.has(w)) score += 1;
  return score;
}

export function matchEntries(question: string, conditions: readonly ConditionDefinition[]): ConditionDefinition[] {
  return conditions
    .map((def) => ({ def, score: matchScore(question, def) }))
    .filter((m) => m.score >= 2)
    .sort((a, b) => b.score - a.score || a.def.id.localeCompare(b.def.id))
    .slice(0, MAX_ENTRIES)
    .map((m) => m.def);
}

export function uniqueCitations(citations: readonly ModelCitation[]): ModelCitation[] {
  const seen = new Set<string>();
  const out: ModelCitation[] = [];
  for (const c of citations) {
    const key = c.doi ?? c.pmid ?? c.url ?? c.title;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}
