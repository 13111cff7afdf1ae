import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Binary, Bundle, DocumentReference } from 'fhir/r4';
import { attest } from './attestation.ts';
import { utf8ToBase64 } from './encoding.ts';
import { WriteLedger } from './ledger.ts';
import { composeNoteDraft, renderNoteText } from './note.ts';
import { buildWrite, type PlannedWrite } from './profiles.ts';
import { MemoryStorage, sampleInsight } from './test-support.ts';
import { NoteWriter, parseRetryAfter, type TransportRequest, type TransportResponse, type WriteTransport } from './writer.ts';
import type { WriteProfile } from '../smart/config.ts';

type Fault =
  | { on: 'write' | 'read'; kind: 'status'; status: number; afterCommit?: boolean; retryAfter?: string; body?: unknown }
  | { on: 'write' | 'read'; kind: 'drop'; afterCommit?: boolean }
  | { on: 'write' | 'read'; kind: 'hang' };

/** An EHR in memory: stores notes the way the profile's EHR does and misbehaves on request. */
class FakeEhr implements WriteTransport {
  readonly notes: DocumentReference[] = [];
  readonly binaries = new Map<string, string>();
  readonly faults: Fault[] = [];
  readonly log: string[] = [];
  tokenValid = true;
  canRenew = true;
  #next = 1;

  constructor(readonly profile: WriteProfile) {}

  async reauthorize(): Promise<boolean> {
    if (this.canRenew) this.tokenValid = true;
    return this.canRenew;
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const isWrite = request.method === 'POST';
    this.log.push(`${request.method} ${request.url.split('?')[0] || '(base)'}`);
    if (!this.tokenValid) return { status: 401, headers: {}, body: undefined };
    const index = this.faults.findIndex((f) => f.on === (isWrite ? 'write' : 'read'));
    const fault = index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
    if (fault?.kind === 'hang') {
      return new Promise((_resolve, reject) => request.signal?.addEventListener('abort', () => reject(request.signal?.reason)));
    }
    if (fault && !fault.afterCommit) return fault.kind === 'drop' ? Promise.reject(new TypeError('Failed to fetch')) : this.#status(fault);
    const answer = isWrite ? this.#write(request) : this.#read(request.url);
    if (fault) return fault.kind === 'drop' ? Promise.reject(new TypeError('Failed to fetch')) : this.#status(fault);
    return answer;
  }

  #status(fault: Extract<Fault, { kind: 'status' }>): TransportResponse {
    return { status: fault.status, headers: fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}, body: fault.body ?? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] } };
  }

  #write(request: TransportRequest): TransportResponse {
    const id = `n${this.#next++}`;
    if (this.profile === 'standard') {
      const doc = structuredClone((request.body as Bundle).entry?.[0]?.resource as DocumentReference);
      this.notes.push({ ...doc, id });
      return { status: 200, headers: {}, body: { resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201 Created', location: `DocumentReference/${id}/_history/1` } }] } };
    }
    const doc = structuredClone(request.body as DocumentReference);
    if (this.profile === 'epic') {
      // Epic: its own identifier, the text moved behind Binary URLs, an empty create body.
      const text = Buffer.from(doc.content[0]?.attachment.data ?? '', 'base64').toString('utf8');
      this.binaries.set(`b${id}`, `<html><body><pre>${text}</pre></body></html>`);
      this.notes.push({ ...doc, id, identifier: [{ system: 'urn:oid:1.2.840.114350', value: id }], content: [{ attachment: { contentType: 'text/html', url: `Binary/b${id}` } }, { attachment: { contentType: 'text/rtf', url: `Binary/r${id}` } }] });
      return { status: 201, headers: { location: `https://ehr.example/api/FHIR/R4/DocumentReference/${id}` }, body: {} };
    }
    const { identifier: _identifier, meta: _meta, ...kept } = doc;
    this.notes.push({ ...kept, id });
    return { status: 201, headers: { location: `DocumentReference/${id}/_history/1` }, body: undefined };
  }

  #read(url: string): TransportResponse {
    if (url.startsWith('Binary/')) {
      const html = this.binaries.get(url.slice('Binary/'.length));
      if (html === undefined) return { status: 404, headers: {}, body: undefined };
      const binary: Binary = { resourceType: 'Binary', contentType: 'text/html', data: utf8ToBase64(html) };
      return { status: 200, headers: {}, body: binary };
    }
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: this.notes.map((resource) => ({ resource, search: { mode: 'match' } })) };
    return { status: 200, headers: {}, body: bundle };
  }
}

async function plan(profile: WriteProfile, writeId = crypto.randomUUID()): Promise<PlannedWrite> {
  const draft = composeNoteDraft({ insight: sampleInsight(), decisions: { accepted: [{ itemId: 'd1' }], rejected: [] }, noteType: '11506-3' });
  const signature = { clinicianName: 'Dr Ana Ruiz', fhirUser: 'Practitioner/pr1', attestedAt: new Date().toISOString(), writeId };
  const text = renderNoteText(draft, signature);
  return buildWrite(profile, { draft, text, attestation: await attest(text, signature), patientId: 'p1', encounterId: 'e1', period: { start: signature.attestedAt, end: signature.attestedAt } });
}

