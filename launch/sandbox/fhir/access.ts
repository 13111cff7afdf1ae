/**
 * What one access token may do, decided per request, per resource and per search. The repository
 * calls these checks for every read, write and search it performs, so batch and transaction
 * entries and `_include`d resources are held to the same rules as plain requests.
 */
import './websocket-stub.ts';
import { Operator, matchesSearchRequest, parseSearchRequest, splitSearchOnComma } from '@medplum/core';
import type { Filter, SearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { constraintsMet, scopesAllowing, type AccessGrant, type Permission, type ResourceScope } from '../scopes.ts';
import { searchParam, type PatientCompartment } from './definitions.ts';
import { forbidden } from './outcomes.ts';
import type { ReferenceLookup } from './search-index.ts';

const VERB: Record<Permission, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

export interface SearchPlan {
  /** Filters to add so that the search stays inside the token's patient compartment. */
  readonly extraFilters: Filter[];
  /** Set when every match must lie in this patient's compartment. */
  readonly patient?: string;
}

export class AccessPolicy {
  readonly #grant: AccessGrant;
  readonly #compartment: PatientCompartment;
  readonly #baseUrl: string;
  readonly #constraintSearches = new Map<string, SearchRequest | null>();
  readonly #scopesFor = new Map<string, ResourceScope[]>();

  constructor(grant: AccessGrant, compartment: PatientCompartment, baseUrl: string) {
    this.#grant = grant;
    this.#compartment = compartment;
    this.#baseUrl = baseUrl;
  }

  /** 403 unless some scope grants `permission` on the type; resource-level checks come later. */
  requireType(resourceType: string, permission: Permission): void {
    this.#scopes(resourceType, [permission]);
  }

  /**
   * Decides how a search may run. A query that names another patient is refused; one that names
   * no patient at all is limited to the token's patient (Epic refuses such queries instead; the
   * sandbox narrows them so the app's behaviour does not depend on which EHR it meets).
   */
  planSearch(request: SearchRequest): SearchPlan {
    const type = request.resourceType;
    const scopes = this.#scopes(type, ['s']);
    const query = new URLSearchParams();
    for (const f of request.filters ?? []) if (f.operator === Operator.EQUALS) query.append(f.code, f.value);
    const usable = scopes.filter((s) => constraintsMet(s, query));
    if (usable.length === 0) {
      throw forbidden(
        `${listScopes(scopes)} allow${scopes.length === 1 ? 's' : ''} searching ${type} only with ${describeConstraints(scopes)} in the query`,
      );
    }
    const patient = this.#patientLimit(usable, type);
    if (patient === undefined) return { extraFilters: [] };

    const naming = this.#compartment.namingParams(type);
    let named = false;
    for (const filter of request.filters ?? []) {
      if (filter.operator !== Operator.EQUALS || !naming.has(filter.code)) continue;
      const refs = splitSearchOnComma(filter.value).map((v) => this.#asPatientRef(type, filter.code, v));
      for (const ref of refs) {
        if (ref?.startsWith('Patient/') && ref !== `Patient/${patient}`) {
          throw forbidden(`This token is limited to Patient/${patient}; the query asks for ${ref}`);
        }
      }
      if (refs.every((ref) => ref === `Patient/${patient}`)) named = true;
    }
    return { extraFilters: named ? [] : [this.#compartment.restriction(type, patient)], patient };
  }

  /**
   * For `_include`d resources `permissions` is `['r', 's']`: either lets the caller see it.
   * `references` answers compartment membership from the search index when it has the values.
   */
  assertCanRead(resource: Resource, permissions: Permission[] = ['r'], references?: ReferenceLookup): void {
    const ref = `${resource.resourceType}/${resource.id ?? ''}`;
    const usable = this.#scopesMetBy(resource, permissions, ref);
    const patient = this.#patientLimit(usable, resource.resourceType);
    if (patient !== undefined && !this.#compartment.contains(resource, patient, references)) {
      throw forbidden(`${ref} is outside the record of Patient/${patient}, the only patient this token may reach`);
    }
  }

  assertCanWrite(resource: Resource, permission: 'c' | 'u'): void {
    const type = resource.resourceType;
    const usable = this.#scopesMetBy(resource, [permission], resource.id ? `${type}/${resource.id}` : `the new ${type}`);
    const patient = this.#patientLimit(usable, type);
    if (patient !== undefined && !this.#compartment.contains(resource, patient)) {
      const params = this.#compartment.params(type);
      throw forbidden(
        `A token limited to Patient/${patient} may only ${VERB[permission]} ${type} resources that reference that patient` +
          (params.length > 0 ? ` (through ${params.join(' or ')})` : ''),
      );
    }
  }

  #scopes(resourceType: string, permissions: Permission[]): ResourceScope[] {
    // Asked once per resource of a search page: the answer only depends on the grant.
    const key = `${resourceType} ${permissions.join('')}`;
    let found = this.#scopesFor.get(key);
    if (!found) {
      found = [...new Set(permissions.flatMap((p) => scopesAllowing(this.#grant, resourceType, p)))];
      this.#scopesFor.set(key, found);
    }
    if (found.length === 0) {
      const verbs = permissions.map((p) => VERB[p]).join(' or ');
      const p = permissions[0] ?? 'r';
      throw forbidden(
        `No granted scope allows ${verbs} on ${resourceType}: that needs patient/${resourceType}.${p} or user/${resourceType}.${p}` +
          ` (or a wildcard). Granted scopes: ${this.#grant.scopes.join(' ') || '(none)'}`,
      );
    }
    return found;
  }

  #scopesMetBy(resource: Resource, permissions: Permission[], what: string): ResourceScope[] {
    const scopes = this.#scopes(resource.resourceType, permissions);
    const usable = scopes.filter((s) => this.#resourceMeets(s, resource));
    if (usable.length === 0) {
      throw forbidden(`${what} does not meet ${describeConstraints(scopes)}, which ${listScopes(scopes)} require${scopes.length === 1 ? 's' : ''}`);
    }
    return usable;
  }

  /** A scope's v2 constraint is evaluated as a search parameter against the resource itself. */
  #resourceMeets(scope: ResourceScope, resource: Resource): boolean {
    if (scope.constraints.length === 0) return true;
    const key = `${resource.resourceType} ${scope.raw}`;
    let request = this.#constraintSearches.get(key);
    if (request === undefined) {
      const query: Record<string, string[]> = {};
      for (const [k, v] of scope.constraints) (query[k] ??= []).push(v);
      try {
        request = parseSearchRequest(resource.resourceType, query);
      } catch {
        request = null;
      }
      this.#constraintSearches.set(key, request);
    }
    return request !== null && matchesSearchRequest(resource, request);
  }

  /** The patient results must belong to, or undefined when the usable scopes reach every patient. */
  #patientLimit(usable: ResourceScope[], resourceType: string): string | undefined {
    if (usable.some((s) => s.context !== 'patient')) return undefined;
    if (!this.#compartment.isMemberType(resourceType)) return undefined;
    if (!this.#grant.patient) {
      throw forbidden(`patient/ scopes reach ${resourceType} only for the patient in context, and this token has no patient in context`);
    }
    return this.#grant.patient;
  }

  #asPatientRef(resourceType: string, code: string, raw: string): string | undefined {
    const value = raw.startsWith(`${this.#baseUrl}/`) ? raw.slice(this.#baseUrl.length + 1) : raw;
    if (code === '_id') return `Patient/${value}`;
    if (value.includes('/')) return value;
    // A bare id on a parameter that can only point at a Patient.
    const targets = searchParam(resourceType, code)?.target ?? [];
    return targets.length === 1 && targets[0] === 'Patient' ? `Patient/${value}` : undefined;
  }
}

function listScopes(scopes: ResourceScope[]): string {
  return `the granted scope${scopes.length === 1 ? '' : 's'} ${scopes.map((s) => s.raw).join(', ')}`;
}

function describeConstraints(scopes: ResourceScope[]): string {
  const parts = scopes.map((s) => s.constraints.map(([k, v]) => `${k}=${v}`).join('&')).filter(Boolean);
  return parts.length > 0 ? [...new Set(parts)].join(' or ') : 'no constraint';
}
