/**
 * The one door for HTML from outside Curbside. Model answers are untrusted markdown; this
 * module alone turns them into DOM:
 *
 *   marked (GFM; raw HTML is never markup, so `<img …>` stays text; every heading one level)
 *   → DOMPurify (a short allow-list; links only http(s), opened in a new tab without referrer)
 *   → a Trusted Types policy named `curbside-markdown`, whose `createHTML` is the sanitiser.
 *
 * Nothing else in Curbside may insert outside HTML or import `unsafeHTML`. The `markdown()`
 * directive writes the policy's `TrustedHTML` straight into a `<template>`, rather than going
 * through `unsafeHTML`, which takes only strings and would pass them through Lit's own
 * policy. A strict CSP can then read (src/security/csp.ts):
 *   `require-trusted-types-for 'script'; trusted-types curbside-markdown curbside-worker lit-html`
 * (DOMPurify is given this policy and creates none of its own; add `'allow-duplicates'` if a
 * page may load the plugin twice, since each copy creates its policy once).
 *
 * `MarkdownStream` renders a growing answer block by block so a long stream costs little
 * more than one render of the final text: the block still being written is shown as plain
 * text (a text node, inert by construction) and rendered as markdown once, when it completes
 * or the stream ends.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { noChange, nothing, type ChildPart, type ElementPart } from 'lit';
import { Directive, PartType, directive, type PartInfo } from 'lit/directive.js';
import type { TrustedHTML, TrustedTypePolicy, TrustedTypesWindow } from 'trusted-types/lib';

export type { TrustedHTML };

export const MARKDOWN_POLICY_NAME = 'curbside-markdown';

export interface MarkdownOptions {
  /**
   * The level of every heading in the text (3–6; 3 by default). Model headings are labels
   * inside a view, not an outline: one level below the view's own heading never outranks it
   * and never skips a level, whatever depths the model chose.
   */
  readonly headingLevel?: number;
}

const DEFAULT_HEADING_LEVEL = 3;
/** The level for the parse in progress; parsing is synchronous, so one variable is enough. */
let headingLevel = DEFAULT_HEADING_LEVEL;

function clampHeadingLevel(level: number | undefined): number {
  return Math.min(6, Math.max(3, Math.trunc(level ?? DEFAULT_HEADING_LEVEL) || DEFAULT_HEADING_LEVEL));
}

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'em', 'strong', 'del', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'blockquote',
  'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
];
const ALLOWED_ATTR = ['href', 'title', 'start', 'align'];
/** Attributes that are not addresses, so the strict address pattern below must not judge them. */
const NOT_ADDRESSES = ['start', 'align'];

const markedInstance = new Marked({
  async: false,
  gfm: true,
  breaks: false,
  tokenizer: {
    // Without the HTML tokenizers, tags in model text are ordinary characters and come out escaped.
    html: () => undefined,
    tag: () => undefined,
  },
  renderer: {
    heading({ tokens }) {
      return `<h${headingLevel}>${this.parser.parseInline(tokens)}</h${headingLevel}>\n`;
    },
    // No images: a remote image is a tracking beacon. Its description stays as text.
    image({ text }) {
      return escapeHtml(text);
    },
    // No form controls: a task list's box becomes a character.
    checkbox({ checked }) {
      return checked ? '☑ ' : '☐ ';
    },
  },
});

// A private instance, so this configuration and hook never change another module's DOMPurify.
const purifier = DOMPurify(window);
const PURIFY_CONFIG = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ADD_URI_SAFE_ATTR: NOT_ADDRESSES,
  ALLOWED_URI_REGEXP: /^https?:\/\//i,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  RETURN_TRUSTED_TYPE: false,
};
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName !== 'A') return;
  const element = node as Element;
  if (!isWebUrl(element.getAttribute('href'))) {
    element.removeAttribute('href');
    return;
  }
  element.setAttribute('rel', 'noopener noreferrer');
  element.setAttribute('target', '_blank');
});

