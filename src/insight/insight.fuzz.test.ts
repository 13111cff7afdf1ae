/**
 * Property-based: the model-output validator and grounding given malformed and hostile answers —
 * arbitrary text, truncated or fenced JSON, a valid answer with fields mutated, retyped, deleted
 * or filled with XSS payloads. `parseModelOutput` never throws and never quotes the answer in its
 * error; whatever it accepts, grounding turns into an insight whose links are only http(s), whose
 * chart references are only those the case sent, and which claims verification only with them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyMutations, assertNoPrototypePollution, hostileString, mutation, type Json } from '../../test/support/mutate.ts';
import { PREPARED, wireOutput } from '../../test/msw/insight-fixtures.ts';
import { groundInsight } from './ground.ts';
import { parseModelOutput } from './schema.ts';
import type { GroundedCitation, Insight, ModelIdentity } from './types.ts';

const RUNS = 200;
const MODEL: ModelIdentity = { provider: 'openai-compatible', name: 'fuzz', version: '1', builtIn: false };
const NOW = new Date('2026-03-01T12:00:00Z');
/** A marker no schema message contains, to see whether an error quotes the model's text. */
const MARKER = 'QZXV';
const VALID = wireOutput() as Json;
const KNOWN_REFERENCES = new Set<string>(PREPARED.factIndex.values());

function citationsOf(insight: Insight): GroundedCitation[] {
  return [...insight.citations, ...insight.differential.flatMap((item) => item.citations)];
}

function assertSafeInsight(insight: Insight): void {
  for (const citation of citationsOf(insight)) {
    if (citation.url !== null && citation.url !== undefined) assert.match(citation.url, /^https?:\/\//i, `citation url ${citation.url}`);
  }
  for (const item of insight.differential) {
    assert.equal(typeof item.condition, 'string');
    for (const finding of [...item.supporting, ...item.opposing]) {
      for (const reference of finding.references) assert.ok(KNOWN_REFERENCES.has(reference), `reference ${reference} was never sent`);
      if (finding.verified) assert.ok(finding.references.length > 0, 'verified only with a chart fact');
    }
  }
  assert.doesNotThrow(() => JSON.stringify(insight));
}

/** Parses, and grounds what parses; neither may throw. */
function check(raw: string): void {
  const parsed = parseModelOutput(raw);
  if (!parsed.ok) {
    assert.equal(typeof parsed.error, 'string');
    assert.ok(!parsed.error.includes(MARKER), `the error quotes the answer: ${parsed.error}`);
    return;
  }
  assertSafeInsight(groundInsight({ output: parsed.output, raw, model: MODEL }, PREPARED, { kind: 'differential' }, NOW));
  assertNoPrototypePollution();
}

test('arbitrary text, JSON and broken JSON: a result, never an exception or a quote', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 200 }).map((s) => `${s}${MARKER}`),
    fc.json({ maxDepth: 4 }).map((s) => s.replace(/"$/, `${MARKER}"`)),
    fc.constant(`${'['.repeat(20_000)}${MARKER}`),
    fc.tuple(fc.nat(), fc.constantFrom('', '```json\n', '```\n', ' \n')).map(([cut, fence]) => {
      const whole = JSON.stringify(wireOutput({ url: `https://x.example/${MARKER}` }));
      return `${fence}${whole.slice(0, cut % whole.length)}${fence ? '\n```' : ''}`;
    }),
  );
  fc.assert(fc.property(text, check), { numRuns: RUNS });
});

test('a valid answer mutated anywhere: parsed or refused, and what is accepted is grounded safely', () => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.boolean(), (mutations, fenced) => {
      const body = JSON.stringify(applyMutations(VALID, mutations));
      check(fenced ? `\`\`\`json\n${body}\n\`\`\`` : body);
    }),
    { numRuns: RUNS },
  );
});

test('hostile strings in every text field and URL of a well-formed answer', () => {
  fc.assert(
    fc.property(hostileString, hostileString, fc.string({ maxLength: 12 }), (text, url, factIds) => {
      const output = wireOutput({ url, doi: text, factIds }) as { differential: Array<Record<string, unknown>>; summary: string; confidence: string; citations: unknown[] };
      output.summary = text;
      output.confidence = text;
      output.differential[0]!.condition = text;
      output.citations = [{ title: text, source: text, year: null, url, doi: null, pmid: text, quote: text }];
      const parsed = parseModelOutput(JSON.stringify(output));
      assert.ok(parsed.ok, 'hostile text in string fields is still a well-formed answer');
      const insight = groundInsight({ output: parsed.output, raw: '', model: MODEL }, PREPARED, { kind: 'differential' }, NOW);
      assertSafeInsight(insight);
      // The text itself is kept as text for the view to show inertly; links are what grounding polices.
      assert.equal(insight.differential[0]!.condition, text);
    }),
    { numRuns: RUNS },
  );
});
