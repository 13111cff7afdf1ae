import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LaunchContextError, parseLaunchContext, parseSmartBoolean } from './context.ts';

const base = 'http://localhost:4000/fhir/';

function idToken(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'RS256' })}.${enc(claims)}.sig`;
}

test('need_patient_banner: the string "false" is false, true/"true" are true, absent is false', () => {
  assert.equal(parseSmartBoolean('false'), false);
  assert.equal(parseSmartBoolean('FALSE'), false);
  assert.equal(parseSmartBoolean(false), false);
  assert.equal(parseSmartBoolean(true), true);
  assert.equal(parseSmartBoolean('true'), true);
  assert.equal(parseSmartBoolean(undefined), false);
  assert.equal(parseSmartBoolean(1), false);
  assert.equal(parseLaunchContext({ need_patient_banner: 'false' }, base).needPatientBanner, false);
});

test('a full token response becomes a launch context', () => {
  const context = parseLaunchContext(
    {
      access_token: 'secret',
      scope: 'launch openid fhirUser patient/Patient.rs',
      patient: 'p1',
      encounter: 'e1',
      need_patient_banner: true,
      smart_style_url: 'http://localhost:4000/ehr/style.json',
      id_token: idToken({ fhirUser: 'http://localhost:4000/fhir/Practitioner/dr1' }),
    },
    base,
  );
  assert.deepEqual(context, {
    fhirBase: 'http://localhost:4000/fhir',
    patientId: 'p1',
    encounterId: 'e1',
    // On the launch's own server the reference is made relative.
    fhirUser: 'Practitioner/dr1',
    needPatientBanner: true,
    smartStyleUrl: 'http://localhost:4000/ehr/style.json',
    grantedScopes: ['launch', 'openid', 'fhirUser', 'patient/Patient.rs'],
  });
  assert.ok(!('access_token' in context), 'the token never travels with the context');
});

test('missing optional context stays absent; wrong types are refused', () => {
  const context = parseLaunchContext({ scope: '' }, base);
  assert.equal(context.patientId, undefined);
  assert.equal(context.encounterId, undefined);
  assert.deepEqual(context.grantedScopes, []);
  assert.throws(() => parseLaunchContext({ patient: 42 }, base), LaunchContextError);
  assert.equal(parseLaunchContext({ id_token: 'not-a-jwt' }, base).fhirUser, undefined);
});
