/**
 * Plain sample data for the docs page's live examples: an invented patient with declining
 * kidney function, written out by hand so the page needs no network and no EHR.
 */
import type { BannerFacts, ObservationSeries, PatientChart, SeriesPoint } from '../../src/chart/index.ts';
import type { ChartSectionName, ChartSectionState } from '../../src/chart/types.ts';
import type { FhirRequester, LaunchContext } from '../../src/smart/context.ts';
import type { Insight, ModelIdentity } from '../../src/insight/types.ts';
import { composeNoteDraft, confirmSection, unreviewedSections, type NoteDecisions, type NoteDraft } from '../../src/writeback/note.ts';
import type { AttestingClinician } from '../../widgets/attestation/attestation.ts';

const READY: ChartSectionState = { status: 'ready', skipped: 0, truncated: false };
const SECTIONS: readonly ChartSectionName[] = ['patient', 'encounter', 'problems', 'vitals', 'labs', 'medications', 'allergies', 'notes', 'reports'];

function series(code: string, display: string, category: ObservationSeries['category'], unit: string, values: readonly number[], times: readonly string[], extra: Partial<ObservationSeries> = {}): ObservationSeries {
  const points: SeriesPoint[] = values.map((value, i) => ({ reference: `Observation/${code}-${i + 1}`, time: times[i]!, value }));
  return { code, display, category, unit, points, latest: points[points.length - 1]!, unconvertible: 0, ...extra };
}

const LAB_DAYS = ['2022-03-15', '2023-03-14', '2024-03-12', '2025-03-11', '2026-11-10'];
const VITAL_DAYS = ['2026-11-18T12:00:00Z', '2026-11-19T12:00:00Z', '2026-11-20T12:00:00Z'];

export const egfr = series('98979-8', 'eGFR', 'laboratory', 'mL/min/{1.73_m2}', [64, 55, 44, 35, 27], LAB_DAYS, {
  referenceRange: { low: 60, unit: 'mL/min/{1.73_m2}' },
  abnormal: 'low',
  trend: 'falling',
});
const potassium = series('2823-3', 'Potassium', 'laboratory', 'mmol/L', [4.4, 4.9, 5.6], LAB_DAYS.slice(2), {
  referenceRange: { low: 3.5, high: 5.1, unit: 'mmol/L' },
  abnormal: 'high',
  trend: 'rising',
});
const systolic = series('8480-6', 'Systolic BP', 'vital-signs', 'mm[Hg]', [150, 144, 138], VITAL_DAYS, { abnormal: 'high', trend: 'falling' });
const diastolic = series('8462-4', 'Diastolic BP', 'vital-signs', 'mm[Hg]', [92, 88, 84], VITAL_DAYS);
const heartRate = series('8867-4', 'Heart rate', 'vital-signs', '/min', [88, 84, 76], VITAL_DAYS);

export const chart: PatientChart = {
  fhirBase: 'https://ehr.example.org/fhir/r4',
  asOf: '2026-11-20T12:00:00Z',
  patient: { reference: 'Patient/sample', name: 'Sam Sample', birthDate: '1959-02-11', ageYears: 67, gender: 'female', deceased: false },
  problems: [
    { reference: 'Condition/ckd', display: 'Chronic kidney disease stage 3b', codes: [], clinicalStatus: 'active', onset: '2021-03' },
    { reference: 'Condition/dm2', display: 'Type 2 diabetes mellitus', codes: [], clinicalStatus: 'active', onset: '2014-06-02' },
  ],
  series: Object.fromEntries([egfr, potassium, systolic, diastolic, heartRate].map((s) => [s.code, s])),
  textResults: [],
  medications: [
    { reference: 'MedicationRequest/lisinopril', display: 'Lisinopril 10 mg oral tablet', codes: [], status: 'active', dosage: '10 mg by mouth once daily' },
    { reference: 'MedicationRequest/metformin', display: 'Metformin 500 mg oral tablet', codes: [], status: 'active', dosage: '500 mg by mouth twice daily' },
  ],
  allergies: [{ reference: 'AllergyIntolerance/pcn', display: 'Penicillin', codes: [], clinicalStatus: 'active', criticality: 'high', reactions: ['Hives'] }],
  notes: [{ reference: 'DocumentReference/n1', title: 'Nephrology consult', date: '2026-10-02T12:00:00Z', author: 'Dr. Example' }],
  reports: [],
  sections: Object.fromEntries(SECTIONS.map((name) => [name, READY])) as Record<ChartSectionName, ChartSectionState>,
};

