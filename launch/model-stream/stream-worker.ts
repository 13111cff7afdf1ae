/// <reference lib="webworker" />
/**
 * The worker that makes the model's requests. A streamed answer reaches the browser as thousands
 * of small network chunks; each one read on the main thread is a task of its own there, which
 * measured several times the cost of rendering the whole answer. Read here instead, they are
 * handed over together: at most one message per `flushMs` at first, then further apart as the
 * answer goes on (a third of the time it has streamed, up to 3 s), since every message wakes the
 * sidebar for a render that costs a few milliseconds whatever it adds. What the sidebar shows is
 * then never more than a quarter of the answer so far behind it, and a reader ten seconds into a
 * long answer is still reading its first paragraphs. An event stream (a
 * chat completion's SSE) is also decoded here and each batch's runs of text-only chunks are merged
 * (`SseCoalescer`), so the main thread parses a few dozen events instead of one per token.
 *
 * The same script runs as a shared worker (preferred: Chromium reports every network chunk a
 * dedicated worker reads to its page's main thread, one task each, and a shared worker's to no
 * page) and as a dedicated one. A shared worker serves each connected page on its own port.
 */
import { SseDecoder, type SseEvent } from '../../src/insight/sse.ts';
import { SseCoalescer } from '../../src/insight/sse-coalesce.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

/** One page's end of the conversation: the worker itself (dedicated) or a port (shared). */
interface Channel {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
}

/** The longest a long answer's text waits in the worker. */
const MAX_SPACING_MS = 3000;

function joined(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

async function run(request: Extract<ToWorker, { kind: 'fetch' }>, channel: Channel, running: Map<number, AbortController>): Promise<void> {
  const post = (message: FromWorker, transfer: Transferable[] = []): void => channel.postMessage(message, transfer);
  const { id, flushMs } = request;
  let firstByte: number | undefined;
  /** The least time between two messages now: flushMs, or a third of the time streamed so far, up to 3 s. */
  const spacing = (now: number): number => Math.max(flushMs, Math.min(MAX_SPACING_MS, (now - (firstByte ?? now)) / 3));
  const controller = new AbortController();
  running.set(id, controller);
  /** The bytes to hand over, or for an event stream the events. */
  let pending: Uint8Array[] = [];
  let size = 0;
  let events: SseEvent[] = [];
  let sse: { readonly decoder: SseDecoder; readonly coalescer: SseCoalescer; readonly encoder: TextEncoder } | undefined;
  let lastFlush = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** What has come since the last message, as one buffer; undefined when nothing has. */
  const take = (): Uint8Array | undefined => {
    if (sse) {
      if (events.length === 0) return undefined;
      const text = sse.coalescer.encode(events);
      events = [];
      return sse.encoder.encode(text);
    }
    if (size === 0) return undefined;
    const bytes = joined(pending, size);
    pending = [];
    size = 0;
    return bytes;
  };
  const flush = (): void => {
    timer = undefined;
    const bytes = take();
    if (!bytes) return;
    lastFlush = performance.now();
    post({ kind: 'chunk', id, bytes }, [bytes.buffer]);
  };
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers as Array<[string, string]>,
      ...(request.body === null ? {} : { body: request.body }),
      signal: controller.signal,
      // The same as a page's fetch: no cookies, no referrer to the model service.
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    post({ kind: 'head', id, status: response.status, statusText: response.statusText, headers: [...response.headers] });
    if (response.ok && /^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '')) {
      sse = { decoder: new SseDecoder(), coalescer: new SseCoalescer(), encoder: new TextEncoder() };
    }
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (sse) events.push(...sse.decoder.push(value));
        else {
          pending.push(value);
          size += value.byteLength;
        }
        // The first bytes after a quiet spell go at once (the first words show without delay);
        // what follows waits for the next message.
        const now = performance.now();
        firstByte ??= now;
        const wait = lastFlush + spacing(now) - now;
        if (wait <= 0) flush();
        else timer ??= setTimeout(flush, wait);
      }
    }
    if (timer !== undefined) clearTimeout(timer);
    // A last event whose lines were complete is handed on with its closing blank line.
    if (sse) events.push(...sse.decoder.end());
    flush();
    post({ kind: 'end', id });
  } catch (error) {
    if (timer !== undefined) clearTimeout(timer);
    post({ kind: 'error', id, name: controller.signal.aborted ? 'AbortError' : error instanceof Error ? error.name : 'Error' });
  } finally {
    running.delete(id);
  }
}

/** Answers one page's messages: requests run, aborts end them. */
function serve(channel: Channel): (message: ToWorker) => void {
  const running = new Map<number, AbortController>();
  return (message) => {
    if (message.kind === 'abort') running.get(message.id)?.abort();
    else void run(message, channel, running);
  };
}

const scope = self as unknown as (DedicatedWorkerGlobalScope | SharedWorkerGlobalScope) & typeof globalThis;
if ('onconnect' in scope) {
  scope.addEventListener('connect', (event) => {
    const port = (event as MessageEvent).ports[0]!;
    const handle = serve(port);
    port.addEventListener('message', (message: MessageEvent<ToWorker>) => handle(message.data));
    port.start();
    port.postMessage({ kind: 'ready' } satisfies FromWorker);
  });
} else {
  const worker = scope as DedicatedWorkerGlobalScope;
  const handle = serve(worker);
  worker.addEventListener('message', (message: MessageEvent<ToWorker>) => handle(message.data));
  worker.postMessage({ kind: 'ready' } satisfies FromWorker);
}
