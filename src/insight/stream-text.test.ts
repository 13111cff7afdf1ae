import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { SummaryFieldExtractor } from './stream-text.ts';

/** Feeds `chunks` one by one; returns what each push yielded and the extractor. */
function feed(chunks: readonly string[], field?: string): { yields: string[]; extractor: SummaryFieldExtractor } {
  const extractor = new SummaryFieldExtractor(field === undefined ? {} : { field });
  return { yields: chunks.map((chunk) => extractor.push(chunk)), extractor };
}

function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [0, ...cuts, text.length];
  return points.slice(1).map((end, index) => text.slice(points[index], end));
}

/** A small deterministic generator, so a failing split can be reproduced. */
function* randomSplits(text: string, seed: number, rounds: number): Generator<string[]> {
  let state = seed;
  const next = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (let round = 0; round < rounds; round += 1) {
    const chunks: string[] = [];
    for (let i = 0; i < text.length; ) {
      const size = 1 + Math.floor(next() * 7);
      chunks.push(text.slice(i, i + size));
      i += size;
    }
    yield chunks;
  }
}

const SUMMARY = 'Likely **type 2 diabetes** — "HbA1c" 7.4 %\n\n- rising\\falling\t/ é € 😀 \u2028 end';
const ANSWER = JSON.stringify({
  differential: [
    {
      condition: 'Type 2 diabetes {not a brace} [nor a bracket]',
      summary: 'a decoy inside an item',
      supporting: [{ text: 'says "summary": "no"', factIds: 'F5 F4' }],
      probability: 0.8,
      cantMiss: false,
      rarity: null,
    },
  ],
  citations: [],
  summary: SUMMARY,
  confidence: 'moderate',
});
// Escapes for every non-ASCII character too, as some encoders write them.
const ASCII_ANSWER = ANSWER.replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('SummaryFieldExtractor', () => {
  it('yields the decoded summary of a whole answer at once, and nothing from decoys in nested objects', () => {
    const { yields, extractor } = feed([ANSWER]);
    assert.deepEqual(yields, [SUMMARY]);
    assert.equal(extractor.text, SUMMARY);
    assert.equal(extractor.complete, true);
  });

  it('decodes the same text however the answer is cut into two pieces', () => {
    for (const text of [ANSWER, ASCII_ANSWER]) {
      for (let cut = 0; cut <= text.length; cut += 1) {
        const { yields, extractor } = feed(splitAt(text, [cut]));
        assert.equal(yields.join(''), SUMMARY, `cut at ${cut}`);
        assert.equal(extractor.text, SUMMARY);
      }
    }
  });

  it('decodes the same text from one-character pieces, yielding it progressively', () => {
    for (const text of [ANSWER, ASCII_ANSWER]) {
      const { yields } = feed([...text.split('')]);
      assert.equal(yields.join(''), SUMMARY);
      assert.ok(yields.filter((y) => y !== '').length > SUMMARY.length / 2, 'most characters arrive on their own');
    }
  });

  it('decodes the same text from random piece sizes, including pieces that split escapes and surrogate pairs', () => {
    for (const text of [ANSWER, ASCII_ANSWER]) {
      for (const chunks of randomSplits(text, 7, 300)) {
        assert.equal(feed(chunks).yields.join(''), SUMMARY, JSON.stringify(chunks));
      }
    }
  });

  it('holds back half of a surrogate pair written as two \\u escapes until the second arrives', () => {
    const { yields } = feed(['{"summary":"a\\ud83d', '\\ude00b"}']);
    assert.deepEqual(yields, ['a', '😀b']);
    const raw = feed(['{"summary":"a\ud83d', '\ude00b"}']);
    assert.deepEqual(raw.yields, ['a', '😀b']);
  });

  it('replaces an unpaired surrogate with U+FFFD instead of handing out half a character', () => {
    assert.equal(feed(['{"summary":"a\\ud83dz"}']).extractor.text, 'a\uFFFDz');
    assert.equal(feed(['{"summary":"a\\ud83d', '"}']).extractor.text, 'a\uFFFD');
    assert.equal(feed(['{"summary":"\\ude00"}']).extractor.text, '\uFFFD');
  });

  it('matches a key written with escapes, and ignores a summary that is not a string', () => {
    assert.equal(feed(['{"summ\\u0061ry":"yes"}']).extractor.text, 'yes');
    const nulled = feed(['{"summary":null,"confidence":"low"}']).extractor;
    assert.equal(nulled.text, '');
    assert.equal(nulled.started, false);
  });

  it('ignores keys and values deeper than the top level, and string values that look like keys', () => {
    const text = '{"a":{"summary":"deep"},"b":["summary","x"],"c":"summary","summary":"top"}';
    for (let cut = 0; cut <= text.length; cut += 1) {
      assert.equal(feed(splitAt(text, [cut])).yields.join(''), 'top', `cut at ${cut}`);
    }
  });

  it('streams only the first summary when a broken answer repeats the key', () => {
    assert.equal(feed(['{"summary":"first","summary":"second"}']).extractor.text, 'first');
  });

  it('tolerates whitespace and a preamble before the object', () => {
    assert.equal(feed(['Here is the JSON:\n', '{ \n "summary" \t:\r\n "ok" }']).extractor.text, 'ok');
  });

  it('streams a different top-level field when asked', () => {
    assert.equal(feed([ANSWER], 'confidence').extractor.text, 'moderate');
  });

  it('stops yielding at an invalid escape instead of guessing', () => {
    const { yields, extractor } = feed(['{"summary":"ok \\x', 'more"}']);
    assert.deepEqual(yields, ['ok ', '']);
    assert.equal(extractor.failed, true);
    assert.equal(feed(['{"summary":"\\u12G4"}']).extractor.failed, true);
  });

  it('adds nothing after the field or the object closes', () => {
    const { yields, extractor } = feed(['{"summary":"done"', ',"confidence":"x"}', '{"summary":"again"}']);
    assert.deepEqual(yields, ['done', '', '']);
    assert.equal(extractor.complete, true);
  });

  it('keeps up with a long answer fed token by token', () => {
    const long = JSON.stringify({ differential: [], summary: 'word \\ "quoted" é '.repeat(4000), citations: [], confidence: 'x' });
    const extractor = new SummaryFieldExtractor();
    const started = performance.now();
    for (let i = 0; i < long.length; i += 4) extractor.push(long.slice(i, i + 4));
    const elapsed = performance.now() - started;
    assert.equal(extractor.text, JSON.parse(long).summary);
    assert.ok(elapsed < 500, `took ${elapsed} ms`);
  });
});
