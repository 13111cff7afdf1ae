import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import type { PatientChart } from '../../src/chart/types.ts';
import { describePayload, type SanitisedCase } from '../../src/privacy/index.ts';
import { prepareCase, runInsight } from '../../src/insight/pipeline.ts';
import { SummaryFieldExtractor } from '../../src/insight/stream-text.ts';
import { InsightError, type Insight, type InsightProvider } from '../../src/insight/types.ts';
import { defineOnce } from '../shared/define.ts';
import { tokens } from '../shared/tokens.styles.ts';
import {
  CurbsideModelDisclosureEvent,
  CurbsideNoteFiledEvent,
  CurbsideSuggestionsShownEvent,
  type CurbsideNoteAttestEvent,
  type CurbsideNoteReviewEvent,
  type CurbsideSuggestionAcceptEvent,
  type CurbsideSuggestionRejectEvent,
  type NoteAttestDetail,
} from '../shared/events.ts';
import { sha256Hex } from '../../src/writeback/encoding.ts';
import type { NoteDecisions, NoteDraft } from '../../src/writeback/note.ts';
import type { RolloutStage } from '../../src/smart/rollout.ts';
import type { NoteFilingService } from '../../src/writeback/filing.ts';
import type { WriteOutcome } from '../../src/writeback/writer.ts';
import type { NoteWriteState } from '../attestation/attestation.ts';
import '../differential/differential.ts';
import '../early-signs/early-signs.ts';
import '../note-composer/note-composer.ts';
import '../attestation/attestation.ts';
import '../evidence/evidence.ts';
import '../payload-view/payload-view.ts';
import '../about-ai/about-ai.ts';

/** Signs the clinician in to a model that needs it (Azure AI Foundry); called only from a click. */
export interface ModelSignIn {
  signIn(): Promise<void>;
}

type Decision = 'accepted' | 'rejected';
type ViewError = { kind: string; message: string; raw?: string };

const SWITCH_KEY = 'curbside.suggestions';

function viewError(error: unknown): ViewError {
  if (error instanceof InsightError) return { kind: error.kind, message: error.message, ...(error.raw ? { raw: error.raw } : {}) };
  // Anything else may carry a URL or PHI in its message: say only what happened.
  return { kind: 'server', message: 'The model could not be reached or answered in a way Curbside cannot use.' };
}

function chartSettled(chart: PatientChart | undefined): chart is PatientChart {
  return chart !== undefined && Object.values(chart.sections).every((s) => s.status !== 'loading');
}

/**
 * @summary The model's suggestions for the chart in view: the differential, evidence questions,
 * what is sent to the model and what the model is. Runs the insight pipeline (privacy → model →
 * grounding) once the chart has settled; never pre-accepts anything.
 *
 * @fires curbside-suggestion-accept - Re-dispatched from `<curbside-differential>` or `<curbside-early-signs>` after the decision is recorded.
 * @fires curbside-suggestion-reject - Likewise, with the override reason.
 * @fires curbside-model-disclosure - Before the de-identified case goes to the model: its size and hash, never its content.
 * @fires curbside-suggestions-shown - A differential was put in front of the clinician.
 * @fires curbside-note-filed - Filing an attested note ended; `detail.outcome` says how.
 *
 * @csspart base - The section.
 * @csspart switch - The suggestions on/off button.
 * @csspart off-notice - What is said while suggestions are off.
 * @csspart note - The note region: the composer, or the attestation while reviewing.
 * @csspart pilot-banner - Says the suggestions are a pilot, when `stage` is `pilot`.
 *
 * @cssprop --curbside-color-accent - Switch accent.
 */
