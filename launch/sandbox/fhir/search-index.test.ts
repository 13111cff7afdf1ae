import './websocket-stub.ts';
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchRequest } from '@medplum/core';
import type { SearchRequest } from '@medplum/core';
import type * as M from '@medplum/fhirtypes';
import type {
  AllergyIntolerance,
  Bundle,
  CodeableConcept,
  Condition,
  Encounter,
  Medication,
  MedicationRequest,
  Observation,
  OperationOutcome,
  Patient,
  Practitioner,
  Resource,
} from 'fhir/r4';
import { generateCohort } from '../cohort/index.ts';
import { makeGrant, type AccessGrant } from '../scopes.ts';
import { AccessPolicy } from './access.ts';
import { PatientCompartment, ensureDefinitions } from './definitions.ts';
import { createFhirServer, type FhirHttpResponse, type FhirServer } from './index.ts';
import { SandboxRepository } from './repository.ts';
import { IndexedStore } from './search-index.ts';
import { engineSortOrder, prepareSearch } from './search.ts';

const BASE = 'http://localhost:4000/fhir';
const LIMITS = { defaultCount: 4, maxCount: 50 };
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const PATIENTS = ['ann', 'ben', 'cal'] as const;

function grant(scopes: string[], patient?: string): AccessGrant {
  return makeGrant({ clientId: 'test-app', scopes, ...(patient ? { patient } : {}), expiresAt: Date.now() + 3_600_000 });
}

/** A small deterministic generator, so the awkward mix is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const concept = (...codings: Array<[string | undefined, string, string?]>): CodeableConcept => ({
  coding: codings.map(([system, code, display]) => ({ ...(system ? { system } : {}), code, ...(display ? { display } : {}) })),
});

/**
 * Resources with the values that trip up a search: dates as dateTime (UTC, offset, date-only,
 * year-month, year), Period (both ends, one end), instant, Timing or none; several categories
 * or one without a system; codings in several systems, in odd case or without a system; every
 * status including entered-in-error; subjects that are a Group with a patient's id or an
 * absolute URL; repeated lastUpdated values so sorts have ties.
 */
