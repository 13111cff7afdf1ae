import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  CodeableConcept,
  Condition,
  Encounter,
  Medication,
  MedicationRequest,
  Observation,
  OperationOutcome,
  Organization,
  Patient,
  Practitioner,
  Resource,
} from 'fhir/r4';
import { makeGrant, type AccessGrant } from '../scopes.ts';
import { createFhirServer, type FhirHttpResponse, type FhirServer } from './index.ts';

const BASE = 'http://localhost:4000/fhir';
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SYNTHEA_DIR = resolve(REPO_ROOT, '../shared/fixtures/synthea');
const SYNTHEA_SKIP = existsSync(SYNTHEA_DIR) ? false : `Synthea fixtures not found at ${SYNTHEA_DIR}`;

const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
const category = (code: string): CodeableConcept[] => [{ coding: [{ system: CATEGORY_SYSTEM, code }] }];
const loinc = (code: string): CodeableConcept => ({ coding: [{ system: 'http://loinc.org', code }] });

function grant(scopes: string[], patient?: string): AccessGrant {
  return makeGrant({ clientId: 'test-app', scopes, ...(patient ? { patient } : {}), expiresAt: Date.now() + 3_600_000 });
}

/** The app's own launch scopes, for Alice. */
const aliceApp = grant(
  [
    'launch/patient',
    'openid',
    'patient/Patient.r',
    'patient/Observation.rs',
    'patient/Observation.c',
    'patient/MedicationRequest.rs',
    'patient/Medication.r',
    'patient/Condition.rs',
    'patient/Encounter.rs',
    'user/Practitioner.r',
  ],
  'alice',
);
const aliceLabsOnly = grant(['patient/Observation.rs?category=laboratory'], 'alice');
const admin = grant(['user/*.cruds']);

function call(server: FhirServer, who: AccessGrant, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<FhirHttpResponse> {
  const url = new URL(path.startsWith('http') ? path : `${BASE}/${path}`);
  return server.handle({ method, url, headers, body }, who);
}

function assertOutcome(res: FhirHttpResponse, status: number, code?: string): string {
  assert.equal(res.status, status, JSON.stringify(res.body));
  const outcome = res.body as OperationOutcome;
  assert.equal(outcome.resourceType, 'OperationOutcome');
  if (code) assert.equal(outcome.issue[0]?.code, code);
  return outcome.issue.map((i) => i.details?.text ?? '').join(' ');
}

function bundleOf(res: FhirHttpResponse): Bundle {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const bundle = res.body as Bundle;
  assert.equal(bundle.resourceType, 'Bundle');
  return bundle;
}

const resources = <T extends Resource>(bundle: Bundle, mode = 'match'): T[] =>
  (bundle.entry ?? []).filter((e) => e.search?.mode === mode).map((e) => e.resource as T);

const link = (bundle: Bundle, relation: string): string | undefined => bundle.link?.find((l) => l.relation === relation)?.url;

function observation(id: string, patient: string, cat: string, code: string, date: string, extra: Partial<Observation> = {}): Observation {
  return { resourceType: 'Observation', id, status: 'final', category: category(cat), code: loinc(code), subject: { reference: `Patient/${patient}` }, effectiveDateTime: date, ...extra };
}

function seed(): Resource[] {
  const patients: Patient[] = [
    { resourceType: 'Patient', id: 'alice', name: [{ family: 'Ames', given: ['Alice'] }], gender: 'female', birthDate: '1961-04-02' },
    { resourceType: 'Patient', id: 'bob', name: [{ family: 'Burke', given: ['Bob'] }], gender: 'male', birthDate: '1958-09-15' },
  ];
  const practitioner: Practitioner = { resourceType: 'Practitioner', id: 'dr-lee', name: [{ family: 'Lee', prefix: ['Dr'] }] };
  const organization: Organization = { resourceType: 'Organization', id: 'clinic', name: 'Riverside Clinic' };
  const medication: Medication = { resourceType: 'Medication', id: 'metformin', code: { text: 'Metformin 500 mg tablet' } };
  const order: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: 'mr-1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/alice' },
    medicationReference: { reference: 'Medication/metformin' },
  };
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: 'enc-1',
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
    type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003' }] }],
    subject: { reference: 'Patient/alice' },
    period: { start: '2024-03-01T09:00:00Z', end: '2024-03-01T09:30:00Z' },
  };
  const conditions: Condition[] = [
    {
      resourceType: 'Condition',
      id: 'cond-diabetes',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] },
      subject: { reference: 'Patient/alice' },
    },
    {
      resourceType: 'Condition',
      id: 'cond-sprain',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '44465007' }] },
      subject: { reference: 'Patient/alice' },
    },
  ];
  // Seven HbA1c results for Alice, one a month in 2024, in shuffled order.
  const labs = [3, 7, 1, 5, 2, 6, 4].map((month) =>
    observation(`a1c-${month}`, 'alice', 'laboratory', '4548-4', `2024-0${month}-10T08:00:00Z`, {
      ...(month === 3 ? { encounter: { reference: 'Encounter/enc-1' } } : {}),
      ...(month === 5 ? { performer: [{ reference: 'Practitioner/dr-lee' }] } : {}),
      valueQuantity: { value: 6 + month / 10, unit: '%' },
    }),
  );
  const vitals = [
    observation('bp-1', 'alice', 'vital-signs', '85354-9', '2024-03-01T09:10:00Z', { encounter: { reference: 'Encounter/enc-1' } }),
    observation('bp-2', 'alice', 'vital-signs', '85354-9', '2024-06-01T09:10:00Z', { status: 'amended' }),
  ];
  // Recorded in Alice's chart but reported by Bob, who is also a patient here.
  const reportedByBob = observation('smoking-1', 'alice', 'social-history', '72166-2', '2023-11-20T10:00:00Z', { performer: [{ reference: 'Patient/bob' }] });
  const bobs = [observation('bob-a1c-1', 'bob', 'laboratory', '4548-4', '2024-02-02T08:00:00Z'), observation('bob-a1c-2', 'bob', 'laboratory', '4548-4', '2024-08-02T08:00:00Z')];
  return [...patients, practitioner, organization, medication, order, encounter, ...conditions, ...labs, ...vitals, reportedByBob, ...bobs];
}

