/**
 * A search index for patient-compartment resources, kept beside medplum's in-memory store the way
 * a database keeps an index beside its table. medplum's own search is a linear scan that evaluates
 * FHIRPath for every stored resource of the type (and again in every sort comparison); a chart
 * loader's many per-patient searches over a 20,000-Observation record made that the sandbox's
 * bottleneck.
 *
 * Per resource type and patient the index holds the resources (as frozen snapshots, in the store's
 * own order) with the values of the commonly searched parameters, evaluated at write time with
 * medplum's FHIRPath and its `convertToSearchable*` functions. A search narrowed to one patient
 * filters that patient's resources with those values, using the same comparisons as medplum's
 * `matchesSearchRequest`, evaluates every other parameter with `matchesSearchRequest` itself, and
 * sorts by the same keys medplum sorts by. Ordered results are kept for a short time so that next
 * pages slice them instead of searching again.
 */
import './websocket-stub.ts';
import {
  Operator,
  convertToSearchableDates,
  convertToSearchableReferences,
  convertToSearchableTokens,
  deepClone,
  evalFhirPathTyped,
  isCreated,
  matchesSearchRequest,
  parseFhirPath,
  splitSearchOnComma,
  toPeriod,
  toTypedValue,
} from '@medplum/core';
import type { Filter, FhirPathAtom, SearchRequest, SortRule, WithId } from '@medplum/core';
import { MemoryRepository, getExtraEntries } from '@medplum/fhir-router';
import type { CreateResourceOptions, DeleteResourceOptions } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, OperationOutcome, Period, Resource, ResourceType } from '@medplum/fhirtypes';
import { searchParam, type PatientCompartment } from './definitions.ts';

/** The parameters whose values are kept; any other parameter is evaluated by medplum per candidate. */
const INDEXED_CODES = ['patient', 'subject', 'category', 'code', 'date', 'status', 'clinical-status', 'encounter', 'type', '_lastUpdated'] as const;

/** Parameters that can name the patient whose resources a search is limited to. */
const PATIENT_CODES = ['patient', 'subject'] as const;

const PRESENCE_OPS: ReadonlySet<string> = new Set([Operator.MISSING, Operator.PRESENT]);
const MATCH_OPS: ReadonlySet<string> = new Set([Operator.EQUALS, Operator.NOT_EQUALS, Operator.NOT]);
const DATE_OPS: ReadonlySet<string> = new Set([
  Operator.EQUALS,
  Operator.NOT_EQUALS,
  Operator.APPROXIMATELY,
  Operator.LESS_THAN,
  Operator.GREATER_THAN,
  Operator.LESS_THAN_OR_EQUALS,
  Operator.GREATER_THAN_OR_EQUALS,
  Operator.STARTS_AFTER,
  Operator.ENDS_BEFORE,
]);

/** Below this many matches a sort compares keys directly instead of building the patient's ordering. */
const DIRECT_SORT_LIMIT = 512;

/** Patients with at least this many resources of a type get their columns and date ordering built after seeding. */
const WARM_THRESHOLD = 1000;

/** The form every instant from medplum's `toPeriod` takes for years 0000–9999; its text order is its time order. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * medplum reads a missing period end as the text '9999', which sorts after every instant of years
 * up to 9998 and before any instant of 9999: as a number, just before 9999-01-01.
 */
const OPEN_END = Date.parse('9999-01-01T00:00:00.000Z') - 0.5;

export interface SearchIndexOptions {
  /** How long a search's ordered result serves next pages (60 s). */
  readonly pageTtlMs?: number;
  /** How many searches' results are kept (100). */
  readonly maxCachedSearches?: number;
}

export interface SearchIndexStats {
  /** Searches answered from the index by filtering a patient's resources. */
  scans: number;
  /** Searches (usually next pages) answered from a kept result. */
  cached: number;
}

/** A compartment parameter's indexed reference values for one stored resource, when the index has them. */
export type ReferenceLookup = (code: string) => readonly string[] | undefined;

type ParamKind = 'reference' | 'token' | 'date';

