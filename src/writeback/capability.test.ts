import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CapabilityStatement } from 'fhir/r4';
import { checkWriteProfile } from './capability.ts';

const capability = (system: string[], creates: string[]): CapabilityStatement => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2026-01-01',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  rest: [
    {
      mode: 'server',
      interaction: system.map((code) => ({ code: code as 'transaction' })),
      resource: (['DocumentReference', 'Provenance', 'Device', 'Patient'] as const).map((type) => ({
        type,
        interaction: [{ code: 'read' as const }, ...(creates.includes(type) ? [{ code: 'create' as const }] : [])],
      })),
    },
  ],
});

test('the standard profile needs transactions and creates of DocumentReference, Provenance and Device', () => {
  assert.deepEqual(checkWriteProfile('standard', capability(['transaction'], ['DocumentReference', 'Provenance', 'Device'])), { ok: true, problems: [] });
  const missing = checkWriteProfile('standard', capability([], ['DocumentReference']));
  assert.equal(missing.ok, false);
  assert.equal(missing.problems.length, 3);
  assert.match(missing.problems.join(' '), /transactions.*Provenance.*Device/s);
});

test('the epic and oracle profiles need only DocumentReference create', () => {
  for (const profile of ['epic', 'oracle'] as const) {
    assert.equal(checkWriteProfile(profile, capability([], ['DocumentReference'])).ok, true);
    assert.match(checkWriteProfile(profile, capability(['transaction'], ['Provenance'])).problems[0] ?? '', /DocumentReference/);
  }
});

const EPIC = fileURLToPath(new URL('../../../shared/fixtures/vendors/epic/CapabilityStatement-2026-05-11.json', import.meta.url));
const ORACLE = fileURLToPath(new URL('../../../shared/fixtures/vendors/cerner/CapabilityStatement-2026-05-11.json', import.meta.url));

test("Epic's recorded CapabilityStatement takes an epic-profile note but not the standard transaction", { skip: !existsSync(EPIC) && 'vendor fixtures absent' }, () => {
  const raw = JSON.parse(readFileSync(EPIC, 'utf8')) as { body?: CapabilityStatement } & CapabilityStatement;
  const statement = raw.body ?? raw;
  assert.equal(checkWriteProfile('epic', statement).ok, true);
  assert.equal(checkWriteProfile('standard', statement).ok, false);
});

test("Oracle's open-tier CapabilityStatement lists no creates at all, so no profile can file there", { skip: !existsSync(ORACLE) && 'vendor fixtures absent' }, () => {
  const raw = JSON.parse(readFileSync(ORACLE, 'utf8')) as { body?: CapabilityStatement } & CapabilityStatement;
  const statement = raw.body ?? raw;
  assert.match(checkWriteProfile('oracle', statement).problems.join(' '), /DocumentReference/);
});
