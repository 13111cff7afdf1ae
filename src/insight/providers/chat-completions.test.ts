/**
 * The chat-completions client against msw doubles that speak Azure's wire format
 * (test/msw/azure.ts): success, streaming, every failure the service produces, retries with
 * injected waits (so a 1.5 s retry-after costs nothing), timeouts and cancellation.
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createAzureFoundryProvider, type TokenSource } from './azure-foundry.ts';
import { retryAfterMs, type ChatCompletionsOptions, type Timers } from './chat-completions.ts';
import { groundInsight } from '../ground.ts';
import { InsightError, type InsightProgress, type InsightRequest, type ProviderResult } from '../types.ts';
import {
  AZURE_V1_ENDPOINT,
  azureChat,
  forbidden,
  promptFiltered,
  rateLimited,
  serverError,
  SERVED_MODEL,
  unauthorized,
  type AzureReply,
} from '../../../test/msw/azure.ts';
import { CASE, PREPARED, wireOutput, WIRE_OUTPUT_TEXT } from '../../../test/msw/insight-fixtures.ts';

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const REQUEST: InsightRequest = { task: { kind: 'differential' }, case: CASE };

/** A token source that counts its calls and hands out token-1, then token-2 after a refresh. */
function fakeTokens(): TokenSource & { gets: number; refreshes: number } {
  let current = 'token-1';
  const source = {
    gets: 0,
    refreshes: 0,
    getToken: async () => {
      source.gets++;
      return current;
    },
    refresh: async () => {
      source.refreshes++;
      current = `token-${source.refreshes + 1}`;
      return current;
    },
  };
  return source;
}

interface Harness {
  requests: ReturnType<typeof azureChat>['requests'];
  waits: number[];
  progress: InsightProgress[];
  tokens: ReturnType<typeof fakeTokens>;
  generate(signal?: AbortSignal): Promise<ProviderResult>;
}

