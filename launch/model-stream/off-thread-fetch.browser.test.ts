/**
 * The model-stream worker in real Chromium, as a shared worker (the default) and as a dedicated
 * one: a slow streamed body (the test server's `/__stream`) read through the worker arrives
 * whole, in far fewer batches than network chunks, and never on the page's own timeline;
 * statuses, headers, aborts, network errors and a worker that cannot start behave as `fetch`
 * would. Two pages' requests through one shared worker stay apart, and a page that goes away
 * stops its requests.
 */
import { expect } from '@open-wc/testing';
import { SseDecoder, type SseEvent } from '../../src/insight/sse.ts';
import { createOffThreadFetch, WORKER_POLICY_NAME } from './off-thread-fetch.ts';

const WORKER_URL = new URL('./stream-worker.ts', import.meta.url).href;

async function readAll(response: Response): Promise<{ text: string; reads: number }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let reads = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    reads += 1;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), reads };
}

const expected = (n: number): string => Array.from({ length: n }, (_, i) => `chunk ${i}\n`).join('');

for (const kind of ['shared', 'dedicated'] as const) {
  describe(`off-thread fetch (model-stream worker, ${kind})`, () => {
    it('delivers a streamed body whole, batched at most once per flush interval, and off the page timeline', async () => {
      const offThread = createOffThreadFetch({ kind, workerUrl: WORKER_URL, flushMs: 100 });
      try {
        const started = performance.now();
        const response = await offThread(`/__stream?n=120&gap=4&kind=${kind}`);
        expect(offThread.mode()).to.equal('worker');
        expect(offThread.workerKind()).to.equal(kind);
        expect(response.status).to.equal(200);
        expect(response.headers.get('content-type')).to.equal('text/plain');
        const { text, reads } = await readAll(response);
        const elapsed = performance.now() - started;
        expect(text).to.equal(expected(120));
        // One batch per 100 ms of streaming at most (plus the first, sent at once, and the last); later ones wait longer.
        expect(reads).to.be.at.most(Math.ceil(elapsed / 100) + 2);
        expect(reads).to.be.below(40, `${reads} batches for 120 chunks`);
        expect(performance.getEntriesByType('resource').some((e) => e.name.includes(`kind=${kind}`))).to.equal(false, 'the worker made the request, not the page');
      } finally {
        offThread.close();
      }
    });

    it('hands a chat-completion event stream on with its text-only chunks merged: the same text, far fewer events', async () => {
      const offThread = createOffThreadFetch({ kind, workerUrl: WORKER_URL, flushMs: 20 });
      try {
        const response = await offThread('/__stream?sse=1&n=150&gap=2', { method: 'POST', body: '{}' });
        const decoder = new SseDecoder();
        const reader = response.body!.getReader();
        const events: SseEvent[] = [];
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          events.push(...decoder.push(value));
        }
        events.push(...decoder.end());
        expect(events.at(-1)?.data).to.equal('[DONE]');
        const text = events
          .slice(0, -1)
          .map((e) => (JSON.parse(e.data) as { choices: Array<{ delta: { content: string } }> }).choices[0]!.delta.content)
          .join('');
        expect(text).to.equal(Array.from({ length: 150 }, (_, i) => `t${i} `).join(''));
        expect(events.length).to.be.below(40, `${events.length} events for 150 chunks`);
      } finally {
        offThread.close();
      }
    });

    it('passes the status, the exposed headers and the body of an error answer through', async () => {
      const offThread = createOffThreadFetch({ kind, workerUrl: WORKER_URL });
      try {
        const response = await offThread('/__stream?status=429', { method: 'POST', body: '{"q":1}', headers: { 'content-type': 'application/json' } });
        expect(response.ok).to.equal(false);
        expect(response.status).to.equal(429);
        expect(response.headers.get('retry-after')).to.equal('7');
        expect(JSON.parse(await response.text())).to.deep.equal({ error: { code: 'busy' } });
      } finally {
        offThread.close();
      }
    });

    it('aborts mid-stream with an AbortError, and before the answer by rejecting', async () => {
      const offThread = createOffThreadFetch({ kind, workerUrl: WORKER_URL, flushMs: 10 });
      try {
        const controller = new AbortController();
        const response = await offThread('/__stream?n=200&gap=10', { signal: controller.signal });
        const reader = response.body!.getReader();
        await reader.read();
        controller.abort();
        let error: unknown;
        try {
          for (;;) if ((await reader.read()).done) break;
        } catch (e) {
          error = e;
        }
        expect((error as DOMException | undefined)?.name).to.equal('AbortError');

        const early = new AbortController();
        const pending = offThread('/__stream?n=5&gap=200', { signal: early.signal });
        early.abort();
        let rejected: unknown;
        await pending.catch((e: unknown) => (rejected = e));
        expect((rejected as DOMException | undefined)?.name).to.equal('AbortError');
      } finally {
        offThread.close();
      }
    });

    it('rejects with a TypeError that names no URL when the service cannot be reached', async () => {
      const offThread = createOffThreadFetch({ kind, workerUrl: WORKER_URL });
      try {
        let error: unknown;
        await offThread('http://127.0.0.1:9/v1/chat/completions?secret=1').catch((e: unknown) => (error = e));
        expect(error).to.be.instanceOf(TypeError);
        expect(String((error as Error).message)).not.to.contain('secret');
        expect(offThread.mode()).to.equal('worker');
      } finally {
        offThread.close();
      }
    });

    it('falls back to the page fetch when the worker script does not load, and loses no request', async () => {
      let fallbackCalls = 0;
      const offThread = createOffThreadFetch({
        workerUrl: '/no-such-worker.js',
        fallback: (input, init) => {
          fallbackCalls += 1;
          return fetch(input, init);
        },
      });
      const [a, b] = await Promise.all([offThread('/__stream?n=3&gap=1'), offThread('/__stream?n=2&gap=1')]);
      expect(offThread.mode()).to.equal('fallback');
      expect(fallbackCalls).to.equal(2);
      expect((await readAll(a)).text).to.equal(expected(3));
      expect((await readAll(b)).text).to.equal(expected(2));
    });

    it('falls back when Trusted Types refuse its policy, and never starts a worker from another origin', async () => {
      const original = Object.getOwnPropertyDescriptor(window, 'trustedTypes');
      const refused: string[] = [];
      Object.defineProperty(window, 'trustedTypes', {
        configurable: true,
        value: {
          createPolicy(name: string) {
            refused.push(name);
            throw new TypeError(`Policy ${name} disallowed.`);
          },
        },
      });
      try {
        const offThread = createOffThreadFetch({ kind, workerUrl: WORKER_URL });
        const { text } = await readAll(await offThread('/__stream?n=2&gap=1'));
        expect(text).to.equal(expected(2));
        expect(offThread.mode()).to.equal('fallback');
        expect(refused).to.deep.equal([WORKER_POLICY_NAME]);
      } finally {
        if (original) Object.defineProperty(window, 'trustedTypes', original);
        else delete (window as { trustedTypes?: unknown }).trustedTypes;
      }
      const foreign = createOffThreadFetch({ kind, workerUrl: 'http://localhost:9/stream-worker.js' });
      await readAll(await foreign('/__stream?n=1&gap=1'));
      expect(foreign.mode()).to.equal('fallback');
    });
  });
}

