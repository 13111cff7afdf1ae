/**
 * What every early-sign rule reads: the chart, a `CaseView` over it whose fact ids are FHIR
 * references, and eGFR — measured, or computed with CKD-EPI 2021 from creatinine when the lab
 * reports creatinine alone.
 */
import type { Code, PatientChart } from '../../chart/types.ts';
import { ICD10CM_SYSTEM, SNOMED_SYSTEM } from '../ground.ts';
import { CaseView, formatNumber, type Point } from '../reference-engine/case-view.ts';
import { measurementById, type MeasurementId } from '../reference-engine/measurements.ts';
import { cite, toModelCitation, type ReferenceKey } from '../reference-engine/references.ts';
import { chartAsLocalCase } from './chart-case.ts';
import { childVitalRange, ckdEpi2021, haemoglobinLowerLimit } from './population.ts';
import { pregnancy } from '../reference-engine/knowledge-base/shared.ts';
import type { ReferenceRange } from '../../chart/types.ts';
import type { EarlySign, EarlySignFigure, EarlySignKind, EarlySignSeries } from './types.ts';

export class SignContext {
  readonly chart: PatientChart;
  readonly view: CaseView;
  /** `YYYY-MM-DD` of the chart snapshot: picks the guideline edition current then. */
  readonly asOfDay: string;
  readonly egfr: readonly Point[];
  readonly egfrComputed: boolean;

  constructor(chart: PatientChart) {
    this.chart = chart;
    this.view = new CaseView(chartAsLocalCase(chart));
    this.asOfDay = chart.asOf.slice(0, 10);
    const measured = this.view.points('egfr');
    if (measured.length) {
      this.egfr = measured;
      this.egfrComputed = false;
    } else {
      this.egfr = this.#computedEgfr();
      this.egfrComputed = this.egfr.length > 0;
    }
  }

  /** eGFR by CKD-EPI 2021 at each creatinine, with the patient's age on that day. */
  #computedEgfr(): Point[] {
    const age = this.view.age;
    if (age === null) return [];
    return this.view.points('creatinine').flatMap((p) => {
      const value = ckdEpi2021(p.value, age - p.daysAgo / 365.25, this.view.sex);
      return value === undefined ? [] : [{ ...p, value }];
    });
  }

  format(id: MeasurementId, value: number): string {
    return this.view.format(id, value);
  }
}

export interface UsedSeries {
  readonly measurement: MeasurementId;
  readonly points: readonly Point[];
}

export interface SignSpec {
  readonly id: string;
  readonly kind: EarlySignKind;
  readonly title: string;
  readonly condition: { readonly display: string; readonly snomed?: string; readonly icd10?: string };
  readonly figure: EarlySignFigure;
  readonly why: string;
  readonly criterion: string;
  readonly cite: readonly [ReferenceKey, string];
  readonly used: readonly UsedSeries[];
  /** Problems and medicines the sign also rests on. */
  readonly facts?: readonly string[];
  readonly confirm: readonly string[];
  readonly refute: readonly string[];
  readonly unrecorded: boolean;
  readonly cantMiss?: boolean;
  readonly rarity?: string;
  readonly confidence: EarlySign['confidence'];
}

export function buildSign(ctx: SignContext, spec: SignSpec): EarlySign {
  const codes: Code[] = [];
  if (spec.condition.snomed) codes.push({ system: SNOMED_SYSTEM, code: spec.condition.snomed, display: spec.condition.display });
  if (spec.condition.icd10) codes.push({ system: ICD10CM_SYSTEM, code: spec.condition.icd10, display: spec.condition.display });
  const series = spec.used.flatMap((u) => chartSeries(ctx, u));
  const references = [...new Set([...spec.used.flatMap((u) => u.points.map((p) => p.id)), ...(spec.facts ?? [])])];
  return {
    id: spec.id,
    rule: spec.id,
    kind: spec.kind,
    title: spec.title,
    condition: { display: spec.condition.display, codes },
    figure: spec.figure,
    why: spec.why,
    criterion: spec.criterion,
    citation: toModelCitation(cite(spec.cite[0], spec.cite[1]), ctx.asOfDay),
    references,
    series,
    confirm: spec.confirm,
    refute: spec.refute,
    unrecorded: spec.unrecorded,
    cantMiss: spec.cantMiss ?? false,
    ...(spec.rarity ? { rarity: spec.rarity } : {}),
    confidence: spec.confidence,
  };
}

/** The chart series holding the used points, drawn whole with those points highlighted. */
function chartSeries(ctx: SignContext, used: UsedSeries): EarlySignSeries[] {
  const def = measurementById(used.measurement);
  const refs = new Set(used.points.map((p) => p.id));
  const candidates = Object.values(ctx.chart.series).filter((s) => [s.code, ...(s.codes ?? [])].some((c) => def.codes.includes(c)));
  if (!candidates.length) return [];
  const best = candidates.map((s) => ({ s, n: s.points.filter((p) => refs.has(p.reference)).length })).sort((a, b) => b.n - a.n)[0]!.s;
  return [
    {
      code: best.code,
      label: best.display,
      ...(best.unit ? { unit: best.unit } : {}),
      points: best.points,
      ...(best.referenceRange ? { referenceRange: best.referenceRange } : populationRange(ctx, used.measurement)),
      used: best.points.filter((p) => refs.has(p.reference)).map((p) => p.reference),
    },
  ];
}

/**
 * A range for the sparkline's band when the laboratory sent none: haemoglobin by sex, age and
 * pregnancy, children's heart and respiratory rates by age band.
 */
function populationRange(ctx: SignContext, id: MeasurementId): { referenceRange?: ReferenceRange } {
  const v = ctx.view;
  if (id === 'hemoglobin') return { referenceRange: { low: haemoglobinLowerLimit(v.age, v.sex, pregnancy(v) !== undefined), unit: 'g/dL', text: 'anaemia threshold for sex, age and pregnancy' } };
  if (id === 'heart-rate' || id === 'respiratory-rate') {
    const range = childVitalRange(id, v.age);
    if (range) return { referenceRange: { low: range.low, high: range.high, unit: range.unit, text: 'usual range for age' } };
  }
  return {};
}

export function n(value: number, decimals = 0): string {
  return formatNumber(value, decimals);
}

/** "4.8 years", "7 months", "12 days". */
export function span(days: number): string {
  if (days >= 548) return `${n(days / 365.25, 1)} years`;
  if (days >= 60) return `${Math.round(days / 30.44)} months`;
  return `${Math.round(days)} days`;
}
