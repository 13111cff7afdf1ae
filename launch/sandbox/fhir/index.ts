/**
 * The sandbox EHR's FHIR R4 server core. It receives requests the HTTP layer has already
 * authenticated, together with the token's AccessGrant, and answers them from an in-memory store
 * (medplum's MemoryRepository and FhirRouter) with SMART scope and patient-compartment checks.
 */
import './websocket-stub.ts';
import { OperationOutcomeError, isOk, isResourceType, parseSearchRequest } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { FhirRequest, HttpMethod } from '@medplum/fhir-router';
import type * as M from '@medplum/fhirtypes';
import type { Bundle, CapabilityStatement, Resource } from 'fhir/r4';
import type { AccessGrant } from '../scopes.ts';
import { AccessPolicy } from './access.ts';
import { buildCapabilityStatement } from './capability.ts';
import { PatientCompartment, ensureDefinitions, isServedType } from './definitions.ts';
import { invalid, isNotFound, methodNotAllowed, notFound, serverError, statusOf } from './outcomes.ts';
import { resolveWithinBundle } from './references.ts';
import { SandboxRepository } from './repository.ts';
import { IndexedStore, type SearchIndexStats } from './search-index.ts';
import type { PageLimits } from './search.ts';

export interface FhirHttpRequest {
  method: string;
  /** Absolute, including the query, under `baseUrl`. */
  url: URL;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON, or URLSearchParams for a form-encoded `_search` POST, or undefined. */
  body?: unknown;
}

export interface FhirHttpResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON-serialisable; undefined means no body. */
  body?: unknown;
}

export interface FhirServerOptions {
  /** e.g. http://localhost:4000/fhir */
  baseUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** Page size when a search gives no `_count` (50). */
  defaultPageSize?: number;
  /** Larger `_count` values are clamped to this (1000). */
  maxPageSize?: number;
  /**
   * Per-patient search index and paging without re-searching (default true); false leaves every
   * search to medplum's linear scan, for comparisons.
   */
  searchIndex?: boolean;
}

export interface FhirServer {
  handle(req: FhirHttpRequest, grant: AccessGrant): Promise<FhirHttpResponse>;
  /** Unauthenticated: GET metadata (CapabilityStatement) — the http layer calls this without a token. */
  capabilityStatement(): CapabilityStatement;
  /** Seed: store resources keeping their ids (no access checks, no validation). */
  load(resources: Resource[]): Promise<void>;
  /**
   * Seed: process a transaction (or batch) Bundle such as a Synthea export, all or nothing;
   * `urn:uuid:` and conditional references are resolved. Returns the ids of its Patients.
   */
  loadTransaction(bundle: Bundle): Promise<{ patientIds: string[] }>;
  /** Direct, unchecked reads for the sandbox's own EHR pages and tests. */
  readUnchecked<T extends Resource>(type: string, id: string): Promise<T | undefined>;
  /** Every match, unpaged unless the query sets `_count`/`_offset`. */
  searchUnchecked<T extends Resource>(type: string, query: string): Promise<T[]>;
  /** How many searches the index answered by scanning a patient's resources or from a kept result; undefined without the index. */
  searchIndexStats(): Readonly<SearchIndexStats> | undefined;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

type Route =
  | { readonly kind: 'metadata' }
  | { readonly kind: 'bundle' }
  | { readonly kind: 'search'; readonly type: string }
  | { readonly kind: 'create'; readonly type: string }
  | { readonly kind: 'read' | 'update'; readonly type: string; readonly id: string }
  | { readonly kind: 'vread'; readonly type: string; readonly id: string; readonly vid: string };

let compartment: PatientCompartment | undefined;

export async function createFhirServer(options: FhirServerOptions): Promise<FhirServer> {
  ensureDefinitions();
  compartment ??= new PatientCompartment();
  return new SandboxFhirServer(options, compartment);
}

class SandboxFhirServer implements FhirServer {
  readonly #baseUrl: string;
  readonly #basePath: string;
  readonly #limits: PageLimits;
  readonly #compartment: PatientCompartment;
  readonly #store: IndexedStore;
  readonly #router = new FhirRouter();
  readonly #capability: M.CapabilityStatement;

