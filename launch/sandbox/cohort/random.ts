/**
 * Seeded randomness for the cohort. Every patient draws from its own stream, derived from the
 * cohort seed and the patient's key, so adding or reordering scenarios never shifts another
 * patient's values.
 */

/** 32-bit FNV-1a; only used to turn a scenario key into a stream offset. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  static forKey(seed: number, key: string): Random {
    return new Random((Math.imul(seed >>> 0, 0x9e3779b1) ^ hashString(key)) >>> 0);
  }

  /** Uniform in [0, 1): mulberry32. */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Symmetric noise in [-spread, spread]; bounded on purpose so scenario thresholds hold for every seed. */
  jitter(spread: number): number {
    return (this.next() * 2 - 1) * spread;
  }
}
