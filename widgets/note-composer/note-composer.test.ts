import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Insight } from '../../src/insight/types.ts';
import { DraftStore } from '../../src/writeback/draft-store.ts';
import type { KeyValueStorage } from '../../src/writeback/ledger.ts';
import { composeNoteDraft, confirmSection, editSection, type NoteDecisions, type NoteDraft } from '../../src/writeback/note.ts';
import { MemoryStorage, sampleInsight } from '../../src/writeback/test-support.ts';
import { XSS_PAYLOADS, assertNoActiveContent } from '../../test/component/xss.ts';
import type { CurbsideNoteChangeEvent, CurbsideNoteReviewEvent } from '../shared/events.ts';
import './note-composer.ts';
import type { CurbsideNoteComposerElement } from './note-composer.ts';

failOnLitWarnings();

const SCOPE = { fhirBase: 'https://ehr.example/fhir', patientId: 'p1', encounterId: 'e1' };
const ACCEPT_D1_REJECT_D2: NoteDecisions = {
  accepted: [{ itemId: 'd1' }],
  rejected: [{ itemId: 'd2', reason: { code: 'not-relevant', display: 'Not relevant to this patient' } }],
};
const NONE: NoteDecisions = { accepted: [], rejected: [] };

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function $<T extends HTMLElement = HTMLElement>(el: CurbsideNoteComposerElement, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}

function $$<T extends HTMLElement = HTMLElement>(el: CurbsideNoteComposerElement, selector: string): T[] {
  return [...el.shadowRoot!.querySelectorAll<T>(selector)];
}

function section(el: CurbsideNoteComposerElement, id: string): HTMLElement {
  const textarea = $(el, `#section-${id}`);
  expect(textarea, `section ${id}`).to.not.equal(null);
  return textarea!.closest<HTMLElement>('[part~="section"]')!;
}

function review(el: CurbsideNoteComposerElement): HTMLButtonElement {
  return $<HTMLButtonElement>(el, '[part~="review-button"]')!;
}

/** Everything a person can read in the element, including what the text boxes hold. */
function visibleText(el: CurbsideNoteComposerElement): string {
  return [text(el.shadowRoot), ...$$<HTMLTextAreaElement>(el, 'textarea').map((t) => t.value)].join('\n');
}

async function show(options: { insight?: Insight | undefined; decisions?: NoteDecisions; store?: DraftStore; width?: number } = {}): Promise<CurbsideNoteComposerElement> {
  return fixture<CurbsideNoteComposerElement>(html`
    <curbside-note-composer
      style=${options.width ? `width: ${options.width}px` : ''}
      .insight=${'insight' in options ? options.insight : sampleInsight()}
      .decisions=${options.decisions ?? ACCEPT_D1_REJECT_D2}
      .store=${options.store}
    ></curbside-note-composer>
  `);
}

/** Types into a text box as a person would (focus, then keys), and waits for the render. */
async function typeInto(el: CurbsideNoteComposerElement, target: HTMLTextAreaElement, typed: string): Promise<void> {
  target.focus();
  await sendKeys({ type: typed });
  await el.updateComplete;
}

async function clear(el: CurbsideNoteComposerElement, target: HTMLTextAreaElement): Promise<void> {
  target.focus();
  target.select();
  await sendKeys({ press: 'Backspace' });
  await el.updateComplete;
}

function expectedDraft(decisions: NoteDecisions = ACCEPT_D1_REJECT_D2, clinicianText = ''): NoteDraft {
  return composeNoteDraft({ insight: sampleInsight(), decisions, clinicianText, noteType: '11506-3' });
}

