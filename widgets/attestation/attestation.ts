import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { attest, attestationStatement, newWriteId } from '../../src/writeback/attestation.ts';
import { AI_DRAFTED_MARK, NoteError, renderNoteText, unreviewedSections, type NoteDraft, type NoteSignature } from '../../src/writeback/note.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsideNoteAttestEvent, CurbsideNoteCheckEvent, CurbsideNoteEditEvent, CurbsideNoteRetryEvent } from '../shared/events.ts';
import { BUILT_IN_STATEMENT } from '../shared/insight-view.ts';
import { insightViewStyles } from '../shared/insight-view.styles.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { elementBase, visuallyHidden } from '../shared/utility.styles.ts';
import { attestationStyles } from './attestation.styles.ts';

/** Who is signing, from the launch's identity token. */
export interface AttestingClinician {
  readonly name: string;
  /** e.g. `Practitioner/123`: the launch's fhirUser claim. */
  readonly fhirUser: string;
}

export type NoteWriteStatus = 'idle' | 'sending' | 'confirmed' | 'failed' | 'unconfirmed' | 'needs-relaunch';

/** Where filing the attested note stands, as the host's writer reports it. */
export interface NoteWriteState {
  readonly status: NoteWriteStatus;
  /** The DocumentReference id once `confirmed`. */
  readonly resourceId?: string;
  /** The writer's words for a failure, an unconfirmed write or an expired session. */
  readonly message?: string;
}

/** The note exactly as it will be filed, with the signature it was rendered with. */
interface Prepared {
  readonly key: string;
  readonly draft: NoteDraft;
  readonly signature: NoteSignature;
  readonly text: string;
}

const IDLE: NoteWriteState = { status: 'idle' };

