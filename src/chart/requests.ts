/**
 * The chart reader's side of the wire: every GET goes through here so that requests are counted,
 * the longest chain of dependent requests is measured, the abort signal is honoured, paging links
 * are followed only on the FHIR base, and failures are sorted into the causes a section reports.
 */
import type { FhirRequester } from '../smart/context.ts';
import { isRecord, records, text } from './fhir.ts';
import type { ChartSectionState } from './types.ts';

export type FailureCause = Extract<ChartSectionState, { status: 'unavailable' }>['cause'];

/** A section cannot be shown. Carries no PHI: the message is the cause. */
export class SectionFailure extends Error {
  override readonly name = 'SectionFailure';
  readonly failure: FailureCause;
  readonly status: number | undefined;
  readonly reason: string | undefined;

  constructor(failure: FailureCause, options: { status?: number; reason?: string } = {}) {
    super(failure);
    this.failure = failure;
    this.status = options.status;
    this.reason = options.reason;
  }
}

/** A request that failed in transport or with an HTTP status. */
class RequestFailed extends Error {
  override readonly name = 'RequestFailed';
  readonly status: number | undefined;

  constructor(status: number | undefined) {
    super(status === undefined ? 'network error' : `HTTP ${status}`);
    this.status = status;
  }
}

export interface SearchQuery {
  readonly type: string;
  readonly params: ReadonlyArray<readonly [string, string]>;
}

export interface SearchRun {
  /** Paging stopped before the last page (a cap, the page limit, or a link Curbside will not follow). */
  readonly truncated: boolean;
  /** The server's next link pointed away from the FHIR base. */
  readonly offBase: boolean;
  /** Depth of the last page read: what a request needing this search's answer builds on. */
  readonly depth: number;
}

/** Against servers that ignore `_count` and page by tens. */
const MAX_PAGES_PER_SEARCH = 50;

interface Capability {
  /** Resource type → the search parameters it declares (empty when it declares none). */
  readonly types: ReadonlyMap<string, ReadonlySet<string>>;
}

export class ChartRequests {
  requests = 0;
  depth = 0;
  readonly #fhir: FhirRequester;
  readonly #signal: AbortSignal | undefined;
  readonly #base: URL;
  readonly #basePath: string;
  #capability: Promise<Capability | undefined> | undefined;

  constructor(fhir: FhirRequester, fhirBase: string, signal: AbortSignal | undefined) {
    this.#fhir = fhir;
    this.#signal = signal;
    this.#base = new URL(`${fhirBase.replace(/\/+$/, '')}/`);
    this.#basePath = this.#base.pathname;
  }

  /** GET a URL relative to the FHIR base; `depth` is this request's place in its chain (1 = needs nothing). */
  async get(url: string, depth: number): Promise<unknown> {
    this.#signal?.throwIfAborted();
    this.requests += 1;
    if (depth > this.depth) this.depth = depth;
    try {
      return await this.#fhir.request<unknown>(url, this.#signal ? { signal: this.#signal } : {});
    } catch (error) {
      this.#signal?.throwIfAborted();
      if (isAbortError(error)) throw error;
      throw new RequestFailed(httpStatusOf(error));
    }
  }

