import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html } from '@open-wc/testing';
import type { PayloadDescription } from '../../src/privacy/index.ts';
import { BUILT_IN_MODEL, REMOTE_MODEL } from '../../test/component/insight-fixtures.ts';
import '../payload-view/payload-view.ts';
import './about-ai.ts';
import type { CurbsideAboutAiElement, ModelValidation } from './about-ai.ts';

failOnLitWarnings();

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function part(el: CurbsideAboutAiElement, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

function headings(el: CurbsideAboutAiElement): Array<[string, string]> {
  return [...el.shadowRoot!.querySelectorAll('[role="heading"]')].map((heading) => [heading.getAttribute('aria-level')!, text(heading)]);
}

const VALIDATION: ModelValidation = {
  date: '2026-09-30',
  caseSet: '120 de-identified cases from the renal clinic',
  figures: { 'Correct diagnosis in the top 3': '84 %', 'Unverified findings per answer': '0.3' },
};

const PAYLOAD: PayloadDescription = {
  json: '{"version":1}',
  tokens: { payload: 10, rawFhir: 100, budget: 6000, ratio: 10, withinBudget: true },
  sent: { problems: 0, medications: 0, allergies: 0, series: 0, seriesValues: 0, textResults: 0, notes: 0 },
  omissions: [],
  removed: [],
};

describe('<curbside-about-ai>', () => {
  it('sets out intended use, who it is not for, known limits, the model, validation and data, under ordered headings', async () => {
    const el = await fixture<CurbsideAboutAiElement>(html`<curbside-about-ai .model=${REMOTE_MODEL}></curbside-about-ai>`);
    expect(headings(el)).to.deep.equal([
      ['2', 'About these suggestions'],
      ['3', 'Intended use'],
      ['3', 'Not for'],
      ['3', 'Known limits'],
      ['3', 'The model'],
      ['3', 'How it was validated'],
      ['3', 'What leaves the browser'],
    ]);
    expect(text(part(el, 'intended-use'))).to.contain('Decision support for licensed clinicians');
    expect(text(part(el, 'intended-use'))).to.contain('They are suggestions, not diagnoses or orders.');
    const notFor = text(part(el, 'not-for'));
    for (const phrase of ['Patients', 'without a clinician reviewing', 'Emergencies as the only basis', 'paediatric dosing']) expect(notFor).to.contain(phrase);
    const limits = text(part(el, 'limits'));
    for (const phrase of ['built-in reference engine covers a limited set', 'synthetic patients', 'English', 'No imaging']) expect(limits).to.contain(phrase);
    expect(text(part(el, 'data'))).to.contain('Never: names, record numbers, FHIR ids, exact dates');
    expect(text(el.shadowRoot!.querySelector('.label'))).to.contain('AI-generated — verify before use');
    await expect(el).to.be.accessible();
  });

  it("shows the model's name, version and provider", async () => {
    const el = await fixture<CurbsideAboutAiElement>(html`<curbside-about-ai .model=${REMOTE_MODEL}></curbside-about-ai>`);
    expect([...part(el, 'model')!.querySelectorAll('div')].map(text)).to.deep.equal([
      'Name gpt-4.1',
      'Version 2025-04-14',
      "Provider Azure AI Foundry (Microsoft), under your organisation's agreement",
    ]);
    expect(part(el, 'built-in')).to.equal(null);
  });

  it('says the built-in engine is not a clinical model, and when no model is configured', async () => {
    const el = await fixture<CurbsideAboutAiElement>(html`<curbside-about-ai .model=${BUILT_IN_MODEL}></curbside-about-ai>`);
    expect(text(part(el, 'model'))).to.contain('Built into Curbside; runs in your browser');
    expect(text(part(el, 'built-in'))).to.contain('not a clinical model');
    el.model = undefined;
    await el.updateComplete;
    expect(text(part(el, 'model'))).to.equal('No model is configured.');
  });

  it("says plainly when the model has not been evaluated on this site's cases, and shows the figures when it has", async () => {
    const el = await fixture<CurbsideAboutAiElement>(html`<curbside-about-ai .model=${REMOTE_MODEL}></curbside-about-ai>`);
    expect(text(part(el, 'not-evaluated'))).to.equal("Not yet evaluated on this site's cases.");
    el.validation = VALIDATION;
    await el.updateComplete;
    expect(part(el, 'not-evaluated')).to.equal(null);
    expect(text(part(el, 'validation'))).to.contain('120 de-identified cases from the renal clinic');
    expect(text(part(el, 'validation'))).to.contain('2026');
    expect([...part(el, 'figures')!.querySelectorAll('div')].map(text)).to.deep.equal(['Correct diagnosis in the top 3 84 %', 'Unverified findings per answer 0.3']);
    await expect(el).to.be.accessible();
  });

  it("reads the measured figures for its own model from the latest evaluation report, and nothing for another model's", async () => {
    const figures = {
      cases: 14, scoredCases: 9, top1: 0.889, top3: 1, top10: 1, cantMissRecall: 1, cantMissCases: 3, groundingRate: 1, unverifiedCitationRate: 0,
      schemaFailureRate: 0, errorRate: 0, latencyMs: { p50: 1200, p95: 4100 }, tokensSent: { mean: 2800, total: 39200 },
    };
    const report = {
      schema: 'curbside-evaluation/1',
      generatedAt: '2026-11-25T16:00:00.000Z',
      caseSet: { name: 'built-in', description: 'the synthetic scenarios', cases: 14 },
      providers: [{ key: 'foundry', identity: REMOTE_MODEL, figures, cases: [] }],
    };
    const el = await fixture<CurbsideAboutAiElement>(html`<curbside-about-ai .model=${REMOTE_MODEL} .report=${report}></curbside-about-ai>`);
    const validation = text(part(el, 'validation'));
    expect(validation).to.contain('2026');
    expect(validation).to.contain('14 cases (9 with an expected diagnosis) — the synthetic scenarios');
    const rows = [...part(el, 'figures')!.querySelectorAll('div')].map(text);
    expect(rows).to.include('Expected diagnosis ranked first 88.9 %');
    expect(rows).to.include("Can't-miss diagnoses in the top 10 (of 3) 100 %");
    expect(rows).to.include('Time to answer, median / 95th percentile 1.2 s / 4.1 s');
    await expect(el).to.be.accessible();
    el.model = BUILT_IN_MODEL;
    await el.updateComplete;
    expect(text(part(el, 'not-evaluated'))).to.equal("Not yet evaluated on this site's cases.");
  });

  it('shows the payload view in its slot, in the data section, and fits 320 px', async () => {
    const el = await fixture<CurbsideAboutAiElement>(html`
      <curbside-about-ai .model=${REMOTE_MODEL} style="width: 320px">
        <curbside-payload-view slot="payload" heading-level="4" .payload=${PAYLOAD}></curbside-payload-view>
      </curbside-about-ai>
    `);
    const slot = part(el, 'data')!.querySelector('slot')!;
    expect(slot.assignedElements().map((element) => element.localName)).to.deep.equal(['curbside-payload-view']);
    const base = part(el, 'base')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    await expect(el).to.be.accessible();
  });

  it('follows the host page outline', async () => {
    const el = await fixture<CurbsideAboutAiElement>(html`<curbside-about-ai heading-level="3"></curbside-about-ai>`);
    expect(headings(el).slice(0, 2)).to.deep.equal([
      ['3', 'About these suggestions'],
      ['4', 'Intended use'],
    ]);
  });
});
