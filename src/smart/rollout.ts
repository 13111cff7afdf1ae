/**
 * Staged deployment: how far Curbside's suggestions are switched on for one launch, decided from
 * the runtime configuration and who launched it. The configuration is fetched on every launch
 * with `no-cache`, so a change (the kill switch included) applies from the next launch.
 *
 *   off     — no model is asked; the chart summary still shows.
 *   shadow  — the pipeline runs and its suggestions are recorded in the audit trail, but nothing
 *             is shown and no note can be written.
 *   pilot   — shown, with a pilot banner, to the listed users; everyone else gets `pilotOthers`.
 *   general — shown to everyone.
 */

export type RolloutStage = 'off' | 'shadow' | 'pilot' | 'general';
export const ROLLOUT_STAGES: readonly RolloutStage[] = ['off', 'shadow', 'pilot', 'general'];

/** A rule narrowing the stage for some launches; the first rule that matches wins. */
export interface RolloutRule {
  readonly stage: RolloutStage;
  /** A regular expression the whole `fhirUser` reference must match, e.g. `Practitioner/(12|34)`. */
  readonly fhirUser?: string;
  /** The resource type of `fhirUser`: `Practitioner`, `PractitionerRole`, `Patient`, `RelatedPerson`. */
  readonly userType?: string;
  /** A regular expression the whole department (see `departmentParameter`) must match. */
  readonly department?: string;
}

export interface RolloutConfig {
  /** The stage for launches no rule matches. */
  readonly stage: RolloutStage;
  readonly rules?: readonly RolloutRule[];
  /** In pilot: regular expressions of the `fhirUser` references who see suggestions. */
  readonly pilotUsers?: readonly string[];
  /** In pilot, what everyone not listed gets. */
  readonly pilotOthers?: 'off' | 'shadow';
  /**
   * The token response field carrying the department, when the EHR passes one as a custom launch
   * parameter (Epic can); rules with `department` never match without it.
   */
  readonly departmentParameter?: string;
}

/** Who launched, as far as the rollout cares. */
export interface RolloutSubject {
  readonly fhirUser?: string;
  readonly department?: string;
}

export interface RolloutDecision {
  readonly stage: Exclude<RolloutStage, 'pilot'> | 'pilot';
  /** In words, for the audit trail and for admins debugging a launch. */
  readonly reason: string;
}

/** Without a `rollout` entry an EHR is in general release, as before stages existed. */
export const GENERAL_RELEASE: RolloutConfig = { stage: 'general' };

export class RolloutConfigError extends Error {
  override readonly name = 'RolloutConfigError';
}

function fullMatch(pattern: string, value: string | undefined): boolean {
  return value !== undefined && new RegExp(`^(?:${pattern})$`).test(value);
}

/** `Practitioner/12` and `https://ehr/fhir/PractitionerRole/9` both give their resource type. */
export function fhirUserType(fhirUser: string | undefined): string | undefined {
  const match = fhirUser?.match(/(?:^|\/)([A-Z][A-Za-z]+)\/[^/]+(?:\/_history\/[^/]+)?$/);
  return match?.[1];
}

function ruleMatches(rule: RolloutRule, subject: RolloutSubject): boolean {
  if (rule.fhirUser !== undefined && !fullMatch(rule.fhirUser, subject.fhirUser)) return false;
  if (rule.userType !== undefined && fhirUserType(subject.fhirUser) !== rule.userType) return false;
  if (rule.department !== undefined && !fullMatch(rule.department, subject.department)) return false;
  return true;
}

function describeRule(rule: RolloutRule, index: number): string {
  const parts = [rule.fhirUser && `fhirUser ${rule.fhirUser}`, rule.userType && `user type ${rule.userType}`, rule.department && `department ${rule.department}`].filter(Boolean);
  return `rule ${index + 1} (${parts.join(', ') || 'everyone'})`;
}

