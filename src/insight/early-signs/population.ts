/**
 * Interpretation that depends on who the patient is: the race-free CKD-EPI 2021 creatinine
 * equation, haemoglobin thresholds by sex, age and pregnancy, children's vital signs by age band,
 * and the two unit conversions clinicians most often trip on (glucose, creatinine). Unit
 * arithmetic itself is `src/chart/units.ts`'s; this module only names the analyte.
 */
import { analyteById } from '../../chart/analytes.ts';
import { convertUnit } from '../../chart/units.ts';

export type Sex = 'male' | 'female' | 'other' | 'unknown' | null | undefined;

/**
 * CKD-EPI 2021 creatinine equation (Inker et al., NEJM 2021), without a race coefficient:
 * 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age (× 1.012 for women), with κ 0.7 / 0.9
 * and α −0.241 / −0.302 for women / men. Undefined for children (the equation is for adults) or
 * when sex is not recorded as male or female, since both coefficients depend on it.
 */
export function ckdEpi2021(creatinineMgDl: number, ageYears: number, sex: Sex): number | undefined {
  if (!(creatinineMgDl > 0) || ageYears < 18 || (sex !== 'male' && sex !== 'female')) return undefined;
  const female = sex === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const ratio = creatinineMgDl / kappa;
  return 142 * Math.min(ratio, 1) ** alpha * Math.max(ratio, 1) ** -1.2 * 0.9938 ** ageYears * (female ? 1.012 : 1);
}

/**
 * Haemoglobin below which anaemia is diagnosed (g/dL) when the laboratory gives no range: the WHO
 * thresholds the BSG guideline uses — 13 for men, 12 for non-pregnant women, 11 in pregnancy, and
 * lower bands for children.
 */
export function haemoglobinLowerLimit(ageYears: number | null | undefined, sex: Sex, pregnant = false): number {
  if (pregnant) return 11;
  if (ageYears !== null && ageYears !== undefined) {
    if (ageYears < 5) return 11;
    if (ageYears < 12) return 11.5;
    if (ageYears < 15) return 12;
  }
  return sex === 'male' ? 13 : 12;
}

export interface VitalRange {
  readonly low: number;
  readonly high: number;
  readonly unit: '/min';
}

/**
 * Awake heart and respiratory rate ranges by age band, as the common paediatric life-support
 * tables give them. A local table, not one of the checked guideline references: it only frames a
 * child's values when the EHR sends no range, and never raises a sign on its own.
 */
const CHILD_VITALS: ReadonlyArray<{ readonly upTo: number; readonly heartRate: readonly [number, number]; readonly respiratoryRate: readonly [number, number] }> = [
  { upTo: 1, heartRate: [100, 160], respiratoryRate: [30, 53] },
  { upTo: 3, heartRate: [90, 150], respiratoryRate: [22, 37] },
  { upTo: 6, heartRate: [80, 140], respiratoryRate: [20, 28] },
  { upTo: 12, heartRate: [70, 120], respiratoryRate: [18, 25] },
  { upTo: 18, heartRate: [60, 100], respiratoryRate: [12, 20] },
];

/** The range for a child's heart or respiratory rate; undefined for adults or an unknown age. */
export function childVitalRange(kind: 'heart-rate' | 'respiratory-rate', ageYears: number | null | undefined): VitalRange | undefined {
  if (ageYears === null || ageYears === undefined || ageYears >= 18 || ageYears < 0) return undefined;
  const band = CHILD_VITALS.find((b) => ageYears < b.upTo)!;
  const [low, high] = kind === 'heart-rate' ? band.heartRate : band.respiratoryRate;
  return { low, high, unit: '/min' };
}

/** Glucose in mg/dL from mg/dL or mmol/L (molar mass 180.16 g/mol). */
export function glucoseMgDl(value: number, unit: string): number | undefined {
  return convertUnit(value, unit, 'mg/dL', analyteById('glucose') ?? {});
}

/** Glucose in mmol/L. */
export function glucoseMmolL(value: number, unit: string): number | undefined {
  return convertUnit(value, unit, 'mmol/L', analyteById('glucose') ?? {});
}

/** Creatinine in mg/dL from mg/dL or µmol/L (molar mass 113.12 g/mol). */
export function creatinineMgDl(value: number, unit: string): number | undefined {
  return convertUnit(value, unit, 'mg/dL', analyteById('creatinine') ?? {});
}

/** Creatinine in µmol/L. */
export function creatinineUmolL(value: number, unit: string): number | undefined {
  return convertUnit(value, unit, 'umol/L', analyteById('creatinine') ?? {});
}
