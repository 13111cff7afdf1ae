import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { egfrSeries, emptyChart, hba1cSeries, potassiumSeries, seriesRecord } from '../../test/component/chart-fixtures.ts';
import { createReferenceEngineProvider } from '../../src/insight/reference-engine/index.ts';
import { InsightError, type InsightProvider, type InsightRequest } from '../../src/insight/types.ts';
import type { PatientChart } from '../../src/chart/types.ts';
import './suggestions.ts';
import type { CurbsideSuggestionsElement } from './suggestions.ts';
import type { CurbsideDifferentialElement } from '../differential/differential.ts';
import type { CurbsideDecisionElement } from '../decision/decision.ts';
import type { NoteDraft } from '../../src/writeback/note.ts';

failOnLitWarnings();

const CHART: PatientChart = {
  ...emptyChart(),
  patient: { reference: 'Patient/p1', name: 'Harold Bennett', birthDate: '1959-04-16', ageYears: 67, gender: 'male', deceased: false },
  problems: [{ reference: 'Condition/dm', display: 'Type 2 diabetes mellitus', codes: [{ system: 'http://snomed.info/sct', code: '44054006' }], clinicalStatus: 'active', category: 'problem-list-item' }],
  medications: [{ reference: 'MedicationRequest/met', display: 'metformin hydrochloride 1000 MG Oral Tablet', codes: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '861004' }], status: 'active' }],
  series: seriesRecord([egfrSeries, potassiumSeries, hba1cSeries]),
};

/** Counts calls and can hold an answer until the test lets it go. */
function spy(inner: InsightProvider = createReferenceEngineProvider()) {
  const calls: InsightRequest[] = [];
  const signals: AbortSignal[] = [];
  let hold: Promise<void> | undefined;
  const provider: InsightProvider = {
    id: 'spy',
    identity: inner.identity,
    async generate(request, options) {
      calls.push(request);
      if (options.signal) signals.push(options.signal);
      if (hold) await hold;
      return inner.generate(request, options);
    },
  };
  return {
    provider,
    calls,
    signals,
    holdUntil(p: Promise<void>) {
      hold = p;
    },
  };
}

function differential(el: CurbsideSuggestionsElement): CurbsideDifferentialElement {
  return el.shadowRoot!.querySelector('curbside-differential')!;
}

async function ready(el: CurbsideSuggestionsElement): Promise<CurbsideDifferentialElement> {
  await waitUntil(() => differential(el)?.state === 'ready', 'the differential never became ready', { timeout: 5000 });
  return differential(el);
}

