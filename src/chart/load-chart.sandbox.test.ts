/**
 * loadChart against the sandbox's real FHIR engine, in process: the generated cohort is seeded
 * and every request is answered by `server.handle` with the sandbox's own scope, compartment and
 * paging behaviour. Assertions are spot checks of what each scenario is known to contain.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type { Bundle, Resource } from 'fhir/r4';
import { createFhirServer, type FhirServer } from '../../launch/sandbox/fhir/index.ts';
import { AWKWARD_DATA, type Cohort, type CohortPatient, generateCohort, SCENARIO_FACTS } from '../../launch/sandbox/cohort/index.ts';
import { makeGrant } from '../../launch/sandbox/scopes.ts';
import { APP_SCOPES, inProcessRequester } from '../../test/support/in-process-fhir.ts';
import type { FhirRequester, LaunchContext } from '../smart/context.ts';
import { keyLabs, keyVitals, loadChart, type ChartLoadOptions, type ObservationSeries, type PatientChart } from './index.ts';

const BASE = 'http://localhost:4000/fhir';
const AS_OF = '2025-06-01';
const AS_OF_DATE = new Date(`${AS_OF}T18:00:00Z`);
/** The sandbox entry's launch scopes from public/curbside.config.json. */

let cohort: Cohort;
let server: FhirServer;

before(async () => {
  cohort = generateCohort({ asOf: AS_OF });
  server = await createFhirServer({ baseUrl: BASE, authorizeUrl: `${BASE}/../auth/authorize`, tokenUrl: `${BASE}/../auth/token` });
  await server.load([...cohort.practitioners, cohort.organization] as Resource[]);
  for (const patient of cohort.patients) await server.load(patient.resources);
});

function sandboxRequester(patient: CohortPatient, scopes: readonly string[]): FhirRequester & { urls: string[] } {
  return inProcessRequester(server, patient.patientId, scopes);
}

function patientFor(key: keyof typeof SCENARIO_FACTS): CohortPatient {
  const patient = cohort.patients.find((p) => p.key === key);
  assert.ok(patient, key);
  return patient;
}

function contextFor(patient: CohortPatient, scopes: readonly string[] = APP_SCOPES): LaunchContext {
  return {
    fhirBase: BASE,
    patientId: patient.patientId,
    ...(patient.encounterId ? { encounterId: patient.encounterId } : {}),
    needPatientBanner: false,
    grantedScopes: scopes,
  };
}

async function load(key: keyof typeof SCENARIO_FACTS, options: ChartLoadOptions = {}) {
  const patient = patientFor(key);
  const fhir = sandboxRequester(patient, APP_SCOPES);
  const result = await loadChart(fhir, contextFor(patient), { asOf: AS_OF_DATE, ...options });
  return { ...result, fhir, patient };
}

function seriesOf(chart: PatientChart, code: string): ObservationSeries {
  const found = Object.values(chart.series).find((s) => s.code === code || s.codes?.includes(code));
  assert.ok(found, `a series for ${code}`);
  return found;
}

function allReferences(chart: PatientChart): Set<string> {
  const refs = new Set<string>();
  for (const s of Object.values(chart.series)) for (const p of s.points) refs.add(p.reference);
  for (const list of [chart.textResults, chart.problems, chart.medications, chart.allergies, chart.notes, chart.reports]) for (const item of list) refs.add(item.reference);
  return refs;
}

function assertAllReady(chart: PatientChart): void {
  for (const [name, state] of Object.entries(chart.sections)) assert.equal(state.status, 'ready', `${name}: ${JSON.stringify(state)}`);
}