interface ParamPlan {
  readonly code: string;
  /** Where the parameter's values sit in an entry's `values` and a bucket's columns. */
  readonly slot: number;
  readonly kind: ParamKind;
  readonly atom: FhirPathAtom;
  /** medplum matches a bare id only on parameters with one target type. */
  readonly singleTarget: boolean;
  /**
   * Token and reference values repeat across a patient's resources (one subject, a few
   * categories and codes), so equal ones are shared; a search then tests each distinct value once.
   */
  readonly shared: Map<string, Values>;
  readonly table: Values[];
}

interface TypePlan {
  readonly type: ResourceType;
  readonly params: ReadonlyMap<string, ParamPlan>;
  readonly patientCodes: ReadonlySet<string>;
}

/** Token values lower-cased once, as medplum lower-cases both sides of every comparison. */
interface Token {
  readonly system: string | undefined;
  readonly value: string | undefined;
  readonly noSystem: boolean;
}

interface Values {
  /** The expression gave any value at all (`:missing`). */
  readonly present: boolean;
  /** Index into ParamPlan.table, for shared values. */
  readonly id?: number;
  readonly refs?: readonly string[];
  readonly tokens?: readonly Token[];
  /** Start and end instants, or undefined for an open end. */
  readonly dates?: readonly Period[];
  /** What medplum's `_sort` compares, the JSON of the expression's values; kept for dates, the usual sort. */
  readonly sortKey?: string;
}

interface Entry {
  readonly type: string;
  readonly id: string;
  /** Position in the store's iteration order, which breaks every sort tie in medplum's search. */
  readonly seq: number;
  readonly resource: WithId<Resource>;
  /** By ParamPlan.slot. */
  readonly values: readonly Values[];
  readonly patients: readonly string[];
  /** Set when evaluating the resource failed; its type is then searched without the index. */
  readonly broken: boolean;
  /** Other sort keys, computed when a search first sorts by that parameter. */
  extraKeys?: Map<string, string>;
}

/** How a date column holds an entry's value. */
const NO_DATE = 0;
const ONE_INSTANT_PERIOD = 1;
const OTHER_DATES = 2;

/**
 * A patient's indexed values laid out by position in `Bucket.entries`, so a scan reads small
 * typed arrays instead of following pointers through 20,000 objects. Built when first needed
 * after a change.
 */
interface Columns {
  /** Token and reference slots: the shared value's id. */
  readonly ids: (Int32Array | undefined)[];
  /** Date slots: NO_DATE, ONE_INSTANT_PERIOD (then `start`/`end` hold it as numbers) or OTHER_DATES. */
  readonly dateKind: (Uint8Array | undefined)[];
  readonly start: (Float64Array | undefined)[];
  readonly end: (Float64Array | undefined)[];
}

/** Positions in `Bucket.entries` sorted by one parameter both ways, and each position's rank. */
interface Ordering {
  readonly asc: Int32Array;
  readonly desc: Int32Array;
  readonly rank: Int32Array;
}

class Bucket {
  /** In store order. */
  readonly entries: Entry[] = [];
  readonly orderings = new Map<string, Ordering>();
  columns: Columns | undefined;
  version = 0;
}

interface CachedSearch {
  readonly type: string;
  readonly patient: string;
  readonly version: number;
  readonly expires: number;
  readonly entries: readonly Entry[];
}

/** Whether the entry at a position of the bucket passes a filter. */
type Test = (position: number) => boolean;

/**
 * medplum's MemoryRepository with the index maintained on every write, whichever path the write
 * takes (seeding, the repository wrapper, transactions and their rollback), so the index cannot
 * miss one.
 */
export class IndexedStore extends MemoryRepository {
  readonly index: SearchIndex | undefined;

  constructor(compartment: PatientCompartment, options: SearchIndexOptions & { readonly indexed?: boolean } = {}) {
    super();
    this.index = options.indexed === false ? undefined : new SearchIndex(this, compartment, options);
  }