/**
 * True only while DOMPurify itself runs. DOMPurify parses its input into an inert document, and
 * under `require-trusted-types-for` that parse needs `TrustedHTML` too; it gets it from this same
 * policy, which passes the text through untouched only during that window (parsing into a
 * DOMParser document runs nothing). Everyone else who calls the policy gets the sanitiser, so
 * one policy name covers both and DOMPurify never creates its own `dompurify` policy.
 */
let insidePurifier = false;

function sanitize(html: string): string {
  if (insidePurifier) return html;
  insidePurifier = true;
  try {
    return purifier.sanitize(html);
  } finally {
    insidePurifier = false;
  }
}

type MarkdownPolicy = Pick<TrustedTypePolicy, 'createHTML' | 'createScriptURL'>;
let policy: MarkdownPolicy | null | undefined;

/** Created on first use, once per copy of this module; null where Trusted Types are unavailable or refused. */
function markdownPolicy(): MarkdownPolicy | null {
  if (policy !== undefined) return policy;
  let created: MarkdownPolicy | null = null;
  const factory = (window as unknown as TrustedTypesWindow).trustedTypes;
  try {
    // DOMPurify insists on a script-URL hook; nothing here needs one, so it refuses them all.
    if (factory) created = factory.createPolicy(MARKDOWN_POLICY_NAME, { createHTML: sanitize, createScriptURL: refuseScriptUrl });
  } catch (error) {
    // A CSP that does not list the policy: sanitised strings still work until the CSP enforces.
    console.warn(`Curbside could not create the "${MARKDOWN_POLICY_NAME}" Trusted Types policy; markdown is sanitised without it.`, error);
  }
  policy = created;
  insidePurifier = true;
  try {
    // Null stops DOMPurify creating a `dompurify` policy of its own where ours is missing.
    purifier.setConfig({ ...PURIFY_CONFIG, TRUSTED_TYPES_POLICY: (created as TrustedTypePolicy | null) ?? null });
  } finally {
    insidePurifier = false;
  }
  return created;
}

function refuseScriptUrl(): string {
  throw new TypeError('Curbside loads no script from outside text.');
}

/** True for an absolute http: or https: address. */
export function isWebUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Untrusted markdown → sanitised HTML, as `TrustedHTML` wherever the browser has Trusted Types. */
export function renderMarkdown(text: string, options: MarkdownOptions = {}): TrustedHTML | string {
  headingLevel = clampHeadingLevel(options.headingLevel);
  const html = markedInstance.parse(text, { async: false });
  const trusted = markdownPolicy();
  return trusted ? trusted.createHTML(html) : sanitize(html);
}

// ─── Streaming ──────────────────────────────────────────────────────────────────────────────

/** A rendered stretch of a streamed answer; immutable, so an unchanged block is the same object. */
export interface MarkdownBlock {
  /** Position in the stream: stable while the open block grows and after it completes. */
  readonly key: number;
  readonly source: string;
  /** False for the last block, which may still grow. */
  readonly complete: boolean;
  /**
   * False for the open block of a stream that has not ended: it has no HTML yet and is shown
   * as plain text, since re-rendering it for every few tokens would cost far more than the
   * final render of the whole answer.
   */
  readonly rendered: boolean;
}

/** Sanitised HTML by block; only this module can add to it, so a block cannot carry forged HTML. */
const blockHtml = new WeakMap<MarkdownBlock, TrustedHTML | string>();

export interface MarkdownStreamOptions extends MarkdownOptions {
  /** Renders one block's source; `renderMarkdown` by default. Lets a bench or test count the work. */
  readonly render?: (source: string, options: MarkdownOptions) => TrustedHTML | string;
  /**
   * Completed text rendered per read, at most (4,000 characters by default, about 10 ms): a
   * burst, or a whole answer arriving at once, is rendered over several frames instead of in
   * one long task. A single block longer than this is still rendered whole.
   */
  readonly charsPerRead?: number;
}

const CHARS_PER_READ = 4000;

const BLANK = /^[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const DEFINITION = /^ {0,3}\[(?:[^\]\\]|\\.)+\]:/;

