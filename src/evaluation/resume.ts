/**
 * What an interrupted run has finished, so a rerun with the same case set and providers skips it.
 * The harness saves the state after every case; the state is keyed by what would make old results
 * wrong to reuse (the case set, the provider and its version).
 */
import type { CaseResult } from './types.ts';

interface StateJson {
  readonly schema: 'curbside-evaluation-state/1';
  readonly runKey: string;
  readonly results: Readonly<Record<string, CaseResult>>;
}

export class ResumeState {
  readonly runKey: string;
  readonly #results = new Map<string, CaseResult>();

  constructor(runKey: string) {
    this.runKey = runKey;
  }

  /** A saved state for the same run, or a fresh one when there is none or it belongs to another run. */
  static from(json: unknown, runKey: string): ResumeState {
    const state = new ResumeState(runKey);
    const saved = json as Partial<StateJson> | undefined;
    if (saved?.schema === 'curbside-evaluation-state/1' && saved.runKey === runKey && saved.results) {
      for (const [key, result] of Object.entries(saved.results)) state.#results.set(key, result);
    }
    return state;
  }

  static key(provider: string, caseId: string): string {
    return `${provider}\u0000${caseId}`;
  }

  get(provider: string, caseId: string): CaseResult | undefined {
    return this.#results.get(ResumeState.key(provider, caseId));
  }

  set(result: CaseResult): void {
    this.#results.set(ResumeState.key(result.provider, result.caseId), result);
  }

  get size(): number {
    return this.#results.size;
  }

  toJSON(): StateJson {
    return { schema: 'curbside-evaluation-state/1', runKey: this.runKey, results: Object.fromEntries(this.#results) };
  }
}
