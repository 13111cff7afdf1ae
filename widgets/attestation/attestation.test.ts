import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { attestationStatement, matchesAttestation } from '../../src/writeback/attestation.ts';
import { sha256Hex } from '../../src/writeback/encoding.ts';
import { composeNoteDraft, confirmSection, editSection, renderNoteText, type NoteDraft } from '../../src/writeback/note.ts';
import { sampleInsight } from '../../src/writeback/test-support.ts';
import { XSS_PAYLOADS, assertNoActiveContent } from '../../test/component/xss.ts';
import type { CurbsideNoteAttestEvent } from '../shared/events.ts';
import './attestation.ts';
import type { AttestingClinician, CurbsideAttestationElement, NoteWriteState } from './attestation.ts';

failOnLitWarnings();

const CLINICIAN: AttestingClinician = { name: 'Ana Ruiz', fhirUser: 'Practitioner/pr1' };
const CLOSING = /; attested by Ana Ruiz \(Practitioner\/pr1\) at (\S+); write id ([0-9a-f-]{36})\.$/;

function reviewedDraft(): NoteDraft {
  const draft = composeNoteDraft({
    insight: sampleInsight(),
    decisions: { accepted: [{ itemId: 'd1' }], rejected: [{ itemId: 'd2', reason: { code: 'not-relevant', display: 'Not relevant to this patient' } }] },
    clinicianText: 'Breathless on exertion for 3 weeks.',
    noteType: '11488-4',
  });
  return editSection(confirmSection(confirmSection(confirmSection(draft, 'assessment'), 'differential'), 'evidence'), 'plan', 'Echo this week.');
}

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function $<T extends HTMLElement = HTMLElement>(el: CurbsideAttestationElement, selector: string): T | null {
  return el.shadowRoot!.querySelector<T>(selector);
}

function confirmButton(el: CurbsideAttestationElement): HTMLButtonElement {
  return $<HTMLButtonElement>(el, '[part~="confirm-button"]')!;
}

function shownText(el: CurbsideAttestationElement): string {
  return $(el, '[part~="text"]')!.textContent!;
}

async function show(
  options: { draft?: NoteDraft | undefined; clinician?: AttestingClinician | undefined; writeState?: NoteWriteState } = {},
): Promise<CurbsideAttestationElement> {
  return fixture<CurbsideAttestationElement>(html`
    <curbside-attestation
      .draft=${'draft' in options ? options.draft : reviewedDraft()}
      .clinician=${'clinician' in options ? options.clinician : CLINICIAN}
      .writeState=${options.writeState ?? { status: 'idle' }}
    ></curbside-attestation>
  `);
}

async function check(el: CurbsideAttestationElement): Promise<void> {
  $<HTMLInputElement>(el, '[part~="checkbox"]')!.click();
  await el.updateComplete;
}

async function attestShown(el: CurbsideAttestationElement): Promise<CurbsideNoteAttestEvent> {
  await check(el);
  setTimeout(() => confirmButton(el).click());
  return (await oneEvent(el, 'curbside-note-attest')) as CurbsideNoteAttestEvent;
}

