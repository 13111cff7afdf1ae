/**
 * Observations into series: one series per analyte in one unit, oldest point first, with the
 * latest flag and a trend. Everything that varies between EHRs is absorbed here: LOINC under
 * its OID, Epic's vitals system, blood-pressure panels, display units, bare values, text results.
 */
import { type Analyte, analyteForCode, BLOOD_PRESSURE, GROUPING_CODES } from './analytes.ts';
import { asArray, codings, conceptText, finiteNumber, isRecord, type Json, records, referenceOf, text, timeValue } from './fhir.ts';
import { ownKeyTable } from './lookup.ts';
import type { AbnormalFlag, ObservationSeries, ReferenceRange, SeriesPoint, TextResult, Trend } from './types.ts';
import { convertUnit, quantityUnit } from './units.ts';

export type ObservationCategory = ObservationSeries['category'];

/** One numeric value read from an Observation (or one of its components), before normalisation. */
export interface RawPoint {
  readonly reference: string;
  /** The LOINC code (or `system|code`) this value is filed under. */
  readonly code: string;
  readonly display: string;
  readonly category: ObservationCategory;
  readonly time: string;
  readonly timeMs: number;
  readonly value: number;
  readonly comparator?: string;
  readonly unit?: string;
  readonly interpretation?: string;
  readonly range?: RawRange;
}

interface RawBound {
  readonly value: number;
  readonly unit?: string;
}

interface RawRange {
  readonly low?: RawBound;
  readonly high?: RawBound;
  readonly text?: string;
}

export type ObservationReading =
  | { readonly kind: 'values'; readonly points: readonly RawPoint[]; readonly texts: readonly TextResult[] }
  /** Withdrawn or cancelled: left out, and not a fault. */
  | { readonly kind: 'excluded' }
  /** Not a usable Observation: counted as skipped. */
  | { readonly kind: 'malformed' };

const LOINC_SYSTEMS = new Set(['http://loinc.org', 'urn:oid:2.16.840.1.113883.6.1']);
/** Epic files vitals' LOINC codes under this system as well as under LOINC's own. */
const EPIC_VITALS_SYSTEM = 'urn:oid:1.2.246.537.6.96';
const LOINC_SHAPE = /^\d{1,7}-\d$/;
const EXCLUDED_STATUS = new Set(['entered-in-error', 'cancelled']);
const PENDING_STATUS = new Set(['registered', 'preliminary']);
const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

/** LOINC codes of a concept, in order, without the grouping codes EHRs add beside them. */
export function loincCodes(concept: unknown): string[] {
  const found: string[] = [];
  for (const coding of codings(concept)) {
    const system = text(coding.system);
    const code = text(coding.code);
    if (!system || !code || !LOINC_SHAPE.test(code)) continue;
    if (!LOINC_SYSTEMS.has(system) && system !== EPIC_VITALS_SYSTEM) continue;
    if (!GROUPING_CODES.has(code) && !found.includes(code)) found.push(code);
  }
  return found;
}

/** The code a result is filed under: a LOINC code Curbside knows, else any LOINC code, else `system|code`. */
export function observationCode(concept: unknown): string | undefined {
  const loinc = loincCodes(concept);
  const known = loinc.find((c) => analyteForCode(c) !== undefined);
  if (known ?? loinc[0]) return known ?? loinc[0];
  const first = codings(concept).find((c) => text(c.code));
  if (!first) return undefined;
  const system = text(first.system);
  return system ? `${system}|${text(first.code)!}` : text(first.code);
}

export function readObservation(resource: unknown, category: ObservationCategory): ObservationReading {
  if (!isRecord(resource) || resource.resourceType !== 'Observation') return { kind: 'malformed' };
  const reference = referenceOf(resource);
  const code = observationCode(resource.code);
  if (!reference || !code) return { kind: 'malformed' };
  const status = text(resource.status);
  if (status && EXCLUDED_STATUS.has(status)) return { kind: 'excluded' };
  const time = effectiveTime(resource);
  if (!time) return { kind: 'malformed' };

  const display = conceptText(resource.code) ?? code;
  const base = { reference, category, time: time.text, timeMs: time.ms };
  const quantity = quantityOf(resource.valueQuantity) ?? integerQuantity(resource.valueInteger);
  if (quantity) {
    return { kind: 'values', points: [{ ...base, code, display, ...quantity, ...interpretationAndRange(resource) }], texts: [] };
  }
  const components = componentPoints(resource, base);
  if (components.length > 0) return { kind: 'values', points: components, texts: [] };

  const result = textValue(resource) ?? (status && PENDING_STATUS.has(status) ? 'Pending' : undefined);
  if (result === undefined) return { kind: 'values', points: [], texts: [] };
  return { kind: 'values', points: [], texts: [{ reference, code, display, time: time.text, text: result }] };
}

