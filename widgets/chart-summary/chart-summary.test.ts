import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { PatientChart } from '../../src/chart/types.ts';
import { keyLabs } from '../../src/chart/index.ts';
import { LOADING, READY, egfrSeries, emptyChart, fullChart, hba1cSeries, makeSeries, potassiumSeries, seriesRecord } from '../../test/component/chart-fixtures.ts';
import '../index.ts';
import type { CurbsideSparklineElement } from '../sparkline/sparkline.ts';
import type { CurbsideChartSummaryElement } from './chart-summary.ts';

failOnLitWarnings();

const SECTION_KEYS = ['problems', 'medications', 'allergies', 'labs', 'vitals', 'notes'] as const;
const egfrInit = { code: '98979-8', display: 'eGFR', category: 'laboratory', unit: 'mL/min/{1.73_m2}' } as const;

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function section(el: CurbsideChartSummaryElement, key: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="section-${key}"]`);
  expect(found, `section ${key}`).to.not.equal(null);
  return found!;
}

function items(el: CurbsideChartSummaryElement, kind?: string): HTMLButtonElement[] {
  return Array.from(el.shadowRoot!.querySelectorAll<HTMLButtonElement>(`button[part~="${kind ?? 'item'}"]`));
}

function item(el: CurbsideChartSummaryElement, reference: string): HTMLButtonElement {
  const found = items(el).find((button) => button.dataset.reference === reference);
  expect(found, `item ${reference}`).to.not.equal(undefined);
  return found!;
}

async function summary(chart: PatientChart | undefined): Promise<CurbsideChartSummaryElement> {
  return fixture<CurbsideChartSummaryElement>(html`<curbside-chart-summary .chart=${chart}></curbside-chart-summary>`);
}

describe('<curbside-chart-summary>', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light', forcedColors: 'none', reducedMotion: 'no-preference' });
  });

  it('shows every section loading, with skeletons and hidden loading text, before there is a chart', async () => {
    const el = await summary(undefined);
    for (const key of SECTION_KEYS) {
      const s = section(el, key);
      expect(s.getAttribute('aria-busy'), key).to.equal('true');
      expect(s.querySelector('[part~="skeleton"]'), key).to.not.equal(null);
      expect(s.querySelector('[part~="skeleton"]')!.getAttribute('aria-hidden')).to.equal('true');
      expect(items(el)).to.have.length(0);
    }
    expect(text(section(el, 'problems'))).to.equal('Problems Loading problems');
    expect(text(section(el, 'labs'))).to.equal('Key labs Loading key labs');
    await expect(el).to.be.accessible();
  });

  it('shows the sections that have arrived while the others still load', async () => {
    const chart = { ...fullChart(), sections: { ...fullChart().sections, labs: LOADING, vitals: LOADING, notes: LOADING } };
    const el = await summary(chart);
    expect(section(el, 'problems').hasAttribute('aria-busy')).to.equal(false);
    expect(items(el, 'problem').length).to.be.greaterThan(0);
    expect(section(el, 'labs').getAttribute('aria-busy')).to.equal('true');
    expect(items(el, 'lab')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('says plainly when a section has nothing recorded', async () => {
    const el = await summary(emptyChart());
    const expected: Record<string, string> = {
      problems: 'Problems No active problems recorded',
      medications: 'Medications No active medications recorded',
      allergies: 'Allergies No allergies recorded',
      labs: 'Key labs No lab results recorded',
      vitals: 'Vitals No vital signs recorded',
      notes: 'Recent notes No notes recorded',
    };
    for (const key of SECTION_KEYS) expect(text(section(el, key))).to.equal(expected[key]);
    expect(el.shadowRoot!.querySelectorAll('[part~="empty"]')).to.have.length(6);
    await expect(el).to.be.accessible();
  });

  it('says why a section is unavailable while the others show their facts', async () => {
    const chart = fullChart({
      medications: { status: 'unavailable', reason: 'Access to medications was not granted', cause: 'not-granted' },
      labs: { status: 'unavailable', reason: 'The EHR could not return lab results just now', cause: 'server' },
    });
    const el = await summary(chart);
    expect(text(section(el, 'medications'))).to.equal('Medications Medications unavailable: Access to medications was not granted');
    expect(text(section(el, 'labs').querySelector('[part~="unavailable"]'))).to.equal('Key labs unavailable: The EHR could not return lab results just now');
    expect(items(el, 'medication')).to.have.length(0);
    expect(items(el, 'problem').length).to.be.greaterThan(0);
    expect(items(el, 'vital').length).to.be.greaterThan(0);
    await expect(el).to.be.accessible();
  });

  it('lists active problems with their onset first and folds resolved ones away; withdrawn entries are left out', async () => {
    const el = await summary(fullChart());
    const problems = section(el, 'problems');
    const shown = Array.from(problems.querySelectorAll(':scope > ul > li')).map(text);
    expect(shown).to.deep.equal(['Chronic kidney disease stage 3b Since Mar 2021', 'Type 2 diabetes mellitus Since Jun 2, 2014']);

    const details = problems.querySelector('details')!;
    expect(details.open).to.equal(false);
    expect(text(details.querySelector('summary'))).to.equal('Resolved or inactive (1)');
    expect(text(details.querySelector('li'))).to.equal('Community-acquired pneumonia Resolved Feb 1, 2023');
    expect(text(problems)).to.not.contain('Entered by mistake');
    await expect(el).to.be.accessible();
  });

  it('lists active medications with dosage, marks one on hold, and allergies with a criticality word and reactions', async () => {
    const el = await summary(fullChart());
    const meds = Array.from(section(el, 'medications').querySelectorAll(':scope > ul > li')).map(text);
    expect(meds).to.deep.equal(['Lisinopril 10 mg oral tablet 10 mg by mouth once daily', 'Metformin 500 mg oral tablet On hold 500 mg by mouth twice daily']);
    expect(text(section(el, 'medications').querySelector('details summary'))).to.equal('Not active (1)');

    const penicillin = item(el, 'AllergyIntolerance/pcn');
    expect(text(penicillin)).to.equal('Penicillin High criticality Reactions: Hives, Anaphylaxis');
    const badge = penicillin.querySelector('[part~="badge"]')!;
    expect(text(badge)).to.equal('High criticality');
    expect(getComputedStyle(badge).color).to.equal('rgb(179, 38, 30)');
    expect(text(item(el, 'AllergyIntolerance/latex'))).to.equal('Latex Low criticality');
  });

  it('shows a key lab with its latest value, unit, date, abnormal flag, trend, reference range and a sparkline with the band', async () => {
    const el = await summary(fullChart());
    const egfr = item(el, 'Observation/egfr-6');
    expect(text(egfr.querySelector('[part~="item-title"]'))).to.equal('eGFR');
    expect(text(egfr.querySelector('[part~="value"]'))).to.equal('27 mL/min/1.73 m²');
    expect(egfr.querySelector('time')!.getAttribute('datetime')).to.equal('2026-11-10');
    expect(text(egfr.querySelector('[part~="item-meta"]'))).to.equal('Nov 10, 2026 · Ref ≥ 60 mL/min/1.73 m²');

    const flag = egfr.querySelector('[part~="badge"]')!;
    expect(text(flag)).to.equal('Low');
    expect(getComputedStyle(flag).color).to.equal('rgb(179, 38, 30)');
    expect(getComputedStyle(egfr.querySelector('[part~="value"]')!).color).to.equal('rgb(179, 38, 30)');

    const trend = egfr.querySelector('[part~="trend"]')!;
    expect(trend.querySelector('[aria-hidden="true"]')!.textContent).to.equal('↓');
    expect(text(trend.querySelector('.visually-hidden'))).to.equal(', falling');

    const sparkline = egfr.querySelector<CurbsideSparklineElement>('curbside-sparkline')!;
    await sparkline.updateComplete;
    expect(sparkline.getAttribute('part')).to.equal('sparkline');
    expect(sparkline.shadowRoot!.querySelector('[part~="band"]')).to.not.equal(null);
    expect(sparkline.shadowRoot!.querySelector('svg')!.getAttribute('aria-label')).to.equal(
      'eGFR, 6 values from Mar 2021 to Nov 2026, from 72 to 27 mL/min/1.73 m², below the reference range',
    );

    const potassium = item(el, 'Observation/k-3');
    expect(text(potassium.querySelector('[part~="badge"]'))).to.equal('Critically high');
    expect(potassium.querySelector('[part~="badge"]')!.classList.contains('critical')).to.equal(true);
    expect(text(potassium.querySelector('[part~="value"]'))).to.equal('6.4 mmol/L');
    expect(text(potassium.querySelector('[part~="item-meta"]'))).to.contain('Ref 3.5–5.1 mmol/L');
    await expect(el).to.be.accessible();
  });

  it('orders key labs as the chart module ranks them: recent abnormal results first, stale ones last', async () => {
    const normal = makeSeries({ code: '2951-2', display: 'Sodium', category: 'laboratory', unit: 'mmol/L', values: [139], times: ['2026-11-19'], prefix: 'na', abnormal: 'normal' });
    const staleLdl = makeSeries({ code: '13457-7', display: 'LDL cholesterol', category: 'laboratory', unit: 'mg/dL', values: [190], times: ['2023-01-10'], prefix: 'ldl', abnormal: 'high' });
    const chart: PatientChart = { ...fullChart(), series: seriesRecord([staleLdl, normal, hba1cSeries, egfrSeries, potassiumSeries]) };
    const el = await summary(chart);
    const titles = items(el, 'lab').map((button) => text(button.querySelector('[part~="item-title"]')));
    expect(titles).to.deep.equal(['Potassium', 'eGFR', 'HbA1c', 'Sodium', 'LDL cholesterol']);
    expect(titles).to.deep.equal(keyLabs(chart).map((series) => series.display));
  });

  it('shows a bounded result with its comparator', async () => {
    const bounded = makeSeries({ ...egfrInit, values: [88, 92], times: ['2026-01-05', '2026-11-10'], prefix: 'egfr-b' });
    const chart: PatientChart = {
      ...fullChart(),
      series: seriesRecord([{ ...bounded, latest: { ...bounded.latest, comparator: '>' }, points: [bounded.points[0]!, { ...bounded.latest, comparator: '>' }] }]),
    };
    const el = await summary(chart);
    expect(text(item(el, 'Observation/egfr-b-2').querySelector('[part~="value"]'))).to.equal('> 92 mL/min/1.73 m²');
  });

  it('shows the latest vitals, blood pressure as systolic/diastolic, each with a small sparkline', async () => {
    const el = await summary(fullChart());
    const rows = items(el, 'vital').map((button) => `${text(button.querySelector('[part~="item-title"]'))}: ${text(button.querySelector('[part~="value"]'))}`);
    expect(rows).to.deep.equal([
      'Blood pressure: 128/82 mmHg',
      'Heart rate: 76/min',
      'Respiratory rate: 16/min',
      'Temperature: 36.8 °C',
      'SpO2: 97%',
      'Weight: 81.6 kg',
    ]);
    for (const button of items(el, 'vital')) expect(button.querySelector('curbside-sparkline')).to.not.equal(null);
    const bp = items(el, 'vital')[0]!;
    expect(bp.dataset.reference).to.equal('Observation/bp-3');
    expect(text(bp.querySelector('[part~="badge"]'))).to.equal('High');
  });

  it('lists recent notes newest first with date and author, and says when a note has no readable text', async () => {
    const el = await summary(fullChart());
    expect(items(el, 'note').map(text)).to.deep.equal([
      'Progress note Nov 19, 2026 · Dr. Okafor',
      'Nephrology consult Oct 2, 2026 · Dr. Chen',
      'Outside records May 1, 2026 Text unavailable: scanned document',
    ]);
  });

  it('notes skipped entries, a cut-short list and what the chart reader says is missing', async () => {
    const el = await summary(
      fullChart({
        problems: { status: 'ready', skipped: 2, truncated: true },
        notes: { status: 'ready', skipped: 1, truncated: false },
        vitals: { status: 'ready', skipped: 0, truncated: true, caveats: ['Only the newest 5000 vital signs were read.'] },
        medications: { status: 'ready', skipped: 0, truncated: false, caveats: ["Details of 1 medication could not be read; the order's own description is shown."] },
      }),
    );
    expect(text(section(el, 'problems').querySelector('[part~="section-note"]'))).to.equal('Showing the most recent problems. 2 entries could not be read.');
    expect(text(section(el, 'notes').querySelector('[part~="section-note"]'))).to.equal('One entry could not be read.');
    expect(text(section(el, 'vitals').querySelector('[part~="section-note"]'))).to.equal('Only the newest 5000 vital signs were read.');
    expect(text(section(el, 'medications').querySelector('[part~="section-note"]'))).to.equal(
      "Details of 1 medication could not be read; the order's own description is shown.",
    );
    expect(section(el, 'labs').querySelector('[part~="section-note"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('fires curbside-fact-select with the fact reference on click, Enter and Space', async () => {
    const el = await summary(fullChart());

    const lisinopril = item(el, 'MedicationRequest/lis');
    setTimeout(() => lisinopril.click());
    const clicked = await oneEvent(el, 'curbside-fact-select');
    expect(clicked.detail).to.deep.equal({ reference: 'MedicationRequest/lis' });
    expect(clicked.bubbles).to.equal(true);
    expect(clicked.composed).to.equal(true);

    item(el, 'Observation/egfr-6').focus();
    const entered = oneEvent(el, 'curbside-fact-select');
    await sendKeys({ press: 'Enter' });
    expect((await entered).detail.reference).to.equal('Observation/egfr-6');

    item(el, 'DocumentReference/n2').focus();
    const spaced = oneEvent(el, 'curbside-fact-select');
    await sendKeys({ press: 'Space' });
    expect((await spaced).detail.reference).to.equal('DocumentReference/n2');

    // Tab moves through the facts in reading order.
    item(el, 'Condition/ckd').focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(item(el, 'Condition/dm2'));
  });

  it('highlightFact scrolls a fact into view, focuses and highlights it, and returns false for a fact not shown', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const chart = fullChart();
    const container = await fixture<HTMLDivElement>(html`<div style="width: 360px; height: 160px; overflow: auto"><curbside-chart-summary .chart=${chart}></curbside-chart-summary></div>`);
    const el = container.querySelector('curbside-chart-summary')!;
    await el.updateComplete;
    expect(container.scrollTop).to.equal(0);

    expect(el.highlightFact('DocumentReference/n3')).to.equal(true);
    await el.updateComplete;
    const note = item(el, 'DocumentReference/n3');
    const box = note.getBoundingClientRect();
    const view = container.getBoundingClientRect();
    expect(container.scrollTop).to.be.greaterThan(0);
    expect(box.top).to.be.at.least(view.top - 0.5);
    expect(box.bottom).to.be.at.most(view.bottom + 0.5);
    expect(el.shadowRoot!.activeElement).to.equal(note);
    expect(note.classList.contains('highlighted')).to.equal(true);
    expect(note.getAttribute('aria-current')).to.equal('true');
    await expect(el).to.be.accessible();

    // An older eGFR value highlights its series; the previous highlight moves.
    expect(el.highlightFact('Observation/egfr-2')).to.equal(true);
    await el.updateComplete;
    const egfr = item(el, 'Observation/egfr-6');
    expect(egfr.classList.contains('highlighted')).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(egfr);
    expect(note.classList.contains('highlighted')).to.equal(false);
    expect(note.hasAttribute('aria-current')).to.equal(false);
    expect(el.shadowRoot!.querySelectorAll('[aria-current]')).to.have.length(1);

    // A diastolic value highlights the blood-pressure row.
    expect(el.highlightFact('Observation/bp-1')).to.equal(true);
    await el.updateComplete;
    expect(item(el, 'Observation/bp-3').classList.contains('highlighted')).to.equal(true);

    // A resolved problem is folded away: its details open.
    expect(el.highlightFact('Condition/pna')).to.equal(true);
    expect(section(el, 'problems').querySelector('details')!.open).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal(item(el, 'Condition/pna'));

    expect(el.highlightFact('Observation/unknown')).to.equal(false);
    expect(el.highlightFact('Condition/old'), 'an entered-in-error problem is not shown').to.equal(false);
  });

  it('highlightFact returns false while the fact’s section is loading', async () => {
    const el = await summary(fullChart({ labs: LOADING }));
    expect(el.highlightFact('Observation/egfr-6')).to.equal(false);
    expect(el.highlightFact('Condition/ckd')).to.equal(true);
  });

  it('renders markup in chart text as text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedSummary=1">';
    const base = fullChart();
    const chart: PatientChart = {
      ...base,
      problems: [{ reference: 'Condition/x', display: `${hostile}Asthma`, codes: [], clinicalStatus: 'active', onset: hostile }],
      medications: [{ reference: 'MedicationRequest/x', display: hostile, codes: [], status: 'active', dosage: hostile }],
      allergies: [{ reference: 'AllergyIntolerance/x', display: hostile, codes: [], reactions: [hostile] }],
      notes: [{ reference: 'DocumentReference/x', title: hostile, author: hostile, textUnavailable: hostile }],
      series: seriesRecord([{ ...egfrSeries, display: hostile, unit: hostile }]),
      sections: { ...base.sections, vitals: { status: 'unavailable', reason: hostile, cause: 'server' } },
    };
    const el = await summary(chart);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(text(item(el, 'Condition/x').querySelector('[part~="item-title"]'))).to.equal(`${hostile}Asthma`);
    expect(text(item(el, 'MedicationRequest/x'))).to.equal(`${hostile} ${hostile}`);
    expect(text(section(el, 'vitals').querySelector('[part~="unavailable"]'))).to.equal(`Vitals unavailable: ${hostile}`);
    const sparkline = item(el, 'Observation/egfr-6').querySelector<CurbsideSparklineElement>('curbside-sparkline')!;
    await sparkline.updateComplete;
    expect(sparkline.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as unknown as { __pwnedSummary?: number }).__pwnedSummary).to.equal(undefined);
  });

  it('fits a 320 px sidebar: long drug names and unbroken text wrap instead of scrolling sideways', async () => {
    const base = fullChart();
    const chart: PatientChart = {
      ...base,
      medications: [
        {
          reference: 'MedicationRequest/long',
          display: 'Sulfamethoxazole 800 mg / trimethoprim 160 mg oral tablet [Bactrim DS] (extended therapy protocol)',
          codes: [],
          status: 'on-hold',
          dosage: 'Take1tablet-by-mouth-every-12-hours-with-a-full-glass-of-water-for-14-days-then-reassess',
        },
        ...base.medications,
      ],
      problems: [{ reference: 'Condition/long', display: 'Pneumonoultramicroscopicsilicovolcanoconiosis-with-acute-exacerbation', codes: [], clinicalStatus: 'active' }],
    };
    const container = await fixture<HTMLDivElement>(html`<div style="width: 320px"><curbside-chart-summary .chart=${chart}></curbside-chart-summary></div>`);
    const el = container.querySelector('curbside-chart-summary')!;
    await el.updateComplete;
    const base_ = el.shadowRoot!.querySelector<HTMLElement>('[part~="base"]')!;
    expect(base_.scrollWidth).to.be.at.most(base_.clientWidth);
    expect(container.scrollWidth).to.be.at.most(container.clientWidth);
    expect(el.getBoundingClientRect().width).to.be.at.most(320);
    for (const button of items(el)) {
      expect(button.scrollWidth, text(button.querySelector('[part~="item-title"]'))).to.be.at.most(button.clientWidth);
      expect(button.getBoundingClientRect().right).to.be.at.most(base_.getBoundingClientRect().right + 0.5);
    }
    // The long name wraps onto several lines.
    const title = item(el, 'MedicationRequest/long').querySelector<HTMLElement>('[part~="item-title"]')!;
    expect(title.getBoundingClientRect().height).to.be.greaterThan(parseFloat(getComputedStyle(title).lineHeight) * 1.5);
  });

  it('shows a visible focus ring on the focused fact', async () => {
    const el = await summary(fullChart());
    const button = item(el, 'Condition/ckd');
    button.focus();
    await sendKeys({ press: 'Shift+Tab' });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(button);
    const style = getComputedStyle(button);
    expect(style.outlineStyle).to.equal('solid');
    expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
  });

  it('exposes its parts and honours heading-level', async () => {
    const el = await fixture<CurbsideChartSummaryElement>(html`<curbside-chart-summary heading-level="3" .chart=${fullChart()}></curbside-chart-summary>`);
    for (const name of ['base', 'section', 'section-title', 'list', 'item', 'item-title', 'item-meta', 'value', 'trend', 'badge', 'sparkline', 'more']) {
      expect(el.shadowRoot!.querySelector(`[part~="${name}"]`), name).to.not.equal(null);
    }
    const titles = Array.from(el.shadowRoot!.querySelectorAll('[part~="section-title"]'));
    expect(titles.map(text)).to.deep.equal(['Problems', 'Medications', 'Allergies', 'Key labs', 'Vitals', 'Recent notes']);
    for (const title of titles) {
      expect(title.getAttribute('role')).to.equal('heading');
      expect(title.getAttribute('aria-level')).to.equal('3');
    }
  });

  it('stays accessible in dark mode and in forced colours', async () => {
    const el = await summary(fullChart());
    await emulateMedia({ colorScheme: 'dark' });
    await expect(el).to.be.accessible();
    await emulateMedia({ colorScheme: 'light', forcedColors: 'active' });
    await expect(el).to.be.accessible();
  });

  it('re-indexes the facts it can highlight when the chart changes', async () => {
    const el = await summary(fullChart());
    expect(el.highlightFact('Condition/ckd')).to.equal(true);
    el.chart = emptyChart();
    await el.updateComplete;
    expect(el.highlightFact('Condition/ckd')).to.equal(false);
    expect(el.shadowRoot!.querySelectorAll('[aria-current]')).to.have.length(0);
    el.chart = { ...emptyChart(), problems: [{ reference: 'Condition/new', display: 'Gout', codes: [], clinicalStatus: 'active' }], sections: { ...emptyChart().sections, problems: READY } };
    await el.updateComplete;
    expect(el.highlightFact('Condition/new')).to.equal(true);
  });
});
