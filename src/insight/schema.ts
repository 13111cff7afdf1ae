/**
 * The JSON Schema a model answers in (Azure / OpenAI strict structured output), and the
 * validator that turns the model's text back into a `ModelOutput`.
 *
 * Strict mode accepts a subset of JSON Schema: every property listed in `required` (optional
 * ones are nullable instead), `additionalProperties: false` on every object, at most 100
 * properties and 5 levels of nesting, and no `minLength`, `pattern`, `format`, `minimum`,
 * `maximum` or `minItems`. Anything those keywords would have enforced is checked after the
 * fact, in grounding.
 *
 * Nesting depth. `ModelOutput` as typed has the path
 *
 *   root → differential (array) → item (object) → supporting (array) → finding (object)
 *        → factIds (array) → id (string)
 *
 * Counting every sub-schema below the root as one level — as OpenAI's own SDK validator does —
 * the fact id strings sit at level 6, one over the limit; counting arrays and objects with the
 * root as level 1 puts `factIds` itself at level 6. Only an objects-only count stays under 5,
 * and the services do not document which count they apply, so the schema is restructured to
 * pass under every reading: on the wire `factIds` is one string of space-separated ids
 * ("F3 F12"), which puts the deepest node (that string) at level 5. `parseModelOutput` splits
 * it, so callers still get `ModelFinding.factIds` as an array. Every other path is shallower
 * (an item's citation fields are at level 5, its `missing` strings at 4).
 */
import type { LikelihoodBand, ModelCitation, ModelDifferentialItem, ModelFinding, ModelNextStep, ModelOutput } from './types.ts';

export const MODEL_OUTPUT_SCHEMA_NAME = 'curbside_insight';

type JsonSchema = { readonly [keyword: string]: unknown };

const LIKELIHOOD: readonly LikelihoodBand[] = ['high', 'moderate', 'low'];
const NEXT_STEP_KINDS: readonly ModelNextStep['kind'][] = ['test', 'treatment', 'referral', 'monitoring', 'other'];

function object(properties: Record<string, JsonSchema>, description?: string): JsonSchema {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

const text = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });
const nullable = (type: 'string' | 'number' | 'integer', description?: string): JsonSchema => ({ type: [type, 'null'], ...(description ? { description } : {}) });
const array = (items: JsonSchema, description?: string): JsonSchema => ({ type: 'array', ...(description ? { description } : {}), items });

function citationSchema(): JsonSchema {
  return object({
    title: text(),
    source: text('Journal or issuing body.'),
    year: nullable('integer'),
    url: nullable('string'),
    doi: nullable('string', 'Only a DOI you are sure of; else null.'),
    pmid: nullable('string', 'Only a PubMed id you are sure of; else null.'),
    quote: nullable('string', 'The passage relied on.'),
  });
}

function findingSchema(): JsonSchema {
  return object({
    text: text(),
    factIds: text('Ids of the case facts this rests on, separated by spaces, e.g. "F3 F12". Empty if none.'),
  });
}

/** The `schema` of the strict `json_schema` response format. */
export const MODEL_OUTPUT_SCHEMA: JsonSchema = object({
  differential: array(
    object({
      condition: text(),
      snomed: nullable('string', 'SNOMED CT concept id, or null.'),
      icd10: nullable('string', 'ICD-10-CM code, or null.'),
      likelihood: { type: 'string', enum: LIKELIHOOD },
      probability: nullable('number', 'Between 0 and 1 when you can state one; else null.'),
      cantMiss: { type: 'boolean', description: 'Dangerous if missed, whatever its likelihood.' },
      rarity: nullable('string', 'For a rare condition, its base rate in words; else null.'),
      supporting: array(findingSchema()),
      opposing: array(findingSchema()),
      missing: array(text(), 'Facts that would help but are absent from the case.'),
      nextSteps: array(object({ text: text(), kind: { type: 'string', enum: NEXT_STEP_KINDS } })),
      citations: array(citationSchema()),
    }),
    'Ranked, most likely first. Empty when the task is not a differential.',
  ),
  summary: text('Short markdown rationale, or the answer to an evidence question.'),
  citations: array(citationSchema()),
  confidence: text('How sure you are overall, in words.'),
});

/** The request body's `response_format`. */
export const MODEL_OUTPUT_RESPONSE_FORMAT = {
  type: 'json_schema',
  json_schema: { name: MODEL_OUTPUT_SCHEMA_NAME, strict: true, schema: MODEL_OUTPUT_SCHEMA },
} as const;

// ─── Validation ─────────────────────────────────────────────────────────────────────────────

export type ParseResult = { readonly ok: true; readonly output: ModelOutput } | { readonly ok: false; readonly error: string };

/** Thrown inside the walk and caught once; carries a path and a problem, never the model's text. */
class ShapeError extends Error {}

type Json = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

function fail(path: string, problem: string): never {
  throw new ShapeError(`${path}: ${problem}`);
}