export class CurbsideSuggestionsElement extends LitElement {
  static override styles = [
    tokens,
    css`
      :host { display: block; }
      .base { display: grid; gap: calc(var(--_spacing, 8px) * 1.5); padding: var(--_spacing, 8px) 0; }
      .head { display: flex; align-items: center; justify-content: space-between; gap: var(--_spacing, 8px); flex-wrap: wrap; }
      h2 { font-size: 1rem; margin: 0; }
      .switch { font: inherit; padding: 0.2rem 0.6rem; border-radius: var(--_radius, 6px); border: 1px solid var(--_color-border, #c9d1d9); background: transparent; color: inherit; cursor: pointer; }
      .switch[aria-pressed='true'] { border-color: var(--_color-accent, #1f5fa8); }
      .switch:focus-visible, summary:focus-visible, .sign-in:focus-visible { outline: 2px solid var(--_color-accent, #1f5fa8); outline-offset: 2px; }
      details { border-top: 1px solid var(--_color-border, #d5dbe1); padding-top: var(--_spacing, 8px); }
      summary { cursor: pointer; font-weight: 600; }
      .off { margin: 0; color: var(--_color-text-muted, #56616d); }
      .pilot { margin: 0; padding: calc(var(--_spacing, 8px) * 0.75) var(--_spacing, 8px); border-left: 4px solid var(--_color-accent, #1f5fa8); background: var(--_color-surface-raised, #eef2f6); }
      .sign-in { font: inherit; padding: 0.3rem 0.8rem; border-radius: var(--_radius, 6px); border: 1px solid var(--_color-accent, #1f5fa8); background: var(--_color-accent, #1f5fa8); color: #fff; cursor: pointer; }
    `,
  ];

  /** Decisions per insight item; owned here, shown by the differential. */
  @state() private decisions: ReadonlyMap<string, Decision> = new Map();
  @state() private enabled = sessionStorage.getItem(SWITCH_KEY) !== 'off';
  @state() private signInProblem: string | undefined;
  @state() private evidence: { state: 'idle' | 'streaming' | 'ready' | 'error'; answerText: string; insight?: Insight; error?: ViewError; retraction?: string } = {
    state: 'idle',
    answerText: '',
  };
  /** The clinician's decisions with their reasons, for the note (accepted) and the audit trail (rejected). */
  @state() private noteDecisions: NoteDecisions = { accepted: [], rejected: [] };
  /** The draft under review, with the attestation once given and where filing it stands. */
  @state() private review: { draft: NoteDraft; attested?: NoteAttestDetail; writeState: NoteWriteState } | undefined;
  /** The latest status line from the model while the differential is being prepared. */
  @state() private progress: string | undefined;

  /** The chart in view. The differential runs once every section has settled. */
  @property({ attribute: false }) chart: PatientChart | undefined;

  /** The model to ask. */
  @property({ attribute: false }) provider: InsightProvider | undefined;

  /** Present when the model needs the clinician to sign in. */
  @property({ attribute: false }) signIn: ModelSignIn | undefined;

  /** Files attested notes; without it the note can be drafted but not filed. */
  @property({ attribute: false }) filing: NoteFilingService | undefined;

  /**
   * The deployment stage: `shadow` runs the differential and reports it (for the audit trail) but
   * renders nothing, so nothing can be accepted or filed; `pilot` adds a pilot banner; `off` asks no model.
   */
  @property({ reflect: true }) stage: RolloutStage = 'general';

  /** The latest evaluation report, for "About this AI" (see `<curbside-about-ai>.report`). */
  @property({ attribute: false }) evaluationReport: unknown;

  #evidenceAbort: AbortController | undefined;
  #preparedFor: { chart: PatientChart; prepared: SanitisedCase } | undefined;

