import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { ObservationSeries, PatientChart, SeriesPoint } from '../../src/chart/types.ts';
import { detectEarlySigns } from '../../src/insight/early-signs/index.ts';
import type { CurbsideDecisionElement } from '../decision/decision.ts';
import type { CurbsideFactSelectEvent, CurbsideSuggestionAcceptEvent, CurbsideSuggestionRejectEvent } from '../shared/events.ts';
import type { CurbsideSparklineElement } from '../sparkline/sparkline.ts';
import './early-signs.ts';
import type { CurbsideEarlySignsElement } from './early-signs.ts';

failOnLitWarnings();

const AS_OF = '2026-11-25T12:00:00Z';
const DAY = 86_400_000;

function series(code: string, display: string, unit: string, values: readonly number[], everyDays: number, extra: Partial<ObservationSeries> = {}): ObservationSeries {
  const points: SeriesPoint[] = values.map((value, i) => ({
    reference: `Observation/${code}-${i}`,
    time: new Date(Date.parse(AS_OF) - (values.length - 1 - i) * everyDays * DAY).toISOString(),
    value,
  }));
  return { code, display, category: 'laboratory', unit, points, latest: points.at(-1)!, unconvertible: 0, ...extra };
}

function chart(list: readonly ObservationSeries[]): PatientChart {
  const ready = { status: 'ready', skipped: 0, truncated: false } as const;
  return {
    fhirBase: 'https://ehr.example/fhir',
    asOf: AS_OF,
    patient: { reference: 'Patient/p1', name: 'Test', ageYears: 67, gender: 'male', deceased: false },
    problems: [],
    series: Object.fromEntries(list.map((s) => [s.code, s])),
    textResults: [],
    medications: [],
    allergies: [],
    notes: [],
    reports: [],
    sections: { patient: ready, encounter: ready, problems: ready, vitals: ready, labs: ready, medications: ready, allergies: ready, notes: ready, reports: ready },
  };
}

const KIDNEY = chart([
  series('98979-8', 'eGFR', 'mL/min/{1.73_m2}', [72, 64, 55, 47, 38, 29], 300, { referenceRange: { low: 60 } }),
  series('2951-2', 'Sodium', 'mmol/L', [127, 126], 2),
  series('2823-3', 'Potassium', 'mmol/L', [5.8, 5.9], 2),
  series('2143-6', 'Cortisol', 'ug/dL', [2.1], 1),
]);

