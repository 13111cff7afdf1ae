import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metaCspTag } from '../../scripts/meta-csp.ts';

test('no CURBSIDE_CSP_CONNECT, no <meta> policy: the server sends the headers', () => {
  assert.equal(metaCspTag({}), undefined);
});

test('a <meta> policy for a header-less host: the listed origins, Trusted Types, and no frame-ancestors', () => {
  const tag = metaCspTag({ CURBSIDE_CSP_CONNECT: 'https://fhir.hospital.example/api/FHIR/R4, https://gw.hospital.example', CURBSIDE_CSP_FRAMES: 'https://login.microsoftonline.com' })!;
  assert.match(tag, /^<meta http-equiv="Content-Security-Policy" content="[^"]+">$/);
  assert.match(tag, /connect-src 'self' https:\/\/fhir\.hospital\.example https:\/\/gw\.hospital\.example;/);
  assert.match(tag, /frame-src https:\/\/login\.microsoftonline\.com;/);
  assert.match(tag, /require-trusted-types-for 'script'; trusted-types curbside-markdown curbside-worker lit-html/);
  assert.ok(!tag.includes('frame-ancestors'));
});
