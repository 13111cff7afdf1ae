import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { PatientChart, SeriesPoint } from '../../src/chart/types.ts';
import { detectEarlySigns } from '../../src/insight/early-signs/index.ts';
import type { EarlySign, EarlySignSeries } from '../../src/insight/early-signs/types.ts';
import { earlySignDecisionId } from '../../src/writeback/note.ts';
import '../decision/decision.ts';
import type { SuggestionDecision } from '../differential/differential-model.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsideFactSelectEvent } from '../shared/events.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { elementBase, visuallyHidden } from '../shared/utility.styles.ts';
import '../sparkline/sparkline.ts';
import { earlySignsStyles } from './early-signs.styles.ts';

const KIND_WORDS: Readonly<Record<EarlySign['kind'], string>> = {
  'rate-of-change': 'Rate of change',
  threshold: 'Threshold crossed',
  persistent: 'Persistent',
  unrecorded: 'Not on the problem list',
  pattern: 'Pattern',
};

const MAX_CHIPS = 8;

/**
 * @summary Early signs of disease in the chart's own results: rates of change, confirmed
 * threshold crossings, persistent patterns and diagnoses the results meet but the problem list
 * lacks. Each sign shows a sparkline of its series with the points it used highlighted, the
 * figure it computed, why it was raised, the guideline rule and how to confirm or refute it.
 *
 * The signs come from Curbside's local rules (`src/insight/early-signs/`), not from a model:
 * pass `signs` directly, or a `chart` and the element finds them.
 *
 * With an `insight-id`, each sign can be accepted or rejected (with a reason) like any other
 * suggestion; the decision id is `sign:<sign id>`, and the host owns the decisions. Without one
 * there is no note to carry a sign into, so no buttons are shown.
 *
 * @fires curbside-fact-select - A fact chip was chosen. `detail.reference` is the FHIR reference of the chart fact.
 * @fires curbside-suggestion-accept - A sign was accepted. `detail.itemId` is `sign:<sign id>`.
 * @fires curbside-suggestion-reject - A sign was rejected with a reason. `detail.itemId` is `sign:<sign id>`.
 *
 * @csspart base - The `<section>` around everything.
 * @csspart title - The heading (level set by `heading-level`).
 * @csspart source - The line saying where the signs come from.
 * @csspart empty - "No early signs".
 * @csspart list - The list of signs.
 * @csspart sign - Each sign; also `sign-cant-miss` for can't-miss ones.
 * @csspart sign-title - The sign's heading.
 * @csspart marker - A marker: also `cant-miss`, `rare`, `unrecorded` or `confidence`.
 * @csspart figure - The computed figure with its window.
 * @csspart sparkline - Each `<curbside-sparkline>` of a series the sign used.
 * @csspart why - The `<details>` holding why, the rule, confirmation and the facts.
 * @csspart criterion - The guideline rule in words.
 * @csspart citation - The guideline reference; `citation-link` is its DOI or web link.
 * @csspart confirm - What would confirm the sign.
 * @csspart refute - What would refute it.
 * @csspart chip - A chart fact the sign used: a button that selects it.
 * @csspart decision - Each sign's `<curbside-decision>` (Accept, Reject… and the recorded decision).
 *
 * @cssprop --curbside-color-cant-miss - The "Can't miss" marker; the error colour by default.
 * @cssprop --curbside-color-accent - Chips, links and focus rings.
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Secondary text.
 * @cssprop --curbside-color-surface - Background of chips.
 * @cssprop --curbside-color-surface-raised - Background of each sign.
 * @cssprop --curbside-color-border - Borders of each sign.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Headings' font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsideEarlySignsElement extends LitElement {
  static override styles = [tokens, elementBase, visuallyHidden, earlySignsStyles];

  #found: readonly EarlySign[] = [];

  /** The signs to show; when left unset they are found in `chart`. */
  @property({ attribute: false }) signs: readonly EarlySign[] | undefined;

  /** The chart to look for signs in when `signs` is not given. */
  @property({ attribute: false }) chart: PatientChart | undefined;

  /** The insight decisions attach to; Accept and Reject appear only when it is set. */
  @property({ attribute: 'insight-id' }) insightId: string | undefined;

  /** The clinician's decisions by decision id (`sign:<id>`), owned by the host. */
  @property({ attribute: false }) decisions: ReadonlyMap<string, SuggestionDecision> = new Map();

  /** The ARIA level of the title; each sign is one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('signs') || changed.has('chart')) this.#found = this.signs ?? (this.chart ? detectEarlySigns(this.chart) : []);
  }

  #select(reference: string): void {
    this.dispatchEvent(new CurbsideFactSelectEvent({ reference }));
  }

  override render() {
    const level = clampLevel(this.headingLevel);
    return html`
      <section part="base" class="base" aria-labelledby="title">
        <div id="title" part="title" class="title" role="heading" aria-level=${level}>Early signs in the chart</div>
        <p part="source" class="source">Found by Curbside's built-in rules from this chart's own results, not by AI. Each rule cites its guideline.</p>
        ${this.#found.length === 0
          ? html`<p part="empty" class="empty">No early signs in the results on file.</p>`
          : html`<ul part="list" class="list">
              ${this.#found.map((sign) => this.#renderSign(sign, level + 1))}
            </ul>`}
      </section>
    `;
  }

  #renderSign(sign: EarlySign, level: number): TemplateResult {
    const id = `sign-${sign.id}`;
    return html`
      <li part=${sign.cantMiss ? 'sign sign-cant-miss' : 'sign'} class="sign" aria-labelledby=${id}>
        <div id=${id} part="sign-title" class="sign-title" role="heading" aria-level=${Math.min(level, 6)}>${sign.title}</div>
        <div class="markers">
          <span part="marker" class="marker">${KIND_WORDS[sign.kind]}</span>
          ${sign.cantMiss ? html`<span part="marker cant-miss" class="marker cant-miss">Can't miss</span>` : nothing}
          ${sign.rarity ? html`<span part="marker rare" class="marker rare">${sign.rarity}</span>` : nothing}
          ${sign.unrecorded && sign.kind !== 'unrecorded' ? html`<span part="marker unrecorded" class="marker">Not on the problem list</span>` : nothing}
          <span part="marker confidence" class="marker confidence">${sign.confidence === 'low' ? 'Low confidence' : sign.confidence === 'moderate' ? 'Moderate confidence' : 'High confidence'}</span>
        </div>
        <p part="figure" class="figure">${sign.condition.display}: ${sign.figure.text}</p>
        ${sign.series.length
          ? html`<div class="charts">
              ${sign.series.map(
                (s) => html`<div class="chart">
                  <curbside-sparkline
                    part="sparkline"
                    .points=${s.points}
                    .referenceRange=${s.referenceRange}
                    .highlight=${s.used}
                    .unit=${s.unit}
                    .label=${`${s.label}, ${s.used.length} of ${s.points.length} results used`}
                  ></curbside-sparkline>
                  <span aria-hidden="true">${s.label}</span>
                </div>`,
              )}
            </div>`
          : nothing}
        <details part="why">
          <summary>Why, and how to confirm</summary>
          <div class="block">
            <p>${sign.why}</p>
            <p part="criterion">${sign.criterion}</p>
            ${this.#renderCitation(sign)}
          </div>
          <div class="block">
            <div role="heading" aria-level=${Math.min(level + 1, 6)}>How to confirm</div>
            <ul part="confirm" class="plain">
              ${sign.confirm.map((c) => html`<li>${c}</li>`)}
            </ul>
          </div>
          <div class="block">
            <div role="heading" aria-level=${Math.min(level + 1, 6)}>What would refute it</div>
            <ul part="refute" class="plain">
              ${sign.refute.map((c) => html`<li>${c}</li>`)}
            </ul>
          </div>
          ${this.#renderChips(sign)}
        </details>
        ${this.insightId
          ? html`<curbside-decision
              part="decision"
              insight-id=${this.insightId}
              item-id=${earlySignDecisionId(sign.id)}
              label=${sign.title}
              .codes=${sign.condition.codes}
              .decision=${this.decisions.get(earlySignDecisionId(sign.id))}
            ></curbside-decision>`
          : nothing}
      </li>
    `;
  }

  #renderCitation(sign: EarlySign): TemplateResult {
    const c = sign.citation;
    const href = c.doi ? `https://doi.org/${c.doi}` : c.url && /^https?:\/\//.test(c.url) ? c.url : undefined;
    return html`<p part="citation" class="citation">
      Source: ${c.title} (${c.source}${c.year ? `, ${c.year}` : ''})${href
        ? html` — <a part="citation-link" href=${href} target="_blank" rel="noopener noreferrer">${c.doi ? `doi:${c.doi}` : 'web page'}</a>`
        : nothing}
    </p>`;
  }

  #renderChips(sign: EarlySign): TemplateResult | typeof nothing {
    const labels = chipLabels(sign.series);
    const refs = sign.references.slice(0, MAX_CHIPS);
    if (!refs.length) return nothing;
    return html`<div class="block">
      <div role="heading" aria-level="6" class="visually-hidden">Chart facts used</div>
      <div class="chips">
        ${refs.map((ref) => html`<button type="button" part="chip" class="chip" @click=${() => this.#select(ref)}>${labels.get(ref) ?? factWords(ref)}</button>`)}
        ${sign.references.length > MAX_CHIPS ? html`<span>and ${sign.references.length - MAX_CHIPS} more</span>` : nothing}
      </div>
    </div>`;
  }
}

/** "eGFR 38 (2026-11-10)" for each point the sign used. */
function chipLabels(series: readonly EarlySignSeries[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of series) {
    const used = new Set(s.used);
    for (const p of s.points as readonly SeriesPoint[]) {
      if (!used.has(p.reference)) continue;
      const value = Number.isInteger(p.value) ? String(p.value) : p.value.toFixed(p.value < 10 ? 1 : 0);
      const label = `${s.label} ${value} (${p.time.slice(0, 10)})`;
      out.set(p.reference, out.has(p.reference) ? `${out.get(p.reference)!}, ${label}` : label);
    }
  }
  return out;
}

function factWords(reference: string): string {
  const type = reference.split('/')[0] ?? '';
  return type === 'Condition' ? 'Problem' : type === 'MedicationRequest' || type === 'MedicationStatement' ? 'Medicine' : type === 'DocumentReference' ? 'Note' : type;
}

function clampLevel(level: number): number {
  return Math.min(6, Math.max(1, Math.round(level) || 2));
}

defineOnce('curbside-early-signs', CurbsideEarlySignsElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-early-signs': CurbsideEarlySignsElement;
  }
}
