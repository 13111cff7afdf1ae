import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { ModelIdentity } from '../../src/insight/types.ts';
import { measuredPerformance } from '../../src/evaluation/about.ts';
import { defineOnce } from '../shared/define.ts';
import { formatDate } from '../shared/format.ts';
import { AI_LABEL, BUILT_IN_STATEMENT } from '../shared/insight-view.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { elementBase } from '../shared/utility.styles.ts';
import { aboutAiStyles } from './about-ai.styles.ts';

/** How the model was checked on this site's cases, when it has been. */
export interface ModelValidation {
  /** When the evaluation was run (ISO date). */
  readonly date: string;
  /** What it was run on, in words ("120 de-identified cases from the renal clinic, 2025"). */
  readonly caseSet: string;
  /** Results by measure, in words ("Correct diagnosis in the top 3": "84 %"). */
  readonly figures: Readonly<Record<string, string>>;
}

const PROVIDER_WORDS: Readonly<Record<ModelIdentity['provider'], string>> = {
  'reference-engine': 'Built into Curbside; runs in your browser',
  'azure-foundry': "Azure AI Foundry (Microsoft), under your organisation's agreement",
  'openai-compatible': 'An OpenAI-compatible service configured by your organisation',
};

/**
 * @summary What Curbside's suggestions are for and not for, their known limits, which model
 * produces them, how it was validated, and what data leaves the browser — the transparency a
 * clinician needs to weigh a suggestion (EU AI Act Art. 13; FDA CDS criterion 4).
 *
 * Static text around three inputs: the model's identity, the site's validation results (given, or
 * read from the latest `npm run evaluate` report for this model; else a plain statement that there
 * are none), and a slot for the exact payload.
 *
 * @slot payload - The exact data sent, usually a `<curbside-payload-view>`.
 *
 * @csspart base - The `<article>` around everything.
 * @csspart title - The page heading (level set by `heading-level`).
 * @csspart section - Each section; also `intended-use`, `not-for`, `limits`, `model-section`, `validation`, `data`.
 * @csspart section-title - Each section's heading, one level below the title.
 * @csspart model - The model's name, version and provider.
 * @csspart built-in - The statement that the built-in reference engine is not a clinical model.
 * @csspart figures - The validation figures (`<dl>`).
 * @csspart not-evaluated - "Not yet evaluated on this site's cases".
 *
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Secondary text; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Background.
 * @cssprop --curbside-color-border - Section dividers.
 * @cssprop --curbside-color-accent - The label's edge.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - Headings' font.
 * @cssprop --curbside-font-size - Base font size.
 * @cssprop --curbside-radius - Corner radius.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsideAboutAiElement extends LitElement {
  static override styles = [tokens, elementBase, aboutAiStyles];

  /** The model that produces the suggestions; `undefined` when none is configured. */
  @property({ attribute: false }) model: ModelIdentity | undefined;

  /** This site's evaluation of the model; `undefined` when it has not been evaluated here. */
  @property({ attribute: false }) validation: ModelValidation | undefined;

  /**
   * The latest report of `npm run evaluate` (its JSON). Used when `validation` is not given: the
   * figures measured for this `model`, or "not yet evaluated" when the report doesn't cover it.
   */
  @property({ attribute: false }) report: unknown;

  /** The ARIA level of the title; sections are one level below. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  override render() {
    return html`
      <article part="base" class="base" aria-labelledby="title">
        <div part="title" class="heading title" role="heading" aria-level=${this.#level(0)} id="title">About these suggestions</div>
        <p class="label">${AI_LABEL}. Curbside's suggestions are produced by software and can be wrong.</p>
        ${this.#section(
          'intended-use',
          'Intended use',
          html`
            <p>
              Decision support for licensed clinicians caring for the patient in the open chart: a differential diagnosis to consider and answers to
              evidence questions, each shown with the chart facts and sources it rests on so you can check it yourself.
            </p>
            <p>They are suggestions, not diagnoses or orders. You decide what to accept, and nothing is written to the chart unless you accept it.</p>
          `,
        )}
        ${this.#section(
          'not-for',
          'Not for',
          html`<ul>
            <li>Patients, carers or anyone who is not a licensed clinician.</li>
            <li>Use without a clinician reviewing each suggestion before acting on it.</li>
            <li>Emergencies as the only basis for a decision: follow your usual emergency processes.</li>
            <li>Medication dosing, and paediatric dosing in particular.</li>
            <li>Reading images, tracings or scanned documents.</li>
          </ul>`,
        )}
        ${this.#section(
          'limits',
          'Known limits',
          html`<ul>
            <li>
              The built-in reference engine covers a limited set of conditions with fixed rules and reads only coded problems, medicines, results and
              note keywords; it knows nothing outside its knowledge base.
            </li>
            <li>
              A language model can state things that are wrong or are not in the chart. Findings Curbside could not find in the chart are marked
              "Unverified", and so are citations without a DOI, PubMed id or web address to check them by.
            </li>
            <li>Validation so far uses synthetic patients, not this site's patients, unless results are shown below.</li>
            <li>Written for English: notes and questions in other languages may be misread.</li>
            <li>No imaging: images, ECG tracings and scanned documents are not read.</li>
            <li>
              Only what the EHR shares is seen, and long charts are shortened to fit: older values are thinned and notes cut short (listed under
              "What is sent").
            </li>
          </ul>`,
        )}
        ${this.#section('model-section', 'The model', this.#renderModel())} ${this.#section('validation', 'How it was validated', this.#renderValidation())}
        ${this.#section(
          'data',
          'What leaves the browser',
          html`
            <ul>
              <li>
                With a remote model: a de-identified summary of the chart — age in years (90+ from 90), sex, problems, medications, allergies, key
                results and vital signs with days-ago instead of dates, and note excerpts with identifiers removed — and your question, when you ask
                one.
              </li>
              <li>
                Never: names, record numbers, FHIR ids, exact dates, addresses or contact details. Facts carry short ids that only this browser can map
                back to the chart.
              </li>
              <li>Your accept and reject decisions are not sent to the model.</li>
              <li>With the built-in reference engine, nothing leaves the browser.</li>
            </ul>
            <slot name="payload"></slot>
          `,
        )}
      </article>
    `;
  }

  #renderModel(): TemplateResult {
    const model = this.model;
    if (!model) return html`<p part="model" class="muted">No model is configured.</p>`;
    return html`
      <dl part="model" class="facts">
        <div><dt>Name</dt> <dd>${model.name}</dd></div>
        <div><dt>Version</dt> <dd>${model.version}</dd></div>
        <div><dt>Provider</dt> <dd>${PROVIDER_WORDS[model.provider] ?? model.provider}</dd></div>
      </dl>
      ${model.builtIn ? html`<p part="built-in" class="built-in">${BUILT_IN_STATEMENT}</p>` : nothing}
    `;
  }

  #renderValidation(): TemplateResult {
    const validation = this.validation ?? (this.model && this.report ? measuredPerformance(this.report, this.model) : undefined);
    if (!validation) return html`<p part="not-evaluated" class="muted">Not yet evaluated on this site's cases.</p>`;
    const figures = Object.entries(validation.figures);
    return html`
      <p>Evaluated on ${formatDate(validation.date)} on ${validation.caseSet}.</p>
      ${figures.length > 0
        ? html`<dl part="figures" class="facts">
            ${figures.map(([measure, value]) => html`<div><dt>${measure}</dt> <dd>${value}</dd></div>`)}
          </dl>`
        : html`<p class="muted">No figures were recorded.</p>`}
    `;
  }

  #section(key: string, title: string, body: TemplateResult): TemplateResult {
    return html`
      <section part="section ${key}" class="section" aria-labelledby=${`${key}-title`}>
        <div part="section-title" class="heading section-title" role="heading" aria-level=${this.#level(1)} id=${`${key}-title`}>${title}</div>
        ${body}
      </section>
    `;
  }

  #level(below: number): number {
    return Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 2) + below);
  }
}

defineOnce('curbside-about-ai', CurbsideAboutAiElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-about-ai': CurbsideAboutAiElement;
  }
}