function seed(): Resource[] {
  const next = random(7);
  const out: Resource[] = [
    ...PATIENTS.map((id): Patient => ({ resourceType: 'Patient', id, name: [{ family: id }] })),
    { resourceType: 'Group', id: 'ann', type: 'person', actual: true } as unknown as Resource,
    { resourceType: 'Practitioner', id: 'pract-1', name: [{ family: 'One' }] } as Practitioner,
    { resourceType: 'Medication', id: 'med-1', code: concept(['http://www.nlm.nih.gov/research/umls/rxnorm', '860975']) } as Medication,
  ];
  const effective = [
    { effectiveDateTime: '2024-03-15T08:30:00Z' },
    { effectiveDateTime: '2024-03-15T08:30:00+05:00' },
    { effectiveDateTime: '2024-03-15' },
    { effectiveDateTime: '2024-03' },
    { effectiveDateTime: '2023' },
    { effectiveDateTime: '2025-01-01T00:00:00.000Z' },
    { effectiveDateTime: '2023-12-31T23:59:59Z' },
    { effectivePeriod: { start: '2024-02-01T00:00:00Z', end: '2024-04-01T00:00:00Z' } },
    { effectivePeriod: { start: '2024-06-01' } },
    { effectivePeriod: { end: '2023-06-01T12:00:00Z' } },
    { effectiveInstant: '2024-08-09T10:11:12.123Z' },
    { effectiveTiming: { event: ['2024-05-01T00:00:00Z'] } },
    {},
    {},
  ];
  const categories = [
    [concept([CATEGORY, 'laboratory', 'Laboratory'])],
    [concept([CATEGORY, 'vital-signs'])],
    [concept([CATEGORY, 'laboratory']), concept([CATEGORY, 'vital-signs'])],
    [concept([undefined, 'laboratory'])],
    [{ text: 'Lab' }],
    [],
  ];
  const codes = [
    concept(['http://loinc.org', '4548-4', 'Hemoglobin A1c']),
    concept(['http://loinc.org', '4548-4'], ['urn:local', 'A1C']),
    concept(['http://LOINC.org', 'AbC']),
    concept([undefined, 'nosys']),
    { text: 'Free text only' },
    concept(['http://loinc.org', '8867-4'], ['http://snomed.info/sct', '364075005']),
  ];
  const subjects = (patient: string): Array<string | undefined> => [
    `Patient/${patient}`,
    `Patient/${patient}`,
    `Patient/${patient}`,
    `Patient/${patient}`,
    `Patient/${patient}`,
    `${BASE}/Patient/${patient}`,
    'Group/ann',
    undefined,
  ];
  const stamps = ['2024-01-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z', '2024-06-01T00:00:00.000Z', '2025-02-02T02:02:02.000Z'];
  for (let i = 0; i < 140; i++) {
    const patient = pick(next, PATIENTS);
    const subject = pick(next, subjects(patient));
    const obs: Observation = {
      resourceType: 'Observation',
      id: `obs-${String(i).padStart(3, '0')}`,
      meta: { lastUpdated: pick(next, stamps) },
      status: pick(next, ['final', 'final', 'amended', 'entered-in-error', 'preliminary', 'cancelled'] as const),
      category: pick(next, categories),
      code: pick(next, codes),
      ...(subject ? { subject: { reference: subject } } : {}),
      ...pick(next, effective),
      ...(next() < 0.3 ? { encounter: { reference: pick(next, ['Encounter/enc-1', 'Encounter/enc-2']) } } : {}),
      ...(next() < 0.15 ? { performer: [{ reference: 'Practitioner/pract-1' }] } : {}),
    };
    out.push(obs);
  }
  for (const patient of PATIENTS) {
    out.push(
      {
        resourceType: 'Encounter',
        id: patient === 'ann' ? 'enc-1' : `enc-${patient}`,
        status: 'finished',
        class: { code: 'AMB' },
        type: [concept(['http://snomed.info/sct', '185349003'])],
        subject: { reference: `Patient/${patient}` },
        period: { start: '2024-03-01T09:00:00Z', end: '2024-03-01T09:30:00Z' },
      } as Encounter,
      {
        resourceType: 'Encounter',
        id: patient === 'ann' ? 'enc-2' : `enc-${patient}-2`,
        status: 'in-progress',
        class: { code: 'IMP' },
        subject: { reference: `Patient/${patient}` },
        period: { start: '2025-01-01' },
      } as Encounter,
      {
        resourceType: 'Condition',
        id: `cond-${patient}-1`,
        clinicalStatus: concept(['http://terminology.hl7.org/CodeSystem/condition-clinical', 'active']),
        category: [concept(['http://terminology.hl7.org/CodeSystem/condition-category', 'problem-list-item'])],
        code: concept(['http://snomed.info/sct', '44054006'], ['http://hl7.org/fhir/sid/icd-10-cm', 'E11.9']),
        subject: { reference: `Patient/${patient}` },
      } as Condition,
      {
        resourceType: 'Condition',
        id: `cond-${patient}-2`,
        clinicalStatus: concept(['http://terminology.hl7.org/CodeSystem/condition-clinical', 'resolved']),
        category: [concept(['http://terminology.hl7.org/CodeSystem/condition-category', 'encounter-diagnosis'])],
        code: concept(['http://snomed.info/sct', '44465007']),
        subject: { reference: `Patient/${patient}` },
        encounter: { reference: patient === 'ann' ? 'Encounter/enc-1' : `Encounter/enc-${patient}` },
      } as Condition,
      { resourceType: 'Condition', id: `cond-${patient}-3`, code: { text: 'No status' }, subject: { reference: `Patient/${patient}` } } as Condition,
      {
        resourceType: 'MedicationRequest',
        id: `mr-${patient}-1`,
        status: 'active',
        intent: 'order',
        subject: { reference: `Patient/${patient}` },
        medicationReference: { reference: 'Medication/med-1' },
      } as MedicationRequest,
      {
        resourceType: 'MedicationRequest',
        id: `mr-${patient}-2`,
        status: 'entered-in-error',
        intent: 'order',
        subject: { reference: `Patient/${patient}` },
        medicationCodeableConcept: concept(['http://www.nlm.nih.gov/research/umls/rxnorm', '197361']),
        dosageInstruction: [{ timing: { event: ['2024-04-04T00:00:00Z'] } }],
      } as MedicationRequest,
      {
        resourceType: 'AllergyIntolerance',
        id: `allergy-${patient}`,
        clinicalStatus: concept(['http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active']),
        code: concept(['http://snomed.info/sct', '91936005']),
        patient: { reference: `Patient/${patient}` },
        recordedDate: '2020-05-05',
      } as AllergyIntolerance,
    );
  }
  // Fixed timestamps, so that `_lastUpdated` sorts the same on every server.
  for (const resource of out) resource.meta ??= { lastUpdated: '2024-02-02T00:00:00.000Z' };
  return out;
}