describe('loadChart against the sandbox FHIR engine', () => {
  test('CKD: eGFR falls from above 60 to below 30 across the equation change; metformin is active', async () => {
    const { chart, stats } = await load('ckd-progression');
    assertAllReady(chart);
    const egfr = seriesOf(chart, '98979-8');
    assert.equal(egfr.trend, 'falling');
    assert.ok(egfr.points[0]!.value > 60, `first eGFR ${egfr.points[0]!.value}`);
    assert.ok(egfr.latest.value < 30, `latest eGFR ${egfr.latest.value}`);
    assert.deepEqual([...(egfr.codes ?? [])].sort(), ['62238-1', '98979-8']);
    assert.equal(egfr.abnormal, 'low');
    // The first draw is 5.5 years back: only the long-horizon key-lab query reaches it.
    assert.ok(Date.parse(egfr.points[0]!.time) < Date.parse('2020-06-01'));
    for (const point of egfr.points) {
      const [type, id] = point.reference.split('/');
      assert.equal(type, 'Observation');
      const stored = await server.readUnchecked<Resource & { code?: { coding?: Array<{ code?: string }> } }>('Observation', id!);
      assert.ok(stored, `${point.reference} exists`);
      assert.ok(stored.code?.coding?.some((c) => c.code === '98979-8' || c.code === '62238-1'));
    }
    const metformin = chart.medications.find((m) => m.codes.some((c) => c.code === '861004'));
    assert.equal(metformin?.status, 'active');
    assert.equal(chart.patient?.ageYears, SCENARIO_FACTS['ckd-progression'].age);
    assert.equal(chart.encounter?.class, 'AMB');
    assert.ok(chart.problems.some((p) => p.codes.some((c) => c.code === '700379002')));
    assert.equal(keyLabs(chart)[0]?.code, egfr.code, 'a low eGFR leads the key labs');
    assert.ok(stats.criticalPathDepth <= 8);
  });

  test('entered-in-error items never appear', async () => {
    for (const record of AWKWARD_DATA.filter((r) => r.kind.startsWith('entered-in-error'))) {
      const { chart } = await load(record.patientKey);
      assert.ok(!allReferences(chart).has(`${record.resourceType}/${record.id}`), `${record.resourceType}/${record.id} left out`);
    }
    const { chart } = await load('ckd-progression');
    assert.ok(!seriesOf(chart, '2823-3').points.some((p) => p.value === 11.8));
  });

  test('new-onset diabetes: HbA1c high and rising into the diabetic range; the outside-lab result without a range is kept', async () => {
    const { chart } = await load('new-onset-diabetes');
    const hba1c = seriesOf(chart, '4548-4');
    assert.ok(hba1c.latest.value >= 6.5, `HbA1c ${hba1c.latest.value}`);
    assert.equal(hba1c.abnormal, 'high');
    assert.ok(hba1c.points.some((p) => p.reference === 'Observation/dm-02-obs-hba1c-outside-lab'));
    assert.ok(chart.problems.some((p) => p.reference === 'Condition/dm-02-cond-obesity-no-onset' && p.onset === undefined));
  });

  test('iron-deficiency anaemia: hemoglobin and ferritin low; the non-ASCII name survives', async () => {
    const { chart } = await load('iron-deficiency-anaemia');
    assert.equal(seriesOf(chart, '718-7').abnormal, 'low');
    assert.equal(seriesOf(chart, '2276-4').abnormal, 'low');
    assert.equal(chart.patient?.name, 'Zoë Ñúñez-Łukasiewicz');
  });

  test('thiazide hyponatraemia: sodium low and falling; hydrochlorothiazide active', async () => {
    const { chart } = await load('thiazide-hyponatraemia');
    const sodium = seriesOf(chart, '2951-2');
    assert.equal(sodium.abnormal, 'low');
    assert.equal(sodium.trend, 'falling');
    assert.ok(chart.medications.some((m) => m.status === 'active' && m.codes.some((c) => c.code === '310798')));
  });

  test('chest pain: high-sensitivity troponin rising and high, in an emergency encounter', async () => {
    const { chart } = await load('chest-pain-troponin');
    const troponin = seriesOf(chart, '89579-7');
    assert.equal(troponin.trend, 'rising');
    assert.equal(troponin.abnormal, 'high');
    assert.ok(troponin.points.length >= 2);
    assert.equal(chart.encounter?.class, 'EMER');
  });

  test('child and nonagenarian: ages at asOf; creatinine in µmol/L is shown in mg/dL', async () => {
    const child = await load('paediatric-asthma');
    assert.equal(child.chart.patient?.ageYears, 6);
    assert.ok(keyVitals(child.chart).some((s) => s.code === '29463-7'));

    const { chart } = await load('nonagenarian-polypharmacy');
    assert.equal(chart.patient?.ageYears, 92);
    const creatinine = seriesOf(chart, '14682-9');
    assert.equal(creatinine.unit, 'mg/dL');
    assert.equal(creatinine.unconvertible, 0);
    const umol = creatinine.points.find((p) => p.reference === 'Observation/ger-08-obs-creatinine-umol-1');
    assert.equal(umol?.original?.unit, 'umol/L');
    assert.ok(umol && umol.value > 0.8 && umol.value < 1.5, `creatinine ${umol?.value} mg/dL`);
  });

  test('unusual units are normalised: glucose mmol/L, temperature [degF], weight [lb_av]', async () => {
    const adrenal = await load('adrenal-insufficiency-pattern');
    const glucose = seriesOf(adrenal.chart, '14749-6');
    assert.equal(glucose.unit, 'mg/dL');
    assert.equal(glucose.abnormal, 'low');
    assert.ok(glucose.latest.value > 40 && glucose.latest.value < 70, `glucose ${glucose.latest.value}`);
    assert.ok(adrenal.chart.textResults.some((t) => t.reference === 'Observation/adr-12-obs-acth-pending' && t.text === 'Pending'));

    const sepsis = await load('sepsis');
    const temperature = seriesOf(sepsis.chart, '8310-5');
    assert.equal(temperature.unit, 'Cel');
    const triage = temperature.points.find((p) => p.reference === 'Observation/sep-05-obs-temp-degf');
    assert.equal(triage?.original?.unit, '[degF]');
    assert.ok(triage && triage.value > 38.5 && triage.value < 40, `temperature ${triage?.value} Cel`);

    const htn = await load('undiagnosed-hypertension');
    const weight = seriesOf(htn.chart, '29463-7');
    assert.equal(weight.unit, 'kg');
    const pounds = weight.points.find((p) => p.reference === 'Observation/htn-11-obs-weight-lb-1');
    assert.equal(pounds?.original?.unit, '[lb_av]');
    assert.ok(pounds && pounds.value < pounds.original!.value);
    assert.equal(seriesOf(htn.chart, '8480-6').abnormal, undefined, 'vitals carry no range');
  });

  test('near-empty patient: every section ready and empty, no encounter', async () => {
    const { chart, stats } = await load('near-empty');
    assertAllReady(chart);
    assert.equal(chart.encounter, undefined);
    assert.deepEqual(Object.keys(chart.series), []);
    assert.deepEqual([chart.problems.length, chart.medications.length, chart.notes.length, chart.reports.length, chart.textResults.length], [0, 0, 0, 0, 0]);
    assert.equal(chart.allergies.length, 1);
    assert.equal(chart.patient?.gender, 'unknown');
    assert.ok(stats.requests > 0);
  });

  test('pregnancy: the pregnancy, a positive urine hCG and an ACE inhibitor are all in view', async () => {
    const { chart } = await load('pregnancy');
    assert.ok(chart.problems.some((p) => p.codes.some((c) => c.code === '77386006')));
    assert.ok(chart.textResults.some((t) => t.code === '2106-3' && t.text === 'Positive'));
    assert.ok(chart.medications.some((m) => m.status === 'active' && m.codes.some((c) => c.code === '314076')));
    assert.equal(seriesOf(chart, '21198-7').abnormal, 'high');
  });

  test('notes are decoded, newest first, and capped', async () => {
    const { chart } = await load('ckd-progression', { maxNotes: 1 });
    assert.equal(chart.notes.length, 1);
    assert.match(chart.notes[0]!.text ?? '', /Follow-up: diabetes, hypertension, kidney function/);
    assert.equal(chart.sections.notes.status === 'ready' && chart.sections.notes.truncated, true);
  });

  test('the 20,000-observation patient loads with a short critical path', async () => {
    const { chart, stats } = await load('large-history');
    console.log(`big-10: ${stats.requests} requests, critical path depth ${stats.criticalPathDepth}, ${stats.durationMs} ms in process`);
    assertAllReady(chart);
    assert.ok(stats.criticalPathDepth <= 8, `depth ${stats.criticalPathDepth}`);
    const vitalsPoints = keyVitals(chart).reduce((n, s) => n + s.points.length, 0);
    assert.ok(vitalsPoints > 1000, `vitals points ${vitalsPoints}`);
    const weight = seriesOf(chart, '29463-7');
    // Two years of vitals: nothing older than the look-back.
    assert.ok(Date.parse(weight.points[0]!.time) >= Date.parse('2023-06-01'));
    assert.ok(seriesOf(chart, '33762-6').points.length > 0);
  });

  test('a cap keeps the newest observations and marks the section truncated', async () => {
    const { chart, stats } = await load('large-history', { maxObservationsPerCategory: 300, pageSize: 100 });
    const vitals = chart.sections.vitals;
    assert.equal(vitals.status === 'ready' && vitals.truncated, true);
    const times = Object.values(chart.series)
      .filter((s) => s.category === 'vital-signs')
      .flatMap((s) => s.points.map((p) => p.reference));
    assert.ok(new Set(times).size <= 300);
    // Only the newest window pages to the cap; older windows stop after one page.
    assert.ok(stats.criticalPathDepth <= 4, `depth ${stats.criticalPathDepth}`);
    const weight = seriesOf(chart, '29463-7');
    assert.ok(Date.parse(weight.latest.time) > Date.parse('2025-05-01'));
  });

  test('granular scopes: labs only, so vitals are not granted and never requested', async () => {
    const patient = patientFor('ckd-progression');
    const scopes = ['patient/Patient.r', 'patient/Observation.rs?category=laboratory'];
    const fhir = sandboxRequester(patient, scopes);
    const { chart } = await loadChart(fhir, contextFor(patient, scopes), { asOf: AS_OF_DATE });
    assert.equal(chart.sections.labs.status, 'ready');
    assert.deepEqual(chart.sections.vitals, { status: 'unavailable', cause: 'not-granted', reason: 'Access to vital signs was not granted to Curbside.' });
    assert.equal(chart.sections.medications.status === 'unavailable' && chart.sections.medications.cause, 'not-granted');
    assert.ok(!fhir.urls.some((u) => u.includes('vital-signs') || u.startsWith('MedicationRequest') || u.startsWith('Condition')));
  });

  test('the sandbox refuses a type outside the grant: only that section is unavailable', async () => {
    const patient = patientFor('ckd-progression');
    const fhir = sandboxRequester(patient, APP_SCOPES.filter((s) => !s.startsWith('patient/AllergyIntolerance')));
    // The context claims the full grant, so the request is made and the server refuses it.
    const { chart } = await loadChart(fhir, contextFor(patient), { asOf: AS_OF_DATE });
    assert.equal(chart.sections.allergies.status === 'unavailable' && chart.sections.allergies.cause, 'forbidden');
    assert.equal(chart.sections.problems.status, 'ready');
    assert.ok(chart.medications.length > 0);
  });
});

