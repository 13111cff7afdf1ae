/**
 * Network doubles of Azure OpenAI / Azure AI Foundry chat completions, answering as the service
 * does: the `prompt_filter_results` chunk with empty `choices` first, content deltas with their
 * `content_filter_results`, a finish chunk, trailing annotation chunks, the usage chunk, then
 * `data: [DONE]`; and its failures — 400 `content_filter` with `ResponsibleAIPolicyViolation`,
 * 401, 403, 429 with `retry-after-ms`, 5xx, streams that stall or are filtered after text.
 *
 * Only `msw` (not `msw/node`) is imported, so node tests (`setupServer`) and browser tests
 * (`setupWorker`) can both use these handlers.
 */
import { http, HttpResponse, type HttpHandler, type JsonBodyType } from 'msw';

export const AZURE_V1_ENDPOINT = 'https://curbside-test.openai.azure.com/openai/v1/chat/completions';
export const FOUNDRY_MODELS_ENDPOINT = 'https://curbside-test.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview';
export const SERVED_MODEL = 'gpt-4.1-2025-04-14';

const SAFE = { filtered: false, severity: 'safe' };
const FILTERS_OK = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };
const PROMPT_FILTER_RESULTS = [{ prompt_index: 0, content_filter_results: { ...FILTERS_OK, jailbreak: { filtered: false, detected: false } } }];

export interface RecordedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
  /** Aborts when the client gives up on the request. */
  readonly signal: AbortSignal;
}

export type AzureReply =
  /** A non-streamed chat.completion. */
  | { readonly kind: 'completion'; readonly content: string | null; readonly finishReason?: string; readonly refusal?: string }
  /** A streamed answer: `content` split into deltas of `deltaSize` characters. */
  | {
      readonly kind: 'stream';
      readonly content: string;
      readonly deltaSize?: number;
      /** `stop` by default; `content_filter` models the asynchronous filter withdrawing an answer; null sends none. */
      readonly finishReason?: 'stop' | 'content_filter' | 'length' | null;
      /** Stop sending (without closing) after this many events. */
      readonly stallAfter?: number;
      /** Re-cut the bytes into pieces of this size, across lines and characters. */
      readonly byteChunk?: number;
    }
  | { readonly kind: 'error'; readonly status: number; readonly body?: JsonBodyType; readonly headers?: Record<string, string> }
  /** A 200 whose body is not what was promised. */
  | { readonly kind: 'raw'; readonly body: string; readonly contentType: string };

function baseHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'apim-request-id': '6b1c7b3e-0000-4000-8000-000000000001',
    'x-request-id': '6b1c7b3e-0000-4000-8000-000000000002',
    'x-ms-region': 'Sweden Central',
    'x-ratelimit-remaining-requests': '99',
    'x-ratelimit-remaining-tokens': '149000',
  };
}

const ENVELOPE = { created: 1767225600, id: 'chatcmpl-Curbside0000000000000000001', model: SERVED_MODEL, object: 'chat.completion.chunk', system_fingerprint: 'fp_b8f1f8c5a1' };

/** The SSE events of a streamed answer, as Azure sends them. */
export function streamEvents(content: string, options: { deltaSize?: number; finishReason?: 'stop' | 'content_filter' | 'length' | null } = {}): string[] {
  const { deltaSize = 12, finishReason = 'stop' } = options;
  const events: object[] = [
    { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER_RESULTS },
    { ...ENVELOPE, choices: [{ content_filter_results: {}, delta: { content: '', refusal: null, role: 'assistant' }, finish_reason: null, index: 0, logprobs: null }] },
  ];
  for (let i = 0; i < content.length; i += deltaSize) {
    events.push({ ...ENVELOPE, choices: [{ content_filter_results: FILTERS_OK, delta: { content: content.slice(i, i + deltaSize) }, finish_reason: null, index: 0, logprobs: null }] });
  }
  if (finishReason !== null) {
    const filter = finishReason === 'content_filter' ? { ...FILTERS_OK, violence: { filtered: true, severity: 'medium' } } : {};
    events.push({ ...ENVELOPE, choices: [{ content_filter_results: filter, delta: {}, finish_reason: finishReason, index: 0, logprobs: null }] });
    // The asynchronous filter annotates the tail after the finish chunk, with finish_reason null.
    events.push({ ...ENVELOPE, choices: [{ content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: content.length }, content_filter_results: FILTERS_OK, finish_reason: null, index: 0 }] });
    events.push({ ...ENVELOPE, choices: [], usage: { completion_tokens: Math.ceil(content.length / 4), prompt_tokens: 812, total_tokens: 812 + Math.ceil(content.length / 4) } });
  }
  const lines = events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
  if (finishReason !== null) lines.push('data: [DONE]\n\n');
  return lines;
}