let server: FhirServer;

before(async () => {
  const started = performance.now();
  server = await createFhirServer({ baseUrl: BASE, authorizeUrl: 'http://localhost:4000/auth/authorize', tokenUrl: 'http://localhost:4000/auth/token', defaultPageSize: 4, maxPageSize: 5 });
  console.log(`first createFhirServer (definitions indexed): ${Math.round(performance.now() - started)} ms`);
  await server.load(seed());
});

describe('metadata', () => {
  test('describes FHIR 4.0.1 with SMART security, interactions and search parameters', async () => {
    const cs = server.capabilityStatement();
    assert.equal(cs.fhirVersion, '4.0.1');
    assert.ok(cs.format.includes('json'));
    const rest = cs.rest?.[0];
    assert.equal(rest?.security?.service?.[0]?.coding?.[0]?.code, 'SMART-on-FHIR');
    const uris = rest?.security?.extension?.find((e) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    assert.deepEqual(
      uris?.extension?.map((e) => [e.url, e.valueUri]),
      [
        ['authorize', 'http://localhost:4000/auth/authorize'],
        ['token', 'http://localhost:4000/auth/token'],
      ],
    );
    assert.deepEqual(rest?.interaction?.map((i) => i.code), ['transaction', 'batch']);
    const obs = rest?.resource?.find((r) => r.type === 'Observation');
    assert.deepEqual(obs?.interaction?.map((i) => i.code), ['read', 'vread', 'update', 'create', 'search-type']);
    assert.equal(obs?.conditionalCreate, true);
    const params = new Map(obs?.searchParam?.map((p) => [p.name, p.type]));
    for (const [name, type] of [['patient', 'reference'], ['subject', 'reference'], ['category', 'token'], ['code', 'token'], ['date', 'date'], ['status', 'token'], ['encounter', 'reference'], ['_id', 'token'], ['_lastUpdated', 'date']]) {
      assert.equal(params.get(name as string), type, name);
    }
    // Parameters the engine cannot evaluate are not offered.
    assert.equal(params.has('value-quantity'), false);
    assert.ok(obs?.searchInclude?.includes('Observation:performer'));
    assert.ok(rest?.resource?.find((r) => r.type === 'Condition')?.searchParam?.some((p) => p.name === 'clinical-status'));

    const viaHandle = await call(server, aliceApp, 'GET', 'metadata');
    assert.equal(viaHandle.status, 200);
    assert.equal((viaHandle.body as CapabilityStatement).resourceType, 'CapabilityStatement');
  });
});

describe('read', () => {
  test('returns the resource with ETag and Last-Modified', async () => {
    const res = await call(server, aliceApp, 'GET', 'Patient/alice');
    assert.equal(res.status, 200);
    const patient = res.body as Patient;
    assert.equal(patient.id, 'alice');
    assert.equal(res.headers.etag, `W/"${patient.meta?.versionId}"`);
    assert.equal(res.headers['last-modified'], new Date(patient.meta?.lastUpdated ?? '').toUTCString());
  });

  test('an unknown id or type answers 404 with an OperationOutcome', async () => {
    assert.match(assertOutcome(await call(server, aliceApp, 'GET', 'Observation/nope'), 404, 'not-found'), /Observation\/nope/);
    assert.match(assertOutcome(await call(server, admin, 'GET', 'Spaceship/1'), 404, 'not-found'), /Spaceship/);
    assertOutcome(await call(server, admin, 'GET', 'Spaceship?name=x'), 404);
  });

  test('vread returns the version asked for', async () => {
    const current = (await call(server, admin, 'GET', 'Observation/a1c-1')).body as Observation;
    const vid = current.meta?.versionId ?? '';
    const res = await call(server, aliceApp, 'GET', `Observation/a1c-1/_history/${vid}`);
    assert.equal(res.status, 200);
    assert.equal((res.body as Observation).meta?.versionId, vid);
    assertOutcome(await call(server, aliceApp, 'GET', 'Observation/a1c-1/_history/not-a-version'), 404);
  });
});

describe('search', () => {
  test('patient + category + date, sorted by -date, pages through its next links to the end', async () => {
    const first = await call(server, aliceApp, 'GET', 'Observation?patient=alice&category=laboratory&date=ge2024-01-01&date=lt2025-01-01&_sort=-date&_count=3');
    const pages: Bundle[] = [bundleOf(first)];
    for (let next = link(pages[0]!, 'next'); next; next = link(pages.at(-1)!, 'next')) {
      pages.push(bundleOf(await call(server, aliceApp, 'GET', next)));
      assert.ok(pages.length < 10, 'next links must end');
    }
    assert.deepEqual(pages.map((p) => p.entry?.length), [3, 3, 1]);
    assert.ok(pages.every((p) => p.total === 7));
    const all = pages.flatMap((p) => resources<Observation>(p));
    assert.deepEqual(all.map((o) => o.id), ['a1c-7', 'a1c-6', 'a1c-5', 'a1c-4', 'a1c-3', 'a1c-2', 'a1c-1']);
    for (const entry of pages.flatMap((p) => p.entry ?? [])) assert.equal(entry.fullUrl, `${BASE}/Observation/${entry.resource?.id}`);
    assert.ok(link(pages[0]!, 'self')?.startsWith(`${BASE}/Observation?`));
    assert.equal(link(pages[0]!, 'previous'), undefined);
    assert.match(link(pages[1]!, 'previous') ?? '', /_offset=0|_count=3(?!.*_offset)/);
    assert.equal(link(pages[2]!, 'next'), undefined);
  });

  test('_count above the maximum is clamped, and no _count gives the default page', async () => {
    const clamped = bundleOf(await call(server, aliceApp, 'GET', 'Observation?patient=alice&_count=1000'));
    assert.equal(clamped.entry?.length, 5);
    assert.equal(clamped.total, 10);
    assert.match(link(clamped, 'self') ?? '', /_count=5/);
    assert.equal(bundleOf(await call(server, aliceApp, 'GET', 'Observation?patient=alice')).entry?.length, 4);
  });

  test('each search parameter the app uses narrows the results', async () => {
    const cases: Array<[string, number]> = [
      ['Observation?subject=Patient/alice', 10],
      ['Observation?subject=alice', 10],
      [`Observation?subject=${BASE}/Patient/alice`, 10],
      ['Observation?subject:Patient=alice', 10],
      ['Observation?patient=alice&code=http://loinc.org|4548-4', 7],
      ['Observation?_id=a1c-2,a1c-3', 2],
      ['Observation?patient=alice&status=amended', 1],
      ['Observation?encounter=Encounter/enc-1', 2],
      ['Observation?patient=alice&date=2024-03', 2],
      ['Observation?patient=alice&_lastUpdated=gt2000-01-01', 10],
      ['Condition?patient=alice&clinical-status=active', 1],
      ['Encounter?patient=alice&type=http://snomed.info/sct|185349003', 1],
      ['MedicationRequest?patient=alice&status=active', 1],
    ];
    for (const [query, expected] of cases) {
      const bundle = bundleOf(await call(server, admin, 'GET', `${query}&_count=5`));
      assert.equal(bundle.total, expected, query);
    }
    const counted = bundleOf(await call(server, admin, 'GET', 'Observation?patient=alice&_summary=count'));
    assert.equal(counted.total, 10);
    assert.equal(counted.entry, undefined);
  });

  test('_sort with two keys uses the first as the primary one', async () => {
    const bundle = bundleOf(await call(server, admin, 'GET', 'Observation?patient=alice&_sort=category,-date&_count=5'));
    assert.deepEqual(resources<Observation>(bundle).map((o) => o.id), ['a1c-7', 'a1c-6', 'a1c-5', 'a1c-4', 'a1c-3']);
  });

  test('_include brings the referenced Medication and Practitioner; _revinclude the referring resources', async () => {
    const orders = bundleOf(await call(server, aliceApp, 'GET', 'MedicationRequest?patient=alice&_include=MedicationRequest:medication'));
    assert.deepEqual(resources(orders).map((r) => r.id), ['mr-1']);
    const included = resources<Medication>(orders, 'include');
    assert.deepEqual(included.map((r) => `${r.resourceType}/${r.id}`), ['Medication/metformin']);
    assert.equal(orders.entry?.find((e) => e.search?.mode === 'include')?.fullUrl, `${BASE}/Medication/metformin`);

    const withPerformer = bundleOf(await call(server, aliceApp, 'GET', 'Observation?patient=alice&category=laboratory&_include=Observation:performer'));
    assert.deepEqual(resources(withPerformer, 'include').map((r) => `${r.resourceType}/${r.id}`), ['Practitioner/dr-lee']);

    const visit = bundleOf(await call(server, aliceApp, 'GET', 'Encounter?_id=enc-1&_revinclude=Observation:encounter'));
    assert.deepEqual(resources(visit, 'include').map((r) => r.id).sort(), ['a1c-3', 'bp-1']);
  });

  test('POST _search takes form-encoded parameters', async () => {
    const res = await call(server, aliceApp, 'POST', 'Observation/_search', new URLSearchParams({ patient: 'alice', category: 'vital-signs' }));
    assert.deepEqual(resources(bundleOf(res)).map((o) => o.id).sort(), ['bp-1', 'bp-2']);
  });

  test('parameters the sandbox cannot honour answer 400, not an empty page', async () => {
    assert.match(assertOutcome(await call(server, admin, 'GET', 'Observation?patient=alice&colour=red'), 400), /colour/);
    assert.match(assertOutcome(await call(server, admin, 'GET', 'Observation?patient=alice&value-quantity=gt5'), 400), /value-quantity/);
    assertOutcome(await call(server, admin, 'GET', 'Observation?patient=alice&_count=lots'), 400);
    assertOutcome(await call(server, admin, 'GET', 'Observation?patient=alice&_sort=colour'), 400);
    assertOutcome(await call(server, admin, 'GET', 'Observation?patient=alice&date=yesterday'), 400);
    assertOutcome(await call(server, admin, 'GET', 'Observation?_include=Observation:colour'), 400);
  });
});

describe('access control', () => {
  test('a type outside the scopes answers 403 naming the missing scope', async () => {
    assert.match(assertOutcome(await call(server, aliceApp, 'GET', 'AllergyIntolerance?patient=alice'), 403, 'forbidden'), /patient\/AllergyIntolerance\.s/);
    assert.match(assertOutcome(await call(server, aliceApp, 'GET', 'Organization/clinic'), 403, 'forbidden'), /Organization/);
    // Patient.r without .s: reading works, searching does not.
    assert.equal((await call(server, aliceApp, 'GET', 'Patient/alice')).status, 200);
    assert.match(assertOutcome(await call(server, aliceApp, 'GET', 'Patient?_id=alice'), 403), /patient\/Patient\.s/);
    // Practitioner and Medication are not patient data: any patient's may be read.
    assert.equal((await call(server, aliceApp, 'GET', 'Practitioner/dr-lee')).status, 200);
    assert.equal((await call(server, aliceApp, 'GET', 'Medication/metformin')).status, 200);
  });

  test('a v2 category constraint limits searches by their query and reads by the resource', async () => {
    assert.match(assertOutcome(await call(server, aliceLabsOnly, 'GET', 'Observation?patient=alice'), 403), /category=laboratory/);
    assertOutcome(await call(server, aliceLabsOnly, 'GET', 'Observation?patient=alice&category=vital-signs'), 403);
    assertOutcome(await call(server, aliceLabsOnly, 'GET', 'Observation?patient=alice&category=laboratory,vital-signs'), 403);
    const labs = bundleOf(await call(server, aliceLabsOnly, 'GET', `Observation?patient=alice&category=${CATEGORY_SYSTEM}|laboratory`));
    assert.equal(labs.total, 7);
    assert.equal((await call(server, aliceLabsOnly, 'GET', 'Observation/a1c-1')).status, 200);
    assert.match(assertOutcome(await call(server, aliceLabsOnly, 'GET', 'Observation/bp-1'), 403, 'forbidden'), /category=laboratory/);
  });

  test("another patient's data is refused on read and search; a search naming no patient stays in the token's", async () => {
    assert.match(assertOutcome(await call(server, aliceApp, 'GET', 'Observation/bob-a1c-1'), 403, 'forbidden'), /Patient\/alice/);
    assertOutcome(await call(server, aliceApp, 'GET', 'Patient/bob'), 403, 'forbidden');
    assert.match(assertOutcome(await call(server, aliceApp, 'GET', 'Observation?patient=bob'), 403, 'forbidden'), /Patient\/bob/);
    assertOutcome(await call(server, aliceApp, 'GET', 'Observation?subject=Patient/bob&category=laboratory'), 403);
    assertOutcome(await call(server, aliceApp, 'GET', 'Observation?patient=alice,bob'), 403);
    const unnamed = bundleOf(await call(server, aliceApp, 'GET', 'Observation?category=laboratory&_count=5'));
    assert.equal(unnamed.total, 7);
    assert.ok(resources<Observation>(unnamed).every((o) => o.subject?.reference === 'Patient/alice'));
    // A user/ scope reaches every patient.
    assert.equal(bundleOf(await call(server, admin, 'GET', 'Observation?category=laboratory')).total, 9);
  });

  test('an _include that would reach another patient answers 403', async () => {
    const res = await call(server, aliceApp, 'GET', 'Observation?patient=alice&code=72166-2&_include=Observation:performer');
    assert.match(assertOutcome(res, 403, 'forbidden'), /Patient\/bob/);
    // The same search without the include is fine.
    assert.equal(bundleOf(await call(server, aliceApp, 'GET', 'Observation?patient=alice&code=72166-2')).total, 1);
  });

  test("writes from a patient token must stay in that patient's record", async () => {
    const mine = observation('ignored-id', 'alice', 'vital-signs', '8867-4', '2024-09-01T10:00:00Z');
    const created = await call(server, aliceApp, 'POST', 'Observation', mine);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.notEqual((created.body as Observation).id, 'ignored-id');
    const theirs = observation('x', 'bob', 'vital-signs', '8867-4', '2024-09-01T10:00:00Z');
    assert.match(assertOutcome(await call(server, aliceApp, 'POST', 'Observation', theirs), 403, 'forbidden'), /Patient\/alice/);
    assertOutcome(await call(server, aliceApp, 'POST', 'Condition', { resourceType: 'Condition', subject: { reference: 'Patient/alice' } }), 403);
    assertOutcome(await call(server, aliceApp, 'PUT', 'Observation/a1c-1', { ...(await server.readUnchecked<Observation>('Observation', 'a1c-1')) }), 403);

    // With update rights, both the stored version and the new one must be Alice's.
    const editor = grant(['patient/Observation.rus'], 'alice');
    const own = await server.readUnchecked<Observation>('Observation', 'bp-1');
    assert.equal((await call(server, editor, 'PUT', 'Observation/bp-1', { ...own, note: [{ text: 'reviewed' }] })).status, 200);
    assertOutcome(await call(server, editor, 'PUT', 'Observation/bp-1', { ...own, subject: { reference: 'Patient/bob' } }), 403, 'forbidden');
    const bobs = await server.readUnchecked<Observation>('Observation', 'bob-a1c-2');
    assertOutcome(await call(server, editor, 'PUT', 'Observation/bob-a1c-2', { ...bobs, subject: { reference: 'Patient/alice' } }), 403, 'forbidden');
  });
});

describe('writes', () => {
  test('create answers 201 with Location, ETag and Last-Modified', async () => {
    const res = await call(server, admin, 'POST', 'Observation', observation('x', 'bob', 'laboratory', '2345-7', '2024-10-01T08:00:00Z'));
    assert.equal(res.status, 201);
    const saved = res.body as Observation;
    assert.equal(res.headers.location, `${BASE}/Observation/${saved.id}/_history/${saved.meta?.versionId}`);
    assert.equal(res.headers.etag, `W/"${saved.meta?.versionId}"`);
    assert.ok(res.headers['last-modified']);
    const minimal = await call(server, admin, 'POST', 'Observation', observation('x', 'bob', 'laboratory', '2345-7', '2024-10-02T08:00:00Z'), { prefer: 'return=minimal' });
    assert.equal(minimal.status, 201);
    assert.equal(minimal.body, undefined);
    assert.ok(minimal.headers.location);
  });

  test('an invalid resource answers 400 with the validation issues', async () => {
    const missingStatus = { resourceType: 'Observation', code: loinc('2345-7'), subject: { reference: 'Patient/bob' } };
    const res = await call(server, admin, 'POST', 'Observation', missingStatus);
    assertOutcome(res, 400);
    assert.ok((res.body as OperationOutcome).issue.some((i) => i.expression?.includes('Observation.status')));
    assertOutcome(await call(server, admin, 'POST', 'Observation', { ...missingStatus, status: 'final', effectiveDateTime: '2024-13-45' }), 400);
    assertOutcome(await call(server, admin, 'POST', 'Observation', { resourceType: 'Patient' }), 400);
    assertOutcome(await call(server, admin, 'POST', 'Observation', 'not json'), 400);
  });

  test('conditional create (If-None-Exist) returns the existing resource', async () => {
    const ordered = observation('x', 'alice', 'laboratory', '2093-3', '2024-10-05T08:00:00Z', { identifier: [{ system: 'urn:lab:accession', value: 'ACC-1' }] });
    const headers = { 'if-none-exist': 'identifier=urn:lab:accession|ACC-1' };
    const first = await call(server, aliceApp, 'POST', 'Observation', ordered, headers);
    assert.equal(first.status, 201);
    const second = await call(server, aliceApp, 'POST', 'Observation', ordered, headers);
    assert.equal(second.status, 200);
    assert.equal((second.body as Observation).id, (first.body as Observation).id);
    assert.equal((await server.searchUnchecked('Observation', 'identifier=urn:lab:accession|ACC-1')).length, 1);
  });

  test('update honours If-Match; a stale version answers 412', async () => {
    const current = (await call(server, admin, 'GET', 'Observation/bp-2')).body as Observation;
    const etag = `W/"${current.meta?.versionId}"`;
    const updated = await call(server, admin, 'PUT', 'Observation/bp-2', { ...current, status: 'corrected' }, { 'if-match': etag });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.notEqual(updated.headers.etag, etag);
    assert.equal((updated.body as Observation).status, 'corrected');
    assertOutcome(await call(server, admin, 'PUT', 'Observation/bp-2', { ...current, status: 'final' }, { 'if-match': etag }), 412);
    assertOutcome(await call(server, admin, 'PUT', 'Observation/bp-2', { ...current, id: 'other' }), 400);
    assertOutcome(await call(server, admin, 'PUT', 'Observation/no-such', { ...current, id: 'no-such' }), 405);
  });

  test('unsupported interactions answer 405 with an Allow header', async () => {
    const del = await call(server, admin, 'DELETE', 'Observation/bp-1');
    assertOutcome(del, 405);
    assert.equal(del.headers.allow, 'GET, PUT');
    assertOutcome(await call(server, admin, 'GET', 'Observation/bp-1/_history'), 405);
    assertOutcome(await call(server, admin, 'GET', ''), 405);
    assertOutcome(await call(server, admin, 'PATCH', 'Observation/bp-1', []), 405);
  });
});

describe('bundles', () => {
  test('a transaction creates resources and rewrites urn:uuid references', async () => {
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:6a1b5e7c-0d5f-4d2a-9d07-1f0c7c1c7a01', resource: { resourceType: 'Patient', name: [{ family: 'Cole' }] } as Patient, request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: 'urn:uuid:6a1b5e7c-0d5f-4d2a-9d07-1f0c7c1c7a02',
          resource: observation('x', 'placeholder', 'laboratory', '4548-4', '2024-05-05T08:00:00Z', { subject: { reference: 'urn:uuid:6a1b5e7c-0d5f-4d2a-9d07-1f0c7c1c7a01' } }),
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    const response = bundleOf(await call(server, admin, 'POST', '', transaction));
    assert.equal(response.type, 'transaction-response');
    assert.deepEqual(response.entry?.map((e) => e.response?.status), ['201', '201']);
    const [patient, obs] = (response.entry ?? []).map((e) => e.resource) as [Patient, Observation];
    assert.equal(obs.subject?.reference, `Patient/${patient.id}`);
    assert.equal(response.entry?.[1]?.fullUrl, `${BASE}/Observation/${obs.id}`);
    assert.equal(response.entry?.[1]?.response?.location, `Observation/${obs.id}/_history/${obs.meta?.versionId}`);
    assert.equal((await server.readUnchecked<Observation>('Observation', obs.id ?? ''))?.subject?.reference, `Patient/${patient.id}`);
  });

  test('a failing transaction answers with the failure and leaves nothing behind', async () => {
    const transaction: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', identifier: [{ system: 'urn:test', value: 'rolled-back' }] } as Patient, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Observation', code: loinc('1') } as Observation, request: { method: 'POST', url: 'Observation' } },
      ],
    };
    const res = await call(server, admin, 'POST', '', transaction);
    assert.match(assertOutcome(res, 400), /entry 1/);
    assert.deepEqual(await server.searchUnchecked('Patient', 'identifier=urn:test|rolled-back'), []);
  });

  test('a batch answers each entry on its own; an entry outside the scopes gets its own 403', async () => {
    const batch: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: 'Observation?patient=alice&category=vital-signs' } },
        { request: { method: 'GET', url: 'AllergyIntolerance?patient=alice' } },
        { request: { method: 'GET', url: 'Patient/bob' } },
        { resource: observation('x', 'bob', 'vital-signs', '8867-4', '2024-09-02T10:00:00Z'), request: { method: 'POST', url: 'Observation' } },
        { resource: observation('x', 'alice', 'vital-signs', '8867-4', '2024-09-02T10:00:00Z'), request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'DELETE', url: 'Observation/bp-1' } },
      ],
    };
    const response = bundleOf(await call(server, aliceApp, 'POST', '', batch));
    assert.equal(response.type, 'batch-response');
    const statuses = response.entry?.map((e: BundleEntry) => e.response?.status);
    assert.deepEqual(statuses, ['200', '403', '403', '403', '201', '405']);
    assert.equal((response.entry?.[1]?.response?.outcome as OperationOutcome | undefined)?.issue[0]?.code, 'forbidden');
    const search = response.entry?.[0]?.resource as Bundle;
    assert.ok(resources<Observation>(search).every((o) => o.subject?.reference === 'Patient/alice'));
  });
});

