import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, Device, DocumentReference, Provenance } from 'fhir/r4';
import { attest } from './attestation.ts';
import { base64ToUtf8 } from './encoding.ts';
import { composeNoteDraft, renderNoteText } from './note.ts';
import { WRITE_ID_SYSTEM, WriteProfileError, buildWrite, identifierQuery } from './profiles.ts';
import type { WriteInput } from './profiles.ts';
import { fhirErrors, sampleInsight } from './test-support.ts';

const VENDOR_FIXTURE = fileURLToPath(new URL('../../../shared/fixtures/vendors/epic/write-DocumentReference-create-and-readback.json', import.meta.url));

async function input(overrides: Partial<WriteInput> = {}, noteType: '11506-3' | '34117-2' = '11506-3'): Promise<WriteInput> {
  const draft = composeNoteDraft({
    insight: sampleInsight(),
    decisions: { accepted: [{ itemId: 'd1' }], rejected: [{ itemId: 'd2', reason: { code: 'not-relevant', display: 'Not relevant' } }] },
    clinicianText: 'Breathless on exertion; naïve to diuretics.',
    noteType,
  });
  const signature = { clinicianName: 'Dr Ana Ruiz', fhirUser: 'Practitioner/pr1', attestedAt: '2026-05-01T10:30:00.000Z', writeId: 'a3c1a7d2-1f1e-4c55-8d43-2b9e6f0c7a10' };
  const text = renderNoteText(draft, signature);
  return { draft, text, attestation: await attest(text, signature), patientId: 'p1', encounterId: 'e1', period: { start: '2026-05-01T09:00:00Z', end: '2026-05-01T10:30:00Z' }, ...overrides };
}

function only<T>(items: readonly T[] | undefined): T {
  assert.equal(items?.length, 1);
  return items[0] as T;
}

test('standard: one transaction of DocumentReference, Device and Provenance, linked by urn:uuid and valid FHIR R4', async () => {
  const given = await input();
  const plan = await buildWrite('standard', given);
  assert.equal(plan.writeId, given.attestation.writeId);
  assert.equal(plan.contentHash, given.attestation.contentHash);
  const request = only(plan.requests);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, '');
  const bundle = request.body as Bundle;
  assert.equal(bundle.type, 'transaction');
  assert.deepEqual(await fhirErrors(bundle), []);
  // The validator does reject: a DocumentReference without its required status.
  assert.notDeepEqual(await fhirErrors({ ...(bundle.entry?.[0]?.resource ?? {}), status: undefined }), []);
  const [noteEntry, deviceEntry, provEntry] = bundle.entry ?? [];
  for (const entry of bundle.entry ?? []) {
    assert.match(entry.fullUrl ?? '', /^urn:uuid:[0-9a-f-]{36}$/);
    assert.deepEqual(await fhirErrors(entry.resource), [], entry.resource?.resourceType);
  }

  const note = noteEntry?.resource as DocumentReference;
  assert.equal(note.status, 'current');
  assert.equal(note.docStatus, 'final');
  assert.deepEqual(note.type?.coding, [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }]);
  assert.equal(note.category?.[0]?.coding?.[0]?.system, 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category');
  assert.equal(note.category?.[0]?.coding?.[0]?.code, 'clinical-note');
  assert.deepEqual(note.subject, { reference: 'Patient/p1' });
  assert.deepEqual(note.context, { encounter: [{ reference: 'Encounter/e1' }], period: given.period });
  assert.deepEqual(note.author, [{ reference: 'Practitioner/pr1' }]);
  assert.equal(note.date, '2026-05-01T10:30:00.000Z');
  assert.deepEqual(note.identifier, [{ system: WRITE_ID_SYSTEM, value: given.attestation.writeId }]);
  assert.deepEqual(note.meta?.security, [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'AIAST', display: 'Artificial Intelligence asserted' }]);
  const attachment = only(note.content).attachment;
  assert.equal(attachment.contentType, 'text/plain;charset=utf-8');
  assert.equal(base64ToUtf8(attachment.data ?? ''), given.text);
  assert.deepEqual(noteEntry?.request, { method: 'POST', url: 'DocumentReference', ifNoneExist: `identifier=${WRITE_ID_SYSTEM}|${given.attestation.writeId}` });

  const device = deviceEntry?.resource as Device;
  assert.deepEqual(device.deviceName, [{ name: 'Example Clinical Model', type: 'model-name' }]);
  assert.deepEqual(device.version, [{ value: '2026-04' }]);
  assert.deepEqual(device.type, { text: 'AI model' });

  const prov = provEntry?.resource as Provenance;
  assert.deepEqual(prov.target, [{ reference: noteEntry?.fullUrl }, { reference: 'Patient/p1' }]);
  assert.deepEqual(
    prov.agent.map((a) => [a.type?.coding?.[0]?.code, a.who.reference]),
    [
      ['author', 'Practitioner/pr1'],
      ['verifier', 'Practitioner/pr1'],
      ['composer', deviceEntry?.fullUrl],
    ],
  );
  assert.equal(prov.reason?.[0]?.coding?.[0]?.code, 'AIAST');
  const signature = only(prov.signature);
  assert.deepEqual(signature.type, [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.5', display: 'Verification Signature' }]);
  assert.equal(signature.who.reference, 'Practitioner/pr1');
  assert.equal(signature.data, createHash('sha256').update(given.text, 'utf8').digest('base64'));
  assert.deepEqual(prov.entity, [{ role: 'source', what: { identifier: { system: 'urn:curbside:insight-item', value: 'ins-1#d1' }, display: 'Heart failure with reduced ejection fraction' } }]);
});

