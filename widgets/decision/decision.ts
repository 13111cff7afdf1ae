import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Code } from '../../src/chart/types.ts';
import { OTHER_REASON, REJECT_REASONS, type SuggestionDecision } from '../differential/differential-model.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsideSuggestionAcceptEvent, CurbsideSuggestionRejectEvent } from '../shared/events.ts';
import { insightViewStyles } from '../shared/insight-view.styles.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { elementBase, visuallyHidden } from '../shared/utility.styles.ts';
import { decisionStyles } from './decision.styles.ts';
import { decisionFormStyles } from '../shared/decision-form.styles.ts';

type RejectProblem = 'reason' | 'comment';

/**
 * @summary Accept and "Reject…" for one suggestion that is not a differential item (an early sign,
 * a treatment option), with the same CDS Hooks-style override reasons as the differential. It
 * fires the ordinary suggestion events, so the host and the audit trail treat every suggestion
 * alike; the decision shown is the host's (`decision`), never decided here.
 *
 * @fires curbside-suggestion-accept - Accept was pressed. `detail`: `{ insightId, itemId, condition, codes }`.
 * @fires curbside-suggestion-reject - A rejection was confirmed with a reason. `detail`: `{ insightId, itemId, condition, reason, comment? }`.
 *
 * @csspart base - The wrapper.
 * @csspart decision - "Accepted" or "Rejected", once the host has recorded it.
 * @csspart accept-button - Accept.
 * @csspart accept-reason - Why Accept is unavailable.
 * @csspart reject-button - "Reject…".
 * @csspart reject-form - The inline form asking why.
 * @csspart confirm-reject-button - The form's "Confirm rejection" button.
 *
 * @cssprop --curbside-color-accent - Primary button and focus rings.
 * @cssprop --curbside-color-success - The "Accepted" mark.
 * @cssprop --curbside-color-error - Form problems.
 */
export class CurbsideDecisionElement extends LitElement {
  static override styles = [tokens, elementBase, visuallyHidden, insightViewStyles, decisionStyles, decisionFormStyles];

  #focusAfterRender: string | undefined;

  @state() private rejecting = false;
  @state() private rejectReason: string | undefined;
  @state() private rejectComment = '';
  @state() private rejectProblem: RejectProblem | undefined;

  /** The insight the suggestion belongs to. */
  @property({ attribute: 'insight-id' }) insightId = '';

  /** The decision id (`sign:<id>`, `option:<item>:<n>`). */
  @property({ attribute: 'item-id' }) itemId = '';

  /** What is decided on, in words: named on the buttons for screen readers and carried in the events. */
  @property() label = '';

  @property({ attribute: false }) codes: readonly Code[] = [];

  /** The host's record of the decision. */
  @property({ attribute: false }) decision: SuggestionDecision | undefined;

  /** Set when this suggestion may not be accepted: the reason shown instead of an active Accept. */
  @property({ attribute: 'accept-blocked' }) acceptBlocked: string | undefined;

  override updated(): void {
    if (this.#focusAfterRender === undefined) return;
    this.shadowRoot!.getElementById(this.#focusAfterRender)?.focus();
    this.#focusAfterRender = undefined;
  }

  #accept(): void {
    if (this.acceptBlocked || this.decision === 'accepted') return;
    this.#closeRejectForm();
    this.dispatchEvent(new CurbsideSuggestionAcceptEvent({ insightId: this.insightId, itemId: this.itemId, condition: this.label, codes: this.codes }));
  }

  #openRejectForm(): void {
    if (this.decision === 'rejected') return;
    this.#closeRejectForm();
    this.rejecting = true;
    this.#focusAfterRender = 'reason-0';
  }

