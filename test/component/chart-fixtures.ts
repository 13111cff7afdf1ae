/**
 * Hand-built `PatientChart` snapshots for the component tests: a realistic chart for a
 * patient with declining kidney function, and helpers to set each section's state.
 */
import type { ChartSectionName, ChartSectionState, ObservationSeries, PatientChart, ReferenceRange, SeriesPoint } from '../../src/chart/types.ts';

export const READY: ChartSectionState = { status: 'ready', skipped: 0, truncated: false };
export const LOADING: ChartSectionState = { status: 'loading' };

const SECTION_NAMES: readonly ChartSectionName[] = ['patient', 'encounter', 'problems', 'vitals', 'labs', 'medications', 'allergies', 'notes', 'reports'];

export function allSections(state: ChartSectionState): Record<ChartSectionName, ChartSectionState> {
  return Object.fromEntries(SECTION_NAMES.map((name) => [name, state])) as Record<ChartSectionName, ChartSectionState>;
}

export function emptyChart(sections: Partial<Record<ChartSectionName, ChartSectionState>> = {}, base: ChartSectionState = READY): PatientChart {
  return {
    fhirBase: 'https://ehr.test/fhir/r4',
    asOf: '2026-11-20T12:00:00Z',
    problems: [],
    series: {},
    textResults: [],
    medications: [],
    allergies: [],
    notes: [],
    reports: [],
    sections: { ...allSections(base), ...sections },
  };
}

interface SeriesInit {
  code: string;
  display: string;
  category: ObservationSeries['category'];
  unit?: string;
  values: readonly number[];
  times: readonly string[];
  prefix: string;
  referenceRange?: ReferenceRange;
  abnormal?: ObservationSeries['abnormal'];
  trend?: ObservationSeries['trend'];
}

export function makeSeries(init: SeriesInit): ObservationSeries {
  const points: SeriesPoint[] = init.values.map((value, index) => ({ reference: `Observation/${init.prefix}-${index + 1}`, time: init.times[index]!, value }));
  return {
    code: init.code,
    display: init.display,
    category: init.category,
    ...(init.unit ? { unit: init.unit } : {}),
    points,
    latest: points[points.length - 1]!,
    ...(init.referenceRange ? { referenceRange: init.referenceRange } : {}),
    ...(init.abnormal ? { abnormal: init.abnormal } : {}),
    ...(init.trend ? { trend: init.trend } : {}),
    unconvertible: 0,
  };
}

const LAB_TIMES = ['2021-03-15', '2022-03-15', '2023-03-14', '2024-03-12', '2025-03-11', '2026-11-10'];
// Noon UTC, so the shown day is the same in every time zone the tests might run in.
const VITAL_TIMES = ['2026-11-18T12:00:00Z', '2026-11-19T12:00:00Z', '2026-11-20T12:00:00Z'];

export const egfrSeries = makeSeries({
  code: '98979-8',
  display: 'eGFR',
  category: 'laboratory',
  unit: 'mL/min/{1.73_m2}',
  values: [72, 64, 55, 44, 35, 27],
  times: LAB_TIMES,
  prefix: 'egfr',
  referenceRange: { low: 60, unit: 'mL/min/{1.73_m2}' },
  abnormal: 'low',
  trend: 'falling',
});

export const potassiumSeries = makeSeries({
  code: '2823-3',
  display: 'Potassium',
  category: 'laboratory',
  unit: 'mmol/L',
  values: [4.4, 4.9, 6.4],
  times: ['2024-03-12', '2025-03-11', '2026-11-12'],
  prefix: 'k',
  referenceRange: { low: 3.5, high: 5.1, unit: 'mmol/L' },
  abnormal: 'critical-high',
  trend: 'rising',
});

export const hba1cSeries = makeSeries({
  code: '4548-4',
  display: 'HbA1c',
  category: 'laboratory',
  unit: '%',
  values: [6.9, 7.0],
  times: ['2025-09-01', '2026-06-01'],
  prefix: 'a1c',
  referenceRange: { high: 5.7, unit: '%' },
  abnormal: 'high',
  trend: 'stable',
});

