/**
 * Chaos: 200 attested notes per write profile filed through Curbside's real filing service, over
 * real HTTP, against the sandbox EHR emulating that profile, while it injects 5xx and 429 answers
 * (with and without Retry-After), timeouts, connections dropped before and after the server
 * stored the note, refusals, and token expiry at each step (the POST, the search, the Binary
 * read). Afterwards the server must hold exactly one copy of every note reported written, none of
 * any reported failed, and the next search must settle every unconfirmed one: 0 lost, 0 doubled.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Binary, DocumentReference } from 'fhir/r4';
import { startSandbox, type Sandbox } from '../../launch/sandbox/server.ts';
import type { Fault } from '../../launch/sandbox/faults.ts';
import { attest } from '../../src/writeback/attestation.ts';
import { base64ToUtf8 } from '../../src/writeback/encoding.ts';
import { NoteFiling } from '../../src/writeback/filing.ts';
import { composeNoteDraft, renderNoteText } from '../../src/writeback/note.ts';
import { MemoryStorage, sampleInsight } from '../../src/writeback/test-support.ts';
import type { WriteOutcome } from '../../src/writeback/writer.ts';
import type { WriteProfile } from '../../src/smart/config.ts';
import { smartLaunch } from '../support/smart-session.ts';

const WRITES = 200;
const TIMEOUT_MS = 400;

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({ quiet: true, largePatientObservations: 200, loadSynthea: false });
});
after(() => sandbox?.close());

/** What goes wrong for one write. Read faults are spent by the searches that settle it, in order. */
type Scenario = { readonly name: string; readonly faults: readonly Fault[]; readonly profiles?: readonly WriteProfile[] };

const SCENARIOS: readonly Scenario[] = [
  { name: 'clean', faults: [] },
  { name: '500 before storing', faults: [{ on: 'write', kind: 'status', status: 500 }] },
  { name: '503 Retry-After 1 s', faults: [{ on: 'write', kind: 'status', status: 503, retryAfterSeconds: 1 }] },
  { name: '429 Retry-After 2 s', faults: [{ on: 'write', kind: 'status', status: 429, retryAfterSeconds: 2 }] },
  { name: '500 after storing', faults: [{ on: 'write', kind: 'status', status: 500, afterCommit: true }] },
  { name: '504 after storing', faults: [{ on: 'write', kind: 'status', status: 504, afterCommit: true }] },
  { name: 'connection dropped before storing', faults: [{ on: 'write', kind: 'drop' }] },
  { name: 'connection dropped after storing', faults: [{ on: 'write', kind: 'drop', afterCommit: true }] },
  { name: 'timeout (stored, answer too late)', faults: [{ on: 'write', kind: 'delay', ms: TIMEOUT_MS * 2 }] },
  { name: 'token expired at the POST', faults: [{ on: 'write', kind: 'expire-token' }] },
  { name: 'token expired at the search', faults: [{ on: 'write', kind: 'status', status: 502, afterCommit: true }, { on: 'read', kind: 'expire-token' }] },
  {
    name: 'token expired at the Binary read',
    profiles: ['epic'],
    faults: [{ on: 'write', kind: 'drop', afterCommit: true }, { on: 'read', kind: 'delay', ms: 0 }, { on: 'read', kind: 'expire-token' }],
  },
  { name: 'stored, answer lost, search fails (unconfirmed)', faults: [{ on: 'write', kind: 'drop', afterCommit: true }, { on: 'read', kind: 'status', status: 503 }] },
  { name: 'not stored, answer lost, search dropped (unconfirmed)', faults: [{ on: 'write', kind: 'drop' }, { on: 'read', kind: 'drop' }] },
  { name: 'four 503s in a row (failed, proven absent)', faults: Array.from({ length: 4 }, () => ({ on: 'write' as const, kind: 'status' as const, status: 503 })) },
  { name: 'refused 422 (failed)', faults: [{ on: 'write', kind: 'status', status: 422 }] },
  {
    name: 'token expiry, 503, then a drop after storing',
    faults: [{ on: 'write', kind: 'expire-token' }, { on: 'write', kind: 'status', status: 503 }, { on: 'write', kind: 'drop', afterCommit: true }],
  },
];