  constructor(options: FhirServerOptions, patientCompartment: PatientCompartment) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#basePath = new URL(this.#baseUrl).pathname.replace(/\/+$/, '');
    const maxCount = options.maxPageSize ?? 1000;
    const defaultCount = Math.min(options.defaultPageSize ?? 50, maxCount);
    if (!Number.isInteger(maxCount) || maxCount < 1 || !Number.isInteger(defaultCount) || defaultCount < 1) {
      throw new Error('defaultPageSize and maxPageSize must be positive whole numbers');
    }
    this.#limits = { defaultCount, maxCount };
    this.#compartment = patientCompartment;
    this.#store = new IndexedStore(patientCompartment, { indexed: options.searchIndex !== false });
    this.#capability = buildCapabilityStatement({
      baseUrl: this.#baseUrl,
      authorizeUrl: options.authorizeUrl,
      tokenUrl: options.tokenUrl,
      maxPageSize: maxCount,
    });
  }

  capabilityStatement(): CapabilityStatement {
    // A copy: callers may decorate it, and the next request must not see that.
    return structuredClone(this.#capability) as CapabilityStatement;
  }

  async handle(req: FhirHttpRequest, grant: AccessGrant): Promise<FhirHttpResponse> {
    try {
      const repo = this.#repository(new AccessPolicy(grant, this.#compartment, this.#baseUrl));
      return await this.#dispatch(req, repo);
    } catch (err) {
      return outcomeResponse(err instanceof OperationOutcomeError ? err.outcome : serverError(err));
    }
  }

  async load(resources: Resource[]): Promise<void> {
    const copies = resources.map((resource) => {
      if (!isServedType(String(resource?.resourceType))) throw new Error(`load: cannot store a resource of type ${String(resource?.resourceType)}`);
      return structuredClone(resource) as M.Resource;
    });
    // Checked above: medplum's withSeeding does not reset its flag if the callback throws.
    await this.#store.seed(copies);
  }

  async loadTransaction(bundle: Bundle): Promise<{ patientIds: string[] }> {
    const copy = structuredClone(bundle) as M.Bundle;
    if (copy.resourceType !== 'Bundle' || (copy.type !== 'transaction' && copy.type !== 'batch')) {
      throw new Error(`loadTransaction needs a transaction or batch Bundle, not ${copy.resourceType} ${copy.type ?? ''}`);
    }
    resolveWithinBundle(copy);
    const result = await this.#runAllOrNothing(copy, this.#repository(undefined));
    const patientIds = (result.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Patient' && e.resource.id ? [e.resource.id] : []));
    return { patientIds };
  }

  async readUnchecked<T extends Resource>(type: string, id: string): Promise<T | undefined> {
    try {
      return (await this.#store.readResource(type, id)) as unknown as T;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async searchUnchecked<T extends Resource>(type: string, query: string): Promise<T[]> {
    const search = query.replace(/^\?/, '');
    const request = parseSearchRequest(search ? `${type}?${search}` : type);
    return (await this.#repository(undefined).searchAll(request)) as unknown as T[];
  }

  searchIndexStats(): Readonly<SearchIndexStats> | undefined {
    const stats = this.#store.index?.stats;
    return stats ? { ...stats } : undefined;
  }

  #repository(policy: AccessPolicy | undefined): SandboxRepository {
    return new SandboxRepository({
      store: this.#store,
      baseUrl: this.#baseUrl,
      limits: this.#limits,
      ...(policy ? { policy } : {}),
      validate: policy !== undefined,
    });
  }

  async #dispatch(req: FhirHttpRequest, repo: SandboxRepository): Promise<FhirHttpResponse> {
    const method = req.method.toUpperCase();
    const route = this.#route(method, req.url);
    if ('status' in route) return route;
    switch (route.kind) {
      case 'metadata':
        return { status: 200, headers: { 'content-type': FHIR_JSON }, body: this.capabilityStatement() };
      case 'bundle':
        return this.#bundle(req.body, repo);
      case 'search': {
        const query = searchQuery(req);
        return this.#call(routerRequest('GET', `${route.type}${query ? `?${query}` : ''}`), repo, 'search', req);
      }
      case 'create': {
        const body = resourceBody(req.body, route.type);
        // FHIR: the server ignores a client-chosen id on create.
        delete body.id;
        return this.#call(routerRequest('POST', route.type, body, req.headers), repo, 'create', req);
      }
      case 'read':
        return this.#call(routerRequest('GET', `${route.type}/${route.id}`), repo, 'read', req);
      case 'update':
        return this.#call(routerRequest('PUT', `${route.type}/${route.id}`, resourceBody(req.body, route.type), req.headers), repo, 'update', req);
      case 'vread':
        return this.#call(routerRequest('GET', `${route.type}/${route.id}/_history/${route.vid}`), repo, 'read', req);
    }
  }

  /** The interaction a method and path ask for, or the 404/405 answer when there is none. */
  #route(method: string, url: URL): Route | FhirHttpResponse {
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== this.#basePath && !path.startsWith(`${this.#basePath}/`)) {
      throw notFound(`${url.pathname} is not under the FHIR base ${this.#baseUrl}`);
    }
    let segments: string[];
    try {
      segments = path.slice(this.#basePath.length).split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw invalid(`Malformed path: ${url.pathname}`);
    }
    const allow = (methods: string[], route: Route): Route | FhirHttpResponse =>
      methods.includes(method) ? route : notAllowed(methods, `${method} is not supported on ${url.pathname}`);

    const [type, second, third, fourth, ...rest] = segments;
    if (type === undefined) {
      return allow(['POST'], { kind: 'bundle' });
    }
    if (type === 'metadata' && second === undefined) return allow(['GET'], { kind: 'metadata' });
    if (!isServedType(type)) throw notFound(`Unknown resource type: ${type}`);
    if (second === undefined) return method === 'POST' ? { kind: 'create', type } : allow(['GET', 'POST'], { kind: 'search', type });
    if (second === '_search' && third === undefined) return allow(['POST'], { kind: 'search', type });
    if (second.startsWith('$')) throw notFound(`The operation ${second} is not supported on ${type}`);
    if (third === undefined) return method === 'PUT' ? { kind: 'update', type, id: second } : allow(['GET', 'PUT'], { kind: 'read', type, id: second });
    if (third === '_history' && fourth === undefined) return notAllowed([], `History (${type}/${second}/_history) is not supported; read a version with _history/<vid>`);
    if (third === '_history' && fourth !== undefined && rest.length === 0) return allow(['GET'], { kind: 'vread', type, id: second, vid: fourth });
    throw notFound(`No FHIR endpoint at ${url.pathname}`);
  }

  async #call(request: FhirRequest, repo: SandboxRepository, kind: 'search' | 'read' | 'create' | 'update', req: FhirHttpRequest): Promise<FhirHttpResponse> {
    const [outcome, resource] = await this.#router.handleRequest(request, repo);
    const status = statusOf(outcome);
    if (status >= 400 || !resource) return outcomeResponse(outcome);
    if (kind === 'search') return { status, headers: { 'content-type': FHIR_JSON }, body: resource };

    const headers: Record<string, string> = { 'content-type': FHIR_JSON, ...versionHeaders(resource) };
    if (kind === 'create' || kind === 'update') headers.location = this.#versionUrl(resource);
    const prefer = /return=([\w-]+)/i.exec(req.headers.prefer ?? '')?.[1]?.toLowerCase();
    if (kind !== 'read' && prefer === 'minimal') {
      delete headers['content-type'];
      return { status, headers };
    }
    if (kind !== 'read' && prefer === 'operationoutcome') return { status, headers, body: outcome };
    return { status, headers, body: resource };
  }

  async #bundle(body: unknown, repo: SandboxRepository): Promise<FhirHttpResponse> {
    const input = body as M.Bundle | undefined;
    if (input?.resourceType !== 'Bundle' || (input.type !== 'batch' && input.type !== 'transaction')) {
      throw invalid('POST to the FHIR base needs a Bundle of type batch or transaction');
    }
    const bundle = structuredClone(input);
    resolveWithinBundle(bundle);
    const result = bundle.type === 'transaction' ? await this.#runAllOrNothing(bundle, repo) : await this.#run(bundle, repo);
    for (const entry of result.entry ?? []) {
      const response = entry.response;
      if (response?.outcome) response.status = String(statusOf(response.outcome));
      const resource = entry.resource;
      if (!resource?.id || resource.resourceType === 'Bundle') continue;
      entry.fullUrl = `${this.#baseUrl}/${resource.resourceType}/${resource.id}`;
      if (response && resource.meta?.versionId) {
        response.etag = `W/"${resource.meta.versionId}"`;
        if (resource.meta.lastUpdated) response.lastModified = resource.meta.lastUpdated;
        if (response.status === '201') response.location = `${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
      }
    }
    return { status: 200, headers: { 'content-type': FHIR_JSON }, body: result };
  }

  /** Each entry on its own, as a batch; failures become that entry's response. */
  async #run(bundle: M.Bundle, repo: SandboxRepository): Promise<M.Bundle> {
    const [outcome, result] = await this.#router.handleRequest(routerRequest('POST', '', bundle), repo);
    if (!isOk(outcome) || result?.resourceType !== 'Bundle') throw new OperationOutcomeError(outcome);
    return result;
  }

  /**
   * A transaction: entries run in FHIR's order with references rewritten, and the first failure
   * undoes them all and becomes the answer. medplum's own transaction mode is not used: it caps
   * conditional creates at 8 entries per bundle (a Postgres isolation limit), which Synthea's
   * provider bundles exceed, and the memory store would not roll it back anyway.
   */
  async #runAllOrNothing(bundle: M.Bundle, repo: SandboxRepository): Promise<M.Bundle> {
    return repo.withTransaction(async () => {
      const result = await this.#run(bundle, repo);
      (result.entry ?? []).forEach((entry, index) => {
        const outcome = entry.response?.outcome;
        if (!outcome || isOk(outcome)) return;
        const request = bundle.entry?.[index]?.request;
        const where = `Bundle.entry[${index}]`;
        throw new OperationOutcomeError({
          ...outcome,
          issue: outcome.issue.map((issue) => ({
            ...issue,
            details: { ...issue.details, text: `Transaction failed at entry ${index} (${request?.method ?? '?'} ${request?.url ?? '?'}): ${issue.details?.text ?? issue.diagnostics ?? 'error'}` },
            expression: [...(issue.expression ?? []), where],
          })),
        });
      });
      return result;
    });
  }

  #versionUrl(resource: M.Resource): string {
    const vid = resource.meta?.versionId;
    return `${this.#baseUrl}/${resource.resourceType}/${resource.id ?? ''}${vid ? `/_history/${vid}` : ''}`;
  }
}

function routerRequest(method: HttpMethod, url: string, body?: unknown, headers?: Record<string, string | undefined>): FhirRequest {
  return { method, url, pathname: '', params: {}, query: {}, body, headers: headers ?? {}, config: { transactions: false } };
}

/**
 * The search parameters of a GET or `_search` POST (form body, as URLSearchParams, a string or
 * an object). `subject:Patient=123` becomes `subject=Patient/123`: medplum's parser drops a
 * type modifier, which would widen the search to every type with that id.
 */
function searchQuery(req: FhirHttpRequest): string {
  const params = new URLSearchParams(req.url.searchParams);
  const body = req.body;
  if (req.method.toUpperCase() === 'POST' && body !== undefined && body !== null) {
    if (body instanceof URLSearchParams) for (const [k, v] of body) params.append(k, v);
    else if (typeof body === 'string') for (const [k, v] of new URLSearchParams(body)) params.append(k, v);
    else if (typeof body === 'object') {
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) for (const item of [v].flat()) params.append(k, String(item));
    } else throw invalid('A _search POST needs form-encoded parameters');
  }
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    const [code, modifier, ...more] = key.split(':');
    if (code && modifier && more.length === 0 && isResourceType(modifier)) {
      out.append(code, value.split(',').map((v) => (v.includes('/') ? v : `${modifier}/${v}`)).join(','));
    } else {
      out.append(key, value);
    }
  }
  return out.toString();
}

function resourceBody(body: unknown, type: string): M.Resource {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof (body as { resourceType?: unknown }).resourceType !== 'string') {
    throw invalid(`The request body must be a ${type} resource in JSON`);
  }
  return structuredClone(body) as M.Resource;
}

function versionHeaders(resource: M.Resource): Record<string, string> {
  const headers: Record<string, string> = {};
  if (resource.meta?.versionId) headers.etag = `W/"${resource.meta.versionId}"`;
  if (resource.meta?.lastUpdated) headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  return headers;
}

function outcomeResponse(outcome: M.OperationOutcome): FhirHttpResponse {
  return { status: statusOf(outcome), headers: { 'content-type': FHIR_JSON }, body: outcome };
}

function notAllowed(methods: string[], text: string): FhirHttpResponse {
  const response = outcomeResponse(methodNotAllowed(text).outcome);
  response.headers.allow = methods.join(', ');
  return response;
}
