/**
 * The OpenAI-compatible chat-completions client both remote providers use (Azure OpenAI v1,
 * Azure AI Foundry models, and on-premises servers that speak the same wire format).
 *
 * It sends the case with the strict `response_format`, streams the answer's text as progress,
 * and turns every way a request can fail into an `InsightError` the sidebar can explain:
 *
 *   HTTP 400 `content_filter`, or finish_reason `content_filter` → content-filter
 *   (after text was shown: a `retracted` progress first)
 *   401 → one credential refresh and one retry, then unauthorized;  403 → forbidden
 *   404 and other 4xx → configuration
 *   408 / 429 / 5xx / network → retried with backoff; then timeout / rate-limited / server / network
 *   overall deadline, or no bytes for the idle time → timeout;  the caller's signal → cancelled
 *   finish_reason `stop` with text that fails the schema, `length`, a refusal → invalid-output
 *
 * Nothing is retried once text has reached the clinician: a second answer would silently replace
 * the first. Error messages carry status codes and the service's error code, never the request,
 * the credentials or the model's text (that stays in `InsightError.raw`).
 */
import { buildMessages } from '../prompt.ts';
import { MODEL_OUTPUT_RESPONSE_FORMAT, parseModelOutput } from '../schema.ts';
import { SseDecoder } from '../sse.ts';
import type { InsightErrorKind, InsightProgress, InsightProvider, InsightRequest, ModelIdentity, ProviderResult } from '../types.ts';
import { InsightError } from '../types.ts';

/** Timers the client waits with; tests pass fakes. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds since the epoch, for `retry-after` dates and the deadline. */
  now(): number;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => Date.now(),
};

/** How a request is authorised. */
export interface ChatAuth {
  /** Headers for the next request (e.g. `authorization`). */
  headers(): Promise<Record<string, string>>;
  /** After a 401: fresh credentials' headers. Absent when there is nothing to refresh (a fixed key). */
  refresh?(): Promise<Record<string, string>>;
}

/** Options shared by every chat-completions provider. */
export interface ChatCompletionsOptions {
  /** Stream the answer (default true); false sends one request and waits for the whole answer. */
  readonly stream?: boolean;
  /** Sampling temperature (default 0); null leaves it out, for models that reject it (o-series, gpt-5). */
  readonly temperature?: number | null;
  /** Sent as `max_completion_tokens` when set. */
  readonly maxCompletionTokens?: number;
  /** Attempts for retryable failures, the first included (default 3). */
  readonly maxAttempts?: number;
  /** Deadline for the whole generation, retries included (default 60 000 ms). */
  readonly timeoutMs?: number;
  /** Longest silence allowed while the answer streams (default 20 000 ms); raise it for reasoning models. */
  readonly idleTimeoutMs?: number;
  /** Backoff before the n-th retry: about `initialMs · 2ⁿ⁻¹`, capped at `maxMs`, half of it jittered. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** Extra request headers, e.g. an API Management subscription key in front of the service. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
  readonly timers?: Timers;
  /** Waits between attempts; defaults to `timers`. Rejects when the signal aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** For jitter; defaults to Math.random. */
  readonly random?: () => number;
}

export interface ChatCompletionsConfig extends ChatCompletionsOptions {
  readonly id: string;
  readonly identity: ModelIdentity;
  /** Full URL of the chat-completions endpoint, query included. */
  readonly endpoint: string;
  readonly model: string;
  readonly auth: ChatAuth;
  /** Whether the service's own model id may stand in for `identity.version` (unset in config). */
  readonly versionFromResponse?: boolean;
}

const DEFAULTS = { maxAttempts: 3, timeoutMs: 60_000, idleTimeoutMs: 20_000, initialMs: 1_000, maxMs: 10_000 };

/**
 * Checks an endpoint URL: https, or http only on this machine (a local server or the sandbox);
 * no credentials in the URL. Throws a `configuration` error that does not repeat the URL.
 */