  override async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions, update = false): Promise<WithId<T>> {
    const stored = await super.createResource(resource, options, update);
    if (!this.index?.covers(stored.resourceType)) return stored;
    // The index keeps this copy frozen; the caller gets its own.
    this.index.put(stored as WithId<Resource>);
    return deepClone(stored);
  }

  /** Seeding: stores each resource under its id (or a new one), without copies for a caller. */
  async seed(resources: readonly Resource[]): Promise<void> {
    await this.withSeeding(async () => {
      for (const resource of resources) {
        const stored = await super.createResource(resource, undefined, Boolean(resource.id));
        this.index?.put(stored);
      }
    });
    this.index?.warm();
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    // medplum's own conditional create writes without going through createResource.
    const result = await super.conditionalCreate(resource, search, options);
    if (isCreated(result.outcome)) this.index?.put(deepClone(result.resource) as WithId<Resource>);
    return result;
  }

  override async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    await super.deleteResource(resourceType, id, options);
    this.index?.remove(resourceType, id);
  }

  override async expungeResources(resourceType: string, ids: string[]): Promise<void> {
    await super.expungeResources(resourceType, ids);
    for (const id of ids) this.index?.remove(resourceType, id);
  }

  override clear(): void {
    super.clear();
    this.index?.clear();
  }
}

export class SearchIndex {
  readonly stats: SearchIndexStats = { scans: 0, cached: 0 };
  readonly #store: MemoryRepository;
  readonly #compartment: PatientCompartment;
  readonly #pageTtlMs: number;
  readonly #maxCached: number;
  readonly #plans = new Map<string, TypePlan | null>();
  readonly #entries = new Map<string, Map<string, Entry>>();
  readonly #buckets = new Map<string, Map<string, Bucket>>();
  readonly #broken = new Map<string, number>();
  readonly #bySnapshot = new WeakMap<Resource, Entry>();
  /** Least recently used first. */
  readonly #cache = new Map<string, CachedSearch>();
  /** Buckets changed since the last `warm`. */
  readonly #touched = new Set<Bucket>();
  #seq = 0;
  #version = 0;

  constructor(store: MemoryRepository, compartment: PatientCompartment, options: SearchIndexOptions = {}) {
    this.#store = store;
    this.#compartment = compartment;
    this.#pageTtlMs = options.pageTtlMs ?? 60_000;
    this.#maxCached = options.maxCachedSearches ?? 100;
  }

  covers(resourceType: string): boolean {
    return this.#plan(resourceType) !== undefined;
  }

