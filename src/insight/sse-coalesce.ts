/**
 * Fewer, larger chat-completion chunks with the same meaning. A model streams one SSE event per
 * token; each costs the reader a JSON parse and a progress callback. The model-stream worker
 * decodes a batch of events, merges each run of chunks that differ only in their text into one
 * chunk carrying the run's text, and hands on the result as SSE again.
 *
 * A chunk joins a run only when it is a JSON object with exactly one choice whose `delta` holds
 * nothing but a `content` string and whose `finish_reason` is null or absent, and when everything
 * else about it (id, model, annotations, usage, the event's name, id and retry) is the same as the
 * run's first chunk. Anything else — the role chunk, the finish, usage, errors, refusals, tool
 * calls, `[DONE]`, text that is not JSON — passes unchanged and in order, so a reader sees the same
 * text, the same finish reason and the same annotations; only the number of events changes.
 */
import type { SseEvent } from './sse.ts';

interface TextChunk {
  /** The chunk with its text taken out, as JSON: runs share it. */
  readonly skeleton: string;
  readonly value: { choices: [{ delta: { content: string } }] };
  readonly content: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The chunk's text and the rest of it, when it is a text-only chunk; undefined otherwise. */
function textChunk(event: SseEvent): TextChunk | undefined {
  if (!event.data.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !Array.isArray(value.choices) || value.choices.length !== 1) return undefined;
  const choice: unknown = value.choices[0];
  if (!isRecord(choice) || !isRecord(choice.delta)) return undefined;
  if (choice.finish_reason !== null && choice.finish_reason !== undefined) return undefined;
  const keys = Object.keys(choice.delta);
  if (keys.length !== 1 || keys[0] !== 'content' || typeof choice.delta.content !== 'string') return undefined;
  const content = choice.delta.content;
  choice.delta.content = '';
  const skeleton = `${event.event}\u0000${event.id ?? ''}\u0000${event.retry ?? ''}\u0000${JSON.stringify(value)}`;
  return { skeleton, value: value as unknown as TextChunk['value'], content };
}

export class SseCoalescer {
  #lastId: string | undefined;
  #lastRetry: number | undefined;

  /** The events as SSE text, each run of text-only chunks merged into one. */
  encode(events: readonly SseEvent[]): string {
    let out = '';
    let run: { readonly first: TextChunk; readonly event: SseEvent; readonly parts: string[] } | undefined;
    const endRun = (): void => {
      if (!run) return;
      const merged = run.first.value;
      merged.choices[0].delta.content = run.parts.join('');
      out += this.#serialize({ ...run.event, data: JSON.stringify(merged) });
      run = undefined;
    };
    for (const event of events) {
      const chunk = textChunk(event);
      if (chunk && run && chunk.skeleton === run.first.skeleton) {
        run.parts.push(chunk.content);
        continue;
      }
      endRun();
      if (chunk) run = { first: chunk, event, parts: [chunk.content] };
      else out += this.#serialize(event);
    }
    endRun();
    return out;
  }

  #serialize(event: SseEvent): string {
    let text = '';
    // The decoder carries the last id and retry on every later event: they are written when they change.
    if (event.id !== undefined && event.id !== this.#lastId) {
      text += `id: ${event.id}\n`;
      this.#lastId = event.id;
    }
    if (event.retry !== undefined && event.retry !== this.#lastRetry) {
      text += `retry: ${event.retry}\n`;
      this.#lastRetry = event.retry;
    }
    if (event.event !== 'message') text += `event: ${event.event}\n`;
    for (const line of event.data.split('\n')) text += `data: ${line}\n`;
    return `${text}\n`;
  }
}
