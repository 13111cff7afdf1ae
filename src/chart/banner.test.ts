import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FhirRequester } from '../smart/context.ts';
import { PatientLoadError, formatAge, loadBannerFacts } from './index.ts';

const now = () => new Date(2026, 4, 20, 9, 30);
const vendorDir = fileURLToPath(new URL('../../../shared/fixtures/vendors/', import.meta.url));
const vendorSkip = existsSync(vendorDir) ? {} : { skip: 'vendor fixtures absent' };

/** Recorded vendor responses are wrapped; the FHIR document is `.body`. */
function vendorBody(path: string): unknown {
  return (JSON.parse(readFileSync(vendorDir + path, 'utf8')) as { body: unknown }).body;
}

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

type Route = unknown | HttpError | ((url: string) => unknown);

/** Answers exact relative URLs like the wrapped fhirclient would; unknown URLs are a 404. */
function fakeFhir(routes: Record<string, Route>): FhirRequester & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      calls.push(url);
      if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      const route = routes[url];
      if (route === undefined) throw new HttpError(404);
      if (route instanceof HttpError) throw route;
      return (typeof route === 'function' ? route(url) : structuredClone(route)) as T;
    },
  };
}

function patient(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id: 'p1',
    name: [{ use: 'official', family: 'Rivera', given: ['Ana', 'Luisa'] }],
    gender: 'female',
    birthDate: '1959-02-11',
    identifier: [
      { system: 'urn:example:internal', value: 'X-1', type: { text: 'INTERNAL' } },
      { system: 'urn:example:mrn', value: '555123', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] } },
    ],
    ...extra,
  };
}

function allergy(id: string, clinical?: string, verification?: string, code = '91936005'): Record<string, unknown> {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    ...(clinical ? { clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: clinical }] } } : {}),
    ...(verification
      ? { verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: verification }] } }
      : {}),
    code: { coding: [{ system: 'http://snomed.info/sct', code }] },
  };
}

function searchset(resources: unknown[], next?: string): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
    entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
  };
}

const ALLERGIES = 'AllergyIntolerance?patient=p1';

test('patient facts: official name, age, sex and the MR-typed identifier labelled MRN', async () => {
  const facts = await loadBannerFacts(fakeFhir({ 'Patient/p1': patient(), [ALLERGIES]: searchset([]) }), 'p1', undefined, { now });
  assert.deepEqual(facts.patient, {
    reference: 'Patient/p1',
    name: 'Ana Luisa Rivera',
    birthDate: '1959-02-11',
    ageText: '67 y',
    sex: 'Female',
    identifier: { label: 'MRN', value: '555123' },
  });
});

test('a gender that names an Object.prototype member (found by fuzzing) shows no sex, not a function', async () => {
  for (const gender of ['constructor', 'toString', '__proto__']) {
    const facts = await loadBannerFacts(fakeFhir({ 'Patient/p1': patient({ gender }), [ALLERGIES]: searchset([]) }), 'p1', undefined, { now });
    assert.equal(facts.patient.sex, undefined, gender);
  }
});

test('name: official beats usual and nickname, text beats parts, ended names are skipped', async () => {
  const names = [
    { use: 'nickname', text: 'Annie' },
    { use: 'official', text: 'Old Name', period: { end: '2020-01-01' } },
    { use: 'usual', given: ['Ana'], family: 'Rivera' },
    { use: 'official', text: 'RIVERA, ANA L', given: ['Ana'], family: 'Rivera' },
  ];
  const facts = await loadBannerFacts(fakeFhir({ 'Patient/p1': patient({ name: names }), [ALLERGIES]: searchset([]) }), 'p1', undefined, { now });
  assert.equal(facts.patient.name, 'RIVERA, ANA L');
});

test('name and identifier absent: a placeholder name and no identifier, never a crash', async () => {
  const facts = await loadBannerFacts(
    fakeFhir({ 'Patient/p1': { resourceType: 'Patient', id: 'p1' }, [ALLERGIES]: searchset([]) }),
    'p1',
    undefined,
    { now },
  );
  assert.equal(facts.patient.name, 'Name not recorded');
  assert.equal(facts.patient.identifier, undefined);
  assert.equal(facts.patient.ageText, undefined);
  assert.equal(facts.patient.sex, undefined);
});