export function checkEndpoint(endpoint: string, what = 'model endpoint'): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InsightError('configuration', `The ${what} is not a valid URL.`);
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InsightError('configuration', `The ${what} must use https.`);
  }
  if (url.username || url.password) throw new InsightError('configuration', `The ${what} must not contain credentials.`);
  return url;
}

/** Keeps a service-supplied code only if it looks like a code (it goes into messages). */
function safeCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value) ? value : undefined;
}

/**
 * Parses `retry-after-ms`, then `retry-after` (seconds or an HTTP date). A browser can read them
 * only if the service or its gateway lists them in `Access-Control-Expose-Headers`; without them
 * the exponential backoff applies.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const after = headers.get('retry-after');
  if (after === null) return undefined;
  if (/^\s*\d+\s*$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The categories a content filter flagged, from either spelling of its result field. */
function filteredCategories(detail: unknown): string[] {
  const results: unknown[] = Array.isArray(detail) ? detail.map((d: unknown) => (d as { content_filter_results?: unknown })?.content_filter_results ?? d) : [detail];
  const names = new Set<string>();
  for (const result of results) {
    if (typeof result !== 'object' || result === null) continue;
    for (const [name, value] of Object.entries(result)) {
      const v = value as { filtered?: unknown; detected?: unknown };
      if ((v?.filtered === true || (v?.detected === true && v?.filtered !== false)) && /^[a-z_]{1,40}$/.test(name)) names.add(name.replace(/_/g, ' '));
    }
  }
  return [...names];
}

type Failure = {
  readonly ok: false;
  readonly error: InsightError;
  /** Worth another attempt (only honoured before any text was shown). */
  readonly retry: boolean;
  readonly retryAfterMs?: number;
  readonly unauthorized?: boolean;
};
type Outcome = { readonly ok: true; readonly result: ProviderResult } | Failure;

const failure = (kind: InsightErrorKind, message: string, extra: Partial<Omit<Failure, 'ok' | 'error'>> & { raw?: string; cause?: unknown } = {}): Failure => {
  const { raw, cause, ...rest } = extra;
  return { ok: false, error: new InsightError(kind, message, { raw, cause }), retry: false, ...rest };
};

interface ChoiceLike {
  index?: number;
  delta?: { content?: unknown; refusal?: unknown } | null;
  message?: { content?: unknown; refusal?: unknown } | null;
  finish_reason?: unknown;
}
interface CompletionLike {
  choices?: ChoiceLike[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  model?: unknown;
  error?: { code?: unknown } | null;
}

function usageOf(value: CompletionLike['usage']): ProviderResult['usage'] {
  if (!value) return undefined;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = value;
  return typeof promptTokens === 'number' && typeof completionTokens === 'number' ? { promptTokens, completionTokens } : undefined;
}

function firstChoice(chunk: CompletionLike): ChoiceLike | undefined {
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  return choices.find((c) => c?.index === 0) ?? choices[0];
}

/** One `generate` call: its signals, deadline and whether the clinician has seen text yet. */
class Generation {
  readonly #config: ChatCompletionsConfig;
  readonly #request: InsightRequest;
  readonly #onProgress: (progress: InsightProgress) => void;
  readonly #timers: Timers;
  readonly #fetch: typeof fetch;
  readonly #master = new AbortController();
  #stop: 'cancelled' | 'timeout' | undefined;
  #started = 0;
  #textShown = false;

  constructor(config: ChatCompletionsConfig, request: InsightRequest, onProgress?: (progress: InsightProgress) => void) {
    this.#config = config;
    this.#request = request;
    this.#onProgress = (progress) => {
      try {
        onProgress?.(progress);
      } catch {
        // A failing progress listener must not fail the generation.
      }
    };
    this.#timers = config.timers ?? realTimers;
    this.#fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  get #timeoutMs(): number {
    return this.#config.timeoutMs ?? DEFAULTS.timeoutMs;
  }

