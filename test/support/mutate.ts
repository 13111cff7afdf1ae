/**
 * Structural mutations of JSON values for property-based tests: each mutation follows a path of
 * child indexes into the value (wrapping around at each level) and replaces, deletes, duplicates
 * or re-types what it finds. fast-check generates the mutations and shrinks a failure to the few
 * that matter.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Mutation {
  readonly path: readonly number[];
  readonly op: 'replace' | 'delete' | 'to-array' | 'to-string' | 'empty' | 'duplicate';
  readonly value: Json;
}

const corpus = (JSON.parse(readFileSync(new URL('../security/xss-corpus.json', import.meta.url), 'utf8')) as { payloads: Array<{ payload: string }> }).payloads.map((p) => p.payload);

/** Strings a hostile or broken server sends: XSS payloads, script URLs, keys that pollute prototypes, odd numbers as text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...corpus),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', ' ', '\u0000', 'NaN', '-0', '1e309', '9'.repeat(400), 'https://evil.example/fhir/Patient/1', '../../etc', 'Patient/'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Any JSON value, biased towards hostile strings and wrong types. */
export const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, Number.MAX_SAFE_INTEGER, [], {}) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'resourceType', 'reference', 'value', 'text', 'div'), hostileString, { maxKeys: 3 }) as fc.Arbitrary<Json>,
  },
);

export const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(), { maxLength: 9 }),
  op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'to-array', 'to-string', 'empty', 'duplicate'),
  value: hostileJson,
});

function children(node: Json): Array<string | number> {
  if (Array.isArray(node)) return node.map((_, i) => i);
  if (node !== null && typeof node === 'object') return Object.keys(node);
  return [];
}

function mutated(node: Json, m: Mutation): Json {
  switch (m.op) {
    case 'replace':
      return m.value;
    case 'to-array':
      return [node];
    case 'to-string':
      return JSON.stringify(node) ?? '';
    case 'empty':
      return Array.isArray(node) ? [] : node !== null && typeof node === 'object' ? {} : '';
    default:
      return node;
  }
}

/** `value` with `mutations` applied in order, the original untouched. */
export function applyMutations(value: Json, mutations: readonly Mutation[]): Json {
  let root: Json = structuredClone(value);
  for (const m of mutations) {
    let parent: Json = null;
    let key: string | number | undefined;
    let node = root;
    // Stop early at a random depth: the last index decides where along the path to act.
    const depth = m.path.length === 0 ? 0 : m.path[m.path.length - 1]! % (m.path.length + 1);
    for (let i = 0; i < depth; i += 1) {
      const keys = children(node);
      if (keys.length === 0) break;
      parent = node;
      key = keys[m.path[i]! % keys.length]!;
      node = (node as Record<string | number, Json>)[key]!;
    }
    if (parent === null || key === undefined) {
      root = mutated(root, m);
      continue;
    }
    const container = parent as Record<string | number, Json>;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete container[key];
    } else if (m.op === 'duplicate' && Array.isArray(parent)) {
      parent.splice(key as number, 0, structuredClone(node));
    } else {
      // Assigning through defineProperty keeps a "__proto__" key an own property, as JSON.parse makes it.
      Object.defineProperty(container, key, { value: mutated(node, m), enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

/** Fails when anything a test fed in has reached a shared prototype. */
export function assertNoPrototypePollution(): void {
  for (const proto of [Object.prototype, Array.prototype, String.prototype]) {
    const own = Object.getOwnPropertyNames(proto).filter((name) => /^(?:value|text|div|reference|resourceType|polluted)$/.test(name));
    if (own.length) throw new Error(`prototype polluted with ${own.join(', ')}`);
  }
}