/** Query templates; `{p}` is the patient. */
const QUERIES = [
  'Observation?patient={p}',
  'Observation?patient={p}&category=laboratory',
  'Observation?patient={p}&category=laboratory&_sort=date',
  'Observation?patient={p}&category=laboratory&_sort=-date',
  `Observation?patient={p}&category=${CATEGORY}|vital-signs&_sort=-date`,
  'Observation?patient={p}&category=laboratory,vital-signs&_sort=-date',
  'Observation?patient={p}&category=|laboratory',
  'Observation?patient={p}&category:not=laboratory&_sort=date',
  'Observation?patient={p}&date=ge2024-01-01&_sort=-date',
  'Observation?patient={p}&date=lt2024-03&_sort=date',
  'Observation?patient={p}&date=gt2023-06-01T00:00:00Z&date=le2024-06-30&_sort=-date',
  'Observation?patient={p}&date=2024-03',
  'Observation?patient={p}&date=ne2024-03&_sort=-date',
  'Observation?patient={p}&date=sa2024-01-01',
  'Observation?patient={p}&date=eb2024-01-01',
  'Observation?patient={p}&date=ap2024-03-15',
  'Observation?patient={p}&date=2024-03-15T03:30:00Z',
  'Observation?patient={p}&date=ge2024-01-01,lt2023-06-01',
  'Observation?patient={p}&date:missing=true',
  'Observation?patient={p}&date:missing=false&_sort=-date',
  'Observation?patient={p}&code=4548-4&_sort=-date',
  'Observation?patient={p}&code=http://loinc.org|4548-4',
  'Observation?patient={p}&code=urn:local|',
  'Observation?patient={p}&code=|nosys',
  'Observation?patient={p}&code=abc',
  'Observation?patient={p}&code=http://loinc.org|abc',
  'Observation?patient={p}&code:not=4548-4&_sort=date',
  'Observation?patient={p}&code:text=hemoglobin',
  'Observation?patient={p}&status=final&_sort=-date',
  'Observation?patient={p}&status=entered-in-error',
  'Observation?patient={p}&status:not=entered-in-error&_sort=-date',
  'Observation?patient={p}&encounter=Encounter/enc-1',
  'Observation?patient={p}&encounter:missing=true&_sort=-date',
  'Observation?subject=Patient/{p}&_sort=-_lastUpdated',
  'Observation?subject={p}&_sort=_lastUpdated',
  `Observation?subject=${BASE}/Patient/{p}`,
  'Observation?patient={p}&_sort=status,-date',
  'Observation?patient={p}&_sort=-category,date',
  'Observation?patient={p}&_sort=code',
  'Observation?patient={p}&_sort=-_id',
  'Observation?patient={p}&_lastUpdated=ge2024-06-01&_sort=-_lastUpdated',
  'Observation?patient={p}&performer=Practitioner/pract-1',
  'Observation?patient={p}&_id=obs-001,obs-002,obs-010,obs-011,obs-050',
  'Observation?patient={p}&_summary=count',
  'Observation?patient={p}&category=laboratory&_summary=count',
  'Observation?category=laboratory&_sort=-date',
  'Observation?code=4548-4&_sort=date',
  'Condition?patient={p}',
  'Condition?patient={p}&clinical-status=active',
  'Condition?patient={p}&category=problem-list-item&_sort=-_lastUpdated',
  'Condition?patient={p}&code=http://snomed.info/sct|44054006',
  'Condition?patient={p}&clinical-status:missing=true',
  'Condition?patient={p}&encounter=Encounter/enc-1&_include=Condition:encounter',
  'MedicationRequest?patient={p}&status=active&_include=MedicationRequest:medication',
  'MedicationRequest?patient={p}&status:not=entered-in-error',
  'MedicationRequest?patient={p}&code=http://www.nlm.nih.gov/research/umls/rxnorm|197361',
  'MedicationRequest?patient={p}&date=2024-04&_sort=-date',
  'Encounter?patient={p}&_sort=-date',
  'Encounter?patient={p}&type=http://snomed.info/sct|185349003',
  'Encounter?patient={p}&date=ge2024-06-01',
  'Encounter?patient={p}&status=finished&_revinclude=Observation:encounter',
  'AllergyIntolerance?patient={p}&clinical-status=active',
  'AllergyIntolerance?patient={p}&date=lt2021',
];

