/**
 * A read-only view over a de-identified case summary, shaped for rules: measurements in canonical
 * units with their fact ids, active problems and medications matched by code or words, and note
 * mentions that are not negated. Nothing here decides; it only finds.
 */
import type { CaseMedication, CaseProblem, CaseSummary, FactId } from '../types.ts';
import { converterFor, measurementById, measurementForCode, type MeasurementDefinition, type MeasurementId } from './measurements.ts';

export interface Point {
  readonly id: FactId;
  readonly daysAgo: number;
  readonly value: number;
  /** Position in time order, oldest first; separates same-day results (serial troponins). */
  readonly order: number;
}

export interface Measurement {
  readonly def: MeasurementDefinition;
  /** Oldest first. */
  readonly points: readonly Point[];
  readonly referenceLow?: number;
  readonly referenceHigh?: number;
}

export interface Matcher {
  /** SNOMED CT codes (problems) or RxNorm codes (medications). */
  readonly codes?: readonly string[];
  /** ICD-10-CM code prefixes, e.g. `N18`. */
  readonly icd10?: readonly string[];
  /** Words in the display text. */
  readonly text?: RegExp;
}

export interface Mention {
  readonly id: FactId;
  /** The matched words only, never the surrounding note text. */
  readonly phrase: string;
  readonly daysAgo?: number;
}

const INACTIVE_PROBLEM = new Set(['inactive', 'resolved', 'remission', 'refuted', 'entered-in-error']);
const INACTIVE_MEDICATION = new Set(['stopped', 'completed', 'cancelled', 'entered-in-error', 'not-taken', 'ended']);
/** Words that, earlier in the same clause, turn a mention into its denial. */
const NEGATION = /\b(?:no|not|nor|without|denies|denied|negative|withdrawn|ruled out|excluded|absent|never|free of|unlikely)\b/i;
/** Words shortly after a mention that withdraw it ("pneumonia withdrawn"); "not excluded" keeps it. */
const LATER_NEGATION = /^.{0,40}?(?:\b(?:withdrawn|ruled out|unlikely|negative|resolved)\b|(?<!\bnot )\bexcluded\b)/i;
const ICD10 = /icd-?10/i;
const SNOMED = /snomed/i;
const RXNORM = /rxnorm/i;

export class CaseView {
  readonly summary: CaseSummary;
  /** Whole years; 90 stands for "90+". */
  readonly age: number | null;
  readonly ageText: string;
  readonly sex: CaseSummary['sex'];
  readonly activeProblems: readonly CaseProblem[];
  readonly activeMedications: readonly CaseMedication[];
  readonly #measurements = new Map<MeasurementId, Measurement | null>();
  readonly #factIds: ReadonlySet<FactId>;

  constructor(summary: CaseSummary) {
    this.summary = summary;
    this.age = summary.age === '90+' ? 90 : summary.age;
    this.ageText = summary.age === null ? 'unknown age' : summary.age === '90+' ? 'aged 90 or over' : `aged ${summary.age}`;
    this.sex = summary.sex;
    this.activeProblems = summary.problems.filter((p) => !INACTIVE_PROBLEM.has((p.status ?? '').toLowerCase()) && p.abatedDaysAgo === undefined);
    this.activeMedications = summary.medications.filter((m) => !INACTIVE_MEDICATION.has((m.status ?? '').toLowerCase()));
    this.#factIds = collectFactIds(summary);
  }

  hasFact(id: FactId): boolean {
    return this.#factIds.has(id);
  }

  get isAdult(): boolean {
    return this.age !== null && this.age >= 18;
  }

  /** "man aged 67", "woman aged 90 or over", "patient of unknown age". */
  get person(): string {
    const who = this.sex === 'male' ? (this.isAdult ? 'man' : 'boy') : this.sex === 'female' ? (this.isAdult ? 'woman' : 'girl') : 'patient';
    return this.age === null ? `${who} of unknown age` : `${who} ${this.ageText}`;
  }

  get encounterClass(): string | undefined {
    return this.summary.encounter?.class?.toUpperCase();
  }

  /** Emergency or inpatient: where acute rules (sepsis, ACS) carry their full weight. */
  get acuteSetting(): boolean {
    const cls = this.encounterClass ?? '';
    return cls === 'EMER' || cls === 'IMP' || cls === 'ACUTE' || cls === 'OBSENC';
  }

  unavailable(section: string): boolean {
    return this.summary.unavailableSections.some((s) => s.toLowerCase().includes(section.toLowerCase()));
  }

