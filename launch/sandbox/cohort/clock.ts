/**
 * Dates relative to the cohort's "as of" day. Everything is written in one UTC shape
 * (`YYYY-MM-DDThh:mm:ssZ`, or `YYYY-MM-DD` for plain dates) because the sandbox's FHIR engine
 * compares dates as strings.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365.25 * DAY;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseAsOf(asOf: string): number {
  const match = ISO_DATE.exec(asOf);
  if (!match) throw new RangeError(`asOf must be a YYYY-MM-DD date, got "${asOf}"`);
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  if (new Date(ms).toISOString().slice(0, 10) !== asOf) throw new RangeError(`asOf is not a calendar date: "${asOf}"`);
  return ms;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's civil_from_days), so the
 * tens of thousands of timestamps in the long-history patient need no Date objects.
 */
function civil(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1000 || y > 9999) return new Date(days * DAY).toISOString().slice(0, 10);
  return `${y}-${two(m)}-${two(d)}`;
}

/** `2024-03-05T14:30:00Z`: seconds kept, milliseconds dropped, always UTC. */
export function instant(ms: number): string {
  const days = Math.floor(ms / DAY);
  const secs = Math.floor((ms - days * DAY) / 1000);
  return `${civil(days)}T${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}Z`;
}

export function plainDate(ms: number): string {
  return civil(Math.floor(ms / DAY));
}

export class Clock {
  /** Midnight UTC at the start of the as-of day. */
  readonly today: number;

  constructor(asOf: string) {
    this.today = parseAsOf(asOf);
  }

  /** A moment `days` before the as-of day, at the given UTC time of day. */
  daysAgo(days: number, hour = 0, minute = 0): number {
    return this.today - Math.round(days) * DAY + hour * HOUR + minute * MINUTE;
  }

  /** The as-of day at the given UTC time. */
  at(hour: number, minute = 0): number {
    return this.today + hour * HOUR + minute * MINUTE;
  }

  /**
   * A birth date for someone who is `years` old on the as-of day and will have the next birthday
   * `daysToBirthday` days later (calendar arithmetic, so leap years cannot shift the age).
   */
  birthDate(years: number, daysToBirthday: number): string {
    const d = new Date(this.today + daysToBirthday * DAY);
    return plainDate(Date.UTC(d.getUTCFullYear() - years - 1, d.getUTCMonth(), d.getUTCDate()));
  }
}

/** Age in whole years at a moment. */
export function ageAt(birthDate: string, ms: number): number {
  return ageOn(birthDate, plainDate(ms));
}

/** Whole years between a birth date and a day, the way a clinician counts age. */
export function ageOn(birthDate: string, onDay: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = onDay.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