describe('seeding', () => {
  test('loadTransaction resolves conditional references against the bundle and the store', async () => {
    const seeded = await createFhirServer({ baseUrl: BASE, authorizeUrl: 'a', tokenUrl: 't' });
    const providers: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { resourceType: 'Organization', identifier: [{ system: 'https://github.com/synthetichealth/synthea', value: 'org-1' }], name: 'General Hospital' } as Organization,
          request: { method: 'POST', url: 'Organization', ifNoneExist: 'identifier=https://github.com/synthetichealth/synthea|org-1' },
        },
        {
          resource: { resourceType: 'Practitioner', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '999' }] } as Practitioner,
          request: { method: 'POST', url: 'Practitioner', ifNoneExist: 'identifier=http://hl7.org/fhir/sid/us-npi|999' },
        },
      ],
    };
    assert.deepEqual(await seeded.loadTransaction(providers), { patientIds: [] });
    await seeded.loadTransaction(providers);
    assert.equal((await seeded.searchUnchecked('Organization', '')).length, 1, 'ifNoneExist keeps a second load from duplicating');

    const patientBundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0b9d5c1e-7a51-4c3e-8f36-1d1c2f0e9a10', resource: { resourceType: 'Patient', managingOrganization: { reference: 'Organization?identifier=https://github.com/synthetichealth/synthea|org-1' } } as Patient, request: { method: 'POST', url: 'Patient' } },
        {
          resource: {
            resourceType: 'Encounter',
            identifier: [{ system: 'urn:enc', value: 'e-1' }],
            status: 'finished',
            class: { code: 'AMB' },
            subject: { reference: 'urn:uuid:0b9d5c1e-7a51-4c3e-8f36-1d1c2f0e9a10' },
            participant: [{ individual: { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|999' } }],
          } as Encounter,
          request: { method: 'POST', url: 'Encounter' },
        },
        {
          resource: observation('x', 'placeholder', 'vital-signs', '8867-4', '2024-01-01T00:00:00Z', {
            subject: { reference: 'urn:uuid:0b9d5c1e-7a51-4c3e-8f36-1d1c2f0e9a10' },
            encounter: { reference: 'Encounter?identifier=urn:enc|e-1' },
          }),
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    };
    const { patientIds } = await seeded.loadTransaction(patientBundle);
    assert.equal(patientIds.length, 1);
    const [org] = await seeded.searchUnchecked<Organization>('Organization', '');
    const [practitioner] = await seeded.searchUnchecked<Practitioner>('Practitioner', '');
    const patient = await seeded.readUnchecked<Patient>('Patient', patientIds[0] ?? '');
    assert.equal(patient?.managingOrganization?.reference, `Organization/${org?.id}`);
    const [encounter] = await seeded.searchUnchecked<Encounter>('Encounter', `patient=${patientIds[0]}`);
    assert.equal(encounter?.participant?.[0]?.individual?.reference, `Practitioner/${practitioner?.id}`);
    const [obs] = await seeded.searchUnchecked<Observation>('Observation', `patient=${patientIds[0]}`);
    assert.equal(obs?.encounter?.reference, `Encounter/${encounter?.id}`);

    const dangling: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient', managingOrganization: { reference: 'Organization?identifier=urn:x|none' } } as Patient, request: { method: 'POST', url: 'Patient' } }] };
    await assert.rejects(seeded.loadTransaction(dangling), /matches no resource/);
  });

  test('the six Synthea bundles load with loadTransaction and their patients are searchable', { skip: SYNTHEA_SKIP }, async () => {
    const synthea = await createFhirServer({ baseUrl: BASE, authorizeUrl: 'a', tokenUrl: 't' });
    const files = readdirSync(SYNTHEA_DIR).filter((f) => f.endsWith('.json')).sort();
    assert.equal(files.length, 6);
    let total = 0;
    for (const file of files) {
      const bundle = JSON.parse(readFileSync(join(SYNTHEA_DIR, file), 'utf8')) as Bundle;
      const observations = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'Observation').length;
      const started = performance.now();
      const { patientIds } = await synthea.loadTransaction(bundle);
      const ms = performance.now() - started;
      total += ms;
      console.log(`loadTransaction ${file.split('_').slice(0, 2).join(' ')}: ${bundle.entry?.length} entries in ${Math.round(ms)} ms`);
      assert.equal(patientIds.length, 1, file);
      const id = patientIds[0] ?? '';
      const app = grant(['patient/*.rs'], id);
      const counted = bundleOf(await call(synthea, app, 'GET', `Observation?patient=${id}&_summary=count`));
      assert.equal(counted.total, observations, file);
      const newest = bundleOf(await call(synthea, app, 'GET', `Observation?patient=${id}&category=vital-signs&_sort=-date&_count=5`));
      const dates = resources<Observation>(newest).map((o) => o.effectiveDateTime ?? '');
      assert.deepEqual(dates, [...dates].sort().reverse(), file);
      assert.equal((await call(synthea, app, 'GET', `Patient/${id}`)).status, 200);
      assert.equal(bundleOf(await call(synthea, app, 'GET', `Encounter?patient=${id}&_count=1`)).entry?.length, 1);
    }
    console.log(`loadTransaction, all six Synthea bundles: ${Math.round(total)} ms`);
  });
});

