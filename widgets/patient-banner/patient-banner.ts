import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { AllergySummary, BannerFacts, BannerPatient } from '../../src/chart/index.ts';
import { defineOnce } from '../shared/define.ts';
import { CurbsidePatientRetryEvent } from '../shared/events.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { retryButton, visuallyHidden } from '../shared/utility.styles.ts';
import { patientBannerStyles } from './patient-banner.styles.ts';

const AGE_UNITS: Record<string, string> = { y: 'years', mo: 'months', d: 'days' };

/**
 * @summary Who the patient is and how many allergies are on record, for EHRs that ask the
 * app to show its own patient banner (`need_patient_banner`).
 *
 * A labelled `<section>`, not `role="banner"`: inside the EHR's iframe the page banner
 * belongs to the app, and the EHR owns the real one.
 *
 * @fires curbside-patient-retry - The clinician pressed "Try again" in the error state.
 *
 * @csspart base - The `<section aria-label="Patient">` wrapping every state.
 * @csspart name - The patient's name (a heading, level set by `heading-level`).
 * @csspart demographics - Age, sex, date of birth and the deceased flag.
 * @csspart identifier - The identifier and its label, usually the MRN.
 * @csspart allergies - The allergy count, or why it is unavailable.
 * @csspart error - The message shown when the patient could not be loaded.
 * @csspart retry-button - The "Try again" button in the error state.
 *
 * @cssprop --curbside-color-text - Text colour.
 * @cssprop --curbside-color-text-muted - Secondary text (demographics, labels); mixed from text and surface by default.
 * @cssprop --curbside-color-surface-raised - Banner background; mixed from text and surface by default.
 * @cssprop --curbside-color-surface - Button background.
 * @cssprop --curbside-color-border - Dividers and the button border.
 * @cssprop --curbside-color-accent - The banner's leading edge and focus ring.
 * @cssprop --curbside-color-error - The error title.
 * @cssprop --curbside-font-family - Body font.
 * @cssprop --curbside-font-family-heading - The name's font.
 * @cssprop --curbside-font-size - Base font size; the name is 1.15×.
 * @cssprop --curbside-radius - Corner radius of the button and skeleton bars.
 * @cssprop --curbside-spacing - Spacing unit.
 */
export class CurbsidePatientBannerElement extends LitElement {
  static override styles = [tokens, visuallyHidden, retryButton, patientBannerStyles];

  /** What to show; `undefined` renders nothing unless loading or in error. */
  @property({ attribute: false }) facts: BannerFacts | undefined;

  /** Shows a skeleton while the facts load. */
  @property({ type: Boolean, reflect: true }) loading = false;

  /** A plain-words message for the clinician; shows the error state with a retry button. */
  @property() error: string | undefined;

  /** The ARIA level of the name heading, so the banner fits the host page's outline. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;

  #onRetry(): void {
    this.dispatchEvent(new CurbsidePatientRetryEvent());
  }

  override render() {
    if (this.loading) return this.#renderLoading();
    if (this.error !== undefined) return this.#renderError(this.error);
    if (this.facts) return this.#renderFacts(this.facts);
    return nothing;
  }

  #renderLoading(): TemplateResult {
    return html`
      <section part="base" class="base loading" aria-label="Patient" aria-busy="true">
        <p class="visually-hidden" role="status">Loading patient details</p>
        <div class="skeleton name-line" aria-hidden="true"></div>
        <div class="skeleton" aria-hidden="true"></div>
        <div class="skeleton short" aria-hidden="true"></div>
      </section>
    `;
  }

  #renderError(message: string): TemplateResult {
    return html`
      <section part="base" class="base error" aria-label="Patient">
        <div part="error" role="alert">
          <p class="error-title">Patient details unavailable</p>
          <p>${message}</p>
        </div>
        <button part="retry-button" class="retry" type="button" @click=${this.#onRetry}>Try again</button>
      </section>
    `;
  }

  #renderFacts({ patient, allergies }: BannerFacts): TemplateResult {
    const level = Math.min(6, Math.max(1, Math.trunc(this.headingLevel) || 2));
    return html`
      <section part="base" class="base" aria-label="Patient">
        <div part="name" class="name" role="heading" aria-level=${level}>${patient.name}</div>
        ${this.#renderDemographics(patient)}
        ${patient.identifier
          ? html`<p part="identifier" class="identifier">
              <span class="label">${patient.identifier.label}</span>
              <span class="value">${patient.identifier.value}</span>
            </p>`
          : nothing}
        ${this.#renderAllergies(allergies)}
      </section>
    `;
  }

  #renderDemographics(patient: BannerPatient): TemplateResult | typeof nothing {
    const items: TemplateResult[] = [];
    if (patient.deceased) items.push(html`<span class="deceased">Deceased</span>`);
    if (patient.ageText) {
      const spoken = spokenAge(patient.ageText) + (patient.deceased ? ' at death' : ' old');
      items.push(html`<span class="age"><span aria-hidden="true">${patient.ageText}${patient.deceased ? ' at death' : ''}</span
        ><span class="visually-hidden">${spoken}</span></span>`);
    }
    if (patient.sex) items.push(html`<span class="sex">${patient.sex}</span>`);
    if (patient.birthDate) {
      items.push(html`<span class="dob">DOB <time datetime=${patient.birthDate}>${formatBirthDate(patient.birthDate)}</time></span>`);
    }
    // Spaces between the items keep screen readers from running the words together.
    return items.length > 0 ? html`<p part="demographics" class="demographics">${items.map((item) => html`${item} `)}</p>` : nothing;
  }

  #renderAllergies(allergies: AllergySummary): TemplateResult {
    if (allergies.status === 'unavailable') {
      return html`<p part="allergies" class="allergies unavailable">Allergies unavailable: ${allergies.reason}</p>`;
    }
    return html`<p part="allergies" class="allergies ${allergies.count > 0 ? 'present' : 'none'}">${allergyText(allergies)}</p>`;
  }
}

function allergyText(summary: Extract<AllergySummary, { status: 'ok' }>): string {
  const { count, complete, noKnownAllergies } = summary;
  if (count === 0) {
    // An empty list is not the same as a recorded "no known allergies".
    return noKnownAllergies ? 'No known allergies recorded' : 'No allergies recorded';
  }
  return `${count}${complete ? '' : '+'} ${count === 1 ? 'allergy' : 'allergies'}`;
}

function spokenAge(ageText: string): string {
  const [amount, unit] = ageText.split(' ');
  const word = unit ? AGE_UNITS[unit] : undefined;
  if (!amount || !word) return ageText;
  return `${amount} ${amount === '1' ? word.slice(0, -1) : word}`;
}

/** A full date in the reader's locale; partial dates (`1959`, `1959-02`) as sent. */
function formatBirthDate(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return value;
  const utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(utc);
}

defineOnce('curbside-patient-banner', CurbsidePatientBannerElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-patient-banner': CurbsidePatientBannerElement;
  }
}