describe('Conditions without a category (Synthea)', () => {
  const syntheaDir = new URL('../../../shared/fixtures/synthea/', import.meta.url);
  const haveSynthea = existsSync(syntheaDir);

  test('are found by one uncategorised search, after the category searches came back empty', { skip: haveSynthea ? false : 'Synthea fixtures absent' }, async () => {
    const file = readdirSync(syntheaDir).find((f) => f.startsWith('Judson_Eichmann'))!;
    const bundle = JSON.parse(readFileSync(new URL(file, syntheaDir), 'utf8')) as Bundle;
    const expected = bundle.entry!.filter((e) => e.resource?.resourceType === 'Condition').length;
    const { patientIds } = await server.loadTransaction(bundle);
    const patientId = patientIds[0]!;
    const grant = makeGrant({ clientId: 'curbside-sandbox', scopes: APP_SCOPES, patient: patientId, expiresAt: Date.now() + 3_600_000 });
    const urls: string[] = [];
    const fhir: FhirRequester = {
      async request<T>(url: string): Promise<T> {
        urls.push(url);
        const response = await server.handle({ method: 'GET', url: new URL(url, `${BASE}/`), headers: {} }, grant);
        if (response.status >= 400) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
        return response.body as T;
      },
    };
    const { chart, stats } = await loadChart(fhir, { fhirBase: BASE, patientId, needPatientBanner: false, grantedScopes: APP_SCOPES }, { asOf: AS_OF_DATE });
    assert.ok(expected > 0);
    assert.equal(chart.problems.length, expected);
    assert.equal(urls.filter((u) => u.startsWith('Condition?') && !u.includes('category=')).length, 1);
    assert.ok(stats.criticalPathDepth >= 2, 'the fallback waited for the category searches');
  });

  test('are not searched for when the category searches found problems', async () => {
    const patient = patientFor('ckd-progression');
    const fhir = sandboxRequester(patient, APP_SCOPES);
    await loadChart(fhir, contextFor(patient), { asOf: AS_OF_DATE });
    assert.equal(fhir.urls.filter((u) => u.startsWith('Condition?') && !u.includes('category=')).length, 0);
  });
});
