/**
 * Network doubles of an EHR's FHIR server and SMART style endpoint for the component tests,
 * answering as Epic and Oracle Health do: `application/fhir+json`, searchsets with Epic's
 * `search.mode: "outcome"` entries, and OperationOutcome bodies on errors.
 */
import { http, HttpResponse, type HttpHandler, type JsonBodyType } from 'msw';
import { setupWorker, type SetupWorker } from 'msw/browser';

export const FHIR_BASE = 'https://ehr.test/fhir/r4';
export const STYLE_URL = 'https://ehr.test/smart-style.json';

const FHIR_JSON = { 'content-type': 'application/fhir+json' };

export function operationOutcome(code: string, text: string): JsonBodyType {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

export function patientResource(init: { id?: string; given?: string[]; family?: string; text?: string; gender?: string; birthDate?: string; mrn?: string } = {}) {
  const { id = 'p1', given = ['Ana'], family = 'Rivera', gender = 'female', birthDate = '1959-02-11', mrn = '555123' } = init;
  return {
    resourceType: 'Patient',
    id,
    name: [{ use: 'official', given, family, ...(init.text ? { text: init.text } : {}) }],
    gender,
    birthDate,
    identifier: [
      { use: 'usual', type: { text: 'CEID' }, system: 'urn:oid:1.2.3.4', value: 'CE-77' },
      { use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }], text: 'MRN' }, system: 'urn:oid:1.2.3.5', value: mrn },
    ],
  };
}

export function allergyResource(id: string, clinicalStatus = 'active'): JsonBodyType {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: clinicalStatus }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
    code: { text: `Allergen ${id}` },
  };
}

/** A searchset the way Epic sends it: matches plus a trailing "outcome" OperationOutcome entry. */
export function epicSearchset(resources: JsonBodyType[]): JsonBodyType {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: [
      ...resources.map((resource) => ({ resource, search: { mode: 'match' } })),
      {
        fullUrl: 'urn:uuid:00000000-0000-0000-0000-000000000001',
        resource: {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'warning', code: 'suppressed', details: { text: 'Results of this sub-type will not be returned.' } }],
        },
        search: { mode: 'outcome' },
      },
    ],
  };
}

export function patientRead(body: JsonBodyType, status = 200): HttpHandler {
  return http.get(`${FHIR_BASE}/Patient/:id`, () => HttpResponse.json(body, { status, headers: FHIR_JSON }));
}

export function allergySearch(body: JsonBodyType, status = 200): HttpHandler {
  return http.get(`${FHIR_BASE}/AllergyIntolerance`, () => HttpResponse.json(body, { status, headers: FHIR_JSON }));
}

/**
 * Starts one worker for a test file. Same-origin requests (the test server's own modules)
 * pass through; anything else the handlers don't answer is a test error.
 */
export async function startFhirWorker(): Promise<SetupWorker> {
  const worker = setupWorker();
  await worker.start({
    serviceWorker: { url: '/mockServiceWorker.js' },
    quiet: true,
    onUnhandledRequest(request, print) {
      if (new URL(request.url).origin === location.origin) return;
      print.error();
    },
  });
  return worker;
}

// ---------------------------------------------------------------------------------------------
// The chart: resources as Epic and Oracle Health send them, and searches that filter them the
// way a FHIR server does, so the chart reader's category, code and date-window queries each get
// only their own results.

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';

/** Every scope the chart reader uses, as a SMART v2 grant. */
export const CHART_SCOPES: readonly string[] = [
  'patient/Patient.r',
  'patient/Encounter.r',
  'patient/Condition.rs',
  'patient/Observation.rs',
  'patient/MedicationRequest.rs',
  'patient/Medication.r',
  'patient/AllergyIntolerance.rs',
  'patient/DocumentReference.rs',
  'patient/Binary.r',
  'patient/DiagnosticReport.rs',
];

type Resource = Record<string, unknown>;

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString();
}

function categoryOf(system: string, code: string) {
  return [{ coding: [{ system, code }] }];
}

function ucum(value: number, unit: string) {
  return { value, unit, system: UCUM, code: unit };
}

export function conditionResource(id: string, display: string, init: { clinicalStatus?: string; onset?: string; patient?: string } = {}): Resource {
  return {
    resourceType: 'Condition',
    id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: init.clinicalStatus ?? 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: categoryOf('http://terminology.hl7.org/CodeSystem/condition-category', 'problem-list-item'),
    code: { text: display },
    subject: { reference: `Patient/${init.patient ?? 'p1'}` },
    ...(init.onset ? { onsetDateTime: init.onset } : {}),
  };
}

