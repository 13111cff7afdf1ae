import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { buildCaseSummary, describePayload, type PayloadDescription } from '../../src/privacy/index.ts';
import { fullChart } from '../../test/component/chart-fixtures.ts';
import { XSS_PAYLOADS, assertNoActiveContent } from '../../test/component/xss.ts';
import './payload-view.ts';
import type { CurbsidePayloadViewElement } from './payload-view.ts';

failOnLitWarnings();

const PAYLOAD: PayloadDescription = {
  json: '{"version":1,"age":58,"sex":"female","problems":[{"id":"F2","display":"Essential hypertension"}]}',
  tokens: { payload: 412, rawFhir: 5230, budget: 6000, ratio: 12.7, withinBudget: true },
  sent: { problems: 1, medications: 2, allergies: 0, series: 3, seriesValues: 24, textResults: 0, notes: 1 },
  omissions: ['12 older HbA1c values thinned', '2 notes older than a year'],
  removed: [
    { kind: 'date', label: 'Dates', count: 14 },
    { kind: 'name', label: 'Names', count: 3 },
  ],
};

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function part(el: CurbsidePayloadViewElement, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

async function view(payload: PayloadDescription | undefined = PAYLOAD): Promise<CurbsidePayloadViewElement> {
  return fixture<CurbsidePayloadViewElement>(html`<curbside-payload-view .payload=${payload}></curbside-payload-view>`);
}

describe('<curbside-payload-view>', () => {
  it('says when there is nothing to describe yet', async () => {
    const el = await fixture<CurbsidePayloadViewElement>(html`<curbside-payload-view></curbside-payload-view>`);
    expect(text(part(el, 'empty'))).to.equal('Nothing has been prepared to send yet.');
    await expect(el).to.be.accessible();
  });

  it('shows the exact text sent, the token counts and ratio, what was left out and what was removed', async () => {
    const el = await view();
    const json = part(el, 'json')!;
    expect(json.localName).to.equal('pre');
    expect(json.textContent).to.equal(PAYLOAD.json);
    expect([...part(el, 'tokens')!.querySelectorAll('div')].map(text)).to.deep.equal([
      'Sent about 412 tokens of a 6,000-token budget',
      'The same facts as raw FHIR about 5,230 tokens (12.7× the size)',
    ]);
    expect(text(part(el, 'sent'))).to.equal(
      'Sent: 1 problem, 2 medications, 0 allergies, 3 lab or vital series, 24 values in them, 0 text results, 1 note.',
    );
    expect([...part(el, 'omissions')!.querySelectorAll('li')].map(text)).to.deep.equal(PAYLOAD.omissions);
    expect([...part(el, 'removed')!.querySelectorAll('li')].map(text)).to.deep.equal(['Dates: 14', 'Names: 3']);
    await expect(el).to.be.accessible();
  });

  it('says so when a payload is over its budget, or nothing was left out or removed', async () => {
    const el = await view({ ...PAYLOAD, tokens: { ...PAYLOAD.tokens, payload: 6400, withinBudget: false }, omissions: [], removed: [] });
    expect(text(part(el, 'tokens')!.querySelector('.over'))).to.equal('about 6,400 tokens of a 6,000-token budget — over the budget');
    expect(text(el.shadowRoot!)).to.contain('Nothing was left out.');
    expect(text(el.shadowRoot!)).to.contain('Nothing needed removing.');
  });

  it('wraps the text in a box that scrolls, can be focused from the keyboard, and fits 320 px', async () => {
    const long = JSON.stringify({ notes: [{ text: 'word '.repeat(2000) + 'x'.repeat(500) }] });
    const el = await view({ ...PAYLOAD, json: long });
    el.style.width = '320px';
    const json = part(el, 'json')!;
    expect(json.scrollHeight).to.be.greaterThan(json.clientHeight);
    expect(json.scrollWidth).to.be.at.most(json.clientWidth);
    expect(json.tabIndex).to.equal(0);
    expect(json.getAttribute('role')).to.equal('region');
    part(el, 'copy-button')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(json);
    const base = part(el, 'base')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    await expect(el).to.be.accessible();
  });

  it('copies the exact text to the clipboard', async () => {
    const el = await view();
    const written: string[] = [];
    const original = navigator.clipboard.writeText;
    navigator.clipboard.writeText = async (value: string) => {
      written.push(value);
    };
    try {
      part(el, 'copy-button')!.click();
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
      expect(written).to.deep.equal([PAYLOAD.json]);
      expect(text(part(el, 'copy-status'))).to.equal('Copied.');
    } finally {
      navigator.clipboard.writeText = original;
    }
  });

  it('selects the text to copy by hand when the clipboard is not allowed', async () => {
    const el = await view();
    const original = navigator.clipboard.writeText;
    navigator.clipboard.writeText = async () => {
      throw new DOMException('Write permission denied.', 'NotAllowedError');
    };
    try {
      part(el, 'copy-button')!.click();
      await new Promise((resolve) => setTimeout(resolve));
      await el.updateComplete;
      expect(text(part(el, 'copy-status'))).to.contain("Couldn't copy here. The text is selected");
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'json'));
      expect(getSelection()!.toString()).to.equal(PAYLOAD.json);
    } finally {
      navigator.clipboard.writeText = original;
    }
  });

  it('describes a payload built from a chart by the privacy module', async () => {
    const description = describePayload(buildCaseSummary(fullChart()));
    const el = await view(description);
    expect(part(el, 'json')!.textContent).to.equal(description.json);
    expect(text(part(el, 'tokens'))).to.contain(`of a ${description.tokens.budget.toLocaleString()}-token budget`);
    await expect(el).to.be.accessible();
  });

  it('shows hostile text in the payload as text', async () => {
    const hostile = XSS_PAYLOADS.join('\n');
    const el = await view({ ...PAYLOAD, json: hostile, omissions: [...XSS_PAYLOADS], removed: [{ kind: 'name', label: XSS_PAYLOADS[0]!, count: 1 }] });
    expect(part(el, 'json')!.textContent).to.equal(hostile);
    assertNoActiveContent(el.shadowRoot!, 'payload', 'button');
  });
});