test('identifier without an MR type: the first one with a value, labelled by its type text', async () => {
  const identifier = [{ system: 'urn:x', value: '   ' }, { system: 'urn:y', value: 'E4007', type: { text: 'EPIC' } }];
  const facts = await loadBannerFacts(fakeFhir({ 'Patient/p1': patient({ identifier }), [ALLERGIES]: searchset([]) }), 'p1', undefined, { now });
  assert.deepEqual(facts.patient.identifier, { label: 'EPIC', value: 'E4007' });
});

test('ages: years from two, months under two years, days under a month, partial dates never overstate', () => {
  const at = new Date(2026, 4, 20);
  assert.equal(formatAge('1959-05-20', at), '67 y');
  assert.equal(formatAge('1959-05-21', at), '66 y');
  assert.equal(formatAge('2024-05-21', at), '23 mo');
  assert.equal(formatAge('2025-09-10', at), '8 mo');
  assert.equal(formatAge('2026-05-17', at), '3 d');
  assert.equal(formatAge('2026-05-20', at), '0 d');
  assert.equal(formatAge('2026-05-21', at), undefined);
  assert.equal(formatAge('1959', at), '66 y');
  assert.equal(formatAge('2024-02-30', at), undefined);
  assert.equal(formatAge('not a date', at), undefined);
});

test('deceased: age at death from deceasedDateTime and the flag; deceasedBoolean alone shows no age', async () => {
  const dated = await loadBannerFacts(
    fakeFhir({ 'Patient/p1': patient({ deceasedDateTime: '2020-02-10T14:00:00-05:00' }), [ALLERGIES]: searchset([]) }),
    'p1',
    undefined,
    { now },
  );
  assert.equal(dated.patient.deceased, true);
  assert.equal(dated.patient.ageText, '60 y');

  const flagged = await loadBannerFacts(fakeFhir({ 'Patient/p1': patient({ deceasedBoolean: true }), [ALLERGIES]: searchset([]) }), 'p1', undefined, { now });
  assert.equal(flagged.patient.deceased, true);
  assert.equal(flagged.patient.ageText, undefined);
});

test('allergy count: active or unstated clinical status; refuted, entered-in-error, resolved and NKA excluded', async () => {
  const bundle = searchset([
    allergy('a1', 'active', 'confirmed'),
    allergy('a2', undefined, 'unconfirmed'),
    allergy('a3', 'active', 'refuted'),
    allergy('a4', undefined, 'entered-in-error'),
    allergy('a5', 'resolved', 'confirmed'),
    allergy('a6', 'inactive'),
    allergy('a7'),
  ]);
  const facts = await loadBannerFacts(fakeFhir({ 'Patient/p1': patient(), [ALLERGIES]: bundle }), 'p1', undefined, { now });
  assert.deepEqual(facts.allergies, { status: 'ok', count: 3, noKnownAllergies: false, complete: true });
});

test('a "no known allergies" entry is an assertion, not an allergy', async () => {
  const facts = await loadBannerFacts(
    fakeFhir({ 'Patient/p1': patient(), [ALLERGIES]: searchset([allergy('nka', 'active', 'confirmed', '716186003')]) }),
    'p1',
    undefined,
    { now },
  );
  assert.deepEqual(facts.allergies, { status: 'ok', count: 0, noKnownAllergies: true, complete: true });
});

test('outcome entries are skipped and unmarked entries count', async () => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: [
      { resource: allergy('a1', 'active') },
      { search: { mode: 'include' }, resource: allergy('a2', 'active') },
      { search: { mode: 'outcome' }, resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'suppressed' }] } },
    ],
  };
  const facts = await loadBannerFacts(fakeFhir({ 'Patient/p1': patient(), [ALLERGIES]: bundle }), 'p1', undefined, { now });
  assert.equal(facts.allergies.status === 'ok' && facts.allergies.count, 1);
});