  // ─── Measurements ───────────────────────────────────────────────────────────────────────

  /** Every series of the measurement merged, converted to its canonical unit, oldest first. */
  measurement(id: MeasurementId): Measurement | undefined {
    const cached = this.#measurements.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const def = measurementById(id);
    const raw: Array<{ id: FactId; daysAgo: number; value: number; seq: number }> = [];
    let referenceLow: number | undefined;
    let referenceHigh: number | undefined;
    let seq = 0;
    for (const series of this.summary.series) {
      if (measurementForCode(series.code) !== def) continue;
      const convert = converterFor(def, series);
      if (!convert) continue;
      for (const point of series.points) {
        const value = convert(point.value);
        if (Number.isFinite(value)) raw.push({ id: point.id, daysAgo: point.daysAgo, value, seq: seq++ });
      }
      if (series.referenceLow !== undefined && referenceLow === undefined) referenceLow = convert(series.referenceLow);
      if (series.referenceHigh !== undefined && referenceHigh === undefined) referenceHigh = convert(series.referenceHigh);
    }
    if (raw.length === 0) {
      this.#measurements.set(id, null);
      return undefined;
    }
    // Same-day points keep the order the summary gave them (oldest first within a series).
    raw.sort((a, b) => b.daysAgo - a.daysAgo || a.seq - b.seq);
    const points = raw.map((p, order) => ({ id: p.id, daysAgo: p.daysAgo, value: p.value, order }));
    const result: Measurement = {
      def,
      points,
      ...(referenceLow !== undefined && Number.isFinite(referenceLow) ? { referenceLow } : {}),
      ...(referenceHigh !== undefined && Number.isFinite(referenceHigh) ? { referenceHigh } : {}),
    };
    this.#measurements.set(id, result);
    return result;
  }

  points(id: MeasurementId, withinDays = Infinity): readonly Point[] {
    return (this.measurement(id)?.points ?? []).filter((p) => p.daysAgo <= withinDays);
  }

  latest(id: MeasurementId, withinDays = Infinity): Point | undefined {
    return this.points(id, withinDays).at(-1);
  }

  /** Whether any result of the measurement exists within the window. */
  has(id: MeasurementId, withinDays = Infinity): boolean {
    return this.points(id, withinDays).length > 0;
  }

  where(id: MeasurementId, test: (value: number) => boolean, withinDays = Infinity): readonly Point[] {
    return this.points(id, withinDays).filter((p) => test(p.value));
  }

  extreme(id: MeasurementId, kind: 'min' | 'max', withinDays = Infinity): Point | undefined {
    let best: Point | undefined;
    for (const p of this.points(id, withinDays)) {
      if (!best || (kind === 'min' ? p.value < best.value : p.value > best.value)) best = p;
    }
    return best;
  }

  /**
   * The longest run of consecutive results ending at the latest one that all pass the test, when
   * it spans at least `minDays` (KDIGO's "more than 3 months", a persistently raised BP).
   */
  persistent(id: MeasurementId, test: (value: number) => boolean, minDays: number): readonly Point[] | undefined {
    const points = this.points(id);
    const run: Point[] = [];
    for (let i = points.length - 1; i >= 0; i--) {
      const p = points[i]!;
      if (!test(p.value)) break;
      run.unshift(p);
    }
    if (run.length < 2) return undefined;
    return run[0]!.daysAgo - run.at(-1)!.daysAgo >= minDays ? run : undefined;
  }

  /** Least-squares slope in units per year over the window; needs three points over six months. */
  slopePerYear(id: MeasurementId, withinDays = Infinity): { slope: number; points: readonly Point[] } | undefined {
    const points = this.points(id, withinDays);
    if (points.length < 3) return undefined;
    if (points[0]!.daysAgo - points.at(-1)!.daysAgo < 180) return undefined;
    const xs = points.map((p) => -p.daysAgo / 365.25);
    const ys = points.map((p) => p.value);
    const mx = mean(xs);
    const my = mean(ys);
    let num = 0;
    let den = 0;
    for (let i = 0; i < xs.length; i++) {
      num += (xs[i]! - mx) * (ys[i]! - my);
      den += (xs[i]! - mx) ** 2;
    }
    return den === 0 ? undefined : { slope: num / den, points };
  }

  /** Mean of the values in the window (BP averaged over readings, as guidelines ask). */
  average(id: MeasurementId, withinDays = Infinity): number | undefined {
    const points = this.points(id, withinDays);
    return points.length ? mean(points.map((p) => p.value)) : undefined;
  }

