import { test } from 'node:test';
import assert from 'node:assert/strict';
import type Client from 'fhirclient/lib/Client';
import { fhirRequesterFor } from './session.ts';
import { writeTransportFor } from './write-transport.ts';

const BASE = 'https://fhir.hospital.example/api/FHIR/R4';
const TOKEN = 'access-token-secret';

/** fhirclient's Client as far as these adapters use it; `request` records what it was asked for. */
function fakeClient(asked: string[]): Client {
  return {
    state: { serverUrl: BASE, tokenResponse: { access_token: TOKEN } },
    request: async (options: { url: string }) => {
      asked.push(options.url);
      return { resourceType: 'Bundle' };
    },
    getState: () => undefined,
  } as unknown as Client;
}

test('the FHIR requester passes URLs on the launch’s FHIR base to fhirclient', async () => {
  const asked: string[] = [];
  const requester = fhirRequesterFor(fakeClient(asked));
  await requester.request('Observation?patient=1');
  await requester.request(`${BASE}/Observation?patient=1&page=2`);
  assert.deepEqual(asked, ['Observation?patient=1', `${BASE}/Observation?patient=1&page=2`]);
});

test('an absolute reference or paging link to another host is refused before fhirclient could attach the token', async () => {
  const asked: string[] = [];
  const requester = fhirRequesterFor(fakeClient(asked));
  for (const url of ['https://evil.example/fhir/Patient/1?_id=123', 'https://fhir.hospital.example/other/Patient/1', '//evil.example/x']) {
    await assert.rejects(requester.request(url), (error: Error) => {
      assert.match(error.message, /access token to the FHIR server only/);
      assert.ok(!error.message.includes('123'), 'the refusal does not echo the query');
      return true;
    });
  }
  assert.deepEqual(asked, []);
});

test('the write transport sends the token to the FHIR base and refuses any other URL without fetching', async (t) => {
  const sent: Array<{ url: string; authorization: string | undefined }> = [];
  t.mock.method(globalThis, 'fetch', async (url: URL, init: RequestInit) => {
    sent.push({ url: String(url), authorization: (init.headers as Record<string, string>).authorization });
    return new Response('{}', { status: 201 });
  });
  const transport = writeTransportFor(fakeClient([]));
  await transport.send({ method: 'POST', url: 'DocumentReference', headers: {}, body: {} });
  await assert.rejects(transport.send({ method: 'GET', url: 'https://evil.example/fhir/DocumentReference', headers: {} }));
  await assert.rejects(transport.send({ method: 'GET', url: 'https://fhir.hospital.example/elsewhere/Binary/1', headers: {} }));
  assert.deepEqual(sent, [{ url: `${BASE}/DocumentReference`, authorization: `Bearer ${TOKEN}` }]);
});
