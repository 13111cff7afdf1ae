import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parseRuntimeConfig } from '../smart/config.ts';
import { parseResourceScope } from '../smart/scopes.ts';
import { CURBSIDE_RESOURCE_NEEDS } from './check-ehr.ts';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const manifest = read('../../smart-manifest.json') as { scope: string; scope_purposes: Record<string, string>; redirect_uris: string[]; launch_uri: string };
const schema = read('./smart-manifest.schema.json') as object;
const scopes = manifest.scope.split(' ');

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, validateFormats: false });
  return ajv.compile(schema);
}

test('smart-manifest.json is valid against its JSON Schema', () => {
  const validate = validator();
  assert.equal(validate(manifest), true, JSON.stringify(validate.errors, null, 2));
});

test('the schema rejects what an admin must not register', () => {
  const validate = validator();
  const broken = (patch: Record<string, unknown>) => ({ ...manifest, ...patch });
  assert.equal(validate(broken({ scope: `${manifest.scope} patient/*.read` })), false, 'wildcards and v1 syntax');
  assert.equal(validate(broken({ scope: `${manifest.scope} system/Observation.rs` })), false, 'backend scopes');
  assert.equal(validate(broken({ token_endpoint_auth_method: 'client_secret_post' })), false);
  assert.equal(validate(broken({ redirect_uris: [] })), false);
  assert.equal(validate(broken({ unexpected: true })), false);
  assert.equal(validate(broken({ contacts: ['not-an-email'] })), false);
});

test('every scope has a documented purpose, and no purpose is stale', () => {
  assert.deepEqual(Object.keys(manifest.scope_purposes).sort(), [...scopes].sort());
});

test('scopes are minimal: read-only where the app only reads, create only where it writes', () => {
  for (const raw of scopes) {
    const scope = parseResourceScope(raw);
    if (!scope) continue;
    // Device: the model is filed as a Device (conditional create, hence search) beside the note's Provenance.
    const writes = ['DocumentReference', 'Provenance', 'AuditEvent', 'Device'];
    if (scope.permissions.has('c')) assert.ok(writes.includes(scope.resourceType), `${raw} creates`);
    assert.ok(!scope.permissions.has('u') && !scope.permissions.has('d'), `${raw} updates or deletes`);
  }
});

test('the scopes cover every resource the chart reader and writer need', () => {
  const parsed = scopes.map(parseResourceScope).filter((s) => s !== undefined);
  for (const need of CURBSIDE_RESOURCE_NEEDS) {
    for (const interaction of need.interactions) {
      const letter = interaction === 'read' ? 'r' : interaction === 'search-type' ? 's' : 'c';
      assert.ok(parsed.some((s) => s.resourceType === need.type && s.permissions.has(letter)), `${need.type} ${interaction}`);
    }
  }
});

test("the sandbox's runtime scopes never exceed the registered manifest", () => {
  const config = parseRuntimeConfig(read('../../public/curbside.config.json'));
  const sandbox = config.ehrs.find((e) => e.id === 'sandbox')!;
  for (const s of `${sandbox.scope} ${sandbox.standaloneScope ?? ''}`.split(/\s+/).filter(Boolean)) assert.ok(scopes.includes(s), s);
});
