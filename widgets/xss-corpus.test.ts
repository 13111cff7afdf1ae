/**
 * The XSS corpus (test/security/xss-corpus.json) against every element that shows outside text:
 * model output (summaries, conditions, citation titles and URLs, streamed answers), chart text
 * (patient names, problems, medications, note titles), the composer and the attested note. Each
 * payload calls `xss()` if it ever runs; the canary must stay at zero and no shadow root may hold
 * a script, an event-handler attribute or a script URL.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import type { BannerFacts, PatientChart } from '../src/chart/index.ts';
import type { Insight } from '../src/insight/types.ts';
import type { PayloadDescription } from '../src/privacy/index.ts';
import { composeNoteDraft, editSection } from '../src/writeback/note.ts';
import { sampleInsight } from '../src/writeback/test-support.ts';
import { fullChart } from '../test/component/chart-fixtures.ts';
import { ADA, DIABETES, REMOTE_MODEL, insight } from '../test/component/insight-fixtures.ts';
import { markdown } from './shared/markdown.ts';
import './index.ts';
import type { CurbsideAboutAiElement } from './about-ai/about-ai.ts';
import type { CurbsideAttestationElement } from './attestation/attestation.ts';
import type { CurbsideChartSummaryElement } from './chart-summary/chart-summary.ts';
import type { CurbsideDifferentialElement } from './differential/differential.ts';
import type { CurbsideEvidenceElement } from './evidence/evidence.ts';
import type { CurbsideNoteComposerElement } from './note-composer/note-composer.ts';
import type { CurbsidePatientBannerElement } from './patient-banner/patient-banner.ts';
import type { CurbsidePayloadViewElement } from './payload-view/payload-view.ts';

interface CorpusEntry {
  readonly category: string;
  readonly payload: string;
}

const canary = { calls: 0, last: '' };
const record = (what: string) => () => {
  canary.calls += 1;
  canary.last = what;
};
Object.assign(window, { xss: record('xss'), alert: record('alert'), confirm: record('confirm'), prompt: record('prompt') });

let corpus: readonly CorpusEntry[] = [];

before(async () => {
  corpus = ((await (await fetch('/test/security/xss-corpus.json')).json()) as { payloads: CorpusEntry[] }).payloads;
});

/** Elements that could run script or load something, wherever they appear. */
const ACTIVE = 'script, iframe, frame, object, embed, base, meta, link, img, image, foreignObject, animate, set, use, handler, style:not([data-lit])';
const SCRIPT_URL = /^(?:javascript|data|vbscript):/i;

/** Characters a browser drops from a URL before reading its scheme (C0/C1 controls, spaces, zero-width marks). */
function isIgnoredInUrl(char: string): boolean {
  const code = char.codePointAt(0)!;
  return code <= 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x200b || code === 0xfeff;
}

/** Every shadow root under `root`, nested ones included. */
function shadowRoots(root: ParentNode): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  for (const element of root.querySelectorAll('*')) {
    if (element.shadowRoot) roots.push(element.shadowRoot, ...shadowRoots(element.shadowRoot));
  }
  return roots;
}

function assertInert(host: Element, context: string): void {
  const roots: ParentNode[] = [host, ...(host.shadowRoot ? [host.shadowRoot, ...shadowRoots(host.shadowRoot)] : []), ...shadowRoots(host)];
  for (const root of roots) {
    const active = [...root.querySelectorAll(ACTIVE)].map((element) => element.outerHTML.slice(0, 120));
    expect(active, `${context}: active element`).to.deep.equal([]);
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        const name = attribute.name.toLowerCase();
        expect(name.startsWith('on'), `${context}: ${name} on <${element.localName}>`).to.equal(false);
        expect(['srcdoc', 'formaction', 'action', 'xlink:href', 'ping', 'background'].includes(name), `${context}: ${name} on <${element.localName}>`).to.equal(false);
        // What the browser would navigate to: control characters and whitespace are stripped by URL parsing.
        const value = [...attribute.value].filter((char) => !isIgnoredInUrl(char)).join('');
        if (name === 'href' || name === 'src') expect(SCRIPT_URL.test(value), `${context}: ${name}="${attribute.value}"`).to.equal(false);
        if (name === 'href') expect(/^(?:https?:\/\/|#)/i.test(attribute.value), `${context}: href="${attribute.value}"`).to.equal(true);
      }
    }
  }
  expect(canary.calls, `${context}: the canary (${canary.last}) was called`).to.equal(0);
}