function parts(el: CurbsideEarlySignsElement, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];
}

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('<curbside-early-signs>', () => {
  it('shows each sign with its figure, a sparkline of its series and the points used highlighted', async () => {
    const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs .chart=${KIDNEY}></curbside-early-signs>`);
    const signs = parts(el, 'sign');
    expect(signs.length).to.be.greaterThan(2);
    const decline = signs.find((s) => /Kidney function falling fast/.test(text(s)))!;
    expect(decline).to.not.equal(undefined);
    expect(text(decline.querySelector('[part~="figure"]'))).to.match(/falling \d+(\.\d)? mL\/min\/1\.73 m² a year over/);
    const spark = decline.querySelector<CurbsideSparklineElement>('curbside-sparkline')!;
    expect(spark.points.length).to.equal(6);
    expect(spark.highlight.length).to.equal(6);
    await spark.updateComplete;
    expect(spark.shadowRoot!.querySelectorAll('[part~="highlight"]').length).to.be.greaterThan(0);
  });

  it("puts can't-miss rare patterns first, with the base rate and the discriminating test", async () => {
    const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs .chart=${KIDNEY}></curbside-early-signs>`);
    const first = parts(el, 'sign')[0]!;
    expect(first.getAttribute('part')).to.contain('sign-cant-miss');
    expect(text(first.querySelector('[part~="rare"]'))).to.match(/1 in 10,000/);
    const why = first.querySelector<HTMLDetailsElement>('[part~="why"]')!;
    why.open = true;
    expect(text(why.querySelector('[part~="confirm"]'))).to.match(/ACTH/);
    expect(text(why.querySelector('[part~="citation"]'))).to.match(/Primary Adrenal Insufficiency|Adrenal/i);
  });

  it('a fact chip fires curbside-fact-select with the FHIR reference of the point', async () => {
    const signs = detectEarlySigns(KIDNEY).filter((s) => s.id === 'egfr-rapid-decline');
    const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs .signs=${signs}></curbside-early-signs>`);
    parts(el, 'why')[0]!.setAttribute('open', '');
    const chip = parts(el, 'chip')[0]!;
    expect(text(chip)).to.match(/^eGFR 72/);
    setTimeout(() => chip.click());
    const event = (await oneEvent(el, 'curbside-fact-select')) as CurbsideFactSelectEvent;
    expect(event.detail.reference).to.equal('Observation/98979-8-0');
    expect(event.composed).to.equal(true);
  });

  it('says so when there is nothing to show, and renders chart text only as text', async () => {
    const empty = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs .signs=${[]}></curbside-early-signs>`);
    expect(text(parts(empty, 'empty')[0])).to.equal('No early signs in the results on file.');
    const hostile = detectEarlySigns(chart([series('718-7', '<img src=x onerror=alert(1)>', 'g/dL', [10.1, 9.8], 60)]));
    const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs .signs=${hostile}></curbside-early-signs>`);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
  });

  it('is accessible, open and closed', async () => {
    const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs heading-level="3" .chart=${KIDNEY}></curbside-early-signs>`);
    await expect(el).to.be.accessible();
    for (const d of parts(el, 'why')) d.setAttribute('open', '');
    await expect(el).to.be.accessible();
  });

  describe('decisions', () => {
    const decline = () => detectEarlySigns(KIDNEY).filter((s) => s.id === 'egfr-rapid-decline');

    async function decisionFor(el: CurbsideEarlySignsElement): Promise<CurbsideDecisionElement> {
      const d = parts(el, 'decision')[0] as CurbsideDecisionElement;
      await d.updateComplete;
      return d;
    }

    function inner(d: CurbsideDecisionElement, name: string): HTMLElement {
      return d.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
    }

    it('offers no Accept or Reject without an insight to attach them to', async () => {
      const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs .signs=${decline()}></curbside-early-signs>`);
      expect(parts(el, 'decision')).to.have.length(0);
    });

    it('Accept fires curbside-suggestion-accept with the sign namespaced and its condition codes', async () => {
      const signs = decline();
      const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs insight-id="ins-7" .signs=${signs}></curbside-early-signs>`);
      const accept = inner(await decisionFor(el), 'accept-button');
      expect(text(accept)).to.equal('Accept Kidney function falling fast');
      setTimeout(() => accept.click());
      const event = (await oneEvent(el, 'curbside-suggestion-accept')) as CurbsideSuggestionAcceptEvent;
      expect(event.detail).to.deep.equal({ insightId: 'ins-7', itemId: 'sign:egfr-rapid-decline', condition: signs[0]!.title, codes: signs[0]!.condition.codes });
      expect(event.composed).to.equal(true);
    });

    it('Reject asks for a reason first, then fires curbside-suggestion-reject with it', async () => {
      const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs insight-id="ins-7" .signs=${decline()}></curbside-early-signs>`);
      const d = await decisionFor(el);
      inner(d, 'reject-button').click();
      await d.updateComplete;
      const form = inner(d, 'reject-form') as HTMLFormElement;
      let fired = false;
      el.addEventListener('curbside-suggestion-reject', () => (fired = true));
      inner(d, 'confirm-reject-button').click();
      await d.updateComplete;
      expect(fired).to.equal(false);
      expect(text(d.shadowRoot!.querySelector('[role="alert"]'))).to.equal('Choose a reason.');
      await expect(el).to.be.accessible();
      form.querySelector<HTMLInputElement>('input[value="already-addressed"]')!.click();
      setTimeout(() => inner(d, 'confirm-reject-button').click());
      const event = (await oneEvent(el, 'curbside-suggestion-reject')) as CurbsideSuggestionRejectEvent;
      expect(event.detail).to.deep.equal({ insightId: 'ins-7', itemId: 'sign:egfr-rapid-decline', condition: 'Kidney function falling fast', reason: { code: 'already-addressed', display: 'Already addressed' } });
    });

    it("shows the host's decision and stays accessible", async () => {
      const decisions = new Map([['sign:egfr-rapid-decline', 'accepted' as const]]);
      const el = await fixture<CurbsideEarlySignsElement>(html`<curbside-early-signs insight-id="ins-7" .signs=${decline()} .decisions=${decisions}></curbside-early-signs>`);
      const d = await decisionFor(el);
      expect(text(inner(d, 'decision'))).to.equal('Accepted');
      expect(inner(d, 'accept-button').getAttribute('aria-disabled')).to.equal('true');
      await expect(el).to.be.accessible();
    });
  });
});
