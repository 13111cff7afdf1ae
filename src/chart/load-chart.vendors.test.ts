/**
 * loadChart over recorded Epic and Oracle Health responses (../shared/fixtures/vendors). A fake
 * requester serves each recording for the queries it answers; recordings from different sandbox
 * patients stand in for one chart, since what is tested is how their shapes are read.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FhirRequester, LaunchContext } from '../smart/context.ts';
import { loadChart, type ChartLoadOptions, type ObservationSeries, type PatientChart } from './index.ts';

const vendorDir = fileURLToPath(new URL('../../../shared/fixtures/vendors/', import.meta.url));
const vendorSkip = existsSync(vendorDir) ? {} : { skip: 'vendor fixtures absent' };

const EPIC_BASE = 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4';
const ORACLE_BASE = 'https://fhir-open.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d';
const AS_OF = new Date('2026-05-01T12:00:00Z');

/** Recorded responses are wrapped as `{ _request, body }`; CapabilityStatements are stored bare. */
function recorded(path: string): unknown {
  const json = JSON.parse(readFileSync(vendorDir + path, 'utf8')) as Record<string, unknown>;
  return 'body' in json ? json.body : json;
}

class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly statusCode: number;
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {
    super(`HTTP ${status}`);
    this.statusCode = status;
  }
}

type Answer = unknown | HttpError;
type Route = readonly [match: (path: string, query: URLSearchParams) => boolean, answer: () => Answer];

/** Serves the first matching route for a base-relative URL; anything else is a 404, as a server would answer. */
function vendorFhir(routes: readonly Route[]): FhirRequester & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      init?.signal?.throwIfAborted();
      urls.push(url);
      const [path = '', search = ''] = url.split('?');
      const query = new URLSearchParams(search);
      const route = routes.find(([match]) => match(path, query));
      const answer = route ? route[1]() : new HttpError(404);
      if (answer instanceof HttpError) throw answer;
      return structuredClone(answer) as T;
    },
  };
}

const search = (type: string, extra: (q: URLSearchParams) => boolean = () => true) => (path: string, q: URLSearchParams) => path === type && extra(q);
/** The newest date window is the only one without an upper bound. */
const newest = (q: URLSearchParams) => !q.getAll('date').some((d) => d.startsWith('lt'));
const category = (value: string) => (q: URLSearchParams) => q.get('category') === value;
const emptyEpic = () => recorded('epic/search-Observation-laboratory-empty-eq081-VQEgP8drUUqCWzHfw3.json');
const emptyOracle = () => ({ resourceType: 'Bundle', type: 'searchset', link: [] });
const binary = (contentType: string, text: string) => ({ resourceType: 'Binary', contentType, data: Buffer.from(text, 'utf8').toString('base64') });

function seriesOf(chart: PatientChart, code: string): ObservationSeries {
  const found = Object.values(chart.series).find((s) => s.code === code || s.codes?.includes(code));
  assert.ok(found, `a series for ${code}`);
  return found;
}

function readyState(chart: PatientChart, name: keyof PatientChart['sections']) {
  const state = chart.sections[name];
  assert.equal(state.status, 'ready', `${name}: ${JSON.stringify(state)}`);
  return state as Extract<typeof state, { status: 'ready' }>;
}

// ---------------------------------------------------------------------------------------------
// Epic

const EPIC_PATIENT = 'erXuFYUfucBZaryVksYEcMg3';
const EPIC_ENCOUNTER = 'eoK8nLRcEypNjtns4dgnF3Q3';
const EPIC_SESSION_PAGE = 'Observation?sessionID=16-AB6401F741B911F1BE0E005056BECC4A';
const CONSULT_BINARY = 'Binary/e1WKN8.cCY8PGKAe8PemIkg3';
const CONSULT_HTML = '<html><body><p>Consult: <b>asthma</b> follow-up &amp; inhaler review.</p><p>Plan: continue ICS.</p></body></html>';

