import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Insight, ModelIdentity } from '../../src/insight/types.ts';
import { InsightError } from '../../src/insight/types.ts';
import { BUILT_IN_MODEL, DIABETES, DKA, MODY, REMOTE_MODEL, insight, pipelineInsight } from '../../test/component/insight-fixtures.ts';
import { XSS_PAYLOADS, assertNoActiveContent } from '../../test/component/xss.ts';
import type { CurbsideDecisionElement } from '../decision/decision.ts';
import './differential.ts';
import type { CurbsideFactSelectEvent, CurbsideSuggestionAcceptEvent, CurbsideSuggestionRejectEvent } from '../shared/events.ts';
import type { InsightErrorView, InsightViewState } from '../shared/insight-view.ts';
import type { SuggestionDecision } from './differential-model.ts';
import type { CurbsideDifferentialElement } from './differential.ts';

failOnLitWarnings();

const OWN_CONTROLS = 'form, button, details, input, textarea';

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function $(el: CurbsideDifferentialElement, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

function $$(el: CurbsideDifferentialElement, selector: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

function items(el: CurbsideDifferentialElement): HTMLElement[] {
  return $$(el, '[part~="item"]');
}

function within(item: HTMLElement, part: string): HTMLElement | null {
  return item.querySelector<HTMLElement>(`[part~="${part}"]`);
}

async function show(
  options: {
    insight?: Insight | undefined;
    state?: InsightViewState;
    error?: InsightErrorView;
    decisions?: ReadonlyMap<string, SuggestionDecision>;
    model?: ModelIdentity;
    progress?: string;
  } = {},
): Promise<CurbsideDifferentialElement> {
  return fixture<CurbsideDifferentialElement>(html`
    <curbside-differential
      .insight=${'insight' in options ? options.insight : insight()}
      .state=${options.state ?? 'ready'}
      .error=${options.error}
      .decisions=${options.decisions ?? new Map()}
      .model=${options.model}
      .progress=${options.progress}
    ></curbside-differential>
  `);
}

async function expand(el: CurbsideDifferentialElement, index: number): Promise<HTMLElement> {
  const item = items(el)[index]!;
  within(item, 'disclosure')!.click();
  await el.updateComplete;
  return item;
}

function isBefore(a: Node, b: Node): boolean {
  return Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
}

describe('<curbside-differential>', () => {
  it('labels the view "AI-generated — verify before use" with the model name and version, in every state', async () => {
    const states: Array<Parameters<typeof show>[0]> = [
      { state: 'idle', insight: undefined, model: REMOTE_MODEL },
      { state: 'streaming', insight: undefined, model: REMOTE_MODEL },
      { state: 'ready' },
      { state: 'error', insight: undefined, model: REMOTE_MODEL, error: { kind: 'timeout', message: 'No answer within 60 seconds.' } },
    ];
    for (const options of states) {
      const el = await show(options);
      const label = $(el, '[part~="ai-label"]')!;
      expect(text(label), options!.state).to.contain('AI-generated — verify before use');
      expect(text($(el, '[part~="model"]')), options!.state).to.equal('Model: gpt-4.1 2025-04-14');
      expect($(el, '[part~="built-in"]'), options!.state).to.equal(null);
      await expect(el).to.be.accessible();
    }
  });

  it("says plainly when the answer comes from Curbside's built-in reference engine", async () => {
    const el = await show({ insight: insight({ model: BUILT_IN_MODEL }) });
    expect(text($(el, '[part~="model"]'))).to.equal('Model: Curbside reference engine 1.0.0');
    expect(text($(el, '[part~="built-in"]'))).to.contain("This is Curbside's built-in reference engine, not a clinical model");
    await expect(el).to.be.accessible();
  });

  it('shows the ranked list with likelihood in words, uncertainty stated or said to be missing, and can’t-miss and rare markers', async () => {
    const el = await show();
    const [first, second, third] = items(el);
    expect(items(el)).to.have.length(3);
    expect(text(within(first!, 'rank'))).to.equal('Rank 1');
    expect(text(within(first!, 'condition'))).to.equal('Type 2 diabetes mellitus');
    expect(within(first!, 'condition')!.getAttribute('aria-level')).to.equal('3');
    expect(text(within(first!, 'likelihood'))).to.equal('Moderate likelihood (about 30 %)');
    expect(within(first!, 'marker')).to.equal(null);

    expect(text(within(second!, 'rank'))).to.equal('Rank 2');
    expect(text(within(second!, 'likelihood'))).to.equal('High likelihood; no probability stated');
    expect(text(within(second!, 'cant-miss'))).to.equal("⚠ Can't miss — serious if overlooked");

    expect(text(within(third!, 'likelihood'))).to.equal('Low likelihood (under 1 %)');
    expect(text(within(third!, 'rare'))).to.equal('Rare — about 1 in 10,000 adults');
    await expect(el).to.be.accessible();
  });

  it('accepts nothing by default: no decision shown, nothing fired, and actions only beside the evidence', async () => {
    const fired: Event[] = [];
    const listener = (event: Event): void => {
      fired.push(event);
    };
    document.addEventListener('curbside-suggestion-accept', listener);
    document.addEventListener('curbside-suggestion-reject', listener);
    try {
      const el = await show();
      expect($$(el, '[part~="decision"]')).to.have.length(0);
      expect($$(el, '[part~="item-accepted"], [part~="item-rejected"]')).to.have.length(0);
      // Collapsed items offer no decision at all.
      expect($$(el, '[part~="accept-button"]')).to.have.length(0);
      for (const index of [0, 1, 2]) await expand(el, index);
      for (const button of $$(el, '[part~="accept-button"]')) {
        expect(text(button)).to.match(/^Accept /);
        expect(button.getAttribute('aria-disabled')).to.equal(null);
      }
      expect($$(el, 'input[type="radio"]:checked')).to.have.length(0);
      expect(fired).to.have.length(0);
    } finally {
      document.removeEventListener('curbside-suggestion-accept', listener);
      document.removeEventListener('curbside-suggestion-reject', listener);
    }
  });

  it('expands an item with a keyboard-operable disclosure, showing its evidence before its action buttons', async () => {
    const el = await show();
    const item = items(el)[0]!;
    const disclosure = within(item, 'disclosure') as HTMLButtonElement;
    const details = within(item, 'details')!;
    expect(disclosure.getAttribute('aria-expanded')).to.equal('false');
    expect(disclosure.getAttribute('aria-controls')).to.equal(details.id);
    expect(details.hidden).to.equal(true);

    disclosure.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(disclosure.getAttribute('aria-expanded')).to.equal('true');
    expect(details.hidden).to.equal(false);

    const supporting = details.querySelector('[part~="findings"]')!;
    const accept = within(item, 'accept-button')!;
    const reject = within(item, 'reject-button')!;
    expect(isBefore(supporting, accept), 'findings before Accept').to.equal(true);
    expect(isBefore(within(item, 'missing')!, accept), 'missing facts before Accept').to.equal(true);
    expect(isBefore(within(item, 'citations')!, accept), 'citations before Accept').to.equal(true);
    expect(isBefore(within(item, 'why')!, accept), 'Why? before Accept').to.equal(true);
    expect(isBefore(accept, reject)).to.equal(true);

    expect(text(details)).to.contain('No lipid panel in 5 years');
    expect($$(el, '[part~="next-steps"] li').map(text)).to.deep.equal(['Test: Repeat HbA1c or fasting plasma glucose to confirm', 'Referral: Refer to diabetes education']);
    await expect(el).to.be.accessible();

    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(disclosure.getAttribute('aria-expanded')).to.equal('false');
    expect(details.hidden).to.equal(true);
  });

  it('fires curbside-fact-select with the reference of each verified finding, one chip per chart fact', async () => {
    const el = await show();
    const item = await expand(el, 0);
    const chips = [...item.querySelectorAll<HTMLButtonElement>('[part~="chip"]')];
    expect(chips.map((chip) => chip.dataset.reference)).to.deep.equal(['Observation/a1c-new', 'Observation/a1c-old', 'DocumentReference/note-1', 'Observation/glu-1']);
    expect(text(chips[0])).to.equal('◎HbA1c 7.4 % three days ago, rising from 6.1 % — show in chart');
    expect(chips[1]!.getAttribute('aria-label')).to.equal('Chart fact 2 of 2: HbA1c 7.4 % three days ago, rising from 6.1 %');

    setTimeout(() => chips[0]!.click());
    const event = (await oneEvent(el, 'curbside-fact-select')) as CurbsideFactSelectEvent;
    expect(event.detail).to.deep.equal({ reference: 'Observation/a1c-new' });
    expect(event.composed).to.equal(true);

    chips[1]!.focus();
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    expect(((await oneEvent(el, 'curbside-fact-select')) as CurbsideFactSelectEvent).detail.reference).to.equal('Observation/a1c-old');
  });

  it('marks an unverified finding "Unverified — not found in the chart", with no way to go to a fact', async () => {
    const el = await show();
    const item = await expand(el, 0);
    const unverified = [...item.querySelectorAll<HTMLElement>('[part~="finding-unverified"]')];
    expect(unverified.map(text)).to.deep.equal(['Family history of diabetes Unverified — not found in the chart']);
    expect(unverified[0]!.closest('button, a')).to.equal(null);
    expect(unverified[0]!.querySelector('button, a')).to.equal(null);
    const chipsNamed = [...item.querySelectorAll('button')].filter((button) => text(button).includes('Family history'));
    expect(chipsNamed).to.have.length(0);
  });

  it('says why a suggestion was made: the chart facts used, the facts missing and the model’s confidence', async () => {
    const el = await show();
    const item = await expand(el, 0);
    const why = within(item, 'why') as HTMLDetailsElement;
    expect(why.open).to.equal(false);
    why.querySelector('summary')!.click();
    expect(why.open).to.equal(true);
    const titles = [...why.querySelectorAll('.why-title')].map(text);
    expect(titles).to.deep.equal(['Chart facts used', 'Claimed but not found in the chart', 'Missing facts', "The model's confidence (for the whole answer)"]);
    const lists = [...why.querySelectorAll('ul')].map((list) => [...list.querySelectorAll('li')].map(text));
    expect(lists).to.deep.equal([
      [
        'Supports: HbA1c 7.4 % three days ago, rising from 6.1 % (2 chart facts)',
        'Supports: Polyuria for a month (1 chart fact)',
        'Argues against: Normal fasting glucose last year (1 chart fact)',
      ],
      ['Supports: Family history of diabetes'],
      ['No lipid panel in 5 years', 'No fasting glucose on record'],
    ]);
    expect(text(why)).to.match(/Moderately confident; one HbA1c above 6\.5 % needs confirmation\.$/);
    await expect(el).to.be.accessible();
  });

  it('fires curbside-suggestion-accept with the insight and item ids, the condition and its codes', async () => {
    const el = await show();
    const item = await expand(el, 0);
    setTimeout(() => within(item, 'accept-button')!.click());
    const event = (await oneEvent(el, 'curbside-suggestion-accept')) as CurbsideSuggestionAcceptEvent;
    expect(event.detail).to.deep.equal({ insightId: 'insight-1', itemId: 'item-t2dm', condition: 'Type 2 diabetes mellitus', codes: DIABETES.codes });
    expect(Object.isFrozen(event.detail)).to.equal(true);
  });

  it('keeps focus where it is after Accept, and on the button once the host records the decision', async () => {
    const el = await show();
    const item = await expand(el, 0);
    const accept = within(item, 'accept-button')!;
    accept.focus();
    accept.click();
    await el.updateComplete;
    within(items(el)[1]!, 'disclosure')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement, 'an unrelated render does not move focus').to.equal(within(items(el)[1]!, 'disclosure'));
    accept.focus();
    el.decisions = new Map([['item-t2dm', 'accepted']]);
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(accept);
    expect(accept.getAttribute('aria-disabled')).to.equal('true');
  });

  it('shows the decisions the host recorded, and does not fire again for an accepted item', async () => {
    const el = await show({ decisions: new Map<string, SuggestionDecision>([['item-t2dm', 'accepted'], ['item-mody', 'rejected']]) });
    const [first, , third] = items(el);
    expect(first!.getAttribute('part')).to.equal('item item-accepted');
    expect(text(within(first!, 'decision'))).to.equal('Accepted');
    expect(text(within(third!, 'decision'))).to.equal('Rejected');
    await expand(el, 0);
    const accept = within(first!, 'accept-button')!;
    expect(text(accept)).to.equal('Accepted Type 2 diabetes mellitus');
    expect(accept.getAttribute('aria-disabled')).to.equal('true');
    let fired = 0;
    el.addEventListener('curbside-suggestion-accept', () => (fired += 1));
    accept.click();
    await el.updateComplete;
    expect(fired).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('cannot accept an item with no supporting finding found in the chart, and says why', async () => {
    const el = await show();
    const item = await expand(el, 1);
    const accept = within(item, 'accept-button') as HTMLButtonElement;
    expect(accept.disabled).to.equal(true);
    const reason = within(item, 'accept-reason')!;
    expect(accept.getAttribute('aria-describedby')).to.equal(reason.id);
    expect(text(reason)).to.equal("Can't be accepted: none of its supporting findings was found in the chart, so it can't be carried into a note.");
    let fired = 0;
    el.addEventListener('curbside-suggestion-accept', () => (fired += 1));
    accept.click();
    expect(fired).to.equal(0);
    expect((within(item, 'reject-button') as HTMLButtonElement).disabled, 'it can still be rejected').to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('asks for a reason before rejecting, and fires curbside-suggestion-reject with it', async () => {
    const el = await show();
    const item = await expand(el, 0);
    const reject = within(item, 'reject-button')!;
    reject.click();
    await el.updateComplete;
    const form = within(item, 'reject-form') as HTMLFormElement;
    expect(reject.getAttribute('aria-expanded')).to.equal('true');
    expect(text(form.querySelector('legend'))).to.equal('Why reject this suggestion?');
    expect([...form.querySelectorAll('label.reason')].map(text)).to.deep.equal([
      'Not relevant to this patient',
      'Already addressed',
      'Contraindicated',
      'Patient declined',
      'Insufficient evidence',
      'Other',
    ]);
    expect(el.shadowRoot!.activeElement, 'focus moves to the first reason').to.equal(form.querySelector('input[type="radio"]'));
    await expect(el).to.be.accessible();

    let fired = 0;
    el.addEventListener('curbside-suggestion-reject', () => (fired += 1));
    within(form, 'confirm-reject-button')!.click();
    await el.updateComplete;
    expect(fired).to.equal(0);
    expect(text(form.querySelector('[role="alert"]'))).to.equal('Choose a reason.');
    await expect(el).to.be.accessible();

    const alreadyAddressed = [...form.querySelectorAll<HTMLInputElement>('input[type="radio"]')][1]!;
    alreadyAddressed.click();
    await el.updateComplete;
    setTimeout(() => within(form, 'confirm-reject-button')!.click());
    const event = (await oneEvent(el, 'curbside-suggestion-reject')) as CurbsideSuggestionRejectEvent;
    expect(event.detail).to.deep.equal({
      insightId: 'insight-1',
      itemId: 'item-t2dm',
      condition: 'Type 2 diabetes mellitus',
      reason: { code: 'already-addressed', display: 'Already addressed' },
    });
    await el.updateComplete;
    expect(within(item, 'reject-form'), 'the form closes').to.equal(null);
    expect(el.shadowRoot!.activeElement, 'focus returns to Reject…').to.equal(within(item, 'reject-button'));
  });

  it('requires a comment when the reason is Other, and sends it', async () => {
    const el = await show();
    const item = await expand(el, 2);
    within(item, 'reject-button')!.click();
    await el.updateComplete;
    const form = within(item, 'reject-form')!;
    [...form.querySelectorAll<HTMLInputElement>('input[type="radio"]')].at(-1)!.click();
    await el.updateComplete;
    const comment = form.querySelector('textarea')!;
    expect(text(form.querySelector(`label[for="${comment.id}"]`))).to.equal('Comment (required)');
    expect(comment.required).to.equal(true);

    let fired = 0;
    el.addEventListener('curbside-suggestion-reject', () => (fired += 1));
    within(form, 'confirm-reject-button')!.click();
    await el.updateComplete;
    expect(fired).to.equal(0);
    expect(comment.getAttribute('aria-invalid')).to.equal('true');
    expect(text(form.querySelector('[role="alert"]'))).to.equal('Describe the reason in the comment.');
    expect(el.shadowRoot!.activeElement).to.equal(comment);
    await expect(el).to.be.accessible();

    await sendKeys({ type: '  Genetic testing already negative  ' });
    setTimeout(() => within(form, 'confirm-reject-button')!.click());
    const event = (await oneEvent(el, 'curbside-suggestion-reject')) as CurbsideSuggestionRejectEvent;
    expect(event.detail.reason).to.deep.equal({ code: 'other', display: 'Other' });
    expect(event.detail.comment).to.equal('Genetic testing already negative');
  });

  it('closes the reject form with Escape or Cancel without firing', async () => {
    const el = await show();
    const item = await expand(el, 0);
    let fired = 0;
    el.addEventListener('curbside-suggestion-reject', () => (fired += 1));
    within(item, 'reject-button')!.click();
    await el.updateComplete;
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(within(item, 'reject-form')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(within(item, 'reject-button'));

    within(item, 'reject-button')!.click();
    await el.updateComplete;
    [...item.querySelectorAll<HTMLButtonElement>('.reject-form button')].find((button) => text(button) === 'Cancel')!.click();
    await el.updateComplete;
    expect(within(item, 'reject-form')).to.equal(null);
    expect(fired).to.equal(0);
  });

  it('shows an error in plain words, with Retry and the raw answer as text', async () => {
    const raw = '{"differential": [ <img src=x onerror=alert(1)> ';
    const error = new InsightError('invalid-output', 'The answer did not match the expected format at differential[0].', { raw });
    const el = await show({ state: 'error', insight: undefined, error, model: REMOTE_MODEL });
    const alert = $(el, '[part~="error"]')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(text(alert)).to.equal("The model's answer could not be read, so none of it is shown The answer did not match the expected format at differential[0].");
    expect(items(el)).to.have.length(0);

    const details = $(el, '[part~="raw"]') as HTMLDetailsElement;
    expect(text(details.querySelector('summary'))).to.equal("Show the model's raw answer");
    details.querySelector('summary')!.click();
    expect(details.querySelector('pre')!.textContent).to.equal(raw);
    assertNoActiveContent(el.shadowRoot!, 'raw answer', OWN_CONTROLS);
    await expect(el).to.be.accessible();

    setTimeout(() => $(el, '[part~="retry-button"]')!.click());
    const event = await oneEvent(el, 'curbside-insight-retry');
    expect(event.bubbles && event.composed).to.equal(true);
  });

  it('gives each kind of failure its own plain title, and leaves out the raw answer when there is none', async () => {
    const el = await show({ state: 'error', insight: undefined, error: { kind: 'rate-limited', message: 'Try again in 20 seconds.' } });
    expect(text($(el, '[part~="error"]'))).to.equal('The model service is busy Try again in 20 seconds.');
    expect($(el, '[part~="raw"]')).to.equal(null);
    el.error = { kind: 'content-filter', message: 'The answer was withheld.' };
    await el.updateComplete;
    expect(text($(el, '[part~="error"]'))).to.equal("The model service's content filter stopped the answer The answer was withheld.");
  });

  it('shows progress and is aria-busy while streaming, announcing it in a live region', async () => {
    const el = await show({ state: 'streaming', insight: undefined, model: REMOTE_MODEL, progress: 'Waiting for the model…' });
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('true');
    expect(text($(el, '[part~="progress"]'))).to.equal('Waiting for the model…');
    expect(text($(el, '[role="status"]'))).to.equal('Waiting for the model…');
    expect(el.getAttribute('state')).to.equal('streaming');
    await expect(el).to.be.accessible();

    el.progress = undefined;
    await el.updateComplete;
    expect(text($(el, '[part~="progress"]'))).to.equal('Generating suggestions…');

    el.state = 'ready';
    el.insight = insight();
    await el.updateComplete;
    expect($(el, '[part~="base"]')!.getAttribute('aria-busy')).to.equal('false');
    expect($(el, '[part~="progress"]')).to.equal(null);
    expect(text($(el, '[role="status"]'))).to.equal('3 suggestions ready');
  });

  it('says "No suggestions" when the answer has none', async () => {
    const el = await show({ insight: insight({ differential: [] }) });
    expect(text($(el, '[part~="empty"]'))).to.equal('No suggestions');
    expect(text($(el, '[role="status"]'))).to.equal('No suggestions');
    expect($(el, '[part~="list"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('renders the summary from markdown, with its citations marked verified or not and linked only when checkable', async () => {
    const el = await show();
    const summary = $(el, '[part~="summary"]')!;
    expect(summary.querySelector('strong')!.textContent).to.equal('type 2 diabetes');
    expect([...summary.querySelectorAll('li')].map(text)).to.deep.equal(['Confirm with a second test', 'Exclude ketoacidosis']);

    const citations = $$(el, '.sources [part~="citation"]');
    expect(citations).to.have.length(2);
    const [verified, unverified] = citations;
    expect(verified!.getAttribute('part')).to.equal('citation citation-verified');
    expect(text(verified!.querySelector('cite'))).to.equal('Standards of Care in Diabetes—2024');
    expect(text(verified!.querySelector('.citation-source'))).to.equal('Diabetes Care, 2024');
    expect([...verified!.querySelectorAll('a')].map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://doi.org/10.2337/dc24-S002',
      'https://pubmed.ncbi.nlm.nih.gov/38078589/',
      'https://diabetesjournals.org/care/issue/47/Supplement_1',
    ]);
    for (const link of verified!.querySelectorAll('a')) {
      expect(link.getAttribute('rel')).to.equal('noopener noreferrer');
      expect(link.getAttribute('target')).to.equal('_blank');
    }
    expect(unverified!.getAttribute('part')).to.equal('citation citation-unverified');
    expect(unverified!.querySelector('a')).to.equal(null);
    expect(text(unverified!.querySelector('[part~="unverified"]'))).to.equal('Unverified — no DOI, PubMed id or web address to check it by');
    expect(text($(el, '[part~="confidence"]'))).to.equal("Model's stated confidence: Moderately confident; one HbA1c above 6.5 % needs confirmation.");
    await expect(el).to.be.accessible();
  });

  it('links no citation identifier that is malformed or not http(s), even when marked verified', async () => {
    const tricky = {
      title: 'Tricky',
      source: 'Nowhere',
      year: null,
      url: 'javascript:alert(1)',
      doi: 'not-a-doi" onmouseover="alert(1)',
      pmid: '123abc',
      quote: null,
      verified: true,
    };
    const el = await show({ insight: insight({ citations: [tricky] }) });
    const citation = $(el, '.sources [part~="citation"]')!;
    expect(citation.querySelector('a')).to.equal(null);
    expect(text(citation)).to.equal('Tricky Nowhere');
  });

  it('renders hostile model text as inert text everywhere: summary, findings, citations, conditions', async () => {
    for (const payload of XSS_PAYLOADS) {
      const hostile: Insight = insight({
        summary: payload,
        confidence: payload,
        citations: [{ ...DIABETES.citations[0]!, title: payload, source: payload, quote: payload, url: payload, doi: payload, pmid: payload }],
        differential: [
          {
            ...DIABETES,
            condition: payload,
            rarity: payload,
            supporting: [{ text: payload, references: ['Observation/a1c-new'], verified: true }],
            opposing: [{ text: payload, references: [], verified: false }],
            missing: [payload],
            nextSteps: [{ text: payload, kind: 'test' }],
            citations: [{ ...DIABETES.citations[0]!, title: payload, url: payload, doi: payload }],
          },
        ],
      });
      const el = await show({ insight: hostile });
      await expand(el, 0);
      ($(el, '[part~="why"]') as HTMLDetailsElement).open = true;
      assertNoActiveContent(el.shadowRoot!, payload, OWN_CONTROLS);
      expect(text(within(items(el)[0]!, 'condition'))).to.equal(payload.replace(/\s+/g, ' ').trim());
    }
  });

  it('renders an insight produced by the real parse-and-ground pipeline', async () => {
    const grounded = pipelineInsight();
    const el = await show({ insight: grounded });
    expect(items(el).map((item) => text(within(item, 'condition')))).to.deep.equal(grounded.differential.map((item) => item.condition));
    const item = await expand(el, 0);
    const references = [...item.querySelectorAll<HTMLButtonElement>('[part~="chip"]')].map((chip) => chip.dataset.reference);
    expect(references).to.include('Observation/a1c-new');
    await expect(el).to.be.accessible();
  });

  it('reaches every control with the keyboard, in reading order', async () => {
    const el = await show({ insight: insight({ differential: [MODY], citations: [] }) });
    const item = await expand(el, 0);
    const order = [
      within(item, 'disclosure'),
      within(item, 'chip'),
      within(item, 'why')!.querySelector('summary'),
      within(item, 'accept-button'),
      within(item, 'reject-button'),
    ];
    within(item, 'disclosure')!.focus();
    for (const expected of order.slice(1)) {
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(expected);
    }
  });

  it('forgets expanded items and an open reject form when a new insight arrives', async () => {
    const el = await show();
    const item = await expand(el, 0);
    within(item, 'reject-button')!.click();
    await el.updateComplete;
    el.insight = insight({ id: 'insight-2', differential: [DKA, DIABETES] });
    await el.updateComplete;
    expect($$(el, '[part~="details"]').every((details) => details.hidden)).to.equal(true);
    expect($(el, '[part~="reject-form"]')).to.equal(null);
  });

  it('fits a 320 px sidebar without sideways scrolling, even with long unbroken text', async () => {
    const long = 'Hyperosmolarhyperglycaemicstate'.repeat(6);
    const el = await show({
      insight: insight({
        summary: `A very long word ${long} and a table:\n\n| A | B |\n|---|---|\n| ${long} | 2 |`,
        differential: [{ ...DIABETES, condition: long, supporting: [{ text: long, references: ['Observation/a1c-new'], verified: true }] }, DKA],
      }),
    });
    el.style.width = '320px';
    for (const index of [0, 1]) await expand(el, index);
    within(items(el)[0]!, 'reject-button')!.click();
    await el.updateComplete;
    const base = $(el, '[part~="base"]')!;
    expect(base.scrollWidth, 'no horizontal overflow').to.be.at.most(base.clientWidth);
    for (const element of $$(el, '*')) {
      expect(element.getBoundingClientRect().right, element.outerHTML.slice(0, 80)).to.be.at.most(el.getBoundingClientRect().right + 0.5);
    }
  });

  it('shows a patient-fit badge on each checked treatment, with the reasons and chips for their chart facts', async () => {
    const withTreatments: Insight = insight({
      differential: [
        {
          ...DIABETES,
          nextSteps: [...DIABETES.nextSteps, { text: 'Start metformin 500 mg daily', kind: 'treatment' }, { text: 'Start empagliflozin 10 mg daily', kind: 'treatment' }],
          treatmentOptions: [
            {
              text: 'Start metformin 500 mg daily',
              action: 'start',
              drugs: ['metformin'],
              fit: 'avoid',
              reasons: [{ fit: 'avoid', check: 'kidney', text: 'Metformin is contraindicated below eGFR 30; eGFR 24', references: ['Observation/egfr-1'] }],
              checked: ['kidney'],
            },
            { text: 'Start empagliflozin 10 mg daily', action: 'start', drugs: ['an SGLT2 inhibitor'], fit: 'fits', reasons: [], checked: ['kidney'] },
          ],
        },
      ],
    });
    const el = await show({ insight: withTreatments });
    const item = await expand(el, 0);
    const badges = [...item.querySelectorAll<HTMLElement>('[part~="fit"]')];
    expect(badges.map((b) => text(b))).to.deep.equal(['Avoid for this patient', 'Fits this patient']);
    expect(badges[0]!.getAttribute('part')).to.contain('fit-avoid');
    expect(text(within(item, 'fit-reasons'))).to.contain('eGFR 24');
    const chip = within(item, 'fit-reasons')!.querySelector<HTMLElement>('[part~="chip"]')!;
    setTimeout(() => chip.click());
    const event = (await oneEvent(el, 'curbside-fact-select')) as CurbsideFactSelectEvent;
    expect(event.detail.reference).to.equal('Observation/egfr-1');
    await expect(el).to.be.accessible();
  });

  describe('treatment option decisions', () => {
    const withOptions = (): Insight =>
      insight({
        differential: [
          {
            ...DIABETES,
            nextSteps: [...DIABETES.nextSteps, { text: 'Start metformin 500 mg daily', kind: 'treatment' }, { text: 'Start empagliflozin 10 mg daily', kind: 'treatment' }],
            treatmentOptions: [
              {
                text: 'Start metformin 500 mg daily',
                action: 'start',
                drugs: ['metformin'],
                fit: 'avoid',
                reasons: [{ fit: 'avoid', check: 'kidney', text: 'Metformin is contraindicated below eGFR 30; eGFR 24', references: ['Observation/egfr-1'] }],
                checked: ['kidney'],
              },
              { text: 'Start empagliflozin 10 mg daily', action: 'start', drugs: ['an SGLT2 inhibitor'], fit: 'adjust', reasons: [{ fit: 'adjust', check: 'kidney', text: 'eGFR 24: for kidney protection only', references: ['Observation/egfr-1'] }], checked: ['kidney'] },
            ],
          },
        ],
      });

    async function optionDecisions(el: CurbsideDifferentialElement): Promise<CurbsideDecisionElement[]> {
      const item = await expand(el, 0);
      const found = [...item.querySelectorAll<CurbsideDecisionElement>('[part~="option-decision"]')];
      await Promise.all(found.map((d) => d.updateComplete));
      return found;
    }

    function inner(d: CurbsideDecisionElement, part: string): HTMLElement {
      return d.shadowRoot!.querySelector<HTMLElement>(`[part~="${part}"]`)!;
    }

    it('an option that fits or needs adjusting can be accepted; the event names it option:<item>:<index>', async () => {
      const el = await show({ insight: withOptions() });
      const [, empagliflozin] = await optionDecisions(el);
      setTimeout(() => inner(empagliflozin!, 'accept-button').click());
      const event = (await oneEvent(el, 'curbside-suggestion-accept')) as CurbsideSuggestionAcceptEvent;
      expect(event.detail).to.deep.equal({ insightId: withOptions().id, itemId: `option:${DIABETES.id}:1`, condition: 'Start empagliflozin 10 mg daily', codes: [] });
      expect(event.composed).to.equal(true);
    });

    it('an option marked avoid cannot be accepted and says why, but can be rejected with a reason', async () => {
      const el = await show({ insight: withOptions() });
      const [metformin] = await optionDecisions(el);
      const accept = inner(metformin!, 'accept-button') as HTMLButtonElement;
      expect(accept.disabled).to.equal(true);
      expect(text(inner(metformin!, 'accept-reason'))).to.match(/avoid for this patient/);
      let accepted = false;
      el.addEventListener('curbside-suggestion-accept', () => (accepted = true));
      accept.click();
      expect(accepted).to.equal(false);

      inner(metformin!, 'reject-button').click();
      await metformin!.updateComplete;
      inner(metformin!, 'reject-form').querySelector<HTMLInputElement>('input[value="contraindicated"]')!.click();
      await expect(el).to.be.accessible();
      setTimeout(() => inner(metformin!, 'confirm-reject-button').click());
      const event = (await oneEvent(el, 'curbside-suggestion-reject')) as CurbsideSuggestionRejectEvent;
      expect(event.detail.itemId).to.equal(`option:${DIABETES.id}:0`);
      expect(event.detail.reason).to.deep.equal({ code: 'contraindicated', display: 'Contraindicated' });
    });

    it("shows the host's decision on each option and is accessible", async () => {
      const decisions = new Map<string, SuggestionDecision>([
        [`option:${DIABETES.id}:0`, 'rejected'],
        [`option:${DIABETES.id}:1`, 'accepted'],
      ]);
      const el = await show({ insight: withOptions(), decisions });
      const [metformin, empagliflozin] = await optionDecisions(el);
      expect(text(inner(metformin!, 'decision'))).to.equal('Rejected');
      expect(text(inner(empagliflozin!, 'decision'))).to.equal('Accepted');
      await expect(el).to.be.accessible();
    });
  });
});
