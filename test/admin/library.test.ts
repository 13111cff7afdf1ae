import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateManifest, manifestElements } from '../../scripts/custom-elements.ts';

const root = resolve(import.meta.dirname, '../..');

/** Tags `widgets/index.ts` registers, read from the element modules it re-exports. */
function registeredTags(): string[] {
  const index = readFileSync(resolve(root, 'widgets/index.ts'), 'utf8');
  const modules = [...index.matchAll(/from '\.\/([\w-]+)\/\1\.ts'/g)].map((m) => m[1]!);
  return [...new Set(modules)].flatMap((name) => {
    const source = readFileSync(resolve(root, 'widgets', name, `${name}.ts`), 'utf8');
    return [...source.matchAll(/defineOnce\('(curbside-[\w-]+)'/g)].map((m) => m[1]!);
  });
}

test('the generated manifest documents every element widgets/index.ts registers', () => {
  const elements = manifestElements(generateManifest('node_modules/.cache/curbside-test'));
  const byTag = new Map(elements.map((e) => [e.tagName, e]));
  const tags = registeredTags();
  assert.ok(tags.length >= 9, `expected the nine elements, found ${tags.join(', ')}`);
  for (const tag of tags) {
    const element = byTag.get(tag);
    assert.ok(element, `${tag} is missing from custom-elements.json`);
    assert.ok(element.summary, `${tag} has no @summary`);
    assert.ok(element.cssParts?.length, `${tag} documents no parts`);
    assert.ok(element.cssProperties?.length, `${tag} documents no custom properties`);
    for (const event of element.events ?? []) assert.match(event.name, /^curbside-[a-z-]+$/, `${tag} lists an unnamed or misnamed event`);
  }

  const differential = byTag.get('curbside-differential')!;
  const events = differential.events!.map((e) => e.name);
  for (const name of ['curbside-suggestion-accept', 'curbside-suggestion-reject', 'curbside-fact-select', 'curbside-insight-retry']) assert.ok(events.includes(name), `differential fires ${name}`);
  assert.ok(differential.cssParts!.some((p) => p.name === 'item'));
  assert.ok(differential.members!.some((m) => m.name === 'insight' && m.kind === 'field'));

  const summary = byTag.get('curbside-chart-summary')!;
  assert.deepEqual(summary.events!.map((e) => e.name), ['curbside-fact-select']);
  assert.ok(summary.members!.some((m) => m.name === 'highlightFact' && m.kind === 'method'));
  assert.equal(summary.attributes?.find((a) => a.name === 'heading-level')?.fieldName, 'headingLevel');

  // Generating elsewhere (as the docs build and this test do) leaves the published path alone.
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { customElements?: string };
  assert.equal(pkg.customElements, 'dist-lib/custom-elements.json');

  // Private state is not API.
  for (const element of elements) for (const member of element.members ?? []) assert.ok(!member.name.startsWith('#') && member.privacy !== 'private', `${element.tagName} exposes ${member.name}`);
});