/** What a client can see of a response, for comparing two servers. */
function view(res: FhirHttpResponse): unknown {
  const body = res.body as Bundle | OperationOutcome;
  if (body.resourceType === 'OperationOutcome') return { status: res.status, issues: body.issue.map((i) => `${i.code} ${i.details?.text ?? ''}`) };
  return {
    status: res.status,
    total: body.total,
    links: body.link?.map((l) => `${l.relation} ${l.url}`),
    entries: body.entry?.map((e) => `${e.search?.mode} ${e.fullUrl}`),
  };
}

const nextLink = (res: FhirHttpResponse): string | undefined => (res.body as Bundle).link?.find((l) => l.relation === 'next')?.url;

function call(server: FhirServer, who: AccessGrant, path: string): Promise<FhirHttpResponse> {
  return server.handle({ method: 'GET', url: new URL(path.startsWith('http') ? path : `${BASE}/${path}`), headers: {} }, who);
}

/** Runs a query on both servers and follows its next links to the end, asserting every page is the same. */
async function assertSamePages(indexed: FhirServer, plain: FhirServer, who: AccessGrant, path: string): Promise<number> {
  let pages = 0;
  for (let next: string | undefined = path; next; pages++) {
    const [a, b]: FhirHttpResponse[] = await Promise.all([call(indexed, who, next), call(plain, who, next)]);
    assert.ok(a && b);
    assert.deepEqual(view(a), view(b), `${next} (page ${pages + 1})`);
    next = nextLink(a);
    assert.ok(pages < 100, 'next links must end');
  }
  return pages;
}

function prepared(query: string, paged = false): SearchRequest {
  return prepareSearch(parseSearchRequest(query), LIMITS, BASE, paged);
}

/** Queries the store-level checks can run: the server answers the rest with a 400 before searching. */
const STORE_QUERIES = QUERIES.filter((q) => q.includes('{p}') && !q.includes('date=ge2024-01-01,'));

/** The index's answer and medplum's own scan over the same store, as id lists (with include modes). */
async function bothPaths(store: IndexedStore, query: string): Promise<{ indexed: string[]; plain: string[]; total: [number | undefined, number | undefined] }> {
  const request = prepared(query);
  const indexed = await store.index?.search(request);
  assert.ok(indexed, `the index answers ${query}`);
  const plain = await store.search(engineSortOrder(request));
  const ids = (b: M.Bundle): string[] => (b.entry ?? []).map((e) => `${e.search?.mode} ${e.resource?.resourceType}/${e.resource?.id}`);
  return { indexed: ids(indexed), plain: ids(plain), total: [indexed.total, plain.total] };
}

const admin = grant(['user/*.rs']);

let indexed: FhirServer;
let plain: FhirServer;

