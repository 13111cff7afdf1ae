import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { Task, initialState } from '@lit/task';
import { PatientLoadError, loadBannerFacts, loadChart, type BannerFacts, type ChartLoadStats, type PatientChart } from '../../src/chart/index.ts';
import type { FhirRequester, LaunchContext } from '../../src/smart/context.ts';
import { fetchSmartStyle } from '../../src/smart/style.ts';
import { fhirContext, launchContext } from '../shared/contexts.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsideChartLoadEvent, CurbsidePatientLoadEvent, type CurbsideFactSelectEvent } from '../shared/events.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { afterNextPaint } from '../shared/after-paint.ts';
import { retryButton, visuallyHidden } from '../shared/utility.styles.ts';
import type { CurbsideChartSummaryElement } from '../chart-summary/chart-summary.ts';
import '../patient-banner/patient-banner.ts';
import type { ModelSignIn } from '../suggestions/suggestions.ts';
import type { InsightProvider } from '../../src/insight/types.ts';
import type { NoteFilingService } from '../../src/writeback/filing.ts';
import type { RolloutStage } from '../../src/smart/rollout.ts';
import { sidebarStyles } from './sidebar.styles.ts';

const NO_PATIENT_MESSAGE = "This launch has no patient in context. Open Curbside from a patient's chart.";
const GENERIC_LOAD_ERROR = 'Patient details could not be loaded.';
const CHART_LOAD_ERROR = 'The chart could not be loaded.';

/**
 * @summary The Curbside sidebar: the app's root inside the EHR's iframe. Provides the launch
 * context and FHIR requester to descendants, loads the patient banner facts and, when the
 * EHR asks for it, shows the patient banner; reads the chart and shows its summary, section
 * by section as the EHR answers.
 *
 * @slot - Panels for the main region, after the chart summary.
 *
 * @fires curbside-patient-load - The banner facts for the patient in context finished loading.
 * @fires curbside-chart-load - The chart summary finished loading and rendered; detail carries the load's request stats.
 * @fires curbside-fact-select - Bubbles out of the chart summary when the clinician chooses a fact.
 *
 * @csspart base - The column holding header, banner and main region.
 * @csspart header - The header with the product name.
 * @csspart product - The product name.
 * @csspart banner - The `<curbside-patient-banner>`, when `needPatientBanner` is true.
 * @csspart main - The main region holding the chart summary and the slot.
 * @csspart chart-summary - The `<curbside-chart-summary>`.
 * @csspart chart-error - The message shown when the chart could not be read at all, with "Try again".
 * @csspart suggestions - The `<curbside-suggestions>` shown once the chart has loaded, when a model is configured.
 * @csspart notice - A message in place of the patient (no patient in context, or a load error while the banner is hidden).
 *
 * @cssprop --curbside-color-accent - Product mark, banner edge, focus rings.
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Secondary text; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Background.
 * @cssprop --curbside-color-surface-raised - Banner and notice background; mixed by default.
 * @cssprop --curbside-color-border - Dividers.
 * @cssprop --curbside-color-error - Error accents.
 * @cssprop --curbside-color-success - Success accents.
 * @cssprop --curbside-color-backdrop - Modal backdrop.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Heading font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius.
 * @cssprop --curbside-spacing - Spacing unit.
 *
 * When `context.smartStyleUrl` is set, the EHR's SMART style document is fetched once and its
 * validated values are set as these custom properties on the host.
 */
export class CurbsideSidebarElement extends LitElement {
  static override styles = [tokens, visuallyHidden, retryButton, sidebarStyles];