describe('performance', () => {
  test('20,000 Observations for one patient', async () => {
    const big = await createFhirServer({ baseUrl: BASE, authorizeUrl: 'a', tokenUrl: 't' });
    const categories = ['laboratory', 'vital-signs', 'social-history', 'survey'];
    const many: Resource[] = [{ resourceType: 'Patient', id: 'p1' } as Patient];
    for (let i = 0; i < 20_000; i++) {
      many.push(
        observation(`o${i}`, 'p1', categories[i % 4] ?? 'laboratory', String(1000 + (i % 50)), new Date(Date.UTC(2000, 0, 1) + i * 3_600_000).toISOString(), {
          valueQuantity: { value: i, unit: 'mg/dL' },
        }),
      );
    }
    let started = performance.now();
    await big.load(many);
    console.log(`load 20,000 Observations: ${Math.round(performance.now() - started)} ms`);

    const app = grant(['patient/Observation.rs'], 'p1');
    started = performance.now();
    const newest = bundleOf(await call(big, app, 'GET', 'Observation?patient=p1&category=laboratory&_sort=-date&_count=1000'));
    console.log(`patient+category+_sort=-date&_count=1000 over 20,000: ${Math.round(performance.now() - started)} ms`);
    assert.equal(newest.total, 5000);
    assert.equal(newest.entry?.length, 1000);
    const dates = resources<Observation>(newest).map((o) => o.effectiveDateTime ?? '');
    assert.deepEqual(dates, [...dates].sort().reverse());

    started = performance.now();
    const byCode = bundleOf(await call(big, app, 'GET', 'Observation?code=http://loinc.org|1007'));
    console.log(`code= over 20,000: ${Math.round(performance.now() - started)} ms`);
    assert.equal(byCode.total, 400);
  });
});
