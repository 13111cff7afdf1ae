/**
 * SMART App Launch scopes as the sandbox authorization server grants them and the
 * FHIR server enforces them. Both v2 (`patient/Observation.rs?category=laboratory`)
 * and v1 (`patient/Observation.read`) syntax are understood, as real EHRs accept both.
 */

export type ScopeContext = 'patient' | 'user' | 'system';
/** SMART v2 permissions: create, read, update, delete, search. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  readonly raw: string;
  readonly context: ScopeContext;
  /** A resource type or `*`. */
  readonly resourceType: string;
  readonly permissions: ReadonlySet<Permission>;
  /** v2 granular constraint, e.g. `category=laboratory`; every listed parameter must match. */
  readonly constraints: ReadonlyArray<readonly [string, string]>;
}

const SCOPE_RE = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?(.*))?$/;
const V2_PERMISSIONS = /^c?r?u?d?s?$/;

/** Parses one resource scope; returns undefined for non-resource scopes (`openid`, `launch`, …) and for malformed ones. */
export function parseResourceScope(raw: string): ResourceScope | undefined {
  const match = SCOPE_RE.exec(raw);
  if (!match) return undefined;
  const [, context, resourceType, access, query] = match as unknown as [string, ScopeContext, string, string, string | undefined];
  let permissions: Set<Permission>;
  if (access === 'read') permissions = new Set(['r', 's']);
  else if (access === 'write') permissions = new Set(['c', 'u', 'd']);
  else if (access === '*') permissions = new Set(['c', 'r', 'u', 'd', 's']);
  else if (V2_PERMISSIONS.test(access) && access.length > 0) permissions = new Set(access.split('') as Permission[]);
  else return undefined;
  const constraints: Array<[string, string]> = [];
  if (query) {
    for (const [k, v] of new URLSearchParams(query)) constraints.push([k, v]);
  }
  return { raw, context, resourceType, permissions, constraints };
}

export function splitScopes(scope: string | undefined | null): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}

/**
 * What a token may do. `patient` is set when the token was issued for one patient
 * (a patient-context launch); patient/ scopes then only reach that patient's compartment.
 */
export interface AccessGrant {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly resourceScopes: readonly ResourceScope[];
  readonly patient?: string;
  readonly encounter?: string;
  readonly fhirUser?: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export function makeGrant(init: Omit<AccessGrant, 'resourceScopes'>): AccessGrant {
  const resourceScopes = init.scopes.map(parseResourceScope).filter((s): s is ResourceScope => s !== undefined);
  return { ...init, resourceScopes };
}

/**
 * The scopes of a grant that allow `permission` on `resourceType`. A search passes when any
 * returned scope's constraints all appear in the query; callers apply that part.
 */
export function scopesAllowing(grant: AccessGrant, resourceType: string, permission: Permission): ResourceScope[] {
  return grant.resourceScopes.filter(
    (s) => (s.resourceType === resourceType || s.resourceType === '*') && s.permissions.has(permission),
  );
}

/** True when a query (or a resource's own searchable values, see the FHIR server) meets a scope's constraints. */
export function constraintsMet(scope: ResourceScope, query: URLSearchParams): boolean {
  return scope.constraints.every(([k, v]) => query.getAll(k).some((q) => q.split(',').every((part) => part === v || part.endsWith(`|${v}`) || v.endsWith(`|${part}`))));
}
