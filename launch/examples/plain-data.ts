/**
 * Embedding with plain data: register the two elements, give them a `PatientChart` and an
 * `Insight` written inline, and listen for `curbside-fact-select`. Only the element modules are
 * imported, as a host importing single elements from `dist-lib/` would.
 */
import '../../widgets/chart-summary/chart-summary.ts';
import '../../widgets/differential/differential.ts';
import type { PatientChart } from '../../src/chart/index.ts';
import type { ChartSectionName, ChartSectionState } from '../../src/chart/types.ts';
import type { Insight } from '../../src/insight/types.ts';

const ready: ChartSectionState = { status: 'ready', skipped: 0, truncated: false };
const sections = ['patient', 'encounter', 'problems', 'vitals', 'labs', 'medications', 'allergies', 'notes', 'reports'] as const satisfies readonly ChartSectionName[];

const a1cPoints = [
  { reference: 'Observation/a1c-1', time: '2025-05-02', value: 6.1 },
  { reference: 'Observation/a1c-2', time: '2026-11-17', value: 7.4 },
];

const chart: PatientChart = {
  fhirBase: 'https://ehr.example.org/fhir/r4',
  asOf: '2026-11-20T12:00:00Z',
  patient: { reference: 'Patient/example', name: 'Alex Example', birthDate: '1972-08-30', ageYears: 54, gender: 'male', deceased: false },
  problems: [{ reference: 'Condition/htn', display: 'Essential hypertension', codes: [], clinicalStatus: 'active', onset: '2019-04' }],
  series: {
    '4548-4': {
      code: '4548-4',
      display: 'HbA1c',
      category: 'laboratory',
      unit: '%',
      points: a1cPoints,
      latest: a1cPoints[1]!,
      referenceRange: { high: 5.7, unit: '%' },
      abnormal: 'high',
      trend: 'rising',
      unconvertible: 0,
    },
  },
  textResults: [],
  medications: [{ reference: 'MedicationRequest/amlodipine', display: 'Amlodipine 5 mg oral tablet', codes: [], status: 'active', dosage: '5 mg once daily' }],
  allergies: [],
  notes: [{ reference: 'DocumentReference/visit', title: 'Clinic visit: thirst and frequent urination', date: '2026-11-17T12:00:00Z', author: 'Dr. Example' }],
  reports: [],
  sections: Object.fromEntries(sections.map((name) => [name, ready])) as Record<ChartSectionName, ChartSectionState>,
};

const insight: Insight = {
  id: 'example-insight',
  task: { kind: 'differential' },
  createdAt: '2026-11-20T12:00:00.000Z',
  model: { provider: 'openai-compatible', name: 'Example model', version: '1', builtIn: false },
  summary: 'An HbA1c above 6.5 % with osmotic symptoms suggests **type 2 diabetes**; confirm with a second test.',
  citations: [],
  confidence: 'One result above the threshold needs confirmation.',
  differential: [
    {
      id: 't2dm',
      condition: 'Type 2 diabetes mellitus',
      codes: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Type 2 diabetes mellitus' }],
      likelihood: 'high',
      cantMiss: false,
      supporting: [
        { text: 'HbA1c 7.4 %, up from 6.1 %', references: ['Observation/a1c-2', 'Observation/a1c-1'], verified: true },
        { text: 'Thirst and frequent urination at the last visit', references: ['DocumentReference/visit'], verified: true },
      ],
      opposing: [],
      missing: ['No fasting plasma glucose'],
      nextSteps: [{ text: 'Repeat HbA1c or fasting plasma glucose', kind: 'test' }],
      citations: [],
    },
  ],
};

const summary = document.querySelector('curbside-chart-summary')!;
const differential = document.querySelector('curbside-differential')!;
summary.chart = chart;
differential.insight = insight;

// The event bubbles and is composed, so one listener on the document hears both elements.
document.addEventListener('curbside-fact-select', (event) => {
  document.getElementById('selected')!.textContent = event.detail.reference;
  // A finding chosen in the differential brings the cited fact into view in the summary.
  if (event.target === differential) summary.highlightFact(event.detail.reference);
});
