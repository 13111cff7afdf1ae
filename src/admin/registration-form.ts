/**
 * The values an EHR admin types into Epic's and Oracle Health's app registration forms, taken
 * from `smart-manifest.json` so the manifest stays the single source.
 */

export interface SmartManifest {
  readonly client_name: string;
  readonly launch_uri: string;
  readonly redirect_uris: readonly string[];
  readonly scope: string;
  readonly token_endpoint_auth_method: string;
  readonly fhir_versions?: readonly string[];
  readonly logo_uri?: string;
  readonly contacts?: readonly string[];
}

export interface FormField {
  readonly field: string;
  readonly value: string;
}

const INTERACTION_WORDS: Record<string, string> = { r: 'Read', s: 'Search', c: 'Create', u: 'Update', d: 'Delete' };

/** `patient/Observation.rs` → ["Observation.Read (R4)", "Observation.Search (R4)"], Epic's API naming. */
export function epicApiNames(scope: string): string[] {
  const names = new Set<string>();
  for (const s of scope.split(/\s+/)) {
    const match = /^(?:patient|user|system)\/([A-Za-z]+)\.([a-z]+)$/.exec(s);
    if (!match) continue;
    const [, type, access] = match as unknown as [string, string, string];
    const letters = access === 'read' ? ['r', 's'] : access === 'write' ? ['c', 'u'] : access.split('');
    for (const l of letters) if (INTERACTION_WORDS[l]) names.add(`${type}.${INTERACTION_WORDS[l]} (R4)`);
  }
  return [...names];
}

/** SMART v2 `.rs` → v1 `.read`, `.c`/`.cu` → `.write`, for EHRs that only take v1. */
export function v1Scopes(scope: string): string {
  return scope
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => s.replace(/^((?:patient|user|system)\/[A-Za-z*]+)\.([cruds]+)$/, (_m, head: string, access: string) => (/[cud]/.test(access) ? (/[rs]/.test(access) ? `${head}.read ${head}.write` : `${head}.write`) : `${head}.read`)))
    .join(' ');
}

export function epicRegistration(manifest: SmartManifest): FormField[] {
  return [
    { field: 'Application Name', value: manifest.client_name },
    { field: 'Application Audience', value: 'Clinicians or Administrative Users' },
    { field: 'Incoming APIs', value: epicApiNames(manifest.scope).join(', ') },
    { field: 'Redirect URI', value: manifest.redirect_uris.join(' ') },
    { field: 'Launch URI (EHR launch)', value: manifest.launch_uri },
    { field: 'Confidential client', value: manifest.token_endpoint_auth_method === 'none' ? 'No (public client, PKCE)' : 'Yes' },
    { field: 'SMART on FHIR version', value: 'R4' },
    { field: 'SMART scope version', value: 'SMART v2' },
    { field: 'FHIR ID generation scheme', value: 'Use unconstrained FHIR IDs' },
    { field: 'Is Patient Facing', value: 'No' },
  ];
}

export function oracleRegistration(manifest: SmartManifest): FormField[] {
  return [
    { field: 'App Name', value: manifest.client_name },
    { field: 'Type', value: 'Provider' },
    { field: 'SMART Version', value: 'SMART v2' },
    { field: 'Intended Users', value: 'Clinical team' },
    { field: 'Application Privacy', value: manifest.token_endpoint_auth_method === 'none' ? 'Public' : 'Confidential' },
    { field: 'Type of Access', value: /\boffline_access\b/.test(manifest.scope) ? 'Offline' : 'Online' },
    { field: 'SMART Launch URI', value: manifest.launch_uri },
    { field: 'Redirect URI', value: manifest.redirect_uris.join(' ') },
    { field: 'Product Family', value: 'Millennium' },
    { field: 'FHIR Spec', value: (manifest.fhir_versions ?? ['4.0.1']).map((v) => (v.startsWith('4.') ? 'R4' : v)).join(', ') },
    // Oracle Health refuses v1 syntax (`.read`) with invalid_scope: v2 only.
    { field: 'Scopes', value: manifest.scope },
  ];
}
