/**
 * One-shot faults for chaos tests: each queued fault is spent on the next FHIR request it matches,
 * so a test can say "the next write times out after it was stored" and nothing else misbehaves.
 */

/** `write`: POST/PUT/PATCH/DELETE under /fhir except `_search`; `read`: GET and `_search`. */
export type FaultTarget = 'write' | 'read';

export type Fault =
  /** Answer `status` with an OperationOutcome; with `afterCommit` the request is processed and stored first. */
  | { readonly on: FaultTarget; readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number; readonly afterCommit?: boolean }
  /** Destroy the socket without an answer, before processing or (`afterCommit`) after. */
  | { readonly on: FaultTarget; readonly kind: 'drop'; readonly afterCommit?: boolean }
  /** Process the request, then hold the answer back for `ms`. */
  | { readonly on: FaultTarget; readonly kind: 'delay'; readonly ms: number }
  /** The request's access token expires now: 401 invalid_token, nothing processed. */
  | { readonly on: FaultTarget; readonly kind: 'expire-token' };

export class FaultError extends Error {
  override readonly name = 'FaultError';
}

const MAX_DELAY_MS = 120_000;
const ALLOWED_KEYS: Record<Fault['kind'], readonly string[]> = {
  status: ['on', 'kind', 'status', 'retryAfterSeconds', 'afterCommit'],
  drop: ['on', 'kind', 'afterCommit'],
  delay: ['on', 'kind', 'ms'],
  'expire-token': ['on', 'kind'],
};

function isWholeNumber(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Checks one fault strictly: a misspelt key would otherwise make a chaos test pass for the wrong reason. */
export function parseFault(input: unknown, where = 'fault'): Fault {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new FaultError(`${where} must be an object`);
  const raw = input as Record<string, unknown>;
  if (raw.on !== 'write' && raw.on !== 'read') throw new FaultError(`${where}.on must be "write" or "read"`);
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(kind in ALLOWED_KEYS)) {
    throw new FaultError(`${where}.kind must be one of ${Object.keys(ALLOWED_KEYS).map((k) => `"${k}"`).join(', ')}`);
  }
  const allowed = ALLOWED_KEYS[kind as Fault['kind']];
  const unknown = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new FaultError(`${where} (${kind}) does not take ${unknown.join(', ')}`);
  if (raw.afterCommit !== undefined && typeof raw.afterCommit !== 'boolean') throw new FaultError(`${where}.afterCommit must be a boolean`);
  const afterCommit = raw.afterCommit === true ? { afterCommit: true } : {};
  switch (kind as Fault['kind']) {
    case 'status': {
      if (!isWholeNumber(raw.status, 400, 599)) throw new FaultError(`${where}.status must be an HTTP error status (400–599)`);
      if (raw.retryAfterSeconds !== undefined && !isWholeNumber(raw.retryAfterSeconds, 0, 86_400)) {
        throw new FaultError(`${where}.retryAfterSeconds must be a whole number of seconds`);
      }
      return {
        on: raw.on,
        kind: 'status',
        status: raw.status,
        ...(raw.retryAfterSeconds !== undefined ? { retryAfterSeconds: raw.retryAfterSeconds } : {}),
        ...afterCommit,
      };
    }
    case 'drop':
      return { on: raw.on, kind: 'drop', ...afterCommit };
    case 'delay':
      if (!isWholeNumber(raw.ms, 0, MAX_DELAY_MS)) throw new FaultError(`${where}.ms must be a whole number of milliseconds up to ${MAX_DELAY_MS}`);
      return { on: raw.on, kind: 'delay', ms: raw.ms };
    case 'expire-token':
      return { on: raw.on, kind: 'expire-token' };
  }
}

/** A JSON array of faults, or one fault on its own. */
export function parseFaults(input: unknown): Fault[] {
  const items = Array.isArray(input) ? input : [input];
  return items.map((item, i) => parseFault(item, Array.isArray(input) ? `faults[${i}]` : 'fault'));
}

/**
 * Which fault target a FHIR request is, from its method and its path below the FHIR base.
 * Discovery (`metadata`, `.well-known/…`) is never a target: a client reads it once at launch,
 * and a read fault meant for the chart would otherwise be spent there.
 */
export function faultTarget(method: string, fhirPath: string): FaultTarget | undefined {
  const path = fhirPath.replace(/^\/+|\/+$/g, '');
  if (path === 'metadata' || path.startsWith('.well-known/')) return undefined;
  const verb = method.toUpperCase();
  if (verb === 'GET') return 'read';
  if (verb === 'POST' && path.endsWith('/_search')) return 'read';
  if (verb === 'POST' || verb === 'PUT' || verb === 'PATCH' || verb === 'DELETE') return 'write';
  return undefined;
}

export class FaultQueue {
  readonly #queue: Fault[] = [];

  /** Appends faults in order; each is validated, so nothing is queued when one is malformed. */
  push(...faults: Fault[]): number {
    const checked = faults.map((f, i) => parseFault(f, `faults[${i}]`));
    this.#queue.push(...checked);
    return this.#queue.length;
  }

  clear(): void {
    this.#queue.length = 0;
  }

  /** The faults not yet spent, oldest first. */
  remaining(): readonly Fault[] {
    return this.#queue.map((f) => ({ ...f }));
  }

  /** Removes and returns the oldest fault for this target. */
  take(target: FaultTarget | undefined): Fault | undefined {
    if (!target) return undefined;
    const index = this.#queue.findIndex((f) => f.on === target);
    return index < 0 ? undefined : this.#queue.splice(index, 1)[0];
  }
}