  /** Indexes a stored version (the store's own copy or an equal one), which is frozen from now on. */
  put(stored: WithId<Resource>): void {
    const plan = this.#plan(stored.resourceType);
    if (!plan) return;
    const byId = mapFor(this.#entries, plan.type, () => new Map<string, Entry>());
    const old = byId.get(stored.id);
    if (old) this.#unlink(old);
    const entry = buildEntry(plan, deepFreeze(stored), old?.seq ?? ++this.#seq);
    byId.set(entry.id, entry);
    this.#bySnapshot.set(entry.resource, entry);
    if (entry.broken) {
      this.#broken.set(plan.type, (this.#broken.get(plan.type) ?? 0) + 1);
      return;
    }
    const buckets = mapFor(this.#buckets, plan.type, () => new Map<string, Bucket>());
    for (const patient of entry.patients) {
      const bucket = mapFor(buckets, patient, () => new Bucket());
      const list = bucket.entries;
      // Appending is the common case: new resources come last in the store's order too.
      if (list.length === 0 || (list.at(-1)?.seq ?? 0) < entry.seq) list.push(entry);
      else list.splice(seqIndex(list, entry.seq), 0, entry);
      this.#changed(plan.type, patient, bucket);
    }
  }

  remove(resourceType: string, id: string): void {
    const entry = this.#entries.get(resourceType)?.get(id);
    if (!entry) return;
    this.#unlink(entry);
    this.#entries.get(resourceType)?.delete(id);
  }

  /**
   * Builds the columns and date ordering of every large patient changed since the last call, so
   * that the first search after seeding does not pay for them.
   */
  warm(): void {
    for (const [type, buckets] of this.#buckets) {
      const plan = this.#plan(type);
      if (!plan) continue;
      for (const bucket of buckets.values()) {
        if (!this.#touched.has(bucket) || bucket.entries.length < WARM_THRESHOLD) continue;
        columnsOf(plan, bucket);
        if (plan.params.get('date')) ordering(plan, bucket, 'date');
      }
    }
    this.#touched.clear();
  }

  clear(): void {
    this.#touched.clear();
    this.#entries.clear();
    this.#buckets.clear();
    this.#broken.clear();
    this.#cache.clear();
  }

  /** The indexed reference values of a resource this index returned, for compartment checks. */
  references(resource: Resource): ReferenceLookup | undefined {
    const entry = this.#bySnapshot.get(resource);
    const plan = entry && this.#plan(entry.type);
    return entry && plan ? (code) => valuesOf(plan, entry, code)?.refs : undefined;
  }

  /**
   * Runs a search the way the store would, or returns undefined when the index cannot answer it
   * exactly. `request` keeps FHIR's `_sort` order (first key primary) and its paging; `scope`
   * (the token's patient, if any) is part of the key results are kept under.
   */
  async search<T extends Resource>(request: SearchRequest<T>, scope = ''): Promise<Bundle<WithId<T>> | undefined> {
    const plan = this.#plan(request.resourceType);
    if (!plan || (this.#broken.get(plan.type) ?? 0) > 0) return undefined;
    const filters = request.filters ?? [];
    // medplum resolves chains against other resources, which the per-patient lists do not hold.
    if (filters.some((f) => f.code.includes('.') || f.code.startsWith('_has'))) return undefined;
    const patient = patientOf(plan, filters);
    if (patient === undefined) return undefined;

    const key = cacheKey(plan.type, scope, filters, request.sortRules ?? []);
    const bucket = this.#buckets.get(plan.type)?.get(patient);
    let ordered = this.#cached(key, bucket);
    if (ordered) {
      this.stats.cached++;
    } else {
      this.stats.scans++;
      ordered = bucket ? orderedMatches(plan, bucket, filters, request.sortRules ?? []) : [];
      this.#remember(key, { type: plan.type, patient, version: bucket?.version ?? -1, expires: Date.now() + this.#pageTtlMs, entries: ordered });
    }

    const offset = request.offset ?? 0;
    const page = ordered.slice(offset, request.count === undefined ? undefined : offset + request.count);
    const entries: BundleEntry[] = page.map((e) => ({ search: { mode: 'match' }, resource: e.resource }));
    if ((request.include || request.revInclude) && entries.length > 0) {
      await getExtraEntries(this.#store, request as SearchRequest, page.map((e) => e.resource), entries);
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(entries.length > 0 ? { entry: entries as BundleEntry<WithId<T>>[] } : {}),
      total: ordered.length,
    };
  }

  #plan(resourceType: string): TypePlan | undefined {
    let plan = this.#plans.get(resourceType);
    if (plan === undefined) {
      plan = makePlan(resourceType, this.#compartment);
      this.#plans.set(resourceType, plan);
    }
    return plan ?? undefined;
  }

  #unlink(entry: Entry): void {
    if (entry.broken) {
      const left = (this.#broken.get(entry.type) ?? 1) - 1;
      if (left > 0) this.#broken.set(entry.type, left);
      else this.#broken.delete(entry.type);
      return;
    }
    for (const patient of entry.patients) {
      const bucket = this.#buckets.get(entry.type)?.get(patient);
      if (!bucket) continue;
      const at = seqIndex(bucket.entries, entry.seq);
      if (bucket.entries[at] === entry) bucket.entries.splice(at, 1);
      this.#changed(entry.type, patient, bucket);
    }
  }

  #changed(type: string, patient: string, bucket: Bucket): void {
    bucket.version = ++this.#version;
    bucket.orderings.clear();
    bucket.columns = undefined;
    this.#touched.add(bucket);
    if (this.#cache.size === 0) return;
    for (const [key, cached] of this.#cache) {
      if (cached.type === type && cached.patient === patient) this.#cache.delete(key);
    }
  }

  #cached(key: string, bucket: Bucket | undefined): readonly Entry[] | undefined {
    const cached = this.#cache.get(key);
    if (!cached) return undefined;
    this.#cache.delete(key);
    if (cached.expires <= Date.now() || cached.version !== (bucket?.version ?? -1)) return undefined;
    this.#cache.set(key, cached);
    return cached.entries;
  }

  #remember(key: string, cached: CachedSearch): void {
    this.#cache.delete(key);
    this.#cache.set(key, cached);
    for (const oldest of this.#cache.keys()) {
      if (this.#cache.size <= this.#maxCached) break;
      this.#cache.delete(oldest);
    }
  }
}

function makePlan(resourceType: string, compartment: PatientCompartment): TypePlan | null {
  if (resourceType === 'Patient' || !compartment.isMemberType(resourceType)) return null;
  // The parameter the wrapper narrows a patient-scoped search with must be one the index can use.
  const restricting = compartment.restriction(resourceType, '').code;
  const params = new Map<string, ParamPlan>();
  for (const code of new Set<string>([...INDEXED_CODES, restricting])) {
    const param = searchParam(resourceType, code);
    const kind = param?.type;
    if (!param?.expression || (kind !== 'reference' && kind !== 'token' && kind !== 'date')) continue;
    params.set(code, {
      code,
      slot: params.size,
      kind,
      atom: parseFhirPath(param.expression),
      singleTarget: param.target?.length === 1,
      shared: new Map(),
      table: [],
    });
  }
  const patientCodes = new Set([...PATIENT_CODES, restricting].filter((code) => params.get(code)?.kind === 'reference'));
  return patientCodes.size > 0 ? { type: resourceType as ResourceType, params, patientCodes } : null;
}

function buildEntry(plan: TypePlan, resource: WithId<Resource>, seq: number): Entry {
  const values: Values[] = [];
  const patients = new Set<string>();
  try {
    for (const param of plan.params.values()) {
      // The same evaluation matchesSearchRequest performs for a filter on this parameter.
      const typed = evalFhirPathTyped(param.atom, [toTypedValue(resource)]);
      const present = typed.length > 0;
      if (param.kind === 'date') {
        values[param.slot] = { present, dates: convertToSearchableDates(typed), sortKey: JSON.stringify(typed.map((v) => v.value)) };
        continue;
      }
      const refs = param.kind === 'reference' ? convertToSearchableReferences(typed) : undefined;
      const tokens = refs
        ? undefined
        : convertToSearchableTokens(typed).map((t): Token => ({ system: t.system?.toLowerCase(), value: t.value?.toLowerCase(), noSystem: !t.system }));
      const key = JSON.stringify([present, refs ?? tokens]);
      let value = param.shared.get(key);
      if (!value) {
        value = { present, id: param.table.length, ...(refs ? { refs } : {}), ...(tokens ? { tokens } : {}) };
        param.shared.set(key, value);
        param.table.push(value);
      }
      values[param.slot] = value;
      if (plan.patientCodes.has(param.code)) for (const ref of value.refs ?? []) patients.add(patientKey(ref));
    }
  } catch {
    return { type: plan.type, id: resource.id, seq, resource, values: [], patients: [], broken: true };
  }
  return { type: plan.type, id: resource.id, seq, resource, values, patients: [...patients], broken: false };
}

/**
 * The bucket a reference or a filter value files under: its last path segment. Every reference a
 * single-valued `patient`/`subject` filter can match (`Patient/x`, a bare `x`, an absolute URL)
 * ends in the same segment, so that patient's bucket holds every possible match.
 */
function patientKey(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1);
}

/**
 * The bucket a search is limited to: that of an equality filter on a patient parameter whose
 * values all end in the same id (`Patient/x`, or the `Group/x,Patient/x,…` a bare id expands to).
 */
function patientOf(plan: TypePlan, filters: readonly Filter[]): string | undefined {
  for (const filter of filters) {
    if (filter.operator !== Operator.EQUALS || !plan.patientCodes.has(filter.code)) continue;
    const values = splitSearchOnComma(filter.value);
    // An empty value matches resources with no reference at all, which no bucket holds.
    if (values.some((v) => v === '')) continue;
    const keys = new Set(values.map(patientKey));
    if (keys.size === 1) return [...keys][0];
  }
  return undefined;
}

function cacheKey(type: string, scope: string, filters: readonly Filter[], sortRules: readonly SortRule[]): string {
  // Filters are a conjunction, so their order does not change the result; sort keys' order does.
  const normalised = filters.map((f) => JSON.stringify([f.code, f.operator, f.value])).sort();
  return JSON.stringify([type, scope, normalised, sortRules.map((r) => [r.code, r.descending === true])]);
}

/** The matches of `filters` among a patient's resources, in the order medplum's search returns them. */
function orderedMatches(plan: TypePlan, bucket: Bucket, filters: readonly Filter[], sortRules: readonly SortRule[]): Entry[] {
  const entries = bucket.entries;
  const columns = columnsOf(plan, bucket);
  const tests: Test[] = [];
  const residual: Filter[] = [];
  for (const filter of filters) {
    const test = compile(plan, entries, columns, filter);
    if (test) tests.push(test);
    else residual.push(filter);
  }
  const rest: SearchRequest | undefined = residual.length > 0 ? { resourceType: plan.type, filters: residual } : undefined;
  const matches = (position: number): boolean => {
    for (const test of tests) if (!test(position)) return false;
    return !rest || matchesSearchRequest((entries[position] as Entry).resource, rest);
  };
  const at = (positions: Iterable<number>, keep: (position: number) => boolean): Entry[] => {
    const out: Entry[] = [];
    for (const position of positions) if (keep(position)) out.push(entries[position] as Entry);
    return out;
  };

  const [only] = sortRules;
  const built = only && sortRules.length === 1 ? bucket.orderings.get(only.code) : undefined;
  if (only && built) return at(only.descending ? built.desc : built.asc, matches);

  const found: number[] = [];
  for (let position = 0; position < entries.length; position++) if (matches(position)) found.push(position);
  if (!only) return found.map((position) => entries[position] as Entry);
  if (found.length <= DIRECT_SORT_LIMIT) {
    const keyed = found.map((position) => ({ position, keys: sortRules.map((r) => sortKey(plan, entries[position] as Entry, r.code)) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < sortRules.length; i++) {
        const c = (a.keys[i] ?? '').localeCompare(b.keys[i] ?? '');
        if (c !== 0) return sortRules[i]?.descending ? -c : c;
      }
      return a.position - b.position;
    });
    return keyed.map((k) => entries[k.position] as Entry);
  }
  if (sortRules.length === 1) {
    // Many matches: walking the patient's ordering (built once per change) beats sorting them.
    const ordered = ordering(plan, bucket, only.code);
    const wanted = new Uint8Array(entries.length);
    for (const position of found) wanted[position] = 1;
    return at(only.descending ? ordered.desc : ordered.asc, (position) => wanted[position] === 1);
  }
  const ranks = sortRules.map((r) => ordering(plan, bucket, r.code).rank);
  found.sort((a, b) => {
    for (let i = 0; i < sortRules.length; i++) {
      const rank = ranks[i] as Int32Array;
      const c = (rank[a] ?? 0) - (rank[b] ?? 0);
      if (c !== 0) return sortRules[i]?.descending ? -c : c;
    }
    return a - b;
  });
  return found.map((position) => entries[position] as Entry);
}

function columnsOf(plan: TypePlan, bucket: Bucket): Columns {
  if (bucket.columns) return bucket.columns;
  const n = bucket.entries.length;
  const columns: Columns = { ids: [], dateKind: [], start: [], end: [] };
  for (const param of plan.params.values()) {
    if (param.kind !== 'date') {
      const ids = new Int32Array(n);
      bucket.entries.forEach((e, i) => {
        ids[i] = e.values[param.slot]?.id ?? 0;
      });
      columns.ids[param.slot] = ids;
      continue;
    }
    const kind = new Uint8Array(n);
    const start = new Float64Array(n);
    const end = new Float64Array(n);
    bucket.entries.forEach((e, i) => {
      const dates = e.values[param.slot]?.dates ?? [];
      const [only] = dates;
      if (!only) {
        kind[i] = NO_DATE;
      } else if (dates.length === 1 && (only.start === undefined || INSTANT.test(only.start)) && (only.end === undefined || INSTANT.test(only.end))) {
        kind[i] = ONE_INSTANT_PERIOD;
        // medplum reads a missing start as '0000', before every instant.
        start[i] = only.start === undefined ? -Infinity : Date.parse(only.start);
        end[i] = only.end === undefined ? OPEN_END : Date.parse(only.end);
      } else {
        kind[i] = OTHER_DATES;
      }
    });
    columns.dateKind[param.slot] = kind;
    columns.start[param.slot] = start;
    columns.end[param.slot] = end;
  }
  bucket.columns = columns;
  return columns;
}

/**
 * A patient's resources sorted by one parameter, both ways, as medplum's search sorts them: by
 * `localeCompare` of the JSON of the parameter's values, stable over the store's order (also when
 * descending, where ties keep their ascending store order).
 */
function ordering(plan: TypePlan, bucket: Bucket, code: string): Ordering {
  const existing = bucket.orderings.get(code);
  if (existing) return existing;
  const keyed = bucket.entries.map((e, position) => ({ position, key: sortKey(plan, e, code) }));
  keyed.sort((a, b) => a.key.localeCompare(b.key) || a.position - b.position);
  const n = keyed.length;
  const asc = new Int32Array(n);
  const rank = new Int32Array(n);
  const groupStarts: number[] = [];
  keyed.forEach(({ position, key }, i) => {
    if (i === 0 || (keyed[i - 1] as { key: string }).key.localeCompare(key) !== 0) groupStarts.push(i);
    asc[i] = position;
    rank[position] = groupStarts.length - 1;
  });
  // Descending: the groups of equal keys in reverse, each still in store order.
  const desc = new Int32Array(n);
  let out = 0;
  for (let g = groupStarts.length - 1; g >= 0; g--) {
    const from = groupStarts[g] as number;
    const to = groupStarts[g + 1] ?? n;
    desc.set(asc.subarray(from, to), out);
    out += to - from;
  }
  const built: Ordering = { asc, desc, rank };
  bucket.orderings.set(code, built);
  return built;
}

function valuesOf(plan: TypePlan, entry: Entry, code: string): Values | undefined {
  const param = plan.params.get(code);
  return param ? entry.values[param.slot] : undefined;
}

function sortKey(plan: TypePlan, entry: Entry, code: string): string {
  const indexed = valuesOf(plan, entry, code)?.sortKey;
  if (indexed !== undefined) return indexed;
  let extra = entry.extraKeys?.get(code);
  if (extra === undefined) {
    const expression = plan.params.get(code)?.atom ?? searchParam(plan.type, code)?.expression;
    // medplum's comparator treats a parameter without an expression as equal for every resource.
    extra = expression ? JSON.stringify(evalFhirPathTyped(expression, [toTypedValue(entry.resource)]).map((v) => v.value)) : '';
    (entry.extraKeys ??= new Map()).set(code, extra);
  }
  return extra;
}

/**
 * A filter on an indexed parameter as a test over a bucket's positions, comparing exactly as
 * medplum's matchesSearchRequest does; undefined for a filter left to matchesSearchRequest.
 */
function compile(plan: TypePlan, entries: readonly Entry[], columns: Columns, filter: Filter): Test | undefined {
  const param = plan.params.get(filter.code);
  if (!param) return undefined;
  const slot = param.slot;
  const op = filter.operator;
  const valuesAt = (position: number): Values | undefined => (entries[position] as Entry).values[slot];
  if (PRESENCE_OPS.has(op)) {
    const wanted = (op === Operator.MISSING && filter.value === 'false') || (op === Operator.PRESENT && filter.value === 'true');
    return (position) => (valuesAt(position)?.present ?? false) === wanted;
  }
  const negated = op === Operator.NOT_EQUALS || op === Operator.NOT;
  const parts = splitSearchOnComma(filter.value);

  if (param.kind !== 'date') {
    if (!MATCH_OPS.has(op)) return undefined;
    let matches: (value: Values) => boolean;
    if (param.kind === 'reference') {
      matches = (value) => {
        if (filter.value === '' && !value.present) return op === Operator.EQUALS;
        const refs = value.refs ?? [];
        for (const part of parts) {
          const hit = part.includes('/') ? refs.includes(part) : param.singleTarget && refs.some((r) => r.endsWith(`/${part}`));
          if (hit) return !negated;
        }
        return negated;
      };
    } else {
      const tests = parts.map(tokenTest);
      matches = (value) => {
        for (const token of value.tokens ?? []) if (tests.some((test) => test(token))) return !negated;
        return negated;
      };
    }
    // Each distinct value is tested once per search.
    const table = param.table;
    const ids = columns.ids[slot] as Int32Array;
    const known = new Int8Array(table.length).fill(-1);
    return (position) => {
      const id = ids[position] as number;
      let result = known[id] as number;
      if (result < 0) {
        result = matches(table[id] as Values) ? 1 : 0;
        known[id] = result;
      }
      return result === 1;
    };
  }

  if (!DATE_OPS.has(op)) return undefined;
  const periods = parts.map((part) => toPeriod(part)).filter((p): p is Period => p !== undefined);
  const byText = (position: number): boolean => {
    for (const value of valuesAt(position)?.dates ?? []) if (periods.some((period) => dateMatches(value, op, period))) return !negated;
    return negated;
  };
  if (!periods.every((p) => INSTANT.test(p.start ?? '') && INSTANT.test(p.end ?? ''))) return byText;
  const bounds = periods.map((p) => [Date.parse(p.start as string), Date.parse(p.end as string)] as const);
  const kind = columns.dateKind[slot] as Uint8Array;
  const start = columns.start[slot] as Float64Array;
  const end = columns.end[slot] as Float64Array;
  return (position) => {
    const k = kind[position];
    if (k === NO_DATE) return negated;
    if (k === OTHER_DATES) return byText(position);
    const s = start[position] as number;
    const e = end[position] as number;
    for (const [filterStart, filterEnd] of bounds) if (compareDates(s, e, op, filterStart, filterEnd)) return !negated;
    return negated;
  };
}

function tokenTest(filterValue: string): (token: Token) => boolean {
  if (filterValue.includes('|')) {
    const [system, value] = filterValue.split('|').map((s) => s.toLowerCase());
    if (!system && !value) return () => false;
    if (!system) return (t) => t.noSystem && t.value === value;
    return (t) => t.system === system && (!value || t.value === value);
  }
  const value = filterValue.toLowerCase();
  return (t) => t.value === value;
}

/** medplum's date comparison, on its instant strings. */
function dateMatches(resourceValue: Period, operator: string, filterPeriod: Period): boolean {
  return compareDates(resourceValue.start ?? '0000', resourceValue.end ?? '9999', operator, filterPeriod.start as string, filterPeriod.end as string);
}

/** The same comparison on strings or, for instants, on their numbers (which order alike). */
function compareDates<V extends string | number>(resourceStart: V, resourceEnd: V, operator: string, filterStart: V, filterEnd: V): boolean {
  switch (operator) {
    case Operator.APPROXIMATELY:
    case Operator.EQUALS:
    case Operator.NOT_EQUALS:
      return resourceStart < filterEnd && resourceEnd > filterStart;
    case Operator.LESS_THAN:
      return resourceStart < filterStart;
    case Operator.GREATER_THAN:
      return resourceEnd > filterEnd;
    case Operator.LESS_THAN_OR_EQUALS:
      return resourceStart <= filterEnd;
    case Operator.GREATER_THAN_OR_EQUALS:
      return resourceEnd >= filterStart;
    case Operator.STARTS_AFTER:
      return resourceStart > filterEnd;
    case Operator.ENDS_BEFORE:
      return resourceEnd < filterStart;
    default:
      return false;
  }
}

/** Where an entry with this sequence number is, or belongs, in a list in store order. */
function seqIndex(list: readonly Entry[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid]?.seq ?? 0) < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mapFor<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Snapshots are shared by every search that returns them, so nothing may change them. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