function effectiveTime(resource: Json): { text: string; ms: number } | undefined {
  const period = isRecord(resource.effectivePeriod) ? resource.effectivePeriod : undefined;
  for (const candidate of [resource.effectiveDateTime, resource.effectiveInstant, period?.start, period?.end, resource.issued]) {
    const ms = timeValue(candidate);
    if (ms !== undefined) return { text: candidate as string, ms };
  }
  return undefined;
}

function quantityOf(value: unknown): { value: number; unit?: string; comparator?: string } | undefined {
  if (!isRecord(value)) return undefined;
  const number = finiteNumber(value.value);
  if (number === undefined) return undefined;
  const unit = quantityUnit(value);
  const comparator = text(value.comparator);
  return { value: number, ...(unit ? { unit } : {}), ...(comparator ? { comparator } : {}) };
}

function integerQuantity(value: unknown): { value: number } | undefined {
  const number = finiteNumber(value);
  return number === undefined ? undefined : { value: number };
}

/** Blood-pressure panels (and other component results) become one point per component code. */
function componentPoints(resource: Json, base: Pick<RawPoint, 'reference' | 'category' | 'time' | 'timeMs'>): RawPoint[] {
  const points: RawPoint[] = [];
  const isPressurePanel = loincCodesIncludingGroups(resource.code).some((c) => BLOOD_PRESSURE.panels.has(c));
  for (const component of records(resource.component)) {
    const quantity = quantityOf(component.valueQuantity);
    if (!quantity) continue;
    const loinc = loincCodes(component.code);
    // Oracle lists the panel code on each component too; the pressure code decides which it is.
    const code = [BLOOD_PRESSURE.systolic, BLOOD_PRESSURE.diastolic].find((c) => loinc.includes(c)) ?? (isPressurePanel ? undefined : observationCode(component.code));
    if (!code || points.some((p) => p.code === code)) continue;
    const display = conceptText(component.code) ?? code;
    points.push({ ...base, code, display, ...quantity, ...interpretationAndRange(component) });
  }
  return points;
}

function loincCodesIncludingGroups(concept: unknown): string[] {
  return codings(concept)
    .filter((c) => LOINC_SYSTEMS.has(String(c.system)) || c.system === EPIC_VITALS_SYSTEM)
    .map((c) => text(c.code))
    .filter((c): c is string => c !== undefined);
}

function textValue(resource: Json): string | undefined {
  const string = text(resource.valueString);
  if (string) return string;
  if (isRecord(resource.valueCodeableConcept)) return conceptText(resource.valueCodeableConcept);
  if (typeof resource.valueBoolean === 'boolean') return resource.valueBoolean ? 'Yes' : 'No';
  const date = text(resource.valueDateTime) ?? text(resource.valueTime);
  if (date) return date;
  if (isRecord(resource.dataAbsentReason)) return conceptText(resource.dataAbsentReason);
  const absent = records(isRecord(resource._valueString) ? resource._valueString.extension : undefined).find((e) => e.url === DATA_ABSENT_REASON);
  return absent ? text(absent.valueCode) : undefined;
}

const INTERPRETATION_CODES = new Set(['H', 'HH', 'HU', 'L', 'LL', 'LU', 'A', 'AA', 'N', '<', '>']);
const INTERPRETATION_WORDS: Readonly<Record<string, string>> = ownKeyTable({
  high: 'H',
  'above high normal': 'H',
  low: 'L',
  'below low normal': 'L',
  'critical high': 'HH',
  'critically high': 'HH',
  'critical low': 'LL',
  'critically low': 'LL',
  abnormal: 'A',
  'critical abnormal': 'AA',
  normal: 'N',
});

function interpretationAndRange(source: Json): { interpretation?: string; range?: RawRange } {
  let interpretation: string | undefined;
  for (const concept of records(source.interpretation)) {
    interpretation =
      codings(concept)
        .map((c) => text(c.code))
        .find((c): c is string => c !== undefined && INTERPRETATION_CODES.has(c)) ?? INTERPRETATION_WORDS[(text(concept.text) ?? '').toLowerCase()];
    if (interpretation) break;
  }
  const range = rawRange(source.referenceRange);
  return { ...(interpretation ? { interpretation } : {}), ...(range ? { range } : {}) };
}

