/**
 * The launch context a SMART token response carries, in the app's own terms.
 * Parsing is strict about types because EHRs differ: Epic sends `need_patient_banner`
 * as a boolean, others as the string "false".
 */

export interface LaunchContext {
  /** The FHIR base the token is for (the launch's `iss`). */
  readonly fhirBase: string;
  readonly patientId?: string;
  readonly encounterId?: string;
  /** A relative or absolute reference such as `Practitioner/123`. */
  readonly fhirUser?: string;
  readonly needPatientBanner: boolean;
  readonly smartStyleUrl?: string;
  /** The scopes actually granted, which may be narrower than those requested. */
  readonly grantedScopes: readonly string[];
  readonly tenant?: string;
}

/** The only thing widgets need from a FHIR client: GET a URL relative to the FHIR base (or absolute on it). */
export interface FhirRequester {
  request<T = unknown>(url: string, init?: { signal?: AbortSignal }): Promise<T>;
  /**
   * POSTs a `batch` Bundle to the FHIR base and resolves with the `batch-response` Bundle. Optional:
   * the chart reader sends its first reads as one batch only when this exists and the EHR's
   * CapabilityStatement declares `batch`, and reads one by one otherwise.
   */
  batch?<T = unknown>(bundle: unknown, init?: { signal?: AbortSignal }): Promise<T>;
}

export class LaunchContextError extends Error {
  override readonly name = 'LaunchContextError';
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new LaunchContextError(`The token response's "${field}" is not a string.`);
  return value;
}

/** SMART says boolean; some servers send "true"/"false" strings. Anything else is false. */
export function parseSmartBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim().toLowerCase() === 'true';
  return false;
}

/** Decodes the `fhirUser` claim from an id_token without verifying it: it only labels, never authorizes. */
export function fhirUserFromIdToken(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  const payload = idToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const claim = json.fhirUser ?? json.profile;
    return typeof claim === 'string' ? claim : undefined;
  } catch {
    return undefined;
  }
}

export function parseLaunchContext(tokenResponse: Record<string, unknown>, fhirBase: string): LaunchContext {
  const scope = optionalString(tokenResponse.scope, 'scope') ?? '';
  const claimedUser = optionalString(tokenResponse.fhirUser, 'fhirUser') ?? fhirUserFromIdToken(optionalString(tokenResponse.id_token, 'id_token'));
  // On the launch's own FHIR server the reference is kept relative, as a note's author and a Provenance agent expect.
  const base = `${fhirBase.replace(/\/+$/, '')}/`;
  const fhirUser = claimedUser?.startsWith(base) ? claimedUser.slice(base.length) : claimedUser;
  const context: LaunchContext = {
    fhirBase: fhirBase.replace(/\/+$/, ''),
    needPatientBanner: parseSmartBoolean(tokenResponse.need_patient_banner),
    grantedScopes: scope.split(/\s+/).filter(Boolean),
  };
  const patientId = optionalString(tokenResponse.patient, 'patient');
  const encounterId = optionalString(tokenResponse.encounter, 'encounter');
  const smartStyleUrl = optionalString(tokenResponse.smart_style_url, 'smart_style_url');
  const tenant = optionalString(tokenResponse.tenant, 'tenant');
  return {
    ...context,
    ...(patientId ? { patientId } : {}),
    ...(encounterId ? { encounterId } : {}),
    ...(fhirUser ? { fhirUser } : {}),
    ...(smartStyleUrl ? { smartStyleUrl } : {}),
    ...(tenant ? { tenant } : {}),
  };
}
