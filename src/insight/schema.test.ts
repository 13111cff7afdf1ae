import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_OUTPUT_RESPONSE_FORMAT, MODEL_OUTPUT_SCHEMA, parseModelOutput, splitFactIds, toWireOutput } from './schema.ts';
import { wireOutput, WIRE_OUTPUT_TEXT } from '../../test/msw/insight-fixtures.ts';

type Schema = Record<string, unknown>;
const FORBIDDEN = ['minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'default', 'oneOf', 'allOf'];

/** Walks every sub-schema; depth counts each sub-schema below the root as one level (the strictest reading). */
function walk(schema: Schema, path: string, depth: number, visit: (schema: Schema, path: string, depth: number) => void): void {
  visit(schema, path, depth);
  if (schema.properties) {
    for (const [name, child] of Object.entries(schema.properties as Record<string, Schema>)) walk(child, `${path}.${name}`, depth + 1, visit);
  }
  if (schema.items) walk(schema.items as Schema, `${path}[]`, depth + 1, visit);
}

test('the schema obeys strict structured-output rules everywhere', () => {
  let objects = 0;
  let properties = 0;
  let deepest = 0;
  walk(MODEL_OUTPUT_SCHEMA, '$', 0, (schema, path, depth) => {
    deepest = Math.max(deepest, depth);
    for (const keyword of FORBIDDEN) assert.equal(keyword in schema, false, `${path} uses ${keyword}`);
    const types = ([] as unknown[]).concat(schema.type);
    assert.ok(types.length >= 1 && types.every((t) => typeof t === 'string'), `${path} has a type`);
    if (types.length === 2) assert.ok(types.includes('null'), `${path}: a two-type union must be nullable`);
    if (types.includes('object')) {
      objects++;
      assert.equal(schema.additionalProperties, false, `${path} must forbid additional properties`);
      const names = Object.keys(schema.properties as Schema);
      properties += names.length;
      assert.deepEqual([...(schema.required as string[])].sort(), [...names].sort(), `${path}: every property required`);
    }
    if (types.includes('array')) assert.ok(schema.items, `${path} declares its items`);
  });
  assert.ok(deepest <= 5, `nesting depth ${deepest} exceeds 5`);
  assert.equal(deepest, 5, 'the fact-id string is the deepest node');
  assert.ok(properties <= 100, `${properties} properties`);
  assert.ok(objects >= 6);
  assert.equal(MODEL_OUTPUT_RESPONSE_FORMAT.type, 'json_schema');
  assert.equal(MODEL_OUTPUT_RESPONSE_FORMAT.json_schema.strict, true);
  assert.match(MODEL_OUTPUT_RESPONSE_FORMAT.json_schema.name, /^[a-zA-Z0-9_-]{1,64}$/);
});

test('optional fields of ModelOutput are nullable, not optional', () => {
  const item = ((MODEL_OUTPUT_SCHEMA.properties as Schema).differential as Schema).items as Schema;
  const props = item.properties as Record<string, Schema>;
  for (const name of ['snomed', 'icd10', 'probability', 'rarity']) assert.ok((props[name]!.type as string[]).includes('null'), name);
  assert.deepEqual(props.likelihood!.enum, ['high', 'moderate', 'low']);
});

test('accepts a valid answer and splits the fact ids', () => {
  const parsed = parseModelOutput(WIRE_OUTPUT_TEXT);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  assert.deepEqual(parsed.output.differential[0]!.supporting[0]!.factIds, ['F5', 'F4']);
  assert.equal(parsed.output.differential[1]!.cantMiss, true);
  assert.equal(parsed.output.differential[1]!.probability, null);
});

test('tolerates a json code fence around the answer', () => {
  const parsed = parseModelOutput('```json\n' + JSON.stringify(wireOutput(), null, 2) + '\n```\n');
  assert.ok(parsed.ok);
  assert.ok(parseModelOutput('```' + WIRE_OUTPUT_TEXT + '```').ok);
});

test('fact ids written with commas or brackets are split the same way', () => {
  assert.deepEqual(splitFactIds('F3, F12'), ['F3', 'F12']);
  assert.deepEqual(splitFactIds('[F3] [F12].'), ['F3', 'F12']);
  assert.deepEqual(splitFactIds('   '), []);
});

const REMOVE = Symbol('remove');

/** A valid answer with one value changed (or removed) at `path`, as text. */
function mutate(path: Array<string | number>, value: unknown): string {
  const output = wireOutput();
  let node = output as unknown as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return JSON.stringify(output);
}

test('rejects each kind of wrong answer with the path and the problem', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['extra top-level property', mutate(['disclaimer'], 'x'), /^\$: unexpected property "disclaimer"$/],
    ['extra nested property', mutate(['differential', 0, 'supporting', 1, 'weight'], 2), /^\$\.differential\[0\]\.supporting\[1\]: unexpected property "weight"$/],
    ['missing property', mutate(['differential', 1, 'rarity'], REMOVE), /^\$\.differential\[1\]\.rarity: missing$/],
    ['wrong enum', mutate(['differential', 0, 'likelihood'], 'very high'), /^\$\.differential\[0\]\.likelihood: expected one of "high", "moderate", "low", got another string$/],
    ['wrong next-step kind', mutate(['differential', 0, 'nextSteps', 0, 'kind'], 3), /^\$\.differential\[0\]\.nextSteps\[0\]\.kind: expected one of .*got an integer$/],
    ['string for number', mutate(['differential', 0, 'probability'], '0.8'), /^\$\.differential\[0\]\.probability: expected a number or null, got a string$/],
    ['non-integer year', mutate(['differential', 0, 'citations', 0, 'year'], 2024.5), /citations\[0\]\.year: expected an integer or null, got a number$/],
    ['array of ids', mutate(['differential', 0, 'supporting', 0, 'factIds'], ['F5']), /supporting\[0\]\.factIds: expected a string, got an array$/],
    ['boolean as string', mutate(['differential', 0, 'cantMiss'], 'false'), /cantMiss: expected true or false, got a string$/],
    ['null where required', mutate(['summary'], null), /^\$\.summary: expected a string, got null$/],
    ['object for array', mutate(['citations'], {}), /^\$\.citations: expected an array, got an object$/],
    ['top-level array', '[]', /^\$: expected an object, got an array$/],
    ['not JSON', '{"differential": [', /^\$: not valid JSON/],
    ['empty', '  ', /^\$: the answer is empty$/],
  ];
  for (const [label, raw, expected] of cases) {
    const parsed = parseModelOutput(raw);
    assert.equal(parsed.ok, false, label);
    if (!parsed.ok) assert.match(parsed.error, expected, label);
  }
});

test('error messages never quote the model\'s values', () => {
  const parsed = parseModelOutput(mutate(['differential', 0, 'likelihood'], 'Jane Doe, MRN 555123'));
  assert.equal(parsed.ok, false);
  if (!parsed.ok) assert.doesNotMatch(parsed.error, /Jane|555123/);
  const broken = parseModelOutput('{"summary": "Jane Doe MRN 555123" oops}');
  assert.equal(broken.ok, false);
  if (!broken.ok) assert.doesNotMatch(broken.error, /Jane|555123/);
});

test('toWireOutput is the inverse of parseModelOutput', () => {
  const parsed = parseModelOutput(WIRE_OUTPUT_TEXT);
  assert.ok(parsed.ok);
  assert.ok(parsed.output.differential.some((d) => d.supporting.some((f) => f.factIds.length > 1)), 'the fixture has multi-id findings');
  assert.deepEqual(parseModelOutput(JSON.stringify(toWireOutput(parsed.output))), parsed);
});
