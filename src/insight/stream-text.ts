/**
 * Streaming a model's answer before its JSON is complete.
 *
 * A structured-output model streams one JSON object (`{"differential":[…],"summary":"…",…}`);
 * the object can only be validated once it closes, but the `summary` string — the markdown a
 * clinician reads — is worth showing as it arrives. `SummaryFieldExtractor` is fed the raw JSON
 * text in whatever pieces the network delivers and hands back the decoded characters of one
 * top-level string field, however the pieces split escapes (`\"`, `\n`, `\u00e9`, surrogate
 * pairs written as two `\uXXXX`).
 *
 * It is a display aid, not a parser: nothing it yields is trusted or validated, the final
 * answer still goes through `parseModelOutput`, and what it shows is replaced by the
 * validated summary when that arrives.
 */

type Mode = 'seek' | 'structure' | 'string' | 'done' | 'failed';
type StringRole = 'key' | 'field' | 'other';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const HEX = /^[0-9a-fA-F]$/;
/** Where a run of plain characters inside a string stops. */
const STRING_STOP = /["\\]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface SummaryFieldExtractorOptions {
  /** The top-level string field to stream; `summary` by default. */
  readonly field?: string;
}

export class SummaryFieldExtractor {
  readonly field: string;

  #mode: Mode = 'seek';
  /** Open objects and arrays; 1 inside the top-level object. */
  #depth = 0;
  /** At depth 1, whether the next string is a key (after `{` or `,`) rather than a value. */
  #expectKey = false;
  #key = '';
  #role: StringRole = 'other';
  #keyBuffer = '';
  #escape: 'none' | 'backslash' | 'unicode' = 'none';
  #hex = '';
  /** A high surrogate held back until its partner arrives, so no half character is handed out. */
  #pendingHigh = '';
  #started = false;
  #complete = false;
  #text = '';

  constructor(options: SummaryFieldExtractorOptions = {}) {
    this.field = options.field ?? 'summary';
  }

  /** Everything decoded so far. */
  get text(): string {
    return this.#text;
  }

  /** True once the field's opening quote has been seen. */
  get started(): boolean {
    return this.#started;
  }

  /** True once the field's closing quote has been seen; later chunks add nothing. */
  get complete(): boolean {
    return this.#complete;
  }

  /** True when the input stopped looking like JSON; nothing more will be yielded. */
  get failed(): boolean {
    return this.#mode === 'failed';
  }

  /** Feeds the next piece of raw JSON text; returns the field's characters it completed ('' if none). */
  push(chunk: string): string {
    let out = '';
    let i = 0;
    while (i < chunk.length && this.#mode !== 'done' && this.#mode !== 'failed') {
      if (this.#mode === 'string') {
        const [next, decoded] = this.#readString(chunk, i);
        i = next;
        out += decoded;
        continue;
      }
      const char = chunk[i]!;
      i += 1;
      if (this.#mode === 'seek') {
        // Anything before the object (a stray preamble) is ignored rather than fatal.
        if (char === '{') this.#open();
        continue;
      }
      this.#structure(char);
    }
    out = this.#settle(out);
    this.#text += out;
    return out;
  }

  #open(): void {
    this.#mode = 'structure';
    this.#depth = 1;
    this.#expectKey = true;
  }

  #structure(char: string): void {
    switch (char) {
      case '"':
        this.#beginString();
        return;
      case '{':
      case '[':
        this.#depth += 1;
        return;
      case '}':
      case ']':
        this.#depth -= 1;
        if (this.#depth === 0) this.#mode = 'done';
        return;
      case ',':
        if (this.#depth === 1) {
          this.#expectKey = true;
          this.#key = '';
        }
        return;
      default:
        // Colons, whitespace and the characters of numbers, true, false and null need no tracking.
        return;
    }
  }

  #beginString(): void {
    this.#mode = 'string';
    this.#escape = 'none';
    if (this.#depth === 1 && this.#expectKey) {
      this.#role = 'key';
      this.#keyBuffer = '';
    } else if (this.#depth === 1 && this.#key === this.field && !this.#started) {
      this.#role = 'field';
      this.#started = true;
    } else {
      this.#role = 'other';
    }
  }

  #endString(): void {
    this.#mode = 'structure';
    if (this.#role === 'key') {
      this.#key = this.#keyBuffer;
      this.#expectKey = false;
    } else if (this.#role === 'field') {
      this.#complete = true;
    }
  }

  /** Reads string content from `start`; returns where it stopped and the field characters it decoded. */
  #readString(chunk: string, start: number): [number, string] {
    let out = '';
    let i = start;
    while (i < chunk.length) {
      if (this.#escape === 'backslash') {
        const simple = chunk[i] === 'u' ? '' : SIMPLE_ESCAPES[chunk[i]!];
        i += 1;
        if (simple === undefined) {
          this.#mode = 'failed';
          break;
        }
        if (simple === '') {
          this.#escape = 'unicode';
          this.#hex = '';
        } else {
          this.#escape = 'none';
          if (this.#role !== 'other') out += simple;
        }
        continue;
      }
      if (this.#escape === 'unicode') {
        const char = chunk[i]!;
        i += 1;
        if (!HEX.test(char)) {
          this.#mode = 'failed';
          break;
        }
        this.#hex += char;
        if (this.#hex.length === 4) {
          this.#escape = 'none';
          if (this.#role !== 'other') out += String.fromCharCode(Number.parseInt(this.#hex, 16));
        }
        continue;
      }
      // Plain characters are copied in one slice up to the next quote or backslash.
      STRING_STOP.lastIndex = i;
      const stop = STRING_STOP.exec(chunk);
      const end = stop ? stop.index : chunk.length;
      if (this.#role !== 'other') out += chunk.slice(i, end);
      i = end;
      if (!stop) break;
      i += 1;
      if (stop[0] === '\\') {
        this.#escape = 'backslash';
        continue;
      }
      return [i, this.#keep(out, true)];
    }
    return [i, this.#keep(out, false)];
  }

  /** Routes decoded text by the string's role: a key is buffered, the field is yielded, anything else dropped. */
  #keep(decoded: string, closed: boolean): string {
    const role = this.#role;
    if (role === 'key') this.#keyBuffer += decoded;
    if (closed) this.#endString();
    return role === 'field' ? decoded : '';
  }

  /** Holds back a trailing high surrogate and replaces unpaired ones, so every yield is whole characters. */
  #settle(decoded: string): string {
    let text = this.#pendingHigh + decoded;
    this.#pendingHigh = '';
    const last = text.charCodeAt(text.length - 1);
    if (!this.#complete && this.#mode !== 'failed' && last >= 0xd800 && last <= 0xdbff) {
      this.#pendingHigh = text.slice(-1);
      text = text.slice(0, -1);
    }
    return text.replace(LONE_SURROGATE, '\uFFFD');
  }
}
