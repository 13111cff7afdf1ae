import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseDecoder, type SseEvent } from './sse.ts';
import { SseCoalescer } from './sse-coalesce.ts';

const encoder = new TextEncoder();

function decode(text: string): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.push(encoder.encode(text)), ...decoder.end()];
}

const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish, ...extra }] })}\n\n`;

/** What a chat-completions reader takes from a stream: the text, and every other event as it came. */
function meaning(events: readonly SseEvent[]): { text: string; others: string[] } {
  let text = '';
  const others: string[] = [];
  for (const e of events) {
    let value: { choices?: Array<{ delta?: Record<string, unknown>; finish_reason?: unknown }> } | undefined;
    try {
      value = JSON.parse(e.data) as typeof value;
    } catch {
      value = undefined;
    }
    const choice = value?.choices?.length === 1 ? value.choices[0] : undefined;
    const keys = Object.keys(choice?.delta ?? {});
    if (choice && keys.length === 1 && keys[0] === 'content' && (choice.finish_reason ?? null) === null) {
      text += String(choice.delta!.content);
      others.push(`text-chunk ${e.event} ${e.id ?? ''} ${JSON.stringify({ ...value, choices: [{ ...choice, delta: { content: '' } }] })}`);
    } else others.push(`${e.event} ${e.id ?? ''} ${e.retry ?? ''} ${e.data}`);
  }
  // Runs of identical text-chunk skeletons count once: merging them is the point.
  return { text, others: others.filter((o, i) => !(o.startsWith('text-chunk') && others[i - 1] === o)) };
}

const STREAM = [
  chunk({ role: 'assistant', content: '' }),
  ...'The answer, "quoted" and\nsplit — é 😀 into tokens.'.split(/(?=\s)/).map((t) => chunk({ content: t })),
  chunk({ content: ' filtered' }, { content_filter_results: { hate: { filtered: false, severity: 'safe' } } }),
  chunk({ content: ' again' }, { content_filter_results: { hate: { filtered: false, severity: 'safe' } } }),
  chunk({ content: ' after' }),
  'event: ping\ndata: {}\n\n',
  chunk({ refusal: 'no' }),
  chunk({ content: 'x' }),
  chunk({}, {}, 'stop'),
  `data: ${JSON.stringify({ id: 'c1', choices: [], usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 } })}\n\n`,
  'data: not json\n\n',
  'data: [DONE]\n\n',
].join('');

test('merges each run of text-only chunks into one, and leaves every other event as it was, in order', () => {
  const original = decode(STREAM);
  const coalesced = decode(new SseCoalescer().encode(original));
  assert.deepEqual(meaning(coalesced), meaning(original));
  assert.ok(coalesced.length < original.length - 5, `${coalesced.length} events from ${original.length}`);
  // The role chunk, the annotated pair, the ping, the refusal, the finish, usage, non-JSON and [DONE] stay apart.
  assert.equal(coalesced.filter((e) => e.data.includes('"role"')).length, 1);
  assert.equal(coalesced.filter((e) => e.data.includes('content_filter_results')).length, 1, 'two chunks with the same annotations merge');
  assert.deepEqual(coalesced.slice(-3).map((e) => e.data), [original.at(-3)!.data, 'not json', '[DONE]']);
  assert.equal(coalesced.find((e) => e.event === 'ping')?.data, '{}');
});

test('a stream cut into batches anywhere means the same after coalescing each batch', () => {
  const original = decode(STREAM);
  for (let size = 1; size <= original.length; size += 3) {
    const coalescer = new SseCoalescer();
    let text = '';
    for (let i = 0; i < original.length; i += size) text += coalescer.encode(original.slice(i, i + size));
    assert.deepEqual(meaning(decode(text)), meaning(original), `batches of ${size}`);
  }
});

test('event ids and retry are written when they change, so a reader sees the same ones', () => {
  const original = decode(`id: 7\nretry: 3000\n${chunk({ content: 'a' })}${chunk({ content: 'b' })}id: 8\n${chunk({ content: 'c' })}`);
  const coalesced = decode(new SseCoalescer().encode(original));
  assert.deepEqual(
    coalesced.map((e) => [e.id, e.retry, (JSON.parse(e.data) as { choices: Array<{ delta: { content: string } }> }).choices[0]!.delta.content]),
    [
      ['7', 3000, 'ab'],
      ['8', 3000, 'c'],
    ],
  );
});
