import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseRuntimeConfig } from './config.ts';
import { departmentFrom, fhirUserType, parseRollout, rolloutStageFor } from './rollout.ts';

const ehr = (rollout?: unknown) => ({ id: 'a', issMatch: 'https://a\\.example/fhir', clientId: 'c', scope: 'openid', ...(rollout === undefined ? {} : { rollout }) });

test('without a rollout entry an EHR is in general release', () => {
  const config = parseRuntimeConfig({ ehrs: [ehr()] });
  assert.deepEqual(rolloutStageFor(config.ehrs[0]!.rollout, { fhirUser: 'Practitioner/1' }).stage, 'general');
});

test('each stage is taken from the EHR entry', () => {
  for (const stage of ['off', 'shadow', 'pilot', 'general'] as const) {
    const config = parseRuntimeConfig({ ehrs: [ehr({ stage })] });
    assert.equal(rolloutStageFor(config.ehrs[0]!.rollout, { fhirUser: 'Practitioner/1' }).stage, stage);
  }
});

test('pilot shows suggestions to listed users only; the others get off, or shadow when asked', () => {
  const rollout = parseRollout({ stage: 'pilot', pilotUsers: ['Practitioner/(p1|p2)'] }, 'rollout');
  assert.equal(rolloutStageFor(rollout, { fhirUser: 'Practitioner/p1' }).stage, 'pilot');
  assert.equal(rolloutStageFor(rollout, { fhirUser: 'Practitioner/p3' }).stage, 'off');
  assert.equal(rolloutStageFor(rollout, {}).stage, 'off', 'no fhirUser is never a pilot user');
  assert.equal(rolloutStageFor(rollout, { fhirUser: 'Practitioner/p11' }).stage, 'off', 'patterns match the whole reference');
  const shadowOthers = parseRollout({ stage: 'pilot', pilotUsers: ['Practitioner/p1'], pilotOthers: 'shadow' }, 'rollout');
  assert.equal(rolloutStageFor(shadowOthers, { fhirUser: 'Practitioner/p9' }).stage, 'shadow');
});

test('rules by user, user type and department; the first match wins over the EHR default', () => {
  const rollout = parseRollout(
    {
      stage: 'shadow',
      departmentParameter: 'department',
      rules: [
        { fhirUser: 'Practitioner/blocked', stage: 'off' },
        { userType: 'PractitionerRole', stage: 'general' },
        { department: 'ED|ICU', stage: 'pilot' },
      ],
    },
    'rollout',
  );
  assert.equal(rolloutStageFor(rollout, { fhirUser: 'Practitioner/blocked', department: 'ED' }).stage, 'off');
  assert.equal(rolloutStageFor(rollout, { fhirUser: 'https://ehr.example/fhir/PractitionerRole/7' }).stage, 'general');
  assert.equal(rolloutStageFor(rollout, { fhirUser: 'Practitioner/5', department: 'ICU' }).stage, 'pilot');
  assert.equal(rolloutStageFor(rollout, { fhirUser: 'Practitioner/5', department: 'ICU-2' }).stage, 'shadow');
  assert.equal(rolloutStageFor(rollout, { fhirUser: 'Practitioner/5' }).stage, 'shadow');
  assert.equal(departmentFrom({ department: 'ED', patient: 'x' }, rollout), 'ED');
  assert.equal(departmentFrom({ department: 42 }, rollout), undefined);
  assert.equal(departmentFrom({ department: 'ED' }, parseRollout({ stage: 'general' }, 'r')), undefined, 'read only when the rollout names the field');
});

test('the kill switch turns every EHR off whatever its stage', () => {
  const config = parseRuntimeConfig({ killSwitch: true, ehrs: [ehr({ stage: 'general' })] });
  assert.equal(config.killSwitch, true);
  assert.deepEqual(rolloutStageFor(config.ehrs[0]!.rollout, { fhirUser: 'Practitioner/1' }, config.killSwitch), { stage: 'off', reason: 'kill switch' });
});

test('fhirUser resource types', () => {
  assert.equal(fhirUserType('Practitioner/1'), 'Practitioner');
  assert.equal(fhirUserType('https://x.example/fhir/PractitionerRole/abc'), 'PractitionerRole');
  assert.equal(fhirUserType(undefined), undefined);
});

test('bad rollout entries are refused with the field named', () => {
  assert.throws(() => parseRuntimeConfig({ ehrs: [ehr({ stage: 'beta' })] }), (e: unknown) => e instanceof ConfigError && /rollout.*stage must be one of off, shadow, pilot, general/.test(e.message));
  assert.throws(() => parseRuntimeConfig({ ehrs: [ehr({ stage: 'pilot', pilotUsers: ['('] })] }), /pilotUsers\[0\] is not a valid regular expression/);
  assert.throws(() => parseRuntimeConfig({ ehrs: [ehr({ stage: 'off', rules: [{ stage: 'general' }] })] }), /needs at least one of/);
  assert.throws(() => parseRuntimeConfig({ ehrs: [ehr({ stage: 'off', rules: [{ stage: 'general', userType: 'doctor' }] })] }), /userType/);
  assert.throws(() => parseRuntimeConfig({ ehrs: [ehr({ stage: 'pilot', pilotOthers: 'general' })] }), /pilotOthers/);
  assert.throws(() => parseRuntimeConfig({ killSwitch: 'yes', ehrs: [] }), /killSwitch/);
});

test('the shipped configuration: the sandbox in general release, a newly registered Epic or Oracle Health site starts in shadow', async () => {
  const { readFileSync } = await import('node:fs');
  const shipped = parseRuntimeConfig(JSON.parse(readFileSync(new URL('../../public/curbside.config.json', import.meta.url), 'utf8')));
  const stage = (id: string) => rolloutStageFor(shipped.ehrs.find((e) => e.id === id)!.rollout, { fhirUser: 'Practitioner/1' }, shipped.killSwitch).stage;
  assert.equal(stage('sandbox'), 'general');
  assert.equal(stage('epic'), 'shadow');
  assert.equal(stage('oracle-health'), 'shadow');
});
