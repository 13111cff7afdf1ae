/**
 * The repository the FHIR router talks to: medplum's MemoryRepository underneath, with access
 * control, validation, reference resolution, paging and undo around it. Access is enforced here
 * rather than in request handling because batch and transaction entries reach the repository
 * through the router's handlers directly.
 */
import './websocket-stub.ts';
import { validateResource } from '@medplum/core';
import type { Operation, SearchRequest, WithId } from '@medplum/core';
import { FhirRepository } from '@medplum/fhir-router';
import type {
  CreateResourceOptions,
  SearchOptions,
  TransactionOptions,
  UpdateResourceOptions,
} from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Parameters, Reference, Resource } from '@medplum/fhirtypes';
import type { AccessPolicy } from './access.ts';
import { isNotFound, methodNotAllowed, notFound, notSupported } from './outcomes.ts';
import { resolveReferences } from './references.ts';
import type { IndexedStore } from './search-index.ts';
import { engineSortOrder, pageLinks, prepareSearch, type PageLimits } from './search.ts';

export interface RepositoryContext {
  readonly store: IndexedStore;
  readonly baseUrl: string;
  readonly limits: PageLimits;
  /** Absent for the server's own seeding, which is unchecked. */
  readonly policy?: AccessPolicy;
  readonly validate: boolean;
}

type UndoStep = { readonly created: { type: string; id: string } } | { readonly replaced: WithId<Resource> };

export class SandboxRepository extends FhirRepository {
  readonly #ctx: RepositoryContext;
  #undo: UndoStep[] | undefined;

  constructor(ctx: RepositoryContext) {
    super();
    this.#ctx = ctx;
  }

  setMode(): void {
    // One in-memory store: there is no reader replica to switch to.
  }

  generateId(): string {
    return this.#ctx.store.generateId();
  }

