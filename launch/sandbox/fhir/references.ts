/**
 * Conditional references (`Organization?identifier=sys|val`, as newer Synthea exports write them)
 * and absolute references to this server. medplum's batch processor only rewrites `urn:uuid:`
 * references, so these are resolved here: first against the resources a bundle itself creates,
 * then, when a resource is written, by a search.
 */
import './websocket-stub.ts';
import { randomUUID } from 'node:crypto';
import { matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { SearchRequest } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { invalid, multipleMatches } from './outcomes.ts';

const CONDITIONAL = /^[A-Z][A-Za-z]+\?./;

interface ReferenceHolder {
  reference: string;
}

/** Every nested object with a string `reference` (not the resource root: DetectedIssue.reference is a uri). */
function referencesIn(value: unknown, out: ReferenceHolder[] = [], root = true): ReferenceHolder[] {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, out, false);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (!root && typeof record.reference === 'string') out.push(record as unknown as ReferenceHolder);
    for (const child of Object.values(record)) if (child !== null && typeof child === 'object') referencesIn(child, out, false);
  }
  return out;
}

function parseConditional(reference: string): SearchRequest | undefined {
  try {
    return parseSearchRequest(reference);
  } catch {
    return undefined;
  }
}

/**
 * Points conditional references at the bundle entry that creates the matching resource (by its
 * fullUrl; entries without one get a `urn:uuid:`), so the batch processor's rewriting finishes
 * the job. References matching no entry are left for `resolveReferences` at write time.
 */
export function resolveWithinBundle(bundle: Bundle): void {
  const creates = (bundle.entry ?? []).filter((e) => e.request?.method === 'POST' && e.resource);
  for (const entry of creates) entry.fullUrl ??= `urn:uuid:${randomUUID()}`;
  for (const entry of bundle.entry ?? []) {
    for (const holder of referencesIn(entry.resource)) {
      if (!CONDITIONAL.test(holder.reference)) continue;
      const request = parseConditional(holder.reference);
      if (!request) continue;
      const matches = creates.filter(
        (e) => e.resource?.resourceType === request.resourceType && matchesSearchRequest(e.resource, request),
      );
      if (matches.length > 1) throw multipleMatches(`Conditional reference ${holder.reference} matches more than one entry of the bundle`);
      // Only urn:uuid: placeholders are rewritten to ids by the batch processor.
      const target = matches[0]?.fullUrl;
      if (target?.startsWith('urn:uuid:')) holder.reference = target;
    }
  }
}

/**
 * Makes a resource's references storable: absolute URLs on this server become relative, and
 * conditional references become `Type/id` through `search` (which applies the caller's access
 * rules). None or several matches fail the write, as FHIR asks.
 */
export async function resolveReferences(
  resource: Resource,
  baseUrl: string,
  search: (request: SearchRequest) => Promise<Resource[]>,
): Promise<void> {
  for (const holder of referencesIn(resource)) {
    if (holder.reference.startsWith(`${baseUrl}/`)) {
      holder.reference = holder.reference.slice(baseUrl.length + 1);
    } else if (CONDITIONAL.test(holder.reference)) {
      const request = parseConditional(holder.reference);
      if (!request) throw invalid(`Cannot parse the conditional reference ${holder.reference}`);
      const found = await search({ ...request, count: 2 });
      if (found.length === 0) throw invalid(`The conditional reference ${holder.reference} matches no resource`);
      if (found.length > 1) throw multipleMatches(`The conditional reference ${holder.reference} matches more than one resource`);
      const [match] = found;
      holder.reference = `${match?.resourceType}/${match?.id}`;
    }
  }
}