  /** The value formatted in the measurement's unit: "27 mL/min/1.73 m²". */
  format(id: MeasurementId, value: number): string {
    const def = measurementById(id);
    return `${formatNumber(value, def.decimals)}${def.label ? (def.label.startsWith('%') || def.label.startsWith('°') ? '' : ' ') + def.label : ''}`;
  }

  // ─── Problems, medications, allergies ───────────────────────────────────────────────────

  problems(match: Matcher, includeInactive = false): readonly CaseProblem[] {
    const list = includeInactive ? this.summary.problems : this.activeProblems;
    return list.filter((p) => matches(p.display, p.codes, match, SNOMED));
  }

  medications(match: Matcher, includeInactive = false): readonly CaseMedication[] {
    const list = includeInactive ? this.summary.medications : this.activeMedications;
    return list.filter((m) => matches(m.display, m.codes, match, RXNORM));
  }

  allergies(text: RegExp): ReadonlyArray<CaseSummary['allergies'][number]> {
    return this.summary.allergies.filter((a) => text.test(a.display));
  }

  // ─── Notes and text results ─────────────────────────────────────────────────────────────

  /**
   * Where notes, text results or the encounter reason mention the pattern without a negation
   * earlier in the same clause ("no chest pain" does not count; "chest pain, no fever" does).
   */
  mentions(pattern: RegExp, withinDays = Infinity): readonly Mention[] {
    const found: Mention[] = [];
    const scan = (id: FactId, text: string, daysAgo: number | undefined): void => {
      if (daysAgo !== undefined && daysAgo > withinDays) return;
      const flags = pattern.flags.includes('i') ? pattern.flags : `${pattern.flags}i`;
      const local = new RegExp(pattern.source, flags.replace('g', ''));
      for (const clause of text.split(/[.;:\n!?]|,\s/)) {
        const hit = local.exec(clause);
        if (!hit) continue;
        if (NEGATION.test(clause.slice(0, hit.index)) || LATER_NEGATION.test(clause.slice(hit.index + hit[0].length))) continue;
        // Whole words read better than the pattern's stem ("confus" → "confused").
        const rest = /^[\p{L}-]*/u.exec(clause.slice(hit.index + hit[0].length))?.[0] ?? '';
        found.push({ id, phrase: `${hit[0]}${rest}`.trim(), ...(daysAgo !== undefined ? { daysAgo } : {}) });
        return;
      }
    };
    for (const note of this.summary.notes) scan(note.id, `${note.title}\n${note.text}`, note.daysAgo);
    for (const result of this.summary.textResults) scan(result.id, `${result.display}: ${result.text}`, result.daysAgo);
    const enc = this.summary.encounter;
    if (enc?.reason) scan(enc.id, enc.reason, enc.startedDaysAgo);
    return found;
  }

  /** Text results (urine dipstick, qualitative hCG) whose name and value both match. */
  textResults(display: RegExp, value: RegExp, withinDays = Infinity): ReadonlyArray<CaseSummary['textResults'][number]> {
    return this.summary.textResults.filter((r) => display.test(r.display) && value.test(r.text) && (r.daysAgo === undefined || r.daysAgo <= withinDays));
  }
}

function matches(display: string, codes: CaseProblem['codes'], match: Matcher, codeSystem: RegExp): boolean {
  if (match.text?.test(display)) return true;
  for (const code of codes) {
    const value = code.code ?? '';
    const system = code.system ?? '';
    if (match.codes && (codeSystem.test(system) || system === '') && match.codes.includes(value)) return true;
    if (match.icd10 && ICD10.test(system) && match.icd10.some((prefix) => value.toUpperCase().startsWith(prefix))) return true;
    if (match.text && code.display && match.text.test(code.display)) return true;
  }
  return false;
}

function collectFactIds(summary: CaseSummary): ReadonlySet<FactId> {
  const ids = new Set<FactId>();
  if (summary.encounter) ids.add(summary.encounter.id);
  for (const list of [summary.problems, summary.medications, summary.allergies, summary.notes, summary.textResults]) for (const f of list) ids.add(f.id);
  for (const series of summary.series) for (const p of series.points) ids.add(p.id);
  return ids;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function formatNumber(value: number, decimals: number): string {
  const fixed = value.toFixed(decimals);
  return decimals > 0 ? fixed.replace(/\.?0+$/, '') || '0' : fixed;
}
