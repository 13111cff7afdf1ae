import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseRuntimeConfig } from '../smart/config.ts';
import { contentSecurityPolicy, cspSourcesFor } from './csp.ts';
import { isAllowedFhirUrl } from './fhir-urls.ts';

const BASE = 'https://fhir.hospital.example/api/FHIR/R4';

test('URLs under the FHIR base are allowed, relative or absolute', () => {
  for (const url of ['Patient/1', 'Observation?patient=1&_count=50', `${BASE}/Observation?page=2`, `${BASE}/`, BASE, './Binary/abc']) {
    assert.equal(isAllowedFhirUrl(url, BASE), true, url);
  }
});

test('another host, scheme, port, path outside the base, or credentials in the URL are refused', () => {
  for (const url of [
    'https://evil.example/api/FHIR/R4/Patient/1',
    'http://fhir.hospital.example/api/FHIR/R4/Patient/1',
    'https://fhir.hospital.example:8443/api/FHIR/R4/Patient/1',
    'https://fhir.hospital.example/other/Patient/1',
    'https://fhir.hospital.example/api/FHIR/R4-evil/Patient/1',
    '../../R5/Patient/1',
    '/api/FHIR/Patient/1',
    '//evil.example/Patient/1',
    'https://user:pw@fhir.hospital.example/api/FHIR/R4/Patient/1',
    'https://fhir.hospital.example.evil.example/api/FHIR/R4/Patient/1',
    'javascript:alert(1)',
    'data:application/json,{}',
    'http://[::1',
  ]) {
    assert.equal(isAllowedFhirUrl(url, BASE), false, url);
  }
});

test('the sandbox policy: framed by the EHR only, talking to its origin, two Trusted Types policies', () => {
  const config = parseRuntimeConfig(JSON.parse(readFileSync(new URL('../../public/curbside.config.json', import.meta.url), 'utf8')));
  const sources = cspSourcesFor(config, [{ fhirBase: 'http://localhost:4000/fhir', ehrOrigin: 'http://localhost:4000', authorizationOrigins: ['http://localhost:4000'] }]);
  const csp = contentSecurityPolicy(sources);
  assert.equal(
    csp,
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http://localhost:4000; frame-src 'none'; " +
      "object-src 'none'; base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'; trusted-types curbside-markdown curbside-worker lit-html; " +
      'frame-ancestors http://localhost:4000',
  );
  assert.ok(!contentSecurityPolicy(sources, { meta: true }).includes('frame-ancestors'), 'a <meta> policy cannot carry frame-ancestors');
});

test('an Azure model adds its endpoint and Entra authority; an unknown issuer adds nothing but its own base', () => {
  const config = parseRuntimeConfig({
    ehrs: [{ id: 'epic', label: 'Epic', issMatch: 'https://fhir\\.hospital\\.example/api/FHIR/R4', clientId: 'c', scope: 'launch', pkce: 'required', writeProfile: 'epic', model: 'foundry', auditSink: 'https://audit.hospital.example/events' }],
    models: {
      foundry: {
        kind: 'azure-foundry',
        endpoint: 'https://res.openai.azure.com/openai/v1/chat/completions',
        model: 'gpt-4.1',
        clientId: 'x',
        authority: 'https://login.microsoftonline.com/tenant',
        redirectUri: 'https://curbside.hospital.example/msal-redirect.html',
        popupRelayUri: 'https://curbside.hospital.example/msal-relay.html',
      },
    },
  });
  const sources = cspSourcesFor(config, [{ fhirBase: BASE, ehrOrigin: 'https://ehr.hospital.example', authorizationOrigins: ['https://fhir.hospital.example'] }]);
  const csp = contentSecurityPolicy(sources);
  assert.match(csp, /connect-src 'self' https:\/\/audit\.hospital\.example https:\/\/fhir\.hospital\.example https:\/\/login\.microsoftonline\.com https:\/\/res\.openai\.azure\.com;/);
  assert.match(csp, /frame-src https:\/\/login\.microsoftonline\.com;/);
  assert.match(csp, /frame-ancestors https:\/\/ehr\.hospital\.example$/);
  const none = contentSecurityPolicy(cspSourcesFor(config, []));
  assert.match(none, /connect-src 'self';/);
  assert.match(none, /frame-ancestors 'none'$/);
});
