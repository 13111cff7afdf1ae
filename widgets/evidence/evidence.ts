import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { Insight, ModelIdentity } from '../../src/insight/types.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsideEvidenceAskEvent, CurbsideEvidenceStopEvent, CurbsideInsightRetryEvent } from '../shared/events.ts';
import { renderAiLabel, renderCitations, renderInsightError, type InsightErrorView, type InsightViewState } from '../shared/insight-view.ts';
import { insightViewStyles } from '../shared/insight-view.styles.ts';
import { MarkdownStream, markdownStream } from '../shared/markdown.ts';
import { markdownStyles } from '../shared/markdown.styles.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { elementBase, visuallyHidden } from '../shared/utility.styles.ts';
import { evidenceStyles } from './evidence.styles.ts';

/** Above this many characters per millisecond of interval, renders are spaced further apart. */
const STREAM_CHARS_PER_MS = 20;

/** The default of `render-interval`. */
export const STREAM_RENDER_INTERVAL_MS = 50;

/**
 * @summary Ask a question about the evidence for this patient and read the model's answer as
 * it streams: markdown rendered through the sanitising markdown module, then the sources with
 * verified and unverified marks. Labelled "AI-generated — verify before use" with the model's
 * name and version.
 *
 * Enter asks, Shift+Enter starts a new line. A spinner turns until the first words arrive; from
 * then on the growing answer shows the progress (a spinner turning for the length of a long
 * answer costs the page a task every frame). While the answer streams a Stop button ends it,
 * and a polite live region says "Answer streaming…" and then "Answer complete" — not every
 * word. An answer withdrawn after it was shown (a content filter that fires late) is replaced
 * by a notice saying so.
 *
 * @fires curbside-evidence-ask - The clinician asked a question (Ask, Enter, or Retry after an error). `detail.question` is the trimmed text.
 * @fires curbside-evidence-stop - The clinician pressed Stop while the answer streamed.
 * @fires curbside-insight-retry - Retry after an error when no question is known to ask again.
 *
 * @csspart base - The `<section>` around everything.
 * @csspart title - The heading (level set by `heading-level`).
 * @csspart ai-label - The "AI-generated — verify before use" label.
 * @csspart model - The model's name and version.
 * @csspart built-in - The statement that the built-in reference engine is not a clinical model.
 * @csspart question-form - The question box with its buttons.
 * @csspart question - The `<textarea>`.
 * @csspart ask-button - Ask.
 * @csspart stop-button - Stop, while streaming.
 * @csspart asked - The question the answer is for.
 * @csspart progress - "Answer streaming…", with a spinner until the first words arrive.
 * @csspart answer - The answer, rendered from markdown.
 * @csspart stopped - The note that a stopped answer is incomplete.
 * @csspart retraction - The notice that replaces a withdrawn answer.
 * @csspart error - The error message; followed by `retry-button` and `raw`.
 * @csspart retry-button - Retry.
 * @csspart raw - The `<details>` holding the model's raw answer.
 * @csspart citations - The sources list; each `citation`, also `citation-verified` or `citation-unverified`.
 * @csspart citation-link - A DOI, PubMed or web link of a verified citation.
 * @csspart unverified - The "Unverified" mark on a citation.
 * @csspart confidence - The model's stated confidence.
 *
 * @cssprop --curbside-ai-label-background - The AI label's background; a pale accent by default.
 * @cssprop --curbside-ai-label-color - The AI label's leading edge; the accent by default.
 * @cssprop --curbside-color-unverified - Unverified marks; the error colour by default.
 * @cssprop --curbside-color-accent - Buttons, links and focus rings.
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Secondary text; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Background.
 * @cssprop --curbside-color-surface-raised - Code and notice backgrounds; mixed by default.
 * @cssprop --curbside-color-border - Borders.
 * @cssprop --curbside-color-error - Error titles, the withdrawal notice and default for unverified marks.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Headings' font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsideEvidenceElement extends LitElement {
  static override styles = [tokens, elementBase, visuallyHidden, markdownStyles, insightViewStyles, evidenceStyles];

  #stream = new MarkdownStream({ headingLevel: 3 });
  #lastStreamRender = 0;

  @query('textarea') private textarea!: HTMLTextAreaElement;

  @state() private emptyQuestion = false;

  /** What the view is doing: nothing yet, streaming an answer, showing it, or showing a failure. */
  @property({ reflect: true }) state: InsightViewState = 'idle';

  /** The answer's markdown so far, as it streams; untrusted, rendered only through the markdown module. */
  @property({ attribute: false }) answerText = '';

  /** The final, grounded answer: its summary replaces the streamed text, and its citations are listed. */
  @property({ attribute: false }) insight: Insight | undefined;

  /** The failure shown in the `error` state. */
  @property({ attribute: false }) error: InsightErrorView | undefined;

  /** The model being asked (an insight's own model wins). */
  @property({ attribute: false }) model: ModelIdentity | undefined;

  /** Set when a shown answer was withdrawn (e.g. by a content filter): why, in words. Replaces the answer with a notice. */
  @property() retraction: string | undefined;

  /** The question the answer is for; set when the clinician asks, and settable by the host. */
  @property() question: string | undefined;

  /** The ARIA level of the title. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /**
   * While the answer streams, the least time between renders, in milliseconds. Each render
   * lays out the paragraph being written again, so fewer renders cost less in total; a reader
   * gains little from more than about twenty a second.
   */
  @property({ type: Number, attribute: 'render-interval' }) renderInterval = STREAM_RENDER_INTERVAL_MS;

  protected override async scheduleUpdate(): Promise<void> {
    // Tokens arriving between frames become one render, and a long answer is shown over several frames.
    if (this.hasUpdated && (this.state === 'streaming' || this.#stream.pending)) {
      // A long answer is refreshed less often: each render costs layout over everything shown,
      // and a reader gains nothing from seeing a 10,000-character answer grow twenty times a second.
      const interval = this.state === 'streaming' ? Math.max(this.renderInterval, this.answerText.length / STREAM_CHARS_PER_MS) : 0;
      const wait = this.#lastStreamRender + interval - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    super.scheduleUpdate();
  }

  /**
   * Resolves once the answer is wholly on screen: a long answer given at once is shown over
   * several frames, and this waits for the last of them.
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    while (this.#stream.pending && this.isConnected) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      complete = (await super.getUpdateComplete()) && complete;
    }
    return complete;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('headingLevel')) {
      // The answer's headings sit one level below the title.
      this.#stream = new MarkdownStream({ headingLevel: this.#level(1) });
    }
    const finalText = this.state === 'ready' ? this.insight?.summary : undefined;
    if (finalText !== undefined) this.#stream.update(finalText);
    else this.#stream.update(this.answerText);
    // Ready, stopped or failed: the paragraph shown as plain text while streaming is rendered now.
    if (this.state !== 'streaming') this.#stream.end();
  }

  override updated(): void {
    this.#lastStreamRender = performance.now();
    // Completed text the last frame had no room for is shown in the next.
    if (this.#stream.pending) requestAnimationFrame(() => this.requestUpdate());
  }

  #onSubmit = (event: Event): void => {
    event.preventDefault();
    this.#ask();
  };

  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.#ask();
  };

  #onInput = (): void => {
    if (this.emptyQuestion && this.textarea.value.trim() !== '') this.emptyQuestion = false;
  };

  #onStop = (): void => {
    this.dispatchEvent(new CurbsideEvidenceStopEvent());
  };

  #onRetry = (): void => {
    if (this.question) this.dispatchEvent(new CurbsideEvidenceAskEvent({ question: this.question }));
    else this.dispatchEvent(new CurbsideInsightRetryEvent());
  };

  #ask(): void {
    if (this.state === 'streaming') return;
    const question = this.textarea.value.trim();
    if (question === '') {
      this.emptyQuestion = true;
      this.textarea.focus();
      return;
    }
    this.emptyQuestion = false;
    this.question = question;
    this.textarea.value = '';
    this.dispatchEvent(new CurbsideEvidenceAskEvent({ question }));
  }

  override render() {
    return html`
      <section part="base" class="base" aria-labelledby="title">
        <div part="title" class="heading title" role="heading" aria-level=${this.#level(0)} id="title">Ask about the evidence</div>
        ${renderAiLabel(this.insight?.model ?? this.model)} ${this.#renderForm()}
        <p class="visually-hidden" role="status">${this.#announcement()}</p>
        ${this.#renderAnswer()}
      </section>
    `;
  }

  #renderForm(): TemplateResult {
    const streaming = this.state === 'streaming';
    return html`
      <form part="question-form" class="question-form" @submit=${this.#onSubmit}>
        <label class="question-label" for="question">Your question</label>
        <textarea
          part="question"
          id="question"
          class="question"
          rows="3"
          aria-describedby="question-hint${this.emptyQuestion ? ' question-problem' : ''}"
          aria-invalid=${this.emptyQuestion ? 'true' : 'false'}
          @keydown=${this.#onKeydown}
          @input=${this.#onInput}
        ></textarea>
        <p class="hint" id="question-hint">Enter asks; Shift+Enter starts a new line. The question is sent with the de-identified case.</p>
        ${this.emptyQuestion ? html`<p class="form-problem" id="question-problem" role="alert">Type a question first.</p>` : nothing}
        <div class="buttons">
          <button part="ask-button" class="button primary" type="submit" aria-disabled=${streaming ? 'true' : 'false'}>Ask</button>
          ${streaming ? html`<button part="stop-button" class="button" type="button" @click=${this.#onStop}>Stop</button>` : nothing}
        </div>
      </form>
    `;
  }

  #announcement(): string {
    if (this.retraction !== undefined) return 'Answer withdrawn';
    if (this.state === 'streaming') return 'Answer streaming…';
    if (this.state === 'ready') return 'Answer complete';
    return '';
  }

  #renderAnswer(): TemplateResult | typeof nothing {
    const streaming = this.state === 'streaming';
    const asked = this.question ? html`<p part="asked" class="asked"><span class="asked-label">Question:</span> ${this.question}</p>` : nothing;
    if (this.state === 'error') {
      return html`${asked} ${renderInsightError(this.error ?? { kind: 'server', message: 'No details were given.' }, this.#onRetry)}`;
    }
    if (this.retraction !== undefined) {
      return html`
        ${asked}
        <div part="retraction" class="retraction" role="alert">
          <p class="retraction-title">The answer was withdrawn</p>
          <p>${this.retraction || 'The model service stopped the answer after part of it was shown.'}</p>
          <p>What was shown has been removed; don't rely on any of it.</p>
        </div>
      `;
    }
    // A search, not trim(): trim() would copy the whole answer on every render.
    const hasText = /\S/.test(this.#stream.text);
    const insight = this.state === 'ready' ? this.insight : undefined;
    return html`
      ${asked}
      ${streaming
        ? html`<div part="progress" class="progress">
            ${hasText ? nothing : html`<span class="spinner" aria-hidden="true"></span>`}
            <p>Answer streaming…</p>
          </div>`
        : nothing}
      <div part="answer" class="answer markdown" aria-busy=${streaming ? 'true' : 'false'} ?hidden=${!hasText} ${markdownStream(this.#stream)}></div>
      ${this.state === 'idle' && hasText ? html`<p part="stopped" class="stopped">Stopped — this answer is incomplete.</p>` : nothing}
      ${insight && insight.citations.length > 0
        ? html`<div class="sources">
            <div class="heading sources-title" role="heading" aria-level=${this.#level(1)}>Sources</div>
            ${renderCitations(insight.citations)}
          </div>`
        : nothing}
      ${insight?.confidence.trim()
        ? html`<p part="confidence" class="confidence"><span class="confidence-label">Model's stated confidence:</span> ${insight.confidence}</p>`
        : nothing}
    `;
  }

  #level(below: number): number {
    return Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 2) + below);
  }
}

defineOnce('curbside-evidence', CurbsideEvidenceElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-evidence': CurbsideEvidenceElement;
  }
}
