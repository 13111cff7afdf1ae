/**
 * What the chart summary lists, chosen from a `PatientChart` without touching the DOM: which
 * problems, medications and allergies are current, which lab series are key, how vitals pair
 * up, and which fact reference each shown item answers for.
 */

import type { Allergy, ClinicalNote, Medication, ObservationSeries, PatientChart, Problem } from '../../src/chart/types.ts';
import { timeOf } from '../shared/format.ts';

export const DEFAULT_KEY_LAB_LIMIT = 8;
export const RECENT_NOTE_LIMIT = 5;

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

/** Vital signs in the order a clinician scans them, each with the LOINC codes that measure it. */
const VITAL_ORDER: ReadonlyArray<readonly string[]> = [
  [SYSTOLIC],
  ['8867-4'],
  ['9279-1'],
  ['8310-5', '8331-1', '8328-7', '8332-9', '8333-7', '8329-5'],
  ['59408-5', '2708-6', '2710-2', '20564-1'],
  ['29463-7', '3141-9'],
];

const CURRENT_PROBLEM = new Set(['active', 'recurrence', 'relapse']);
const CURRENT_MEDICATION = new Set(['active', 'on-hold']);
const CURRENT_ALLERGY = new Set(['active']);
/** Entries the EHR itself says are wrong are never shown as facts. */
const WITHDRAWN = new Set(['entered-in-error', 'refuted']);

export interface Split<T> {
  readonly current: readonly T[];
  readonly other: readonly T[];
}

/** An item whose status the EHR left out is shown as current: hiding it could hide a live problem. */
function split<T>(items: readonly T[], status: (item: T) => string | undefined, current: ReadonlySet<string>): Split<T> {
  const shown: T[] = [];
  const other: T[] = [];
  for (const item of items) {
    const value = status(item);
    if (value !== undefined && WITHDRAWN.has(value)) continue;
    (value === undefined || current.has(value) ? shown : other).push(item);
  }
  return { current: shown, other };
}

export function splitProblems(problems: readonly Problem[]): Split<Problem> {
  const listed = problems.filter((problem) => !WITHDRAWN.has(problem.verificationStatus ?? ''));
  return split(listed, (problem) => problem.clinicalStatus, CURRENT_PROBLEM);
}

export function splitMedications(medications: readonly Medication[]): Split<Medication> {
  return split(medications, (medication) => medication.status, CURRENT_MEDICATION);
}

export function splitAllergies(allergies: readonly Allergy[]): Split<Allergy> {
  const listed = allergies.filter((allergy) => !WITHDRAWN.has(allergy.verificationStatus ?? ''));
  return split(listed, (allergy) => allergy.clinicalStatus, CURRENT_ALLERGY);
}

/** Newest first; undated notes last, in the order the EHR sent them. */
export function notesByDate(notes: readonly ClinicalNote[]): ClinicalNote[] {
  return notes
    .map((note, index) => ({ note, index, time: timeOf(note.date) ?? -Infinity }))
    .sort((a, b) => b.time - a.time || a.index - b.index)
    .map(({ note }) => note);
}

/**
 * Stand-in ordering of the key laboratory series until the chart module offers its own:
 * flagged results first, then the most recently measured.
 */
export function defaultKeyLabs(chart: PatientChart, limit = DEFAULT_KEY_LAB_LIMIT): ObservationSeries[] {
  const flagged = (series: ObservationSeries): number => (series.abnormal && series.abnormal !== 'normal' ? 0 : 1);
  return Object.values(chart.series)
    .filter((series) => series.category === 'laboratory' && series.points.length > 0)
    .sort((a, b) => flagged(a) - flagged(b) || (timeOf(b.latest.time) ?? 0) - (timeOf(a.latest.time) ?? 0))
    .slice(0, limit);
}

/** Stand-in ordering of the vital-sign series: BP, heart rate, respiratory rate, temperature, SpO2, weight. */
export function defaultKeyVitals(chart: PatientChart): ObservationSeries[] {
  const all = Object.values(chart.series).filter((series) => series.points.length > 0);
  const ordered: ObservationSeries[] = [];
  for (const codes of VITAL_ORDER) {
    const series = all.find((candidate) => codes.includes(candidate.code));
    if (series) ordered.push(series);
  }
  const diastolic = all.find((series) => series.code === DIASTOLIC);
  if (diastolic) ordered.push(diastolic);
  return ordered;
}

/** One row of the vitals list; blood pressure pairs its systolic and diastolic series. */
export type VitalRow =
  | { readonly kind: 'single'; readonly series: ObservationSeries }
  | { readonly kind: 'blood-pressure'; readonly systolic?: ObservationSeries; readonly diastolic?: ObservationSeries };

export function vitalRows(vitals: readonly ObservationSeries[]): VitalRow[] {
  const systolic = vitals.find((series) => series.code === SYSTOLIC);
  const diastolic = vitals.find((series) => series.code === DIASTOLIC);
  const rows: VitalRow[] = [];
  let pressureAdded = false;
  for (const series of vitals) {
    if (series.code === SYSTOLIC || series.code === DIASTOLIC) {
      if (!pressureAdded) rows.push({ kind: 'blood-pressure', ...(systolic ? { systolic } : {}), ...(diastolic ? { diastolic } : {}) });
      pressureAdded = true;
      continue;
    }
    rows.push({ kind: 'single', series });
  }
  return rows;
}

/** The reference an item reports when chosen: the latest value for a series, the resource otherwise. */
export function seriesReference(series: ObservationSeries): string {
  return series.latest.reference;
}

/** The systolic and diastolic readings taken at the latest blood-pressure time, when both exist. */
export function latestPressure(row: Extract<VitalRow, { kind: 'blood-pressure' }>): { systolic?: number; diastolic?: number; time: string; reference: string } | undefined {
  const { systolic, diastolic } = row;
  const lead = systolic ?? diastolic;
  if (!lead) return undefined;
  const time = lead.latest.time;
  // A diastolic value is only shown beside the systolic one taken at the same moment.
  const partner = systolic && diastolic ? diastolic.points.find((point) => point.time === time) : undefined;
  return {
    ...(systolic ? { systolic: systolic.latest.value } : {}),
    ...(systolic ? (partner ? { diastolic: partner.value } : {}) : { diastolic: lead.latest.value }),
    time,
    reference: lead.latest.reference,
  };
}
