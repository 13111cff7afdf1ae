/**
 * What a sparkline draws and says, apart from the element: coordinates in a 100 × 100 box
 * (the SVG stretches it to the element's size) and the trend in words.
 */

import type { ReferenceRange, SeriesPoint } from '../../src/chart/types.ts';
import { formatMonth, formatNumber, formatQuantity, rangePosition } from '../shared/format.ts';

export const BOX = 100;

/** Beyond this many points the line is thinned; the box is rarely wider than 100 px. */
export const DEFAULT_MAX_DRAWN = 160;

export interface PlottedPoint {
  readonly x: number;
  readonly y: number;
  readonly reference: string;
}

export interface SparklineGeometry {
  /** The line through the drawn points, as an SVG `points` list. */
  readonly line: string;
  /** The reference band, top edge and height; absent without a numeric bound. */
  readonly band?: { readonly y: number; readonly height: number };
  readonly latest?: PlottedPoint;
  readonly highlighted: readonly PlottedPoint[];
  /** How many points the line passes through after thinning. */
  readonly drawn: number;
}

/** Points with a finite value, in the order given (oldest first by contract). */
export function plottable(points: readonly SeriesPoint[]): SeriesPoint[] {
  return points.filter((point) => Number.isFinite(point.value));
}

export function sparklineGeometry(
  points: readonly SeriesPoint[],
  range: ReferenceRange | undefined,
  highlight: ReadonlySet<string>,
  maxDrawn = DEFAULT_MAX_DRAWN,
): SparklineGeometry {
  const values = plottable(points);
  if (values.length === 0) return { line: '', highlighted: [], drawn: 0 };

  const xs = xPositions(values);
  const [low, high] = valueDomain(values, range);
  const y = (value: number): number => round(BOX - ((value - low) / (high - low)) * BOX);
  const at = (index: number): PlottedPoint => ({ x: xs[index]!, y: y(values[index]!.value), reference: values[index]!.reference });

  const kept = values.length > maxDrawn ? thin(values, xs, highlight, maxDrawn) : values.map((_, index) => index);
  const line = kept.map((index) => `${xs[index]},${y(values[index]!.value)}`).join(' ');

  const highlighted: PlottedPoint[] = [];
  values.forEach((point, index) => {
    if (highlight.has(point.reference)) highlighted.push(at(index));
  });

  const bandTop = range?.high !== undefined ? y(range.high) : 0;
  const bandBottom = range?.low !== undefined ? y(range.low) : BOX;
  const hasBand = range !== undefined && (range.low !== undefined || range.high !== undefined) && bandBottom >= bandTop;
  return {
    line,
    ...(hasBand ? { band: { y: bandTop, height: round(bandBottom - bandTop) } } : {}),
    latest: at(values.length - 1),
    highlighted,
    drawn: kept.length,
  };
}

/** By time when every point has one; evenly spaced otherwise, or when all share an instant. */
function xPositions(points: readonly SeriesPoint[]): number[] {
  if (points.length === 1) return [BOX / 2];
  const times = points.map((point) => Date.parse(point.time));
  // A loop, not Math.min(...times): spreading a very long series overflows the call stack.
  let first = Infinity;
  let last = -Infinity;
  for (const time of times) {
    first = Math.min(first, time);
    last = Math.max(last, time);
  }
  const span = last - first;
  if (times.some(Number.isNaN) || !(span > 0)) return points.map((_, index) => round((index / (points.length - 1)) * BOX));
  return times.map((time) => round(((time - first) / span) * BOX));
}

/** The values and the range's bounds, so the band shows where the values sit against it. */
function valueDomain(points: readonly SeriesPoint[], range: ReferenceRange | undefined): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const { value } of points) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  for (const bound of [range?.low, range?.high]) {
    if (bound === undefined || !Number.isFinite(bound)) continue;
    low = Math.min(low, bound);
    high = Math.max(high, bound);
  }
  if (low === high) {
    // A flat series draws through the middle instead of along an edge.
    const pad = Math.abs(low) * 0.1 || 1;
    return [low - pad, high + pad];
  }
  const pad = (high - low) * 0.06;
  return [low - pad, high + pad];
}

/**
 * Keeps the first, last, lowest and highest point of each x bucket, so the thinned line has
 * the same shape and extremes; highlighted points are kept whatever their bucket.
 */
function thin(points: readonly SeriesPoint[], xs: readonly number[], highlight: ReadonlySet<string>, maxDrawn: number): number[] {
  const buckets = Math.max(1, Math.floor(maxDrawn / 4));
  const kept = new Set<number>();
  let bucket = -1;
  let first = 0;
  let last = 0;
  let min = 0;
  let max = 0;
  const flush = (): void => {
    if (bucket >= 0) for (const index of [first, min, max, last]) kept.add(index);
  };
  points.forEach((point, index) => {
    const b = Math.min(buckets - 1, Math.floor((xs[index]! / BOX) * buckets));
    if (b !== bucket) {
      flush();
      bucket = b;
      first = last = min = max = index;
    } else {
      last = index;
      if (point.value < points[min]!.value) min = index;
      if (point.value > points[max]!.value) max = index;
    }
    if (highlight.has(point.reference)) kept.add(index);
  });
  flush();
  return [...kept].sort((a, b) => a - b);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The trend in words for the image's accessible name, e.g. "eGFR, 12 values from Mar 2021
 * to Nov 2026, from 72 to 27 mL/min/1.73m2, below the reference range".
 */
export function describeTrend(
  label: string,
  points: readonly SeriesPoint[],
  unit: string | undefined,
  range: ReferenceRange | undefined,
  highlight: ReadonlySet<string>,
): string {
  const values = plottable(points);
  const name = label.trim() || 'Trend';
  if (values.length === 0) return `${name}, no values`;

  const first = values[0]!;
  const latest = values[values.length - 1]!;
  const parts = [name];
  if (values.length === 1) {
    parts.push(`1 value in ${formatMonth(latest.time)}`, formatQuantity(latest.value, unit));
  } else {
    const from = formatMonth(first.time);
    const to = formatMonth(latest.time);
    parts.push(from === to ? `${values.length} values in ${to}` : `${values.length} values from ${from} to ${to}`);
    parts.push(valuesInWords(values, unit));
  }

  const position = rangePosition(latest.value, range);
  if (position) parts.push(`${position} the reference range`);
  const highlightedCount = values.filter((point) => highlight.has(point.reference)).length;
  if (highlightedCount > 0) parts.push(`${highlightedCount} ${highlightedCount === 1 ? 'value' : 'values'} highlighted`);
  return parts.join(', ');
}

function valuesInWords(values: readonly SeriesPoint[], unit: string | undefined): string {
  const first = values[0]!.value;
  const last = values[values.length - 1]!.value;
  let min = Infinity;
  let max = -Infinity;
  for (const { value } of values) {
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  if (min === max) return `all ${formatQuantity(min, unit)}`;
  const text = `from ${formatNumber(first)} to ${formatQuantity(last, unit)}`;
  // The endpoints alone would hide a spike or a dip in between.
  const extremes: string[] = [];
  if (min < Math.min(first, last)) extremes.push(`lowest ${formatNumber(min)}`);
  if (max > Math.max(first, last)) extremes.push(`highest ${formatNumber(max)}`);
  return extremes.length > 0 ? `${text} (${extremes.join(', ')})` : text;
}