  async run(signal: AbortSignal | undefined): Promise<ProviderResult> {
    if (signal?.aborted) throw new InsightError('cancelled', 'The request was cancelled.');
    this.#started = this.#timers.now();
    const onAbort = (): void => this.#abort('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = this.#timers.setTimeout(() => this.#abort('timeout'), this.#timeoutMs);
    try {
      return await this.#attempts();
    } catch (error) {
      if (this.#stop === 'cancelled') throw new InsightError('cancelled', 'The request was cancelled.', { cause: error });
      if (this.#stop === 'timeout') throw new InsightError('timeout', `The model did not answer within ${Math.round(this.#timeoutMs / 1000)} s.`, { cause: error });
      throw error;
    } finally {
      this.#timers.clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #abort(reason: 'cancelled' | 'timeout'): void {
    this.#stop ??= reason;
    this.#master.abort();
  }

  /** Throws if the generation was cancelled or ran out of time, so `run` can name why. */
  #checkStopped(): void {
    if (this.#master.signal.aborted) throw new Error('stopped');
  }

  async #attempts(): Promise<ProviderResult> {
    const maxAttempts = Math.max(1, this.#config.maxAttempts ?? DEFAULTS.maxAttempts);
    let headers = await this.#credentials(() => this.#config.auth.headers());
    let refreshed = false;
    for (let attempt = 1; ; ) {
      this.#checkStopped();
      const outcome = await this.#attempt(headers);
      if (outcome.ok) return outcome.result;
      this.#checkStopped();
      const refresh = this.#config.auth.refresh;
      if (outcome.unauthorized && !refreshed && refresh) {
        // A token can expire between acquisition and use; one fresh token gets one more try.
        refreshed = true;
        headers = await this.#credentials(() => refresh.call(this.#config.auth));
        continue;
      }
      if (!outcome.retry || this.#textShown || attempt >= maxAttempts) throw outcome.error;
      const wait = outcome.retryAfterMs ?? this.#backoff(attempt);
      const remaining = this.#timeoutMs - (this.#timers.now() - this.#started);
      if (wait >= remaining) throw outcome.error;
      this.#onProgress({ kind: 'status', message: `${outcome.error.message} Trying again in ${Math.max(1, Math.round(wait / 1000))} s.` });
      await this.#sleep(wait);
      attempt++;
    }
  }

  /** Settles with `promise`, or rejects as soon as the generation is cancelled or times out. */
  #untilStopped<T>(promise: Promise<T>): Promise<T> {
    const signal = this.#master.signal;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(new Error('stopped'));
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  async #credentials(get: () => Promise<Record<string, string>>): Promise<Record<string, string>> {
    try {
      // A token source can wait on the network; the deadline and the caller's signal still apply.
      return await this.#untilStopped(get());
    } catch (error) {
      this.#checkStopped();
      if (error instanceof InsightError) throw error;
      throw new InsightError('unauthorized', 'Could not obtain credentials for the model service.', { cause: error });
    }
  }

  #backoff(attempt: number): number {
    const initial = this.#config.backoff?.initialMs ?? DEFAULTS.initialMs;
    const max = this.#config.backoff?.maxMs ?? DEFAULTS.maxMs;
    const ceiling = Math.min(max, initial * 2 ** (attempt - 1));
    const random = this.#config.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#master.signal;
    if (this.#config.sleep) return this.#untilStopped(this.#config.sleep(ms, signal));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#timers.clearTimeout(handle);
        reject(new Error('stopped'));
      };
      const handle = this.#timers.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #body(): string {
    const { model, stream = true, temperature = 0, maxCompletionTokens } = this.#config;
    return JSON.stringify({
      model,
      messages: buildMessages(this.#request),
      response_format: MODEL_OUTPUT_RESPONSE_FORMAT,
      ...(temperature === null ? {} : { temperature }),
      ...(maxCompletionTokens === undefined ? {} : { max_completion_tokens: maxCompletionTokens }),
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
    });
  }

  async #attempt(auth: Record<string, string>): Promise<Outcome> {
    const stream = this.#config.stream ?? true;
    const controller = new AbortController();
    const stopAttempt = (): void => controller.abort();
    this.#master.signal.addEventListener('abort', stopAttempt, { once: true });
    try {
      let response: Response;
      try {
        response = await this.#fetch(this.#config.endpoint, {
          method: 'POST',
          headers: { ...this.#config.headers, ...auth, 'content-type': 'application/json', accept: stream ? 'text/event-stream' : 'application/json' },
          body: this.#body(),
          signal: controller.signal,
        });
      } catch (cause) {
        this.#checkStopped();
        return failure('network', 'Could not reach the model service.', { retry: true, cause });
      }
      if (!response.ok) return await this.#httpFailure(response);
      return stream ? await this.#readStream(response, controller) : await this.#readWhole(response);
    } finally {
      this.#master.signal.removeEventListener('abort', stopAttempt);
      controller.abort();
    }
  }

  /** Reads a body as text, giving up when the generation stops (not every fetch honours the signal mid-body). */
  #text(response: Response): Promise<string> {
    return this.#untilStopped(response.text());
  }

