import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DifferentialItem, GroundedFinding, Insight, ModelIdentity } from '../../src/insight/types.ts';
import type { PatientFit, TreatmentOption } from '../../src/insight/patient-fit/types.ts';
import { treatmentOptionDecisionId } from '../../src/writeback/note.ts';
import '../decision/decision.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsideFactSelectEvent, CurbsideInsightRetryEvent, CurbsideSuggestionAcceptEvent, CurbsideSuggestionRejectEvent } from '../shared/events.ts';
import { renderAiLabel, renderCitations, renderInsightError, type InsightErrorView, type InsightViewState } from '../shared/insight-view.ts';
import { insightViewStyles } from '../shared/insight-view.styles.ts';
import { markdown } from '../shared/markdown.ts';
import { markdownStyles } from '../shared/markdown.styles.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { elementBase, visuallyHidden } from '../shared/utility.styles.ts';
import { NEXT_STEP_WORDS, OTHER_REASON, REJECT_REASONS, canAccept, likelihoodText, verifiedReferences, type SuggestionDecision } from './differential-model.ts';
import { differentialStyles } from './differential.styles.ts';
import { decisionFormStyles } from '../shared/decision-form.styles.ts';

const DEFAULT_PROGRESS = 'Generating suggestions…';

const FIT_WORDS: Readonly<Record<Exclude<PatientFit, 'unchecked'>, string>> = { fits: 'Fits this patient', adjust: 'Adjust for this patient', avoid: 'Avoid for this patient' };

type RejectProblem = 'reason' | 'comment';

