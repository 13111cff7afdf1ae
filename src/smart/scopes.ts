/**
 * What a SMART grant lets Curbside read, decided before a request is sent: a type the grant
 * cannot read is reported as "not granted" instead of costing a round trip that ends in a 403.
 * Both SMART v2 (`patient/Observation.rs?category=laboratory`) and v1 (`patient/Observation.read`)
 * syntax are understood, because EHRs grant either and Epic mixes granular v2 constraints in.
 */

export type ScopeContext = 'patient' | 'user' | 'system';
/** SMART v2 permissions: create, read, update, delete, search. */
export type ScopePermission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  readonly raw: string;
  readonly context: ScopeContext;
  /** A resource type or `*`. */
  readonly resourceType: string;
  readonly permissions: ReadonlySet<ScopePermission>;
  /** v2 granular constraints (`category=laboratory`); a query must meet every one. */
  readonly constraints: ReadonlyArray<readonly [string, string]>;
}

const RESOURCE_SCOPE = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?(.*))?$/;
const V2_PERMISSIONS = /^c?r?u?d?s?$/;

/** One resource scope, or undefined for other scopes (`openid`, `launch`, `fhirUser`) and malformed ones. */
export function parseResourceScope(raw: string): ResourceScope | undefined {
  const match = RESOURCE_SCOPE.exec(raw.trim());
  if (!match) return undefined;
  const [, context, resourceType, access, query] = match as unknown as [string, ScopeContext, string, string, string | undefined];
  const permissions = permissionsOf(access);
  if (!permissions) return undefined;
  const constraints: Array<readonly [string, string]> = [];
  if (query !== undefined) {
    // SMART v2 constraints are a query string; `|` in token values arrives unescaped from some EHRs.
    for (const [key, value] of new URLSearchParams(query)) {
      if (key && value) constraints.push([key, value]);
    }
  }
  return { raw, context, resourceType, permissions, constraints };
}

function permissionsOf(access: string): Set<ScopePermission> | undefined {
  if (access === 'read') return new Set(['r', 's']);
  if (access === 'write') return new Set(['c', 'u', 'd']);
  if (access === '*') return new Set(['c', 'r', 'u', 'd', 's']);
  if (access.length > 0 && V2_PERMISSIONS.test(access)) return new Set(access.split('') as ScopePermission[]);
  return undefined;
}

export interface ScopeGrant {
  /** False when the EHR reported no scopes at all: nothing can be decided, so everything is tried. */
  readonly known: boolean;
  /**
   * Whether some scope allows `permission` on `resourceType`. For a search, pass the query: a
   * constrained scope (`?category=laboratory`) only counts when the query asks for no more than it.
   */
  allows(resourceType: string, permission: ScopePermission, query?: Iterable<readonly [string, string]>): boolean;
}

/** The grant described by the token's `scope` (already split on whitespace). */
export function scopeGrant(granted: readonly string[]): ScopeGrant {
  const words = granted.map((s) => s.trim()).filter(Boolean);
  const scopes = words.map(parseResourceScope).filter((s): s is ResourceScope => s !== undefined);
  const known = words.length > 0;
  return {
    known,
    allows(resourceType, permission, query) {
      if (!known) return true;
      const pairs = query ? [...query] : [];
      return scopes.some(
        (s) =>
          (s.resourceType === resourceType || s.resourceType === '*') &&
          s.permissions.has(permission) &&
          // A constrained read scope is enforced by the server per resource; it cannot be checked here.
          (permission !== 's' || s.constraints.every(([key, value]) => constraintMet(key, value, pairs))),
      );
    },
  };
}

/**
 * Every value the query gives for `key` must be the constrained value. Token values match with or
 * without their system: the grant often says `…/condition-category|problem-list-item` while the
 * query says `problem-list-item`.
 */
function constraintMet(key: string, value: string, query: ReadonlyArray<readonly [string, string]>): boolean {
  const given = query.filter(([k]) => k === key).flatMap(([, v]) => v.split(','));
  return given.length > 0 && given.every((part) => tokenMatches(part, value));
}

function tokenMatches(asked: string, allowed: string): boolean {
  if (asked === allowed) return true;
  const askedCode = asked.includes('|') ? asked.slice(asked.lastIndexOf('|') + 1) : undefined;
  const allowedCode = allowed.includes('|') ? allowed.slice(allowed.lastIndexOf('|') + 1) : undefined;
  // Only one side may leave the system out; two different systems never match.
  if (askedCode === undefined && allowedCode !== undefined) return asked === allowedCode;
  if (allowedCode === undefined && askedCode !== undefined) return askedCode === allowed;
  return false;
}
