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