  async #httpFailure(response: Response): Promise<Failure> {
    const status = response.status;
    let body: { error?: { code?: unknown; innererror?: { code?: unknown; content_filter_result?: unknown; content_filter_results?: unknown } } } = {};
    try {
      body = JSON.parse(await this.#text(response)) as typeof body;
    } catch {
      this.#checkStopped();
    }
    const code = safeCode(body?.error?.code);
    const inner = body?.error?.innererror;
    if (code === 'content_filter' || inner?.code === 'ResponsibleAIPolicyViolation') {
      const categories = filteredCategories(inner?.content_filter_result ?? inner?.content_filter_results);
      return failure('content-filter', `The model service's content filter blocked this request${categories.length ? ` (${categories.join(', ')})` : ''}.`);
    }
    const detail = `HTTP ${status}${code && code !== String(status) ? `, ${code}` : ''}`;
    const retryAfter = retryAfterMs(response.headers, this.#timers.now());
    if (status === 401) return failure('unauthorized', `The model service did not accept the credentials (${detail}).`, { unauthorized: true });
    if (status === 403) return failure('forbidden', `You are not permitted to use this model (${detail}); an administrator must grant access.`);
    if (status === 408) return failure('timeout', `The model service timed out (${detail}).`, { retry: true, retryAfterMs: retryAfter });
    if (status === 429) return failure('rate-limited', `The model service is busy (${detail}).`, { retry: true, retryAfterMs: retryAfter });
    if (status >= 500) return failure('server', `The model service failed (${detail}).`, { retry: true, retryAfterMs: retryAfter });
    if (status === 404) return failure('configuration', `The model endpoint or deployment was not found (${detail}); check the endpoint URL and model name.`);
    return failure('configuration', `The model service rejected the request (${detail}).`);
  }

  #identity(served: unknown): ModelIdentity {
    const identity = this.#config.identity;
    return this.#config.versionFromResponse && typeof served === 'string' && served !== '' ? { ...identity, version: served } : identity;
  }