/** The stage for one launch. A kill switch overrides everything. */
export function rolloutStageFor(rollout: RolloutConfig | undefined, subject: RolloutSubject, killSwitch = false): RolloutDecision {
  if (killSwitch) return { stage: 'off', reason: 'kill switch' };
  const config = rollout ?? GENERAL_RELEASE;
  const index = (config.rules ?? []).findIndex((rule) => ruleMatches(rule, subject));
  const rule = index >= 0 ? config.rules![index]! : undefined;
  const stage = rule?.stage ?? config.stage;
  const source = rule ? describeRule(rule, index) : 'EHR default';
  if (stage !== 'pilot') return { stage, reason: source };
  // A pilot without a list is open to whoever the rule matched.
  if (!config.pilotUsers || config.pilotUsers.some((pattern) => fullMatch(pattern, subject.fhirUser))) return { stage: 'pilot', reason: `${source}; pilot user` };
  return { stage: config.pilotOthers ?? 'off', reason: `${source}; not a pilot user` };
}

function stageOf(value: unknown, where: string): RolloutStage {
  if (typeof value !== 'string' || !ROLLOUT_STAGES.includes(value as RolloutStage)) {
    throw new RolloutConfigError(`${where} must be one of ${ROLLOUT_STAGES.join(', ')}.`);
  }
  return value as RolloutStage;
}

function patternOf(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new RolloutConfigError(`${where} must be a non-empty string.`);
  try {
    new RegExp(value);
  } catch {
    throw new RolloutConfigError(`${where} is not a valid regular expression.`);
  }
  return value;
}

/** Validates an EHR entry's `rollout` object; `where` prefixes every error. */
export function parseRollout(raw: unknown, where: string): RolloutConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new RolloutConfigError(`${where} must be an object.`);
  const entry = raw as Record<string, unknown>;
  const stage = stageOf(entry.stage, `${where}.stage`);
  let rules: RolloutRule[] | undefined;
  if (entry.rules !== undefined) {
    if (!Array.isArray(entry.rules)) throw new RolloutConfigError(`${where}.rules must be an array.`);
    rules = entry.rules.map((r: unknown, i): RolloutRule => {
      const at = `${where}.rules[${i}]`;
      if (typeof r !== 'object' || r === null) throw new RolloutConfigError(`${at} must be an object.`);
      const rule = r as Record<string, unknown>;
      if (rule.fhirUser === undefined && rule.userType === undefined && rule.department === undefined) {
        throw new RolloutConfigError(`${at} needs at least one of "fhirUser", "userType", "department".`);
      }
      if (rule.userType !== undefined && (typeof rule.userType !== 'string' || !/^[A-Z][A-Za-z]+$/.test(rule.userType))) {
        throw new RolloutConfigError(`${at}.userType must be a FHIR resource type such as Practitioner or PractitionerRole.`);
      }
      return {
        stage: stageOf(rule.stage, `${at}.stage`),
        ...(rule.fhirUser !== undefined ? { fhirUser: patternOf(rule.fhirUser, `${at}.fhirUser`) } : {}),
        ...(rule.userType !== undefined ? { userType: rule.userType as string } : {}),
        ...(rule.department !== undefined ? { department: patternOf(rule.department, `${at}.department`) } : {}),
      };
    });
  }
  let pilotUsers: string[] | undefined;
  if (entry.pilotUsers !== undefined) {
    if (!Array.isArray(entry.pilotUsers)) throw new RolloutConfigError(`${where}.pilotUsers must be an array of fhirUser patterns.`);
    pilotUsers = entry.pilotUsers.map((p: unknown, i) => patternOf(p, `${where}.pilotUsers[${i}]`));
  }
  if (entry.pilotOthers !== undefined && entry.pilotOthers !== 'off' && entry.pilotOthers !== 'shadow') {
    throw new RolloutConfigError(`${where}.pilotOthers must be "off" or "shadow".`);
  }
  if (entry.departmentParameter !== undefined && (typeof entry.departmentParameter !== 'string' || !entry.departmentParameter)) {
    throw new RolloutConfigError(`${where}.departmentParameter must be a non-empty string.`);
  }
  return {
    stage,
    ...(rules ? { rules } : {}),
    ...(pilotUsers ? { pilotUsers } : {}),
    ...(entry.pilotOthers ? { pilotOthers: entry.pilotOthers as 'off' | 'shadow' } : {}),
    ...(entry.departmentParameter ? { departmentParameter: entry.departmentParameter as string } : {}),
  };
}

/** The department a launch carries in its token response, if the rollout names the field. */
export function departmentFrom(tokenResponse: Record<string, unknown>, rollout: RolloutConfig | undefined): string | undefined {
  const field = rollout?.departmentParameter;
  const value = field ? tokenResponse[field] : undefined;
  return typeof value === 'string' && value ? value : undefined;
}