  /**
   * The base-relative form of a URL that lies on the FHIR base (same origin, under its path), or
   * undefined: a link elsewhere is never requested, because the requester sends the token with it.
   */
  onBase(url: string): string | undefined {
    let resolved: URL;
    try {
      resolved = new URL(url, this.#base);
    } catch {
      return undefined;
    }
    if (resolved.origin !== this.#base.origin || !resolved.pathname.startsWith(this.#basePath)) return undefined;
    if (resolved.username || resolved.password) return undefined;
    const path = resolved.pathname.slice(this.#basePath.length);
    return path === '' ? undefined : `${path}${resolved.search}`;
  }

  /**
   * Runs a search and follows `next` links while `keepGoing` says so. Each page's resources
   * (outcome entries removed) go to `onPage` with the page's depth. `startDepth` is the depth
   * of its first request: more than 1 when it had to wait for earlier answers.
   */
  async search(query: SearchQuery, onPage: (resources: unknown[], depth: number) => void, keepGoing: () => boolean = () => true, startDepth = 1): Promise<SearchRun> {
    let url = `${query.type}?${new URLSearchParams(query.params as Array<[string, string]>).toString()}`;
    const seen = new Set([url]);
    let depth = startDepth;
    try {
      for (let page = 1; ; page++) {
        const body = await this.get(url, depth);
        onPage(bundleResources(body), depth);
        const next = nextLink(body);
        if (!next) return { truncated: false, offBase: false, depth };
        if (!keepGoing() || page >= MAX_PAGES_PER_SEARCH) return { truncated: true, offBase: false, depth };
        const relative = this.onBase(next);
        if (!relative) return { truncated: true, offBase: true, depth };
        // A server that hands back a page it already gave has no more to give.
        if (seen.has(relative)) return { truncated: false, offBase: false, depth };
        seen.add(relative);
        url = relative;
        depth += 1;
      }
    } catch (error) {
      throw await this.failureOf(error, query, depth);
    }
  }

  /** A read of one resource, with failures already sorted into causes. */
  async read(url: string, type: string, depth: number): Promise<unknown> {
    try {
      return await this.get(url, depth);
    } catch (error) {
      throw await this.failureOf(error, { type, params: [] }, depth);
    }
  }

  /**
   * Sorts an error into a section's cause. A 400 or 404 reads the CapabilityStatement (once, and
   * only then: it is large) to tell a type or search this EHR does not offer from other failures.
   */
  async failureOf(error: unknown, query: SearchQuery, depth: number): Promise<Error> {
    if (this.#signal?.aborted || isAbortError(error) || error instanceof SectionFailure) return error as Error;
    if (!(error instanceof RequestFailed)) return new SectionFailure('malformed');
    const status = error.status;
    if (status === undefined) return new SectionFailure('network');
    if (status === 401) return new SectionFailure('unauthorized', { status });
    if (status === 403) return new SectionFailure('forbidden', { status });
    if (status === 400 || status === 404) {
      const capability = await this.#capabilityAt(depth + 1);
      if (capability && !offers(capability, query)) return new SectionFailure('not-supported', { status });
      return new SectionFailure(status === 404 ? 'not-found' : 'server', { status });
    }
    if (status === 410) return new SectionFailure('not-found', { status });
    return new SectionFailure('server', { status });
  }

  #capabilityAt(depth: number): Promise<Capability | undefined> {
    this.#capability ??= this.get('metadata', depth).then(parseCapability, (error: unknown) => {
      if (this.#signal?.aborted || isAbortError(error)) throw error;
      return undefined;
    });
    return this.#capability;
  }
}

function offers(capability: Capability, query: SearchQuery): boolean {
  const declared = capability.types.get(query.type);
  if (!declared) return false;
  // Result parameters (_count, _sort) are rarely declared; only search parameters are judged.
  if (declared.size === 0) return true;
  return query.params.every(([name]) => name.startsWith('_') || declared.has(name.split(':')[0]!));
}

function parseCapability(body: unknown): Capability | undefined {
  if (!isRecord(body) || body.resourceType !== 'CapabilityStatement') return undefined;
  const types = new Map<string, Set<string>>();
  for (const rest of records(body.rest)) {
    if (rest.mode !== undefined && rest.mode !== 'server') continue;
    for (const resource of records(rest.resource)) {
      const type = text(resource.type);
      if (!type) continue;
      const params = types.get(type) ?? new Set<string>();
      for (const param of records(resource.searchParam)) {
        const name = text(param.name);
        if (name) params.add(name);
      }
      types.set(type, params);
    }
  }
  return { types };
}

/**
 * The resources of a searchset. Epic mixes `search.mode: "outcome"` OperationOutcomes into its
 * results; those are dropped. A body that is not a Bundle, or an entry without a resource, makes
 * the whole answer unreadable.
 */
export function bundleResources(body: unknown): unknown[] {
  if (!isRecord(body) || body.resourceType !== 'Bundle') throw new SectionFailure('malformed');
  if (body.entry === undefined) return [];
  if (!Array.isArray(body.entry)) throw new SectionFailure('malformed');
  const resources: unknown[] = [];
  for (const entry of body.entry as unknown[]) {
    if (!isRecord(entry)) throw new SectionFailure('malformed');
    const mode = isRecord(entry.search) ? entry.search.mode : undefined;
    if (mode === 'outcome' || mode === 'include') continue;
    if (!isRecord(entry.resource)) throw new SectionFailure('malformed');
    if (entry.resource.resourceType === 'OperationOutcome') continue;
    resources.push(entry.resource);
  }
  return resources;
}

function nextLink(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const link = records(body.link).find((l) => l.relation === 'next');
  return text(link?.url);
}

/** fhirclient's HttpError carries `status` and `statusCode`; other clients put the Response on the error. */
export function httpStatusOf(error: unknown): number | undefined {
  if (!isRecord(error) && !(error instanceof Error)) return undefined;
  const e = error as unknown as Record<string, unknown>;
  for (const candidate of [e.status, e.statusCode, isRecord(e.response) ? e.response.status : undefined]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate <= 599) return candidate;
  }
  return undefined;
}

export function isAbortError(error: unknown): boolean {
  return (error instanceof Error || isRecord(error)) && (error as { name?: unknown }).name === 'AbortError';
}
