/**
 * Clinical building blocks several conditions share: anaemia thresholds, kidney stages, blood
 * pressure by visit day, pregnancy, creatinine clearance.
 */
import { ownKeyTable } from '../../../chart/lookup.ts';
import type { FactId } from '../../types.ts';
import type { CaseView, Point } from '../case-view.ts';
import { formatNumber } from '../case-view.ts';
import { PROBLEM } from '../vocabulary.ts';
import { haemoglobinLowerLimit } from '../../early-signs/population.ts';

/** WHO haemoglobin thresholds for anaemia (g/dL) by age, sex and pregnancy. */
export function anaemiaThreshold(view: CaseView, pregnant: boolean): number {
  return haemoglobinLowerLimit(view.age, view.sex, pregnant);
}

/** The latest haemoglobin in the last year when it is below the anaemia threshold. */
export function anaemia(view: CaseView): { latest: Point; threshold: number } | undefined {
  const threshold = anaemiaThreshold(view, pregnancy(view) !== undefined);
  const latest = view.latest('hemoglobin', 365);
  return latest && latest.value < threshold ? { latest, threshold } : undefined;
}

/** A fall in haemoglobin of at least `drop` g/dL from the highest earlier value in the window. */
export function haemoglobinFall(view: CaseView, withinDays: number, drop: number): { from: Point; to: Point } | undefined {
  const points = view.points('hemoglobin', withinDays);
  const to = points.at(-1);
  if (!to) return undefined;
  let from: Point | undefined;
  for (const p of points.slice(0, -1)) if (!from || p.value > from.value) from = p;
  return from && from.value - to.value >= drop ? { from, to } : undefined;
}

export interface KidneyStage {
  readonly label: string;
  readonly snomed: string;
  readonly icd10: string;
}

/** KDIGO GFR category with its SNOMED CT and ICD-10-CM stage codes. */
export function gfrCategory(egfr: number): KidneyStage {
  if (egfr >= 90) return { label: 'G1', snomed: '431855005', icd10: 'N18.1' };
  if (egfr >= 60) return { label: 'G2', snomed: '431856006', icd10: 'N18.2' };
  if (egfr >= 45) return { label: 'G3a', snomed: '700378005', icd10: 'N18.31' };
  if (egfr >= 30) return { label: 'G3b', snomed: '700379002', icd10: 'N18.32' };
  if (egfr >= 15) return { label: 'G4', snomed: '431857002', icd10: 'N18.4' };
  return { label: 'G5', snomed: '433146000', icd10: 'N18.5' };
}

// Indexed with problem codes from the EHR, so own keys only (a code "constructor" is no stage).
const STAGE_BY_CODE: Readonly<Record<string, string>> = ownKeyTable({
  '431855005': 'G1', '431856006': 'G2', '700378005': 'G3a', '700379002': 'G3b', '431857002': 'G4', '433146000': 'G5',
  'N18.1': 'G1', 'N18.2': 'G2', 'N18.30': 'G3', 'N18.31': 'G3a', 'N18.32': 'G3b', 'N18.4': 'G4', 'N18.5': 'G5', 'N18.6': 'G5',
});

/** The stage a CKD problem-list entry names, by code or words ("stage 3B", "N18.32"). */
export function recordedStage(display: string, codes: readonly { code?: string }[]): string | undefined {
  for (const c of codes) if (c.code && STAGE_BY_CODE[c.code]) return STAGE_BY_CODE[c.code];
  const m = /stage\s*(1|2|3a|3b|3|4|5)/i.exec(display);
  return m ? `G${m[1]!.toLowerCase()}` : undefined;
}

export interface BpDay {
  /** Whole days ago of the visit day. */
  readonly day: number;
  readonly systolic: number;
  readonly diastolic: number;
  readonly ids: readonly FactId[];
}

/** Office blood pressure averaged per day (guidelines diagnose on the mean of several readings). */
export function bloodPressureDays(view: CaseView, withinDays: number): readonly BpDay[] {
  const byDay = new Map<number, { sys: number[]; dia: number[]; ids: FactId[] }>();
  const add = (points: readonly Point[], key: 'sys' | 'dia'): void => {
    for (const p of points) {
      const day = Math.floor(p.daysAgo);
      const entry = byDay.get(day) ?? { sys: [], dia: [], ids: [] };
      entry[key].push(p.value);
      entry.ids.push(p.id);
      byDay.set(day, entry);
    }
  };
  add(view.points('systolic', withinDays), 'sys');
  add(view.points('diastolic', withinDays), 'dia');
  const days: BpDay[] = [];
  for (const [day, e] of byDay) {
    if (e.sys.length === 0 || e.dia.length === 0) continue;
    days.push({ day, systolic: avg(e.sys), diastolic: avg(e.dia), ids: e.ids });
  }
  return days.sort((a, b) => b.day - a.day);
}

