import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { keyLabs, keyVitals } from '../../src/chart/index.ts';
import type { Allergy, ChartSectionName, ChartSectionState, ClinicalNote, Medication, ObservationSeries, PatientChart, Problem } from '../../src/chart/index.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsideFactSelectEvent } from '../shared/events.ts';
import { TREND_ARROWS, abnormalWord, displayUnit, formatDate, formatNumber, formatQuantity, formatReferenceRange } from '../shared/format.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { visuallyHidden } from '../shared/utility.styles.ts';
import '../sparkline/sparkline.ts';
import {
  RECENT_NOTE_LIMIT,
  latestPressure,
  notesByDate,
  seriesReference,
  splitAllergies,
  splitMedications,
  splitProblems,
  vitalRows,
  type Split,
  type VitalRow,
} from './chart-summary-model.ts';
import { chartSummaryStyles } from './chart-summary.styles.ts';

/** How long a fact stays highlighted after `highlightFact`. */
const HIGHLIGHT_MS = 4000;

type SectionKey = 'problems' | 'medications' | 'allergies' | 'labs' | 'vitals' | 'notes';

interface SectionSpec {
  readonly key: SectionKey;
  readonly source: ChartSectionName;
  readonly title: string;
  readonly empty: string;
  /** Completes "Showing the most recent …". */
  readonly plural: string;
}

const SECTIONS: Record<SectionKey, SectionSpec> = {
  problems: { key: 'problems', source: 'problems', title: 'Problems', empty: 'No active problems recorded', plural: 'problems' },
  medications: { key: 'medications', source: 'medications', title: 'Medications', empty: 'No active medications recorded', plural: 'medications' },
  allergies: { key: 'allergies', source: 'allergies', title: 'Allergies', empty: 'No allergies recorded', plural: 'allergies' },
  labs: { key: 'labs', source: 'labs', title: 'Key labs', empty: 'No lab results recorded', plural: 'results' },
  vitals: { key: 'vitals', source: 'vitals', title: 'Vitals', empty: 'No vital signs recorded', plural: 'vital signs' },
  notes: { key: 'notes', source: 'notes', title: 'Recent notes', empty: 'No notes recorded', plural: 'notes' },
};

const LOADING: ChartSectionState = { status: 'loading' };

const CRITICALITY: Record<string, { word: string; tone: string }> = {
  high: { word: 'High criticality', tone: 'alert' },
  low: { word: 'Low criticality', tone: 'quiet' },
  'unable-to-assess': { word: 'Criticality unknown', tone: 'quiet' },
};

const TREND_WORDS = { rising: 'rising', falling: 'falling', stable: 'stable' } as const;

/** What each list holds, chosen once per chart so rendering and `highlightFact` agree. */
interface SummaryView {
  readonly problems: Split<Problem>;
  readonly medications: Split<Medication>;
  readonly allergies: Split<Allergy>;
  readonly labs: readonly ObservationSeries[];
  readonly vitals: readonly VitalRow[];
  readonly notes: readonly ClinicalNote[];
}

const EMPTY_VIEW: SummaryView = {
  problems: { current: [], other: [] },
  medications: { current: [], other: [] },
  allergies: { current: [], other: [] },
  labs: [],
  vitals: [],
  notes: [],
};