/**
 * @summary The last step before a note is filed: the exact text that will be written to the
 * chart, the list of sections the AI drafted, the attestation statement in the clinician's name,
 * a required "I have reviewed" checkbox and a Confirm button. Confirm hashes that exact text
 * into an attestation and hands it to the host, which files it; the filing's progress and
 * outcome are then shown here in a live region.
 *
 * A new write id and time are fixed when a draft arrives and are part of the text shown, so
 * what the clinician reads is byte for byte what is hashed and filed. Once confirmed, the same
 * text cannot be attested again: a failed write is retried with the same attestation
 * (`curbside-note-retry`), an unconfirmed one is checked first (`curbside-note-check`).
 *
 * Without a clinician identity (a launch with no fhirUser) nothing can be attested, and the
 * element says so.
 *
 * @fires curbside-note-attest - The clinician confirmed. `detail`: `{ attestation: Attestation, text: string, draft: NoteDraft }`; `text` is exactly what was shown and `attestation.contentHash` its SHA-256.
 * @fires curbside-note-edit - "Back to editing".
 * @fires curbside-note-retry - "Try again" after a failed write.
 * @fires curbside-note-check - "Check again" after an unconfirmed write.
 *
 * @csspart base - The `<section>` around everything.
 * @csspart title - The heading (level set by `heading-level`); focused when a draft arrives.
 * @csspart empty - Shown while there is no draft.
 * @csspart no-clinician - Why nothing can be attested without a clinician identity.
 * @csspart intro - "This exact text will be filed…".
 * @csspart text - The note text, as filed.
 * @csspart ai-sections - The list of sections the AI drafted, with the model.
 * @csspart unreviewed - Which AI-drafted sections are still to be reviewed in the editor.
 * @csspart statement - The attestation statement.
 * @csspart checkbox - The "I have reviewed" checkbox.
 * @csspart checkbox-label - Its label.
 * @csspart actions - The Confirm and Back to editing buttons.
 * @csspart confirm-button - Confirm and file.
 * @csspart confirm-reason - Why Confirm is disabled.
 * @csspart edit-button - Back to editing.
 * @csspart status - The live region for sending, confirmed, unconfirmed and an expired session.
 * @csspart alert - The alert region for a failed write.
 * @csspart retry-button - Try again, after a failure.
 * @csspart check-button - Check again, after an unconfirmed write.
 *
 * @cssprop --curbside-ai-label-background - The AI-drafted sections box; a pale accent by default.
 * @cssprop --curbside-ai-label-color - Its leading edge; the accent by default.
 * @cssprop --curbside-color-accent - Buttons and focus rings.
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Secondary text; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Background.
 * @cssprop --curbside-color-surface-raised - The note text's background; mixed by default.
 * @cssprop --curbside-color-border - Borders.
 * @cssprop --curbside-color-error - A failed write.
 * @cssprop --curbside-color-success - A confirmed write.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Headings' font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsideAttestationElement extends LitElement {
  static override styles = [tokens, elementBase, visuallyHidden, insightViewStyles, attestationStyles];

  #focusAfterRender: string | undefined;

  @state() private prepared: Prepared | undefined;
  @state() private problem: string | undefined;
  @state() private reviewed = false;
  /** Set while the hash is computed and once the event has gone: this text is not attested twice. */
  @state() private attested: 'hashing' | 'done' | undefined;

  /** The draft to attest; `undefined` while there is none. */
  @property({ attribute: false }) draft: NoteDraft | undefined;

  /** The signing clinician from the launch; `undefined` when the launch named nobody. */
  @property({ attribute: false }) clinician: AttestingClinician | undefined;

  /** Where filing stands, set by the host after `curbside-note-attest`. */
  @property({ attribute: false }) writeState: NoteWriteState = IDLE;

  /** The ARIA level of the title. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('draft') || changed.has('clinician')) this.#prepare();
    const previous = changed.get('writeState') as NoteWriteState | undefined;
    if (changed.has('writeState') && previous?.status !== this.writeState.status) {
      // Focus follows the one thing there is to do next, so a keyboard user is not left on a button that went away.
      if (this.writeState.status === 'failed') this.#focusAfterRender = 'retry';
      else if (this.writeState.status === 'unconfirmed') this.#focusAfterRender = 'check';
      // Try again and Check again vanish once filing resumes; focus goes to its outcome, not to the page.
      else if (['retry', 'check'].includes(this.shadowRoot?.activeElement?.id ?? '')) this.#focusAfterRender = 'write-status';
    }
  }

  override updated(): void {
    if (this.#focusAfterRender === undefined) return;
    this.shadowRoot!.getElementById(this.#focusAfterRender)?.focus();
    this.#focusAfterRender = undefined;
  }

  #onReviewed = (event: Event): void => {
    this.reviewed = (event.target as HTMLInputElement).checked;
  };

  #onConfirm = async (): Promise<void> => {
    const prepared = this.prepared;
    if (!prepared || this.#confirmBlocker(prepared) !== undefined) return;
    this.attested = 'hashing';
    const attestation = await attest(prepared.text, prepared.signature);
    // A different draft arrived while hashing: this text is no longer the one on screen.
    if (this.prepared !== prepared) return;
    this.attested = 'done';
    this.#focusAfterRender = 'write-status';
    this.dispatchEvent(new CurbsideNoteAttestEvent({ attestation, text: prepared.text, draft: prepared.draft }));
  };

  #onEdit = (): void => {
    this.dispatchEvent(new CurbsideNoteEditEvent());
  };

  #onRetry = (): void => {
    this.dispatchEvent(new CurbsideNoteRetryEvent());
  };

  #onCheck = (): void => {
    this.dispatchEvent(new CurbsideNoteCheckEvent());
  };

  /** Fixes the signature and the exact text for the current draft and clinician. */
  #prepare(): void {
    const draft = this.draft;
    const clinician = this.clinician;
    if (!draft) {
      this.#reset(undefined);
      return;
    }
    this.#focusAfterRender = 'title';
    if (!clinician?.name.trim() || !clinician.fhirUser.trim()) {
      this.#reset(undefined);
      return;
    }
    // An equal draft set again (a re-render, a restore) keeps its write id and time.
    const key = JSON.stringify([draft, clinician.name, clinician.fhirUser]);
    if (this.prepared?.key === key) {
      this.#focusAfterRender = undefined;
      return;
    }
    const signature: NoteSignature = { clinicianName: clinician.name, fhirUser: clinician.fhirUser, attestedAt: new Date().toISOString(), writeId: newWriteId() };
    try {
      this.#reset({ key, draft, signature, text: renderNoteText(draft, signature) });
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      this.#reset(undefined);
      this.problem = error.message;
    }
  }

  #reset(prepared: Prepared | undefined): void {
    this.prepared = prepared;
    this.problem = undefined;
    this.reviewed = false;
    this.attested = undefined;
  }

  /** Why Confirm cannot be pressed, or undefined when it can. */
  #confirmBlocker(prepared: Prepared): string | undefined {
    const status = this.writeState.status;
    if (status === 'sending') return 'The note is being filed.';
    if (status === 'confirmed') return 'The note is filed.';
    // A fresh attestation would carry a new write id, and a second copy could land beside the first.
    if (status === 'unconfirmed') return 'The last filing is unconfirmed: check the chart before filing again.';
    if (status === 'needs-relaunch') return 'Open Curbside again from the chart to file the note.';
    if (this.attested) return 'This note is attested; its filing is shown below.';
    if (unreviewedSections(prepared.draft).length > 0) return 'Go back to editing to review every AI-drafted section first.';
    if (!this.reviewed) return 'Tick the box once you have reviewed the note.';
    return undefined;
  }

  override render() {
    return html`
      <section part="base" class="base" aria-labelledby="title">
        <div part="title" class="heading title" role="heading" aria-level=${this.#level(0)} id="title" tabindex="-1">Review and attest</div>
        ${this.#renderBody()} ${this.#renderWriteState()}
      </section>
    `;
  }

  #renderBody(): TemplateResult {
    const draft = this.draft;
    if (!draft) return html`<p part="empty" class="empty">No note to attest yet: finish the draft first.</p>`;
    const prepared = this.prepared;
    if (!prepared) {
      return html`
        <div part="no-clinician" class="no-clinician">
          ${this.problem
            ? html`<p>This note can't be attested: ${this.problem}</p>`
            : html`<p>
                This launch did not say who you are: the EHR sent no fhirUser, so Curbside can't put your name to a note, and no attestation is possible. Your draft is
                kept.
              </p>`}
          <p>Ask your EHR administrator to grant Curbside the openid and fhirUser scopes, then open Curbside again from the chart.</p>
        </div>
        <div part="actions" class="actions">${this.#renderEditButton()}</div>
      `;
    }
    const blocker = this.#confirmBlocker(prepared);
    const status = this.writeState.status;
    return html`
      <p part="intro" class="intro">This exact text will be filed in the chart, under your name:</p>
      <pre part="text" class="text">${prepared.text}</pre>
      ${this.#renderAiSections(prepared.draft)}
      <p part="statement" class="statement">${attestationStatement(prepared.signature.clinicianName)}.</p>
      <label part="checkbox-label" class="checkbox-label">
        <input
          part="checkbox"
          class="checkbox"
          type="checkbox"
          id="reviewed"
          required
          .checked=${this.reviewed}
          ?disabled=${this.attested !== undefined || status === 'sending' || status === 'confirmed'}
          @change=${this.#onReviewed}
        />
        <span>I have reviewed this note, including every AI-drafted section, and it is accurate.</span>
      </label>
      <div part="actions" class="actions">
        <button
          part="confirm-button"
          class="button primary"
          type="button"
          id="confirm"
          ?disabled=${blocker !== undefined}
          aria-describedby=${blocker === undefined ? nothing : 'confirm-reason'}
          @click=${this.#onConfirm}
        >
          Confirm and file
        </button>
        ${status === 'confirmed' ? nothing : this.#renderEditButton()}
        ${blocker === undefined ? nothing : html`<p part="confirm-reason" class="confirm-reason" id="confirm-reason">${blocker}</p>`}
      </div>
    `;
  }

  #renderEditButton(): TemplateResult {
    return html`<button part="edit-button" class="button" type="button" ?disabled=${this.writeState.status === 'sending'} @click=${this.#onEdit}>
      Back to editing
    </button>`;
  }

  #renderAiSections(draft: NoteDraft): TemplateResult {
    const drafted = draft.sections.filter((s) => s.aiDrafted);
    const unreviewed = unreviewedSections(draft);
    return html`
      <div part="ai-sections" class="ai-sections">
        ${drafted.length === 0
          ? html`<p>No section was drafted by AI: the note is in your words only. The closing line still records the model that was used.</p>`
          : html`<p class="ai-sections-title">Drafted by AI (${draft.model.name} ${draft.model.version}), each marked “${AI_DRAFTED_MARK}” in the text:</p>
              <ul class="ai-list">
                ${drafted.map((s) => html`<li>${s.title}</li>`)}
              </ul>`}
        ${draft.model.builtIn ? html`<p class="built-in">${BUILT_IN_STATEMENT}</p>` : nothing}
      </div>
      ${unreviewed.length > 0
        ? html`<p part="unreviewed" class="unreviewed">Not yet reviewed in the editor: ${unreviewed.map((s) => s.title).join(', ')}.</p>`
        : nothing}
    `;
  }

  /** Both regions are always present, so screen readers announce what appears in them. */
  #renderWriteState(): TemplateResult {
    const { status, resourceId, message } = this.writeState;
    return html`
      <div part="status" class="write-status ${status}" role="status" id="write-status" tabindex="-1">
        ${status === 'sending' ? html`<p class="progress"><span class="spinner" aria-hidden="true"></span>Filing the note…</p>` : nothing}
        ${status === 'confirmed' ? html`<p class="confirmed">Filed in the chart as DocumentReference/${resourceId ?? '(id not given)'}</p>` : nothing}
        ${status === 'unconfirmed'
          ? html`<p class="write-title">Unconfirmed — check the chart before filing again</p>
              ${message ? html`<p>${message}</p>` : nothing}
              <button part="check-button" class="button" type="button" id="check" @click=${this.#onCheck}>Check again</button>`
          : nothing}
        ${status === 'needs-relaunch'
          ? html`<p class="write-title">Your session with the EHR has expired, so the note was not filed. Your draft is kept.</p>
              <p>${(message && unsaid(message)) || 'Close Curbside and open it again from the patient’s chart, then file the note.'}</p>`
          : nothing}
      </div>
      <div part="alert" class="write-alert" role="alert">
        ${status === 'failed'
          ? html`<p class="write-title">The note was not filed.</p>
              <p>${(message && unsaid(message)) || 'The EHR refused it.'}</p>
              <p>The draft is kept.</p>
              <button part="retry-button" class="button" type="button" id="retry" @click=${this.#onRetry}>Try again</button>`
          : nothing}
      </div>
    `;
  }

  #level(below: number): number {
    return Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 2) + below);
  }
}

/**
 * The writer's message without what the heading already says (not filed, draft kept, session
 * expired), so a screen reader hears each fact once.
 */
function unsaid(message: string): string {
  const rest = message
    .replace(/\s*Your EHR session has expired\.\s*/g, ' ')
    .replace(/\s*The note was not filed and your draft is kept[.:]\s*/g, ' ')
    .trim();
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

defineOnce('curbside-attestation', CurbsideAttestationElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-attestation': CurbsideAttestationElement;
  }
}