async function writerFor(ehr: FakeEhr, extra: { timeoutMs?: number; storage?: MemoryStorage } = {}) {
  const storage = extra.storage ?? new MemoryStorage();
  const ledger = await WriteLedger.open(storage, { fhirBase: 'https://ehr.example/fhir', patientId: 'p1', encounterId: 'e1' });
  const waits: number[] = [];
  const writer = new NoteWriter({
    transport: ehr,
    ledger,
    patientId: 'p1',
    encounterId: 'e1',
    timeoutMs: extra.timeoutMs ?? 1000,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { writer, ledger, waits, storage };
}

for (const profile of ['standard', 'epic', 'oracle'] as const) {
  test(`${profile}: a clean write is confirmed with the server's id after one POST`, async () => {
    const ehr = new FakeEhr(profile);
    const { writer, ledger } = await writerFor(ehr);
    const p = await plan(profile);
    const outcome = await writer.file(p);
    assert.equal(outcome.status, 'confirmed');
    assert.equal(outcome.status === 'confirmed' && outcome.resourceId, 'n1');
    assert.deepEqual(ehr.log, [profile === 'standard' ? 'POST (base)' : 'POST DocumentReference']);
    assert.equal(ledger.get(p.writeId)?.status, 'confirmed');
    // Filing the same write again sends nothing.
    assert.equal((await writer.file(p)).status, 'confirmed');
    assert.equal(ehr.log.length, 1);
  });

  test(`${profile}: a 500 after the server stored the note is settled by search, never re-posted`, async () => {
    const ehr = new FakeEhr(profile);
    ehr.faults.push({ on: 'write', kind: 'status', status: 500, afterCommit: true });
    const { writer } = await writerFor(ehr);
    const outcome = await writer.file(await plan(profile));
    assert.equal(outcome.status, 'confirmed');
    assert.equal(outcome.status === 'confirmed' && outcome.foundBy, 'search');
    assert.equal(ehr.notes.length, 1);
    assert.equal(ehr.log.filter((l) => l.startsWith('POST')).length, 1);
  });

  test(`${profile}: a connection dropped after commit is found; one dropped before commit is proven absent and sent again`, async () => {
    const ehr = new FakeEhr(profile);
    ehr.faults.push({ on: 'write', kind: 'drop', afterCommit: true });
    const { writer } = await writerFor(ehr);
    assert.equal((await writer.file(await plan(profile))).status, 'confirmed');
    assert.equal(ehr.notes.length, 1);

    ehr.faults.push({ on: 'write', kind: 'drop' });
    const second = await writer.file(await plan(profile));
    assert.equal(second.status, 'confirmed');
    assert.equal(ehr.notes.length, 2);
    assert.equal(ehr.log.filter((l) => l.startsWith('POST')).length, 3);
  });
}

test('a 503 with Retry-After waits that long, searches, then posts again once proven absent', async () => {
  const ehr = new FakeEhr('epic');
  ehr.faults.push({ on: 'write', kind: 'status', status: 503, retryAfter: '3' }, { on: 'write', kind: 'status', status: 429, retryAfter: '1' });
  const { writer, waits } = await writerFor(ehr);
  const outcome = await writer.file(await plan('epic'));
  assert.equal(outcome.status, 'confirmed');
  assert.equal(outcome.attempts, 3);
  assert.deepEqual(waits, [3000, 1000]);
  assert.deepEqual(ehr.log.filter((l) => !l.startsWith('GET Binary')), ['POST DocumentReference', 'GET DocumentReference', 'POST DocumentReference', 'GET DocumentReference', 'POST DocumentReference']);
  assert.equal(ehr.notes.length, 1);
});

test('without Retry-After the writer backs off exponentially and gives up after the last attempt with the draft kept', async () => {
  const ehr = new FakeEhr('oracle');
  for (let i = 0; i < 4; i++) ehr.faults.push({ on: 'write', kind: 'status', status: 502 });
  const { writer, waits, ledger } = await writerFor(ehr);
  const p = await plan('oracle');
  const outcome = await writer.file(p);
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.status === 'failed' && outcome.reason, 'proven-absent');
  assert.match(outcome.status === 'failed' ? outcome.message : '', /after 4 attempts.*draft is kept/);
  assert.deepEqual(waits, [500, 1000, 2000]);
  assert.equal(ehr.notes.length, 0);
  // Failed and proven absent: the clinician may file it again later under the same id.
  assert.equal(ledger.mayPost(p.writeId), true);
  assert.equal((await writer.file(p)).status, 'confirmed');
  assert.equal(ehr.notes.length, 1);
});

test('a Retry-After beyond the limit ends the attempts and says why', async () => {
  const ehr = new FakeEhr('standard');
  ehr.faults.push({ on: 'write', kind: 'status', status: 503, retryAfter: '120' });
  const { writer } = await writerFor(ehr);
  const outcome = await writer.file(await plan('standard'));
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.status === 'failed' ? outcome.message : '', /wait 120 s/);
  assert.equal(ehr.notes.length, 0);
});