/**
 * @summary A model's differential diagnosis for the clinician to review: a ranked list of
 * suggestions, each with its likelihood in words, the chart findings for and against it, what
 * the chart lacks, next steps and citations — and Accept and Reject buttons placed after that
 * evidence. Every view carries the label "AI-generated — verify before use" and the model's
 * name and version.
 *
 * Nothing is accepted by default: decisions belong to the host, which records the events and
 * passes them back in `decisions`. A suggestion with no supporting finding found in the chart
 * cannot be accepted, because it could not be carried into a note.
 *
 * Model text is shown only as text; the summary's markdown goes through the sanitising
 * markdown module.
 *
 * @fires curbside-fact-select - A finding's chip was chosen. `detail.reference` is the FHIR reference of the chart fact.
 * @fires curbside-suggestion-accept - The clinician accepted a suggestion. `detail`: `{ insightId, itemId, condition, codes }`.
 * @fires curbside-suggestion-reject - The clinician rejected a suggestion with a reason. `detail`: `{ insightId, itemId, condition, reason: { code, display }, comment? }`.
 * @fires curbside-insight-retry - The clinician pressed Retry after an error.
 *
 * @csspart base - The `<section>` around everything.
 * @csspart title - The heading (level set by `heading-level`).
 * @csspart ai-label - The "AI-generated — verify before use" label.
 * @csspart model - The model's name and version inside the label.
 * @csspart built-in - The statement that the built-in reference engine is not a clinical model.
 * @csspart progress - The progress message while streaming.
 * @csspart error - The error message; `retry-button` and `raw` (the raw answer's `<details>`) follow it.
 * @csspart retry-button - The Retry button.
 * @csspart raw - The `<details>` holding the model's raw answer.
 * @csspart empty - "No suggestions".
 * @csspart summary - The model's rationale, rendered from markdown.
 * @csspart list - The ranked list.
 * @csspart item - Each suggestion; also `item-accepted` or `item-rejected` once decided.
 * @csspart rank - The suggestion's rank number.
 * @csspart condition - The suggested condition (a heading one level below the title).
 * @csspart likelihood - The likelihood in words.
 * @csspart marker - A marker: also `cant-miss` or `rare`.
 * @csspart decision - "Accepted" or "Rejected", once the host has recorded it.
 * @csspart disclosure - The button that shows or hides a suggestion's evidence and actions.
 * @csspart details - The expanded evidence and actions.
 * @csspart findings - A list of findings, supporting or opposing.
 * @csspart chip - A finding found in the chart: a button that selects its chart fact; also `chip-more` for a finding's further facts.
 * @csspart finding-unverified - A finding not found in the chart.
 * @csspart unverified - The "Unverified" mark on a finding or citation.
 * @csspart missing - The list of facts the chart lacks.
 * @csspart next-steps - The list of suggested next steps.
 * @csspart fit - A treatment's patient-fit badge from the local chart check; also `fit-fits`, `fit-adjust` or `fit-avoid`.
 * @csspart option-decision - A treatment's `<curbside-decision>`: Accept (never for one marked avoid), Reject… and the recorded decision. Its events carry `itemId` `option:<item id>:<index>`.
 * @csspart fit-reasons - Why a treatment needs adjusting or avoiding, each reason with chips for its chart facts.
 * @csspart citations - A list of citations; each `citation`, also `citation-verified` or `citation-unverified`.
 * @csspart citation-link - A DOI, PubMed or web link of a verified citation.
 * @csspart why - The "Why?" `<details>`: facts used, facts missing, the model's confidence.
 * @csspart actions - The Accept and Reject buttons and the reject form.
 * @csspart accept-button - Accept.
 * @csspart accept-reason - Why Accept is unavailable.
 * @csspart reject-button - "Reject…".
 * @csspart reject-form - The inline form asking why.
 * @csspart confirm-reject-button - The form's "Confirm rejection" button.
 * @csspart confidence - The model's overall confidence statement.
 *
 * @cssprop --curbside-ai-label-background - The AI label's background; a pale accent by default.
 * @cssprop --curbside-ai-label-color - The AI label's leading edge; the accent by default.
 * @cssprop --curbside-color-unverified - Unverified marks; the error colour by default.
 * @cssprop --curbside-color-cant-miss - The "Can't miss" marker; the error colour by default.
 * @cssprop --curbside-color-warning - The "Adjust for this patient" badge; a dark amber by default.
 * @cssprop --curbside-color-accent - Buttons, chips, links and focus rings.
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Secondary text; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Background.
 * @cssprop --curbside-color-surface-raised - Item and chip backgrounds; mixed by default.
 * @cssprop --curbside-color-border - Item borders and dividers.
 * @cssprop --curbside-color-error - Error titles and default for the marks.
 * @cssprop --curbside-color-success - The "Accepted" mark.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Headings' font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsideDifferentialElement extends LitElement {
  static override styles = [tokens, elementBase, visuallyHidden, markdownStyles, insightViewStyles, differentialStyles, decisionFormStyles];

  /** Where focus goes after the next render, by element id in this shadow root. */
  #focusAfterRender: string | undefined;

  @state() private expanded: ReadonlySet<string> = new Set();
  @state() private rejecting: string | undefined;
  @state() private rejectReason: string | undefined;
  @state() private rejectComment = '';
  @state() private rejectProblem: RejectProblem | undefined;

  /** The grounded answer to show; `undefined` before one exists. */
  @property({ attribute: false }) insight: Insight | undefined;

  /** What the view is doing: nothing yet, waiting for the model, showing an answer, or showing a failure. */
  @property({ reflect: true }) state: InsightViewState = 'idle';

  /** The failure shown in the `error` state: an `InsightError` or its kind, message and raw answer. */
  @property({ attribute: false }) error: InsightErrorView | undefined;

  /** The clinician's decisions by item id (`option:<item id>:<index>` for treatment options), owned by the host; the element never decides by itself. */
  @property({ attribute: false }) decisions: ReadonlyMap<string, SuggestionDecision> = new Map();

  /** The model being asked, for the label before an insight exists (an insight's own model wins). */
  @property({ attribute: false }) model: ModelIdentity | undefined;

  /** The latest progress message while streaming ("Waiting for the model…"). */
  @property() progress: string | undefined;

  /** The ARIA level of the title; suggestions are one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('insight') && changed.get('insight')?.id !== this.insight?.id) {
      this.expanded = new Set();
      this.#closeRejectForm();
    }
  }

  override updated(): void {
    if (this.#focusAfterRender === undefined) return;
    this.shadowRoot!.getElementById(this.#focusAfterRender)?.focus();
    this.#focusAfterRender = undefined;
  }

  #onRetry = (): void => {
    this.dispatchEvent(new CurbsideInsightRetryEvent());
  };

  #onFactSelect = (event: Event): void => {
    const reference = (event.currentTarget as HTMLElement).dataset.reference;
    if (reference) this.dispatchEvent(new CurbsideFactSelectEvent({ reference }));
  };

  #toggle(item: DifferentialItem): void {
    const expanded = new Set(this.expanded);
    if (expanded.has(item.id)) {
      expanded.delete(item.id);
      if (this.rejecting === item.id) this.#closeRejectForm();
    } else {
      expanded.add(item.id);
    }
    this.expanded = expanded;
  }

  #accept(item: DifferentialItem): void {
    const insight = this.insight;
    if (!insight || !canAccept(item) || this.decisions.get(item.id) === 'accepted') return;
    if (this.rejecting === item.id) this.#closeRejectForm();
    this.dispatchEvent(new CurbsideSuggestionAcceptEvent({ insightId: insight.id, itemId: item.id, condition: item.condition, codes: item.codes }));
  }

  #openRejectForm(item: DifferentialItem, index: number): void {
    if (this.decisions.get(item.id) === 'rejected') return;
    this.rejecting = item.id;
    this.rejectReason = undefined;
    this.rejectComment = '';
    this.rejectProblem = undefined;
    this.#focusAfterRender = domId('reason', index, 0);
  }

  #closeRejectForm(): void {
    this.rejecting = undefined;
    this.rejectReason = undefined;
    this.rejectComment = '';
    this.rejectProblem = undefined;
  }

  #cancelReject(index: number): void {
    this.#closeRejectForm();
    this.#focusAfterRender = domId('reject', index);
  }

  #confirmReject(event: Event, item: DifferentialItem, index: number): void {
    event.preventDefault();
    const insight = this.insight;
    if (!insight) return;
    const reason = REJECT_REASONS.find((candidate) => candidate.code === this.rejectReason);
    const comment = this.rejectComment.trim();
    if (!reason) {
      this.rejectProblem = 'reason';
      this.#focusAfterRender = domId('reason', index, 0);
      return;
    }
    if (reason.code === OTHER_REASON && comment === '') {
      this.rejectProblem = 'comment';
      this.#focusAfterRender = domId('comment', index);
      return;
    }
    this.#closeRejectForm();
    this.#focusAfterRender = domId('reject', index);
    this.dispatchEvent(
      new CurbsideSuggestionRejectEvent({
        insightId: insight.id,
        itemId: item.id,
        condition: item.condition,
        reason: { code: reason.code, display: reason.display },
        ...(comment === '' ? {} : { comment }),
      }),
    );
  }

  #onRejectKeydown(event: KeyboardEvent, index: number): void {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.#cancelReject(index);
  }

  override render() {
    const streaming = this.state === 'streaming';
    return html`
      <section part="base" class="base" aria-labelledby="title" aria-busy=${streaming ? 'true' : 'false'}>
        ${this.#heading(this.#level(0), 'Differential diagnosis', 'title', 'title')} ${renderAiLabel(this.insight?.model ?? this.model)}
        <p class="visually-hidden" role="status">${this.#announcement()}</p>
        ${this.#renderBody()}
      </section>
    `;
  }

  #announcement(): string {
    if (this.state === 'streaming') return this.progress ?? DEFAULT_PROGRESS;
    if (this.state !== 'ready' || !this.insight) return '';
    const count = this.insight.differential.length;
    if (count === 0) return 'No suggestions';
    return `${count} ${count === 1 ? 'suggestion' : 'suggestions'} ready`;
  }

  #renderBody(): TemplateResult | typeof nothing {
    switch (this.state) {
      case 'error':
        return this.error ? renderInsightError(this.error, this.#onRetry) : renderInsightError({ kind: 'server', message: 'No details were given.' }, this.#onRetry);
      case 'streaming':
        return html`
          <div part="progress" class="progress">
            <span class="spinner" aria-hidden="true"></span>
            <p>${this.progress ?? DEFAULT_PROGRESS}</p>
          </div>
          ${this.insight ? this.#renderInsight(this.insight) : nothing}
        `;
      case 'ready':
        return this.insight ? this.#renderInsight(this.insight) : html`<p part="empty" class="empty">No suggestions</p>`;
      default:
        return nothing;
    }
  }

  #renderInsight(insight: Insight): TemplateResult {
    const level = this.#level(1);
    return html`
      ${insight.summary.trim() ? html`<div part="summary" class="summary markdown">${markdown(insight.summary, { headingLevel: level })}</div>` : nothing}
      ${insight.differential.length === 0
        ? html`<p part="empty" class="empty">No suggestions</p>`
        : html`<ol part="list" class="list">
            ${insight.differential.map((item, index) => this.#renderItem(item, index))}
          </ol>`}
      ${insight.citations.length > 0
        ? html`<div class="sources">${this.#heading(level, 'Sources for the summary')} ${renderCitations(insight.citations)}</div>`
        : nothing}
      ${insight.confidence.trim()
        ? html`<p part="confidence" class="confidence"><span class="label">Model's stated confidence:</span> ${insight.confidence}</p>`
        : nothing}
    `;
  }

  #renderItem(item: DifferentialItem, index: number): TemplateResult {
    const decision = this.decisions.get(item.id);
    const expanded = this.expanded.has(item.id);
    return html`
      <li part="item${decision ? ` item-${decision}` : ''}" class="item ${decision ?? ''}">
        <div class="item-head">
          <span part="rank" class="rank"><span class="visually-hidden">Rank </span>${index + 1}</span>
          <div class="item-summary">
            ${this.#heading(this.#level(1), item.condition, 'condition', domId('condition', index))}
            <p part="likelihood" class="likelihood ${item.likelihood}">${likelihoodText(item.likelihood, item.probability)}</p>
            ${item.cantMiss || item.rarity
              ? html`<p class="markers">
                  ${item.cantMiss
                    ? html`<span part="marker cant-miss" class="marker cant-miss"><span aria-hidden="true">⚠ </span>Can't miss — serious if overlooked</span>`
                    : nothing}
                  ${item.rarity ? html`<span part="marker rare" class="marker rare">Rare — ${item.rarity}</span>` : nothing}
                </p>`
              : nothing}
            ${decision ? html`<p part="decision" class="decision ${decision}">${decision === 'accepted' ? 'Accepted' : 'Rejected'}</p>` : nothing}
          </div>
        </div>
        <button
          part="disclosure"
          class="disclosure"
          type="button"
          id=${domId('disclosure', index)}
          aria-expanded=${expanded ? 'true' : 'false'}
          aria-controls=${domId('details', index)}
          @click=${() => this.#toggle(item)}
        >
          <span class="chevron" aria-hidden="true"></span>Evidence and decision<span class="visually-hidden"> for ${item.condition}</span>
        </button>
        <div part="details" class="details" id=${domId('details', index)} ?hidden=${!expanded}>
          ${expanded ? this.#renderDetails(item, index, decision) : nothing}
        </div>
      </li>
    `;
  }

  /** The evidence first, then the actions: a decision is made after reading what it rests on. */
  #renderDetails(item: DifferentialItem, index: number, decision: SuggestionDecision | undefined): TemplateResult {
    const level = this.#level(2);
    return html`
      ${this.#renderFindings('Supporting findings', item.supporting, 'No supporting findings given.', level)}
      ${this.#renderFindings('Findings against', item.opposing, 'No findings against given.', level)}
      ${item.missing.length > 0
        ? html`<div class="block">
            ${this.#heading(level, 'Missing from the chart')}
            <ul part="missing" class="plain-list">
              ${item.missing.map((fact) => html`<li>${fact}</li>`)}
            </ul>
          </div>`
        : nothing}
      ${item.nextSteps.length > 0
        ? html`<div class="block">
            ${this.#heading(level, 'Next steps')}
            <ul part="next-steps" class="plain-list">
              ${item.nextSteps.map(
                (step) =>
                  html`<li>
                    <span class="step-kind">${NEXT_STEP_WORDS[step.kind] ?? 'Other'}:</span> ${step.text}
                    ${step.kind === 'treatment' ? this.#renderOption(item, step.text) : nothing}
                  </li>`,
              )}
            </ul>
          </div>`
        : nothing}
      ${item.citations.length > 0 ? html`<div class="block">${this.#heading(level, 'Citations')} ${renderCitations(item.citations)}</div>` : nothing}
      ${this.#renderWhy(item)} ${this.#renderActions(item, index, decision)}
    `;
  }

  /**
   * A treatment's fit badge and its own Accept / Reject. An option marked avoid cannot be accepted
   * at all, not even with an acknowledgement: the chart check found it contraindicated here, and a
   * one-click acknowledgement would put it in the plan as readily as a safe one. A clinician who
   * still means to give it writes that, and why, in their own words.
   */
  #renderOption(item: DifferentialItem, text: string): TemplateResult | typeof nothing {
    const index = item.treatmentOptions?.findIndex((o) => o.text === text) ?? -1;
    const option = item.treatmentOptions?.[index];
    const insight = this.insight;
    if (!option || !insight) return nothing;
    const id = treatmentOptionDecisionId(item.id, index);
    return html`${this.#renderFit(option)}
      <curbside-decision
        part="option-decision"
        class="option-decision"
        insight-id=${insight.id}
        item-id=${id}
        label=${option.text}
        .decision=${this.decisions.get(id)}
        accept-blocked=${option.fit === 'avoid' ? "Can't be accepted: the chart check marks this treatment avoid for this patient." : nothing}
      ></curbside-decision>`;
  }

  /** The patient-fit badge of a treatment and the chart facts behind an adjust or avoid. */
  #renderFit(option: TreatmentOption | undefined): TemplateResult | typeof nothing {
    if (!option || option.fit === 'unchecked' || option.action !== 'start') return nothing;
    return html`<span part=${`fit fit-${option.fit}`} class=${`fit fit-${option.fit}`}>${FIT_WORDS[option.fit]}</span>
      ${option.reasons.length
        ? html`<ul part="fit-reasons" class="fit-reasons">
            ${option.reasons.map(
              (r) =>
                html`<li>
                  ${r.text}${r.citation ? html` <span class="fit-source">(${r.citation.title}, ${r.citation.year ?? ''})</span>` : nothing}
                  ${r.references.map((ref) => html`<button type="button" part="chip" class="chip" data-reference=${ref} @click=${this.#onFactSelect}>${factWords(ref)}</button>`)}
                </li>`,
            )}
          </ul>`
        : nothing}`;
  }

  #renderFindings(title: string, findings: readonly GroundedFinding[], none: string, level: number): TemplateResult {
    return html`
      <div class="block">
        ${this.#heading(level, title)}
        ${findings.length === 0
          ? html`<p class="none">${none}</p>`
          : html`<ul part="findings" class="findings">
              ${findings.map((finding) => html`<li class="finding">${this.#renderFinding(finding)}</li>`)}
            </ul>`}
      </div>
    `;
  }

  #renderFinding(finding: GroundedFinding): TemplateResult {
    const references = verifiedReferences(finding);
    if (references.length === 0) {
      return html`<span part="finding-unverified" class="finding-unverified"
        >${finding.text} <span part="unverified" class="unverified">Unverified — not found in the chart</span></span
      >`;
    }
    const [first, ...more] = references;
    return html`
      <button part="chip" class="chip" type="button" data-reference=${first!} @click=${this.#onFactSelect}>
        <span class="chip-icon" aria-hidden="true">◎</span>${finding.text}<span class="visually-hidden"> — show in chart</span>
      </button>
      ${more.map(
        (reference, index) => html`<button
          part="chip chip-more"
          class="chip more"
          type="button"
          data-reference=${reference}
          aria-label=${`Chart fact ${index + 2} of ${references.length}: ${finding.text}`}
          @click=${this.#onFactSelect}
        >
          ${index + 2}
        </button>`,
      )}
    `;
  }

  #renderWhy(item: DifferentialItem): TemplateResult {
    const findings = [
      ...item.supporting.map((finding) => ({ finding, direction: 'Supports' })),
      ...item.opposing.map((finding) => ({ finding, direction: 'Argues against' })),
    ];
    const used = findings.filter(({ finding }) => verifiedReferences(finding).length > 0);
    const unverified = findings.filter(({ finding }) => verifiedReferences(finding).length === 0);
    const confidence = this.insight?.confidence.trim();
    return html`
      <details part="why" class="why">
        <summary>Why?</summary>
        <div class="why-body">
          <p class="why-title">Chart facts used</p>
          ${used.length === 0
            ? html`<p class="none">No fact from the chart supports this suggestion.</p>`
            : html`<ul class="plain-list">
                ${used.map(({ finding, direction }) => {
                  const count = verifiedReferences(finding).length;
                  return html`<li>${direction}: ${finding.text} <span class="fact-count">(${count} chart ${count === 1 ? 'fact' : 'facts'})</span></li>`;
                })}
              </ul>`}
          ${unverified.length > 0
            ? html`<p class="why-title">Claimed but not found in the chart</p>
                <ul class="plain-list">
                  ${unverified.map(({ finding, direction }) => html`<li>${direction}: ${finding.text}</li>`)}
                </ul>`
            : nothing}
          <p class="why-title">Missing facts</p>
          ${item.missing.length === 0
            ? html`<p class="none">None stated.</p>`
            : html`<ul class="plain-list">
                ${item.missing.map((fact) => html`<li>${fact}</li>`)}
              </ul>`}
          <p class="why-title">The model's confidence (for the whole answer)</p>
          <p>${confidence || 'No confidence statement given.'}</p>
        </div>
      </details>
    `;
  }

  #renderActions(item: DifferentialItem, index: number, decision: SuggestionDecision | undefined): TemplateResult {
    const acceptable = canAccept(item);
    const accepted = decision === 'accepted';
    const rejected = decision === 'rejected';
    const rejecting = this.rejecting === item.id;
    return html`
      <div part="actions" class="actions">
        <div class="action-buttons">
          <button
            part="accept-button"
            class="button primary"
            type="button"
            id=${domId('accept', index)}
            ?disabled=${!acceptable}
            aria-disabled=${accepted ? 'true' : nothing}
            aria-describedby=${acceptable ? nothing : domId('accept-reason', index)}
            @click=${() => this.#accept(item)}
          >
            ${accepted ? 'Accepted' : 'Accept'}<span class="visually-hidden"> ${item.condition}</span>
          </button>
          <button
            part="reject-button"
            class="button"
            type="button"
            id=${domId('reject', index)}
            aria-disabled=${rejected ? 'true' : nothing}
            aria-expanded=${rejected ? nothing : rejecting ? 'true' : 'false'}
            @click=${() => (rejecting ? this.#cancelReject(index) : this.#openRejectForm(item, index))}
          >
            ${rejected ? 'Rejected' : 'Reject…'}<span class="visually-hidden"> ${item.condition}</span>
          </button>
        </div>
        ${acceptable
          ? nothing
          : html`<p part="accept-reason" class="accept-reason" id=${domId('accept-reason', index)}>
              Can't be accepted: none of its supporting findings was found in the chart, so it can't be carried into a note.
            </p>`}
        ${rejecting ? this.#renderRejectForm(item, index) : nothing}
      </div>
    `;
  }

  #renderRejectForm(item: DifferentialItem, index: number): TemplateResult {
    const other = this.rejectReason === OTHER_REASON;
    const problem = this.rejectProblem;
    const problemId = domId('reject-problem', index);
    return html`
      <form
        part="reject-form"
        class="reject-form"
        novalidate
        aria-label=${`Reject ${item.condition}`}
        @submit=${(event: Event) => this.#confirmReject(event, item, index)}
        @keydown=${(event: KeyboardEvent) => this.#onRejectKeydown(event, index)}
      >
        <fieldset aria-describedby=${problem === 'reason' ? problemId : nothing}>
          <legend>Why reject this suggestion?</legend>
          ${REJECT_REASONS.map(
            (reason, reasonIndex) => html`
              <label class="reason">
                <input
                  type="radio"
                  name=${domId('reason', index)}
                  id=${domId('reason', index, reasonIndex)}
                  value=${reason.code}
                  .checked=${this.rejectReason === reason.code}
                  @change=${() => {
                    this.rejectReason = reason.code;
                    this.rejectProblem = undefined;
                  }}
                />
                ${reason.display}
              </label>
            `,
          )}
        </fieldset>
        <label class="comment-label" for=${domId('comment', index)}>Comment ${other ? '(required)' : '(optional)'}</label>
        <textarea
          id=${domId('comment', index)}
          class="comment"
          rows="2"
          .value=${this.rejectComment}
          ?required=${other}
          aria-invalid=${problem === 'comment' ? 'true' : 'false'}
          aria-describedby=${problem === 'comment' ? problemId : nothing}
          @input=${(event: Event) => {
            this.rejectComment = (event.target as HTMLTextAreaElement).value;
            if (this.rejectProblem === 'comment') this.rejectProblem = undefined;
          }}
        ></textarea>
        ${problem
          ? html`<p class="form-problem" id=${problemId} role="alert">
              ${problem === 'reason' ? 'Choose a reason.' : 'Describe the reason in the comment.'}
            </p>`
          : nothing}
        <div class="action-buttons">
          <button part="confirm-reject-button" class="button primary" type="submit">Confirm rejection</button>
          <button class="button" type="button" @click=${() => this.#cancelReject(index)}>Cancel</button>
        </div>
      </form>
    `;
  }

  #level(below: number): number {
    return Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 2) + below);
  }

  #heading(level: number, text: string, part?: string, id?: string): TemplateResult {
    return html`<div part=${part ?? nothing} class="heading ${part ?? ''}" role="heading" aria-level=${Math.min(6, level)} id=${id ?? nothing}>${text}</div>`;
  }
}

/** Element ids from positions, never from model text. */
function domId(kind: string, index: number, sub?: number): string {
  return sub === undefined ? `${kind}-${index}` : `${kind}-${index}-${sub}`;
}

/** The chip word for a chart fact a fit reason rests on. */
function factWords(reference: string): string {
  const type = reference.split('/')[0] ?? '';
  return { Condition: 'Problem', MedicationRequest: 'Medicine', MedicationStatement: 'Medicine', AllergyIntolerance: 'Allergy', Observation: 'Result' }[type] ?? type;
}

defineOnce('curbside-differential', CurbsideDifferentialElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-differential': CurbsideDifferentialElement;
  }
}