/** Opens every disclosure and `<details>`, so hidden text is rendered too. */
async function openEverything(el: HTMLElement & { updateComplete: Promise<boolean> }): Promise<void> {
  for (const button of el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="disclosure"][aria-expanded="false"]')) button.click();
  await el.updateComplete;
  for (const details of el.shadowRoot!.querySelectorAll('details')) details.open = true;
  await el.updateComplete;
}

function hostileChart(payload: string): PatientChart {
  const chart = fullChart();
  return {
    ...chart,
    patient: { ...chart.patient!, name: payload },
    problems: chart.problems.map((p) => ({ ...p, display: payload })),
    medications: chart.medications.map((m) => ({ ...m, display: payload, dosage: payload })),
    allergies: chart.allergies.map((a) => ({ ...a, display: payload, reactions: [payload] })),
    notes: chart.notes.map((n) => ({ ...n, title: payload, author: payload })),
  };
}

function hostileInsight(payload: string): Insight {
  const citation = { ...ADA, title: payload, source: payload, quote: payload, url: payload, doi: payload, pmid: payload };
  return insight({
    summary: payload,
    confidence: payload,
    citations: [citation],
    differential: [
      {
        ...DIABETES,
        condition: payload,
        rarity: payload,
        supporting: [{ text: payload, references: ['Observation/a1c-new'], verified: true }],
        opposing: [{ text: payload, references: [], verified: false }],
        missing: [payload],
        nextSteps: [{ text: payload, kind: 'test' }],
        citations: [citation],
      },
    ],
  });
}

