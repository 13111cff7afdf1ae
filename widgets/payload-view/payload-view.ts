import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { PayloadDescription } from '../../src/privacy/index.ts';
import { defineOnce } from '../shared/define.ts';
import { formatNumber } from '../shared/format.ts';
import { insightViewStyles } from '../shared/insight-view.styles.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { elementBase, visuallyHidden } from '../shared/utility.styles.ts';
import { payloadViewStyles } from './payload-view.styles.ts';

type CopyState = 'idle' | 'copied' | 'failed';

const SENT_WORDS: ReadonlyArray<[keyof PayloadDescription['sent'], string, string]> = [
  ['problems', 'problem', 'problems'],
  ['medications', 'medication', 'medications'],
  ['allergies', 'allergy', 'allergies'],
  ['series', 'lab or vital series', 'lab or vital series'],
  ['seriesValues', 'value in them', 'values in them'],
  ['textResults', 'text result', 'text results'],
  ['notes', 'note', 'notes'],
];

/**
 * @summary "What is sent": the exact text that goes to the model, its size in tokens against
 * the budget and against the same facts as raw FHIR, what was left out to fit, and what
 * de-identification removed — as counts by kind, never the removed values.
 *
 * The text is shown as text, wrapped, in a scrollable box that can be focused and scrolled
 * with the keyboard; Copy puts it on the clipboard.
 *
 * @csspart base - The `<section>` around everything.
 * @csspart title - The heading (level set by `heading-level`).
 * @csspart empty - Shown while there is nothing to describe.
 * @csspart tokens - The token counts (`<dl>`).
 * @csspart sent - What kinds of facts are sent, counted.
 * @csspart omissions - What was left out to fit the budget.
 * @csspart removed - What de-identification removed or defused, by kind.
 * @csspart json - The exact text sent (`<pre>`).
 * @csspart copy-button - Copy.
 * @csspart copy-status - "Copied", or how to copy by hand.
 *
 * @cssprop --curbside-payload-view-max-height - Height of the text box before it scrolls (default 16rem).
 * @cssprop --curbside-color-accent - Buttons and focus rings.
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Labels and notes; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Background.
 * @cssprop --curbside-color-surface-raised - The text box; mixed by default.
 * @cssprop --curbside-color-border - Borders.
 * @cssprop --curbside-color-error - An over-budget payload.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Headings' font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsidePayloadViewElement extends LitElement {
  static override styles = [tokens, elementBase, visuallyHidden, insightViewStyles, payloadViewStyles];

  @query('pre') private jsonBox!: HTMLPreElement;

  @state() private copyState: CopyState = 'idle';

  /** What `describePayload` returns for the case about to be sent; `undefined` before there is one. */
  @property({ attribute: false }) payload: PayloadDescription | undefined;

  /** The ARIA level of the title; the parts' headings are one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 3;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('payload')) this.copyState = 'idle';
  }

  #onCopy = async (): Promise<void> => {
    const json = this.payload?.json;
    if (json === undefined) return;
    try {
      await navigator.clipboard.writeText(json);
      this.copyState = 'copied';
    } catch {
      // The EHR's iframe may not allow clipboard writes: select the text so Ctrl+C works.
      const selection = getSelection();
      selection?.selectAllChildren(this.jsonBox);
      this.jsonBox.focus();
      this.copyState = 'failed';
    }
  };

  override render() {
    const payload = this.payload;
    return html`
      <section part="base" class="base" aria-labelledby="title">
        <div part="title" class="heading title" role="heading" aria-level=${this.#level(0)} id="title">What is sent</div>
        ${payload ? this.#renderPayload(payload) : html`<p part="empty" class="empty">Nothing has been prepared to send yet.</p>`}
      </section>
    `;
  }

  #renderPayload(payload: PayloadDescription): TemplateResult {
    const { tokens: counts } = payload;
    const level = this.#level(1);
    return html`
      <p class="lead">This is exactly what goes to the model when you ask for suggestions: a de-identified summary, with short ids instead of record numbers.</p>
      <dl part="tokens" class="tokens">
        <div>
          <dt>Sent</dt>
          <dd class=${counts.withinBudget ? '' : 'over'}>
            about ${formatNumber(counts.payload)} tokens of a ${formatNumber(counts.budget)}-token budget${counts.withinBudget ? '' : ' — over the budget'}
          </dd>
        </div>
        <div>
          <dt>The same facts as raw FHIR</dt>
          <dd>about ${formatNumber(counts.rawFhir)} tokens${counts.ratio > 0 ? ` (${formatNumber(counts.ratio)}× the size)` : ''}</dd>
        </div>
      </dl>
      <p part="sent" class="sent">${sentText(payload.sent)}</p>
      ${this.#heading(level, 'Left out to fit')}
      ${payload.omissions.length === 0
        ? html`<p class="none">Nothing was left out.</p>`
        : html`<ul part="omissions" class="plain-list">
            ${payload.omissions.map((omission) => html`<li>${omission}</li>`)}
          </ul>`}
      ${this.#heading(level, 'Removed or defused before sending')}
      ${payload.removed.length === 0
        ? html`<p class="none">Nothing needed removing.</p>`
        : html`<ul part="removed" class="plain-list">
            ${payload.removed.map((line) => html`<li><span class="removed-label">${line.label}:</span> ${formatNumber(line.count)}</li>`)}
          </ul>`}
      <div class="json-head">
        ${this.#heading(level, 'Exact text sent', 'json-title')}
        <button part="copy-button" class="button" type="button" @click=${this.#onCopy}>Copy<span class="visually-hidden"> the text sent</span></button>
      </div>
      <p part="copy-status" class="copy-status" role="status">${this.#copyText()}</p>
      <pre part="json" class="json" tabindex="0" role="region" aria-labelledby="json-title">${payload.json}</pre>
    `;
  }

  #copyText(): string {
    if (this.copyState === 'copied') return 'Copied.';
    if (this.copyState === 'failed') return "Couldn't copy here. The text is selected: press Ctrl+C (⌘C on a Mac) to copy it.";
    return '';
  }

  #level(below: number): number {
    return Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 3) + below);
  }

  #heading(level: number, text: string, id?: string): TemplateResult {
    return html`<div class="heading sub" role="heading" aria-level=${level} id=${id ?? nothing}>${text}</div>`;
  }
}

function sentText(sent: PayloadDescription['sent']): string {
  const parts = SENT_WORDS.map(([key, one, many]) => {
    const count = sent[key];
    return `${formatNumber(count)} ${count === 1 ? one : many}`;
  });
  return `Sent: ${parts.join(', ')}.`;
}

defineOnce('curbside-payload-view', CurbsidePayloadViewElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-payload-view': CurbsidePayloadViewElement;
  }
}