before(async () => {
  const options = { baseUrl: BASE, authorizeUrl: `${BASE}/a`, tokenUrl: `${BASE}/t`, defaultPageSize: 4, maxPageSize: 50 };
  indexed = await createFhirServer(options);
  plain = await createFhirServer({ ...options, searchIndex: false });
  const resources = seed();
  await indexed.load(resources);
  await plain.load(resources);
});

describe('search index equivalence', () => {
  test('every query gives the same pages, totals, links and includes as medplum\'s own search', async () => {
    const before = indexed.searchIndexStats();
    let pages = 0;
    for (const template of QUERIES) {
      for (const patient of PATIENTS) {
        const query = template.replaceAll('{p}', patient);
        pages += await assertSamePages(indexed, plain, admin, `${query}&_count=3`);
        pages += await assertSamePages(indexed, plain, grant(['patient/*.rs'], patient), `${query}&_count=8`);
      }
    }
    const after = indexed.searchIndexStats();
    assert.equal(plain.searchIndexStats(), undefined);
    // The comparison is only worth something if the index answered most of it.
    assert.ok((after?.scans ?? 0) - (before?.scans ?? 0) > 300, JSON.stringify(after));
    assert.ok((after?.cached ?? 0) - (before?.cached ?? 0) > 500, JSON.stringify(after));
    assert.ok(pages > 1000, `${pages} pages`);
  });

  test("a patient token's unnamed search, narrowed to its patient, uses the index too", async () => {
    const who = grant(['patient/Observation.rs'], 'ann');
    const before = indexed.searchIndexStats()?.scans ?? 0;
    await assertSamePages(indexed, plain, who, 'Observation?category=laboratory&_sort=-date&_count=2');
    await assertSamePages(indexed, plain, who, 'Observation?code=4548-4&date=ge2024&_count=2');
    assert.equal((indexed.searchIndexStats()?.scans ?? 0) - before, 2);
    // An _include reaching outside the record still fails the whole search the same way.
    await assertSamePages(indexed, plain, grant(['patient/Observation.rs', 'patient/Practitioner.r'], 'ann'), 'Observation?patient=ann&_include=Observation:subject');
  });

  test('after creates, updates (also moving a resource to another patient) and a rolled-back transaction the index still agrees', async () => {
    ensureDefinitions();
    const store = new IndexedStore(new PatientCompartment());
    await store.seed(seed() as M.Resource[]);
    const repo = new SandboxRepository({ store, baseUrl: BASE, limits: LIMITS, validate: false });
    const checkAll = async (when: string): Promise<void> => {
      for (const template of STORE_QUERIES) {
        for (const patient of PATIENTS) {
          const query = template.replaceAll('{p}', patient);
          const { indexed: a, plain: b, total } = await bothPaths(store, query);
          assert.deepEqual(a, b, `${when}: ${query}`);
          assert.equal(total[0], total[1], `${when}: ${query} total`);
        }
      }
    };
    await checkAll('seeded');

    await repo.createResource<M.Observation>({
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: CATEGORY, code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
      subject: { reference: 'Patient/ann' },
      effectiveDateTime: '2030-01-01T00:00:00Z',
    });
    const moved = (await store.readResource<M.Observation>('Observation', 'obs-001')) as M.Observation;
    await repo.updateResource<M.Observation>({ ...moved, subject: { reference: moved.subject?.reference === 'Patient/ben' ? 'Patient/cal' : 'Patient/ben' } });
    const redated = (await store.readResource<M.Observation>('Observation', 'obs-002')) as M.Observation;
    await repo.updateResource<M.Observation>({ ...redated, effectiveDateTime: '2019-07-07', category: [{ coding: [{ system: CATEGORY, code: 'vital-signs' }] }] });
    await checkAll('after writes');

    const changed = (await store.readResource<M.Observation>('Observation', 'obs-003')) as M.Observation;
    await assert.rejects(
      repo.withTransaction(async () => {
        await repo.createResource<M.Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/cal' } });
        await repo.updateResource<M.Observation>({ ...changed, status: 'entered-in-error', subject: { reference: 'Patient/cal' } });
        throw new Error('abandon');
      }),
      /abandon/,
    );
    await checkAll('after a rollback');
    assert.equal((await bothPaths(store, 'Observation?patient=cal&code:text=x')).indexed.length, 0);
  });
});