test('a refusal (422) fails at once with the EHR’s own words, without a retry', async () => {
  const ehr = new FakeEhr('oracle');
  ehr.faults.push({ on: 'write', kind: 'status', status: 422, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'business-rule', details: { text: 'context.period.end is required' } }] } });
  const { writer, ledger } = await writerFor(ehr);
  const p = await plan('oracle');
  const outcome = await writer.file(p);
  assert.equal(outcome.status, 'failed');
  assert.equal(outcome.status === 'failed' && outcome.httpStatus, 422);
  assert.match(outcome.status === 'failed' ? outcome.message : '', /refused the note \(HTTP 422\)\. It said: context\.period\.end is required/);
  assert.deepEqual(ehr.log, ['POST DocumentReference']);
  assert.deepEqual(ledger.get(p.writeId)?.failure, { kind: 'rejected', httpStatus: 422 });
});

test('an expired token mid-write is renewed once and the POST repeated; when it cannot be renewed the clinician is told to relaunch', async () => {
  const ehr = new FakeEhr('standard');
  ehr.tokenValid = false;
  const { writer } = await writerFor(ehr);
  assert.equal((await writer.file(await plan('standard'))).status, 'confirmed');
  assert.deepEqual(ehr.log, ['POST (base)', 'POST (base)']);

  ehr.tokenValid = false;
  ehr.canRenew = false;
  const p = await plan('standard');
  const outcome = await writer.file(p);
  assert.equal(outcome.status, 'needs-relaunch');
  assert.match(outcome.status === 'needs-relaunch' ? outcome.message : '', /draft is kept/);
  assert.equal(ehr.notes.length, 1);
  // After a relaunch (a fresh token) the same attested note files once.
  ehr.tokenValid = true;
  assert.equal((await writer.file(p)).status, 'confirmed');
  assert.equal(ehr.notes.length, 2);
});

test('when neither the POST nor the search gets an answer the write is unconfirmed, and the next search settles it', async () => {
  const ehr = new FakeEhr('epic');
  ehr.faults.push({ on: 'write', kind: 'drop', afterCommit: true }, { on: 'read', kind: 'status', status: 503 });
  const { writer, ledger, storage } = await writerFor(ehr);
  const p = await plan('epic');
  const outcome = await writer.file(p);
  assert.equal(outcome.status, 'unconfirmed');
  assert.match(outcome.status === 'unconfirmed' ? outcome.message : '', /check the chart/);
  assert.equal(ledger.get(p.writeId)?.status, 'unconfirmed');
  assert.equal(ehr.notes.length, 1);

  // A reload: a new writer over the same storage settles it by search (found behind the Binary URL).
  const again = await writerFor(ehr, { storage });
  const settled = await again.writer.settle(p.writeId);
  assert.equal(settled?.status, 'confirmed');
  assert.equal(settled?.status === 'confirmed' && settled.resourceId, 'n1');
  assert.ok(ehr.log.includes('GET Binary/bn1'));
  assert.equal(ehr.log.filter((l) => l.startsWith('POST')).length, 1);
});

test('a request that never answers times out and counts as unconfirmed, not failed', async () => {
  const ehr = new FakeEhr('oracle');
  ehr.faults.push({ on: 'write', kind: 'hang' });
  const { writer } = await writerFor(ehr, { timeoutMs: 50 });
  const outcome = await writer.file(await plan('oracle'));
  // The hang stored nothing, so the search proves it absent and the second POST lands.
  assert.equal(outcome.status, 'confirmed');
  assert.equal(ehr.notes.length, 1);
  assert.deepEqual(ehr.log, ['POST DocumentReference', 'GET DocumentReference', 'POST DocumentReference']);
});

test('a write interrupted by the page going away is settled before anything is sent again', async () => {
  const ehr = new FakeEhr('standard');
  ehr.faults.push({ on: 'write', kind: 'hang' });
  const { writer, ledger, storage } = await writerFor(ehr, { timeoutMs: 10_000 });
  const p = await plan('standard');
  const abort = new AbortController();
  const filing = writer.file(p, abort.signal);
  setTimeout(() => abort.abort(new Error('page closed')), 20);
  await assert.rejects(filing, /page closed/);
  assert.equal(ledger.get(p.writeId)?.status, 'pending');
  assert.equal(ledger.mayPost(p.writeId), false);

  const again = await writerFor(ehr, { storage });
  assert.equal((await again.writer.file(p)).status, 'confirmed');
  assert.deepEqual(ehr.log, ['POST (base)', 'GET DocumentReference', 'POST (base)']);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('7'), 7000);
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', Date.parse('2026-11-25T10:00:00Z')), 5000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});