export function formatBp(day: BpDay): string {
  return `${formatNumber(day.systolic, 0)}/${formatNumber(day.diastolic, 0)} mmHg`;
}

export interface PregnancyEvidence {
  readonly facts: readonly FactId[];
  readonly text: string;
  /** Completed weeks today, when the chart records a gestational age. */
  readonly weeks?: number;
}

/** Whether the chart shows a current pregnancy, and from which facts. */
export function pregnancy(view: CaseView): PregnancyEvidence | undefined {
  if (view.sex === 'male') return undefined;
  if (view.age !== null && (view.age < 10 || view.age > 55)) return undefined;
  const facts: FactId[] = [];
  const parts: string[] = [];
  const problems = view.problems(PROBLEM.pregnancy).filter((p) => !/history|not pregnant|postpartum|post-partum/i.test(p.display));
  if (problems.length) {
    facts.push(...problems.map((p) => p.id));
    parts.push('pregnancy on the problem list');
  }
  const tests = view.textResults(/hcg|chorionic|pregnancy/i, /positive|pregnant|detected/i, 90).filter((r) => !/not pregnant|negative|not detected/i.test(r.text));
  if (tests.length) {
    facts.push(...tests.map((r) => r.id));
    parts.push(`${tests.length === 1 ? 'a positive pregnancy result' : 'positive pregnancy results'}`);
  }
  const hcg = view.where('hcg', (v) => v >= 25, 60);
  if (hcg.length) {
    facts.push(...hcg.map((p) => p.id));
    parts.push(`serum hCG ${view.format('hcg', hcg.at(-1)!.value)}`);
  }
  const ga = view.latest('gestational-age', 60);
  if (ga) facts.push(ga.id);
  if (facts.length === 0 || (parts.length === 0 && !ga)) return undefined;
  // A pregnancy problem's onset is conventionally the last menstrual period.
  const onset = problems.find((p) => p.onsetDaysAgo !== undefined && p.onsetDaysAgo <= 300)?.onsetDaysAgo;
  const weeks = ga ? Math.floor(ga.value + ga.daysAgo / 7) : onset !== undefined ? Math.floor(onset / 7) : undefined;
  if (weeks !== undefined) parts.push(`gestational age about ${weeks} weeks`);
  return { facts, text: parts.join(', '), ...(weeks !== undefined ? { weeks } : {}) };
}

/**
 * Non-specific symptoms (tiredness, weight loss) from the problem list or recent notes: on their
 * own they only justify the basic tests that would narrow a broad differential.
 */
export function nonSpecificSymptoms(view: CaseView): { readonly facts: readonly FactId[]; readonly text: string } | undefined {
  const problems = [...view.problems(PROBLEM.fatigue), ...view.problems(PROBLEM.weightLoss)];
  const notes = view.mentions(/tired|fatigue|exhaust|letharg|weight loss|lost weight|malaise/i, 180);
  const facts = [...new Set([...problems.map((p) => p.id), ...notes.map((n) => n.id)])];
  if (!facts.length) return undefined;
  const words = [...problems.map((p) => p.display.toLowerCase()), ...notes.map((n) => n.phrase.toLowerCase())];
  return { facts, text: [...new Set(words)].join(', ') };
}

/** Diabetes from the problem list, or from results meeting the ADA criteria when it is not yet listed. */
export function diabetes(view: CaseView): { readonly facts: readonly FactId[]; readonly text: string } | undefined {
  const listed = view.problems(PROBLEM.diabetes);
  if (listed[0]) return { facts: [listed[0].id], text: listed[0].display };
  const a1c = view.where('hba1c', (x) => x >= 6.5, 3 * 365);
  const fpg = view.where('glucose-fasting', (x) => x >= 126, 3 * 365);
  if (a1c.length + fpg.length >= 2) return { facts: [...a1c, ...fpg].slice(-2).map((p) => p.id), text: 'results meeting the ADA criteria for diabetes' };
  return undefined;
}

/** Cockcroft–Gault creatinine clearance (mL/min), the measure drug labels dose by. */
export function creatinineClearance(view: CaseView): { value: number; facts: readonly FactId[] } | undefined {
  const creatinine = view.latest('creatinine', 180);
  const weight = view.latest('weight', 365);
  if (!creatinine || !weight || view.age === null || (view.sex !== 'male' && view.sex !== 'female')) return undefined;
  const value = ((140 - view.age) * weight.value) / (72 * creatinine.value) * (view.sex === 'female' ? 0.85 : 1);
  return { value, facts: [creatinine.id, weight.id] };
}

/** Milligrams per dose read from a drug's name or dosage text ("apixaban 5 MG Oral Tablet"). */
export function strengthMg(...texts: ReadonlyArray<string | undefined>): number | undefined {
  for (const text of texts) {
    const m = /(\d+(?:\.\d+)?)\s*mg\b/i.exec(text ?? '');
    if (m) return Number(m[1]);
  }
  return undefined;
}

function avg(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