/** A small deterministic generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
}

async function serverCopies(patientId: string): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  const notes = await sandbox.fhir.searchUnchecked<DocumentReference>('DocumentReference', `patient=${patientId}&_count=1000`);
  for (const note of notes) {
    let text: string | undefined;
    for (const { attachment } of note.content ?? []) {
      if (attachment.data) text = base64ToUtf8(attachment.data);
      else if (attachment.url?.startsWith('Binary/')) {
        const binary = await sandbox.fhir.readUnchecked<Binary>('Binary', attachment.url.slice('Binary/'.length));
        text = binary?.data ? base64ToUtf8(binary.data) : undefined;
      }
      if (text) break;
    }
    const writeId = /write id ([0-9a-f-]{36})/.exec(text ?? '')?.[1];
    if (writeId) copies.set(writeId, (copies.get(writeId) ?? 0) + 1);
  }
  return copies;
}

const PATIENT_FOR: Record<WriteProfile, number> = { standard: 0, epic: 1, oracle: 2 };

for (const profile of ['standard', 'epic', 'oracle'] as const) {
  test(`chaos (${profile}): ${WRITES} writes under injected faults — 0 lost, 0 duplicates`, { timeout: 240_000 }, async () => {
    sandbox.settings.writeProfile = profile;
    sandbox.faults.clear();
    const patient = sandbox.patients.filter((p) => p.source === 'synthetic' && p.encounterId)[PATIENT_FOR[profile]];
    assert.ok(patient, 'a synthetic patient with an encounter');
    const session = await smartLaunch(sandbox, patient.id);
    assert.ok(session.fhirUser, 'the launch names the clinician');
    const waits: number[] = [];
    const filing = await NoteFiling.open({
      context: { fhirBase: sandbox.fhirBase, patientId: session.patientId, ...(session.encounterId ? { encounterId: session.encounterId } : {}), fhirUser: session.fhirUser },
      profile,
      transport: session,
      storage: new MemoryStorage(),
      writer: {
        timeoutMs: TIMEOUT_MS,
        // Retry-After and backoff are honoured as asked; the test waits a fiftieth of it.
        sleep: (ms) => {
          waits.push(ms);
          return new Promise((r) => setTimeout(r, ms / 50));
        },
      },
    });
    const scenarios = SCENARIOS.filter((s) => !s.profiles || s.profiles.includes(profile));
    const next = random(0xc0ffee + PATIENT_FOR[profile]);
    const results: Array<{ scenario: string; outcome: WriteOutcome }> = [];

    for (let i = 0; i < WRITES; i++) {
      // Every scenario at least once, then a random mix.
      const scenario = i < scenarios.length ? scenarios[i]! : scenarios[Math.floor(next() * scenarios.length)]!;
      sandbox.faults.clear();
      sandbox.faults.push(...scenario.faults);
      const draft = composeNoteDraft({
        insight: sampleInsight(),
        decisions: { accepted: [{ itemId: 'd1' }], rejected: [] },
        clinicianText: `Chaos note ${i} (${scenario.name}).`,
        noteType: '11506-3',
      });
      const signature = { clinicianName: 'Dr Chaos Test', fhirUser: session.fhirUser!, attestedAt: new Date().toISOString(), writeId: crypto.randomUUID() };
      const text = renderNoteText(draft, signature);
      const outcome = await filing.file({ draft, text, attestation: await attest(text, signature) });
      results.push({ scenario: scenario.name, outcome });
    }
    sandbox.faults.clear();
    // Answers the timeouts held back arrive before the count.
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 2));

    const unconfirmed = results.filter((r) => r.outcome.status === 'unconfirmed' || r.outcome.status === 'needs-relaunch');
    const settled: WriteOutcome[] = [];
    for (const r of unconfirmed) {
      const outcome = await filing.check(r.outcome.writeId);
      assert.ok(outcome, 'the ledger knows every write');
      settled.push(outcome);
    }

    const copies = await serverCopies(session.patientId);
    const counts = { confirmed: 0, failed: 0, unconfirmed: unconfirmed.length, resolvedConfirmed: 0, resolvedFailed: 0, stillUnknown: 0, lost: 0, duplicates: 0, orphans: 0 };
    const finalOutcome = new Map(results.map((r) => [r.outcome.writeId, r.outcome]));
    for (const s of settled) finalOutcome.set(s.writeId, s);
    for (const r of results) {
      if (r.outcome.status === 'confirmed') counts.confirmed++;
      if (r.outcome.status === 'failed') counts.failed++;
    }
    for (const s of settled) {
      if (s.status === 'confirmed') counts.resolvedConfirmed++;
      else if (s.status === 'failed') counts.resolvedFailed++;
      else counts.stillUnknown++;
    }
    for (const [writeId, outcome] of finalOutcome) {
      const n = copies.get(writeId) ?? 0;
      if (n > 1) counts.duplicates++;
      if (outcome.status === 'confirmed' && n === 0) counts.lost++;
      if (outcome.status === 'failed' && n > 0) counts.orphans++;
    }
    for (const writeId of copies.keys()) assert.ok(finalOutcome.has(writeId), 'every note on the server is one Curbside filed');

    console.log(
      `chaos ${profile}: ${WRITES} writes — written ${counts.confirmed}, failed ${counts.failed}, unconfirmed ${counts.unconfirmed} ` +
        `(next search: ${counts.resolvedConfirmed} found, ${counts.resolvedFailed} proven absent, ${counts.stillUnknown} still unknown); ` +
        `server: lost ${counts.lost}, duplicates ${counts.duplicates}, stored though reported failed ${counts.orphans}; ` +
        `waits asked ${waits.length} (longest ${Math.max(0, ...waits)} ms)`,
    );
    assert.equal(counts.lost, 0, 'every note reported written is on the server');
    assert.equal(counts.duplicates, 0, 'no note is on the server twice');
    assert.equal(counts.orphans, 0, 'no note reported failed is on the server');
    assert.equal(counts.stillUnknown, 0, 'the next search settles every unconfirmed write');
    // The run really exercised each path.
    assert.ok(counts.unconfirmed > 0 && counts.failed > 0 && counts.confirmed > WRITES / 2, JSON.stringify(counts));
    for (const s of scenarios) assert.ok(results.some((r) => r.scenario === s.name));
    assert.ok(waits.includes(2000) && waits.includes(1000), 'Retry-After of 1 s and 2 s were honoured');
    assert.equal(copies.size, [...finalOutcome.values()].filter((o) => o.status === 'confirmed').length);
  });
}

test('a write profile the EHR does not support is explained before anything is sent, and the draft is kept', async () => {
  sandbox.settings.writeProfile = 'epic';
  sandbox.faults.clear();
  const patient = sandbox.patients.filter((p) => p.source === 'synthetic' && p.encounterId)[3];
  assert.ok(patient);
  const session = await smartLaunch(sandbox, patient.id);
  const filing = await NoteFiling.open({
    context: { fhirBase: sandbox.fhirBase, patientId: session.patientId, ...(session.encounterId ? { encounterId: session.encounterId } : {}), fhirUser: session.fhirUser },
    profile: 'standard',
    transport: session,
    storage: new MemoryStorage(),
  });
  const draft = composeNoteDraft({ insight: sampleInsight(), decisions: { accepted: [{ itemId: 'd1' }], rejected: [] }, noteType: '11506-3' });
  const signature = { clinicianName: 'Dr Chaos Test', fhirUser: session.fhirUser!, attestedAt: new Date().toISOString(), writeId: crypto.randomUUID() };
  const text = renderNoteText(draft, signature);
  const outcome = await filing.file({ draft, text, attestation: await attest(text, signature) });
  assert.equal(outcome.status, 'failed');
  assert.match(outcome.status === 'failed' ? outcome.message : '', /write profile "standard".*transactions.*draft is kept/s);
  assert.deepEqual(session.sent.map((r) => r.method), ['GET'], 'only the CapabilityStatement was read');
  sandbox.settings.writeProfile = 'standard';
});
