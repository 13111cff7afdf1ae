/**
 * Runtime configuration: which EHRs Curbside may launch from and how to talk to each.
 * It lives in `public/curbside.config.json` so a hospital can change it without a rebuild.
 */

import { parseRollout, RolloutConfigError, type RolloutConfig } from './rollout.ts';

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
  /**
   * Where AuditEvents go when the EHR won't store them (Epic and Oracle don't): a URL that
   * accepts a POSTed AuditEvent, `{issOrigin}` allowed. Never sent the EHR's access token.
   */
  readonly auditSink?: string;
  /** Key of the model in `models` this EHR's clinicians use; the built-in reference engine when absent. */
  readonly model?: string;
  /** Which stage suggestions are at for this EHR (see `rollout.ts`); general release when absent. */
  readonly rollout?: RolloutConfig;
}

/**
 * A model Curbside can ask. Endpoints may contain `{issOrigin}`, replaced by the launching FHIR
 * server's origin (the sandbox serves its model beside its FHIR API). Anything in this file is
 * visible to every browser that loads Curbside: an `apiKey` here must be a gateway key that is
 * worthless outside this use, never a model provider's account key.
 */
export type ModelConfig =
  | { readonly kind: 'reference-engine' }
  | {
      readonly kind: 'openai-compatible';
      readonly endpoint: string;
      readonly model: string;
      readonly name: string;
      readonly version: string;
      /** True when the endpoint serves Curbside's reference engine (the sandbox), so the UI says so. */
      readonly builtIn?: boolean;
      readonly apiKey?: string;
      readonly apiKeyHeader?: string;
      readonly stream?: boolean;
      readonly timeoutMs?: number;
    }
  | {
      readonly kind: 'azure-foundry';
      readonly endpoint: string;
      /** The deployment name. */
      readonly model: string;
      readonly name?: string;
      readonly version?: string;
      /** Entra ID app registration of Curbside. */
      readonly clientId: string;
      readonly authority: string;
      readonly scopes?: readonly string[];
      /** Pages on Curbside's own origin that complete the sign-in popup (see README). */
      readonly redirectUri: string;
      readonly popupRelayUri: string;
      readonly timeoutMs?: number;
    };

export interface RuntimeConfig {
  readonly ehrs: readonly EhrConfig[];
  readonly models: Readonly<Record<string, ModelConfig>>;
  /** Turns suggestions off for every EHR from the next launch, whatever the stages say. */
  readonly killSwitch?: boolean;
}

export const EMBEDDED_MODEL: ModelConfig = { kind: 'reference-engine' };

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
  const rawModels = (json as { models?: unknown }).models ?? {};
  if (typeof rawModels !== 'object' || rawModels === null || Array.isArray(rawModels)) throw new ConfigError('"models" must be an object keyed by model name.');
  const models: Record<string, ModelConfig> = {};
  for (const [key, value] of Object.entries(rawModels)) models[key] = parseModel(value, `models.${key}`);
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
    const model = entry.model === undefined ? undefined : requireString(entry, 'model', where);
    const auditSink = entry.auditSink === undefined ? undefined : requireString(entry, 'auditSink', where);
    if (auditSink !== undefined && !/^(?:https:\/\/|\{issOrigin\}\/|http:\/\/(?:localhost|127\.0\.0\.1)[:/])/.test(auditSink)) {
      throw new ConfigError(`${where}: "auditSink" must be an https URL (or start with {issOrigin}/).`);
    }
    if (model !== undefined && !models[model]) throw new ConfigError(`${where}: "model" names "${model}", which is not in "models".`);
    let rollout: RolloutConfig | undefined;
    try {
      rollout = entry.rollout === undefined ? undefined : parseRollout(entry.rollout, `${where}: "rollout"`);
    } catch (error) {
      throw error instanceof RolloutConfigError ? new ConfigError(error.message) : error;
    }
    return {
      id,
      label: typeof entry.label === 'string' && entry.label ? entry.label : id,
      issMatch,
      clientId: requireString(entry, 'clientId', where, true),
      scope: requireString(entry, 'scope', where),
      ...(standaloneScope ? { standaloneScope } : {}),
      pkce,
      writeProfile,
      ...(auditSink ? { auditSink } : {}),
      ...(model ? { model } : {}),
      ...(rollout ? { rollout } : {}),
    };
  });
  const killSwitch = (json as { killSwitch?: unknown }).killSwitch;
  if (killSwitch !== undefined && typeof killSwitch !== 'boolean') throw new ConfigError('"killSwitch" must be true or false.');
  return { ehrs, models, ...(killSwitch ? { killSwitch } : {}) };
}