/**
 * A growing markdown text rendered in blocks. The text is split at blank lines outside code
 * fences where the next line starts a new top-level block; completed text is rendered once
 * and kept, and the open block at the end stays plain text until it completes or the
 * stream ends.
 *
 * A split is made only where rendering the parts gives exactly what rendering the whole would:
 * a blank line followed by an indented line, or by another item of a list, continues the
 * block. Link reference definitions can be used anywhere in a document, so once one appears
 * the whole text is rendered as one block (correct, and rare in model answers).
 *
 * Rendering is lazy: `append` only scans new lines; reading `blocks` renders, in one call,
 * the text completed since the last read (sanitising has a fixed cost per call). The open
 * block is not rendered until `end()` says no more text is coming; until then it is plain
 * text. Read it once per animation frame; while `pending` is true, the completed text was
 * more than one read renders, and the open block waits until it is done.
 */
export class MarkdownStream {
  readonly #render: (source: string, options: MarkdownOptions) => TrustedHTML | string;
  readonly #options: MarkdownOptions;
  readonly #charsPerRead: number;
  #text = '';
  #generation = 0;
  #groups: MarkdownBlock[] = [];
  #open: MarkdownBlock | undefined;
  #blocks: readonly MarkdownBlock[] = [];
  /** End of the text known to be complete, and of the part of it already rendered. */
  #completedEnd = 0;
  #renderedEnd = 0;
  /** Ends of completed blocks not yet rendered, in order. */
  #boundaries: number[] = [];
  /** Start of the first line not yet scanned (the line still being written). */
  #scanned = 0;
  #fence: { readonly marker: string; readonly length: number } | undefined;
  #openHasContent = false;
  #openHasList = false;
  #afterBlank = false;
  #whole = false;
  #ended = false;

  constructor(options: MarkdownStreamOptions = {}) {
    this.#render = options.render ?? renderMarkdown;
    this.#options = options.headingLevel === undefined ? {} : { headingLevel: options.headingLevel };
    this.#charsPerRead = options.charsPerRead ?? CHARS_PER_READ;
  }

  /** True while completed text is waiting for a later read to render it. */
  get pending(): boolean {
    return this.#completedEnd > this.#renderedEnd;
  }

  get text(): string {
    return this.#text;
  }

  /** True once `end()` was called and no text arrived since. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * No more text is coming (the answer finished, or was stopped): the next read renders the
   * open block as markdown. Appending again reopens the stream.
   */
  end(): void {
    this.#ended = true;
  }

  /** Changes whenever earlier blocks were replaced rather than extended (a reset, a definition). */
  get generation(): number {
    return this.#generation;
  }