function rawRange(ranges: unknown): RawRange | undefined {
  const all = records(ranges);
  // The normal range, when several (therapeutic, age-specific) are sent.
  const chosen =
    all.find((r) => !isRecord(r.type) || codings(r.type).some((c) => c.code === 'normal')) ?? all[0];
  if (!chosen) return undefined;
  const low = bound(chosen.low);
  const high = bound(chosen.high);
  const rangeText = text(chosen.text);
  if (!low && !high && !rangeText) return undefined;
  return { ...(low ? { low } : {}), ...(high ? { high } : {}), ...(rangeText ? { text: rangeText } : {}) };
}

function bound(value: unknown): RawBound | undefined {
  if (!isRecord(value)) return undefined;
  const number = finiteNumber(value.value);
  if (number === undefined) return undefined;
  const unit = quantityUnit(value);
  return { value: number, ...(unit ? { unit } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Series

/** Relative change of the latest value from the recent median that counts as a trend. */
const TREND_RELATIVE = 0.1;
/** How many earlier points the latest value is compared with. */
const TREND_WINDOW = 3;

/**
 * Builds every series from raw points (from any number of queries: duplicates by reference and
 * code are dropped). Keys are the series codes.
 */
export function buildSeries(points: Iterable<RawPoint>): Record<string, ObservationSeries> {
  const seen = new Set<string>();
  const groups = new Map<string, RawPoint[]>();
  for (const point of points) {
    const key = `${point.reference}|${point.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const group = analyteForCode(point.code)?.id ?? point.code;
    const list = groups.get(group);
    if (list) list.push(point);
    else groups.set(group, [point]);
  }
  const out: Record<string, ObservationSeries> = {};
  for (const [group, list] of groups) {
    const series = seriesOf(list, analyteForCode(list[0]!.code), group);
    // Defined, not assigned: a code of "__proto__" from the EHR would otherwise replace the prototype and drop the series.
    if (series) Object.defineProperty(out, series.code, { value: series, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function seriesOf(raw: RawPoint[], analyte: Analyte | undefined, group: string): ObservationSeries | undefined {
  const points = [...raw].sort((a, b) => a.timeMs - b.timeMs || a.reference.localeCompare(b.reference));
  const unit = seriesUnit(points, analyte);
  const anyUnit = points.some((p) => p.unit !== undefined);
  const kept: SeriesPoint[] = [];
  const keptRaw: RawPoint[] = [];
  let unconvertible = 0;
  for (const point of points) {
    const normalised = normalisePoint(point, unit, anyUnit, analyte);
    if (!normalised) {
      unconvertible += 1;
      continue;
    }
    kept.push(normalised);
    keptRaw.push(point);
  }
  const latest = kept.at(-1);
  const latestRaw = keptRaw.at(-1);
  if (!latest || !latestRaw) return undefined;
  const referenceRange = latest.referenceRange ?? [...kept].reverse().find((p) => p.referenceRange)?.referenceRange;
  const abnormal = flagOf(latest, referenceRange);
  const trend = trendOf(kept.map((p) => p.value), analyte);
  const codes = [...new Set(keptRaw.map((p) => p.code))];
  return {
    code: latestRaw.code,
    display: analyte?.display ?? latestRaw.display,
    category: analyte?.category ?? latestRaw.category,
    ...(unit ? { unit } : {}),
    points: kept,
    latest,
    ...(referenceRange ? { referenceRange } : {}),
    ...(abnormal ? { abnormal } : {}),
    ...(trend ? { trend } : {}),
    unconvertible,
    ...(codes.length > 1 || group !== latestRaw.code ? { codes } : {}),
  };
}

/** The analyte's unit when any point converts to it, else the unit of the newest point that has one. */
function seriesUnit(points: readonly RawPoint[], analyte: Analyte | undefined): string | undefined {
  const target = analyte?.unit;
  if (target && points.some((p) => p.unit !== undefined && convertValue(p.value, p.unit, target, analyte) !== undefined)) return target;
  for (let i = points.length - 1; i >= 0; i--) {
    const unit = points[i]!.unit;
    if (unit !== undefined) return unit;
  }
  return undefined;
}

function normalisePoint(point: RawPoint, unit: string | undefined, anyUnit: boolean, analyte: Analyte | undefined): SeriesPoint | undefined {
  let value = point.value;
  if (point.unit === undefined) {
    // A bare number is only meaningful in a series that never had a unit.
    if (anyUnit) return undefined;
  } else if (unit !== undefined && point.unit !== unit) {
    const converted = convertValue(point.value, point.unit, unit, analyte);
    if (converted === undefined) return undefined;
    value = converted;
  }
  const range = point.range ? convertRange(point.range, point.unit, unit, analyte) : undefined;
  const changed = value !== point.value || point.unit !== unit;
  return {
    reference: point.reference,
    time: point.time,
    value,
    ...(changed ? { original: { value: point.value, ...(point.unit ? { unit: point.unit } : {}) } } : {}),
    ...(point.interpretation ? { interpretation: point.interpretation } : {}),
    ...(range ? { referenceRange: range } : {}),
    ...(point.comparator ? { comparator: point.comparator } : {}),
  };
}

/** Range bounds without a unit are in the result's own unit. */
function convertRange(range: RawRange, pointUnit: string | undefined, unit: string | undefined, analyte: Analyte | undefined): ReferenceRange | undefined {
  const convertBound = (b: RawBound | undefined): number | undefined => {
    if (!b) return undefined;
    const from = b.unit ?? pointUnit;
    if (from === undefined || unit === undefined) return from === unit ? b.value : undefined;
    return convertValue(b.value, from, unit, analyte);
  };
  const low = convertBound(range.low);
  const high = convertBound(range.high);
  if (low === undefined && high === undefined && !range.text) return undefined;
  return {
    ...(low !== undefined ? { low } : {}),
    ...(high !== undefined ? { high } : {}),
    ...(unit && (low !== undefined || high !== undefined) ? { unit } : {}),
    ...(range.text ? { text: range.text } : {}),
  };
}

/** Unit conversion plus the one analyte whose units are related by an equation, not a factor. */
export function convertValue(value: number, from: string, to: string, analyte: Analyte | undefined): number | undefined {
  if (from === to) return value;
  let converted: number | undefined;
  if (analyte?.ifcc && from === 'mmol/mol' && to === '%') converted = 0.0915 * value + 2.15;
  else if (analyte?.ifcc && from === '%' && to === 'mmol/mol') converted = (value - 2.15) / 0.0915;
  else converted = convertUnit(value, from, to, analyte ?? {});
  if (converted === undefined || !Number.isFinite(converted)) return undefined;
  // One significant digit more than the lab sent: 3.2 mmol/L is 57.6 mg/dL, not 57.64992.
  return Number(converted.toPrecision(Math.min(6, Math.max(3, significantDigits(value) + 1))));
}

function significantDigits(value: number): number {
  const digits = Math.abs(value).toString().replace(/e.*$/, '').replace('.', '').replace(/^0+/, '');
  return Math.max(1, digits.length);
}

const FLAGS: Readonly<Record<string, AbnormalFlag>> = ownKeyTable({
  H: 'high',
  HU: 'high',
  '>': 'high',
  HH: 'critical-high',
  L: 'low',
  LU: 'low',
  '<': 'low',
  LL: 'critical-low',
  A: 'abnormal',
  AA: 'abnormal',
  N: 'normal',
});

/** The lab's own interpretation of the latest point wins; without one, its value against the range. */
function flagOf(latest: SeriesPoint, range: ReferenceRange | undefined): AbnormalFlag | undefined {
  const flagged = latest.interpretation ? FLAGS[latest.interpretation] : undefined;
  if (flagged) return flagged;
  const ownRange = latest.referenceRange ?? range;
  if (!ownRange || (ownRange.low === undefined && ownRange.high === undefined)) return undefined;
  if (ownRange.low !== undefined && latest.value < ownRange.low) return 'low';
  if (ownRange.high !== undefined && latest.value > ownRange.high) return 'high';
  return 'normal';
}

/**
 * The trend compares the latest value with the median of the (up to) three values before it, so
 * one odd earlier reading cannot flip it. It is rising or falling when the change is at least 10 %
 * of that median — or, for analytes where a relative change misleads (electrolytes, temperature,
 * SpO2, weight, HbA1c), at least the analyte's own absolute step — and stable otherwise. One point
 * has no trend.
 */
export function trendOf(values: readonly number[], analyte?: Pick<Analyte, 'trendDelta'>): Trend | undefined {
  if (values.length < 2) return undefined;
  const latest = values.at(-1)!;
  const previous = values.slice(-1 - TREND_WINDOW, -1);
  const mid = median(previous);
  const change = latest - mid;
  const threshold = analyte?.trendDelta ?? Math.abs(mid) * TREND_RELATIVE;
  if (Math.abs(change) < threshold || change === 0) return 'stable';
  return change > 0 ? 'rising' : 'falling';
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Used by tests and callers that hold raw resources: every point and text result of a list. */
export function readObservations(resources: unknown, category: ObservationCategory): { points: RawPoint[]; texts: TextResult[]; skipped: number } {
  const points: RawPoint[] = [];
  const texts: TextResult[] = [];
  let skipped = 0;
  for (const resource of asArray(resources)) {
    const reading = readObservation(resource, category);
    if (reading.kind === 'malformed') skipped += 1;
    else if (reading.kind === 'values') {
      points.push(...reading.points);
      texts.push(...reading.texts);
    }
  }
  return { points, texts, skipped };
}
