import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { SummaryFieldExtractor } from '../../src/insight/stream-text.ts';
import type { Insight } from '../../src/insight/types.ts';
import { ADA, BUILT_IN_MODEL, REMOTE_MODEL, UNVERIFIED_CITATION, insight } from '../../test/component/insight-fixtures.ts';
import { XSS_PAYLOADS, assertNoActiveContent } from '../../test/component/xss.ts';
import { renderMarkdown } from '../shared/markdown.ts';
import type { CurbsideEvidenceAskEvent } from '../shared/events.ts';
import './evidence.ts';
import type { CurbsideEvidenceElement } from './evidence.ts';

failOnLitWarnings();

const OWN_CONTROLS = 'form, button, details, textarea';

const ANSWER = `## Metformin in CKD

Metformin may be continued while **eGFR ≥ 30**; reduce the dose below 45.

- Check eGFR at least yearly
- Stop before iodinated contrast if eGFR < 60

| eGFR | Advice |
| --- | --- |
| ≥ 45 | Usual dose |
| 30–44 | Half dose |

See [KDIGO 2022](https://kdigo.org/guidelines/diabetes-ckd/).`;

function evidenceInsight(overrides: Partial<Insight> = {}): Insight {
  return insight({ task: { kind: 'evidence', question: 'Can she stay on metformin?' }, differential: [], summary: ANSWER, ...overrides });
}

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function $(el: CurbsideEvidenceElement, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

function part(el: CurbsideEvidenceElement, name: string): HTMLElement | null {
  return $(el, `[part~="${name}"]`);
}

async function evidence(): Promise<CurbsideEvidenceElement> {
  return fixture<CurbsideEvidenceElement>(html`<curbside-evidence .model=${REMOTE_MODEL}></curbside-evidence>`);
}

describe('<curbside-evidence>', () => {
  it('shows the AI label with the model, a labelled question box and an Ask button', async () => {
    const el = await evidence();
    expect(text(part(el, 'ai-label'))).to.contain('AI-generated — verify before use');
    expect(text(part(el, 'model'))).to.equal('Model: gpt-4.1 2025-04-14');
    const textarea = part(el, 'question') as HTMLTextAreaElement;
    expect(text($(el, `label[for="${textarea.id}"]`))).to.equal('Your question');
    expect(text(part(el, 'ask-button'))).to.equal('Ask');
    expect(part(el, 'stop-button')).to.equal(null);
    expect(text($(el, '[role="status"]'))).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('refreshes a long streaming answer less often than a short one', async () => {
    const countRenders = async (base: string): Promise<number> => {
      const el = await fixture<CurbsideEvidenceElement>(html`<curbside-evidence state="streaming"></curbside-evidence>`);
      el.answerText = base;
      await new Promise((r) => setTimeout(r, 100));
      let renders = 0;
      const original = el.updated.bind(el);
      el.updated = () => {
        renders += 1;
        original();
      };
      for (let i = 0; i < 30; i++) {
        el.answerText += ' more text';
        await new Promise((r) => setTimeout(r, 20));
      }
      return renders;
    };
    const short = await countRenders('Short answer so far.');
    // 20,000 characters: a render about once a second.
    const long = await countRenders('word '.repeat(4000));
    expect(short).to.be.greaterThan(4);
    expect(long).to.be.at.most(2);
  });

  it('states that the built-in reference engine is not a clinical model', async () => {
    const el = await fixture<CurbsideEvidenceElement>(html`<curbside-evidence .model=${BUILT_IN_MODEL}></curbside-evidence>`);
    expect(text(part(el, 'built-in'))).to.contain('not a clinical model');
  });

  it('asks with Enter, starts a new line with Shift+Enter, and shows the question asked', async () => {
    const el = await evidence();
    const textarea = part(el, 'question') as HTMLTextAreaElement;
    textarea.focus();
    await sendKeys({ type: 'Can she stay' });
    await sendKeys({ press: 'Shift+Enter' });
    await sendKeys({ type: 'on metformin?' });
    expect(textarea.value).to.equal('Can she stay\non metformin?');

    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const event = (await oneEvent(el, 'curbside-evidence-ask')) as CurbsideEvidenceAskEvent;
    expect(event.detail).to.deep.equal({ question: 'Can she stay\non metformin?' });
    await el.updateComplete;
    expect(textarea.value).to.equal('');
    expect(text(part(el, 'asked'))).to.equal('Question: Can she stay on metformin?');
    expect(el.question).to.equal('Can she stay\non metformin?');
  });

  it('asks with the Ask button, and not at all when the box is empty', async () => {
    const el = await evidence();
    let fired = 0;
    el.addEventListener('curbside-evidence-ask', () => (fired += 1));
    part(el, 'ask-button')!.click();
    await el.updateComplete;
    expect(fired).to.equal(0);
    expect(text($(el, '.form-problem'))).to.equal('Type a question first.');
    expect(part(el, 'question')!.getAttribute('aria-invalid')).to.equal('true');
    await expect(el).to.be.accessible();

    (part(el, 'question') as HTMLTextAreaElement).value = '  Is an SGLT2 inhibitor indicated?  ';
    setTimeout(() => part(el, 'ask-button')!.click());
    const event = (await oneEvent(el, 'curbside-evidence-ask')) as CurbsideEvidenceAskEvent;
    expect(event.detail.question).to.equal('Is an SGLT2 inhibitor indicated?');
  });

  it('while streaming: shows progress, announces it once, offers Stop, and will not ask again', async () => {
    const el = await evidence();
    el.question = 'Can she stay on metformin?';
    el.state = 'streaming';
    await el.updateComplete;
    expect(text(part(el, 'progress'))).to.equal('Answer streaming…');
    expect(text($(el, '[role="status"]'))).to.equal('Answer streaming…');
    expect(part(el, 'answer')!.getAttribute('aria-busy')).to.equal('true');
    expect(part(el, 'ask-button')!.getAttribute('aria-disabled')).to.equal('true');

    let asked = 0;
    el.addEventListener('curbside-evidence-ask', () => (asked += 1));
    (part(el, 'question') as HTMLTextAreaElement).value = 'Another question';
    part(el, 'ask-button')!.click();
    expect(asked).to.equal(0);
    await expect(el).to.be.accessible();

    setTimeout(() => part(el, 'stop-button')!.click());
    const stop = await oneEvent(el, 'curbside-evidence-stop');
    expect(stop.bubbles && stop.composed).to.equal(true);
  });

  it('turns a spinner until the first words arrive, and from then on lets the growing answer show progress', async () => {
    const el = await evidence();
    el.state = 'streaming';
    await el.updateComplete;
    expect(part(el, 'progress')!.querySelector('.spinner')).to.not.equal(null);
    el.answerText = 'Metformin can ';
    await el.updateComplete;
    expect(part(el, 'progress')!.querySelector('.spinner')).to.equal(null);
    expect(text(part(el, 'progress'))).to.equal('Answer streaming…');
    expect(text(part(el, 'answer'))).to.equal('Metformin can');
  });

  it('renders the streamed answer progressively, and ends with what a one-shot render gives', async () => {
    const el = await evidence();
    el.state = 'streaming';
    const extractor = new SummaryFieldExtractor();
    const wire = JSON.stringify({ differential: [], summary: ANSWER, citations: [], confidence: 'x' });
    const seen: number[] = [];
    for (let i = 0; i < wire.length; i += 37) {
      extractor.push(wire.slice(i, i + 37));
      el.answerText = extractor.text;
      await el.updateComplete;
      seen.push(text(part(el, 'answer')).length);
    }
    expect(el.answerText).to.equal(ANSWER);
    const grew = seen.filter((length, index) => index > 0 && length > seen[index - 1]!).length;
    expect(grew, 'the answer grew over several renders').to.be.greaterThan(5);
    expect(text($(el, '[role="status"]'))).to.equal('Answer streaming…');

    el.state = 'ready';
    el.insight = evidenceInsight();
    await el.updateComplete;
    const answer = part(el, 'answer')!;
    const expected = document.createElement('div');
    expected.innerHTML = String(renderMarkdown(ANSWER));
    expect([...answer.children].map((box) => box.innerHTML).join('')).to.equal(expected.innerHTML);
    expect(answer.querySelector('h3')!.textContent).to.equal('Metformin in CKD');
    expect(answer.querySelectorAll('tbody tr')).to.have.length(2);
    expect(answer.getAttribute('aria-busy')).to.equal('false');
    expect(text($(el, '[role="status"]'))).to.equal('Answer complete');
    expect(part(el, 'stop-button')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('batches a burst of tokens into one render per frame', async () => {
    const el = await evidence();
    el.state = 'streaming';
    await el.updateComplete;
    let renders = 0;
    const original = el.render.bind(el);
    el.render = () => {
      renders += 1;
      return original();
    };
    for (const word of ANSWER.split(' ')) {
      el.answerText += `${word} `;
      await Promise.resolve();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await el.updateComplete;
    expect(renders, `${renders} renders for ${ANSWER.split(' ').length} tokens`).to.be.at.most(Math.ceil(ANSWER.split(' ').length / 3));
    expect(text(part(el, 'answer'))).to.contain('KDIGO 2022');
  });

  it('shows a long answer that arrives all at once over several frames, never in one long task, and updateComplete waits for the last', async () => {
    const el = await evidence();
    const long = Array.from({ length: 60 }, (_, index) => `Paragraph ${index}: metformin and **eGFR** in [a guideline](https://kdigo.org/${index}) with some more words.`).join('\n\n');
    // Paragraphs on screen after each batch of DOM changes: one batch per frame.
    const shown: number[] = [];
    const observer = new MutationObserver(() => shown.push(part(el, 'answer')?.querySelectorAll('p').length ?? 0));
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    el.state = 'ready';
    el.insight = evidenceInsight({ summary: long });
    el.answerText = long;
    await el.updateComplete;
    observer.disconnect();
    const answer = part(el, 'answer')!;
    expect(answer.querySelectorAll('p')).to.have.length(60);
    expect(text(answer)).to.contain('Paragraph 59');
    const first = shown.find((count) => count > 0);
    expect(first, 'some of it at once').to.be.greaterThan(0).and.lessThan(60);
  });

  it('lists the final answer’s sources with verified and unverified marks, and its confidence', async () => {
    const el = await evidence();
    el.state = 'ready';
    el.insight = evidenceInsight({ citations: [ADA, UNVERIFIED_CITATION] });
    el.answerText = ANSWER;
    await el.updateComplete;
    const citations = [...el.shadowRoot!.querySelectorAll('[part~="citation"]')];
    expect(citations.map((c) => c.getAttribute('part'))).to.deep.equal(['citation citation-verified', 'citation citation-unverified']);
    expect(citations[0]!.querySelectorAll('a')).to.have.length(3);
    expect(citations[1]!.querySelector('a')).to.equal(null);
    expect(text(citations[1]!.querySelector('[part~="unverified"]'))).to.contain('Unverified');
    expect(text(part(el, 'confidence'))).to.contain('Moderately confident');
    await expect(el).to.be.accessible();
  });

  it('replaces a withdrawn answer with a clear notice', async () => {
    const el = await evidence();
    el.question = 'Can she stay on metformin?';
    el.state = 'streaming';
    el.answerText = 'Metformin may be continued while **eGFR';
    await el.updateComplete;
    expect(text(part(el, 'answer'))).to.contain('Metformin may be continued');

    el.retraction = "The model service's content filter withdrew the answer.";
    el.answerText = '';
    await el.updateComplete;
    expect(part(el, 'answer')).to.equal(null);
    expect(text(el.shadowRoot!)).to.not.contain('Metformin may be continued');
    const notice = part(el, 'retraction')!;
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(text(notice)).to.equal(
      "The answer was withdrawn The model service's content filter withdrew the answer. What was shown has been removed; don't rely on any of it.",
    );
    expect(text($(el, '[role="status"]'))).to.equal('Answer withdrawn');
    await expect(el).to.be.accessible();

    el.retraction = undefined;
    el.answerText = 'A new answer';
    await el.updateComplete;
    expect(part(el, 'retraction')).to.equal(null);
    expect(text(part(el, 'answer'))).to.equal('A new answer');
  });

  it('shows the paragraph being written as plain text, and renders it as markdown when the stream stops', async () => {
    const el = await evidence();
    el.state = 'streaming';
    el.answerText = 'First **point**.\n\nSecond, *still*\n<b>going';
    await el.updateComplete;
    const answer = part(el, 'answer')!;
    const open = answer.lastElementChild!;
    expect(open.classList.contains('markdown-open')).to.equal(true);
    expect([...open.childNodes].map((node) => node.nodeType)).to.deep.equal([Node.TEXT_NODE]);
    expect(open.textContent).to.equal('Second, *still*\n<b>going');
    expect(answer.querySelector('strong')!.textContent, 'the completed paragraph is markdown').to.equal('point');
    expect(answer.querySelector('em, b')).to.equal(null);

    el.state = 'idle';
    await el.updateComplete;
    const expected = document.createElement('div');
    expected.innerHTML = String(renderMarkdown(el.answerText));
    expect([...answer.children].map((box) => box.innerHTML).join('')).to.equal(expected.innerHTML);
    expect(answer.querySelector('.markdown-open')).to.equal(null);
    expect(answer.querySelector('em')!.textContent).to.equal('still');
    expect(answer.querySelector('b'), 'raw HTML stays text').to.equal(null);
  });

  it('keeps a stopped answer visible but says it is incomplete', async () => {
    const el = await evidence();
    el.state = 'streaming';
    el.answerText = 'Partial answer about metformin';
    await el.updateComplete;
    el.state = 'idle';
    await el.updateComplete;
    expect(text(part(el, 'answer'))).to.equal('Partial answer about metformin');
    expect(text(part(el, 'stopped'))).to.equal('Stopped — this answer is incomplete.');
  });

  it('shows an error with the raw answer as text, and Retry asks the same question again', async () => {
    const el = await evidence();
    el.question = 'Can she stay on metformin?';
    el.state = 'error';
    el.error = { kind: 'network', message: 'Check the connection and try again.', raw: '<script>alert(1)</script>' };
    await el.updateComplete;
    expect(text(part(el, 'error'))).to.equal("Curbside couldn't reach the model service Check the connection and try again.");
    expect(part(el, 'raw')!.querySelector('pre')!.textContent).to.equal('<script>alert(1)</script>');
    assertNoActiveContent(el.shadowRoot!, 'raw', OWN_CONTROLS);
    await expect(el).to.be.accessible();

    setTimeout(() => part(el, 'retry-button')!.click());
    const event = (await oneEvent(el, 'curbside-evidence-ask')) as CurbsideEvidenceAskEvent;
    expect(event.detail.question).to.equal('Can she stay on metformin?');
  });

  it('renders hostile streamed and final text as inert text', async () => {
    const el = await evidence();
    for (const payload of XSS_PAYLOADS) {
      el.state = 'streaming';
      el.question = payload;
      el.answerText = '';
      await el.updateComplete;
      for (const char of payload) el.answerText += char;
      await el.updateComplete;
      assertNoActiveContent(el.shadowRoot!, `streamed ${payload}`, OWN_CONTROLS);
      const open = part(el, 'answer')!.querySelector('.markdown-open');
      if (open) expect([...open.childNodes].every((node) => node.nodeType === Node.TEXT_NODE), `open ${payload}`).to.equal(true);
      el.state = 'ready';
      el.insight = evidenceInsight({ summary: payload, confidence: payload, citations: [{ ...ADA, title: payload, url: payload, doi: payload, quote: payload }] });
      el.answerText = payload;
      await el.updateComplete;
      assertNoActiveContent(el.shadowRoot!, `final ${payload}`, OWN_CONTROLS);
    }
  });

  it('reaches the question box, Ask and Stop with the keyboard', async () => {
    const el = await evidence();
    el.state = 'streaming';
    await el.updateComplete;
    part(el, 'question')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'ask-button'));
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'stop-button'));
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    await oneEvent(el, 'curbside-evidence-stop');
  });

  it('fits a 320 px sidebar without sideways scrolling', async () => {
    const el = await evidence();
    el.style.width = '320px';
    el.state = 'ready';
    const long = 'Metforminassociatedlacticacidosis'.repeat(5);
    el.question = long;
    el.insight = evidenceInsight({ summary: `${ANSWER}\n\n${long}\n\n\`\`\`\n${long}\n\`\`\``, citations: [{ ...ADA, title: long }] });
    await el.updateComplete;
    const base = part(el, 'base')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
  });
});
