/**
 * Both Azure endpoint forms, and key auth through the OpenAI-compatible provider, proven on the
 * wire: the URL (api-version or not), the auth header (`Authorization: Bearer` or `api-key`) and
 * the body (`model`, strict `response_format`, `stream_options`).
 */
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setupServer } from 'msw/node';
import { azureOpenAIv1Endpoint, createAzureFoundryProvider, foundryModelsEndpoint } from './azure-foundry.ts';
import { createOpenAICompatibleProvider } from './openai-compatible.ts';
import { MODEL_OUTPUT_SCHEMA } from '../schema.ts';
import { InsightError, type InsightProvider } from '../types.ts';
import { AZURE_V1_ENDPOINT, azureChat, FOUNDRY_MODELS_ENDPOINT, type RecordedRequest } from '../../../test/msw/azure.ts';
import { CASE, WIRE_OUTPUT_TEXT } from '../../../test/msw/insight-fixtures.ts';

const server = setupServer();
before(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
after(() => server.close());

const tokens = { getToken: async () => 'entra-token', refresh: async () => 'entra-token-2' };

async function send(endpoint: string, provider: (endpoint: string) => InsightProvider): Promise<RecordedRequest> {
  const { handler, requests } = azureChat(endpoint, [{ kind: 'stream', content: WIRE_OUTPUT_TEXT }]);
  server.use(handler);
  const result = await provider(endpoint).generate({ task: { kind: 'differential' }, case: CASE }, {});
  assert.equal(result.output.differential.length, 2);
  assert.equal(requests.length, 1);
  return requests[0]!;
}

function assertBody(request: RecordedRequest, model: string): void {
  assert.equal(request.body.model, model);
  assert.deepEqual(request.body.response_format, { type: 'json_schema', json_schema: { name: 'curbside_insight', strict: true, schema: MODEL_OUTPUT_SCHEMA } });
  assert.deepEqual(request.body.stream_options, { include_usage: true });
  assert.equal(request.body.stream, true);
  assert.equal(request.headers['content-type'], 'application/json');
}

test('Azure OpenAI v1: no api-version, deployment in model, Entra bearer token', async () => {
  const request = await send(AZURE_V1_ENDPOINT, (endpoint) => createAzureFoundryProvider({ endpoint, model: 'curbside-gpt41', tokenSource: tokens }));
  assert.equal(request.url, 'https://curbside-test.openai.azure.com/openai/v1/chat/completions');
  assert.equal(request.headers.authorization, 'Bearer entra-token');
  assert.equal(request.headers['api-key'], undefined);
  assertBody(request, 'curbside-gpt41');
});

test('Foundry models endpoint: api-version kept in the URL, Entra bearer token', async () => {
  const request = await send(FOUNDRY_MODELS_ENDPOINT, (endpoint) => createAzureFoundryProvider({ endpoint, model: 'curbside-gpt41', tokenSource: tokens }));
  assert.equal(request.url, 'https://curbside-test.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview');
  assert.equal(request.headers.authorization, 'Bearer entra-token');
  assertBody(request, 'curbside-gpt41');
});

test('key auth on either form goes in the api-key header, never in Authorization', async () => {
  for (const endpoint of [AZURE_V1_ENDPOINT, FOUNDRY_MODELS_ENDPOINT]) {
    const request = await send(endpoint, (url) =>
      createOpenAICompatibleProvider({ endpoint: url, model: 'curbside-gpt41', apiKey: 'k-123', apiKeyHeader: 'api-key', name: 'Sandbox model', version: '1' }),
    );
    assert.equal(request.url, endpoint);
    assert.equal(request.headers['api-key'], 'k-123');
    assert.equal(request.headers.authorization, undefined);
    assertBody(request, 'curbside-gpt41');
    server.resetHandlers();
  }
});

test('an OpenAI-compatible server gets the key as a bearer token, or no auth at all', async () => {
  const endpoint = 'https://llm.hospital.example/v1/chat/completions';
  const withKey = await send(endpoint, (url) => createOpenAICompatibleProvider({ endpoint: url, model: 'llama-3.3-70b', apiKey: 'k-456', name: 'On-prem Llama', version: '3.3' }));
  assert.equal(withKey.headers.authorization, 'Bearer k-456');
  server.resetHandlers();
  const open = await send(endpoint, (url) => createOpenAICompatibleProvider({ endpoint: url, model: 'llama-3.3-70b', name: 'On-prem Llama', version: '3.3' }));
  assert.equal(open.headers.authorization, undefined);
});

test('extra gateway headers are sent, and the provider identity is as configured', async () => {
  const gateway = 'https://apim.hospital.example/curbside/openai/v1/chat/completions';
  let provider: InsightProvider | undefined;
  const request = await send(gateway, (endpoint) => {
    provider = createAzureFoundryProvider({ endpoint, model: 'gpt', tokenSource: tokens, name: 'Hospital GPT', version: '2025-04', headers: { 'ocp-apim-subscription-key': 'sub-1' } });
    return provider;
  });
  assert.equal(request.headers['ocp-apim-subscription-key'], 'sub-1');
  assert.equal(request.headers.authorization, 'Bearer entra-token');
  assert.deepEqual(provider!.identity, { provider: 'azure-foundry', name: 'Hospital GPT', version: '2025-04', builtIn: false });
  assert.equal(provider!.id, 'azure-foundry:Hospital GPT');
});

test('endpoint helpers build both forms', () => {
  assert.equal(azureOpenAIv1Endpoint('curbside-test'), AZURE_V1_ENDPOINT);
  assert.equal(foundryModelsEndpoint('curbside-test'), FOUNDRY_MODELS_ENDPOINT);
  assert.throws(() => azureOpenAIv1Endpoint('evil.example/x'), InsightError);
});

test('configuration errors are caught when the provider is created, without echoing the URL', () => {
  const make = (endpoint: string) => () => createAzureFoundryProvider({ endpoint, model: 'm', tokenSource: tokens });
  const kind = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof InsightError);
      assert.doesNotMatch(error.message, /secret|hospital/);
      return error.kind;
    }
    return undefined;
  };
  assert.equal(kind(make('not a url secret')), 'configuration');
  assert.equal(kind(make('http://llm.hospital.example/v1/chat/completions')), 'configuration');
  assert.equal(kind(make('https://user:secret@llm.hospital.example/v1/chat/completions')), 'configuration');
  assert.equal(kind(make('https://curbside-test.services.ai.azure.com/models/chat/completions')), 'configuration', 'api-version missing');
  assert.equal(kind(make('http://127.0.0.1:4000/model/v1/chat/completions')), undefined, 'the sandbox on this machine may use http');
  assert.equal(kind(() => createAzureFoundryProvider({ endpoint: AZURE_V1_ENDPOINT, model: ' ', tokenSource: tokens })), 'configuration');
  assert.equal(kind(() => createOpenAICompatibleProvider({ endpoint: AZURE_V1_ENDPOINT, model: 'm', apiKeyHeader: 'bad header\n', apiKey: 'k', name: 'n', version: 'v' })), 'configuration');
});
