/**
 * A `fetch` for the model providers whose network work happens in a worker (`stream-worker.ts`):
 * the answer's bytes arrive on the main thread in a few batches (at most one per `flushMs`)
 * instead of one task per network chunk. The providers are unchanged: they get a real `Response`
 * whose body is fed by the worker.
 *
 * A shared worker is used where the browser has them: Chromium tells a dedicated worker's page
 * of every network chunk the worker reads, one main-thread task each (about 60 ms over a
 * 4,000-token answer, measured), and a shared worker's to no page. Where there are none, a
 * dedicated worker does the same work. A page that goes away aborts its requests, so a shared
 * worker serving other pages does not read an answer no one will see.
 *
 * Where the worker cannot run — no Worker, a Trusted Types policy the page's CSP does not allow,
 * a worker script that fails to load or does not start in time — every request goes through
 * the ordinary `fetch` instead, so a model request never fails for want of the worker. A request
 * already handed to a worker that then dies fails as a network error (which the provider may retry).
 */
import type { FromWorker, ToWorker } from './protocol.ts';

/** The Trusted Types policy that vouches for the worker's own script URL, and nothing else. */
export const WORKER_POLICY_NAME = 'curbside-worker';

export interface OffThreadFetchOptions {
  /** The built worker script (same origin as the page). */
  readonly workerUrl: string;
  /** Least time between two batches of one response (default 50 ms, about a render interval). */
  readonly flushMs?: number;
  /** How long the worker may take to start before requests go through `fallback` (default 5 s). */
  readonly startTimeoutMs?: number;
  /** The fetch used where the worker can't run (default: the page's). */
  readonly fallback?: typeof fetch;
  /** Which worker to start: a shared one where the browser has them (default), else a dedicated one. */
  readonly kind?: WorkerKind;
}

export type WorkerKind = 'shared' | 'dedicated';

/** What an off-thread fetch did, for tests and the bench. */
export interface OffThreadFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** 'worker' once it has started, 'fallback' once it could not, 'idle' before the first request. */
  readonly mode: () => 'idle' | 'starting' | 'worker' | 'fallback';
  /** The kind of worker serving requests, once one runs. */
  readonly workerKind: () => WorkerKind | undefined;
  /** Stops the worker; later requests use the fallback. */
  close(): void;
}

interface InFlight {
  readonly resolve: (response: Response) => void;
  readonly reject: (error: unknown) => void;
  body?: ReadableStreamDefaultController<Uint8Array>;
  readonly detach: () => void;
}

type TrustedTypesFactory = { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown } };

/** Statuses a Response may not have a body with. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function abortError(signal: AbortSignal | null | undefined): unknown {
  return signal?.reason ?? new DOMException('The request was aborted.', 'AbortError');
}

/** The worker's script URL as the page's Trusted Types require it, or undefined when refused. */
function scriptUrl(workerUrl: string): unknown {
  const expected = new URL(workerUrl, location.href);
  if (expected.origin !== location.origin) return undefined;
  const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!factory) return expected.href;
  try {
    const policy = factory.createPolicy(WORKER_POLICY_NAME, {
      createScriptURL: (url) => {
        if (new URL(url, location.href).href !== expected.href) throw new TypeError('Curbside starts no worker but its own.');
        return url;
      },
    });
    return policy.createScriptURL(expected.href);
  } catch {
    return undefined;
  }
}

