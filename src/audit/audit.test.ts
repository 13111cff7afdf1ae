import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent } from 'fhir/r4';
import { AuditBuffer } from './buffer.ts';
import {
  modelDisclosureEvent,
  noteWriteFailedEvent,
  noteWriteUnconfirmedEvent,
  noteWrittenEvent,
  suggestionAcceptedEvent,
  suggestionRejectedEvent,
  suggestionsShownEvent,
} from './events.ts';
import type { AuditContext } from './events.ts';
import { MemoryStorage, fhirErrors } from '../writeback/test-support.ts';

const context: AuditContext = {
  clinician: 'Practitioner/pr1',
  model: { provider: 'azure-foundry', name: 'gpt-clinical', version: '2026-03-01', builtIn: false },
  patientId: 'p1',
  encounterId: 'e1',
  recorded: '2026-05-01T10:30:00.000Z',
};
const hash = 'ab'.repeat(32);

function allEvents(): Record<string, AuditEvent> {
  return {
    disclosure: modelDisclosureEvent(context, { tokens: 1834, sha256: hash, insightId: 'ins-1' }),
    shown: suggestionsShownEvent(context, { insightId: 'ins-1', itemIds: ['d1', 'd2'] }),
    accepted: suggestionAcceptedEvent(context, { insightId: 'ins-1', itemId: 'd1' }),
    rejected: suggestionRejectedEvent(context, { insightId: 'ins-1', itemId: 'd2', overrideReason: { code: 'not-relevant', display: 'Not relevant to this patient' } }),
    written: noteWrittenEvent(context, { writeId: 'w1', contentHash: hash, documentReference: 'DocumentReference/doc-77' }),
    failed: noteWriteFailedEvent(context, { writeId: 'w1', contentHash: hash, httpStatus: 422 }),
    unconfirmed: noteWriteUnconfirmedEvent(context, { writeId: 'w1', contentHash: hash }),
  };
}

test('every audit event is valid FHIR R4 and carries the clinician as requestor and the model by name and version', async () => {
  for (const [name, event] of Object.entries(allEvents())) {
    assert.deepEqual(await fhirErrors(event), [], name);
    assert.equal(event.recorded, context.recorded);
    assert.deepEqual(event.agent[0], { who: { reference: 'Practitioner/pr1' }, requestor: true }, name);
    assert.equal(event.agent[1]?.who?.display, 'gpt-clinical 2026-03-01');
    assert.equal(event.agent[1]?.requestor, false);
    assert.deepEqual(event.entity?.[0]?.what, { reference: 'Patient/p1' });
    assert.equal(event.subtype?.[0]?.system, 'urn:curbside:audit-action');
  }
});

test('types, subtypes, actions and outcomes per event', () => {
  const summary = Object.fromEntries(Object.entries(allEvents()).map(([k, e]) => [k, [e.type.code, e.subtype?.[0]?.code, e.action, e.outcome]]));
  assert.deepEqual(summary, {
    disclosure: ['110106', 'model-disclosure', 'R', '0'],
    shown: ['110110', 'suggestions-shown', 'R', '0'],
    accepted: ['110110', 'suggestion-accepted', 'E', '0'],
    rejected: ['110110', 'suggestion-rejected', 'E', '0'],
    written: ['110110', 'note-written', 'C', '0'],
    failed: ['110110', 'note-write-failed', 'C', '8'],
    unconfirmed: ['110110', 'note-write-unconfirmed', 'C', '4'],
  });
  const events = allEvents();
  const detail = (e: AuditEvent) => Object.fromEntries((e.entity?.at(-1)?.detail ?? []).map((d) => [d.type, d.valueString]));
  assert.deepEqual(detail(events.disclosure!), { payloadTokens: '1834', payloadSha256: hash });
  assert.equal(events.disclosure!.agent[1]?.type?.coding?.[0]?.code, '110152');
  assert.deepEqual(detail(events.rejected!), { itemId: 'd2', 'overrideReason.code': 'not-relevant', 'overrideReason.display': 'Not relevant to this patient' });
  assert.deepEqual(events.written!.entity?.at(-1)?.what, { reference: 'DocumentReference/doc-77', identifier: { system: 'urn:curbside:write-id', value: 'w1' } });
  assert.equal(events.failed!.outcomeDesc, 'HTTP 422');
});

test('audit events hold references only: no patient name, identifier, payload or note text', () => {
  // What the chart knows about the patient and what was sent; none of it may appear in an event.
  const secrets = ['Jane', 'Doe', 'MRN', '555-12-3456', 'Breathless', 'HFrEF', 'Heart failure'];
  for (const [name, event] of Object.entries(allEvents())) {
    const json = JSON.stringify(event);
    for (const secret of secrets) assert.ok(!json.includes(secret), `${name} contains ${secret}`);
  }
  const rejected = JSON.stringify(suggestionRejectedEvent(context, { insightId: 'i', itemId: 'd', overrideReason: { code: 'other', display: 'Other' } }));
  assert.ok(!rejected.includes('comment'));
});

test('the buffer keeps events across a reload and keeps what failed to send', async () => {
  const storage = new MemoryStorage();
  const events = Object.values(allEvents());
  const before = new AuditBuffer(storage);
  for (const event of events) before.add(event);

  const after = new AuditBuffer(storage);
  assert.equal(after.size, events.length);
  const received: AuditEvent[] = [];
  const failing = new Set(['suggestion-rejected', 'note-write-failed']);
  const result = await after.drain(async (event) => {
    if (failing.has(event.subtype?.[0]?.code ?? '')) throw new Error('503');
    received.push(event);
  });
  assert.deepEqual(result, { sent: events.length - 2, kept: 2 });
  assert.deepEqual(new AuditBuffer(storage).pending().map((e) => e.subtype?.[0]?.code), ['suggestion-rejected', 'note-write-failed']);

  const again = await new AuditBuffer(storage).drain(async (event) => void received.push(event));
  assert.deepEqual(again, { sent: 2, kept: 0 });
  assert.equal(received.length, events.length);
  assert.equal(storage.map.size, 0);
});

test('overlapping drains send each event once', async () => {
  const storage = new MemoryStorage();
  const buffer = new AuditBuffer(storage);
  buffer.add(allEvents().accepted!);
  let calls = 0;
  const sender = async () => {
    calls += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const [a, b] = await Promise.all([buffer.drain(sender), buffer.drain(sender)]);
  assert.equal(calls, 1);
  assert.deepEqual(a, b);
});
