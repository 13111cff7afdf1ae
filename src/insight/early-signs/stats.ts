/**
 * Statistics that one bad value cannot move: the Theil–Sen slope (the median of all pairwise
 * slopes) instead of least squares, and confirmation rules that need a second result on another
 * day before a threshold counts.
 */
import type { Point } from '../reference-engine/case-view.ts';

const DAYS_PER_YEAR = 365.25;

/** Pairs grow with the square of the points: beyond this many, an even sample keeps it fast. */
const MAX_POINTS = 300;

/** Median pairwise slope in units per year; undefined with fewer than two distinct times. */
export function theilSenPerYear(all: readonly Point[]): number | undefined {
  const points = all.length <= MAX_POINTS ? all : Array.from({ length: MAX_POINTS }, (_, i) => all[Math.round((i * (all.length - 1)) / (MAX_POINTS - 1))]!);
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dt = (points[i]!.daysAgo - points[j]!.daysAgo) / DAYS_PER_YEAR;
      if (Math.abs(dt) < 1 / DAYS_PER_YEAR) continue;
      slopes.push((points[j]!.value - points[i]!.value) / dt);
    }
  }
  return median(slopes);
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Years between the first and last point. */
export function spanYears(points: readonly Point[]): number {
  return points.length < 2 ? 0 : (points[0]!.daysAgo - points.at(-1)!.daysAgo) / DAYS_PER_YEAR;
}

/**
 * The points passing `test`, when at least `count` of them fall on different days and the latest
 * result of the series passes too: a lone abnormal value, or one contradicted by the result after
 * it, is not confirmed.
 */
export function confirmed(points: readonly Point[], test: (value: number) => boolean, count = 2): readonly Point[] | undefined {
  const latest = points.at(-1);
  if (!latest || !test(latest.value)) return undefined;
  const passing = points.filter((p) => test(p.value));
  const days = new Set(passing.map((p) => Math.floor(p.daysAgo)));
  return days.size >= count ? passing : undefined;
}

/**
 * The latest `count` results all pass — "sustained", so a fall or rise carried by one value at
 * the end of the series is not taken for a trend.
 */
export function lastAll(points: readonly Point[], count: number, test: (value: number) => boolean): boolean {
  const tail = points.slice(-count);
  return tail.length === count && new Set(tail.map((p) => Math.floor(p.daysAgo))).size === count && tail.every((p) => test(p.value));
}
