/**
 * The sandbox's model server: an OpenAI-compatible chat-completions endpoint, answered by
 * Curbside's reference engine, in the same wire format Azure AI Foundry uses (SSE chunks, an
 * empty-choices first chunk carrying prompt_filter_results, a usage chunk, `[DONE]`). With it,
 * `npm start` exercises the exact HTTP path a real clinical model takes. Fault knobs make it
 * answer the ways real deployments fail.
 */
import { randomUUID } from 'node:crypto';
import { parseMessages, toWireOutput } from '../../../src/insight/index.ts';
import type { InsightRequest, ModelOutput } from '../../../src/insight/types.ts';

export interface ModelFaults {
  /** Added before the answer starts. */
  latencyMs: number;
  /** Pause between streamed chunks, so a person can watch the answer arrive. */
  chunkIntervalMs: number;
  /** Every request answers with this HTTP status (429 carries retry-after-ms). */
  failStatus: number | null;
  /** Answer with text that is not JSON. */
  garbage: boolean;
  /** Stop sending (without closing) after this many content chunks. */
  stallAfterChunks: number | null;
}

export const DEFAULT_MODEL_FAULTS: ModelFaults = { latencyMs: 0, chunkIntervalMs: 0, failStatus: null, garbage: false, stallAfterChunks: null };

export interface ModelReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** A whole body, or a stream of SSE lines. */
  readonly body?: string;
  readonly stream?: AsyncIterable<string>;
}

export interface ModelEndpointOptions {
  readonly answer: (request: InsightRequest) => ModelOutput;
  readonly modelName: string;
  readonly faults: ModelFaults;
}

function errorReply(status: number, code: string, message: string, extra: Record<string, string> = {}): ModelReply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...extra },
    body: JSON.stringify({ error: { code, message, type: status === 400 ? 'invalid_request_error' : 'server_error' } }),
  };
}

const sleep = (ms: number): Promise<void> => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/** About four characters a token: the same rough estimate the app documents. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Splits text into token-sized pieces, as a model streams it. */
function pieces(text: string, size = 16): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export async function answerChatCompletion(body: unknown, options: ModelEndpointOptions): Promise<ModelReply> {
  const { faults } = options;
  await sleep(faults.latencyMs);
  if (faults.failStatus) {
    const retry: Record<string, string> = faults.failStatus === 429 ? { 'retry-after-ms': '1000', 'retry-after': '1' } : {};
    return errorReply(faults.failStatus, faults.failStatus === 429 ? 'rate_limit_exceeded' : 'server_error', `Sandbox fault: the model answers ${faults.failStatus}.`, retry);
  }
  const payload = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const request = parseMessages(payload.messages);
  if (!request) return errorReply(400, 'invalid_messages', 'The messages do not carry a Curbside case summary.');

  const content = faults.garbage ? 'Sure! Here is my differential: probably fine :)' : JSON.stringify(toWireOutput(options.answer(request)));
  const promptTokens = estimateTokens(JSON.stringify(payload.messages));
  const completionTokens = estimateTokens(content);
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };

  if (payload.stream !== true) {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model: options.modelName,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
        usage,
      }),
    };
  }

  const includeUsage = (payload.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: options.modelName, choices, ...extra })}\n\n`;
  async function* stream(): AsyncIterable<string> {
    yield chunk([], { prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] });
    yield chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    let sent = 0;
    for (const piece of pieces(content)) {
      if (faults.stallAfterChunks !== null && sent >= faults.stallAfterChunks) {
        // Hold the connection open without a byte more, like a stuck upstream.
        await new Promise(() => {});
      }
      await sleep(faults.chunkIntervalMs);
      yield chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]);
      sent++;
    }
    yield chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    if (includeUsage) yield chunk([], { usage });
    yield 'data: [DONE]\n\n';
  }
  return { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, stream: stream() };
}