describe('<curbside-attestation>', () => {
  it('says there is nothing to attest without a draft', async () => {
    const el = await show({ draft: undefined });
    expect(text($(el, '[part~="empty"]'))).to.equal('No note to attest yet: finish the draft first.');
    expect(confirmButton(el)).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows exactly the text that will be filed, signed with a fresh write id and the time it was prepared, and focuses the heading', async () => {
    const before = Date.now();
    const draft = reviewedDraft();
    const el = await show({ draft });
    const shown = shownText(el);
    const [, attestedAt, writeId] = CLOSING.exec(shown) ?? [];
    expect(writeId, 'closing line').to.be.a('string');
    expect(Date.parse(attestedAt!)).to.be.within(before, Date.now());
    expect(shown).to.equal(renderNoteText(draft, { clinicianName: 'Ana Ruiz', fhirUser: 'Practitioner/pr1', attestedAt: attestedAt!, writeId: writeId! }));
    expect($(el, '[part~="text"]')!.localName).to.equal('pre');
    expect(shown).to.not.contain('Constrictive pericarditis');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="title"]'));
    expect(text($(el, '[part~="statement"]'))).to.equal(`${attestationStatement('Ana Ruiz')}.`);
    await expect(el).to.be.accessible();
  });

  it('lists the sections the AI drafted and the model, separately from the clinician’s own', async () => {
    const el = await show();
    const ai = $(el, '[part~="ai-sections"]')!;
    expect(text(ai.querySelector('.ai-sections-title'))).to.equal('Drafted by AI (Example Clinical Model 2026-04), each marked “[AI-drafted, reviewed by author]” in the text:');
    expect([...ai.querySelectorAll('li')].map(text)).to.deep.equal(['Assessment', 'Differential considered', 'Evidence references']);
    expect(shownText(el)).to.match(/^Assessment \[AI-drafted, reviewed by author\]$/m);
    expect(shownText(el)).to.match(/^Plan \/ next steps\nEcho this week\.$/m);

    const ownOnly = composeNoteDraft({ insight: sampleInsight(), decisions: { accepted: [], rejected: [] }, clinicianText: 'Well.', noteType: '11506-3' });
    el.draft = ownOnly;
    await el.updateComplete;
    expect(text($(el, '[part~="ai-sections"]'))).to.contain('No section was drafted by AI');
    await expect(el).to.be.accessible();
  });

  it('keeps Confirm disabled, with the reason, until the required box is ticked', async () => {
    const el = await show();
    const box = $<HTMLInputElement>(el, '[part~="checkbox"]')!;
    expect(box.required).to.equal(true);
    expect(box.checked).to.equal(false);
    expect(text(box.labels![0])).to.equal('I have reviewed this note, including every AI-drafted section, and it is accurate.');
    expect(confirmButton(el).disabled).to.equal(true);
    expect(confirmButton(el).getAttribute('aria-describedby')).to.equal('confirm-reason');
    expect(text($(el, '#confirm-reason'))).to.equal('Tick the box once you have reviewed the note.');
    await check(el);
    expect(confirmButton(el).disabled).to.equal(false);
    expect($(el, '#confirm-reason')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('Confirm fires curbside-note-attest with the attestation of the exact text shown, once', async () => {
    const draft = reviewedDraft();
    const el = await show({ draft });
    const shown = shownText(el);
    const event = await attestShown(el);
    expect(Object.keys(event.detail).sort()).to.deep.equal(['attestation', 'draft', 'text']);
    expect(event.detail.text).to.equal(shown);
    expect(event.detail.draft).to.deep.equal(draft);
    const { attestation } = event.detail;
    const [, attestedAt, writeId] = CLOSING.exec(shown)!;
    expect(attestation).to.deep.equal({
      statement: attestationStatement('Ana Ruiz'),
      fhirUser: 'Practitioner/pr1',
      clinicianName: 'Ana Ruiz',
      attestedAt,
      writeId,
      contentHash: await sha256Hex(shown),
    });
    expect(await matchesAttestation(shown, attestation)).to.equal(true);
    expect(event.bubbles && event.composed).to.equal(true);

    await el.updateComplete;
    expect(confirmButton(el).disabled).to.equal(true);
    expect(text($(el, '#confirm-reason'))).to.equal('This note is attested; its filing is shown below.');
    expect($<HTMLInputElement>(el, '[part~="checkbox"]')!.disabled).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="status"]'));
    let again = 0;
    el.addEventListener('curbside-note-attest', () => again++);
    confirmButton(el).click();
    await el.updateComplete;
    expect(again).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('keeps the write id when an equal draft is set again; a changed draft gets a new one and must be reviewed again', async () => {
    const el = await show();
    const shown = shownText(el);
    await check(el);
    el.draft = structuredClone(reviewedDraft());
    await el.updateComplete;
    expect(shownText(el)).to.equal(shown);
    expect($<HTMLInputElement>(el, '[part~="checkbox"]')!.checked).to.equal(true);

    el.draft = editSection(reviewedDraft(), 'plan', 'Echo next week.');
    await el.updateComplete;
    expect(shownText(el)).to.contain('Echo next week.');
    expect(CLOSING.exec(shownText(el))![2]).to.not.equal(CLOSING.exec(shown)![2]);
    expect($<HTMLInputElement>(el, '[part~="checkbox"]')!.checked).to.equal(false);
    expect(confirmButton(el).disabled).to.equal(true);
  });

  it('refuses a draft whose AI sections have not all been reviewed', async () => {
    const draft = composeNoteDraft({ insight: sampleInsight(), decisions: { accepted: [{ itemId: 'd1' }], rejected: [] }, noteType: '11506-3' });
    const el = await show({ draft: confirmSection(draft, 'assessment') });
    expect(text($(el, '[part~="unreviewed"]'))).to.equal('Not yet reviewed in the editor: Differential considered, Plan / next steps, Evidence references.');
    await check(el);
    expect(confirmButton(el).disabled).to.equal(true);
    expect(text($(el, '#confirm-reason'))).to.equal('Go back to editing to review every AI-drafted section first.');
    await expect(el).to.be.accessible();
  });

  it('explains that nothing can be attested when the launch has no fhirUser', async () => {
    for (const clinician of [undefined, { name: 'Ana Ruiz', fhirUser: '' }]) {
      const el = await show({ clinician });
      const explanation = text($(el, '[part~="no-clinician"]'));
      expect(explanation).to.contain('the EHR sent no fhirUser');
      expect(explanation).to.contain('no attestation is possible');
      expect($(el, '[part~="text"]')).to.equal(null);
      expect($(el, '[part~="checkbox"]')).to.equal(null);
      expect(confirmButton(el)).to.equal(null);
      expect(text($(el, '[part~="edit-button"]'))).to.equal('Back to editing');
      expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="title"]'));
      await expect(el).to.be.accessible();
    }
  });

  it('"Back to editing" fires curbside-note-edit', async () => {
    const el = await show();
    setTimeout(() => $<HTMLButtonElement>(el, '[part~="edit-button"]')!.click());
    const event = await oneEvent(el, 'curbside-note-edit');
    expect(event.detail).to.deep.equal({});
  });

  it('shows filing in progress in a status region and allows no second press', async () => {
    const el = await show();
    await check(el);
    el.writeState = { status: 'sending' };
    await el.updateComplete;
    const status = $(el, '[part~="status"]')!;
    expect(status.getAttribute('role')).to.equal('status');
    expect(text(status)).to.equal('Filing the note…');
    expect(confirmButton(el).disabled).to.equal(true);
    expect(text($(el, '#confirm-reason'))).to.equal('The note is being filed.');
    expect($<HTMLButtonElement>(el, '[part~="edit-button"]')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('says where a confirmed note was filed', async () => {
    const el = await show({ writeState: { status: 'confirmed', resourceId: 'doc-42' } });
    expect(text($(el, '[part~="status"]'))).to.equal('Filed in the chart as DocumentReference/doc-42');
    expect(confirmButton(el).disabled).to.equal(true);
    expect($(el, '[part~="edit-button"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a failure as an alert, keeps the draft, and offers "Try again" (curbside-note-retry), focused', async () => {
    const el = await show();
    const shown = shownText(el);
    await attestShown(el);
    el.writeState = { status: 'failed', message: 'The EHR refused the note (HTTP 422): missing author.' };
    await el.updateComplete;
    const alert = $(el, '[part~="alert"]')!;
    expect(alert.getAttribute('role')).to.equal('alert');
    expect(text(alert)).to.equal('The note was not filed. The EHR refused the note (HTTP 422): missing author. The draft is kept. Try again');
    expect(shownText(el)).to.equal(shown);
    const retry = $<HTMLButtonElement>(el, '[part~="retry-button"]')!;
    expect(el.shadowRoot!.activeElement).to.equal(retry);
    expect(confirmButton(el).disabled, 'a retry reuses the attestation').to.equal(true);
    await expect(el).to.be.accessible();
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    expect((await oneEvent(el, 'curbside-note-retry')).detail).to.deep.equal({});
  });

  it('an unconfirmed write asks for a check of the chart before filing again: "Check again" fires curbside-note-check', async () => {
    const el = await show();
    await attestShown(el);
    el.writeState = { status: 'unconfirmed', message: 'The EHR did not answer.' };
    await el.updateComplete;
    const status = $(el, '[part~="status"]')!;
    expect(text(status)).to.equal('Unconfirmed — check the chart before filing again The EHR did not answer. Check again');
    expect(confirmButton(el).disabled).to.equal(true);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="check-button"]'));
    await expect(el).to.be.accessible();
    setTimeout(() => void sendKeys({ press: 'Space' }));
    expect((await oneEvent(el, 'curbside-note-check')).detail).to.deep.equal({});
  });

  it('moves focus to the filing status when "Try again" or "Check again" goes away, not to the page', async () => {
    const el = await show();
    await attestShown(el);
    for (const [status, button] of [['failed', 'retry-button'], ['unconfirmed', 'check-button']] as const) {
      el.writeState = { status, message: 'The EHR did not file it.' };
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).to.equal($(el, `[part~="${button}"]`));
      el.writeState = { status: 'sending' };
      await el.updateComplete;
      expect($(el, `[part~="${button}"]`)).to.equal(null);
      expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="status"]'));
    }
  });

  it('will not attest again while an earlier filing is unconfirmed or the session has expired, even after a reload', async () => {
    const el = await show({ writeState: { status: 'unconfirmed' } });
    await check(el);
    expect(confirmButton(el).disabled).to.equal(true);
    expect(text($(el, '#confirm-reason'))).to.equal('The last filing is unconfirmed: check the chart before filing again.');
    el.writeState = { status: 'needs-relaunch' };
    await el.updateComplete;
    expect(confirmButton(el).disabled).to.equal(true);
    expect(text($(el, '#confirm-reason'))).to.equal('Open Curbside again from the chart to file the note.');
    el.writeState = { status: 'idle' };
    await el.updateComplete;
    expect(confirmButton(el).disabled).to.equal(false);
  });

  it('says "not filed" and "draft kept" once, even when the writer’s message says them too', async () => {
    const el = await show();
    await attestShown(el);
    el.writeState = { status: 'failed', message: 'The EHR refused the note (HTTP 422). The note was not filed and your draft is kept.' };
    await el.updateComplete;
    expect(text($(el, '[part~="alert"]')!)).to.equal('The note was not filed. The EHR refused the note (HTTP 422). The draft is kept. Try again');
    el.writeState = { status: 'needs-relaunch', message: 'Your EHR session has expired. The note was not filed and your draft is kept: close Curbside and open it again from the chart, then file it.' };
    await el.updateComplete;
    const status = text($(el, '[part~="status"]')!);
    expect(status).to.contain('Close Curbside and open it again from the chart, then file it.');
    expect(status.match(/not filed/g)?.length).to.equal(1);
    expect(status.match(/draft is kept/gi)?.length).to.equal(1);
  });

  it('an expired session says how to relaunch and that the draft is kept', async () => {
    const el = await show({ writeState: { status: 'needs-relaunch' } });
    const status = text($(el, '[part~="status"]'));
    expect(status).to.contain('Your session with the EHR has expired, so the note was not filed. Your draft is kept.');
    expect(status).to.contain('Close Curbside and open it again from the patient’s chart, then file the note.');
    await expect(el).to.be.accessible();
  });

  it('is operable by keyboard alone: Tab to the box, Space ticks it, Tab to Confirm, Enter attests; Back to editing by Enter', async () => {
    const el = await show();
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="title"]'));
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="checkbox"]'));
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect($<HTMLInputElement>(el, '[part~="checkbox"]')!.checked).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(confirmButton(el));
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~="edit-button"]'));
    await sendKeys({ press: 'Shift+Tab' });
    const shown = shownText(el);
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const event = (await oneEvent(el, 'curbside-note-attest')) as CurbsideNoteAttestEvent;
    expect(event.detail.text).to.equal(shown);
    await el.updateComplete;
    $<HTMLButtonElement>(el, '[part~="edit-button"]')!.focus();
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    await oneEvent(el, 'curbside-note-edit');
  });

  it('shows hostile draft text only as text', async () => {
    const draft = editSection(reviewedDraft(), 'clinician', XSS_PAYLOADS.join('\n'));
    const el = await show({ draft });
    assertNoActiveContent(el.shadowRoot!, 'attestation', 'input, button');
    expect(shownText(el)).to.contain('<script>alert(1)</script>');
  });

  it('fits a 320 px sidebar without sideways scrolling, even with long unbroken text', async () => {
    const draft = editSection(reviewedDraft(), 'clinician', 'z'.repeat(300));
    const container = await fixture<HTMLDivElement>(html`
      <div style="width: 320px"><curbside-attestation .draft=${draft} .clinician=${CLINICIAN}></curbside-attestation></div>
    `);
    const el = container.querySelector('curbside-attestation')!;
    await el.updateComplete;
    const base = $(el, '[part~="base"]')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
    expect(container.scrollWidth).to.be.at.most(container.clientWidth);
    const pre = $(el, '[part~="text"]')!;
    expect(pre.scrollWidth).to.be.at.most(pre.clientWidth);
    expect(el.getBoundingClientRect().width).to.be.at.most(320);
    await expect(el).to.be.accessible();
  });
});