describe('XSS corpus', function (this: { timeout(ms: number): void }) {
  this.timeout(120_000);

  // Handlers such as onerror fire after the render returns: give them time before the final look.
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(canary.calls, `the canary (${canary.last}) was called`).to.equal(0);
  });

  it('would notice a payload that ran or survived (the checks themselves work)', async () => {
    const box = await fixture<HTMLDivElement>(html`<div></div>`);
    const unsafe = document.createElement('div');
    // Deliberately unsanitised, to prove the canary and the DOM check both see it.
    unsafe.setAttribute('onclick', 'xss()');
    unsafe.click();
    box.append(unsafe);
    expect(() => assertInert(box, 'self-check')).to.throw();
    expect(canary.calls).to.equal(1);
    canary.calls = 0;
  });

  it('holds at least 150 payloads across every category', () => {
    expect(corpus.length).to.be.at.least(150);
    expect(new Set(corpus.map((entry) => entry.category))).to.have.keys('classic', 'mutation', 'svg', 'mathml', 'url', 'markdown', 'unicode', 'injection');
  });

  it('markdown: model text rendered through the one HTML door', async () => {
    const box = await fixture<HTMLDivElement>(html`<div></div>`);
    for (const { payload } of corpus) {
      render(html`<div>${markdown(payload)}</div>`, box);
      assertInert(box, `markdown ${JSON.stringify(payload)}`);
      // A link's description stays, with its URL as text or gone; a javascript: URL is never a link.
      render(html`<div>${markdown(`See [the guideline](${payload}) and ${payload}`)}</div>`, box);
      assertInert(box, `markdown link ${JSON.stringify(payload)}`);
    }
  });

  it('curbside-differential: conditions, findings, summaries, citation titles and URLs', async () => {
    const el = await fixture<CurbsideDifferentialElement>(html`<curbside-differential .model=${REMOTE_MODEL} state="ready"></curbside-differential>`);
    for (const { payload } of corpus) {
      el.insight = hostileInsight(payload);
      await el.updateComplete;
      await openEverything(el);
      assertInert(el, `differential ${JSON.stringify(payload)}`);
    }
  });

  it('curbside-evidence: the question, the streamed answer and its citations', async () => {
    const el = await fixture<CurbsideEvidenceElement>(html`<curbside-evidence .model=${REMOTE_MODEL}></curbside-evidence>`);
    for (const { payload } of corpus) {
      el.state = 'streaming';
      el.question = payload;
      el.answerText = `Answer: ${payload}`;
      await el.updateComplete;
      assertInert(el, `evidence streaming ${JSON.stringify(payload)}`);
      el.state = 'ready';
      el.insight = hostileInsight(payload);
      el.answerText = `${payload}\n\n[source](${payload})`;
      await el.updateComplete;
      await openEverything(el);
      assertInert(el, `evidence ${JSON.stringify(payload)}`);
    }
  });

  it('curbside-chart-summary and curbside-patient-banner: names and chart text from the EHR', async () => {
    const summary = await fixture<CurbsideChartSummaryElement>(html`<curbside-chart-summary></curbside-chart-summary>`);
    const banner = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner></curbside-patient-banner>`);
    for (const { payload } of corpus) {
      summary.chart = hostileChart(payload);
      const facts: BannerFacts = {
        patient: { reference: 'Patient/p1', name: payload, birthDate: '1959-02-11', ageText: payload, sex: payload, identifier: { label: payload, value: payload } },
        allergies: { status: 'ok', count: 1, noKnownAllergies: false, complete: true },
      };
      banner.facts = facts;
      await summary.updateComplete;
      await banner.updateComplete;
      await openEverything(summary);
      assertInert(summary, `chart summary ${JSON.stringify(payload)}`);
      assertInert(banner, `banner ${JSON.stringify(payload)}`);
    }
  });

  it('curbside-note-composer and curbside-attestation: accepted model text and the clinician’s own words', async () => {
    const composer = await fixture<CurbsideNoteComposerElement>(html`<curbside-note-composer></curbside-note-composer>`);
    const attestation = await fixture<CurbsideAttestationElement>(
      html`<curbside-attestation .clinician=${{ name: 'Ana Ruiz', fhirUser: 'Practitioner/pr1' }} .writeState=${{ status: 'idle' }}></curbside-attestation>`,
    );
    for (const { payload } of corpus) {
      const base = sampleInsight();
      const hostile: Insight = { ...base, summary: payload, differential: base.differential.map((item) => ({ ...item, condition: payload, nextSteps: [{ text: payload, kind: 'test' as const }] })) };
      composer.insight = hostile;
      composer.decisions = { accepted: [{ itemId: base.differential[0]!.id }], rejected: [] };
      await composer.updateComplete;
      const ownWords = composer.shadowRoot!.querySelector<HTMLTextAreaElement>('[part~="own-words"]');
      if (ownWords) {
        ownWords.value = payload;
        ownWords.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        await composer.updateComplete;
      }
      assertInert(composer, `composer ${JSON.stringify(payload)}`);
      const draft = composeNoteDraft({ insight: hostile, decisions: { accepted: [{ itemId: base.differential[0]!.id }], rejected: [] }, clinicianText: payload, noteType: '11488-4' });
      attestation.draft = editSection(draft, 'clinician', payload);
      await attestation.updateComplete;
      assertInert(attestation, `attestation ${JSON.stringify(payload)}`);
    }
  });

  it('curbside-payload-view and curbside-about-ai: the disclosed JSON and the model’s own names', async () => {
    const view = await fixture<CurbsidePayloadViewElement>(html`<curbside-payload-view></curbside-payload-view>`);
    const about = await fixture<CurbsideAboutAiElement>(html`<curbside-about-ai></curbside-about-ai>`);
    for (const { payload } of corpus) {
      const description: PayloadDescription = {
        json: JSON.stringify({ version: 1, problems: [{ id: 'F1', display: payload }] }),
        tokens: { payload: 10, rawFhir: 100, budget: 6000, ratio: 10, withinBudget: true },
        sent: { problems: 1, medications: 0, allergies: 0, series: 0, seriesValues: 0, textResults: 0, notes: 0 },
        omissions: [payload],
        removed: [{ kind: 'name', label: payload, count: 1 }],
      };
      view.payload = description;
      about.model = { ...REMOTE_MODEL, name: payload, version: payload };
      await view.updateComplete;
      await about.updateComplete;
      await openEverything(view);
      await openEverything(about);
      assertInert(view, `payload view ${JSON.stringify(payload)}`);
      assertInert(about, `about AI ${JSON.stringify(payload)}`);
    }
  });
});