  /** Completed blocks, then the open one; renders what changed since the last read. */
  get blocks(): readonly MarkdownBlock[] {
    let changed = false;
    if (this.pending) {
      const end = this.#nextGroupEnd();
      const source = this.#text.slice(this.#renderedEnd, end);
      this.#groups.push(this.#block(source, true, this.#open));
      this.#renderedEnd = end;
      this.#open = undefined;
      changed = true;
    }
    const source = this.#text.slice(this.#completedEnd);
    if (this.pending) {
      // The open block follows text not yet shown; it waits rather than appear out of place.
      if (this.#open) changed = true;
      this.#open = undefined;
    } else if (source === '') {
      if (this.#open) changed = true;
      this.#open = undefined;
    } else if (this.#open?.source !== source || this.#open.rendered !== this.#ended) {
      this.#open = this.#block(source, false, this.#open);
      changed = true;
    }
    if (changed) this.#blocks = this.#open ? [...this.#groups, this.#open] : [...this.#groups];
    return this.#blocks;
  }

  /** The end of the blocks to render together in this read: as many as fit, and at least one. */
  #nextGroupEnd(): number {
    const limit = this.#renderedEnd + this.#charsPerRead;
    let count = 1;
    while (count < this.#boundaries.length && this.#boundaries[count]! <= limit) count += 1;
    return this.#boundaries.splice(0, count).at(-1)!;
  }

  append(delta: string): void {
    if (delta === '') return;
    this.#ended = false;
    this.#text += delta;
    let end: number;
    while ((end = this.#text.indexOf('\n', this.#scanned)) !== -1) {
      const start = this.#scanned;
      this.#scanned = end + 1;
      this.#scanLine(this.#text.slice(start, end), start);
    }
  }

  /** Shows `text`: appended when it extends what is shown, otherwise started afresh. */
  update(text: string): void {
    if (text.startsWith(this.#text)) this.append(text.slice(this.#text.length));
    else {
      this.reset();
      this.append(text);
    }
  }

  reset(): void {
    this.#text = '';
    this.#generation += 1;
    this.#groups = [];
    this.#open = undefined;
    this.#blocks = [];
    this.#completedEnd = 0;
    this.#renderedEnd = 0;
    this.#boundaries = [];
    this.#scanned = 0;
    this.#fence = undefined;
    this.#openHasContent = false;
    this.#openHasList = false;
    this.#afterBlank = false;
    this.#whole = false;
    this.#ended = false;
  }

  #scanLine(line: string, start: number): void {
    if (this.#fence) {
      const closing = FENCE.exec(line);
      const marker = closing?.[1];
      if (marker && marker[0] === this.#fence.marker && marker.length >= this.#fence.length && BLANK.test(line.slice(closing[0].length))) {
        this.#fence = undefined;
      }
      return;
    }
    if (BLANK.test(line)) {
      if (this.#openHasContent) this.#afterBlank = true;
      return;
    }
    if (this.#afterBlank && this.#startsBlock(line)) this.#complete(start);
    this.#afterBlank = false;
    this.#openHasContent = true;
    if (LIST_ITEM.test(line)) this.#openHasList = true;
    if (!this.#whole && DEFINITION.test(line)) this.#renderWhole();
    const fence = FENCE.exec(line)?.[1];
    if (fence) this.#fence = { marker: fence[0]!, length: fence.length };
  }

  /** Whether a line after a blank line starts a new top-level block rather than continuing this one. */
  #startsBlock(line: string): boolean {
    if (this.#whole) return false;
    if (line[0] === ' ' || line[0] === '\t') return false;
    return !(this.#openHasList && LIST_ITEM.test(line));
  }

  #complete(end: number): void {
    this.#completedEnd = end;
    this.#boundaries.push(end);
    this.#openHasContent = false;
    this.#openHasList = false;
  }

  #renderWhole(): void {
    this.#whole = true;
    this.#generation += 1;
    this.#groups = [];
    this.#open = undefined;
    this.#completedEnd = 0;
    this.#renderedEnd = 0;
    this.#boundaries = [];
  }

  #block(source: string, complete: boolean, previous: MarkdownBlock | undefined): MarkdownBlock {
    const rendered = complete || this.#ended;
    const block: MarkdownBlock = Object.freeze({ key: this.#groups.length, source, complete, rendered });
    if (!rendered) return block;
    const reused = previous?.source === source ? blockHtml.get(previous) : undefined;
    blockHtml.set(block, reused ?? this.#render(source, this.#options));
    return block;
  }
}

// ─── Lit ────────────────────────────────────────────────────────────────────────────────────

function fragmentOf(html: TrustedHTML | string): DocumentFragment {
  const template = document.createElement('template');
  // The policy's TrustedHTML is what a Trusted Types CSP admits into this sink.
  template.innerHTML = html as unknown as string;
  return template.content;
}

class MarkdownDirective extends Directive {
  #value: string | MarkdownBlock | undefined;
  #headingLevel: number | undefined;
  #html: TrustedHTML | string | undefined;

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.CHILD) throw new Error('markdown() can only be used as the content of an element.');
  }

  render(_value: string | MarkdownBlock, _options?: MarkdownOptions) {
    return nothing;
  }

  override update(_part: ChildPart, [value, options]: [string | MarkdownBlock, MarkdownOptions?]) {
    if (value === this.#value && options?.headingLevel === this.#headingLevel) return noChange;
    this.#value = value;
    this.#headingLevel = options?.headingLevel;
    const html = typeof value === 'string' ? renderMarkdown(value, options) : blockHtml.get(value);
    if (html === undefined) {
      // An open block not yet rendered: Lit writes a string as a text node, so it stays inert.
      this.#html = undefined;
      return typeof value === 'string' ? nothing : value.source;
    }
    if (html === this.#html) return noChange;
    this.#html = html;
    return fragmentOf(html);
  }
}

/**
 * Renders untrusted markdown text, or one block of a `MarkdownStream`, as sanitised DOM. The
 * text is rendered again only when it or the options change; a block keeps the options of
 * its stream.
 */
export const markdown = directive(MarkdownDirective);

class MarkdownStreamDirective extends Directive {
  #stream: MarkdownStream | undefined;
  #generation = -1;
  #shown = 0;
  #open: { readonly block: MarkdownBlock; readonly box: HTMLElement } | undefined;

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('markdownStream() can only be used on an element, whose content it owns.');
  }

  render(_stream: MarkdownStream) {
    return noChange;
  }

  override update(part: ElementPart, [stream]: [MarkdownStream]) {
    const host = part.element;
    const blocks = stream.blocks;
    if (stream !== this.#stream || stream.generation !== this.#generation) {
      host.replaceChildren();
      this.#stream = stream;
      this.#generation = stream.generation;
      this.#shown = 0;
      this.#open = undefined;
    }
    const last = blocks.at(-1);
    const openBlock = last && !last.complete ? last : undefined;
    const completed = openBlock ? blocks.length - 1 : blocks.length;
    // Only new DOM is built: completed blocks are added once, the open block's box refilled.
    for (; this.#shown < completed; this.#shown += 1) {
      const block = blocks[this.#shown]!;
      const open = this.#open;
      this.#open = undefined;
      if (open && blockHtml.get(open.block) === blockHtml.get(block)) continue;
      if (open) fillBox(open.box, block);
      else host.append(fillBox(newBox(), block));
    }
    if (openBlock && this.#open?.block !== openBlock) {
      const box = this.#open?.box ?? host.appendChild(newBox());
      fillBox(box, openBlock);
      this.#open = { block: openBlock, box };
    } else if (!openBlock && this.#open) {
      this.#open.box.remove();
      this.#open = undefined;
    }
    return noChange;
  }
}

/**
 * Each block gets its own box so the browser can lay out a new block without laying out the
 * ones before it (see `markdownStyles`: `content-visibility: auto`). Blocks split only at
 * top-level boundaries, so no list or table is ever cut in two.
 */
function newBox(): HTMLElement {
  const box = document.createElement('div');
  box.className = 'markdown-block';
  return box;
}

/**
 * A rendered block's sanitised DOM, or an open block's source as one text node (marked
 * `markdown-open`, which keeps its line breaks). Growing text updates that node in place, so
 * a render while streaming touches nothing else.
 */
function fillBox(box: HTMLElement, block: MarkdownBlock): HTMLElement {
  const html = blockHtml.get(block);
  if (html !== undefined) {
    box.className = 'markdown-block';
    box.replaceChildren(fragmentOf(html));
    return box;
  }
  // Trailing blank lines would only show as a gap that the next token closes again.
  const text = block.source.trimEnd();
  const node = box.firstChild;
  if (box.className === 'markdown-block markdown-open' && node instanceof Text && node === box.lastChild) node.data = text;
  else {
    box.className = 'markdown-block markdown-open';
    box.replaceChildren(document.createTextNode(text));
  }
  return box;
}

/**
 * Shows a `MarkdownStream` as the content of the element it is placed on
 * (`<div class="markdown" ${markdownStream(stream)}></div>`), one `.markdown-block` box per
 * rendered block, building DOM only for what changed since the last render. The element's
 * children belong to the directive.
 */
export const markdownStream = directive(MarkdownStreamDirective);
