/**
 * Small readers for FHIR JSON parsed from `unknown`: EHRs differ in what they send, so nothing is
 * trusted to have the type the specification promises.
 */
import type { Code } from './types.ts';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function records(value: unknown): Json[] {
  return asArray(value).filter(isRecord);
}

/** A trimmed string with inner whitespace collapsed, or undefined when empty or not a string. */
export function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? undefined : trimmed;
}

export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function codings(concept: unknown): Json[] {
  return isRecord(concept) ? records(concept.coding) : [];
}

/** Every coding of a CodeableConcept as a `Code`, dropping empty ones. */
export function codesOf(concept: unknown): Code[] {
  return codings(concept).flatMap((c) => {
    const code: Code = {
      ...(text(c.system) ? { system: text(c.system)! } : {}),
      ...(text(c.code) ? { code: text(c.code)! } : {}),
      ...(text(c.display) ? { display: text(c.display)! } : {}),
    };
    return code.code || code.display ? [code] : [];
  });
}

/** What a person would call the concept: its text, else the user-selected, else the first display. */
export function conceptText(concept: unknown): string | undefined {
  if (!isRecord(concept)) return undefined;
  const all = codings(concept);
  const selected = all.find((c) => c.userSelected === true);
  return text(concept.text) ?? text(selected?.display) ?? all.map((c) => text(c.display)).find(Boolean) ?? all.map((c) => text(c.code)).find(Boolean);
}

/** The code values of a concept, e.g. the status codes of `verificationStatus`. */
export function codeValues(concept: unknown): string[] {
  return codings(concept)
    .map((c) => text(c.code))
    .filter((c): c is string => c !== undefined);
}

/** True when a time string parses; FHIR dates, partial dates and instants all do. */
export function timeValue(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value);
  return Number.isFinite(ms) ? ms : undefined;
}

const REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * `Type/id` for a reference string: relative as sent, or absolute on the FHIR base (or any base,
 * as long as the last two segments are a type and an id). Version suffixes are dropped.
 */
export function relativeReference(reference: unknown, fhirBase: string): string | undefined {
  const raw = text(reference);
  if (!raw || raw.startsWith('#')) return undefined;
  let path = raw.startsWith(`${fhirBase}/`) ? raw.slice(fhirBase.length + 1) : raw;
  path = path.replace(/\/_history\/[^/]+$/, '');
  if (REFERENCE.test(path)) return path;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    const parts = path.split(/[?#]/)[0]!.split('/');
    const candidate = parts.slice(-2).join('/');
    if (REFERENCE.test(candidate)) return candidate;
  }
  return undefined;
}

/** `Type/id` of a resource that has an id. */
export function referenceOf(resource: Json): string | undefined {
  const type = text(resource.resourceType);
  const id = text(resource.id);
  if (!type || !id) return undefined;
  const reference = `${type}/${id}`;
  return REFERENCE.test(reference) ? reference : undefined;
}
