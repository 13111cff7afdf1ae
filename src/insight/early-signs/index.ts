import type { PatientChart } from '../../chart/types.ts';
import { SignContext } from './context.ts';
import { EARLY_SIGN_RULES } from './rules.ts';
import type { EarlySign } from './types.ts';

export type * from './types.ts';
export { EARLY_SIGN_RULES } from './rules.ts';
export type { EarlySignRule } from './rules.ts';
export { chartAsLocalCase } from './chart-case.ts';
export { ckdEpi2021, haemoglobinLowerLimit, childVitalRange, glucoseMgDl, glucoseMmolL, creatinineMgDl, creatinineUmolL } from './population.ts';
export { theilSenPerYear } from './stats.ts';

const CONFIDENCE_RANK = { high: 0, moderate: 1, low: 2 } as const;

/**
 * Every early sign the chart shows, can't-miss first, then what the problem list lacks, then by
 * confidence. A rule that throws on odd data is skipped rather than taking the others down.
 */
export function detectEarlySigns(chart: PatientChart): EarlySign[] {
  const ctx = new SignContext(chart);
  const signs: EarlySign[] = [];
  for (const rule of EARLY_SIGN_RULES) {
    try {
      const sign = rule.detect(ctx);
      if (sign) signs.push(sign);
    } catch {
      continue;
    }
  }
  return signs.sort((a, b) => Number(b.cantMiss) - Number(a.cantMiss) || Number(b.unrecorded) - Number(a.unrecorded) || CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence]);
}