function vital(code: string, display: string, unit: string, values: readonly number[], prefix: string, abnormal?: ObservationSeries['abnormal']): ObservationSeries {
  return makeSeries({ code, display, category: 'vital-signs', unit, values, times: VITAL_TIMES, prefix, ...(abnormal ? { abnormal } : {}) });
}

export const vitalSeries: readonly ObservationSeries[] = [
  // Blood-pressure components share the panel Observation, as the chart splits them.
  { ...vital('8480-6', 'Systolic BP', 'mm[Hg]', [150, 144, 128], 'bp', 'high'), trend: 'falling' },
  vital('8462-4', 'Diastolic BP', 'mm[Hg]', [92, 88, 82], 'bp'),
  vital('8867-4', 'Heart rate', '/min', [88, 84, 76], 'hr'),
  vital('9279-1', 'Respiratory rate', '/min', [18, 16, 16], 'rr'),
  vital('8310-5', 'Temperature', 'Cel', [37.9, 37.2, 36.8], 'temp'),
  vital('59408-5', 'SpO2', '%', [95, 96, 97], 'spo2'),
  vital('29463-7', 'Weight', 'kg', [82.4, 82.1, 81.6], 'wt'),
];

export function seriesRecord(series: readonly ObservationSeries[]): Record<string, ObservationSeries> {
  return Object.fromEntries(series.map((s) => [s.code, s]));
}

/** A full, ready chart. */
export function fullChart(sections: Partial<Record<ChartSectionName, ChartSectionState>> = {}): PatientChart {
  return {
    ...emptyChart(sections),
    patient: { reference: 'Patient/p1', name: 'Ana Rivera', birthDate: '1959-02-11', ageYears: 67, gender: 'female', deceased: false },
    problems: [
      { reference: 'Condition/ckd', display: 'Chronic kidney disease stage 3b', codes: [], clinicalStatus: 'active', onset: '2021-03' },
      { reference: 'Condition/dm2', display: 'Type 2 diabetes mellitus', codes: [], clinicalStatus: 'active', onset: '2014-06-02' },
      { reference: 'Condition/pna', display: 'Community-acquired pneumonia', codes: [], clinicalStatus: 'resolved', onset: '2023-01-04', abatement: '2023-02-01' },
      { reference: 'Condition/old', display: 'Entered by mistake', codes: [], clinicalStatus: 'active', verificationStatus: 'entered-in-error' },
    ],
    series: seriesRecord([egfrSeries, potassiumSeries, hba1cSeries, ...vitalSeries]),
    medications: [
      { reference: 'MedicationRequest/lis', display: 'Lisinopril 10 mg oral tablet', codes: [], status: 'active', dosage: '10 mg by mouth once daily' },
      { reference: 'MedicationRequest/met', display: 'Metformin 500 mg oral tablet', codes: [], status: 'on-hold', dosage: '500 mg by mouth twice daily' },
      { reference: 'MedicationRequest/amox', display: 'Amoxicillin 500 mg capsule', codes: [], status: 'completed' },
    ],
    allergies: [
      { reference: 'AllergyIntolerance/pcn', display: 'Penicillin', codes: [], clinicalStatus: 'active', criticality: 'high', reactions: ['Hives', 'Anaphylaxis'] },
      { reference: 'AllergyIntolerance/latex', display: 'Latex', codes: [], clinicalStatus: 'active', criticality: 'low', reactions: [] },
    ],
    notes: [
      { reference: 'DocumentReference/n1', title: 'Nephrology consult', date: '2026-10-02T12:00:00Z', author: 'Dr. Chen' },
      { reference: 'DocumentReference/n2', title: 'Progress note', date: '2026-11-19T12:00:00Z', author: 'Dr. Okafor' },
      { reference: 'DocumentReference/n3', title: 'Outside records', date: '2026-05-01', textUnavailable: 'scanned document' },
    ],
  };
}
