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
  /** The server takes `batch` Bundles at its base. */
  readonly batch: boolean;
}

/** A first read waiting to go out in the batch. */
interface Queued {
  readonly url: string;
  readonly resolve: (body: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export class ChartRequests {
  requests = 0;
  depth = 0;
  readonly #fhir: FhirRequester;
  readonly #signal: AbortSignal | undefined;
  readonly #base: URL;
  readonly #basePath: string;
  #capability: Promise<Capability | undefined> | undefined;
  /** Resolves to true when first reads go out together as one batch; undefined when they never can. */
  #batching: Promise<boolean> | undefined;
  #queued: Queued[] = [];
  #flushScheduled = false;

  /**
   * `capabilityStatement` is the EHR's CapabilityStatement when the caller already asked for it
   * (the sidebar does, beside the banner): it saves a read and lets the first reads be batched.
   */
  constructor(fhir: FhirRequester, fhirBase: string, signal: AbortSignal | undefined, capabilityStatement?: Promise<unknown>) {
    this.#fhir = fhir;
    this.#signal = signal;
    this.#base = new URL(`${fhirBase.replace(/\/+$/, '')}/`);
    this.#basePath = this.#base.pathname;
    if (capabilityStatement) this.#capability = capabilityStatement.then(parseCapability, () => undefined);
    if (fhir.batch && this.#capability) this.#batching = this.#capability.then((c) => c?.batch === true);
  }

  /** GET a URL relative to the FHIR base; `depth` is this request's place in its chain (1 = needs nothing). */
  async get(url: string, depth: number): Promise<unknown> {
    this.#signal?.throwIfAborted();
    if (depth > this.depth) this.depth = depth;
    // Reads that need no earlier answer share one round trip (and one CORS preflight) when the
    // EHR takes batches, instead of a request and a preflight each on six connections.
    // Without a batch to wait for, the request leaves at once (synchronously).
    if (depth === 1 && this.#batching && (await this.#batching)) return this.#inBatch(url);
    return this.#send(url);
  }

  async #send(url: string): Promise<unknown> {
    this.#signal?.throwIfAborted();
    this.requests += 1;
    try {
      return await this.#fhir.request<unknown>(url, this.#signal ? { signal: this.#signal } : {});
    } catch (error) {
      this.#signal?.throwIfAborted();
      if (isAbortError(error)) throw error;
      throw new RequestFailed(httpStatusOf(error));
    }
  }

  #inBatch(url: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#queued.push({ url, resolve, reject });
      if (this.#flushScheduled) return;
      this.#flushScheduled = true;
      // A task, not a microtask: every section's first read is queued by then.
      setTimeout(() => void this.#flush(), 0);
    });
  }

  async #flush(): Promise<void> {
    const queued = this.#queued;
    this.#queued = [];
    // A first read made after this batch has left goes in the next one instead of waiting forever.
    this.#flushScheduled = false;
    if (queued.length === 1) {
      const [only] = queued;
      this.#send(only!.url).then(only!.resolve, only!.reject);
      return;
    }
    let entries: Array<Record<string, unknown>>;
    try {
      this.#signal?.throwIfAborted();
      this.requests += 1;
      const bundle = { resourceType: 'Bundle', type: 'batch', entry: queued.map((q) => ({ request: { method: 'GET', url: q.url } })) };
      entries = batchResponseEntries(await this.#fhir.batch!<unknown>(bundle, this.#signal ? { signal: this.#signal } : {}), queued.length);
    } catch (error) {
      if (this.#signal?.aborted || isAbortError(error)) {
        for (const q of queued) q.reject(this.#signal?.reason ?? error);
        return;
      }
      // The EHR would not answer the batch: each read goes on its own, a round trip later.
      return this.#eachAlone(queued);
    }
    const statuses = entries.map(entryStatus);
    // Not one read answered: an EHR that lists batch may still take no searches in one. Each read
    // then goes on its own, and a refusal that is real comes back the same way.
    if (!entries.some((entry, i) => answered(statuses[i]) && isRecord(entry.resource))) return this.#eachAlone(queued);
    entries.forEach((entry, i) => {
      const q = queued[i]!;
      const status = statuses[i];
      if (answered(status) && isRecord(entry.resource)) q.resolve(entry.resource);
      else q.reject(new RequestFailed(status !== undefined && status >= 100 && status <= 599 ? status : undefined));
    });
  }

  /** Batching is given up: the queued reads go one by one, a round trip after the batch. */
  #eachAlone(queued: readonly Queued[]): void {
    this.#batching = undefined;
    if (this.depth < 2) this.depth = 2;
    for (const q of queued) this.#send(q.url).then(q.resolve, q.reject);
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
    let pending = this.get(url, depth);
    try {
      for (let page = 1; ; page++) {
        const body = await pending;
        const next = nextLink(body);
        const relative = next === undefined ? undefined : this.onBase(next);
        // The next page is asked for before this one is read, so the EHR works on it meanwhile;
        // should this page fill the cap, its answer is simply not used.
        const following =
          relative !== undefined && !seen.has(relative) && page < MAX_PAGES_PER_SEARCH && keepGoing() ? this.get(relative, depth + 1) : undefined;
        following?.catch(() => undefined);
        onPage(bundleResources(body), depth);
        if (!next) return { truncated: false, offBase: false, depth };
        if (!keepGoing() || page >= MAX_PAGES_PER_SEARCH) return { truncated: true, offBase: false, depth };
        if (!relative) return { truncated: true, offBase: true, depth };
        // A server that hands back a page it already gave has no more to give.
        if (seen.has(relative) || !following) return { truncated: false, offBase: false, depth };
        seen.add(relative);
        url = relative;
        depth += 1;
        pending = following;
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
  const batch = records(body.rest).some(
    (rest) => (rest.mode === undefined || rest.mode === 'server') && records(rest.interaction).some((interaction) => interaction.code === 'batch'),
  );
  return { types, batch };
}

/** The HTTP status a batch-response entry reports (`"200 OK"` → 200), or undefined when it has none. */
function entryStatus(entry: Record<string, unknown>): number | undefined {
  const status = Number.parseInt(text(isRecord(entry.response) ? entry.response.status : undefined) ?? '', 10);
  return Number.isNaN(status) ? undefined : status;
}

function answered(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/**
 * The entries of a `batch-response`, one per request in order. Anything else (another Bundle
 * type, a different count) means the batch can't be trusted, and its reads are made one by one.
 */
function batchResponseEntries(body: unknown, count: number): Array<Record<string, unknown>> {
  if (!isRecord(body) || body.resourceType !== 'Bundle' || body.type !== 'batch-response' || !Array.isArray(body.entry)) {
    throw new Error('not a batch-response Bundle');
  }
  const entries = (body.entry as unknown[]).filter(isRecord);
  if (entries.length !== count || entries.length !== body.entry.length) throw new Error('the batch-response has a different number of entries');
  return entries;
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
