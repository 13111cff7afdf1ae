/**
 * Creatinine-based eGFR equations, so that a scenario's creatinine and eGFR series agree with
 * each other (and with the patient's age and sex) the way a real lab report would.
 */
import type { Sex } from './chart.ts';

/** CKD-EPI 2021 (race-free), mL/min/1.73 m². */
export function egfrCkdEpi2021(creatinineMgDl: number, age: number, sex: Sex): number {
  const kappa = sex === 'female' ? 0.7 : 0.9;
  const alpha = sex === 'female' ? -0.241 : -0.302;
  const ratio = creatinineMgDl / kappa;
  return 142 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.2 * 0.9938 ** age * (sex === 'female' ? 1.012 : 1);
}

/** CKD-EPI 2009 without the race coefficient, as labs reported it before switching to 2021. */
export function egfrCkdEpi2009(creatinineMgDl: number, age: number, sex: Sex): number {
  const kappa = sex === 'female' ? 0.7 : 0.9;
  const alpha = sex === 'female' ? -0.329 : -0.411;
  const ratio = creatinineMgDl / kappa;
  return 141 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.209 * 0.993 ** age * (sex === 'female' ? 1.018 : 1);
}

/** The creatinine (mg/dL) that gives `egfr` by CKD-EPI 2021; eGFR falls monotonically with creatinine, so bisect. */
export function creatinineForEgfr(egfr: number, age: number, sex: Sex): number {
  let lo = 0.1;
  let hi = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (egfrCkdEpi2021(mid, age, sex) > egfr) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export const CREATININE_UMOL_PER_MGDL = 88.42;
