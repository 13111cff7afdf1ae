/**
 * Which series the chart summary shows first. Labs: recent abnormal results first, then the
 * results clinicians look for whether or not they are abnormal, then the rest; anything older than
 * a year goes last, because a stale abnormal value should not crowd out today's. Vitals: the usual
 * fixed order of a vital-signs strip.
 */
import { analyteForCode } from './analytes.ts';
import { timeValue } from './fhir.ts';
import type { AbnormalFlag, ObservationSeries, PatientChart } from './types.ts';

/** Analytes in the order a clinician scans a results summary. */
const IMPORTANT_LABS = [
  'egfr',
  'creatinine',
  'potassium',
  'sodium',
  'hba1c',
  'glucose',
  'glucose-fasting',
  'hemoglobin',
  'wbc',
  'platelets',
  'troponin-i-hs',
  'troponin-i',
  'troponin-t-hs',
  'troponin-t',
  'lactate',
  'alt',
  'ast',
  'bilirubin',
  'albumin',
  'tsh',
  'ldl',
  'crp',
  'hscrp',
  'ntprobnp',
  'bnp',
  'inr',
  'ferritin',
  'calcium',
  'bicarbonate',
  'uacr',
  'procalcitonin',
];

const VITAL_ORDER = ['systolic', 'diastolic', 'heart-rate', 'respiratory-rate', 'temperature', 'spo2', 'weight', 'bmi'];

const FLAG_RANK: Readonly<Record<AbnormalFlag, number>> = { 'critical-high': 0, 'critical-low': 0, high: 1, low: 1, abnormal: 1, normal: 2 };
const RECENT_MS = 365 * 24 * 3600 * 1000;
const DEFAULT_LIMIT = 12;

function analyteId(series: ObservationSeries): string | undefined {
  for (const code of [series.code, ...(series.codes ?? [])]) {
    const analyte = analyteForCode(code);
    if (analyte) return analyte.id;
  }
  return undefined;
}

/** The lab series to show, most telling first; at most `limit` (default 12). */
export function keyLabs(chart: PatientChart, limit = DEFAULT_LIMIT): ObservationSeries[] {
  const asOf = timeValue(chart.asOf) ?? Date.now();
  const ranked = Object.values(chart.series)
    .filter((s) => s.category === 'laboratory')
    .map((series) => {
      const id = analyteId(series);
      const importance = id ? IMPORTANT_LABS.indexOf(id) : -1;
      const time = timeValue(series.latest.time) ?? 0;
      const recent = asOf - time <= RECENT_MS;
      const flag = series.abnormal ? FLAG_RANK[series.abnormal] : 2;
      const abnormal = flag < 2;
      // 0: recent and abnormal; 1: recent and important; 2: other recent; 3: older than a year.
      const group = !recent ? 3 : abnormal ? 0 : importance >= 0 ? 1 : 2;
      return { series, group, flag, importance: importance >= 0 ? importance : IMPORTANT_LABS.length, time };
    });
  ranked.sort((a, b) => a.group - b.group || a.flag - b.flag || a.importance - b.importance || b.time - a.time || a.series.display.localeCompare(b.series.display));
  return ranked.slice(0, Math.max(0, limit)).map((r) => r.series);
}

/** Blood pressure, heart rate, respiratory rate, temperature, SpO2, weight and BMI, where charted. */
export function keyVitals(chart: PatientChart): ObservationSeries[] {
  const byAnalyte = new Map<string, ObservationSeries>();
  for (const series of Object.values(chart.series)) {
    const id = analyteId(series);
    if (id && VITAL_ORDER.includes(id) && !byAnalyte.has(id)) byAnalyte.set(id, series);
  }
  return VITAL_ORDER.flatMap((id) => {
    const series = byAnalyte.get(id);
    return series ? [series] : [];
  });
}