describe('off-thread fetch through one shared worker', () => {
  it("keeps two pages' requests apart though both number them from 1", async () => {
    const first = createOffThreadFetch({ workerUrl: WORKER_URL, flushMs: 10 });
    const second = createOffThreadFetch({ workerUrl: WORKER_URL, flushMs: 10 });
    try {
      const [a, b] = await Promise.all([first('/__stream?n=40&gap=2'), second('/__stream?n=25&gap=3')]);
      expect([first.workerKind(), second.workerKind()]).to.deep.equal(['shared', 'shared']);
      const [textA, textB] = await Promise.all([readAll(a), readAll(b)]);
      expect(textA.text).to.equal(expected(40));
      expect(textB.text).to.equal(expected(25));
    } finally {
      first.close();
      second.close();
    }
  });

  it('aborts every request of a page that goes away, and serves the next one', async () => {
    const offThread = createOffThreadFetch({ workerUrl: WORKER_URL, flushMs: 10 });
    try {
      const [a, b] = await Promise.all([offThread('/__stream?n=200&gap=10'), offThread('/__stream?n=200&gap=10')]);
      const readers = [a.body!.getReader(), b.body!.getReader()];
      await Promise.all(readers.map((reader) => reader.read()));
      // What the browser fires when the sidebar's page is closed or navigated away from.
      dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      const errors = await Promise.all(
        readers.map(async (reader) => {
          try {
            for (;;) if ((await reader.read()).done) return undefined;
          } catch (e) {
            return (e as DOMException).name;
          }
        }),
      );
      expect(errors).to.deep.equal(['AbortError', 'AbortError']);
      expect((await readAll(await offThread('/__stream?n=3&gap=1'))).text).to.equal(expected(3));
    } finally {
      offThread.close();
    }
  });
});