  #differential = new Task(this, {
    task: async ([chart, provider, enabled, stage], { signal }) => {
      // The clinician's on/off switch is not on screen in shadow mode, so it can't stop it.
      if (stage === 'off' || (!enabled && stage !== 'shadow') || !provider || !chartSettled(chart)) return undefined;
      this.progress = 'Sending the de-identified case to the model';
      let received = 0;
      const prepared = this.#prepared(chart);
      await this.#announceDisclosure('differential', prepared, provider);
      const run = await runInsight(chart, { kind: 'differential' }, provider, {
        signal,
        prepared,
        onProgress: (p) => {
          if (p.kind === 'status') this.progress = p.message;
          else if (p.kind === 'text') this.progress = `Receiving the answer (${(received += p.delta.length).toLocaleString()} characters)`;
        },
      });
      return run.insight;
    },
    args: () => [this.chart, this.provider, this.enabled, this.stage] as const,
    onComplete: (insight) => {
      if (!insight) return;
      this.dispatchEvent(
        new CurbsideSuggestionsShownEvent({
          insightId: insight.id,
          itemIds: insight.differential.map((d) => d.id),
          model: insight.model,
          ...(this.stage === 'shadow' ? { shadow: true } : {}),
          items: insight.differential.map((d) => ({
            id: d.id,
            codes: d.codes.filter((c) => c.code).map((c) => `${c.system ?? ''}|${c.code}`),
            verified: [...d.supporting, ...d.opposing].every((f) => f.verified),
          })),
        }),
      );
    },
  });

  async #announceDisclosure(task: 'differential' | 'evidence', prepared: SanitisedCase, provider: InsightProvider): Promise<void> {
    const payload = describePayload(prepared);
    this.dispatchEvent(
      new CurbsideModelDisclosureEvent({ task, payloadTokens: payload.tokens.payload, payloadSha256: await sha256Hex(payload.json), model: provider.identity }),
    );
  }

  #prepared(chart: PatientChart): SanitisedCase {
    if (this.#preparedFor?.chart !== chart) this.#preparedFor = { chart, prepared: prepareCase(chart) };
    return this.#preparedFor.prepared;
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A new patient's chart starts with no decisions and no answer.
    if (changed.has('chart') && changed.get('chart') !== undefined && (changed.get('chart') as PatientChart | undefined)?.patient?.reference !== this.chart?.patient?.reference) {
      this.decisions = new Map();
      this.noteDecisions = { accepted: [], rejected: [] };
      this.review = undefined;
      this.#stopEvidence();
      this.evidence = { state: 'idle', answerText: '' };
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopEvidence();
  }

  #toggle = (): void => {
    this.enabled = !this.enabled;
    sessionStorage.setItem(SWITCH_KEY, this.enabled ? 'on' : 'off');
    if (!this.enabled) {
      // Off means off: nothing in flight, nothing half-decided left behind.
      this.#stopEvidence();
      this.decisions = new Map();
      this.evidence = { state: 'idle', answerText: '' };
    }
  };

  #onAccept = (event: CurbsideSuggestionAcceptEvent): void => {
    const { itemId } = event.detail;
    this.decisions = new Map(this.decisions).set(itemId, 'accepted');
    this.noteDecisions = {
      accepted: [...this.noteDecisions.accepted.filter((d) => d.itemId !== itemId), { itemId }],
      rejected: this.noteDecisions.rejected.filter((d) => d.itemId !== itemId),
    };
  };

  #onReject = (event: CurbsideSuggestionRejectEvent): void => {
    const { itemId, reason, comment } = event.detail;
    this.decisions = new Map(this.decisions).set(itemId, 'rejected');
    this.noteDecisions = {
      accepted: this.noteDecisions.accepted.filter((d) => d.itemId !== itemId),
      rejected: [...this.noteDecisions.rejected.filter((d) => d.itemId !== itemId), { itemId, reason, ...(comment ? { comment } : {}) }],
    };
  };

  #onReview = (event: CurbsideNoteReviewEvent): void => {
    this.review = { draft: event.detail.draft, writeState: { status: 'idle' } };
  };

  #onEdit = (): void => {
    // Back to the composer; a note being filed or filed stays on screen until it settles.
    if (this.review && (this.review.writeState.status === 'idle' || this.review.writeState.status === 'failed')) this.review = undefined;
  };

  #onAttest = (event: CurbsideNoteAttestEvent): void => {
    if (!this.review) return;
    this.review = { ...this.review, attested: event.detail };
    void this.#file();
  };

  async #file(): Promise<void> {
    const review = this.review;
    const attested = review?.attested;
    if (!review || !attested) return;
    if (!this.filing) {
      this.review = { ...review, writeState: { status: 'failed', message: 'This page cannot file notes in the EHR. Your draft is kept.' } };
      return;
    }
    this.review = { ...review, writeState: { status: 'sending' } };
    let outcome: WriteOutcome;
    try {
      outcome = await this.filing.file({
        draft: attested.draft,
        text: attested.text,
        attestation: attested.attestation,
        onProgress: (p) => {
          if (this.review?.attested === attested && p.kind !== 'sending') {
            const message = p.kind === 'checking' ? 'Checking the chart for the note…' : `The EHR asked Curbside to wait; trying again in ${Math.ceil(p.ms / 1000)} s…`;
            this.review = { ...this.review, writeState: { status: 'sending', message } };
          }
        },
      });
    } catch {
      outcome = { status: 'unconfirmed', writeId: attested.attestation.writeId, message: 'Filing stopped before the EHR answered. Check the chart before filing again.', attempts: 0 };
    }
    this.#settled(outcome);
  }

  #settled(outcome: WriteOutcome): void {
    if (!this.review) return;
    this.review = { ...this.review, writeState: writeStateFor(outcome) };
    // Only a note proven in the chart ends the draft.
    if (outcome.status === 'confirmed') this.filing?.drafts?.clear();
    this.dispatchEvent(new CurbsideNoteFiledEvent({ outcome }));
  }

  #onFileRetry = (): void => {
    void this.#file();
  };

  #onCheck = async (): Promise<void> => {
    const writeId = this.review?.attested?.attestation.writeId;
    if (!writeId || !this.filing) return;
    this.review = { ...this.review!, writeState: { status: 'sending', message: 'Checking the chart for the note…' } };
    const outcome = await this.filing.check(writeId).catch(() => undefined);
    this.#settled(outcome ?? { status: 'unconfirmed', writeId, message: 'The chart could not be checked. Try again in a moment.', attempts: 0 });
  };

  #onRetry = (): void => {
    void this.#differential.run();
  };

  #onSignIn = async (): Promise<void> => {
    this.signInProblem = undefined;
    try {
      await this.signIn?.signIn();
      void this.#differential.run();
    } catch (error) {
      this.signInProblem = viewError(error).message;
    }
  };

  #stopEvidence(): void {
    this.#evidenceAbort?.abort();
    this.#evidenceAbort = undefined;
  }

  #onAsk = async (event: CustomEvent<{ question: string }>): Promise<void> => {
    const chart = this.chart;
    const provider = this.provider;
    if (!this.enabled || !provider || !chartSettled(chart)) return;
    this.#stopEvidence();
    const abort = new AbortController();
    this.#evidenceAbort = abort;
    const extractor = new SummaryFieldExtractor();
    this.evidence = { state: 'streaming', answerText: '' };
    try {
      const prepared = this.#prepared(chart);
      await this.#announceDisclosure('evidence', prepared, provider);
      const run = await runInsight(chart, { kind: 'evidence', question: event.detail.question }, provider, {
        signal: abort.signal,
        prepared,
        onProgress: (progress) => {
          if (abort.signal.aborted) return;
          if (progress.kind === 'text') {
            extractor.push(progress.delta);
            this.evidence = { state: 'streaming', answerText: extractor.text };
          } else if (progress.kind === 'retracted') {
            this.evidence = { state: 'streaming', answerText: '', retraction: progress.reason };
          }
        },
      });
      if (!abort.signal.aborted) this.evidence = { state: 'ready', answerText: run.insight.summary, insight: run.insight };
    } catch (error) {
      if (abort.signal.aborted) this.evidence = { state: 'idle', answerText: this.evidence.answerText };
      else this.evidence = { state: 'error', answerText: '', error: viewError(error) };
    }
  };

  #onStop = (): void => {
    this.#stopEvidence();
  };

  override render() {
    // Shadow mode shows nothing at all: no suggestion, no note, no hint that a model ran.
    if (this.stage === 'shadow' || this.stage === 'off') return nothing;
    const model = this.provider?.identity;
    return html`
      <section part="base" class="base" aria-labelledby="suggestions-title">
        <div class="head">
          <h2 id="suggestions-title">Suggestions</h2>
          <button part="switch" class="switch" type="button" aria-pressed=${this.enabled ? 'true' : 'false'} @click=${this.#toggle}>
            ${this.enabled ? 'Suggestions on' : 'Suggestions off'}
          </button>
        </div>
        ${this.stage === 'pilot'
          ? html`<p part="pilot-banner" class="pilot" role="note">
              <strong>Pilot.</strong> These suggestions are being trialled with a small group of clinicians at this site. Please reject
              anything unhelpful with a reason: that is how the pilot is judged.
            </p>`
          : nothing}
        ${this.enabled ? this.#renderOn() : html`<p part="off-notice" class="off" role="status">Suggestions are off for this session. Nothing is sent to the model.</p>`}
        ${model
          ? html`<details>
              <summary>About this AI</summary>
              <curbside-about-ai heading-level="3" .model=${model} .report=${this.evaluationReport}></curbside-about-ai>
            </details>`
          : nothing}
      </section>
    `;
  }

  #renderOn(): unknown {
    const chart = this.chart;
    const differential = this.#differential.render({
      initial: () => html`<curbside-differential heading-level="3" state="idle" .model=${this.provider?.identity}></curbside-differential>`,
      pending: () =>
        html`<curbside-differential heading-level="3" state="streaming" .model=${this.provider?.identity} .progress=${this.progress}></curbside-differential>`,
      complete: (insight) =>
        html`<curbside-differential
          heading-level="3"
          .model=${this.provider?.identity}
          .state=${insight ? 'ready' : 'idle'}
          .insight=${insight}
          .decisions=${this.decisions}
          @curbside-suggestion-accept=${this.#onAccept}
          @curbside-suggestion-reject=${this.#onReject}
        ></curbside-differential>`,
      error: (error) => {
        const shown = viewError(error);
        return html`${shown.kind === 'unauthorized' && this.signIn ? html`<button class="sign-in" type="button" @click=${this.#onSignIn}>Sign in to the clinical model</button>` : nothing}
          ${this.signInProblem ? html`<p role="alert">${this.signInProblem}</p>` : nothing}
          <curbside-differential heading-level="3" state="error" .model=${this.provider?.identity} .error=${shown} @curbside-insight-retry=${this.#onRetry}></curbside-differential>`;
      },
    });
    return html`
      ${chartSettled(chart) ? this.#renderEarlySigns(chart) : nothing} ${differential}
      ${this.#renderNote(this.#differential.value)}
      <curbside-evidence
        heading-level="3"
        .retraction=${this.evidence.retraction}
        .state=${this.evidence.state}
        .answerText=${this.evidence.answerText}
        .insight=${this.evidence.insight}
        .error=${this.evidence.error}
        .model=${this.provider?.identity}
        @curbside-evidence-ask=${this.#onAsk}
        @curbside-evidence-stop=${this.#onStop}
      ></curbside-evidence>
      ${chartSettled(chart)
        ? html`<details>
            <summary>What is sent to the model</summary>
            <curbside-payload-view heading-level="3" .payload=${describePayload(this.#prepared(chart))}></curbside-payload-view>
          </details>`
        : nothing}
    `;
  }

  /**
   * Early signs are decided on against the insight whose note they would join (its `earlySigns`
   * come from the same chart, under the same ids), so the buttons appear only while a finished
   * insight is shown, never against one still being replaced.
   */
  #renderEarlySigns(chart: PatientChart): unknown {
    const insight = this.#differential.status === TaskStatus.COMPLETE ? this.#differential.value : undefined;
    return html`<curbside-early-signs
      heading-level="3"
      .chart=${chart}
      .insightId=${insight?.id}
      .decisions=${this.decisions}
      @curbside-suggestion-accept=${this.#onAccept}
      @curbside-suggestion-reject=${this.#onReject}
    ></curbside-early-signs>`;
  }

  /** The note: composed from accepted suggestions, then reviewed and attested, then filed. */
  #renderNote(insight: Insight | undefined): unknown {
    const review = this.review;
    const clinician = this.filing?.clinician;
    if (review) {
      return html`<div part="note" class="note">
        <curbside-attestation
          heading-level="3"
          .draft=${review.draft}
          .clinician=${clinician}
          .writeState=${review.writeState}
          @curbside-note-attest=${this.#onAttest}
          @curbside-note-edit=${this.#onEdit}
          @curbside-note-retry=${this.#onFileRetry}
          @curbside-note-check=${this.#onCheck}
        ></curbside-attestation>
      </div>`;
    }
    if (!insight) return nothing;
    return html`<div part="note" class="note">
      <curbside-note-composer
        heading-level="3"
        .insight=${insight}
        .decisions=${this.noteDecisions}
        .store=${this.filing?.drafts}
        @curbside-note-review=${this.#onReview}
      ></curbside-note-composer>
    </div>`;
  }
}

function writeStateFor(outcome: WriteOutcome): NoteWriteState {
  switch (outcome.status) {
    case 'confirmed':
      return { status: 'confirmed', resourceId: outcome.resourceId };
    case 'failed':
      return { status: 'failed', message: outcome.message };
    case 'unconfirmed':
      return { status: 'unconfirmed', message: outcome.message };
    case 'needs-relaunch':
      return { status: 'needs-relaunch', message: outcome.message };
  }
}

defineOnce('curbside-suggestions', CurbsideSuggestionsElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-suggestions': CurbsideSuggestionsElement;
  }
}
