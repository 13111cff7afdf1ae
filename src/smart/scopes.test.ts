import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseResourceScope, scopeGrant } from './scopes.ts';

const vendorDir = fileURLToPath(new URL('../../../shared/fixtures/vendors/', import.meta.url));
const vendorSkip = existsSync(vendorDir) ? {} : { skip: 'vendor fixtures absent' };

test('parses v2 scopes with their permissions and constraints', () => {
  const scope = parseResourceScope('patient/Observation.rs?category=laboratory');
  assert.ok(scope);
  assert.equal(scope.context, 'patient');
  assert.equal(scope.resourceType, 'Observation');
  assert.deepEqual([...scope.permissions].sort(), ['r', 's']);
  assert.deepEqual(scope.constraints, [['category', 'laboratory']]);
});

test('maps v1 read, write and * to v2 permissions', () => {
  assert.deepEqual([...parseResourceScope('user/Condition.read')!.permissions].sort(), ['r', 's']);
  assert.deepEqual([...parseResourceScope('patient/*.write')!.permissions].sort(), ['c', 'd', 'u']);
  assert.deepEqual([...parseResourceScope('patient/*.*')!.permissions].sort(), ['c', 'd', 'r', 's', 'u']);
});

test('ignores non-resource and malformed scopes', () => {
  for (const raw of ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'patient/Observation.sr', 'patient/Observation.', 'clinic/Observation.rs', 'patient/Obs-ervation.rs']) {
    assert.equal(parseResourceScope(raw), undefined, raw);
  }
});

test('an empty grant is unknown and allows everything', () => {
  const grant = scopeGrant([]);
  assert.equal(grant.known, false);
  assert.equal(grant.allows('MedicationRequest', 's'), true);
});

test('a grant without the type refuses it', () => {
  const grant = scopeGrant(['openid', 'launch', 'patient/Patient.r', 'patient/Observation.rs']);
  assert.equal(grant.known, true);
  assert.equal(grant.allows('Observation', 's', [['category', 'vital-signs']]), true);
  assert.equal(grant.allows('MedicationRequest', 's'), false);
  assert.equal(grant.allows('Patient', 'r'), true);
  assert.equal(grant.allows('Patient', 's'), false);
});

test('wildcards cover every type, in patient and user context alike', () => {
  assert.equal(scopeGrant(['patient/*.rs']).allows('DocumentReference', 's'), true);
  assert.equal(scopeGrant(['user/*.read']).allows('Binary', 'r'), true);
  assert.equal(scopeGrant(['patient/*.c']).allows('Binary', 'r'), false);
});

test('granular constraints limit searches to the granted category', () => {
  const grant = scopeGrant(['patient/Observation.rs?category=laboratory']);
  assert.equal(grant.allows('Observation', 's', [['patient', '1'], ['category', 'laboratory']]), true);
  assert.equal(grant.allows('Observation', 's', [['patient', '1'], ['category', 'vital-signs']]), false);
  assert.equal(grant.allows('Observation', 's', [['patient', '1']]), false, 'a search without the category asks for more than granted');
  assert.equal(grant.allows('Observation', 's', [['category', 'laboratory,vital-signs']]), false);
  // Reads are checked by the server against each resource.
  assert.equal(grant.allows('Observation', 'r'), true);
});

test('constraint tokens match with or without their system', () => {
  const grant = scopeGrant(['user/Condition.s?category=http://terminology.hl7.org/CodeSystem/condition-category|problem-list-item']);
  assert.equal(grant.allows('Condition', 's', [['category', 'problem-list-item']]), true);
  assert.equal(grant.allows('Condition', 's', [['category', 'http://terminology.hl7.org/CodeSystem/condition-category|problem-list-item']]), true);
  assert.equal(grant.allows('Condition', 's', [['category', 'http://example.org/other|problem-list-item']]), false);
  assert.equal(grant.allows('Condition', 's', [['category', 'encounter-diagnosis']]), false);
});

test("Epic's granted backend scopes allow the chart reader's searches and no more", vendorSkip, () => {
  const text = readFileSync(`${vendorDir}epic/token-granted-scopes-backend-2026-04-26.txt`, 'utf8');
  const scopes = text.split(/\s+/).filter((w) => w.includes('/') && w.includes('.'));
  const grant = scopeGrant(scopes);
  assert.equal(grant.allows('Condition', 's', [['category', 'health-concern']]), true);
  assert.equal(grant.allows('Binary', 'r'), true);
  assert.equal(grant.allows('Observation', 's', [['category', 'laboratory']]), true);
  assert.equal(grant.allows('MedicationRequest', 's'), true);
  assert.equal(grant.allows('MedicationRequest', 'c'), false);
});
