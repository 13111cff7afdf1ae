/**
 * End to end: launch → accept two suggestions, reject one with a reason → compose → attest → the
 * note, its Provenance and the AuditEvents exist on the sandbox's FHIR server with the right fields,
 * and the note text is byte for byte what the clinician attested.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AuditEvent, Device, DocumentReference, Provenance } from 'fhir/r4';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, openChart } from '../support/shell.ts';
import type { Sandbox } from '../../launch/sandbox/server.ts';

let sandbox: Sandbox;
let chromium: TestBrowser;

before(async () => {
  sandbox = await startTestSandbox({ asOf: '2026-11-20' });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await sandbox?.close();
});

const openDifferential = (patientId: string): Promise<{ page: Page; frame: Frame }> => openChart(sandbox, chromium, patientId, 'curbside-differential[state="ready"]');

describe('attested write-back in the sandbox', () => {
  test('accept two, reject one with a reason, compose, attest: the note, Provenance and AuditEvents land as attested', { timeout: 120_000 }, async () => {
    const patientId = 'ckd-01';
    const { page, frame } = await openDifferential(patientId);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    const items = frame.locator('curbside-differential [part~="item"]');
    const condition = async (i: number): Promise<string> => ((await items.nth(i).locator('[part~="condition"]').first().textContent()) ?? '').trim();
    const accepted: string[] = [];
    // Accept the first two that can be accepted; reject the next with the first reason offered.
    let index = 0;
    while (accepted.length < 2) {
      const item = items.nth(index);
      await item.locator('[part~="disclosure"]').click();
      // The item's own Accept (its treatment options have theirs), by the differential's id.
      const accept = item.locator(`#accept-${index}`);
      if (await accept.isEnabled()) {
        await accept.click();
        await item.locator('[part~="decision"]').waitFor();
        accepted.push(await condition(index));
      }
      index += 1;
    }
    const rejectedItem = items.nth(index);
    const rejectedCondition = await condition(index);
    await rejectedItem.locator('[part~="disclosure"]').click();
    await rejectedItem.locator(`#reject-${index}`).click();
    const reason = rejectedItem.getByRole('radio').first();
    const reasonLabel = ((await reason.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? '')) ?? '').trim();
    await reason.check();
    await rejectedItem.locator('[part~="confirm-reject-button"]').click();
    await rejectedItem.locator('[part~="decision"]').waitFor();

    // Compose: the clinician's own words, then confirm the AI-drafted sections and review.
    const composer = frame.locator('curbside-note-composer');
    await composer.locator('[part~="own-words"]').fill('Seen today with worsening fatigue; renal function reviewed with the patient.');
    const composed = await composer.locator('[part~="section-text"]').evaluateAll((boxes) => boxes.map((b) => (b as HTMLTextAreaElement).value).join('\n'));
    for (const name of accepted) assert.ok(composed.includes(name), `the draft names the accepted "${name}"`);
    await composer.locator('[part~="confirm-all-button"]').click();
    await composer.locator('[part~="review-button"]').click();

    const attestation = frame.locator('curbside-attestation');
    const shown = (await attestation.locator('[part~="text"]').textContent()) ?? '';
    assert.match(shown, /I, Dr .+, have reviewed this note and the AI-assisted content and attest to its accuracy/);
    assert.match(shown, /AI use: drafted with .+ version .+; attested by .+ \(Practitioner\/[^)/]+\) at .+; write id [0-9a-f-]{36}\./);
    assert.ok(rejectedCondition && !shown.includes(`- ${rejectedCondition}`), `the rejected "${rejectedCondition}" never appears in the note`);
    await attestation.locator('[part~="checkbox"]').check();
    await attestation.locator('[part~="confirm-button"]').click();
    const status = attestation.locator('[part~="status"]');
    await status.filter({ hasText: /DocumentReference\// }).waitFor({ timeout: 20_000 });
    const noteId = /DocumentReference\/([A-Za-z0-9\-.]+)/.exec((await status.textContent()) ?? '')?.[1];
    assert.ok(noteId, 'the created resource id is shown');

    // The note on the server.
    const note = await sandbox.fhir.readUnchecked<DocumentReference>('DocumentReference', noteId);
    assert.ok(note);
    const text = Buffer.from(note.content[0]?.attachment.data ?? '', 'base64').toString('utf8');
    assert.equal(text, shown, 'the filed text is exactly the attested text');
    assert.equal(note.status, 'current');
    assert.equal(note.docStatus, 'final');
    assert.deepEqual(note.type?.coding?.[0], { system: 'http://loinc.org', code: '11506-3', display: 'Progress note' });
    assert.equal(note.category?.[0]?.coding?.[0]?.code, 'clinical-note');
    assert.equal(note.subject?.reference, `Patient/${patientId}`);
    assert.match(note.context?.encounter?.[0]?.reference ?? '', /^Encounter\//);
    assert.ok(note.context?.period?.end);
    assert.match(note.author?.[0]?.reference ?? '', /^Practitioner\//);
    assert.equal(note.content.length, 1);
    assert.equal(note.content[0]?.attachment.contentType, 'text/plain;charset=utf-8');
    assert.ok(note.meta?.security?.some((c) => c.system === 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue' && c.code === 'AIAST'));
    const writeId = /write id ([0-9a-f-]{36})/.exec(text)?.[1];
    assert.ok(note.identifier?.some((i) => i.system === 'urn:curbside:write-id' && i.value === writeId));

    // Its Provenance: the clinician as author and verifier, signed over the hash of that text; the model as an agent.
    const provenances = (await sandbox.fhir.searchUnchecked<Provenance>('Provenance', `target=DocumentReference/${noteId}`)).filter((p) =>
      p.target.some((t) => t.reference === `DocumentReference/${noteId}`),
    );
    assert.equal(provenances.length, 1);
    const provenance = provenances[0]!;
    const roles = provenance.agent.map((a) => a.type?.coding?.[0]?.code);
    assert.deepEqual(roles, ['author', 'verifier', 'composer']);
    assert.equal(provenance.agent[0]?.who?.reference, note.author?.[0]?.reference);
    assert.equal(provenance.reason?.[0]?.coding?.[0]?.code, 'AIAST');
    const signature = provenance.signature?.[0];
    assert.equal(signature?.type[0]?.code, '1.2.840.10065.1.12.1.5');
    assert.equal(signature?.type[0]?.system, 'urn:iso-astm:E1762-95:2013');
    assert.equal(Buffer.from(signature?.data ?? '', 'base64').toString('hex'), createHash('sha256').update(text, 'utf8').digest('hex'));
    const deviceRef = provenance.agent[2]?.who?.reference ?? '';
    const device = await sandbox.fhir.readUnchecked<Device>('Device', deviceRef.replace(/^Device\//, ''));
    assert.ok(device?.deviceName?.[0]?.name, 'the model is a Device with a name');
    assert.ok(device?.version?.[0]?.value, 'and a version');
    assert.equal(provenance.entity?.length, 2, 'one entity per accepted suggestion');

    // The audit trail: disclosure, shown, two accepts, one reject with its reason, the note written.
    const audit = await eventually(async () => {
      const events = (await sandbox.fhir.searchUnchecked<AuditEvent>('AuditEvent', '')).filter((e) => e.entity?.some((x) => x.what?.reference === `Patient/${patientId}`));
      const codes = events.map((e) => e.subtype?.[0]?.code);
      return codes.includes('note-written') ? events : undefined;
    }, 'the note-written AuditEvent', 10_000);
    const count = (code: string): number => audit.filter((e) => e.subtype?.[0]?.code === code).length;
    assert.ok(count('model-disclosure') >= 1);
    assert.ok(count('suggestions-shown') >= 1);
    assert.equal(count('suggestion-accepted'), 2);
    assert.equal(count('suggestion-rejected'), 1);
    assert.equal(count('note-written'), 1);
    const rejection = audit.find((e) => e.subtype?.[0]?.code === 'suggestion-rejected')!;
    const details = Object.fromEntries((rejection.entity?.at(-1)?.detail ?? []).map((d) => [d.type, d.valueString]));
    assert.equal(details['overrideReason.display'], reasonLabel);
    const written = audit.find((e) => e.subtype?.[0]?.code === 'note-written')!;
    assert.equal(written.entity?.at(-1)?.what?.reference, `DocumentReference/${noteId}`);
    // References only: no chart content copied into the trail.
    assert.ok(!JSON.stringify(audit).includes('worsening fatigue'));
    assert.ok(!JSON.stringify(audit).includes(rejectedCondition));

    // The EHR's own chart view lists the note with its label and Provenance.
    const view = (await (await fetch(`${sandbox.ehrOrigin}/ehr/notes?patient=${patientId}`)).json()) as unknown;
    assert.ok(JSON.stringify(view).includes(noteId));
    // The draft is gone once the note is proven in the chart; nothing went to localStorage.
    assert.equal(await frame.evaluate(() => localStorage.length), 0);
    assert.equal(await frame.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('curbside.draft.')).length), 0);
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('a draft survives a relaunch, and a token that expires mid-write is renewed without doubling the note', { timeout: 120_000 }, async () => {
    const patientId = 'dm-02';
    const { page, frame } = await openDifferential(patientId);
    const composerWords = 'Relaunch check: own words typed before the relaunch.';
    const items = frame.locator('curbside-differential [part~="item"]');
    await items.nth(0).locator('[part~="disclosure"]').click();
    await items.nth(0).locator('#accept-0').click();
    await frame.locator('curbside-note-composer [part~="own-words"]').fill(composerWords);
    // Autosave is immediate; relaunch from the EHR (a fresh SMART launch in the same tab).
    await page.click(`button[data-patient-id="${patientId}"]`);
    const relaunched = (await (await page.waitForSelector('#curbside-frame:not([hidden])')).contentFrame())!;
    await relaunched.locator('curbside-differential[state="ready"]').waitFor({ timeout: 30_000 });
    const ownWords = relaunched.locator('curbside-note-composer [part~="own-words"]');
    await eventually(async () => ((await ownWords.inputValue()) === composerWords ? true : undefined), 'the restored draft', 10_000);

    // Expire every access token, and make the POST itself meet a 401.
    const before = (await sandbox.fhir.searchUnchecked<DocumentReference>('DocumentReference', `patient=${patientId}`)).length;
    sandbox.faults.push({ on: 'write', kind: 'expire-token' });
    await fetch(`${sandbox.ehrOrigin}/ehr/expire-tokens`, { method: 'POST' });
    const composer = relaunched.locator('curbside-note-composer');
    await composer.locator('[part~="confirm-all-button"]').click();
    await composer.locator('[part~="review-button"]').click();
    const attestation = relaunched.locator('curbside-attestation');
    await attestation.locator('[part~="checkbox"]').check();
    await attestation.locator('[part~="confirm-button"]').click();
    // The POST meets a 401; the refresh token renews the session and the same attested note files once.
    await attestation.locator('[part~="status"]').filter({ hasText: /Filed in the chart as DocumentReference\// }).waitFor({ timeout: 20_000 });
    const after = (await sandbox.fhir.searchUnchecked<DocumentReference>('DocumentReference', `patient=${patientId}`)).length;
    assert.equal(after, before + 1, 'exactly one note');
    assert.equal(sandbox.faults.remaining().length, 0, 'the 401 was really met');
    sandbox.faults.clear();
    await page.context().close();
  });
});