describe('kept search results', () => {
  test('next pages slice the kept result; a write to that patient and type makes the next page search again', async () => {
    ensureDefinitions();
    const compartment = new PatientCompartment();
    const store = new IndexedStore(compartment);
    await store.seed(seed() as M.Resource[]);
    const stats = store.index?.stats ?? assert.fail('indexed');
    const ann = new SandboxRepository({ store, baseUrl: BASE, limits: LIMITS, validate: false, policy: new AccessPolicy(grant(['patient/*.crus'], 'ann'), compartment, BASE) });
    const query = (offset: number): string => `Observation?patient=ann&_sort=-date&_count=3&_offset=${offset}`;
    const ids = (b: M.Bundle): Array<string | undefined> => (b.entry ?? []).map((e) => e.resource?.id);
    const page = async (offset: number): Promise<M.Bundle> => {
      const bundle = await ann.search(parseSearchRequest(query(offset)));
      // Whatever the index kept, the page is the one medplum's own search gives now.
      assert.deepEqual(ids(bundle), ids(await store.search(engineSortOrder(prepared(query(offset), true)))), query(offset));
      return bundle;
    };

    const first = await page(0);
    assert.deepEqual([stats.scans, stats.cached], [1, 0]);
    const second = await page(3);
    assert.deepEqual([stats.scans, stats.cached], [1, 1], 'the next page does not search again');
    assert.equal(second.total, first.total);

    // Another patient's write, or another type's, leaves Ann's kept result alone.
    const bens = seed().find((r): r is Observation => r.resourceType === 'Observation' && (r as Observation).subject?.reference === 'Patient/ben');
    await store.updateResource({ ...(bens as M.Observation), status: 'amended' });
    await ann.createResource<M.Condition>({ resourceType: 'Condition', subject: { reference: 'Patient/ann' }, code: { text: 'new' } });
    await page(3);
    assert.deepEqual([stats.scans, stats.cached], [1, 2]);

    // A new Observation for Ann: the next page is searched again and counts it.
    const created = await ann.createResource<M.Observation>({ resourceType: 'Observation', status: 'final', code: { text: 'latest' }, subject: { reference: 'Patient/ann' }, effectiveDateTime: '2031-01-01T00:00:00Z' });
    const after = await page(3);
    assert.deepEqual([stats.scans, stats.cached], [2, 2], 'the write invalidated the kept result');
    assert.equal(after.total, (first.total ?? 0) + 1);
    await page(0);
    assert.deepEqual([stats.scans, stats.cached], [2, 3]);

    // Moving an Observation away from Ann invalidates too.
    const mine = (await store.readResource<M.Observation>('Observation', created.id)) as M.Observation;
    await store.updateResource({ ...mine, subject: { reference: 'Patient/ben' } });
    assert.equal((await page(0)).total, first.total);
    assert.equal(stats.scans, 3);
  });

  test('kept results expire', async () => {
    ensureDefinitions();
    const store = new IndexedStore(new PatientCompartment(), { pageTtlMs: 0 });
    await store.seed(seed() as M.Resource[]);
    const request = prepared('Observation?patient=ann&_count=2');
    await store.index?.search(request);
    await store.index?.search({ ...request, offset: 2 });
    assert.deepEqual(store.index?.stats, { scans: 2, cached: 0 });
  });
});

