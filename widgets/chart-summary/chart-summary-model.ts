/**
 * What the chart summary lists, chosen from a `PatientChart` without touching the DOM: which
 * problems, medications and allergies are current, how the vitals pair up and which notes are
 * recent. Which lab and vital series are key is the chart module's decision (`keyLabs`, `keyVitals`).
 */

import type { Allergy, ClinicalNote, Medication, ObservationSeries, Problem } from '../../src/chart/types.ts';
import { timeOf } from '../shared/format.ts';

export const RECENT_NOTE_LIMIT = 5;

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

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