export function labObservation(
  id: string,
  init: { code: string; display: string; value: number; unit: string; time: string; low?: number; high?: number; interpretation?: string },
): Resource {
  const range = init.low !== undefined || init.high !== undefined;
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: categoryOf('http://terminology.hl7.org/CodeSystem/observation-category', 'laboratory'),
    code: { coding: [{ system: LOINC, code: init.code, display: init.display }], text: init.display },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: init.time,
    valueQuantity: ucum(init.value, init.unit),
    ...(range
      ? {
          referenceRange: [
            { ...(init.low !== undefined ? { low: ucum(init.low, init.unit) } : {}), ...(init.high !== undefined ? { high: ucum(init.high, init.unit) } : {}) },
          ],
        }
      : {}),
    ...(init.interpretation
      ? { interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: init.interpretation }] }] }
      : {}),
  };
}

export function vitalObservation(id: string, code: string, display: string, value: number, unit: string, time: string): Resource {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: categoryOf('http://terminology.hl7.org/CodeSystem/observation-category', 'vital-signs'),
    code: { coding: [{ system: LOINC, code, display }], text: display },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: time,
    valueQuantity: ucum(value, unit),
  };
}

/** A blood-pressure panel with its two components, as both EHRs send it. */
export function bloodPressureObservation(id: string, time: string, systolic: number, diastolic: number): Resource {
  const component = (code: string, display: string, value: number) => ({ code: { coding: [{ system: LOINC, code, display }] }, valueQuantity: ucum(value, 'mm[Hg]') });
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: categoryOf('http://terminology.hl7.org/CodeSystem/observation-category', 'vital-signs'),
    code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel' }], text: 'Blood pressure' },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: time,
    component: [component('8480-6', 'Systolic blood pressure', systolic), component('8462-4', 'Diastolic blood pressure', diastolic)],
  };
}

export function medicationRequestResource(id: string, display: string, dosage?: string): Resource {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: display },
    subject: { reference: 'Patient/p1' },
    ...(dosage ? { dosageInstruction: [{ text: dosage }] } : {}),
  };
}

export function documentReferenceResource(id: string, title: string, date: string, author: string): Resource {
  return {
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: LOINC, code: '11506-3', display: 'Progress note' }], text: title },
    category: categoryOf('http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', 'clinical-note'),
    subject: { reference: 'Patient/p1' },
    date,
    author: [{ display: author }],
    content: [{ attachment: { contentType: 'text/plain', data: btoa('Seen today. Plan unchanged.') } }],
  };
}

function codings(value: unknown): Array<{ code?: unknown }> {
  const concepts = Array.isArray(value) ? value : [value];
  return concepts.flatMap((concept) => (concept && typeof concept === 'object' && Array.isArray((concept as { coding?: unknown }).coding) ? (concept as { coding: [] }).coding : []));
}

/** Whether a resource meets one search parameter; parameters the double does not know match everything. */
function matches(resource: Resource, name: string, value: string): boolean {
  switch (name) {
    case 'patient': {
      const subject = (resource.subject ?? resource.patient) as { reference?: string } | undefined;
      return subject?.reference === undefined || subject.reference === `Patient/${value}`;
    }
    case 'category':
      return value.split(',').some((wanted) => codings(resource.category).some((coding) => coding.code === wanted));
    case 'code':
      return value.split(',').some((wanted) => codings(resource.code).some((coding) => coding.code === wanted));
    case 'status':
      return value.split(',').includes(String(resource.status));
    case 'date': {
      const time = Date.parse(String(resource.effectiveDateTime ?? resource.date ?? resource.issued ?? ''));
      const bound = Date.parse(value.slice(2));
      if (Number.isNaN(time) || Number.isNaN(bound)) return true;
      if (value.startsWith('ge')) return time >= bound;
      if (value.startsWith('lt')) return time < bound;
      return true;
    }
    default:
      return true;
  }
}

/**
 * Searches of one resource type, answered from `resources` filtered by the query's patient,
 * category, code, status and date parameters. `status` answers every search with that HTTP
 * status and an OperationOutcome; `until` holds the answers back until it settles.
 */
export function fhirSearch(type: string, resources: readonly Resource[], options: { status?: number; until?: Promise<unknown> } = {}): HttpHandler {
  return http.get(`${FHIR_BASE}/${type}`, async ({ request }) => {
    if (options.until) await options.until;
    if (options.status && options.status >= 400) {
      return HttpResponse.json(operationOutcome(options.status === 403 ? 'forbidden' : 'exception', 'Refused'), { status: options.status, headers: FHIR_JSON });
    }
    const params = [...new URL(request.url).searchParams].filter(([name]) => !name.startsWith('_'));
    const found = resources.filter((resource) => params.every(([name, value]) => matches(resource, name, value)));
    return HttpResponse.json(epicSearchset(found as JsonBodyType[]), { headers: FHIR_JSON });
  });
}