describe('performance', () => {
  test('the 20,000-Observation patient: medplum\'s scan against the index', async () => {
    const cohort = generateCohort({ asOf: '2026-11-25' });
    const chosen = cohort.patients.filter((p) => ['big-10', 'ckd-01', 'ger-08', 'dm-02'].includes(p.patientId));
    const options = { baseUrl: BASE, authorizeUrl: `${BASE}/a`, tokenUrl: `${BASE}/t` };
    const scanning = await createFhirServer({ ...options, searchIndex: false });
    const indexing = await createFhirServer(options);
    const loadMs: number[] = [];
    for (const server of [scanning, indexing]) {
      const started = performance.now();
      await server.load([cohort.organization, ...cohort.practitioners]);
      for (const p of chosen) await server.load(p.resources);
      loadMs.push(performance.now() - started);
    }
    const who = grant(['patient/*.rs'], 'big-10');
    const labs = 'Observation?patient=big-10&category=laboratory&_sort=-date';
    const vitals = 'Observation?patient=big-10&category=vital-signs&_sort=-date';
    const steps: Array<[string, string]> = [
      ['labs, first page (_count=1000; 800 results)', `${labs}&_count=1000`],
      ['labs, first page (_count=200)', `${labs}&_count=200`],
      ['labs, next page (_count=200)', `${labs}&_count=200&_offset=200`],
      ['vitals, first page (_count=1000)', `${vitals}&_count=1000`],
      ['vitals, next page (_count=1000)', `${vitals}&_count=1000&_offset=1000`],
      ['labs in one year (date=ge&lt)', `${labs}&date=ge2025-11-25&date=lt2026-11-26&_count=1000`],
      ['code=loinc|2160-0', 'Observation?patient=big-10&code=http://loinc.org|2160-0&_sort=-date&_count=1000'],
      ['code=loinc|8867-4, first page', 'Observation?patient=big-10&code=http://loinc.org|8867-4&_sort=-date&_count=1000'],
      ['Condition by patient', 'Condition?patient=big-10&_count=1000'],
      ['MedicationRequest by patient', 'MedicationRequest?patient=big-10&_count=1000'],
    ];
    const measure = async (server: FhirServer, extra = ''): Promise<{ times: string[]; seen: unknown[] }> => {
      const times: string[] = [];
      const seen: unknown[] = [];
      for (const [, path] of steps) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const res = await call(server, who, `${path}${extra}`);
        const ms = performance.now() - started;
        const used = process.cpuUsage(cpu);
        assert.equal(res.status, 200, path);
        times.push(`${ms.toFixed(1)} ms (cpu ${((used.user + used.system) / 1000).toFixed(1)})`);
        seen.push(view(res));
      }
      return { times, seen };
    };
    // Warm up (JIT) with searches unlike the measured ones, as a running sandbox would be; the
    // scan's cost is its FHIRPath, which a warm-up hardly changes.
    for (const server of [scanning, indexing]) {
      await call(server, grant(['patient/*.rs'], 'ckd-01'), 'Observation?patient=ckd-01&category=laboratory&_sort=-date&_count=1000');
    }
    await call(indexing, who, 'Observation?patient=big-10&status=final&_sort=date&_count=1000');
    const before = await measure(scanning);
    const after = await measure(indexing);
    assert.deepEqual(after.seen, before.seen, 'both servers answer alike');
    // Again once the JIT has compiled every path: a filter every resource passes makes each query
    // new to the kept results, so first pages are searched afresh.
    let again = await measure(indexing, '&_lastUpdated=ge2000-01-01');
    for (const day of [2, 3, 4]) again = await measure(indexing, `&_lastUpdated=ge2000-01-0${day}`);

    console.log(`load of big-10 (20,172 resources) and 3 other patients: before ${loadMs[0]?.toFixed(0)} ms, after ${loadMs[1]?.toFixed(0)} ms`);
    const columns: Array<[string, string[]]> = [
      ['before (medplum scan)', before.times],
      ['after (index), first run', after.times],
      ['after, warmed (+_lastUpdated)', again.times],
    ];
    const width = Math.max(...steps.map(([label]) => label.length));
    console.log(`${''.padEnd(width)}  ${columns.map(([name]) => name.padEnd(30)).join('')}`);
    steps.forEach(([label], i) => console.log(`${label.padEnd(width)}  ${columns.map(([, times]) => (times[i] ?? '').padEnd(30)).join('')}`));
  });
});
