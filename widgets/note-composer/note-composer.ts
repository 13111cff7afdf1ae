import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Insight } from '../../src/insight/types.ts';
import type { DraftStore } from '../../src/writeback/draft-store.ts';
import {
  NOTE_SECTION_ORDER,
  NOTE_SECTION_TITLES,
  NOTE_TYPES,
  NoteError,
  composeNoteDraft,
  confirmSection,
  editSection,
  noteType as noteTypeOf,
  recomposeDraft,
  unreviewedSections,
  type NoteDecisions,
  type NoteDraft,
  type NoteSection,
  type NoteSectionId,
  type NoteTypeCode,
} from '../../src/writeback/note.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsideNoteChangeEvent, CurbsideNoteReviewEvent } from '../shared/events.ts';
import { insightViewStyles } from '../shared/insight-view.styles.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { elementBase, visuallyHidden } from '../shared/utility.styles.ts';
import { noteComposerStyles } from './note-composer.styles.ts';

const DEFAULT_NOTE_TYPE: NoteTypeCode = '11506-3';
const NO_DECISIONS: NoteDecisions = { accepted: [], rejected: [] };
const NOT_SAVED = 'Not saved: this browser would not store the draft. It is kept while Curbside stays open.';

/** A section as the composer shows it: in the draft, or emptied by the clinician and left out. */
type SectionView = { readonly id: NoteSectionId; readonly section: NoteSection | undefined };