function harness(replies: AzureReply[], options: ChatCompletionsOptions = {}): Harness {
  const { handler, requests } = azureChat(AZURE_V1_ENDPOINT, replies);
  server.use(handler);
  const waits: number[] = [];
  const progress: InsightProgress[] = [];
  const tokens = fakeTokens();
  const provider = createAzureFoundryProvider({
    endpoint: AZURE_V1_ENDPOINT,
    model: 'curbside-gpt',
    tokenSource: tokens,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return {
    requests,
    waits,
    progress,
    tokens,
    generate: (signal) => provider.generate(REQUEST, { ...(signal ? { signal } : {}), onProgress: (p) => progress.push(p) }),
  };
}

async function failure(promise: Promise<unknown>): Promise<InsightError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InsightError, `expected an InsightError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the generation to fail');
}

const texts = (progress: InsightProgress[]): string => progress.flatMap((p) => (p.kind === 'text' ? [p.delta] : [])).join('');

test('non-streamed success: parsed output, usage and the served model version', async () => {
  const h = harness([{ kind: 'completion', content: WIRE_OUTPUT_TEXT }], { stream: false });
  const result = await h.generate();
  assert.equal(result.output.differential[0]!.condition, 'Type 2 diabetes mellitus');
  assert.equal(result.raw, WIRE_OUTPUT_TEXT);
  assert.deepEqual(result.usage, { promptTokens: 812, completionTokens: 240 });
  assert.deepEqual(result.model, { provider: 'azure-foundry', name: 'curbside-gpt', version: SERVED_MODEL, builtIn: false });
  const body = h.requests[0]!.body;
  assert.equal(body.stream, false);
  assert.equal('stream_options' in body, false);
  assert.equal(h.requests[0]!.headers.accept, 'application/json');
  assert.deepEqual(h.progress, []);
});

test('streamed success: realistic chunks cut across lines and characters, text progress, usage, [DONE]', async () => {
  const h = harness([{ kind: 'stream', content: WIRE_OUTPUT_TEXT, deltaSize: 9, byteChunk: 29 }]);
  const result = await h.generate();
  assert.equal(texts(h.progress), WIRE_OUTPUT_TEXT, 'every delta reached the clinician, in order');
  assert.ok(h.progress.filter((p) => p.kind === 'text').length > 50);
  assert.equal(result.raw, WIRE_OUTPUT_TEXT);
  assert.equal(result.output.differential.length, 2);
  assert.deepEqual(result.usage, { promptTokens: 812, completionTokens: Math.ceil(WIRE_OUTPUT_TEXT.length / 4) });
  const body = h.requests[0]!.body;
  assert.equal(body.model, 'curbside-gpt');
  assert.equal(body.stream, true);
  assert.deepEqual(body.stream_options, { include_usage: true });
  assert.equal(body.temperature, 0);
  const format = body.response_format as { type: string; json_schema: { strict: boolean; name: string; schema: object } };
  assert.equal(format.type, 'json_schema');
  assert.equal(format.json_schema.strict, true);
  assert.deepEqual((body.messages as Array<{ role: string }>).map((m) => m.role), ['system', 'user']);
  assert.equal(h.requests[0]!.headers.accept, 'text/event-stream');
});

test('401, then success after one refresh: the retry carries the new token', async () => {
  const h = harness([unauthorized, { kind: 'stream', content: WIRE_OUTPUT_TEXT }]);
  await h.generate();
  assert.equal(h.tokens.refreshes, 1);
  assert.equal(h.requests.length, 2);
  assert.equal(h.requests[0]!.headers.authorization, 'Bearer token-1');
  assert.equal(h.requests[1]!.headers.authorization, 'Bearer token-2');
  assert.deepEqual(h.waits, [], 'no backoff before the refreshed retry');
});

test('401 after the refresh too → unauthorized, refreshed only once', async () => {
  const h = harness([unauthorized, unauthorized, unauthorized]);
  const error = await failure(h.generate());
  assert.equal(error.kind, 'unauthorized');
  assert.equal(error.retryable, false);
  assert.equal(h.tokens.refreshes, 1);
  assert.equal(h.requests.length, 2);
  assert.doesNotMatch(error.message, /token-\d|Bearer/);
});

test('429 with retry-after-ms: waits exactly that long, then succeeds', async () => {
  const h = harness([rateLimited(1500), { kind: 'stream', content: WIRE_OUTPUT_TEXT }]);
  await h.generate();
  assert.deepEqual(h.waits, [1500], 'retry-after-ms wins over retry-after (2 s) and the backoff');
  assert.equal(h.requests.length, 2);
  const status = h.progress.find((p) => p.kind === 'status');
  assert.ok(status && status.kind === 'status' && /busy.*Trying again in 2 s/.test(status.message));
});

test('without an injected sleep, the wait runs on the injected timers and clock', async () => {
  let clock = 1_000_000;
  const scheduled: number[] = [];
  // A virtual clock: short waits elapse at once; the 20 s idle and 60 s deadline timers never fire.
  const timers: Timers = {
    setTimeout: (callback, ms) => {
      scheduled.push(ms);
      if (ms < 10_000) queueMicrotask(() => ((clock += ms), callback()));
      return scheduled.length;
    },
    clearTimeout: () => undefined,
    now: () => clock,
  };
  const h = harness([rateLimited(1500), { kind: 'completion', content: WIRE_OUTPUT_TEXT }], { stream: false, sleep: undefined, timers });
  await h.generate();
  assert.ok(scheduled.includes(1500), `scheduled ${scheduled.join(', ')}`);
  assert.ok(scheduled.includes(60_000), 'the overall deadline');
  assert.equal(clock, 1_001_500);
  assert.equal(h.requests.length, 2);
});

test('retry-after in seconds or as an HTTP date when retry-after-ms is absent', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  assert.equal(retryAfterMs(new Headers({ 'retry-after': '3' }), now), 3000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 12:00:05 GMT' }), now), 5000);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }), now), 0);
  assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '3' }), now), 250);
  assert.equal(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now), undefined);
  assert.equal(retryAfterMs(new Headers(), now), undefined);
});

test('a retry-after longer than the time left ends the request as rate-limited at once', async () => {
  const h = harness([rateLimited(90_000), { kind: 'stream', content: WIRE_OUTPUT_TEXT }]);
  const error = await failure(h.generate());
  assert.equal(error.kind, 'rate-limited');
  assert.equal(error.retryable, true);
  assert.deepEqual(h.waits, []);
  assert.equal(h.requests.length, 1);
});

test('500, then success after an exponential backoff with jitter', async () => {
  const h = harness([serverError(500), serverError(503), { kind: 'completion', content: WIRE_OUTPUT_TEXT }], { stream: false, backoff: { initialMs: 1000 } });
  await h.generate();
  // random() = 0.5: half the ceiling plus half of the other half.
  assert.deepEqual(h.waits, [750, 1500]);
  assert.equal(h.requests.length, 3);
});

test('persistent 500 → server error after the maximum attempts', async () => {
  const h = harness([serverError(500)], { maxAttempts: 4 });
  const error = await failure(h.generate());
  assert.equal(error.kind, 'server');
  assert.equal(error.retryable, true);
  assert.match(error.message, /HTTP 500/);
  assert.equal(h.requests.length, 4);
  assert.equal(h.waits.length, 3);
});

test('network failures are retried, then reported as network', async () => {
  let calls = 0;
  server.use(
    http.post(AZURE_V1_ENDPOINT, () => {
      calls++;
      return HttpResponse.error();
    }),
  );
  const waits: number[] = [];
  const provider = createAzureFoundryProvider({ endpoint: AZURE_V1_ENDPOINT, model: 'm', tokenSource: fakeTokens(), sleep: async (ms) => void waits.push(ms) });
  const error = await failure(provider.generate(REQUEST, {}));
  assert.equal(error.kind, 'network');
  assert.equal(calls, 3);
  assert.equal(waits.length, 2);
});

test('a stream that stalls → timeout after the idle time, and the request is aborted', async () => {
  const h = harness([{ kind: 'stream', content: WIRE_OUTPUT_TEXT, stallAfter: 4 }], { idleTimeoutMs: 40 });
  const started = Date.now();
  const error = await failure(h.generate());
  assert.equal(error.kind, 'timeout');
  assert.equal(error.retryable, true);
  assert.ok(Date.now() - started < 2000);
  assert.equal(h.requests.length, 1, 'text was shown, so no retry');
  assert.equal(h.requests[0]!.signal.aborted, true);
});

test('the overall deadline ends a slow generation as a timeout', async () => {
  const h = harness([{ kind: 'stream', content: WIRE_OUTPUT_TEXT, stallAfter: 1 }], { timeoutMs: 60, idleTimeoutMs: 10_000 });
  const error = await failure(h.generate());
  assert.equal(error.kind, 'timeout');
  assert.match(error.message, /did not answer within/);
  assert.equal(h.requests[0]!.signal.aborted, true);
});

test('malformed JSON → invalid-output with the raw text kept', async () => {
  const raw = '{"differential": [], "summary": "cut';
  const h = harness([{ kind: 'stream', content: raw }]);
  const error = await failure(h.generate());
  assert.equal(error.kind, 'invalid-output');
  assert.equal(error.raw, raw);
  assert.match(error.message, /not valid JSON/);
  assert.equal(h.requests.length, 1);
});

test('JSON that breaks the schema → invalid-output naming the path', async () => {
  const output = wireOutput() as { differential: Array<Record<string, unknown>> };
  output.differential[0]!.likelihood = 'certain';
  const h = harness([{ kind: 'completion', content: JSON.stringify(output) }], { stream: false });
  const error = await failure(h.generate());
  assert.equal(error.kind, 'invalid-output');
  assert.match(error.message, /\$\.differential\[0\]\.likelihood/);
  assert.equal(error.raw, JSON.stringify(output));
});

test('a schema-valid answer citing fact ids the case never had is grounded as unverified', async () => {
  const h = harness([{ kind: 'stream', content: JSON.stringify(wireOutput({ factIds: 'F404 F5' })) }]);
  const result = await h.generate();
  const insight = groundInsight(result, PREPARED, REQUEST.task);
  const finding = insight.differential[0]!.supporting[0]!;
  assert.equal(finding.verified, false);
  assert.deepEqual(finding.references, ['Observation/a1c-new']);
  assert.equal(insight.differential[0]!.supporting[1]!.verified, true);
});

test('a prompt blocked by the content filter (400) → content-filter, never retried, either spelling', async () => {
  for (const spelling of ['content_filter_result', 'content_filter_results'] as const) {
    const h = harness([promptFiltered(spelling)]);
    const error = await failure(h.generate());
    assert.equal(error.kind, 'content-filter', spelling);
    assert.equal(error.retryable, false);
    assert.match(error.message, /jailbreak/);
    assert.equal(h.requests.length, 1);
    server.resetHandlers();
  }
});

test('a streamed answer filtered after text was shown → retracted progress, then content-filter', async () => {
  const h = harness([{ kind: 'stream', content: WIRE_OUTPUT_TEXT.slice(0, 120), finishReason: 'content_filter' }]);
  const error = await failure(h.generate());
  assert.equal(error.kind, 'content-filter');
  const kinds = h.progress.map((p) => p.kind);
  assert.ok(kinds.includes('text'));
  assert.equal(kinds.at(-1), 'retracted', 'the withdrawal comes after the text');
  assert.equal(h.requests.length, 1);
});

test('cancelling through the AbortSignal → cancelled, and the request is aborted', async () => {
  const controller = new AbortController();
  const h = harness([{ kind: 'stream', content: WIRE_OUTPUT_TEXT, stallAfter: 5 }]);
  const pending = h.generate(controller.signal);
  while (!h.progress.some((p) => p.kind === 'text')) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort();
  const error = await failure(pending);
  assert.equal(error.kind, 'cancelled');
  assert.equal(error.retryable, false);
  assert.equal(h.requests[0]!.signal.aborted, true);
});

test('an already-aborted signal sends nothing', async () => {
  const h = harness([{ kind: 'completion', content: WIRE_OUTPUT_TEXT }]);
  const error = await failure(h.generate(AbortSignal.abort()));
  assert.equal(error.kind, 'cancelled');
  assert.equal(h.requests.length, 0);
  assert.equal(h.tokens.gets, 0);
});

test('cancelling during a backoff wait stops at once', async () => {
  const controller = new AbortController();
  const h = harness([serverError(503), { kind: 'completion', content: WIRE_OUTPUT_TEXT }], {
    sleep: (_ms, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))),
  });
  const pending = h.generate(controller.signal);
  while (!h.progress.some((p) => p.kind === 'status')) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort();
  assert.equal((await failure(pending)).kind, 'cancelled');
  assert.equal(h.requests.length, 1);
});

test('403 → forbidden; 404 → configuration; neither retried', async () => {
  const denied = harness([forbidden]);
  const error = await failure(denied.generate());
  assert.equal(error.kind, 'forbidden');
  assert.match(error.message, /HTTP 403, PermissionDenied/);
  assert.equal(denied.requests.length, 1);
  server.resetHandlers();
  const missing = harness([{ kind: 'error', status: 404, body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' } } }]);
  const notFound = await failure(missing.generate());
  assert.equal(notFound.kind, 'configuration');
  assert.match(notFound.message, /DeploymentNotFound/);
  assert.equal(missing.requests.length, 1);
});

test('a stream that ends without a finish after text → network error, not retried', async () => {
  const h = harness([{ kind: 'stream', content: WIRE_OUTPUT_TEXT.slice(0, 50), finishReason: null }]);
  const error = await failure(h.generate());
  assert.equal(error.kind, 'network');
  assert.equal(h.requests.length, 1, 'the clinician already saw text');
  assert.deepEqual(h.waits, []);
});

test('an answer cut off at the token limit → invalid-output', async () => {
  const h = harness([{ kind: 'stream', content: WIRE_OUTPUT_TEXT.slice(0, 200), finishReason: 'length' }]);
  const error = await failure(h.generate());
  assert.equal(error.kind, 'invalid-output');
  assert.match(error.message, /token limit/);
  assert.equal(error.raw, WIRE_OUTPUT_TEXT.slice(0, 200));
});

test('a refusal or a filtered non-streamed answer maps to its own kind', async () => {
  const refused = harness([{ kind: 'completion', content: null, refusal: 'I cannot help with that.' }], { stream: false });
  const error = await failure(refused.generate());
  assert.equal(error.kind, 'invalid-output');
  assert.equal(error.raw, 'I cannot help with that.');
  server.resetHandlers();
  const filtered = harness([{ kind: 'completion', content: null, finishReason: 'content_filter' }], { stream: false });
  assert.equal((await failure(filtered.generate())).kind, 'content-filter');
  assert.equal(filtered.progress.length, 0, 'nothing was shown, so nothing to retract');
});

test('a 200 that is not the promised stream → server error, retried', async () => {
  const h = harness([{ kind: 'raw', body: 'data: <html>gateway error</html>\n\n', contentType: 'text/event-stream' }, { kind: 'stream', content: WIRE_OUTPUT_TEXT }]);
  const result = await h.generate();
  assert.equal(result.raw, WIRE_OUTPUT_TEXT);
  assert.equal(h.requests.length, 2);
});

test('a token source that needs sign-in fails the request before anything is sent', async () => {
  const { handler, requests } = azureChat(AZURE_V1_ENDPOINT, [{ kind: 'completion', content: WIRE_OUTPUT_TEXT }]);
  server.use(handler);
  const provider = createAzureFoundryProvider({
    endpoint: AZURE_V1_ENDPOINT,
    model: 'm',
    tokenSource: {
      getToken: () => Promise.reject(new InsightError('unauthorized', 'Sign in to the clinical model to use it.')),
      refresh: () => Promise.reject(new Error('unused')),
    },
  });
  const error = await failure(provider.generate(REQUEST, {}));
  assert.equal(error.kind, 'unauthorized');
  assert.match(error.message, /Sign in/);
  assert.equal(requests.length, 0);
});
