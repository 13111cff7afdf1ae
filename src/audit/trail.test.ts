import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEvent } from 'fhir/r4';
import { AuditBuffer } from './buffer.ts';
import { suggestionAcceptedEvent } from './events.ts';
import { AuditTrail, auditSender } from './trail.ts';
import { MemoryStorage } from '../writeback/test-support.ts';

const event = (itemId: string): AuditEvent =>
  suggestionAcceptedEvent({ clinician: 'Practitioner/pr1', model: { provider: 'reference-engine', name: 'm', version: '1', builtIn: true }, patientId: 'p1' }, { insightId: 'ins-1', itemId });

function sinkFetch(statuses: number[], seen: Array<{ url: string; init: RequestInit | undefined }>): typeof fetch {
  return (async (url: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(url), init });
    const status = statuses.shift() ?? 202;
    if (status === 0) throw new TypeError('Failed to fetch');
    return new Response(null, { status });
  }) as typeof fetch;
}

test('events go to the EHR while it accepts them', async () => {
  const storage = new MemoryStorage();
  const sent: string[] = [];
  const trail = new AuditTrail(new AuditBuffer(storage), auditSender({ ehr: async (e) => (sent.push(e.entity?.at(-1)?.detail?.[0]?.valueString ?? ''), 201) }));
  assert.deepEqual(await trail.record(event('d1')), { sent: 1, kept: 0 });
  await trail.record(event('d2'));
  assert.deepEqual(sent, ['d1', 'd2']);
  assert.equal(trail.waiting, 0);
});

test('an EHR that refuses AuditEvents hands them to the sink, without the access token or credentials', async () => {
  const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
  let ehrCalls = 0;
  const trail = new AuditTrail(
    new AuditBuffer(new MemoryStorage()),
    auditSender({ ehr: async () => (ehrCalls++, 405), sink: 'https://audit.example/events', fetch: sinkFetch([], seen) }),
  );
  await trail.record(event('d1'));
  await trail.record(event('d2'));
  assert.equal(ehrCalls, 1, 'after one refusal the EHR is not asked again');
  assert.deepEqual(seen.map((s) => s.url), ['https://audit.example/events', 'https://audit.example/events']);
  for (const { init } of seen) {
    assert.equal(init?.credentials, 'omit');
    assert.equal(new Headers(init?.headers).get('authorization'), null);
    assert.equal((JSON.parse(String(init?.body)) as AuditEvent).resourceType, 'AuditEvent');
  }
});

test('undeliverable events stay buffered across a reload and go out, in order, once delivery works', async () => {
  const storage = new MemoryStorage();
  const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
  const first = new AuditTrail(new AuditBuffer(storage), auditSender({ ehr: async () => 503, sink: 'https://audit.example/e', fetch: sinkFetch([], seen) }));
  assert.deepEqual(await first.record(event('d1')), { sent: 0, kept: 1 });
  assert.deepEqual(await first.record(event('d2')), { sent: 0, kept: 2 });
  assert.equal(seen.length, 0, 'a 503 is not a refusal: the sink is not used');

  const offlineSink = new AuditTrail(new AuditBuffer(storage), auditSender({ sink: 'https://audit.example/e', fetch: sinkFetch([0, 500], seen) }));
  assert.deepEqual(await offlineSink.flush(), { sent: 0, kept: 2 });

  const reloaded = new AuditTrail(new AuditBuffer(storage), auditSender({ sink: 'https://audit.example/e', fetch: sinkFetch([], seen) }));
  assert.deepEqual(await reloaded.flush(), { sent: 2, kept: 0 });
  const items = seen.slice(-2).map((s) => (JSON.parse(String(s.init?.body)) as AuditEvent).entity?.at(-1)?.detail?.[0]?.valueString);
  assert.deepEqual(items, ['d1', 'd2']);
});

test('with no EHR route and no sink, events wait and nothing is thrown at the caller', async () => {
  const trail = new AuditTrail(new AuditBuffer(new MemoryStorage()), auditSender({}));
  assert.deepEqual(await trail.record(event('d1')), { sent: 0, kept: 1 });
});