function parseModel(raw: unknown, where: string): ModelConfig {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError(`${where} must be an object.`);
  const entry = raw as Record<string, unknown>;
  const url = (field: string): string => {
    const value = requireString(entry, field, where);
    if (!/^https:\/\/|^http:\/\/(localhost|127\.0\.0\.1)[:/]|^\{issOrigin\}\//.test(value)) {
      throw new ConfigError(`${where}: "${field}" must be an https URL (http only on localhost).`);
    }
    return value;
  };
  const optionalNumber = (field: string): number | undefined => {
    const value = entry[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !(value > 0)) throw new ConfigError(`${where}: "${field}" must be a positive number.`);
    return value;
  };
  switch (entry.kind) {
    case 'reference-engine':
      return { kind: 'reference-engine' };
    case 'openai-compatible': {
      const timeoutMs = optionalNumber('timeoutMs');
      return {
        kind: 'openai-compatible',
        endpoint: url('endpoint'),
        model: requireString(entry, 'model', where),
        name: requireString(entry, 'name', where),
        version: requireString(entry, 'version', where),
        ...(entry.builtIn === true ? { builtIn: true } : {}),
        ...(typeof entry.apiKey === 'string' && entry.apiKey ? { apiKey: entry.apiKey } : {}),
        ...(typeof entry.apiKeyHeader === 'string' && entry.apiKeyHeader ? { apiKeyHeader: entry.apiKeyHeader } : {}),
        ...(entry.stream === false ? { stream: false } : {}),
        ...(timeoutMs ? { timeoutMs } : {}),
      };
    }
    case 'azure-foundry': {
      const timeoutMs = optionalNumber('timeoutMs');
      const scopes = entry.scopes === undefined ? undefined : Array.isArray(entry.scopes) && entry.scopes.every((x) => typeof x === 'string') ? (entry.scopes as string[]) : undefined;
      if (entry.scopes !== undefined && !scopes) throw new ConfigError(`${where}: "scopes" must be an array of strings.`);
      return {
        kind: 'azure-foundry',
        endpoint: url('endpoint'),
        model: requireString(entry, 'model', where),
        ...(typeof entry.name === 'string' ? { name: entry.name } : {}),
        ...(typeof entry.version === 'string' ? { version: entry.version } : {}),
        clientId: requireString(entry, 'clientId', where),
        authority: url('authority'),
        ...(scopes ? { scopes } : {}),
        redirectUri: url('redirectUri'),
        popupRelayUri: url('popupRelayUri'),
        ...(timeoutMs ? { timeoutMs } : {}),
      };
    }
    default:
      throw new ConfigError(`${where}: "kind" must be reference-engine, openai-compatible or azure-foundry.`);
  }
}

/** The model an EHR's clinicians use, with `{issOrigin}` resolved against the launching FHIR base. */
export function modelForEhr(ehr: EhrConfig, config: RuntimeConfig, fhirBase: string): ModelConfig {
  const model = (ehr.model && config.models[ehr.model]) || EMBEDDED_MODEL;
  if (model.kind === 'reference-engine') return model;
  const origin = new URL(fhirBase).origin;
  const resolve = (value: string): string => value.replace('{issOrigin}', origin);
  return model.kind === 'openai-compatible'
    ? { ...model, endpoint: resolve(model.endpoint) }
    : { ...model, endpoint: resolve(model.endpoint), redirectUri: resolve(model.redirectUri), popupRelayUri: resolve(model.popupRelayUri) };
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