test('paging: follows next links, counts a repeated resource once, stops at the page cap and says so', async () => {
  const base = 'https://ehr.example/fhir/AllergyIntolerance?-pageContext=';
  const fhir = fakeFhir({
    'Patient/p1': patient(),
    [ALLERGIES]: searchset([allergy('a1', 'active'), allergy('a2', 'active')], `${base}2`),
    [`${base}2`]: searchset([allergy('a2', 'active'), allergy('a3', 'active')], `${base}3`),
    [`${base}3`]: searchset([allergy('a4', 'active')], `${base}4`),
    [`${base}4`]: searchset([allergy('a5', 'active')]),
  });
  const all = await loadBannerFacts(fhir, 'p1', undefined, { now });
  assert.deepEqual(all.allergies, { status: 'ok', count: 5, noKnownAllergies: false, complete: true });

  const capped = await loadBannerFacts(fhir, 'p1', undefined, { now, maxAllergyPages: 2 });
  assert.deepEqual(capped.allergies, { status: 'ok', count: 3, noKnownAllergies: false, complete: false });
});

test('paging: a next link pointing back at a page already read ends the loop', async () => {
  const fhir = fakeFhir({ 'Patient/p1': patient(), [ALLERGIES]: searchset([allergy('a1', 'active')], ALLERGIES) });
  const facts = await loadBannerFacts(fhir, 'p1', undefined, { now });
  assert.deepEqual(facts.allergies, { status: 'ok', count: 1, noKnownAllergies: false, complete: true });
  assert.equal(fhir.calls.filter((c) => c === ALLERGIES).length, 1);
});

for (const [status, reason] of [
  [403, 'Access to allergies was not granted'],
  [401, 'The EHR session did not allow reading allergies'],
  [404, 'This EHR does not offer an allergy list'],
  [500, 'The EHR could not return the allergy list just now'],
] as const) {
  test(`allergy search answering ${status} leaves the banner standing: allergies unavailable`, async () => {
    const facts = await loadBannerFacts(fakeFhir({ 'Patient/p1': patient(), [ALLERGIES]: new HttpError(status) }), 'p1', undefined, { now });
    assert.equal(facts.patient.name, 'Ana Luisa Rivera');
    assert.deepEqual(facts.allergies, { status: 'unavailable', reason });
  });
}

test('allergy failure on a later page, a network error or a non-Bundle body is unavailable too', async () => {
  const paged = fakeFhir({ 'Patient/p1': patient(), [ALLERGIES]: searchset([allergy('a1', 'active')], 'next-page'), 'next-page': new HttpError(503) });
  assert.equal((await loadBannerFacts(paged, 'p1', undefined, { now })).allergies.status, 'unavailable');

  const offline: FhirRequester = {
    request: async <T>(url: string): Promise<T> => {
      if (url.startsWith('Patient/')) return patient() as T;
      throw new TypeError('Failed to fetch');
    },
  };
  assert.deepEqual((await loadBannerFacts(offline, 'p1', undefined, { now })).allergies, { status: 'unavailable', reason: 'The allergy list could not be reached' });

  const odd = fakeFhir({ 'Patient/p1': patient(), [ALLERGIES]: '<html>' });
  assert.equal((await loadBannerFacts(odd, 'p1', undefined, { now })).allergies.status, 'unavailable');
});

test('patient read failures become a typed PatientLoadError with a plain message', async () => {
  for (const [status, failure] of [
    [404, 'not-found'],
    [403, 'forbidden'],
    [401, 'unauthorized'],
    [500, 'server'],
  ] as const) {
    await assert.rejects(loadBannerFacts(fakeFhir({ 'Patient/p1': new HttpError(status), [ALLERGIES]: searchset([]) }), 'p1'), (error: unknown) => {
      assert.ok(error instanceof PatientLoadError);
      assert.equal(error.failure, failure);
      assert.equal(error.status, status);
      assert.doesNotMatch(error.message, /p1/);
      return true;
    });
  }
});

test('a malformed Patient, another patient or a blank id is rejected as malformed', async () => {
  for (const body of [{ resourceType: 'OperationOutcome' }, 'oops', null, patient({ id: 'someone-else' })]) {
    await assert.rejects(
      loadBannerFacts(fakeFhir({ 'Patient/p1': body, [ALLERGIES]: searchset([]) }), 'p1'),
      (error: unknown) => error instanceof PatientLoadError && error.failure === 'malformed',
    );
  }
  await assert.rejects(loadBannerFacts(fakeFhir({}), '  '), (error: unknown) => error instanceof PatientLoadError && error.failure === 'malformed');
});

