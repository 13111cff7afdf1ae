/**
 * The chart as a case summary whose fact ids are the chart's own FHIR references, so the reference
 * engine's `CaseView` (unit conversion, problem and medicine matching, slopes) can be reused over
 * the full, unthinned chart. This summary is local: it is never serialised or sent anywhere.
 */
import { timeValue } from '../../chart/fhir.ts';
import type { PatientChart } from '../../chart/types.ts';
import type { CaseSeries, CaseSummary } from '../types.ts';

const DAY_MS = 86_400_000;

export function chartAsLocalCase(chart: PatientChart): CaseSummary {
  const asOf = timeValue(chart.asOf) ?? Date.now();
  // Fractional days keep same-day results in order and slopes exact.
  const daysAgo = (time: string | undefined): number | undefined => {
    const t = timeValue(time);
    return t === undefined ? undefined : Math.max(0, (asOf - t) / DAY_MS);
  };
  const series: CaseSeries[] = Object.values(chart.series).map((s) => ({
    code: s.code,
    display: s.display,
    category: s.category,
    ...(s.unit ? { unit: s.unit } : {}),
    ...(s.referenceRange?.low !== undefined ? { referenceLow: s.referenceRange.low } : {}),
    ...(s.referenceRange?.high !== undefined ? { referenceHigh: s.referenceRange.high } : {}),
    points: s.points.flatMap((p) => {
      const d = daysAgo(p.time);
      return d === undefined ? [] : [{ id: p.reference, daysAgo: d, value: p.value }];
    }),
    totalPoints: s.points.length,
  }));
  const patient = chart.patient;
  const enc = chart.encounter;
  return {
    version: 1,
    age: patient?.ageYears ?? null,
    sex: patient?.gender ?? null,
    deceased: patient?.deceased ?? false,
    encounter: enc ? { id: enc.reference, ...(enc.class ? { class: enc.class } : {}), ...(enc.type ? { type: enc.type } : {}), ...(enc.reason ? { reason: enc.reason } : {}), ...opt('startedDaysAgo', daysAgo(enc.start)) } : null,
    problems: chart.problems
      .filter((p) => p.verificationStatus !== 'entered-in-error' && p.verificationStatus !== 'refuted')
      .map((p) => ({
        id: p.reference,
        display: p.display,
        codes: p.codes,
        ...(p.clinicalStatus ? { status: p.clinicalStatus } : {}),
        ...(p.category ? { category: p.category } : {}),
        ...opt('onsetDaysAgo', daysAgo(p.onset)),
        ...opt('abatedDaysAgo', daysAgo(p.abatement)),
      })),
    medications: chart.medications.map((m) => ({
      id: m.reference,
      display: m.display,
      codes: m.codes,
      ...(m.status ? { status: m.status } : {}),
      ...(m.dosage ? { dosage: m.dosage } : {}),
      ...opt('startedDaysAgo', daysAgo(m.authoredOn)),
    })),
    allergies: chart.allergies
      .filter((a) => a.verificationStatus !== 'entered-in-error' && a.verificationStatus !== 'refuted')
      .map((a) => ({ id: a.reference, display: a.display, ...(a.criticality ? { criticality: a.criticality } : {}), reactions: a.reactions })),
    series,
    textResults: chart.textResults.map((r) => ({ id: r.reference, display: r.display, text: r.text, ...opt('daysAgo', daysAgo(r.time)) })),
    notes: chart.notes.flatMap((n) => (n.text ? [{ id: n.reference, title: n.title, text: n.text, ...opt('daysAgo', daysAgo(n.date)) }] : [])),
    unavailableSections: Object.entries(chart.sections)
      .filter(([, state]) => state.status === 'unavailable')
      .map(([name]) => name),
  };
}

function opt<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}