function epicRoutes(overrides: readonly Route[] = []): Route[] {
  const encounters = recorded('epic/search-Encounter-erXuFYUfucBZaryVksYEcMg3.json') as { entry: Array<{ resource: { id: string } }> };
  return [
    ...overrides,
    [(p) => p === 'metadata', () => recorded('epic/CapabilityStatement-2026-05-11.json')],
    [(p) => p === `Patient/${EPIC_PATIENT}`, () => recorded('epic/read-Patient-erXuFYUfucBZaryVksYEcMg3.json')],
    [(p) => p === `Encounter/${EPIC_ENCOUNTER}`, () => encounters.entry.find((e) => e.resource.id === EPIC_ENCOUNTER)!.resource],
    [search('Condition', category('problem-list-item')), () => recorded('epic/search-Condition-problem-list-item-eD.LxhDyX35TntF77l7etUA3.json')],
    [search('Condition', category('encounter-diagnosis')), () => recorded('epic/search-Condition-encounter-diagnosis-erXuFYUfucBZaryVksYEcMg3.json')],
    [search('Condition', category('health-concern')), () => recorded('epic/search-Condition-health-concern-empty-suppressed-eq081-VQEgP8drUUqCWzHfw3.json')],
    [search('MedicationRequest'), () => recorded('epic/search-MedicationRequest-eD.LxhDyX35TntF77l7etUA3.json')],
    [
      (p) => p === 'Medication/f.YkgtU.jK0Ncpx.K9.H.lw4',
      () => ({ resourceType: 'Medication', id: 'f.YkgtU.jK0Ncpx.K9.H.lw4', code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076', display: 'lisinopril 5 MG Oral Tablet' }], text: 'lisinopril 5 MG tablet' } }),
    ],
    [search('AllergyIntolerance'), () => recorded('epic/search-AllergyIntolerance-eD.LxhDyX35TntF77l7etUA3.json')],
    [(p, q) => p === 'Observation' && q.get('sessionID') !== null, () => recorded('epic/search-Observation-vital-signs-erXuFYUfucBZaryVksYEcMg3.json')],
    [search('Observation', (q) => category('vital-signs')(q) && newest(q)), () => recorded('epic/search-Observation-vital-signs-page1-of-many-eq081-VQEgP8drUUqCWzHfw3.json')],
    [search('Observation', (q) => category('laboratory')(q) && newest(q)), () => recorded('epic/search-Observation-laboratory-erXuFYUfucBZaryVksYEcMg3.json')],
    [search('Observation'), emptyEpic],
    [search('DocumentReference'), () => recorded('epic/search-DocumentReference-eq081-VQEgP8drUUqCWzHfw3.json')],
    [(p) => p === CONSULT_BINARY, () => binary('text/html', CONSULT_HTML)],
    [search('DiagnosticReport'), () => recorded('epic/search-DiagnosticReport-LAB-erXuFYUfucBZaryVksYEcMg3.json')],
  ];
}

const epicContext: LaunchContext = { fhirBase: EPIC_BASE, patientId: EPIC_PATIENT, encounterId: EPIC_ENCOUNTER, needPatientBanner: true, grantedScopes: [] };

async function loadEpic(overrides: readonly Route[] = [], options: ChartLoadOptions = {}) {
  const fhir = vendorFhir(epicRoutes(overrides));
  const result = await loadChart(fhir, epicContext, { asOf: AS_OF, ...options });
  return { ...result, fhir };
}

describe('Epic recordings', vendorSkip, () => {
  test('outcome entries are neither results nor skips; the opaque sessionID next link is followed', async () => {
    const { chart, fhir, stats } = await loadEpic();
    for (const name of ['patient', 'encounter', 'problems', 'vitals', 'labs', 'medications', 'allergies', 'notes', 'reports'] as const) {
      assert.equal(readyState(chart, name).skipped, 0, name);
    }
    assert.ok(fhir.urls.includes(EPIC_SESSION_PAGE), 'page 2 requested as Epic named it');
    const pulse = seriesOf(chart, '8867-4');
    assert.ok(pulse.points.length > 330, `pulse points from both pages: ${pulse.points.length}`);
    assert.equal(chart.allergies.length, 3);
    assert.equal(chart.problems.filter((p) => p.category === 'problem-list-item').length, 7);
    assert.equal(chart.reports.length, 4);
    assert.equal(chart.patient?.name, 'Camila Maria Lopez');
    // Epic's own class code ("2", Preadmission) is not an ActCode.
    assert.equal(chart.encounter?.class, undefined);
    assert.equal(chart.encounter?.type, 'Surgery Admit');
    assert.ok(stats.criticalPathDepth >= 2 && stats.criticalPathDepth <= 3);
  });

  test('units without system or code, bare values, valueString, BP components, dual-coded LOINC and OIDs', async () => {
    const { chart } = await loadEpic();
    const rbc = seriesOf(chart, '789-8');
    assert.equal(rbc.unit, '10*6/uL');
    assert.equal(rbc.latest.value, 4.8);
    assert.deepEqual(rbc.referenceRange, { low: 4, high: 5.2, unit: '10*6/uL', text: '4.00 - 5.20 10*6/µL' });
    assert.equal(rbc.abnormal, 'normal');

    const hba1c = seriesOf(chart, '4548-4');
    assert.equal(hba1c.latest.value, 5.1);
    assert.equal(hba1c.unit, undefined, 'a bare value in a series without units is kept as it is');

    assert.ok(chart.textResults.some((t) => t.text === 'Genotype Value' && t.code.startsWith('urn:oid:1.2.840.114350')));

    const systolic = seriesOf(chart, '8480-6');
    const diastolic = seriesOf(chart, '8462-4');
    assert.equal(systolic.unit, 'mm[Hg]');
    assert.equal(systolic.latest.reference, diastolic.latest.reference);
    assert.ok(systolic.latest.value > diastolic.latest.value);
    assert.ok(!Object.values(chart.series).some((s) => s.code === '8716-3' || s.code === '85354-9' || s.code === '55284-4'));

    // Weight is coded 29463-7 under LOINC and Epic's vitals OID, beside 3141-9 and 8716-3.
    const weight = seriesOf(chart, '29463-7');
    assert.equal(weight.code, '29463-7');
    assert.equal(weight.unit, 'kg');
    assert.equal(seriesOf(chart, '8310-5').unit, 'Cel');
  });

  test('medicationReference: one Medication read per distinct reference, issued after the MedicationRequest page', async () => {
    const { chart, fhir, stats } = await loadEpic();
    const reads = fhir.urls.filter((u) => u.startsWith('Medication/'));
    assert.equal(reads.length, 7, 'seven active orders, seven distinct drugs');
    assert.equal(new Set(reads).size, reads.length);
    assert.equal(chart.medications.length, 7, 'completed orders are left out');
    const lisinopril = chart.medications.find((m) => m.medicationReference === 'Medication/f.YkgtU.jK0Ncpx.K9.H.lw4');
    assert.equal(lisinopril?.display, 'lisinopril 5 MG tablet');
    assert.equal(lisinopril?.codes[0]?.code, '314076');
    assert.match(lisinopril?.dosage ?? '', /Take 1 tablet \(5 mg total\)/);
    // A Medication that could not be read keeps the order's own description.
    const digoxin = chart.medications.find((m) => m.medicationReference === 'Medication/fphkwATvNnwXW9I6VD6qdQw4');
    assert.equal(digoxin?.display, 'digoxin (LANOXIN) 125 MCG tablet');
    const state = readyState(chart, 'medications');
    assert.deepEqual(state.caveats, ["Details of 6 medications could not be read; the order's own description is shown."]);
    assert.ok(stats.criticalPathDepth >= 2);
  });

  test('relative Binary urls are read (HTML before RTF); data-absent-reason attachments are marked, not fetched', async () => {
    const { chart, fhir } = await loadEpic();
    const consult = chart.notes.find((n) => n.title === 'Consults');
    assert.ok(consult, 'the consult note');
    assert.equal(consult.text, 'Consult: asthma follow-up & inhaler review.\n\nPlan: continue ICS.');
    assert.equal(consult.typeCode, '11488-4');
    assert.equal(consult.author, 'User Epic');
    assert.deepEqual(
      fhir.urls.filter((u) => u.startsWith('Binary/')),
      [CONSULT_BINARY],
    );
    const scanned = chart.notes.filter((n) => n.textUnavailable === 'scanned document');
    assert.ok(scanned.length > 0);
    assert.ok(scanned.every((n) => n.text === undefined));
    const summary = chart.notes.find((n) => n.title === 'Patient Summary');
    assert.equal(summary?.textUnavailable, 'not available as text (application/xml)');
    assert.equal(chart.notes.length, 10);
    assert.equal(chart.notes[0]!.title, 'Consults', 'dated notes first, newest first');
    assert.equal(readyState(chart, 'notes').truncated, true);
  });

  test("Epic's 400 with two issues: the section is unavailable and says the EHR refused; metadata is read once", async () => {
    const refused = new HttpError(400, recorded('epic/error-400-Patient-search-unknown-param.json'));
    const { chart, fhir } = await loadEpic([
      [search('DiagnosticReport'), () => refused],
      [search('AllergyIntolerance'), () => refused],
    ]);
    for (const name of ['reports', 'allergies'] as const) {
      const state = chart.sections[name];
      assert.equal(state.status, 'unavailable');
      assert.equal(state.status === 'unavailable' && state.cause, 'server');
    }
    assert.equal(chart.sections.reports.status === 'unavailable' && chart.sections.reports.reason, "The EHR refused Curbside's request for diagnostic reports.");
    assert.equal(fhir.urls.filter((u) => u === 'metadata').length, 1);
    assert.equal(readyState(chart, 'labs').status, 'ready');
  });

  test("Epic's HTML 404: not-found when the CapabilityStatement lists the type, not-supported when it does not", async () => {
    const html = recorded('epic/error-404-unknown-resource-type-html.json') as { _non_json_body: string };
    const notFound = new HttpError(404, html._non_json_body);
    const listed = await loadEpic([[search('DocumentReference'), () => notFound]]);
    assert.equal(listed.chart.sections.notes.status === 'unavailable' && listed.chart.sections.notes.cause, 'not-found');

    const capability = recorded('epic/CapabilityStatement-2026-05-11.json') as { rest: Array<{ resource: Array<{ type: string }> }> };
    capability.rest[0]!.resource = capability.rest[0]!.resource.filter((r) => r.type !== 'DocumentReference');
    const unlisted = await loadEpic([
      [(p) => p === 'metadata', () => capability],
      [search('DocumentReference'), () => notFound],
    ]);
    const notes = unlisted.chart.sections.notes;
    assert.deepEqual(notes, { status: 'unavailable', cause: 'not-supported', reason: 'This EHR does not provide clinical notes.' });
    assert.equal(readyState(unlisted.chart, 'problems').status, 'ready');
  });

  test('the happy path never reads the CapabilityStatement', async () => {
    const { fhir } = await loadEpic();
    assert.ok(!fhir.urls.includes('metadata'));
  });
});

// ---------------------------------------------------------------------------------------------
// Oracle Health

const ORACLE_PATIENT = '12742399';
const ORACLE_ENCOUNTER = '97953477';
const ORACLE_HTML = '<div><h2>Consultation Note</h2><p>Seen for cough. Plan: chest X-ray.</p></div>';

function oracleRoutes(overrides: readonly Route[] = []): Route[] {
  const encounters = recorded('cerner/search-Encounter-12724066.json') as { entry: Array<{ resource: { id: string } }> };
  const documents = recorded('cerner/search-DocumentReference-12724066.json') as { entry: Array<{ resource: Record<string, unknown> }> };
  // The README's variant: withdrawn in docStatus while status still says current.
  documents.entry[0]!.resource.status = 'current';
  return [
    ...overrides,
    [(p) => p === 'metadata', () => recorded('cerner/CapabilityStatement-2026-05-11.json')],
    [(p) => p === `Patient/${ORACLE_PATIENT}`, () => recorded('cerner/read-Patient-12742399.json')],
    [(p) => p === `Encounter/${ORACLE_ENCOUNTER}`, () => encounters.entry.find((e) => e.resource.id === ORACLE_ENCOUNTER)?.resource ?? encounters.entry[0]!.resource],
    [search('Condition', category('problem-list-item')), () => recorded('cerner/search-Condition-problem-list-item-unpaged-831-12742399.json')],
    [search('Condition'), emptyOracle],
    [(p, q) => p === 'MedicationRequest' && q.has('-pageContext'), emptyOracle],
    [search('MedicationRequest'), () => recorded('cerner/search-MedicationRequest-12724066.json')],
    [search('AllergyIntolerance'), () => recorded('cerner/search-AllergyIntolerance-12742399.json')],
    [(p, q) => p === 'Observation' && q.has('-pageContext'), emptyOracle],
    [search('Observation', (q) => category('vital-signs')(q) && newest(q)), () => recorded('cerner/search-Observation-vital-signs-12724066.json')],
    [search('Observation', (q) => category('laboratory')(q) && newest(q)), () => recorded('cerner/search-Observation-laboratory-12724066.json')],
    [search('Observation'), emptyOracle],
    [(p, q) => p === 'DocumentReference' && q.has('-pageContext'), emptyOracle],
    [search('DocumentReference'), () => documents],
    [(p) => p.startsWith('Binary/TR-'), () => binary('text/html', ORACLE_HTML)],
    [search('DiagnosticReport'), () => recorded('cerner/search-DiagnosticReport-LAB-12724066.json')],
  ];
}

const oracleContext: LaunchContext = { fhirBase: ORACLE_BASE, patientId: ORACLE_PATIENT, encounterId: ORACLE_ENCOUNTER, needPatientBanner: false, grantedScopes: [] };

async function loadOracle(overrides: readonly Route[] = []) {
  const fhir = vendorFhir(oracleRoutes(overrides));
  const result = await loadChart(fhir, oracleContext, { asOf: AS_OF });
  return { ...result, fhir };
}

describe('Oracle Health recordings', vendorSkip, () => {
  test('831 unpaged Conditions are read fast; the 589 entered in error are left out', async () => {
    const started = performance.now();
    const { chart } = await loadOracle();
    const elapsed = performance.now() - started;
    assert.equal(readyState(chart, 'problems').skipped, 0);
    assert.equal(chart.problems.length, 831 - 589);
    assert.ok(!chart.problems.some((p) => p.verificationStatus === 'entered-in-error'));
    assert.ok(elapsed < 1500, `whole chart in ${Math.round(elapsed)} ms`);
    assert.equal(chart.patient?.name, 'SMART II, SANDY');
  });

  test('76 allergies with contained resources: 68 listed, none skipped, contained roles not mistaken for allergies', async () => {
    const { chart } = await loadOracle();
    assert.equal(chart.allergies.length, 76 - 8);
    assert.equal(readyState(chart, 'allergies').skipped, 0);
    const amoxapine = chart.allergies.find((a) => a.reference === 'AllergyIntolerance/12807127');
    assert.deepEqual(amoxapine?.reactions, ['Bullous eruption']);
    assert.equal(amoxapine?.criticality, 'high');
    assert.ok(!chart.allergies.some((a) => a.display.includes('nurse')));
  });

  test('display units that differ from their codes; -pageContext next links keep the query and are followed', async () => {
    const { chart, fhir } = await loadOracle();
    const temperature = seriesOf(chart, '8310-5');
    assert.equal(temperature.unit, 'Cel', 'degC is displayed, Cel is coded');
    const creatinine = seriesOf(chart, '2160-0');
    assert.equal(creatinine.unit, 'mg/dL');
    assert.deepEqual(creatinine.latest.original, { value: 32, unit: 'umol/L' });
    assert.equal(creatinine.latest.value, 0.362);
    // Potassium recorded in g/dL has no honest conversion to mmol/L; it is shown as sent.
    assert.equal(seriesOf(chart, '2823-3').unit, 'g/dL');
    assert.ok(chart.textResults.some((t) => t.code === '2823-3' && t.text === 'Blank'));
    const bp = seriesOf(chart, '8480-6');
    assert.equal(bp.unit, 'mm[Hg]');
    const pages = fhir.urls.filter((u) => u.includes('-pageContext='));
    assert.ok(pages.some((u) => u.startsWith('Observation?patient=12724066&category=vital-signs&-pageContext=')));
    assert.ok(pages.some((u) => u.startsWith('MedicationRequest?patient=12724066&-pageContext=')));
    assert.equal(chart.medications.length, 25);
    assert.ok(chart.medications.every((m) => m.codes.length > 0 && m.medicationReference === undefined));
    assert.ok(!fhir.urls.some((u) => u.startsWith('Medication/')));
  });

  test('absolute Binary urls on the base are read; entered-in-error docStatus with status current is left out', async () => {
    const { chart, fhir } = await loadOracle();
    assert.ok(!chart.notes.some((n) => n.reference === 'DocumentReference/206142019'));
    const consult = chart.notes.find((n) => n.reference === 'DocumentReference/209029706');
    assert.equal(consult?.text, 'Consultation Note\n\nSeen for cough. Plan: chest X-ray.');
    assert.ok(fhir.urls.includes('Binary/TR-209029706'), 'requested base-relative');
    const pdfOnly = chart.notes.find((n) => n.reference === 'DocumentReference/206130472');
    assert.equal(pdfOnly?.textUnavailable, 'not available as text (application/pdf, application/xml)');
    // text/xml is not note text either: no Binary read for it.
    assert.ok(!fhir.urls.some((u) => u.startsWith('Binary/R-') || u.startsWith('Binary/XR-')));
  });
});
