import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, DocumentReference } from 'fhir/r4';
import { sha256Hex, utf8ToBase64 } from './encoding.ts';
import { LedgerError, WriteLedger, findExistingWrite } from './ledger.ts';
import { WRITE_ID_SYSTEM } from './profiles.ts';
import { MemoryStorage } from './test-support.ts';

const scope = { fhirBase: 'https://ehr.example.org/fhir/', patientId: 'Patient-Jane-Doe-123', encounterId: 'enc-9' };
const writeId = '5d2c8f7e-0c1a-4b9e-9f6d-3e2a1b0c9d8e';
const text = `Progress note\n\nAssessment\n- HFrEF\n\nAI use: drafted with M version 1; attested by Dr A (Practitioner/1) at 2026-05-01T10:30:00Z; write id ${writeId}.`;

test('ledger: pending → confirmed, and nothing is sent twice', async () => {
  const storage = new MemoryStorage();
  const ledger = await WriteLedger.open(storage, scope, { now: () => new Date('2026-05-01T10:31:00Z') });
  const hash = await sha256Hex(text);
  assert.equal(ledger.mayPost(writeId), true);
  assert.equal(ledger.begin(writeId, hash, 'standard').status, 'pending');
  assert.equal(ledger.mayPost(writeId), false);
  assert.throws(() => ledger.begin(writeId, hash, 'standard'), LedgerError);
  assert.deepEqual(ledger.confirm(writeId, 'doc-77'), { writeId, contentHash: hash, profile: 'standard', status: 'confirmed', resourceId: 'doc-77', updatedAt: '2026-05-01T10:31:00.000Z' });
  assert.throws(() => ledger.fail(writeId, 'rejected', 400), /cannot go from confirmed to failed/);
  assert.equal(ledger.mayPost(writeId), false);
});

test('ledger: pending → unconfirmed blocks a resend until a search proves it absent; the state survives a reload', async () => {
  const storage = new MemoryStorage();
  const hash = await sha256Hex(text);
  const first = await WriteLedger.open(storage, scope);
  first.begin(writeId, hash, 'oracle');
  first.markUnconfirmed(writeId);
  const reloaded = await WriteLedger.open(storage, { ...scope, fhirBase: 'https://ehr.example.org/fhir' });
  assert.equal(reloaded.get(writeId)?.status, 'unconfirmed');
  assert.deepEqual(reloaded.unsettled().map((e) => e.writeId), [writeId]);
  assert.equal(reloaded.mayPost(writeId), false);
  assert.deepEqual(reloaded.fail(writeId, 'proven-absent').failure, { kind: 'proven-absent' });
  assert.equal(reloaded.mayPost(writeId), true);
  assert.equal(reloaded.begin(writeId, hash, 'oracle').status, 'pending');
  assert.equal(reloaded.fail(writeId, 'rejected', 422).failure?.httpStatus, 422);
  assert.throws(() => reloaded.confirm('unknown', 'x'), /No write unknown/);
});

test('ledger: keys are hashed per FHIR base, patient and encounter; nothing but ids, hashes and states is stored', async () => {
  const storage = new MemoryStorage();
  const ledger = await WriteLedger.open(storage, scope);
  ledger.begin(writeId, await sha256Hex(text), 'epic');
  const other = await WriteLedger.open(storage, { ...scope, encounterId: 'enc-10' });
  assert.equal(other.get(writeId), undefined);
  assert.notEqual(other.storageKey, ledger.storageKey);
  const [[key, value]] = [...storage.map.entries()] as [[string, string]];
  assert.match(key, /^curbside\.writes\.[0-9a-f]{64}$/);
  for (const secret of ['Jane', 'Patient-Jane-Doe-123', 'enc-9', 'ehr.example.org', 'HFrEF']) {
    assert.ok(!key.includes(secret) && !value.includes(secret), secret);
  }
  assert.throws(() => ledger.begin('another', 'not-a-hash', 'epic'), /SHA-256/);
});

function searchset(docs: DocumentReference[], next = false): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: docs.map((resource) => ({ resource })),
    ...(next ? { link: [{ relation: 'next', url: 'https://ehr.example.org/fhir/DocumentReference?page=2' }] } : {}),
  };
}

function doc(id: string, extra: Partial<DocumentReference>): DocumentReference {
  return { resourceType: 'DocumentReference', id, status: 'current', content: [{ attachment: { contentType: 'text/plain', data: utf8ToBase64('Unrelated note') } }], ...extra };
}

test('findExistingWrite: by identifier, by the write id in the text, by content hash', async () => {
  const hash = await sha256Hex(text);
  assert.deepEqual(await findExistingWrite(searchset([doc('a', {}), doc('b', { identifier: [{ system: WRITE_ID_SYSTEM, value: writeId }] })]), writeId, hash), {
    status: 'found',
    resourceId: 'b',
    by: 'identifier',
  });
  assert.deepEqual(await findExistingWrite(searchset([doc('c', { content: [{ attachment: { contentType: 'text/plain;charset=utf-8', data: utf8ToBase64(text) } }] })]), writeId, hash), {
    status: 'found',
    resourceId: 'c',
    by: 'text',
  });
  const withoutId = 'A note whose closing line was trimmed by the server';
  assert.deepEqual(
    await findExistingWrite(searchset([doc('d', { content: [{ attachment: { contentType: 'text/plain', data: utf8ToBase64(withoutId) } }] })]), writeId, await sha256Hex(withoutId)),
    { status: 'found', resourceId: 'd', by: 'hash' },
  );
});

test('findExistingWrite: absent only when the whole searchset was read; otherwise inconclusive', async () => {
  const hash = await sha256Hex(text);
  assert.deepEqual(await findExistingWrite(searchset([doc('a', {}), doc('b', { identifier: [{ system: WRITE_ID_SYSTEM, value: 'someone-else' }] })]), writeId, hash), { status: 'absent' });
  assert.deepEqual(await findExistingWrite(searchset([]), writeId, hash), { status: 'absent' });
  assert.deepEqual(await findExistingWrite(searchset([doc('a', {})], true), writeId, hash), { status: 'inconclusive', reason: 'more-pages', attachmentUrls: [] });
  // Epic's read-back: the text moved behind Binary URLs in html and rtf.
  const epicReadBack = doc('e', { content: [{ attachment: { contentType: 'text/html', url: 'Binary/e34' } }, { attachment: { contentType: 'text/rtf', url: 'Binary/fbC' } }] });
  assert.deepEqual(await findExistingWrite(searchset([epicReadBack]), writeId, hash), { status: 'inconclusive', reason: 'unread-attachments', attachmentUrls: ['Binary/e34', 'Binary/fbC'] });
});