test('ids are URL-encoded and the caller signal reaches every request', async () => {
  const seen: Array<AbortSignal | undefined> = [];
  const fhir: FhirRequester = {
    request: async <T>(url: string, init?: { signal?: AbortSignal }): Promise<T> => {
      seen.push(init?.signal);
      return (url.startsWith('Patient/') ? patient({ id: 'a/b c' }) : searchset([])) as T;
    },
  };
  const facts = await loadBannerFacts(fhir, 'a/b c', new AbortController().signal, { now });
  assert.equal(facts.patient.reference, 'Patient/a/b c');
  assert.equal(seen.length, 2);
  assert.ok(seen.every((s) => s instanceof AbortSignal));
});

test('an abort is passed through, not turned into "unavailable"', async () => {
  const controller = new AbortController();
  const fhir: FhirRequester = {
    request: <T>(_url: string, init?: { signal?: AbortSignal }) =>
      new Promise<T>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
  };
  const pending = loadBannerFacts(fhir, 'p1', controller.signal);
  controller.abort();
  await assert.rejects(pending, { name: 'AbortError' });
});

test('a failed patient read cancels the allergy search still in flight', async () => {
  let allergySignal: AbortSignal | undefined;
  const fhir: FhirRequester = {
    request: <T>(url: string, init?: { signal?: AbortSignal }) => {
      if (url.startsWith('Patient/')) return Promise.reject(new HttpError(500));
      allergySignal = init?.signal;
      return new Promise<T>(() => {});
    },
  };
  await assert.rejects(loadBannerFacts(fhir, 'p1'), PatientLoadError);
  assert.equal(allergySignal?.aborted, true);
});

test('Epic recorded AllergyIntolerance searchset: 3 matches counted, the outcome entry skipped', vendorSkip, async () => {
  const id = 'eD.LxhDyX35TntF77l7etUA3';
  const fhir = fakeFhir({
    [`Patient/${id}`]: patient({ id }),
    [`AllergyIntolerance?patient=${id}`]: vendorBody('epic/search-AllergyIntolerance-eD.LxhDyX35TntF77l7etUA3.json'),
  });
  const facts = await loadBannerFacts(fhir, id, undefined, { now });
  assert.deepEqual(facts.allergies, { status: 'ok', count: 3, noKnownAllergies: false, complete: true });
});

test('Epic recorded Patient read: official name, sex, first identifier with a value (no MR type sent)', vendorSkip, async () => {
  const id = 'erXuFYUfucBZaryVksYEcMg3';
  const fhir = fakeFhir({ [`Patient/${id}`]: vendorBody('epic/read-Patient-erXuFYUfucBZaryVksYEcMg3.json'), [`AllergyIntolerance?patient=${id}`]: searchset([]) });
  const facts = await loadBannerFacts(fhir, id, undefined, { now });
  assert.deepEqual(facts.patient, {
    reference: `Patient/${id}`,
    name: 'Camila Maria Lopez',
    birthDate: '1987-09-12',
    ageText: '38 y',
    sex: 'Female',
    identifier: { label: 'CEID', value: 'FHRLBVD2TLZS69Z' },
  });
});

test('Oracle Health recorded Patient and AllergyIntolerance (76 unpaged): MRN over community MRN, 64 active', vendorSkip, async () => {
  const id = '12742399';
  const fhir = fakeFhir({
    [`Patient/${id}`]: vendorBody('cerner/read-Patient-12742399.json'),
    [`AllergyIntolerance?patient=${id}`]: vendorBody('cerner/search-AllergyIntolerance-12742399.json'),
  });
  const facts = await loadBannerFacts(fhir, id, undefined, { now });
  assert.equal(facts.patient.name, 'SMART II, SANDY');
  assert.equal(facts.patient.ageText, '5 y');
  assert.equal(facts.patient.sex, 'Female');
  // The rendered-value extension carries the zero-padded MRN the EHR shows.
  assert.deepEqual(facts.patient.identifier, { label: 'MRN', value: '00490052464' });
  // 76 entries: 8 entered-in-error and 4 resolved are not counted.
  assert.deepEqual(facts.allergies, { status: 'ok', count: 64, noKnownAllergies: false, complete: true });
});