  #closeRejectForm(): void {
    this.rejecting = false;
    this.rejectReason = undefined;
    this.rejectComment = '';
    this.rejectProblem = undefined;
  }

  #cancelReject(): void {
    this.#closeRejectForm();
    this.#focusAfterRender = 'reject';
  }

  #confirmReject(event: Event): void {
    event.preventDefault();
    const reason = REJECT_REASONS.find((candidate) => candidate.code === this.rejectReason);
    const comment = this.rejectComment.trim();
    if (!reason) {
      this.rejectProblem = 'reason';
      this.#focusAfterRender = 'reason-0';
      return;
    }
    if (reason.code === OTHER_REASON && comment === '') {
      this.rejectProblem = 'comment';
      this.#focusAfterRender = 'comment';
      return;
    }
    this.#closeRejectForm();
    this.#focusAfterRender = 'reject';
    this.dispatchEvent(
      new CurbsideSuggestionRejectEvent({
        insightId: this.insightId,
        itemId: this.itemId,
        condition: this.label,
        reason: { code: reason.code, display: reason.display },
        ...(comment === '' ? {} : { comment }),
      }),
    );
  }

  #onRejectKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.#cancelReject();
  }

  override render() {
    const accepted = this.decision === 'accepted';
    const rejected = this.decision === 'rejected';
    const blocked = this.acceptBlocked;
    return html`
      <div part="base" class="base">
        ${this.decision ? html`<p part="decision" class="decision ${this.decision}">${accepted ? 'Accepted' : 'Rejected'}</p>` : nothing}
        <div class="action-buttons">
          <button
            part="accept-button"
            class="button primary"
            type="button"
            ?disabled=${Boolean(blocked)}
            aria-disabled=${accepted ? 'true' : nothing}
            aria-describedby=${blocked ? 'accept-reason' : nothing}
            @click=${this.#accept}
          >
            ${accepted ? 'Accepted' : 'Accept'}<span class="visually-hidden"> ${this.label}</span>
          </button>
          <button
            part="reject-button"
            class="button"
            type="button"
            id="reject"
            aria-disabled=${rejected ? 'true' : nothing}
            aria-expanded=${rejected ? nothing : this.rejecting ? 'true' : 'false'}
            @click=${() => (this.rejecting ? this.#cancelReject() : this.#openRejectForm())}
          >
            ${rejected ? 'Rejected' : 'Reject…'}<span class="visually-hidden"> ${this.label}</span>
          </button>
        </div>
        ${blocked ? html`<p part="accept-reason" class="accept-reason" id="accept-reason">${blocked}</p>` : nothing}
        ${this.rejecting ? this.#renderRejectForm() : nothing}
      </div>
    `;
  }

  #renderRejectForm(): TemplateResult {
    const other = this.rejectReason === OTHER_REASON;
    const problem = this.rejectProblem;
    return html`
      <form part="reject-form" class="reject-form" novalidate aria-label=${`Reject ${this.label}`} @submit=${this.#confirmReject} @keydown=${this.#onRejectKeydown}>
        <fieldset aria-describedby=${problem === 'reason' ? 'reject-problem' : nothing}>
          <legend>Why reject this suggestion?</legend>
          ${REJECT_REASONS.map(
            (reason, index) => html`
              <label class="reason">
                <input
                  type="radio"
                  name="reason"
                  id=${`reason-${index}`}
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
        <label class="comment-label" for="comment">Comment ${other ? '(required)' : '(optional)'}</label>
        <textarea
          id="comment"
          class="comment"
          rows="2"
          .value=${this.rejectComment}
          ?required=${other}
          aria-invalid=${problem === 'comment' ? 'true' : 'false'}
          aria-describedby=${problem === 'comment' ? 'reject-problem' : nothing}
          @input=${(event: Event) => {
            this.rejectComment = (event.target as HTMLTextAreaElement).value;
            if (this.rejectProblem === 'comment') this.rejectProblem = undefined;
          }}
        ></textarea>
        ${problem
          ? html`<p class="form-problem" id="reject-problem" role="alert">${problem === 'reason' ? 'Choose a reason.' : 'Describe the reason in the comment.'}</p>`
          : nothing}
        <div class="action-buttons">
          <button part="confirm-reject-button" class="button primary" type="submit">Confirm rejection</button>
          <button class="button" type="button" @click=${this.#cancelReject}>Cancel</button>
        </div>
      </form>
    `;
  }
}

defineOnce('curbside-decision', CurbsideDecisionElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-decision': CurbsideDecisionElement;
  }
}