function sseResponse(reply: Extract<AzureReply, { kind: 'stream' }>, request: Request): Response {
  const events = streamEvents(reply.content, reply);
  const sent = reply.stallAfter === undefined ? events : events.slice(0, reply.stallAfter);
  const bytes = new TextEncoder().encode(sent.join(''));
  const pieces: Uint8Array[] = [];
  const size = reply.byteChunk ?? 0;
  if (size > 0) for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  else for (const event of sent) pieces.push(new TextEncoder().encode(event));
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < pieces.length) {
        controller.enqueue(pieces[index++]!);
        return;
      }
      if (reply.stallAfter === undefined) {
        controller.close();
        return;
      }
      // A stalled stream: nothing more until the client gives up.
      if (request.signal.aborted) return;
      return new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  });
  return new Response(body, { status: 200, headers: baseHeaders('text/event-stream; charset=utf-8') });
}

function completionBody(reply: Extract<AzureReply, { kind: 'completion' }>): JsonBodyType {
  const finish = reply.finishReason ?? 'stop';
  return {
    choices: [
      {
        content_filter_results: finish === 'content_filter' ? { ...FILTERS_OK, violence: { filtered: true, severity: 'high' } } : FILTERS_OK,
        finish_reason: finish,
        index: 0,
        logprobs: null,
        message: { annotations: [], content: reply.content, refusal: reply.refusal ?? null, role: 'assistant' },
      },
    ],
    created: ENVELOPE.created,
    id: ENVELOPE.id,
    model: SERVED_MODEL,
    object: 'chat.completion',
    prompt_filter_results: PROMPT_FILTER_RESULTS,
    system_fingerprint: ENVELOPE.system_fingerprint,
    usage: { completion_tokens: 240, prompt_tokens: 812, total_tokens: 1052 },
  };
}

function respond(reply: AzureReply, request: Request): Response {
  switch (reply.kind) {
    case 'completion':
      return HttpResponse.json(completionBody(reply), { headers: baseHeaders('application/json') });
    case 'stream':
      return sseResponse(reply, request);
    case 'error':
      return HttpResponse.json(reply.body ?? { error: { code: String(reply.status), message: 'Error.' } }, { status: reply.status, headers: { ...baseHeaders('application/json'), ...reply.headers } });
    case 'raw':
      return new HttpResponse(reply.body, { status: 200, headers: baseHeaders(reply.contentType) });
  }
}

/**
 * A chat-completions endpoint that answers each request with the next scripted reply (the last
 * one repeats) and records what it was sent. msw matches without the query, so the recorded
 * `url` is what proves the api-version was sent.
 */
export function azureChat(endpoint: string, replies: readonly AzureReply[]): { handler: HttpHandler; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const path = endpoint.split('?')[0]!;
  const handler = http.post(path, async ({ request }) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    requests.push({ url: request.url, headers, body: (await request.clone().json()) as Record<string, unknown>, signal: request.signal });
    return respond(replies[Math.min(requests.length, replies.length) - 1]!, request);
  });
  return { handler, requests };
}

// ─── Azure's error bodies ───────────────────────────────────────────────────────────────────

/** A prompt blocked by the content filter (jailbreak detected), with either spelling of the detail field. */
export function promptFiltered(spelling: 'content_filter_result' | 'content_filter_results' = 'content_filter_result'): AzureReply {
  return {
    kind: 'error',
    status: 400,
    body: {
      error: {
        message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
        type: null,
        param: 'prompt',
        code: 'content_filter',
        status: 400,
        innererror: {
          code: 'ResponsibleAIPolicyViolation',
          [spelling]: { ...FILTERS_OK, jailbreak: { filtered: true, detected: true } },
        },
      },
    },
  };
}

export function rateLimited(retryAfterMs: number): AzureReply {
  return {
    kind: 'error',
    status: 429,
    headers: { 'retry-after-ms': String(retryAfterMs), 'retry-after': String(Math.ceil(retryAfterMs / 1000)), 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-remaining-tokens': '0' },
    body: { error: { code: '429', message: 'Requests to the ChatCompletions_Create Operation under Azure OpenAI API have exceeded token rate limit of your current pricing tier. Please retry after 2 seconds.' } },
  };
}

export const unauthorized: AzureReply = {
  kind: 'error',
  status: 401,
  body: { error: { code: '401', message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.' } },
};

export const forbidden: AzureReply = {
  kind: 'error',
  status: 403,
  body: { error: { code: 'PermissionDenied', message: 'The principal lacks the required data action Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action.' } },
};

export function serverError(status = 500): AzureReply {
  return { kind: 'error', status, body: { error: { code: 'InternalServerError', message: 'The server had an error while processing your request. Sorry about that!' } } };
}

/** Every Azure double answering one fixed reply, for browser tests that just need the service up. */
export function azureHandlers(reply: AzureReply): HttpHandler[] {
  return [azureChat(AZURE_V1_ENDPOINT, [reply]).handler, azureChat(FOUNDRY_MODELS_ENDPOINT, [reply]).handler];
}