/**
 * @summary The note the clinician will file, drafted from the suggestions they accepted: their
 * own words first, then one editable section per part of the draft. Sections the AI drafted are
 * marked "AI-drafted — review" and carry a Confirm button until the clinician confirms or edits
 * them; rejected suggestions never appear. "Review and attest" stays disabled, with the reason
 * beside it, until there is something to file and every AI-drafted section has been reviewed.
 *
 * The draft is rebuilt from `decisions` whenever they change, keeping every section the
 * clinician edited or emptied. With a `store`, each change is saved at once, and a saved draft
 * is restored when the store is first given while the clinician has not yet changed anything
 * here; a restored draft is kept as it is while `decisions` are empty, since a reloaded host
 * has usually lost them.
 *
 * Text is shown only in form controls and text bindings.
 *
 * @fires curbside-note-change - The draft changed: an edit, a confirmation, a note type, new decisions, or a restore. `detail`: `{ draft: NoteDraft }`.
 * @fires curbside-note-review - The clinician pressed "Review and attest". `detail`: `{ draft: NoteDraft }`, every AI-drafted section reviewed.
 *
 * @csspart base - The `<section>` around everything.
 * @csspart title - The heading (level set by `heading-level`).
 * @csspart status - Visible news about the draft: restored from earlier, or not saved.
 * @csspart problem - Why the draft could not follow the decisions.
 * @csspart note-type - The note type `<select>`.
 * @csspart own-words - The `<textarea>` for the clinician's own words.
 * @csspart empty - What to expect while nothing is accepted and nothing written.
 * @csspart sections - The list of drafted sections.
 * @csspart section - Each section; also `section-unreviewed`, `section-confirmed`, `section-edited` or `section-removed`.
 * @csspart section-title - A section's title, the label of its text box.
 * @csspart marker - The section's state: "AI-drafted — review", "AI-drafted — confirmed", "Your words" or "Left out of the note"; also `ai-marker` on AI-drafted sections.
 * @csspart section-text - A section's `<textarea>`.
 * @csspart confirm-button - A section's Confirm button.
 * @csspart actions - The Confirm all and Review buttons with the reason.
 * @csspart confirm-all-button - "Confirm all AI-drafted sections".
 * @csspart review-button - "Review and attest".
 * @csspart review-reason - Why "Review and attest" is disabled.
 *
 * @cssprop --curbside-ai-label-background - AI-drafted sections' background; a pale accent by default.
 * @cssprop --curbside-ai-label-color - AI-drafted sections' leading edge and marker; the accent by default.
 * @cssprop --curbside-color-accent - Buttons and focus rings.
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Hints and secondary text; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Background.
 * @cssprop --curbside-color-surface-raised - Emptied sections' background; mixed by default.
 * @cssprop --curbside-color-border - Borders of sections and text boxes.
 * @cssprop --curbside-color-error - Problems.
 * @cssprop --curbside-color-success - The marker of the clinician's own words.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Headings' font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsideNoteComposerElement extends LitElement {
  static override styles = [tokens, elementBase, visuallyHidden, insightViewStyles, noteComposerStyles];

  /** What the clinician typed in each section, which the draft holds only trimmed. */
  readonly #typed = new Map<NoteSectionId, string>();
  /** The insight and decisions the draft was last composed from. */
  #composedFrom: string | undefined;
  /** The store already restored from or saved to, so a re-set of the same store restores nothing. */
  #knownStore: DraftStore | undefined;
  /** Whether the clinician has changed anything here; until then a newly given store may restore. */
  #touched = false;
  /** A restored draft is kept as it is until the host has decisions again. */
  #keepRestored = false;
  #announce = false;
  #save = false;
  #focusAfterRender: string | undefined;

  @state() private current: NoteDraft | undefined;
  @state() private clinicianText = '';
  @state() private statusMessage = '';
  @state() private problem: string | undefined;
  @state() private announcement = '';

  /** The grounded answer the accepted suggestions come from; `undefined` before there is one. */
  @property({ attribute: false }) insight: Insight | undefined;

  /** The clinician's decisions on the insight's suggestions, owned by the host. */
  @property({ attribute: false }) decisions: NoteDecisions = NO_DECISIONS;

  /** Where the draft is saved on every change and restored from (session storage, keyed per patient). */
  @property({ attribute: false }) store: DraftStore | undefined;

  /** The LOINC code of the note type: `11506-3` progress note, `11488-4` consult note, `34117-2` history and physical. */
  @property({ attribute: 'note-type' }) noteType: NoteTypeCode = DEFAULT_NOTE_TYPE;

  /** The ARIA level of the title. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  /** The draft as it stands, or `undefined` before there is an insight to draft from. */
  get draft(): NoteDraft | undefined {
    return this.current;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!Object.hasOwn(NOTE_TYPES, this.noteType)) this.noteType = DEFAULT_NOTE_TYPE;
    if (changed.has('store') && this.store && this.store !== this.#knownStore) {
      this.#knownStore = this.store;
      if (this.#touched) this.#save = true;
      else this.#restore(this.store);
    }
    const key = this.#compositionKey();
    if (this.#keepRestored && this.decisions.accepted.length === 0 && this.decisions.rejected.length === 0) {
      this.#composedFrom = key;
    } else if (this.insight && key !== this.#composedFrom) {
      this.#keepRestored = false;
      this.#compose(this.insight);
      this.#composedFrom = key;
    }
    if (this.current && this.current.noteType.code !== this.noteType) this.#setDraft({ ...this.current, noteType: noteTypeOf(this.noteType) });
    if (this.#save) this.#saveNow();
  }

  override updated(): void {
    if (this.#focusAfterRender !== undefined) {
      this.shadowRoot!.getElementById(this.#focusAfterRender)?.focus();
      this.#focusAfterRender = undefined;
    }
    if (this.#announce && this.current) {
      this.#announce = false;
      this.dispatchEvent(new CurbsideNoteChangeEvent({ draft: this.current }));
    }
  }

  #onNoteType = (event: Event): void => {
    this.#touched = true;
    this.noteType = (event.target as HTMLSelectElement).value as NoteTypeCode;
    // The draft follows in willUpdate; an empty draft still has its type saved.
    this.#save = true;
  };

  #onOwnWords = (event: Event): void => {
    this.#touched = true;
    this.clinicianText = (event.target as HTMLTextAreaElement).value;
    this.#save = true;
    if (this.current) this.#setDraft(editSection(this.current, 'clinician', this.clinicianText));
  };

  #onSectionInput(id: NoteSectionId, event: Event): void {
    if (!this.current) return;
    this.#touched = true;
    const text = (event.target as HTMLTextAreaElement).value;
    this.#typed.set(id, text);
    this.#save = true;
    this.#setDraft(editSection(this.current, id, text));
  }

  #onConfirm(id: NoteSectionId): void {
    if (!this.current) return;
    this.#touched = true;
    this.#save = true;
    const draft = confirmSection(this.current, id);
    this.#setDraft(draft);
    this.announcement = `${NOTE_SECTION_TITLES[id]} confirmed.`;
    const next = unreviewedSections(draft).find((s) => NOTE_SECTION_ORDER.indexOf(s.id) > NOTE_SECTION_ORDER.indexOf(id)) ?? unreviewedSections(draft)[0];
    this.#focusAfterRender = next ? textId(next.id) : 'review';
  }

  #onConfirmAll = (): void => {
    if (!this.current) return;
    this.#touched = true;
    this.#save = true;
    this.#setDraft(unreviewedSections(this.current).reduce((draft, s) => confirmSection(draft, s.id), this.current));
    this.announcement = 'All AI-drafted sections confirmed.';
    this.#focusAfterRender = 'review';
  };

  #onReview = (): void => {
    const draft = this.current;
    if (!draft || this.#reviewBlocker(draft) !== undefined) return;
    this.dispatchEvent(new CurbsideNoteReviewEvent({ draft }));
  };

  #restore(store: DraftStore): void {
    const saved = store.load();
    if (!saved) {
      this.#save = this.current !== undefined || this.clinicianText !== '';
      return;
    }
    this.clinicianText = saved.clinicianText;
    this.noteType = saved.noteType;
    this.#typed.clear();
    this.#setStatus('Your draft from earlier in this session was restored.');
    // Whatever is composed next starts from what was restored: the edits in it carry over.
    this.#composedFrom = undefined;
    if (saved.draft) {
      this.#setDraft(saved.draft);
      this.#keepRestored = true;
      this.#save = false;
    }
  }

  #compose(insight: Insight): void {
    const input = { insight, decisions: this.decisions, clinicianText: this.clinicianText, noteType: this.noteType };
    try {
      this.#setDraft(this.current ? recomposeDraft(this.current, input) : composeNoteDraft(input));
      this.#save = true;
      this.problem = undefined;
    } catch (error) {
      if (!(error instanceof NoteError)) throw error;
      this.problem = `The note could not follow the latest decisions, so it is left as it was: ${error.message}`;
    }
  }

  #setDraft(draft: NoteDraft): void {
    if (draft === this.current) return;
    this.current = draft;
    this.#announce = true;
  }

  #saveNow(): void {
    this.#save = false;
    if (!this.store) return;
    try {
      this.store.save({ ...(this.current ? { draft: this.current } : {}), clinicianText: this.clinicianText, noteType: this.noteType });
      if (this.statusMessage === NOT_SAVED) this.statusMessage = '';
    } catch {
      if (this.statusMessage !== NOT_SAVED) this.#setStatus(NOT_SAVED);
    }
  }

  /** Visible news about the draft, also read out by screen readers. */
  #setStatus(message: string): void {
    this.statusMessage = message;
    this.announcement = message;
  }

  #compositionKey(): string {
    const { accepted, rejected } = this.decisions;
    return JSON.stringify([this.insight?.id ?? null, accepted.map((d) => d.itemId), rejected.map((d) => d.itemId)]);
  }

  /** Why the note cannot go to review yet, or undefined when it can. */
  #reviewBlocker(draft: NoteDraft | undefined): string | undefined {
    if (!draft) {
      return this.clinicianText.trim()
        ? 'Your words are kept; the note can be reviewed once the suggestions have loaded.'
        : 'Write your note or accept a suggestion first.';
    }
    if (draft.sections.length === 0) return 'Write your note or accept a suggestion first.';
    const left = unreviewedSections(draft).length;
    if (left > 0) return `Confirm or edit each AI-drafted section first: ${left} still to review.`;
    return undefined;
  }

  #sectionViews(draft: NoteDraft | undefined): SectionView[] {
    if (!draft) return [];
    const removed = new Set(draft.removed ?? []);
    return NOTE_SECTION_ORDER.filter((id) => id !== 'clinician')
      .map((id) => ({ id, section: draft.sections.find((s) => s.id === id) }))
      .filter((view) => view.section !== undefined || removed.has(view.id));
  }

  /** What the clinician typed while it still matches the draft; otherwise the draft's own text. */
  #sectionText(id: NoteSectionId, section: NoteSection | undefined): string {
    const stored = section?.lines.join('\n') ?? '';
    const typed = this.#typed.get(id);
    return typed !== undefined && normalise(typed) === stored ? typed : stored;
  }

  override render() {
    const draft = this.current;
    const views = this.#sectionViews(draft);
    const unreviewed = draft ? unreviewedSections(draft).length : 0;
    const blocker = this.#reviewBlocker(draft);
    const empty = views.length === 0 && !this.clinicianText.trim();
    return html`
      <section part="base" class="base" aria-labelledby="title">
        <div part="title" class="heading title" role="heading" aria-level=${this.#level(0)} id="title">Note draft</div>
        ${this.statusMessage ? html`<p part="status" class="status">${this.statusMessage}</p>` : nothing}
        <p class="visually-hidden" role="status">${this.announcement}</p>
        ${this.problem ? html`<p part="problem" class="problem" role="alert">${this.problem}</p>` : nothing}
        <div class="field">
          <label class="label" for="note-type">Note type</label>
          <select part="note-type" id="note-type" class="select" @change=${this.#onNoteType}>
            ${Object.entries(NOTE_TYPES).map(([code, display]) => html`<option value=${code} .selected=${code === this.noteType}>${display}</option>`)}
          </select>
        </div>
        <div class="field">
          <label class="label" for="own-words">Your note</label>
          <p class="hint" id="own-words-hint">Your own words, filed first and never marked as AI-drafted.</p>
          <textarea
            part="own-words"
            id="own-words"
            class="text"
            rows="4"
            aria-describedby="own-words-hint"
            .value=${this.clinicianText}
            @input=${this.#onOwnWords}
          ></textarea>
        </div>
        ${empty
          ? html`<p part="empty" class="empty">
              Suggestions you accept appear here as draft sections for you to review and edit. Rejected suggestions never go into the note.
            </p>`
          : nothing}
        ${views.length > 0
          ? html`<ul part="sections" class="sections" aria-label="Drafted sections">
              ${views.map((view) => this.#renderSection(view))}
            </ul>`
          : nothing}
        <div part="actions" class="actions">
          ${unreviewed > 0
            ? html`<button part="confirm-all-button" class="button" type="button" @click=${this.#onConfirmAll}>Confirm all AI-drafted sections</button>`
            : nothing}
          <button
            part="review-button"
            class="button primary"
            type="button"
            id="review"
            ?disabled=${blocker !== undefined}
            aria-describedby=${blocker === undefined ? nothing : 'review-reason'}
            @click=${this.#onReview}
          >
            Review and attest
          </button>
          ${blocker === undefined ? nothing : html`<p part="review-reason" class="review-reason" id="review-reason">${blocker}</p>`}
        </div>
      </section>
    `;
  }

  #renderSection({ id, section }: SectionView): TemplateResult {
    const title = NOTE_SECTION_TITLES[id];
    const kind = !section ? 'removed' : !section.aiDrafted ? 'edited' : section.reviewed ? 'confirmed' : 'unreviewed';
    const marker = {
      removed: 'Left out of the note — write here to include it',
      edited: 'Your words',
      confirmed: 'AI-drafted — confirmed',
      unreviewed: 'AI-drafted — review',
    }[kind];
    const ai = kind === 'confirmed' || kind === 'unreviewed';
    return html`
      <li part="section section-${kind}" class="section ${kind}">
        <div class="section-head">
          <label part="section-title" class="heading section-title" for=${textId(id)}>${title}</label>
          <span part="marker${ai ? ' ai-marker' : ''}" class="marker ${kind}" id=${markerId(id)}>${marker}</span>
        </div>
        <textarea
          part="section-text"
          id=${textId(id)}
          class="text"
          rows=${Math.min(12, Math.max(3, (section?.lines.length ?? 0) + 1))}
          aria-describedby=${markerId(id)}
          .value=${this.#sectionText(id, section)}
          @input=${(event: Event) => this.#onSectionInput(id, event)}
        ></textarea>
        ${kind === 'unreviewed'
          ? html`<button part="confirm-button" class="button confirm" type="button" @click=${() => this.#onConfirm(id)}>
              Confirm<span class="visually-hidden"> ${title}</span>
            </button>`
          : nothing}
      </li>
    `;
  }

  #level(below: number): number {
    return Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 2) + below);
  }
}

/** How `editSection` will store typed text, to tell whether the draft still matches it. */
function normalise(text: string): string {
  return text.trim().split(/\r?\n/).join('\n');
}

function textId(id: NoteSectionId): string {
  return `section-${id}`;
}

function markerId(id: NoteSectionId): string {
  return `marker-${id}`;
}

defineOnce('curbside-note-composer', CurbsideNoteComposerElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-note-composer': CurbsideNoteComposerElement;
  }
}