test('every profile refuses text that differs from what was attested', async () => {
  const given = await input();
  for (const profile of ['standard', 'epic', 'oracle'] as const) {
    await assert.rejects(buildWrite(profile, { ...given, text: `${given.text}!` }), /changed after it was attested/);
  }
});

test('epic: a single DocumentReference POST, preliminary unless configured final, no Provenance', async () => {
  const plan = await buildWrite('epic', await input());
  const request = only(plan.requests);
  assert.equal(request.url, 'DocumentReference');
  const doc = request.body as DocumentReference;
  assert.equal(doc.resourceType, 'DocumentReference');
  assert.equal(doc.docStatus, 'preliminary');
  assert.equal(request.headers?.['If-None-Exist'], undefined);
  assert.deepEqual(await fhirErrors(doc), []);
  assert.equal(((await buildWrite('epic', await input({ epicDocStatus: 'final' }))).requests[0]?.body as DocumentReference).docStatus, 'final');
});

test('epic: without an encounter the write is refused with a clear error', async () => {
  const { encounterId: _e, ...rest } = await input();
  await assert.rejects(buildWrite('epic', rest), (e: unknown) => e instanceof WriteProfileError && /Epic files a note only against an encounter/.test(e.message));
});

test(
  'epic: the DocumentReference matches the create Epic accepted (vendor fixture) on the fields it kept',
  { skip: existsSync(VENDOR_FIXTURE) ? false : 'vendor fixtures (../shared/fixtures/vendors) not present' },
  async () => {
    const recorded = (JSON.parse(readFileSync(VENDOR_FIXTURE, 'utf8')) as { _canonical_submitted: DocumentReference })._canonical_submitted;
    const doc = only((await buildWrite('epic', await input({}, '34117-2'))).requests).body as DocumentReference;
    assert.equal(doc.resourceType, recorded.resourceType);
    assert.equal(doc.status, recorded.status);
    // Epic kept the LOINC coding (marked userSelected on read-back); ours is the first coding it sent.
    assert.deepEqual(doc.type?.coding?.[0], recorded.type?.coding?.[0]);
    assert.deepEqual(doc.category, recorded.category);
    assert.deepEqual(Object.keys(doc.subject ?? {}), Object.keys(recorded.subject ?? {}));
    assert.match(doc.subject?.reference ?? '', /^Patient\//);
    const ours = only(doc.content);
    const theirs = only(recorded.content);
    assert.equal(ours.attachment.contentType, theirs.attachment.contentType);
    assert.ok(ours.attachment.data && theirs.attachment.data, 'inline base64 data, as Epic accepted');
    assert.equal(ours.attachment.url, undefined);
    assert.deepEqual(Object.keys(doc.context ?? {}).filter((k) => k in (recorded.context ?? {})), ['encounter']);
    assert.match(doc.context?.encounter?.[0]?.reference ?? '', /^Encounter\//);
    assert.equal(Object.keys(recorded).includes('relatesTo'), Object.keys(doc).includes('relatesTo'));
  },
);

test('oracle: one POST, final, author exactly the signed-in user, period end required, no identifier or meta.security', async () => {
  const fresh = await input({ encounterId: undefined });
  const plan = await buildWrite('oracle', fresh);
  const doc = only(plan.requests).body as DocumentReference;
  assert.equal(only(plan.requests).url, 'DocumentReference');
  assert.equal(doc.docStatus, 'final');
  assert.deepEqual(doc.author, [{ reference: 'Practitioner/pr1' }]);
  assert.equal(doc.context?.period?.end, '2026-05-01T10:30:00Z');
  assert.equal(only(doc.content).attachment.contentType, 'text/plain;charset=utf-8');
  assert.equal('identifier' in doc, false);
  assert.equal('meta' in doc, false);
  assert.ok(base64ToUtf8(only(doc.content).attachment.data ?? '')?.includes(`write id ${plan.writeId}`), 'write id findable in the text');
  assert.deepEqual(await fhirErrors(doc), []);
  await assert.rejects(buildWrite('oracle', await input({ period: { start: '2026-05-01T09:00:00Z' } })), /context\.period\.end/);
});

test('a fhirUser that is not a FHIR reference is refused', async () => {
  const given = await input();
  await assert.rejects(buildWrite('standard', { ...given, attestation: { ...given.attestation, fhirUser: 'ana.ruiz' } }), WriteProfileError);
});

test('conditional-create queries escape the identifier value', async () => {
  assert.equal(identifierQuery('urn:curbside:write-id', 'a3c1a7d2-1f1e-4c55-8d43-2b9e6f0c7a10'), 'identifier=urn:curbside:write-id|a3c1a7d2-1f1e-4c55-8d43-2b9e6f0c7a10');
  assert.equal(identifierQuery('urn:curbside:model', 'My Model|v1,2'), 'identifier=urn:curbside:model|My%20Model%5C%7Cv1%5C%2C2');
  const bundle = only((await buildWrite('standard', await input())).requests).body as Bundle;
  assert.equal(bundle.entry?.[1]?.request?.ifNoneExist, 'identifier=urn:curbside:model|Example%20Clinical%20Model%402026-04');
});
