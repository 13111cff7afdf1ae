import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configureModel } from './model-provider.ts';
import { CASE } from '../test/msw/insight-fixtures.ts';

test('the embedded engine is loaded on first use and answers as the built-in engine', async () => {
  const { provider, signIn } = configureModel({ kind: 'reference-engine' });
  assert.equal(signIn, undefined);
  assert.equal(provider.identity.builtIn, true);
  const result = await provider.generate({ task: { kind: 'differential' }, case: CASE }, {});
  assert.equal(result.model.provider, 'reference-engine');
  assert.ok(result.output.differential.length > 0);
});

test('an OpenAI-compatible server that runs the reference engine is labelled built-in; another is not', () => {
  const base = { kind: 'openai-compatible' as const, endpoint: 'http://localhost:4000/model/v1/chat/completions', model: 'm', name: 'n', version: '1' };
  assert.equal(configureModel({ ...base, builtIn: true }).provider.identity.builtIn, true);
  assert.equal(configureModel(base).provider.identity.builtIn, false);
});

test('an Azure AI Foundry model comes with a sign-in, and no sign-in library is loaded yet', () => {
  const model = configureModel({
    kind: 'azure-foundry',
    endpoint: 'https://res.openai.azure.com/openai/v1/chat/completions',
    model: 'clinical',
    clientId: '00000000-0000-0000-0000-000000000000',
    authority: 'https://login.microsoftonline.com/contoso.example',
    redirectUri: 'https://curbside.example/msal-redirect.html',
    popupRelayUri: 'https://curbside.example/msal-relay.html',
  });
  assert.equal(model.provider.identity.provider, 'azure-foundry');
  assert.equal(typeof model.signIn?.signIn, 'function');
});