export const banner: BannerFacts = {
  patient: { reference: 'Patient/sample', name: 'Sam Sample', birthDate: '1959-02-11', ageText: '67 y', sex: 'Female' },
  allergies: { status: 'ok', count: 1, noKnownAllergies: false, complete: true },
};

export const model: ModelIdentity = { provider: 'azure-foundry', name: 'example-model', version: '2026-01-01', builtIn: false };

export const insight: Insight = {
  id: 'sample-insight',
  task: { kind: 'differential' },
  createdAt: '2026-11-20T12:00:00.000Z',
  model,
  summary: 'Falling eGFR with a rising potassium on an ACE inhibitor suggests **progressive diabetic kidney disease**.',
  citations: [],
  confidence: 'Moderately confident; the trend spans five years of results.',
  differential: [
    {
      id: 'dkd',
      condition: 'Diabetic kidney disease',
      codes: [{ system: 'http://snomed.info/sct', code: '127013003', display: 'Disorder of kidney due to diabetes mellitus' }],
      likelihood: 'high',
      probability: 0.6,
      cantMiss: false,
      supporting: [{ text: 'eGFR 27, falling from 64 over four years', references: ['Observation/98979-8-5'], verified: true }],
      opposing: [],
      missing: ['No urine albumin-to-creatinine ratio on record'],
      nextSteps: [{ text: 'Urine albumin-to-creatinine ratio', kind: 'test' }],
      citations: [],
    },
    {
      id: 'hyperkalaemia',
      condition: 'Drug-induced hyperkalaemia',
      codes: [],
      likelihood: 'moderate',
      cantMiss: true,
      supporting: [{ text: 'Potassium 5.6 on lisinopril', references: ['Observation/2823-3-3', 'MedicationRequest/lisinopril'], verified: true }],
      opposing: [],
      missing: [],
      nextSteps: [],
      citations: [],
    },
  ],
};

/** The clinician accepted the first suggestion of `insight` and has not ruled on the second. */
export const decisions: NoteDecisions = { accepted: [{ itemId: 'dkd' }], rejected: [] };

/**
 * The note drafted from `decisions`, with every AI-drafted section already confirmed as the
 * composer would leave it, so the attestation example can be attested rather than sent back.
 */
export const noteDraft: NoteDraft = (() => {
  const draft = composeNoteDraft({ insight, decisions, noteType: '11506-3', clinicianText: 'Seen today; feels well, no new symptoms.' });
  return unreviewedSections(draft).reduce((reviewed, section) => confirmSection(reviewed, section.id), draft);
})();

export const clinician: AttestingClinician = { name: 'Dr. Alex Example', fhirUser: 'Practitioner/example' };

export const launchContext: LaunchContext = {
  fhirBase: 'https://ehr.example.org/fhir/r4',
  patientId: 'sample',
  needPatientBanner: true,
  grantedScopes: ['patient/*.rs'],
};

/**
 * Answers the sidebar's reads from memory: the patient, and an empty page for every search,
 * so the sidebar shows its real loading and empty states without a server.
 */
export const memoryFhir: FhirRequester = {
  async request<T>(url: string): Promise<T> {
    const path = url.replace(launchContext.fhirBase, '').replace(/^\//, '');
    if (path.startsWith('Patient/sample')) {
      return { resourceType: 'Patient', id: 'sample', name: [{ given: ['Sam'], family: 'Sample' }], gender: 'female', birthDate: '1959-02-11' } as T;
    }
    return { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] } as T;
  },
};