  /** Turns the finished answer into a result or the failure its finish reason means. */
  #finish(raw: string, finishReason: unknown, refusal: string, served: unknown, usage: ProviderResult['usage']): Outcome {
    if (finishReason === 'content_filter') {
      if (this.#textShown) this.#onProgress({ kind: 'retracted', reason: "The model service's content filter withdrew the answer." });
      return failure('content-filter', "The model service's content filter withheld the answer.");
    }
    if (refusal !== '') return failure('invalid-output', 'The model declined to answer.', { raw: refusal });
    if (finishReason === 'length') return failure('invalid-output', 'The answer was cut off at the output token limit.', { raw });
    if (finishReason !== 'stop') {
      const why = safeCode(finishReason);
      return finishReason === undefined || finishReason === null
        ? failure('network', 'The answer stopped before the model finished.', { retry: true, raw })
        : failure('invalid-output', `The model stopped for an unexpected reason${why ? ` (${why})` : ''}.`, { raw });
    }
    const parsed = parseModelOutput(raw);
    if (!parsed.ok) return failure('invalid-output', `The model's answer does not match the expected format: ${parsed.error}`, { raw });
    return { ok: true, result: { output: parsed.output, raw, model: this.#identity(served), ...(usage ? { usage } : {}) } };
  }

  async #readWhole(response: Response): Promise<Outcome> {
    let completion: CompletionLike;
    try {
      completion = JSON.parse(await this.#text(response)) as CompletionLike;
    } catch (cause) {
      this.#checkStopped();
      return failure('server', 'The model service sent an unreadable response.', { retry: true, cause });
    }
    const choice = firstChoice(completion ?? {});
    if (!choice) return failure('server', 'The model service sent no answer.', { retry: true });
    const content = typeof choice.message?.content === 'string' ? choice.message.content : '';
    const refusal = typeof choice.message?.refusal === 'string' ? choice.message.refusal : '';
    return this.#finish(content, choice.finish_reason, refusal, completion.model, usageOf(completion.usage));
  }

  async #readStream(response: Response, controller: AbortController): Promise<Outcome> {
    if (!response.body) return failure('server', 'The model service sent an empty response.', { retry: true });
    const reader = response.body.getReader();
    const decoder = new SseDecoder();
    const idleMs = this.#config.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
    let idle = false;
    let raw = '';
    let refusal = '';
    let finishReason: unknown;
    let served: unknown;
    let usage: ProviderResult['usage'];
    let done = false;

    const handle = (data: string): Failure | undefined => {
      if (data === '[DONE]') {
        done = true;
        return undefined;
      }
      let chunk: CompletionLike;
      try {
        chunk = JSON.parse(data) as CompletionLike;
      } catch (cause) {
        return failure('server', 'The model service sent an unreadable stream event.', { retry: true, cause });
      }
      if (chunk?.error) {
        const code = safeCode(chunk.error.code);
        return failure('server', `The model service failed while answering${code ? ` (${code})` : ''}.`, { retry: true });
      }
      if (typeof chunk.model === 'string' && chunk.model !== '') served = chunk.model;
      usage = usageOf(chunk.usage) ?? usage;
      // Azure's first chunk (prompt_filter_results) and the usage chunk have no choices.
      const choice = firstChoice(chunk);
      if (!choice) return undefined;
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string' && delta.content !== '') {
        raw += delta.content;
        this.#textShown = true;
        this.#onProgress({ kind: 'text', delta: delta.content });
      }
      if (typeof delta.refusal === 'string') refusal += delta.refusal;
      // Trailing annotation chunks carry finish_reason null; they must not erase the real one.
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) finishReason = choice.finish_reason;
      return undefined;
    };

    const read = (): Promise<ReadableStreamReadResult<Uint8Array>> =>
      new Promise((resolve, reject) => {
        const timer = this.#timers.setTimeout(() => {
          idle = true;
          controller.abort();
        }, idleMs);
        const onAbort = (): void => {
          this.#timers.clearTimeout(timer);
          reject(new Error('stopped'));
        };
        if (controller.signal.aborted) return onAbort();
        controller.signal.addEventListener('abort', onAbort, { once: true });
        reader.read().then(resolve, reject).finally(() => {
          this.#timers.clearTimeout(timer);
          controller.signal.removeEventListener('abort', onAbort);
        });
      });

    try {
      while (!done) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await read();
        } catch (cause) {
          this.#checkStopped();
          if (idle) return failure('timeout', `The model stopped sending for ${Math.round(idleMs / 1000)} s.`, { raw, cause });
          return failure('network', 'The connection to the model service was lost.', { retry: true, raw, cause });
        }
        const events = chunk.done ? decoder.end() : decoder.push(chunk.value);
        for (const event of events) {
          const problem = handle(event.data);
          if (problem) return problem;
          if (done) break;
        }
        if (chunk.done) break;
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
    return this.#finish(raw, finishReason, refusal, served, usage);
  }
}

/** An `InsightProvider` over an OpenAI-compatible chat-completions endpoint. */
export function createChatCompletionsProvider(config: ChatCompletionsConfig): InsightProvider {
  checkEndpoint(config.endpoint);
  if (!config.model.trim()) throw new InsightError('configuration', 'The model (deployment) name is missing.');
  return {
    id: config.id,
    identity: config.identity,
    generate: (request, options) => new Generation(config, request, options.onProgress).run(options.signal),
  };
}
