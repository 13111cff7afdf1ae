/**
 * Runtime configuration: which EHRs Curbside may launch from and how to talk to each.
 * It lives in `public/curbside.config.json` so a hospital can change it without a rebuild.
 */

export type PkceMode = 'required' | 'ifSupported' | 'disabled';
export type WriteProfile = 'standard' | 'epic' | 'oracle';

export interface EhrConfig {
  /** Stable id, e.g. `sandbox`, `epic-prod`. */
  readonly id: string;
  /** Shown to clinicians and admins. */
  readonly label: string;
  /** A regular expression (as a string) the launch's `iss` must match in full. */
  readonly issMatch: string;
  /** The client id the EHR assigned at registration; empty means "not registered yet". */
  readonly clientId: string;
  /** Scopes for an EHR launch; `launch` is always added. */
  readonly scope: string;
  /** Scopes for a standalone launch; `launch/patient` is always added. */
  readonly standaloneScope?: string;
  readonly pkce: PkceMode;
  readonly writeProfile: WriteProfile;
}

export interface RuntimeConfig {
  readonly ehrs: readonly EhrConfig[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const PKCE_MODES: readonly PkceMode[] = ['required', 'ifSupported', 'disabled'];
const WRITE_PROFILES: readonly WriteProfile[] = ['standard', 'epic', 'oracle'];

function requireString(entry: Record<string, unknown>, field: string, where: string, allowEmpty = false): string {
  const value = entry[field];
  if (typeof value !== 'string' || (!allowEmpty && value.trim() === '')) {
    throw new ConfigError(`${where}: "${field}" must be a ${allowEmpty ? '' : 'non-empty '}string.`);
  }
  return value;
}

/** Validates untrusted JSON into a RuntimeConfig, with errors an admin can act on. */
export function parseRuntimeConfig(json: unknown): RuntimeConfig {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { ehrs?: unknown }).ehrs)) {
    throw new ConfigError('The runtime configuration must be an object with an "ehrs" array.');
  }
  const seen = new Set<string>();
  const ehrs = (json as { ehrs: unknown[] }).ehrs.map((raw, index): EhrConfig => {
    const where = `ehrs[${index}]`;
    if (typeof raw !== 'object' || raw === null) throw new ConfigError(`${where} must be an object.`);
    const entry = raw as Record<string, unknown>;
    const id = requireString(entry, 'id', where);
    if (seen.has(id)) throw new ConfigError(`${where}: duplicate id "${id}".`);
    seen.add(id);
    const issMatch = requireString(entry, 'issMatch', where);
    try {
      new RegExp(issMatch);
    } catch {
      throw new ConfigError(`${where}: "issMatch" is not a valid regular expression.`);
    }
    const pkce = (entry.pkce ?? 'required') as PkceMode;
    if (!PKCE_MODES.includes(pkce)) throw new ConfigError(`${where}: "pkce" must be one of ${PKCE_MODES.join(', ')}.`);
    const writeProfile = (entry.writeProfile ?? 'standard') as WriteProfile;
    if (!WRITE_PROFILES.includes(writeProfile)) {
      throw new ConfigError(`${where}: "writeProfile" must be one of ${WRITE_PROFILES.join(', ')}.`);
    }
    const standaloneScope = entry.standaloneScope === undefined ? undefined : requireString(entry, 'standaloneScope', where);
    return {
      id,
      label: typeof entry.label === 'string' && entry.label ? entry.label : id,
      issMatch,
      clientId: requireString(entry, 'clientId', where, true),
      scope: requireString(entry, 'scope', where),
      ...(standaloneScope ? { standaloneScope } : {}),
      pkce,
      writeProfile,
    };
  });
  return { ehrs };
}

/** Trailing slashes differ between EHRs and registrations; they never change the server. */
export function normaliseIss(iss: string): string {
  return iss.trim().replace(/\/+$/, '');
}

/** The first configured EHR whose `issMatch` matches the whole `iss`, or undefined. */
export function selectEhrConfig(iss: string, config: RuntimeConfig): EhrConfig | undefined {
  const candidate = normaliseIss(iss);
  return config.ehrs.find((ehr) => new RegExp(`^(?:${ehr.issMatch})$`).test(candidate));
}

function withScope(scope: string, required: string): string {
  const scopes = scope.split(/\s+/).filter(Boolean);
  if (!scopes.includes(required)) scopes.unshift(required);
  return scopes.join(' ');
}

/** EHR launch always asks for `launch` explicitly: some EHRs drop the context otherwise. */
export function scopeForLaunch(ehr: EhrConfig, kind: 'ehr' | 'standalone'): string {
  return kind === 'ehr'
    ? withScope(ehr.scope, 'launch')
    : withScope(ehr.standaloneScope ?? ehr.scope.replace(/(^|\s)launch(?=\s|$)/, ' '), 'launch/patient');
}
