import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DraftStore } from './draft-store.ts';
import { composeNoteDraft, confirmSection, editSection } from './note.ts';
import { MemoryStorage, sampleInsight } from './test-support.ts';

const scope = { fhirBase: 'https://ehr.example/fhir/', patientId: 'p1', encounterId: 'e1' };
const now = () => new Date('2026-05-01T10:15:00.000Z');

function draft() {
  const composed = composeNoteDraft({ insight: sampleInsight(), decisions: { accepted: [{ itemId: 'd1' }], rejected: [] }, clinicianText: 'Breathless.', noteType: '11488-4' });
  return editSection(confirmSection(composed, 'assessment'), 'evidence', '');
}

test('the key is a hash of base, patient and encounter, never the ids themselves', async () => {
  const storage = new MemoryStorage();
  const store = await DraftStore.open(storage, scope);
  const expected = createHash('sha256').update(JSON.stringify(['https://ehr.example/fhir', 'p1', 'e1'])).digest('hex');
  assert.equal(store.storageKey, `curbside.draft.${expected}`);
  store.save({ draft: draft(), clinicianText: 'Breathless.', noteType: '11488-4' });
  const [key] = storage.map.keys();
  assert.ok(!key!.includes('p1') && !key!.includes('e1') && !key!.includes('ehr.example'));
  assert.equal((await DraftStore.open(storage, { ...scope, fhirBase: 'https://ehr.example/fhir' })).storageKey, store.storageKey);
  assert.notEqual((await DraftStore.open(storage, { ...scope, encounterId: 'e2' })).storageKey, store.storageKey);
  assert.notEqual((await DraftStore.open(storage, { fhirBase: scope.fhirBase, patientId: 'p2', encounterId: 'e1' })).storageKey, store.storageKey);
});

test('save then load on a fresh store returns the same draft, own words as typed and note type', async () => {
  const storage = new MemoryStorage();
  const saved = (await DraftStore.open(storage, scope, { now })).save({ draft: draft(), clinicianText: 'Breathless.\n', noteType: '11488-4' });
  assert.equal(saved.savedAt, '2026-05-01T10:15:00.000Z');
  const loaded = (await DraftStore.open(storage, scope)).load();
  assert.deepEqual(loaded, { draft: draft(), clinicianText: 'Breathless.\n', noteType: '11488-4', savedAt: '2026-05-01T10:15:00.000Z' });
  assert.deepEqual(loaded?.draft?.removed, ['evidence']);
});

test('own words alone can be saved before any draft exists', async () => {
  const store = await DraftStore.open(new MemoryStorage(), scope, { now });
  store.save({ clinicianText: 'Seen in clinic.', noteType: '11506-3' });
  assert.deepEqual(store.load(), { clinicianText: 'Seen in clinic.', noteType: '11506-3', savedAt: '2026-05-01T10:15:00.000Z' });
});

test('clear removes the draft; nothing saved loads as undefined', async () => {
  const storage = new MemoryStorage();
  const store = await DraftStore.open(storage, scope);
  assert.equal(store.load(), undefined);
  store.save({ draft: draft(), clinicianText: '', noteType: '11506-3' });
  store.clear();
  assert.equal(store.load(), undefined);
  assert.equal(storage.map.size, 0);
});

test('malformed or tampered stored values read as absent', async () => {
  const storage = new MemoryStorage();
  const store = await DraftStore.open(storage, scope);
  const good = { format: 1, draft: draft(), clinicianText: '', noteType: '11506-3', savedAt: '2026-05-01T10:15:00.000Z' };
  const section = good.draft.sections[0]!;
  const bad: unknown[] = [
    '{not json',
    'null',
    '[]',
    JSON.stringify({ ...good, format: 2 }),
    JSON.stringify({ ...good, noteType: '00000-0' }),
    JSON.stringify({ ...good, clinicianText: 3 }),
    JSON.stringify({ ...good, draft: { ...good.draft, sections: 'x' } }),
    JSON.stringify({ ...good, draft: { ...good.draft, sections: [{ ...section, reviewed: undefined }] } }),
    JSON.stringify({ ...good, draft: { ...good.draft, sections: [{ ...section, id: 'signature' }] } }),
    JSON.stringify({ ...good, draft: { ...good.draft, sections: [section, section] } }),
    JSON.stringify({ ...good, draft: { ...good.draft, sections: [{ ...section, lines: [1] }] } }),
    JSON.stringify({ ...good, draft: { ...good.draft, noteType: { ...good.draft.noteType, display: 'Discharge summary' } } }),
    JSON.stringify({ ...good, draft: { ...good.draft, model: { name: 'x' } } }),
    JSON.stringify({ ...good, draft: { ...good.draft, removed: ['nowhere'] } }),
  ];
  for (const value of bad) {
    storage.setItem(store.storageKey, value as string);
    assert.equal(store.load(), undefined, String(value).slice(0, 80));
  }
  storage.setItem(store.storageKey, JSON.stringify(good));
  assert.deepEqual(store.load()?.draft, draft());
});

test('localStorage is refused: a draft must not outlive the tab', async () => {
  const scopeGlobal = globalThis as { localStorage?: unknown };
  const fake = new MemoryStorage();
  const had = Object.hasOwn(scopeGlobal, 'localStorage');
  const previous = scopeGlobal.localStorage;
  scopeGlobal.localStorage = fake;
  try {
    await assert.rejects(DraftStore.open(fake, scope), /sessionStorage/);
    await DraftStore.open(new MemoryStorage(), scope);
  } finally {
    if (had) scopeGlobal.localStorage = previous;
    else delete scopeGlobal.localStorage;
  }
});
