/**
 * Words and numbers for chart facts, in the reader's locale. FHIR dates come as `YYYY`,
 * `YYYY-MM`, `YYYY-MM-DD` or full instants; each is shown at the precision the EHR sent.
 */

import type { AbnormalFlag, ReferenceRange, Trend } from '../../src/chart/types.ts';

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const dayFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', timeZone: 'UTC' });
const localDayFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const localMonthFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short' });

const DATE_ONLY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** UCUM codes clinicians write differently; anything else is tidied by `displayUnit`'s general rules. */
const UNIT_WORDS: Record<string, string> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  '[lb_av]': 'lb',
  '[in_i]': 'in',
  '/min': '/min',
  '{beats}/min': '/min',
  '{breaths}/min': '/min',
  ug: 'µg',
  uL: 'µL',
  umol: 'µmol',
};

/**
 * A UCUM unit as a clinician writes it: "mm[Hg]" → "mmHg", "Cel" → "°C",
 * "mL/min/{1.73_m2}" → "mL/min/1.73 m²", "10*3/uL" → "×10³/µL"; "{INR}" and other bare
 * annotations read as no unit. Units that are not UCUM pass through unchanged.
 */
export function displayUnit(unit: string | undefined): string | undefined {
  if (!unit) return undefined;
  const known = UNIT_WORDS[unit];
  if (known) return known;
  if (/^\{[^}]*\}$/.test(unit)) return undefined;
  const tidied = unit
    .split('/')
    .map((term) => UNIT_WORDS[term] ?? term)
    .join('/')
    .replace(/\{([^}]*)\}/g, (_, note: string) => note.replace(/_/g, ' '))
    .replace(/\[([^\]]*)\]/g, '$1')
    .replace(/^10\*(\d+)/, (_, power: string) => `×10${superscript(power)}`)
    .replace(/(?<=[a-z])([23])\b/gi, (_, power: string) => superscript(power))
    .replace(/\bu(?=[gLlm]|mol)/g, 'µ');
  return tidied || undefined;
}

const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹';

function superscript(digits: string): string {
  return [...digits].map((digit) => SUPERSCRIPTS[Number(digit)] ?? digit).join('');
}

/** A value with its unit, as clinicians write it: "27 mL/min/1.73 m²", but "97%" and "76/min". */
export function formatQuantity(value: number, unit: string | undefined): string {
  if (!unit) return formatNumber(value);
  return /^[%/]/.test(unit) ? `${formatNumber(value)}${unit}` : `${formatNumber(value)} ${unit}`;
}

/**
 * "Nov 3, 2026" for a day or an instant, "Nov 2026" or "2026" for partial dates; text the
 * EHR sent that is not a date (an onset string such as "childhood") comes back unchanged.
 */
export function formatDate(value: string): string {
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) {
    const [, year, month, day] = dateOnly;
    if (!month) return year!;
    const utc = Date.UTC(Number(year), Number(month) - 1, Number(day ?? 1));
    if (Number.isNaN(utc)) return value;
    return (day ? dayFormat : monthFormat).format(utc);
  }
  const instant = Date.parse(value);
  // Instants carry a zone, so the clinician sees the day it was where they are.
  return Number.isNaN(instant) ? value : localDayFormat.format(instant);
}

/** "Mar 2021": the coarse date a trend description needs. */
export function formatMonth(value: string): string {
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) {
    const [, year, month] = dateOnly;
    return month ? monthFormat.format(Date.UTC(Number(year), Number(month) - 1, 1)) : year!;
  }
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? value : localMonthFormat.format(instant);
}

/** Milliseconds since the epoch for any FHIR date or instant; partial dates fall on their first day. */
export function timeOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const dateOnly = DATE_ONLY.exec(value);
  const time = dateOnly ? Date.UTC(Number(dateOnly[1]), Number(dateOnly[2] ?? 1) - 1, Number(dateOnly[3] ?? 1)) : Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/** "60–120 mg/dL", "≥ 60 mL/min/1.73 m²", or the EHR's own text for the range; `unit` as it should be read. */
export function formatReferenceRange(range: ReferenceRange, unit: string | undefined): string | undefined {
  const withUnit = (text: string): string => (unit ? `${text} ${unit}` : text);
  if (range.low !== undefined && range.high !== undefined) return withUnit(`${formatNumber(range.low)}–${formatNumber(range.high)}`);
  if (range.low !== undefined) return withUnit(`≥ ${formatNumber(range.low)}`);
  if (range.high !== undefined) return withUnit(`≤ ${formatNumber(range.high)}`);
  return range.text || undefined;
}

/** Where a value lies against a range; undefined when the range has no numeric bound. */
export function rangePosition(value: number, range: ReferenceRange | undefined): 'below' | 'above' | 'within' | undefined {
  if (!range || (range.low === undefined && range.high === undefined)) return undefined;
  if (range.low !== undefined && value < range.low) return 'below';
  if (range.high !== undefined && value > range.high) return 'above';
  return 'within';
}

const ABNORMAL_WORDS: Record<Exclude<AbnormalFlag, 'normal'>, string> = {
  high: 'High',
  low: 'Low',
  'critical-high': 'Critically high',
  'critical-low': 'Critically low',
  abnormal: 'Abnormal',
};

/** The flag as a word, or undefined for a normal (or unflagged) result, which needs no badge. */
export function abnormalWord(flag: AbnormalFlag | undefined): string | undefined {
  return flag === undefined || flag === 'normal' ? undefined : ABNORMAL_WORDS[flag];
}

export const TREND_ARROWS: Record<Trend, string> = { rising: '↑', falling: '↓', stable: '→' };
