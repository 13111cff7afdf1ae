import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSse, SseDecoder, type SseEvent } from './sse.ts';

const encoder = new TextEncoder();

/** Feeds the bytes in the given piece sizes (cycled) and returns every event. */
function decodeInPieces(bytes: Uint8Array, sizes: number[]): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    events.push(...decoder.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...decoder.end());
  return events;
}

const STREAM = [
  ': keep-alive comment',
  'data: {"choices":[],"prompt_filter_results":[]}',
  '',
  'event: delta',
  'id: 7',
  'data: {"text":"Fièvre · 38,5 °C — 🙂"}',
  '',
  'data: line one',
  'data:line two',
  'data',
  '',
  'retry: 1500',
  'data: [DONE]',
  '',
  '',
].join('\r\n');

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"choices":[],"prompt_filter_results":[]}', id: undefined, retry: undefined },
  { event: 'delta', data: '{"text":"Fièvre · 38,5 °C — 🙂"}', id: '7', retry: undefined },
  { event: 'message', data: 'line one\nline two\n', id: '7', retry: undefined },
  { event: 'message', data: '[DONE]', id: '7', retry: 1500 },
];

test('decodes a whole stream: comments, named events, ids, multi-line data, retry, [DONE]', () => {
  assert.deepEqual(decodeInPieces(encoder.encode(STREAM), [1 << 20]), EXPECTED);
});

test('gives the same events byte by byte, splitting every UTF-8 character and every CRLF', () => {
  const bytes = encoder.encode(STREAM);
  assert.deepEqual(decodeInPieces(bytes, [1]), EXPECTED);
});

test('gives the same events for every split point and for ragged piece sizes', () => {
  const bytes = encoder.encode(STREAM);
  for (let split = 1; split < bytes.length; split++) {
    const decoder = new SseDecoder();
    const events = [...decoder.push(bytes.subarray(0, split)), ...decoder.push(bytes.subarray(split)), ...decoder.end()];
    assert.deepEqual(events, EXPECTED, `split at byte ${split}`);
  }
  assert.deepEqual(decodeInPieces(bytes, [2, 3, 5, 7, 11]), EXPECTED);
});

test('treats a lone CR and LF line endings alike, even when CR ends one piece and LF starts the next', () => {
  const lf = STREAM.replace(/\r\n/g, '\n');
  const cr = STREAM.replace(/\r\n/g, '\r');
  assert.deepEqual(decodeInPieces(encoder.encode(lf), [3]), EXPECTED);
  assert.deepEqual(decodeInPieces(encoder.encode(cr), [4]), EXPECTED);
  const decoder = new SseDecoder();
  const events = [...decoder.push(encoder.encode('data: a\r')), ...decoder.push(encoder.encode('\n\r')), ...decoder.push(encoder.encode('\ndata: b\n\n'))];
  assert.deepEqual(events.map((e) => e.data), ['a', 'b'], 'CR LF across pieces is one line break, not two');
});

test('a 4-byte character split across three pieces arrives whole', () => {
  const bytes = encoder.encode('data: 🙂\n\n');
  const decoder = new SseDecoder();
  const events = [...decoder.push(bytes.subarray(0, 7)), ...decoder.push(bytes.subarray(7, 8)), ...decoder.push(bytes.subarray(8)), ...decoder.end()];
  assert.deepEqual(events.map((e) => e.data), ['🙂']);
});

test('strips a leading byte-order mark and only one space after the colon', () => {
  const events = decodeInPieces(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('data:  two spaces\n\n')]), [1]);
  assert.deepEqual(events.map((e) => e.data), [' two spaces']);
});

test('a final event without its blank line is delivered; a cut-off last line is not', () => {
  assert.deepEqual(decodeInPieces(encoder.encode('data: done\n'), [4]).map((e) => e.data), ['done']);
  assert.deepEqual(decodeInPieces(encoder.encode('data: whole\n\ndata: {"cut'), [4]).map((e) => e.data), ['whole']);
  assert.deepEqual(decodeInPieces(encoder.encode('event: ping\n\n: only a comment\n\n'), [4]), [], 'events without data are not dispatched');
});

test('readSse reads a ReadableStream and cancels it when the reader stops early', async () => {
  let cancelled = false;
  const bytes = encoder.encode('data: 1\n\ndata: 2\n\ndata: 3\n\n');
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.subarray(i, i + 3));
    },
    cancel() {
      cancelled = true;
    },
  });
  const seen: string[] = [];
  for await (const event of readSse(stream)) {
    seen.push(event.data);
    if (event.data === '2') break;
  }
  assert.deepEqual(seen, ['1', '2']);
  assert.equal(cancelled, true);
});