function expectObject(value: unknown, path: string, keys: readonly string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, `expected an object, got ${describe(value)}`);
  const record = value as Json;
  // Property names the model made up are echoed: they are schema words, not patient data.
  const extra = Object.keys(record).filter((key) => !keys.includes(key));
  if (extra.length > 0) fail(path, `unexpected propert${extra.length === 1 ? 'y' : 'ies'} ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
  for (const key of keys) if (!(key in record)) fail(`${path}.${key}`, 'missing');
  return record;
}

function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, `expected a string, got ${describe(value)}`);
  return value;
}

function expectNullableString(value: unknown, path: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') fail(path, `expected a string or null, got ${describe(value)}`);
  return value;
}

function expectNullableNumber(value: unknown, path: string, integer = false): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    fail(path, `expected ${integer ? 'an integer' : 'a number'} or null, got ${describe(value)}`);
  }
  return value;
}

function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, `expected true or false, got ${describe(value)}`);
  return value;
}

function expectEnum<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    // The value itself is not echoed: an error message may end up in a log.
    fail(path, `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${typeof value === 'string' ? 'another string' : describe(value)}`);
  }
  return value as T;
}

function expectArray<T>(value: unknown, path: string, item: (value: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) fail(path, `expected an array, got ${describe(value)}`);
  return value.map((entry, index) => item(entry, `${path}[${index}]`));
}

/** Splits the wire form of `factIds` ("F3 F12", "F3, F12", "[F3]") into ids. */
export function splitFactIds(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((token) => token.replace(/^[[("'`]+|[\])"'`.]+$/g, ''))
    .filter((token) => token.length > 0);
}

/**
 * A `ModelOutput` in its wire form — what a model server sends back — with each finding's
 * `factIds` joined into one string as the schema requires. `parseModelOutput` is its inverse.
 */
export function toWireOutput(output: ModelOutput): unknown {
  const finding = (f: ModelOutput['differential'][number]['supporting'][number]) => ({ text: f.text, factIds: f.factIds.join(' ') });
  return {
    ...output,
    differential: output.differential.map((item) => ({ ...item, supporting: item.supporting.map(finding), opposing: item.opposing.map(finding) })),
  };
}

function citation(value: unknown, path: string): ModelCitation {
  const c = expectObject(value, path, ['title', 'source', 'year', 'url', 'doi', 'pmid', 'quote']);
  return {
    title: expectString(c.title, `${path}.title`),
    source: expectString(c.source, `${path}.source`),
    year: expectNullableNumber(c.year, `${path}.year`, true),
    url: expectNullableString(c.url, `${path}.url`),
    doi: expectNullableString(c.doi, `${path}.doi`),
    pmid: expectNullableString(c.pmid, `${path}.pmid`),
    quote: expectNullableString(c.quote, `${path}.quote`),
  };
}

function finding(value: unknown, path: string): ModelFinding {
  const f = expectObject(value, path, ['text', 'factIds']);
  return { text: expectString(f.text, `${path}.text`), factIds: splitFactIds(expectString(f.factIds, `${path}.factIds`)) };
}

function nextStep(value: unknown, path: string): ModelNextStep {
  const s = expectObject(value, path, ['text', 'kind']);
  return { text: expectString(s.text, `${path}.text`), kind: expectEnum(s.kind, `${path}.kind`, NEXT_STEP_KINDS) };
}

const ITEM_KEYS = ['condition', 'snomed', 'icd10', 'likelihood', 'probability', 'cantMiss', 'rarity', 'supporting', 'opposing', 'missing', 'nextSteps', 'citations'];

function differentialItem(value: unknown, path: string): ModelDifferentialItem {
  const d = expectObject(value, path, ITEM_KEYS);
  return {
    condition: expectString(d.condition, `${path}.condition`),
    snomed: expectNullableString(d.snomed, `${path}.snomed`),
    icd10: expectNullableString(d.icd10, `${path}.icd10`),
    likelihood: expectEnum(d.likelihood, `${path}.likelihood`, LIKELIHOOD),
    probability: expectNullableNumber(d.probability, `${path}.probability`),
    cantMiss: expectBoolean(d.cantMiss, `${path}.cantMiss`),
    rarity: expectNullableString(d.rarity, `${path}.rarity`),
    supporting: expectArray(d.supporting, `${path}.supporting`, finding),
    opposing: expectArray(d.opposing, `${path}.opposing`, finding),
    missing: expectArray(d.missing, `${path}.missing`, expectString),
    nextSteps: expectArray(d.nextSteps, `${path}.nextSteps`, nextStep),
    citations: expectArray(d.citations, `${path}.citations`, citation),
  };
}

/** Removes one Markdown code fence around the whole answer, which some servers add without strict mode. */
function unfence(raw: string): string {
  const trimmed = raw.trim();
  const fenced = /^```[A-Za-z]*\s*([\s\S]*?)\s*```$/.exec(trimmed);
  return fenced ? fenced[1]!.trim() : trimmed;
}

/**
 * Parses and validates a model's answer against `MODEL_OUTPUT_SCHEMA` exactly: no extra or
 * missing properties, no wrong types or enum values. Errors name the path and the problem
 * (`$.differential[0].likelihood: expected one of …`) and never quote the model's text.
 */
export function parseModelOutput(raw: string): ParseResult {
  const body = unfence(raw);
  if (body === '') return { ok: false, error: '$: the answer is empty' };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    // The engine's message can quote the text around the error, so only its position is kept.
    const position = /position (\d+)/.exec(String(cause))?.[1];
    return { ok: false, error: `$: not valid JSON${position ? ` (at character ${position})` : ''}` };
  }
  try {
    const root = expectObject(json, '$', ['differential', 'summary', 'citations', 'confidence']);
    const output: ModelOutput = {
      differential: expectArray(root.differential, '$.differential', differentialItem),
      summary: expectString(root.summary, '$.summary'),
      citations: expectArray(root.citations, '$.citations', citation),
      confidence: expectString(root.confidence, '$.confidence'),
    };
    return { ok: true, output };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, error: error.message };
    throw error;
  }
}