  #patientTask = new Task(this, {
    task: async ([fhir, patientId], { signal }): Promise<BannerFacts | typeof initialState> => {
      if (!fhir || !patientId) return initialState;
      return loadBannerFacts(fhir, patientId, signal);
    },
    args: () => [this.fhir, this.context?.patientId] as const,
    onComplete: (facts) => this.dispatchEvent(new CurbsidePatientLoadEvent({ reference: facts.patient.reference })),
  });

  /** Counts chart loads, so an update from a superseded load is never shown. */
  #chartRun = 0;

  #chartTask = new Task(this, {
    task: async ([fhir, context], { signal }): Promise<PatientChart | typeof initialState> => {
      if (!fhir || !context?.patientId) return initialState;
      // Asked beside the banner, so the chart knows at once whether the EHR takes batches.
      const capabilityStatement = fhir.batch ? fhir.request<unknown>('metadata', { signal }) : undefined;
      capabilityStatement?.catch(() => undefined);
      // The banner's two reads go first: the chart's dozens of searches would otherwise take every
      // connection the browser has to the EHR and queue them, and the banner is what the clinician
      // checks first (right patient?). Its answer or failure lets the chart start.
      await this.#patientTask.taskComplete.catch(() => undefined);
      if (signal.aborted) return initialState;
      const run = ++this.#chartRun;
      const onUpdate = (chart: PatientChart): void => {
        if (!signal.aborted && run === this.#chartRun) this.progressiveChart = { run, chart };
      };
      const { chart, stats } = await loadChart(fhir, context, { signal, onUpdate, ...(capabilityStatement ? { capabilityStatement } : {}) });
      this.#chartStats = stats;
      return chart;
    },
    args: () => [this.fhir, this.context] as const,
    onComplete: (chart) => void this.#announceChartLoad(chart),
  });

  #chartStats: ChartLoadStats | undefined;

  /** Fires once the summary has rendered the finished chart, so hosts can measure or react. */
  async #announceChartLoad(chart: PatientChart | typeof initialState): Promise<void> {
    const stats = this.#chartStats;
    if (chart === initialState) return;
    try {
      if (!stats) return;
      await CurbsideSidebarElement.#loadSummary();
      await this.updateComplete;
      await this.summary?.updateComplete;
      this.dispatchEvent(new CurbsideChartLoadEvent({ reference: chart.patient?.reference ?? `Patient/${this.context?.patientId ?? ''}`, stats }));
    } finally {
      // Preparing the case and finding early signs is a long task on a big chart: the finished
      // summary is painted first, and only then do the suggestions get the chart.
      await afterNextPaint();
      if (this.#chartTask.value === chart) this.suggestionsChart = chart;
    }
  }

  #appliedStyleProperties: string[] = [];

  constructor() {
    super();
    // Registers itself with the host; re-runs (and aborts the previous fetch) only when the URL changes.
    new Task(this, {
      task: async ([url], { signal }) => (url ? fetchSmartStyle(url, (input, init) => fetch(input, init), signal) : {}),
      args: () => [this.context?.smartStyleUrl] as const,
      onComplete: (properties) => this.#applyStyleProperties(properties),
    });
  }

  @query('curbside-chart-summary') private summary: CurbsideChartSummaryElement | null | undefined;

  /** The finished chart once its summary has painted: what the suggestions work on. */
  @state() private suggestionsChart: PatientChart | undefined;

  /** The chart so far while it loads, tagged with the load it belongs to. */
  @state() private progressiveChart: { readonly run: number; readonly chart: PatientChart } | undefined;

  /** The SMART launch context. Provided to descendants as `launchContext`. */
  @provide({ context: launchContext })
  @property({ attribute: false })
  context: LaunchContext | undefined;

  /** The model suggestions come from; without one the sidebar shows the chart only. */
  @property({ attribute: false })
  insightProvider: InsightProvider | undefined;

  /** Signs the clinician in to a model that needs it (Azure AI Foundry). */
  @property({ attribute: false })
  modelSignIn: ModelSignIn | undefined;

  /** Files attested notes in the EHR; without it notes can be drafted but not filed. */
  @property({ attribute: false })
  noteFiling: NoteFilingService | undefined;

  /** How far suggestions are rolled out for this launch: `off`, `shadow` (run, recorded, never shown), `pilot` or `general`. */
  @property()
  stage: RolloutStage = 'general';

  /** The latest evaluation report (`evaluation/latest.json`), shown under "About this AI". */
  @property({ attribute: false })
  evaluationReport: unknown;

  /** Reads from the EHR's FHIR server. Provided to descendants as `fhirContext`. */
  @provide({ context: fhirContext })
  @property({ attribute: false })
  fhir: FhirRequester | undefined;

  /**
   * The suggestions (model views, markdown, the note) are loaded only when a model is given, and
   * while the chart loads, so the banner and chart summary don't wait for code they don't use.
   */
  static #suggestionsModule: Promise<unknown> | undefined;

  /** The chart summary's code loads while the banner's first request is in flight. */
  static #summaryModule: Promise<unknown> | undefined;

  static #loadSummary(): Promise<unknown> {
    CurbsideSidebarElement.#summaryModule ??= import('../chart-summary/chart-summary.ts').catch((error: unknown) => {
      CurbsideSidebarElement.#summaryModule = undefined;
      throw error;
    });
    return CurbsideSidebarElement.#summaryModule;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void CurbsideSidebarElement.#loadSummary().catch(() => undefined);
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (this.insightProvider && !CurbsideSidebarElement.#suggestionsModule) {
      CurbsideSidebarElement.#suggestionsModule = import('../suggestions/suggestions.ts').catch((error: unknown) => {
        // A failed chunk load is retried on the next update.
        CurbsideSidebarElement.#suggestionsModule = undefined;
        throw error;
      });
      void CurbsideSidebarElement.#suggestionsModule.catch(() => undefined);
    }
  }

  #onRetry = (): void => {
    void this.#patientTask.run();
  };

  /** A finding chosen in a suggestion is shown where it lives in the chart summary. */
  #onSuggestionFact = (event: CurbsideFactSelectEvent): void => {
    this.focusFact(event.detail.reference);
  };

  #onChartRetry = (): void => {
    void this.#chartTask.run();
  };

  /**
   * Brings a chart fact into view in the summary, highlights and focuses it (see
   * `<curbside-chart-summary>.highlightFact`). Returns false when the fact is not shown.
   */
  focusFact(reference: string): boolean {
    return this.summary?.highlightFact(reference) ?? false;
  }

  #applyStyleProperties(properties: Record<string, string>): void {
    for (const name of this.#appliedStyleProperties) this.style.removeProperty(name);
    for (const [name, value] of Object.entries(properties)) this.style.setProperty(name, value);
    this.#appliedStyleProperties = Object.keys(properties);
  }

  override render() {
    return html`
      <div part="base" class="base">
        <header part="header" class="header">
          <h1 part="product" class="product">Curbside</h1>
        </header>
        ${this.context?.needPatientBanner ? this.#renderBanner() : nothing}
        <main part="main" class="main">
          ${this.#renderPatientInMain()} ${this.#renderChart()}
          <slot></slot>
        </main>
      </div>
    `;
  }

  #renderBanner(): unknown {
    if (!this.context?.patientId) return nothing;
    return this.#patientTask.render({
      initial: () => nothing,
      pending: () => html`<curbside-patient-banner part="banner" loading></curbside-patient-banner>`,
      complete: (facts) => html`<curbside-patient-banner part="banner" .facts=${facts}></curbside-patient-banner>`,
      error: (error) =>
        html`<curbside-patient-banner part="banner" .error=${loadErrorMessage(error)} @curbside-patient-retry=${this.#onRetry}></curbside-patient-banner>`,
    });
  }

  #renderChart(): unknown {
    if (!this.context?.patientId) return nothing;
    const summary = (chart: PatientChart | undefined) =>
      html`<curbside-chart-summary part="chart-summary" class="chart-summary" .chart=${chart}></curbside-chart-summary>`;
    return this.#chartTask.render({
      initial: () => nothing,
      pending: () => summary(this.progressiveChart?.run === this.#chartRun ? this.progressiveChart.chart : undefined),
      complete: (chart) => html`${summary(chart)}${this.#renderSuggestions(chart === this.suggestionsChart ? chart : initialState)}`,
      error: () => html`
        <div part="chart-error" class="notice error" role="alert">
          <p>${CHART_LOAD_ERROR}</p>
          <button class="retry" type="button" @click=${this.#onChartRetry}>Try again</button>
        </div>
      `,
    });
  }

  /** Suggestions run on the finished chart, and only when a model was given. */
  #renderSuggestions(chart: PatientChart | typeof initialState): unknown {
    if (!this.insightProvider || chart === initialState || this.stage === 'off') return nothing;
    // In shadow mode nothing may be written, so the filing service never reaches the suggestions.
    return html`<curbside-suggestions
      part="suggestions"
      .stage=${this.stage}
      .evaluationReport=${this.evaluationReport}
      .chart=${chart}
      .provider=${this.insightProvider}
      .signIn=${this.stage === 'shadow' ? undefined : this.modelSignIn}
      .filing=${this.stage === 'shadow' ? undefined : this.noteFiling}
      @curbside-fact-select=${this.#onSuggestionFact}
    ></curbside-suggestions>`;
  }

  /** What the main region says about the patient: the no-patient notice, or, with the banner hidden, a heading for screen readers. */
  #renderPatientInMain(): unknown {
    const context = this.context;
    if (!context) return nothing;
    if (!context.patientId) {
      return html`<div part="notice" class="notice" role="status"><p>${NO_PATIENT_MESSAGE}</p></div>`;
    }
    if (context.needPatientBanner) return nothing;
    // The EHR shows its own banner; screen-reader users still need to know whose chart this is.
    return this.#patientTask.render({
      initial: () => nothing,
      pending: () => html`<p class="visually-hidden" role="status">Loading patient details</p>`,
      complete: (facts) => html`<h2 class="visually-hidden">Patient: ${facts.patient.name}</h2>`,
      error: (error) => html`
        <div part="notice" class="notice error" role="alert">
          <p>Patient details unavailable. ${loadErrorMessage(error)}</p>
          <button class="retry" type="button" @click=${this.#onRetry}>Try again</button>
        </div>
      `,
    });
  }
}

/** Only messages written for the clinician are shown; anything else could carry a URL or PHI. */
function loadErrorMessage(error: unknown): string {
  return error instanceof PatientLoadError ? error.message : GENERIC_LOAD_ERROR;
}

defineOnce('curbside-sidebar', CurbsideSidebarElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-sidebar': CurbsideSidebarElement;
  }
}