  async readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    this.#ctx.policy?.requireType(resourceType, 'r');
    const resource = await this.#stored<T>(resourceType, id);
    this.#ctx.policy?.assertCanRead(resource);
    return resource;
  }

  async readVersion<T extends Resource>(resourceType: string, id: string, vid: string): Promise<WithId<T>> {
    this.#ctx.policy?.requireType(resourceType, 'r');
    let version: WithId<T>;
    try {
      version = (await this.#ctx.store.readVersion<T>(resourceType, id, vid)) as WithId<T>;
    } catch (err) {
      if (isNotFound(err)) throw notFound(`${resourceType}/${id} has no version ${vid}`);
      throw err;
    }
    this.#ctx.policy?.assertCanRead(version);
    return version;
  }

  async readReference<T extends Resource>(reference: Reference<T>): Promise<WithId<T>> {
    const [type, id, ...rest] = (reference.reference ?? '').split('/');
    if (!type || !id || rest.length > 0) throw notSupported(`Cannot read the reference '${reference.reference ?? ''}'`);
    return this.readResource<T>(type, id);
  }

  async readReferences<T extends Resource>(references: readonly Reference<T>[]): Promise<(T | Error)[]> {
    return Promise.all(references.map((r) => this.readReference(r).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))));
  }

  async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    const policy = this.#ctx.policy;
    policy?.requireType(resource.resourceType, 'c');
    const candidate = structuredClone(resource);
    // Ids come from the server unless the batch processor assigned one to resolve references.
    if (!options?.assignedId) delete candidate.id;
    await this.#prepareWrite(candidate);
    policy?.assertCanWrite(candidate, 'c');
    const created = await this.#ctx.store.createResource(candidate, options);
    this.#undo?.push({ created: { type: created.resourceType, id: created.id } });
    return created;
  }

  async updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    const policy = this.#ctx.policy;
    policy?.requireType(resource.resourceType, 'u');
    if (!resource.id) throw notSupported('An update needs the resource id');
    let existing: WithId<T>;
    try {
      existing = await this.#stored<T>(resource.resourceType, resource.id);
    } catch (err) {
      if (isNotFound(err)) throw methodNotAllowed(`${resource.resourceType}/${resource.id} does not exist, and this server does not create resources by update`);
      throw err;
    }
    // Both the version being replaced and the new one must be within the caller's reach.
    policy?.assertCanWrite(existing, 'u');
    const candidate = structuredClone(resource);
    await this.#prepareWrite(candidate);
    policy?.assertCanWrite(candidate, 'u');
    const updated = await this.#ctx.store.updateResource(candidate, options);
    this.#undo?.push({ replaced: existing });
    return updated;
  }

  async search<T extends Resource>(request: SearchRequest<T>, _options?: SearchOptions): Promise<Bundle<WithId<T>>> {
    const { policy, store, baseUrl, limits } = this.#ctx;
    const prepared = prepareSearch(request, limits, baseUrl);
    const plan = policy?.planSearch(prepared);
    // The compartment filter goes last: the engine stops at the first failing filter, and the
    // caller's own filters are usually the more selective ones.
    const effective: SearchRequest<T> = plan?.extraFilters.length
      ? { ...prepared, filters: [...(prepared.filters ?? []), ...plan.extraFilters] }
      : prepared;
    // The index answers searches limited to one patient; anything else takes medplum's scan.
    const bundle = (await store.index?.search(effective, plan?.patient)) ?? (await store.search(engineSortOrder(effective)));

    let entries = bundle.entry ?? [];
    if (policy) {
      const before = entries.length;
      entries = entries.filter((entry) => {
        const resource = entry.resource;
        if (!resource) return false;
        if (entry.search?.mode === 'match') {
          // Already narrowed by the query; this only guards against a filter that missed.
          if (!plan?.patient) return true;
          try {
            policy.assertCanRead(resource, ['r', 's'], store.index?.references(resource));
            return true;
          } catch {
            return false;
          }
        }
        // An `_include`d resource the token may not see fails the whole search rather than
        // disappearing: the client asked for it by name.
        policy.assertCanRead(resource, ['r', 's']);
        return true;
      });
      if (bundle.total !== undefined) bundle.total -= before - entries.length;
    }
    for (const entry of entries) {
      if (entry.resource) entry.fullUrl = `${baseUrl}/${entry.resource.resourceType}/${entry.resource.id}`;
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(bundle.total !== undefined ? { total: bundle.total } : {}),
      link: pageLinks(effective, bundle.total, baseUrl),
      ...(entries.length > 0 ? { entry: entries as BundleEntry<WithId<T>>[] } : {}),
    };
  }

  /** Every match of a search, unpaged and unchecked, for the sandbox's own pages. */
  async searchAll<T extends Resource>(request: SearchRequest<T>): Promise<WithId<T>[]> {
    if (this.#ctx.policy) throw new Error('searchAll is for unchecked repositories only');
    const prepared = prepareSearch(request, this.#ctx.limits, this.#ctx.baseUrl, false);
    const bundle = await this.#ctx.store.search(engineSortOrder(prepared));
    return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  }

  /**
   * Runs `callback` so that, if it fails, everything it created or replaced is undone. The memory
   * store has no transactions of its own; nested calls join the outermost one.
   */
  async withTransaction<TResult>(callback: (txRepo: this) => Promise<TResult>, _options?: TransactionOptions): Promise<TResult> {
    if (this.#undo) return callback(this);
    const steps: UndoStep[] = [];
    this.#undo = steps;
    try {
      return await callback(this);
    } catch (err) {
      await this.#rollBack(steps);
      throw err;
    } finally {
      this.#undo = undefined;
    }
  }

  async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<WithId<T>>> {
    throw methodNotAllowed(`History (${resourceType}/${id}/_history) is not supported; read a version with _history/<vid>`);
  }

  async deleteResource(resourceType: string): Promise<void> {
    throw methodNotAllowed(`Deleting ${resourceType} resources is not supported by this sandbox`);
  }

  async patchResource<T extends Resource>(resourceType: T['resourceType'], _id: string, _patch: Operation[] | Parameters): Promise<WithId<T>> {
    throw methodNotAllowed(`PATCH of ${resourceType} is not supported; send the whole resource with PUT`);
  }

  override async conditionalUpdate<T extends Resource>(resource: T): Promise<{ resource: WithId<T>; outcome: never }> {
    throw methodNotAllowed(`Conditional update of ${resource.resourceType} is not supported; PUT to ${resource.resourceType}/<id>`);
  }

  override async conditionalDelete(search: SearchRequest): Promise<void> {
    throw methodNotAllowed(`Conditional delete of ${search.resourceType} is not supported`);
  }

  override async conditionalPatch(search: SearchRequest): Promise<WithId<Resource>> {
    throw methodNotAllowed(`Conditional PATCH of ${search.resourceType} is not supported`);
  }

  async searchByReference<T extends Resource>(searchRequest: SearchRequest<T>): Promise<Record<string, WithId<T>[]>> {
    throw notSupported(`Searching ${searchRequest.resourceType} by reference lists (GraphQL) is not supported`);
  }

  async #stored<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    try {
      return (await this.#ctx.store.readResource<T>(resourceType, id)) as WithId<T>;
    } catch (err) {
      if (isNotFound(err)) throw notFound(`${resourceType}/${id} was not found`);
      throw err;
    }
  }

  async #prepareWrite(resource: Resource): Promise<void> {
    await resolveReferences(resource, this.#ctx.baseUrl, (request) => this.searchResources(request));
    if (!this.#ctx.validate) return;
    // validateResource throws an OperationOutcome (400) on errors and returns mere warnings.
    validateResource(resource);
  }

  async #rollBack(steps: UndoStep[]): Promise<void> {
    const store = this.#ctx.store;
    for (const step of [...steps].reverse()) {
      if ('created' in step) {
        await store.expungeResource(step.created.type, step.created.id);
      } else {
        // Seeding mode keeps the old version id and timestamp instead of minting new ones.
        await store.withSeeding(() => store.updateResource(step.replaced));
      }
    }
  }
}
