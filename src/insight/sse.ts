/**
 * An incremental Server-Sent Events decoder (the WHATWG `text/event-stream` rules) for bytes that
 * arrive in arbitrary pieces: a chunk may end in the middle of a line, of a `\r\n` pair or of a
 * UTF-8 character.
 *
 * One deliberate difference from a browser's EventSource: when the stream ends, a last event
 * whose lines were complete but which lacked the closing blank line is still delivered, because
 * some OpenAI-compatible servers close the connection right after their final `data:` line. A
 * trailing line without its newline is still dropped: that is a cut-off transmission.
 */

export interface SseEvent {
  /** `message` unless the server named the event. */
  readonly event: string;
  readonly data: string;
  /** The last event id seen on the stream, if any. */
  readonly id: string | undefined;
  /** A reconnection time the server asked for, in milliseconds. */
  readonly retry: number | undefined;
}

export class SseDecoder {
  #decoder = new TextDecoder('utf-8');
  #line = '';
  /** The previous chunk ended in `\r`, so a `\n` starting this one belongs to that line break. */
  #afterCR = false;
  #data: string[] = [];
  #hasData = false;
  #event = '';
  #id: string | undefined;
  #retry: number | undefined;

  /** Feeds bytes; returns the events they completed. */
  push(bytes: Uint8Array): SseEvent[] {
    return this.#text(this.#decoder.decode(bytes, { stream: true }));
  }

  /** Ends the stream; returns a final event whose lines were complete. */
  end(): SseEvent[] {
    const events = this.#text(this.#decoder.decode());
    this.#line = '';
    const last = this.#dispatch();
    return last ? [...events, last] : events;
  }

  #text(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    if (this.#afterCR && text.startsWith('\n')) start = 1;
    this.#afterCR = false;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.#line + text.slice(start, i);
      this.#line = '';
      if (c === 13) {
        if (i + 1 === text.length) this.#afterCR = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
      const event = this.#processLine(line);
      if (event) events.push(event);
    }
    this.#line += text.slice(start);
    return events;
  }

  #processLine(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  #dispatch(): SseEvent | undefined {
    const event = this.#hasData ? { event: this.#event || 'message', data: this.#data.join('\n'), id: this.#id, retry: this.#retry } : undefined;
    this.#data = [];
    this.#hasData = false;
    this.#event = '';
    return event;
  }
}

/** Reads a whole stream as events. Cancelling the iteration (break, return) cancels the stream. */
export async function* readSse(stream: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new SseDecoder();
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* decoder.push(value);
    }
    finished = true;
    yield* decoder.end();
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
