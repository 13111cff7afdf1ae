import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, modelForEhr, parseRuntimeConfig, scopeForLaunch, selectEhrConfig } from './config.ts';

const shipped = parseRuntimeConfig(JSON.parse(readFileSync(new URL('../../public/curbside.config.json', import.meta.url), 'utf8')));

test('the shipped runtime config parses and routes the sandbox, Epic and Oracle Health', () => {
  assert.equal(selectEhrConfig('http://localhost:4000/fhir', shipped)?.id, 'sandbox');
  assert.equal(selectEhrConfig('http://localhost:4000/fhir/', shipped)?.id, 'sandbox', 'a trailing slash is the same server');
  assert.equal(selectEhrConfig('https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4', shipped)?.id, 'epic');
  assert.equal(selectEhrConfig('https://fhir-ehr.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d', shipped)?.id, 'oracle-health');
});

test('an unknown iss selects nothing, and issMatch must match the whole iss', () => {
  assert.equal(selectEhrConfig('https://evil.example/fhir', shipped), undefined);
  assert.equal(selectEhrConfig('http://localhost:4000/fhir.evil.example', shipped), undefined);
  assert.equal(selectEhrConfig('https://evil.example/?x=http://localhost:4000/fhir', shipped), undefined);
});

test('the first matching entry wins', () => {
  const config = parseRuntimeConfig({
    ehrs: [
      { id: 'a', issMatch: 'https://a\\.example/fhir', clientId: 'x', scope: 'openid' },
      { id: 'b', issMatch: 'https://.*', clientId: 'y', scope: 'openid' },
    ],
  });
  assert.equal(selectEhrConfig('https://a.example/fhir', config)?.id, 'a');
  assert.equal(selectEhrConfig('https://b.example/fhir', config)?.id, 'b');
});

test('invalid configurations are refused with an actionable message', () => {
  assert.throws(() => parseRuntimeConfig(null), ConfigError);
  assert.throws(() => parseRuntimeConfig({ ehrs: [{ id: 'a', issMatch: '(', clientId: '', scope: 's' }] }), /not a valid regular expression/);
  assert.throws(() => parseRuntimeConfig({ ehrs: [{ id: 'a', issMatch: 'x', scope: 's' }] }), /"clientId"/);
  assert.throws(() => parseRuntimeConfig({ ehrs: [{ id: 'a', issMatch: 'x', clientId: 'c', scope: 's', pkce: 'maybe' }] }), /"pkce"/);
  assert.throws(
    () => parseRuntimeConfig({ ehrs: [{ id: 'a', issMatch: 'x', clientId: 'c', scope: 's' }, { id: 'a', issMatch: 'y', clientId: 'c', scope: 's' }] }),
    /duplicate id/,
  );
});

test('EHR launch always asks for launch; standalone asks for launch/patient and not launch', () => {
  const ehr = parseRuntimeConfig({ ehrs: [{ id: 'a', issMatch: 'x', clientId: 'c', scope: 'openid fhirUser patient/Patient.rs' }] }).ehrs[0]!;
  assert.deepEqual(scopeForLaunch(ehr, 'ehr').split(' '), ['launch', 'openid', 'fhirUser', 'patient/Patient.rs']);
  const standalone = scopeForLaunch({ ...ehr, scope: 'launch openid patient/Patient.rs' }, 'standalone').split(' ');
  assert.ok(standalone.includes('launch/patient'));
  assert.ok(!standalone.includes('launch'));
});

test('models: the sandbox talks to its own model server, resolved against the launching FHIR base; others default to the embedded engine', () => {
  const sandbox = selectEhrConfig('http://localhost:4400/fhir', shipped)!;
  const model = modelForEhr(sandbox, shipped, 'http://localhost:4400/fhir');
  assert.equal(model.kind, 'openai-compatible');
  assert.equal(model.kind === 'openai-compatible' && model.endpoint, 'http://localhost:4400/model/v1/chat/completions');
  assert.equal(model.kind === 'openai-compatible' && model.builtIn, true);
  const epic = selectEhrConfig('https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4', shipped)!;
  assert.deepEqual(modelForEhr(epic, shipped, 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4'), { kind: 'reference-engine' });
  const bare = parseRuntimeConfig({ ehrs: [{ id: 'a', issMatch: 'x', clientId: 'c', scope: 's' }] });
  assert.deepEqual(modelForEhr(bare.ehrs[0]!, bare, 'https://x/fhir'), { kind: 'reference-engine' });
});

test('model entries are validated', () => {
  const ehr = { id: 'a', issMatch: 'x', clientId: 'c', scope: 's', model: 'm' };
  assert.throws(() => parseRuntimeConfig({ ehrs: [ehr] }), /not in "models"/);
  assert.throws(() => parseRuntimeConfig({ ehrs: [ehr], models: { m: { kind: 'gpt' } } }), /"kind"/);
  assert.throws(
    () => parseRuntimeConfig({ ehrs: [ehr], models: { m: { kind: 'openai-compatible', endpoint: 'http://models.hospital.example/v1', model: 'x', name: 'n', version: '1' } } }),
    /https/,
  );
  const azure = parseRuntimeConfig({
    ehrs: [ehr],
    models: {
      m: {
        kind: 'azure-foundry',
        endpoint: 'https://res.openai.azure.com/openai/v1/chat/completions',
        model: 'clinical-gpt',
        clientId: '00000000-0000-0000-0000-000000000000',
        authority: 'https://login.microsoftonline.com/contoso.example',
        redirectUri: 'https://curbside.hospital.example/msal-redirect.html',
        popupRelayUri: 'https://curbside.hospital.example/msal-relay.html',
        scopes: ['https://cognitiveservices.azure.com/user_impersonation'],
      },
    },
  });
  assert.equal(azure.models.m!.kind, 'azure-foundry');
});