/**
 * @summary The patient's chart at a glance: problems, medications, allergies, key labs,
 * vitals and recent notes. Each section shows its own state — loading, unavailable with the
 * reason, empty, or the facts — so sections appear as the chart arrives.
 *
 * Every fact is a button that announces its FHIR reference with `curbside-fact-select`;
 * `highlightFact(reference)` brings a fact into view for a finding that cites it.
 *
 * @fires curbside-fact-select - A fact was chosen (click, Enter or Space). `detail.reference` is its FHIR reference; for a lab or vital series, the latest value's.
 *
 * @csspart base - The column of sections.
 * @csspart section - Each `<section>`; also `section-problems`, `section-medications`, `section-allergies`, `section-labs`, `section-vitals`, `section-notes`.
 * @csspart section-title - Each section's heading (level set by `heading-level`).
 * @csspart list - A list of items.
 * @csspart item - Each fact's button; also `problem`, `medication`, `allergy`, `lab`, `vital` or `note`.
 * @csspart item-title - The fact's name.
 * @csspart item-meta - Secondary line: onset, dosage, reactions, date, reference range, author.
 * @csspart value - A lab or vital reading with its unit.
 * @csspart trend - The trend arrow of a series.
 * @csspart badge - A word badge: criticality, abnormal flag, medication status.
 * @csspart sparkline - The `<curbside-sparkline>` of a lab or vital.
 * @csspart more - A `<details>` holding resolved problems, inactive entries or older notes.
 * @csspart skeleton - Placeholder bars while a section loads.
 * @csspart empty - The message of a section with nothing to show.
 * @csspart unavailable - Why a section could not be read.
 * @csspart section-note - A note that entries were skipped or the list was cut short.
 *
 * @cssprop --curbside-chart-summary-highlight-color - Background of a highlighted fact; a pale accent by default.
 * @cssprop --curbside-color-abnormal - Abnormal flags and high-criticality badges; the error colour by default.
 * @cssprop --curbside-sparkline-width - Width of the series sparklines (default 5.5rem for labs, 4.5rem for vitals).
 * @cssprop --curbside-sparkline-height - Height of the series sparklines.
 * @cssprop --curbside-color-accent - Focus rings and the highlighted fact's edge.
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Section titles and secondary lines; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Background.
 * @cssprop --curbside-color-surface-raised - Hovered items; mixed by default.
 * @cssprop --curbside-color-border - Section dividers and badge outlines.
 * @cssprop --curbside-color-error - Default for `--curbside-color-abnormal`.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Section titles' font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius of items, badges and skeleton bars.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsideChartSummaryElement extends LitElement {
  static override styles = [tokens, visuallyHidden, chartSummaryStyles];

  #view: SummaryView = EMPTY_VIEW;
  /** Every fact reference a shown item answers for (a series answers for all its values) → that item's key. */
  #itemKeys = new Map<string, string>();
  #highlightTimer: ReturnType<typeof setTimeout> | undefined;

  @state() private highlightedKey: string | undefined;

  /** The chart to summarise; `undefined` shows every section loading. */
  @property({ attribute: false }) chart: PatientChart | undefined;

  /** The ARIA level of the section headings, so the summary fits the host page's outline. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('chart')) this.#view = this.#buildView();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#highlightTimer);
    this.highlightedKey = undefined;
  }

  #onSelect = (event: Event): void => {
    const reference = (event.currentTarget as HTMLElement).dataset.reference;
    if (reference) this.dispatchEvent(new CurbsideFactSelectEvent({ reference }));
  };

  /**
   * Scrolls the fact into view, highlights it for a few seconds (class `highlighted` and
   * `aria-current`) and focuses it. A value inside a lab or vital series highlights its series.
   * Returns false when the fact is not shown, e.g. its section is still loading.
   */
  highlightFact(reference: string): boolean {
    const key = this.#itemKeys.get(reference);
    const item = key === undefined ? undefined : this.#itemButtons().find((button) => button.dataset.key === key);
    if (!key || !item) return false;

    const details = item.closest('details');
    if (details && !details.open) details.open = true;
    clearTimeout(this.#highlightTimer);
    this.highlightedKey = key;
    this.#highlightTimer = setTimeout(() => {
      this.highlightedKey = undefined;
    }, HIGHLIGHT_MS);

    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    item.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
    item.focus({ preventScroll: true });
    return true;
  }

  override render() {
    return html`
      <div part="base" class="base">
        ${this.#renderSection(SECTIONS.problems, () => this.#renderProblems())}
        ${this.#renderSection(SECTIONS.medications, () => this.#renderMedications())}
        ${this.#renderSection(SECTIONS.allergies, () => this.#renderAllergies())}
        ${this.#renderSection(SECTIONS.labs, () => this.#renderLabs())}
        ${this.#renderSection(SECTIONS.vitals, () => this.#renderVitals())}
        ${this.#renderSection(SECTIONS.notes, () => this.#renderNotes())}
      </div>
    `;
  }

  #buildView(): SummaryView {
    const chart = this.chart;
    this.#itemKeys = new Map();
    if (!chart) return EMPTY_VIEW;
    const view: SummaryView = {
      problems: splitProblems(chart.problems),
      medications: splitMedications(chart.medications),
      allergies: splitAllergies(chart.allergies),
      labs: keyLabs(chart),
      vitals: vitalRows(keyVitals(chart)),
      notes: notesByDate(chart.notes),
    };
    const index = (reference: string, key: string): void => {
      if (!this.#itemKeys.has(reference)) this.#itemKeys.set(reference, key);
    };
    for (const problem of [...view.problems.current, ...view.problems.other]) index(problem.reference, itemKey('problems', problem.reference));
    for (const medication of [...view.medications.current, ...view.medications.other]) {
      const key = itemKey('medications', medication.reference);
      index(medication.reference, key);
      if (medication.medicationReference) index(medication.medicationReference, key);
    }
    for (const allergy of [...view.allergies.current, ...view.allergies.other]) index(allergy.reference, itemKey('allergies', allergy.reference));
    for (const series of view.labs) {
      const key = itemKey('labs', seriesReference(series));
      for (const point of series.points) index(point.reference, key);
    }
    for (const row of view.vitals) {
      const all = row.kind === 'single' ? [row.series] : [row.systolic, row.diastolic].filter((series) => series !== undefined);
      const key = itemKey('vitals', vitalReference(row));
      for (const series of all) for (const point of series.points) index(point.reference, key);
    }
    for (const note of view.notes) index(note.reference, itemKey('notes', note.reference));
    return view;
  }

  #itemButtons(): HTMLButtonElement[] {
    return Array.from(this.renderRoot.querySelectorAll<HTMLButtonElement>('button[data-key]'));
  }

  #renderSection(spec: SectionSpec, content: () => TemplateResult | undefined): TemplateResult {
    const state = this.chart ? (this.chart.sections[spec.source] ?? LOADING) : LOADING;
    const titleId = `${spec.key}-title`;
    const level = Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 2));
    return html`
      <section
        part="section section-${spec.key}"
        class="section ${state.status}"
        aria-labelledby=${titleId}
        aria-busy=${state.status === 'loading' ? 'true' : nothing}
      >
        <div part="section-title" class="section-title" id=${titleId} role="heading" aria-level=${level}>${spec.title}</div>
        ${this.#renderState(spec, state, content)}
      </section>
    `;
  }

  #renderState(spec: SectionSpec, state: ChartSectionState, content: () => TemplateResult | undefined): TemplateResult {
    switch (state.status) {
      case 'loading':
        return html`
          <p class="visually-hidden">Loading ${spec.title.toLowerCase()}</p>
          <div part="skeleton" class="skeleton" aria-hidden="true"><span></span><span></span><span class="short"></span></div>
        `;
      case 'unavailable':
        return html`<p part="unavailable" class="unavailable">${spec.title} unavailable: ${state.reason}</p>`;
      case 'ready': {
        // The chart reader words what it left out; the generic line covers a cut it did not explain.
        const notes: string[] = [...(state.caveats ?? [])];
        if (state.truncated && notes.length === 0) notes.push(`Showing the most recent ${spec.plural}.`);
        if (state.skipped > 0) notes.push(`${state.skipped === 1 ? 'One entry' : `${state.skipped} entries`} could not be read.`);
        return html`
          ${content() ?? html`<p part="empty" class="empty">${spec.empty}</p>`}
          ${notes.length > 0 ? html`<p part="section-note" class="section-note">${notes.join(' ')}</p>` : nothing}
        `;
      }
    }
  }

  #renderItem(key: string, reference: string, kind: string, body: TemplateResult): TemplateResult {
    const highlighted = this.highlightedKey === key;
    return html`
      <li>
        <button
          type="button"
          part="item ${kind}"
          class=${classMap({ item: true, [kind]: true, highlighted })}
          data-key=${key}
          data-reference=${reference}
          aria-current=${highlighted ? 'true' : nothing}
          @click=${this.#onSelect}
        >
          ${body}
        </button>
      </li>
    `;
  }

  #renderList(items: readonly TemplateResult[]): TemplateResult {
    return html`<ul part="list" class="list">${items}</ul>`;
  }

  /** Entries that are not current, folded away but still reachable and highlightable. */
  #renderMore(summary: string, items: readonly TemplateResult[]): TemplateResult | typeof nothing {
    if (items.length === 0) return nothing;
    return html`
      <details part="more" class="more">
        <summary>${summary} (${items.length})</summary>
        ${this.#renderList(items)}
      </details>
    `;
  }

  #renderProblems(): TemplateResult | undefined {
    const { current, other } = this.#view.problems;
    if (current.length === 0 && other.length === 0) return undefined;
    return html`
      ${current.length > 0 ? this.#renderList(current.map((problem) => this.#renderProblem(problem))) : html`<p part="empty" class="empty">${SECTIONS.problems.empty}</p>`}
      ${this.#renderMore('Resolved or inactive', other.map((problem) => this.#renderProblem(problem)))}
    `;
  }

  #renderProblem(problem: Problem): TemplateResult {
    const status = problem.clinicalStatus;
    const isCurrent = status === undefined || status === 'active' || status === 'recurrence' || status === 'relapse';
    let meta: string | undefined;
    if (isCurrent) {
      meta = problem.onset ? `Since ${formatDate(problem.onset)}` : undefined;
      if (status === 'recurrence' || status === 'relapse') meta = [statusWord(status), meta].filter(Boolean).join(', ');
    } else {
      meta = [statusWord(status), problem.abatement ? formatDate(problem.abatement) : undefined].filter(Boolean).join(' ');
    }
    return this.#renderItem(
      itemKey('problems', problem.reference),
      problem.reference,
      'problem',
      html`
        <span part="item-title" class="item-title">${problem.display}</span>
        ${meta ? html`<span part="item-meta" class="item-meta">${meta}</span>` : nothing}
      `,
    );
  }

  #renderMedications(): TemplateResult | undefined {
    const { current, other } = this.#view.medications;
    if (current.length === 0 && other.length === 0) return undefined;
    return html`
      ${current.length > 0
        ? this.#renderList(current.map((medication) => this.#renderMedication(medication)))
        : html`<p part="empty" class="empty">${SECTIONS.medications.empty}</p>`}
      ${this.#renderMore('Not active', other.map((medication) => this.#renderMedication(medication)))}
    `;
  }

  #renderMedication(medication: Medication): TemplateResult {
    const badge = medication.status && medication.status !== 'active' ? statusWord(medication.status) : undefined;
    return this.#renderItem(
      itemKey('medications', medication.reference),
      medication.reference,
      'medication',
      html`
        <span part="item-title" class="item-title">${medication.display}${badge ? html` <span part="badge" class="badge quiet">${badge}</span>` : nothing}</span>
        ${medication.dosage ? html`<span part="item-meta" class="item-meta">${medication.dosage}</span>` : nothing}
      `,
    );
  }

  #renderAllergies(): TemplateResult | undefined {
    const { current, other } = this.#view.allergies;
    if (current.length === 0 && other.length === 0) return undefined;
    return html`
      ${current.length > 0 ? this.#renderList(current.map((allergy) => this.#renderAllergy(allergy))) : html`<p part="empty" class="empty">${SECTIONS.allergies.empty}</p>`}
      ${this.#renderMore('Inactive or resolved', other.map((allergy) => this.#renderAllergy(allergy)))}
    `;
  }

  #renderAllergy(allergy: Allergy): TemplateResult {
    const criticality = allergy.criticality ? CRITICALITY[allergy.criticality] : undefined;
    const badges: TemplateResult[] = [];
    if (criticality) badges.push(html`<span part="badge" class="badge ${criticality.tone}">${criticality.word}</span>`);
    if (allergy.verificationStatus === 'unconfirmed') badges.push(html`<span part="badge" class="badge quiet">Unconfirmed</span>`);
    const inactive = allergy.clinicalStatus && allergy.clinicalStatus !== 'active' ? statusWord(allergy.clinicalStatus) : undefined;
    const meta = [allergy.reactions.length > 0 ? `Reactions: ${allergy.reactions.join(', ')}` : undefined, inactive].filter(Boolean).join(' · ');
    return this.#renderItem(
      itemKey('allergies', allergy.reference),
      allergy.reference,
      'allergy',
      html`
        <span part="item-title" class="item-title">${allergy.display}${badges.map((badge) => html` ${badge}`)}</span>
        ${meta ? html`<span part="item-meta" class="item-meta">${meta}</span>` : nothing}
      `,
    );
  }

  #renderLabs(): TemplateResult | undefined {
    const labs = this.#view.labs;
    if (labs.length === 0) return undefined;
    return this.#renderList(labs.map((series) => this.#renderSeries(itemKey('labs', seriesReference(series)), 'lab', series.display, series, latestReading(series))));
  }

  #renderVitals(): TemplateResult | undefined {
    const rows = this.#view.vitals;
    if (rows.length === 0) return undefined;
    return this.#renderList(
      rows.map((row) => {
        const key = itemKey('vitals', vitalReference(row));
        if (row.kind === 'single') return this.#renderSeries(key, 'vital', row.series.display, row.series, latestReading(row.series));
        const pressure = latestPressure(row)!;
        const reading = `${pressure.systolic !== undefined ? formatNumber(pressure.systolic) : '–'}/${pressure.diastolic !== undefined ? formatNumber(pressure.diastolic) : '–'}`;
        const lead = (row.systolic ?? row.diastolic)!;
        const flagged = [row.systolic, row.diastolic].find((series) => abnormalWord(series?.abnormal) !== undefined);
        return this.#renderSeries(key, 'vital', 'Blood pressure', { ...lead, abnormal: flagged?.abnormal ?? lead.abnormal }, reading, pressure.reference);
      }),
    );
  }

  /** A lab or vital: name, latest reading with unit, trend and flag, date and range, and a sparkline. */
  #renderSeries(key: string, kind: 'lab' | 'vital', title: string, series: ObservationSeries, reading: number | string, reference = seriesReference(series)): TemplateResult {
    const unit = displayUnit(series.unit);
    const flag = abnormalWord(series.abnormal);
    const range = series.referenceRange ? formatReferenceRange(series.referenceRange, displayUnit(series.referenceRange.unit ?? series.unit)) : undefined;
    const value = typeof reading === 'number' ? formatQuantity(reading, unit) : `${reading}${unit ? ` ${unit}` : ''}`;
    return this.#renderItem(
      key,
      reference,
      kind,
      html`
        <span class="headline">
          <span part="item-title" class="item-title">${title}</span>
          <span class="reading">
          <span part="value" class="value ${flag ? 'abnormal' : ''}">${value}</span>
          ${series.trend
            ? html`<span part="trend" class="trend"
                ><span aria-hidden="true">${TREND_ARROWS[series.trend]}</span><span class="visually-hidden">, ${TREND_WORDS[series.trend]}</span></span
              >`
            : nothing}
          ${flag ? html`<span part="badge" class="badge flag ${series.abnormal?.startsWith('critical') ? 'critical' : 'alert'}">${flag}</span>` : nothing}
          </span>
        </span>
        <span part="item-meta" class="item-meta">
          <time datetime=${series.latest.time}>${formatDate(series.latest.time)}</time>${range ? html`<span class="range"> · Ref ${range}</span>` : nothing}
        </span>
        <curbside-sparkline
          part="sparkline"
          class="sparkline"
          .points=${series.points}
          .referenceRange=${series.referenceRange}
          .unit=${unit}
          .label=${series.display}
        ></curbside-sparkline>
      `,
    );
  }

  #renderNotes(): TemplateResult | undefined {
    const notes = this.#view.notes;
    if (notes.length === 0) return undefined;
    const items = notes.map((note) => this.#renderNote(note));
    return html`${this.#renderList(items.slice(0, RECENT_NOTE_LIMIT))} ${this.#renderMore('Older notes', items.slice(RECENT_NOTE_LIMIT))}`;
  }

  #renderNote(note: ClinicalNote): TemplateResult {
    const meta = [note.date ? formatDate(note.date) : undefined, note.author].filter(Boolean).join(' · ');
    return this.#renderItem(
      itemKey('notes', note.reference),
      note.reference,
      'note',
      html`
        <span part="item-title" class="item-title">${note.title}</span>
        ${meta ? html`<span part="item-meta" class="item-meta">${meta}</span>` : nothing}
        ${note.textUnavailable ? html`<span part="item-meta" class="item-meta unreadable">Text unavailable: ${note.textUnavailable}</span>` : nothing}
      `,
    );
  }
}

/** The latest value, with the EHR's comparator when it sent a bound ("> 90") rather than a measurement. */
function latestReading(series: ObservationSeries): number | string {
  const { value, comparator } = series.latest;
  return comparator ? `${comparator} ${formatNumber(value)}` : value;
}

function itemKey(section: SectionKey, reference: string): string {
  return `${section} ${reference}`;
}

function vitalReference(row: VitalRow): string {
  if (row.kind === 'single') return seriesReference(row.series);
  return latestPressure(row)?.reference ?? '';
}

/** "on-hold" → "On hold", "entered-in-error" → "Entered in error". */
function statusWord(status: string | undefined): string | undefined {
  if (!status) return undefined;
  if (status === 'remission') return 'In remission';
  const words = status.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

defineOnce('curbside-chart-summary', CurbsideChartSummaryElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-chart-summary': CurbsideChartSummaryElement;
  }
}