describe('<curbside-note-composer>', () => {
  it('explains that accepted suggestions appear here while nothing is accepted or written', async () => {
    const el = await show({ decisions: NONE });
    expect(text($(el, '[part~="empty"]'))).to.equal(
      'Suggestions you accept appear here as draft sections for you to review and edit. Rejected suggestions never go into the note.',
    );
    expect($$(el, '[part~="section"]')).to.have.length(0);
    expect(review(el).disabled).to.equal(true);
    expect(review(el).getAttribute('aria-describedby')).to.equal('review-reason');
    expect(text($(el, '#review-reason'))).to.equal('Write your note or accept a suggestion first.');
    expect($(el, '[part~="confirm-all-button"]')).to.equal(null);
    expect(el.draft?.sections).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('shows the same empty state, with own words kept, before there is an insight', async () => {
    const el = await show({ insight: undefined, decisions: NONE });
    expect($(el, '[part~="empty"]')).to.not.equal(null);
    expect(el.draft).to.equal(undefined);
    await typeInto(el, $<HTMLTextAreaElement>(el, '#own-words')!, 'Seen today.');
    expect(text($(el, '#review-reason'))).to.equal('Your words are kept; the note can be reviewed once the suggestions have loaded.');
    el.insight = sampleInsight();
    await el.updateComplete;
    expect(el.draft?.sections.map((s) => [s.id, s.lines])).to.deep.equal([['clinician', ['Seen today.']]]);
    expect(review(el).disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('drafts only the accepted suggestion: each section labelled, marked "AI-drafted — review" with a Confirm button', async () => {
    const el = await show();
    expect($(el, '[part~="empty"]')).to.equal(null);
    const sections = $$(el, '[part~="section"]');
    expect(sections.map((s) => text(s.querySelector('[part~="section-title"]')))).to.deep.equal([
      'Assessment',
      'Differential considered',
      'Plan / next steps',
      'Evidence references',
    ]);
    for (const s of sections) {
      expect(s.getAttribute('part')).to.equal('section section-unreviewed');
      expect(text(s.querySelector('[part~="ai-marker"]'))).to.equal('AI-drafted — review');
      const textarea = s.querySelector('textarea')!;
      expect(textarea.labels?.[0]?.textContent).to.equal(text(s.querySelector('[part~="section-title"]')));
      expect(textarea.getAttribute('aria-describedby')).to.equal(s.querySelector('[part~="marker"]')!.id);
      expect(text(s.querySelector('[part~="confirm-button"]'))).to.match(/^Confirm /);
    }
    expect(section(el, 'assessment').querySelector('textarea')!.value).to.equal('- Heart failure with reduced ejection fraction [SNOMED CT 703272007]');
    expect(el.draft).to.deep.equal(expectedDraft());
    const seen = visibleText(el);
    for (const rejected of ['Constrictive pericarditis', 'Cardiac MRI', 'Pericardial disease review', 'Not relevant to this patient', 'Invented finding']) {
      expect(seen, rejected).to.not.contain(rejected);
    }
    expect(review(el).disabled).to.equal(true);
    expect(text($(el, '#review-reason'))).to.equal('Confirm or edit each AI-drafted section first: 4 still to review.');
    expect(text($(el, '[part~="confirm-all-button"]'))).to.equal('Confirm all AI-drafted sections');
    await expect(el).to.be.accessible();
  });

  it('confirming a section keeps it AI-drafted but reviewed, fires curbside-note-change and moves focus to the next section', async () => {
    const el = await show();
    const confirm = section(el, 'assessment').querySelector<HTMLButtonElement>('[part~="confirm-button"]')!;
    setTimeout(() => confirm.click());
    const event = (await oneEvent(el, 'curbside-note-change')) as CurbsideNoteChangeEvent;
    expect(event.detail).to.deep.equal({ draft: confirmSection(expectedDraft(), 'assessment') });
    expect(event.bubbles && event.composed).to.equal(true);
    await el.updateComplete;
    const assessment = section(el, 'assessment');
    expect(assessment.getAttribute('part')).to.equal('section section-confirmed');
    expect(text(assessment.querySelector('[part~="ai-marker"]'))).to.equal('AI-drafted — confirmed');
    expect(assessment.querySelector('[part~="confirm-button"]')).to.equal(null);
    expect(el.shadowRoot!.activeElement?.id).to.equal('section-differential');
    expect(text($(el, '#review-reason'))).to.equal('Confirm or edit each AI-drafted section first: 3 still to review.');
    await expect(el).to.be.accessible();
  });

  it('"Confirm all" reviews every AI section, enables "Review and attest", which fires curbside-note-review with the draft', async () => {
    const el = await show();
    $<HTMLButtonElement>(el, '[part~="confirm-all-button"]')!.click();
    await el.updateComplete;
    expect($$(el, '[part~="section-confirmed"]')).to.have.length(4);
    expect($(el, '[part~="confirm-all-button"]')).to.equal(null);
    expect(review(el).disabled).to.equal(false);
    expect(review(el).hasAttribute('aria-describedby')).to.equal(false);
    expect($(el, '[part~="review-reason"]')).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(review(el));
    await expect(el).to.be.accessible();

    setTimeout(() => review(el).click());
    const event = (await oneEvent(el, 'curbside-note-review')) as CurbsideNoteReviewEvent;
    const expected = (['assessment', 'differential', 'plan', 'evidence'] as const).reduce(confirmSection, expectedDraft());
    expect(event.detail).to.deep.equal({ draft: expected });
  });

  it('an edited section becomes the clinician’s; an emptied one stays on screen, left out of the note', async () => {
    const el = await show();
    const plan = section(el, 'plan').querySelector('textarea')!;
    await clear(el, plan);
    expect(section(el, 'plan').getAttribute('part')).to.equal('section section-removed');
    expect(text(section(el, 'plan').querySelector('[part~="marker"]'))).to.equal('Left out of the note — write here to include it');
    expect(el.draft!.sections.some((s) => s.id === 'plan')).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal(plan);
    await expect(el).to.be.accessible();

    await typeInto(el, plan, 'Echo this week.\nReview in clinic. ');
    expect(plan.value).to.equal('Echo this week.\nReview in clinic. ');
    expect(section(el, 'plan').getAttribute('part')).to.equal('section section-edited');
    expect(text(section(el, 'plan').querySelector('[part~="marker"]'))).to.equal('Your words');
    expect(section(el, 'plan').querySelector('[part~="confirm-button"]')).to.equal(null);
    expect(el.draft!.sections.find((s) => s.id === 'plan')).to.deep.equal({
      id: 'plan',
      title: 'Plan / next steps',
      lines: ['Echo this week.', 'Review in clinic.'],
      aiDrafted: false,
      reviewed: true,
    });
    expect(text($(el, '#review-reason'))).to.equal('Confirm or edit each AI-drafted section first: 3 still to review.');
    await expect(el).to.be.accessible();
  });

  it('own words alone make a note that can go to review, filed first and not marked', async () => {
    const el = await show({ decisions: NONE });
    await typeInto(el, $<HTMLTextAreaElement>(el, '#own-words')!, 'Breathless on exertion.');
    expect($(el, '[part~="empty"]')).to.equal(null);
    expect(el.draft!.sections).to.deep.equal([{ id: 'clinician', title: 'Clinician note', lines: ['Breathless on exertion.'], aiDrafted: false, reviewed: true }]);
    expect(review(el).disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('accepting one more suggestion after editing loses nothing the clinician wrote', async () => {
    const el = await show({ decisions: { accepted: [{ itemId: 'd1' }], rejected: [] } });
    await typeInto(el, $<HTMLTextAreaElement>(el, '#own-words')!, 'Breathless.');
    const plan = section(el, 'plan').querySelector('textarea')!;
    await clear(el, plan);
    await typeInto(el, plan, 'Echo this week.');
    await clear(el, section(el, 'evidence').querySelector('textarea')!);

    const changed = oneEvent(el, 'curbside-note-change');
    el.decisions = { accepted: [{ itemId: 'd1' }, { itemId: 'd2' }], rejected: [] };
    const event = (await changed) as CurbsideNoteChangeEvent;
    await el.updateComplete;
    const draft = event.detail.draft;
    expect(draft.accepted.map((a) => a.itemId)).to.deep.equal(['d1', 'd2']);
    expect(draft.sections.find((s) => s.id === 'clinician')?.lines).to.deep.equal(['Breathless.']);
    expect(draft.sections.find((s) => s.id === 'plan')?.lines).to.deep.equal(['Echo this week.']);
    expect(draft.sections.some((s) => s.id === 'evidence')).to.equal(false);
    expect(section(el, 'plan').querySelector('textarea')!.value).to.equal('Echo this week.');
    expect(section(el, 'differential').querySelector('textarea')!.value).to.contain('Constrictive pericarditis');
    expect(section(el, 'evidence').getAttribute('part')).to.equal('section section-removed');
    expect($<HTMLTextAreaElement>(el, '#own-words')!.value).to.equal('Breathless.');
  });

  it('changes the note type with the keyboard; Progress note is the default', async () => {
    const el = await show();
    const select = $<HTMLSelectElement>(el, '[part~="note-type"]')!;
    expect(select.labels?.[0]?.textContent).to.equal('Note type');
    expect([...select.options].map((o) => [o.value, o.textContent])).to.deep.equal([
      ['11506-3', 'Progress note'],
      ['11488-4', 'Consult note'],
      ['34117-2', 'History and physical note'],
    ]);
    expect(select.value).to.equal('11506-3');
    expect(el.draft!.noteType.display).to.equal('Progress note');
    select.focus();
    const changed = oneEvent(el, 'curbside-note-change');
    await sendKeys({ press: 'ArrowDown' });
    const event = (await changed) as CurbsideNoteChangeEvent;
    expect(event.detail.draft.noteType).to.deep.equal({ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' });
    expect(el.noteType).to.equal('11488-4');
  });

  it('is operable by keyboard alone: Tab reaches every control in order, Space confirms, Enter asks for review', async () => {
    const container = await fixture<HTMLDivElement>(html`
      <div>
        <button id="before">before</button>
        <curbside-note-composer .insight=${sampleInsight()} .decisions=${{ accepted: [{ itemId: 'd1' }], rejected: [] }}></curbside-note-composer>
      </div>
    `);
    const el = container.querySelector('curbside-note-composer')!;
    await el.updateComplete;
    container.querySelector<HTMLButtonElement>('#before')!.focus();
    const order: string[] = [];
    for (let i = 0; i < 12; i++) {
      await sendKeys({ press: 'Tab' });
      const active = el.shadowRoot!.activeElement as HTMLElement | null;
      if (!active) break;
      order.push(active.id || active.getAttribute('part')!);
    }
    expect(order).to.deep.equal([
      'note-type',
      'own-words',
      'section-assessment',
      'confirm-button',
      'section-differential',
      'confirm-button',
      'section-plan',
      'confirm-button',
      'section-evidence',
      'confirm-button',
      'confirm-all-button',
    ]);

    $<HTMLTextAreaElement>(el, '#own-words')!.focus();
    await sendKeys({ type: 'Seen with her daughter.' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('confirm-button');
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.id).to.equal('section-differential');
    // Past the three sections still to confirm, each a text box and its button.
    for (let i = 0; i < 6; i++) await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('confirm-all-button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement).to.equal(review(el));
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const event = (await oneEvent(el, 'curbside-note-review')) as CurbsideNoteReviewEvent;
    expect(event.detail.draft.sections.map((s) => [s.id, s.reviewed])).to.deep.equal([
      ['clinician', true],
      ['assessment', true],
      ['differential', true],
      ['plan', true],
      ['evidence', true],
    ]);
    expect(event.detail.draft.sections[0]!.lines).to.deep.equal(['Seen with her daughter.']);
  });

  it('shows a visible focus ring on its controls', async () => {
    const el = await show();
    const textarea = $<HTMLTextAreaElement>(el, '#own-words')!;
    textarea.focus();
    expect(getComputedStyle(textarea).outlineStyle).to.equal('solid');
    const confirm = $<HTMLButtonElement>(el, '[part~="confirm-button"]')!;
    $<HTMLSelectElement>(el, '#note-type')!.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(confirm);
    expect(getComputedStyle(confirm).outlineStyle).to.equal('solid');
  });

  it('autosaves every change and restores it on a fresh element, keeping it while decisions are empty', async () => {
    const storage = new MemoryStorage();
    const first = await show({ store: await DraftStore.open(storage, SCOPE) });
    await typeInto(first, $<HTMLTextAreaElement>(first, '#own-words')!, 'Breathless.\n');
    section(first, 'assessment').querySelector<HTMLButtonElement>('[part~="confirm-button"]')!.click();
    await first.updateComplete;
    const plan = section(first, 'plan').querySelector('textarea')!;
    await clear(first, plan);
    await typeInto(first, plan, 'Echo this week.');
    const select = $<HTMLSelectElement>(first, '#note-type')!;
    select.value = '34117-2';
    select.dispatchEvent(new Event('change'));
    await first.updateComplete;
    const saved = first.draft!;
    expect(saved.noteType.code).to.equal('34117-2');
    expect([...storage.map.keys()]).to.have.length(1);
    expect([...storage.map.keys()][0]).to.not.contain('p1');

    // A reload: a new store over the same storage, the host's decisions and insight lost.
    const store = await DraftStore.open(storage, SCOPE);
    const restoring = await fixture<CurbsideNoteComposerElement>(html`<curbside-note-composer></curbside-note-composer>`);
    const changed = oneEvent(restoring, 'curbside-note-change');
    restoring.store = store;
    expect(((await changed) as CurbsideNoteChangeEvent).detail.draft).to.deep.equal(saved);
    await restoring.updateComplete;
    expect(restoring.draft).to.deep.equal(saved);
    expect(text($(restoring, '[part~="status"]'))).to.equal('Your draft from earlier in this session was restored.');
    expect($<HTMLTextAreaElement>(restoring, '#own-words')!.value).to.equal('Breathless.\n');
    expect($<HTMLSelectElement>(restoring, '#note-type')!.value).to.equal('34117-2');
    expect(section(restoring, 'assessment').getAttribute('part')).to.equal('section section-confirmed');
    expect(section(restoring, 'plan').querySelector('textarea')!.value).to.equal('Echo this week.');
    await expect(restoring).to.be.accessible();

    // The insight comes back with empty decisions: the restored draft is kept as it is.
    restoring.insight = sampleInsight();
    restoring.decisions = { accepted: [], rejected: [] };
    await restoring.updateComplete;
    expect(restoring.draft).to.deep.equal(saved);

    // Decisions the host recorded again: AI sections recomposed, the clinician's work kept.
    restoring.decisions = { accepted: [{ itemId: 'd1' }, { itemId: 'd2' }], rejected: [] };
    await restoring.updateComplete;
    expect(restoring.draft!.sections.find((s) => s.id === 'plan')?.lines).to.deep.equal(['Echo this week.']);
    expect(restoring.draft!.sections.find((s) => s.id === 'clinician')?.lines).to.deep.equal(['Breathless.']);
    expect(restoring.draft!.noteType.code).to.equal('34117-2');
    expect((await DraftStore.open(storage, SCOPE)).load()?.draft).to.deep.equal(restoring.draft);
  });

  it('a store given with the first render restores too, and stored drafts are per patient', async () => {
    const storage = new MemoryStorage();
    const saved = editSection(expectedDraft(), 'clinician', 'Stored words.');
    (await DraftStore.open(storage, SCOPE)).save({ draft: saved, clinicianText: 'Stored words.', noteType: '11506-3' });
    const el = await show({ decisions: NONE, store: await DraftStore.open(storage, SCOPE) });
    expect(el.draft).to.deep.equal(saved);
    const other = await show({ decisions: NONE, store: await DraftStore.open(storage, { ...SCOPE, patientId: 'p2' }) });
    expect(other.draft?.sections).to.deep.equal([]);
    expect($(other, '[part~="status"]')).to.equal(null);
  });

  it('says so when the browser will not store the draft, and keeps working', async () => {
    const refusing: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      },
      removeItem: () => undefined,
    };
    const el = await show({ store: await DraftStore.open(refusing, SCOPE) });
    await typeInto(el, $<HTMLTextAreaElement>(el, '#own-words')!, 'x');
    expect(text($(el, '[part~="status"]'))).to.equal('Not saved: this browser would not store the draft. It is kept while Curbside stays open.');
    expect(el.draft!.sections[0]!.lines).to.deep.equal(['x']);
    await expect(el).to.be.accessible();
  });

  it('reports decisions that do not belong to the insight instead of changing the draft', async () => {
    const el = await show();
    const before = el.draft;
    el.decisions = { accepted: [{ itemId: 'not-there' }], rejected: [] };
    await el.updateComplete;
    expect(el.draft).to.equal(before);
    const problem = $(el, '[part~="problem"]')!;
    expect(problem.getAttribute('role')).to.equal('alert');
    expect(text(problem)).to.contain('The note could not follow the latest decisions');
    await expect(el).to.be.accessible();
  });

  it('shows hostile model text only as text', async () => {
    const insight = sampleInsight();
    const hostile: Insight = {
      ...insight,
      differential: insight.differential.map((item, index) =>
        index === 0 ? { ...item, condition: XSS_PAYLOADS.join(' '), nextSteps: XSS_PAYLOADS.map((payload) => ({ text: payload, kind: 'test' as const })) } : item,
      ),
    };
    const el = await show({ insight: hostile });
    assertNoActiveContent(el.shadowRoot!, 'note composer', 'textarea, select, button');
    expect(section(el, 'assessment').querySelector('textarea')!.value).to.contain('<img src=x onerror=alert(1)>');
  });

  it('fits a 320 px sidebar without sideways scrolling, even with long unbroken text', async () => {
    const insight = sampleInsight();
    const long: Insight = {
      ...insight,
      differential: insight.differential.map((item) => ({ ...item, condition: `${item.condition} ${'x'.repeat(120)}` })),
    };
    const container = await fixture<HTMLDivElement>(html`
      <div style="width: 320px">
        <curbside-note-composer .insight=${long} .decisions=${ACCEPT_D1_REJECT_D2}></curbside-note-composer>
      </div>
    `);
    const el = container.querySelector('curbside-note-composer')!;
    await el.updateComplete;
    await typeInto(el, $<HTMLTextAreaElement>(el, '#own-words')!, 'y'.repeat(200));
    const base = $(el, '[part~="base"]')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    expect(container.scrollWidth).to.be.at.most(container.clientWidth);
    expect(el.getBoundingClientRect().width).to.be.at.most(320);
    for (const part of $$(el, '[part~="section"], [part~="actions"], textarea, select')) {
      expect(part.getBoundingClientRect().right, part.getAttribute('part') ?? part.id).to.be.at.most(el.getBoundingClientRect().right + 0.5);
    }
    // Each text box grows to its text, so nothing to confirm is hidden behind a scroll.
    for (const textarea of $$<HTMLTextAreaElement>(el, 'textarea')) {
      expect(textarea.scrollHeight, textarea.id).to.be.at.most(textarea.clientHeight + 1);
    }
    await expect(el).to.be.accessible();
  });
});