describe('<curbside-suggestions>', () => {
  beforeEach(() => sessionStorage.removeItem('curbside.suggestions'));

  it('runs the differential once the chart has settled, and nothing is accepted until the clinician says so', async () => {
    const model = spy();
    const loading = { ...CHART, sections: { ...CHART.sections, labs: { status: 'loading' as const } } };
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${loading} .provider=${model.provider}></curbside-suggestions>`);
    expect(model.calls.length, 'not while a section is still loading').to.equal(0);
    el.chart = CHART;
    const view = await ready(el);
    expect(model.calls.length).to.equal(1);
    expect(view.insight!.differential.length).to.be.greaterThan(0);
    expect(view.decisions.size).to.equal(0);
    // What was sent carries no name and no FHIR reference.
    const sent = JSON.stringify(model.calls[0]!.case);
    expect(sent).to.not.contain('Bennett');
    expect(sent).to.not.contain('Condition/dm');
    await expect(el).to.be.accessible();
  });

  it('shadow stage: runs the model and reports the set with its codes as shadow, but renders nothing, even with the switch off', async () => {
    sessionStorage.setItem('curbside.suggestions', 'off');
    const model = spy();
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions stage="shadow" .provider=${model.provider}></curbside-suggestions>`);
    const shown = oneEvent(el, 'curbside-suggestions-shown') as Promise<GlobalEventHandlersEventMap['curbside-suggestions-shown']>;
    el.chart = CHART;
    const { detail } = await shown;
    expect(model.calls.length).to.equal(1);
    expect(detail.shadow).to.equal(true);
    expect(detail.items!.length).to.equal(detail.itemIds.length);
    expect(detail.items!.some((item) => item.codes.some((code) => code.includes('|')))).to.equal(true);
    await el.updateComplete;
    expect(el.shadowRoot!.children.length, 'nothing rendered').to.equal(0);
    expect(el.getBoundingClientRect().height).to.equal(0);
  });

  it('pilot stage: the suggestions under a pilot banner; general: no banner; off: nothing asked or shown', async () => {
    const pilot = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions stage="pilot" .chart=${CHART} .provider=${spy().provider}></curbside-suggestions>`);
    await ready(pilot);
    expect(pilot.shadowRoot!.querySelector('[part~="pilot-banner"]')!.textContent).to.contain('Pilot.');
    await expect(pilot).to.be.accessible();
    const general = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${spy().provider}></curbside-suggestions>`);
    await ready(general);
    expect(general.shadowRoot!.querySelector('[part~="pilot-banner"]')).to.equal(null);
    const model = spy();
    const off = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions stage="off" .chart=${CHART} .provider=${model.provider}></curbside-suggestions>`);
    await new Promise((r) => setTimeout(r, 50));
    expect(model.calls.length).to.equal(0);
    expect(off.shadowRoot!.children.length).to.equal(0);
  });

  it('shows the early signs found in the chart beside the differential, without asking the model for them', async () => {
    const model = spy();
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${model.provider}></curbside-suggestions>`);
    await ready(el);
    const signs = el.shadowRoot!.querySelector('curbside-early-signs')!;
    expect(signs).to.not.equal(null);
    expect(signs.chart).to.equal(CHART);
    expect(model.calls.length).to.equal(1);
  });

  it('records an accept from the differential and lets the event reach the host', async () => {
    const model = spy();
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${model.provider}></curbside-suggestions>`);
    const view = await ready(el);
    const item = view.insight!.differential.find((d) => d.supporting.some((f) => f.verified))!;
    const heard = oneEvent(el, 'curbside-suggestion-accept');
    view.dispatchEvent(new CustomEvent('curbside-suggestion-accept', { detail: { insightId: view.insight!.id, itemId: item.id, condition: item.condition, codes: item.codes }, bubbles: true, composed: true }));
    expect((await heard).detail.itemId).to.equal(item.id);
    await el.updateComplete;
    expect(differential(el).decisions.get(item.id)).to.equal('accepted');
  });

  it('an early sign accepted in <curbside-early-signs> reaches the note composer\'s draft, and rejecting it takes it out', async () => {
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${spy().provider}></curbside-suggestions>`);
    const view = await ready(el);
    const sign = view.insight!.earlySigns![0]!;
    const drafts: NoteDraft[] = [];
    el.addEventListener('curbside-note-change', (e) => drafts.push(e.detail.draft));
    const signs = el.shadowRoot!.querySelector('curbside-early-signs')!;
    await signs.updateComplete;
    expect(signs.insightId).to.equal(view.insight!.id);
    const decision = signs.shadowRoot!.querySelector<CurbsideDecisionElement>('[part~="decision"]')!;
    await decision.updateComplete;
    const heard = oneEvent(el, 'curbside-suggestion-accept');
    decision.shadowRoot!.querySelector<HTMLElement>('[part~="accept-button"]')!.click();
    expect((await heard).detail.itemId).to.equal(`sign:${sign.id}`);
    await waitUntil(() => drafts.at(-1)?.sections.some((s) => s.id === 'early-signs'), 'the accepted sign never reached the draft', { timeout: 3000 });
    const section = drafts.at(-1)!.sections.find((s) => s.id === 'early-signs')!;
    expect(section.aiDrafted).to.equal(true);
    expect(section.lines[0]).to.contain(sign.title).and.to.contain(sign.figure.text);
    await signs.updateComplete;
    expect(decision.decision).to.equal('accepted');

    decision.shadowRoot!.querySelector<HTMLElement>('[part~="reject-button"]')!.click();
    await decision.updateComplete;
    decision.shadowRoot!.querySelector<HTMLInputElement>('input[value="not-relevant"]')!.click();
    decision.shadowRoot!.querySelector<HTMLElement>('[part~="confirm-reject-button"]')!.click();
    await waitUntil(() => drafts.at(-1) && !drafts.at(-1)!.sections.some((s) => s.id === 'early-signs'), 'the rejected sign stayed in the draft', { timeout: 3000 });
    await expect(el).to.be.accessible();
  });

  it('switched off: nothing is sent, an answer in flight is cancelled, and the choice holds for the session', async () => {
    const model = spy();
    let release!: () => void;
    model.holdUntil(new Promise<void>((r) => (release = r)));
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${model.provider}></curbside-suggestions>`);
    await waitUntil(() => model.calls.length === 1);
    const toggle = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="switch"]')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    toggle.click();
    await el.updateComplete;
    expect(model.signals[0]!.aborted, 'the running request was cancelled').to.equal(true);
    release();
    expect(el.shadowRoot!.querySelector('curbside-differential')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part~="off-notice"]')!.textContent).to.contain('Nothing is sent');
    expect(sessionStorage.getItem('curbside.suggestions')).to.equal('off');
    const again = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${model.provider}></curbside-suggestions>`);
    await again.updateComplete;
    expect(model.calls.length, 'a new view in the same session stays off').to.equal(1);
    await expect(again).to.be.accessible();
  });

  it('a model that answers garbage shows the error with the raw answer, and Retry asks again', async () => {
    let attempts = 0;
    const broken: InsightProvider = {
      id: 'broken',
      identity: { provider: 'openai-compatible', name: 'Clinical model', version: '2026-01', builtIn: false },
      async generate() {
        attempts += 1;
        throw new InsightError('invalid-output', 'The model answered in a form Curbside cannot read.', { raw: 'probably fine :)' });
      },
    };
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${broken}></curbside-suggestions>`);
    await waitUntil(() => differential(el)?.state === 'error');
    expect(differential(el).error).to.deep.equal({ kind: 'invalid-output', message: 'The model answered in a form Curbside cannot read.', raw: 'probably fine :)' });
    differential(el).dispatchEvent(new CustomEvent('curbside-insight-retry', { bubbles: true, composed: true, detail: {} }));
    await waitUntil(() => attempts === 2, 'Retry asked the model again');
  });

  it('an evidence question streams its answer and ends with the grounded insight', async () => {
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${spy().provider}></curbside-suggestions>`);
    await ready(el);
    const evidence = el.shadowRoot!.querySelector('curbside-evidence')!;
    evidence.dispatchEvent(new CustomEvent('curbside-evidence-ask', { detail: { question: 'Metformin at eGFR below 30?' }, bubbles: true, composed: true }));
    await waitUntil(() => evidence.state === 'ready', 'the answer never completed');
    expect(evidence.insight!.task).to.deep.equal({ kind: 'evidence', question: 'Metformin at eGFR below 30?' });
    expect(evidence.answerText.length).to.be.greaterThan(0);
  });

  it('shows exactly what is sent', async () => {
    const el = await fixture<CurbsideSuggestionsElement>(html`<curbside-suggestions .chart=${CHART} .provider=${spy().provider}></curbside-suggestions>`);
    await ready(el);
    const payload = el.shadowRoot!.querySelector('curbside-payload-view')!;
    expect(payload.payload!.json).to.contain('"age":67');
    expect(payload.payload!.json).to.not.contain('Bennett');
  });
});