export function createOffThreadFetch(options: OffThreadFetchOptions): OffThreadFetch {
  const flushMs = options.flushMs ?? 50;
  const fallback = options.fallback ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const kind: WorkerKind = options.kind ?? (typeof SharedWorker === 'function' ? 'shared' : 'dedicated');
  let state: 'idle' | 'starting' | 'worker' | 'fallback' = 'idle';
  /** Where requests are posted: the dedicated worker, or the shared worker's port. */
  let channel: { postMessage(message: ToWorker): void } | undefined;
  /** Ends this page's use of the worker: terminates a dedicated one, closes a shared one's port. */
  let detachWorker = (): void => undefined;
  let nextId = 1;
  const inFlight = new Map<number, InFlight>();
  /** Settles true once the worker runs, false once it can't: requests made meanwhile wait for it. */
  let started: Promise<boolean> | undefined;
  let settleStart: (ready: boolean) => void = () => undefined;

  /** A request is over: its body ends, or it fails with `error` (its body errors, or its fetch rejects). */
  const finish = (id: number, request: InFlight, error?: unknown): void => {
    inFlight.delete(id);
    request.detach();
    if (error === undefined) request.body?.close();
    else if (request.body) request.body.error(error);
    else request.reject(error);
  };

  /** The page gives a request up: the worker stops reading it (a shared one outlives the page's use of it), and it fails with `error`. */
  const abandon = (id: number, request: InFlight, error: unknown): void => {
    channel?.postMessage({ kind: 'abort', id });
    finish(id, request, error);
  };

  const giveUp = (): void => {
    const wasRunning = state === 'worker';
    state = 'fallback';
    // Requests already in the worker may have reached the service: they fail, they are not re-sent here.
    for (const [id, request] of inFlight) abandon(id, request, new TypeError(wasRunning ? 'The model request was interrupted.' : 'The model request could not be sent.'));
    detachWorker();
    channel = undefined;
    settleStart(false);
  };

  const onMessage = (event: MessageEvent<FromWorker>): void => {
    const message = event.data;
    if (message.kind === 'ready') {
      if (state !== 'starting') return;
      state = 'worker';
      settleStart(true);
      return;
    }
    const request = inFlight.get(message.id);
    if (!request) return;
    switch (message.kind) {
      case 'head': {
        if (message.status < 200 || message.status > 599) return finish(message.id, request, new TypeError('The model service sent an unusable response.'));
        const body = NULL_BODY.has(message.status)
          ? null
          : new ReadableStream<Uint8Array>({
              start: (controller) => {
                request.body = controller;
              },
              cancel: () => {
                inFlight.delete(message.id);
                request.detach();
                channel?.postMessage({ kind: 'abort', id: message.id });
              },
            });
        request.resolve(new Response(body, { status: message.status, statusText: message.statusText, headers: message.headers as Array<[string, string]> }));
        return;
      }
      case 'chunk':
        request.body?.enqueue(message.bytes);
        return;
      case 'end':
        return finish(message.id, request);
      case 'error':
        return finish(message.id, request, message.name === 'AbortError' ? new DOMException('The request was aborted.', 'AbortError') : new TypeError('Failed to fetch'));
    }
  };

  const start = (): void => {
    state = 'starting';
    started = new Promise<boolean>((resolve) => (settleStart = resolve));
    const url = typeof (kind === 'shared' ? globalThis.SharedWorker : globalThis.Worker) === 'function' ? scriptUrl(options.workerUrl) : undefined;
    if (url === undefined) return giveUp();
    const workerOptions: WorkerOptions = { type: 'module', name: 'curbside-model-stream' };
    let target: Worker | SharedWorker;
    try {
      if (kind === 'shared') {
        const shared = new SharedWorker(url as string, workerOptions);
        const port = shared.port;
        port.addEventListener('message', onMessage);
        port.start();
        channel = port;
        target = shared;
        detachWorker = () => port.close();
      } else {
        const worker = new Worker(url as string, workerOptions);
        worker.addEventListener('message', onMessage);
        channel = worker;
        target = worker;
        detachWorker = () => worker.terminate();
      }
    } catch {
      return giveUp();
    }
    // A script that fails to load, or (dedicated) throws, ends the worker: from then on the fallback serves.
    target.addEventListener('error', (event) => {
      event.preventDefault();
      giveUp();
    });
    // A sidebar closed mid-answer: the shared worker stops reading it (other pages may keep the worker alive).
    addEventListener('pagehide', () => {
      for (const [id, request] of inFlight) abandon(id, request, new DOMException('The page was closed.', 'AbortError'));
    });
    setTimeout(() => {
      if (state === 'starting') giveUp();
    }, options.startTimeoutMs ?? 5000);
  };

  const viaWorker = (url: string, init: RequestInit | undefined): Promise<Response> => {
    const signal = init?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const id = nextId++;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = (): void => {
        const request = inFlight.get(id);
        if (request) abandon(id, request, abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      inFlight.set(id, { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) });
      const message: ToWorker = {
        kind: 'fetch',
        id,
        url,
        method: (init?.method ?? 'GET').toUpperCase(),
        headers: [...new Headers(init?.headers)],
        body: typeof init?.body === 'string' ? init.body : null,
        flushMs,
      };
      channel!.postMessage(message);
    });
  };

  const offThreadFetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // Only what the model providers send: a URL and a text body (or none).
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
    const plain = url !== undefined && (init?.body === undefined || init.body === null || typeof init.body === 'string');
    if (!plain) return fallback(input, init);
    if (state === 'idle') start();
    if (state === 'starting') await started;
    if (state !== 'worker') return fallback(input, init);
    return viaWorker(new URL(url, location.href).href, init);
  }) as OffThreadFetch;

  Object.defineProperty(offThreadFetch, 'mode', { value: () => state });
  Object.defineProperty(offThreadFetch, 'workerKind', { value: () => (state === 'worker' ? kind : undefined) });
  Object.defineProperty(offThreadFetch, 'close', { value: () => giveUp() });
  return offThreadFetch;
}
