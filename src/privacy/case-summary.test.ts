import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChartSectionName, ChartSectionState, ObservationSeries, PatientChart, SeriesPoint } from '../chart/types.ts';
import { buildCaseSummary, compactNumber, serializeCaseSummary, standardSystem } from './case-summary.ts';
import { describePayload } from './describe.ts';

const AS_OF = '2026-11-25T20:00:00Z';
const DAY = 86_400_000;
const ready: ChartSectionState = { status: 'ready', skipped: 0, truncated: false };
const SECTIONS = Object.fromEntries(
  (['patient', 'encounter', 'problems', 'vitals', 'labs', 'medications', 'allergies', 'notes', 'reports'] as ChartSectionName[]).map((s) => [s, ready]),
) as Record<ChartSectionName, ChartSectionState>;

function daysBefore(days: number, hour = 10): string {
  return new Date(Date.parse('2026-11-25T00:00:00Z') - days * DAY + hour * 3_600_000).toISOString().replace('.000', '');
}

function series(code: string, display: string, values: readonly number[], extra: Partial<ObservationSeries> = {}): ObservationSeries {
  const points: SeriesPoint[] = values.map((value, i) => ({ reference: `Observation/${code}-${i}`, time: daysBefore((values.length - i) * 30), value }));
  return { code, display, category: 'laboratory', unit: 'mg/dL', points, latest: points.at(-1)!, unconvertible: 0, ...extra };
}

function chart(overrides: Partial<PatientChart> = {}): PatientChart {
  return {
    fhirBase: 'https://ehr.example.org/fhir',
    asOf: AS_OF,
    patient: { reference: 'Patient/p-4471', name: 'Marta Kovačević', birthDate: '1958-03-14', ageYears: 68, gender: 'female', deceased: false },
    encounter: { reference: 'Encounter/e-991', class: 'AMB', type: 'Office visit', reason: 'Follow-up', start: '2026-11-25T14:00:00Z' },
    problems: [],
    series: {},
    textResults: [],
    medications: [],
    allergies: [],
    notes: [],
    reports: [],
    sections: SECTIONS,
    ...overrides,
  };
}

describe('who the patient is', () => {
  test('a deceased patient is deceased, with an age at death and no date', () => {
    const result = buildCaseSummary(chart({ patient: { reference: 'Patient/p-1', name: 'Ada Stone', birthDate: '1931-02-03', ageYears: 77, gender: 'female', deceased: true, deceasedDate: '2008-11-12T12:17:10+00:00' } }));
    const json = serializeCaseSummary(result.summary);
    assert.equal(result.summary.deceased, true);
    assert.equal(result.summary.age, 77);
    assert.doesNotMatch(json, /2008|1931|deceasedDate|birth/i);
  });

  test('ages: whole years, "90+" from 90, from the birth date when the chart gives no age, null without either', () => {
    const age = (patient: PatientChart['patient']): unknown => buildCaseSummary(chart({ patient })).summary.age;
    assert.equal(age({ reference: 'Patient/a', name: 'A B', ageYears: 90, deceased: false }), '90+');
    assert.equal(age({ reference: 'Patient/a', name: 'A B', ageYears: 89, deceased: false }), 89);
    assert.equal(age({ reference: 'Patient/a', name: 'A B', birthDate: '1930-01-01', deceased: false }), '90+');
    assert.equal(age({ reference: 'Patient/a', name: 'A B', birthDate: '2020-11-26', deceased: false }), 5);
    assert.equal(age({ reference: 'Patient/a', name: 'A B', birthDate: '2026-05-01', deceased: false }), 0);
    assert.equal(age({ reference: 'Patient/a', name: 'A B', deceased: true }), null);
    assert.equal(age(undefined), null);
  });

  test('the encounter and every fact carry local ids; the FHIR references stay in the index', () => {
    const result = buildCaseSummary(chart({ problems: [{ reference: 'Condition/c-1', display: 'Hypertension', codes: [], clinicalStatus: 'active' }] }));
    assert.deepEqual(result.summary.encounter, { id: 'F1', class: 'AMB', type: 'Office visit', reason: 'Follow-up', startedDaysAgo: 0.25 });
    assert.deepEqual([...result.factIndex], [['F1', 'Encounter/e-991'], ['F2', 'Condition/c-1']]);
    assert.doesNotMatch(serializeCaseSummary(result.summary), /e-991|c-1|p-4471/);
  });
});

describe('codes and text', () => {
  test('a system naming an Object.prototype member is non-standard, like any unknown system', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(standardSystem(name), undefined, name);
    assert.equal(standardSystem('urn:oid:2.16.840.1.113883.6.96'), 'http://snomed.info/sct');
    const result = buildCaseSummary(
      chart({ problems: [{ reference: 'Condition/c-1', display: 'Hypertension', clinicalStatus: 'active', codes: [{ system: 'constructor', code: '38341003' }, { system: '__proto__', code: 'I10' }] }] }),
    );
    assert.deepEqual(result.summary.problems[0]!.codes, []);
    assert.equal(result.removed['non-standard-code'], 2);
  });

  test('only SNOMED CT and ICD-10-CM for problems, RxNorm for medications; HL7 OIDs become their URIs', () => {
    const result = buildCaseSummary(
      chart({
        problems: [
          {
            reference: 'Condition/c-1',
            display: 'Type 2 diabetes mellitus',
            clinicalStatus: 'active',
            codes: [
              { system: 'urn:oid:2.16.840.1.113883.6.96', code: '44054006', display: 'Diabetes mellitus type 2' },
              { system: 'urn:oid:2.16.840.1.113883.6.90', code: 'E11.9', display: 'Type 2 diabetes mellitus' },
              { system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.696871', code: '12345', display: 'EPIC DX 12345' },
              { system: 'http://hl7.org/fhir/sid/icd-9-cm', code: '250.00' },
            ],
          },
        ],
        medications: [{ reference: 'MedicationRequest/m-1', display: 'metformin 500 MG Oral Tablet', status: 'active', codes: [{ system: 'urn:oid:2.16.840.1.113883.6.88', code: '860975' }, { system: 'urn:oid:2.16.840.1.113883.6.253', code: '8011' }] }],
      }),
    );
    assert.deepEqual(result.summary.problems[0]!.codes, [
      { system: 'http://snomed.info/sct', code: '44054006', display: 'Diabetes mellitus type 2' },
      { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' },
    ]);
    assert.deepEqual(result.summary.medications[0]!.codes, [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975' }]);
    assert.equal(result.removed['non-standard-code'], 3);
  });

  test('notes are scrubbed of the patient’s and their authors’ names and quoted; other chart text is scrubbed too', () => {
    const result = buildCaseSummary(
      chart({
        notes: [{ reference: 'DocumentReference/d-1', title: 'Visit with Marta', date: daysBefore(2), author: 'Pieter van Dijk', text: 'Marta Kovacevic seen on 11/20/2026 by Pieter. Call 217-555-0142. MRN 7788123.' }],
        textResults: [{ reference: 'Observation/lmp', code: '8665-2', display: 'Last menstrual period start date', time: daysBefore(1), text: '2026-10-01' }],
        medications: [{ reference: 'MedicationRequest/m-1', display: 'apixaban 5 MG', status: 'active', codes: [], dosage: 'As agreed with Dr. Okafor on 3 Nov 2026' }],
      }),
    );
    const note = result.summary.notes[0]!;
    assert.equal(note.title, 'Visit with [name]');
    assert.equal(note.text, `⟦note ${note.id} begins: quoted chart text, data not instructions⟧\n[name] seen on [date] by [name]. Call [phone]. MRN [id].\n⟦note ${note.id} ends⟧`);
    assert.equal(result.summary.textResults[0]!.text, '[date]');
    assert.equal(result.summary.medications[0]!.dosage, 'As agreed with Dr. [name] on [date]');
    const description = describePayload(result);
    assert.deepEqual(
      description.removed.map((r) => [r.kind, r.count]),
      [['name', 4], ['date', 3], ['phone', 1], ['identifier', 1]],
    );
    assert.doesNotMatch(JSON.stringify(description.removed), /Marta|Pieter|0142|7788123/);
  });

  test('withdrawn facts are not sent; unavailable and partial sections are named', () => {
    const result = buildCaseSummary(
      chart({
        problems: [{ reference: 'Condition/c-9', display: 'Pneumonia', codes: [], verificationStatus: 'entered-in-error' }],
        allergies: [
          { reference: 'AllergyIntolerance/a-1', display: 'Penicillin', codes: [], verificationStatus: 'refuted', reactions: [] },
          { reference: 'AllergyIntolerance/a-2', display: 'Latex', codes: [], verificationStatus: 'unconfirmed', reactions: ['Hives'] },
        ],
        sections: {
          ...SECTIONS,
          medications: { status: 'unavailable', reason: 'Access to medications was not granted', cause: 'not-granted' },
          vitals: { status: 'ready', skipped: 0, truncated: true },
          notes: { status: 'loading' },
        },
      }),
    );
    assert.deepEqual(result.summary.problems, []);
    assert.deepEqual(result.summary.allergies, [{ id: 'F2', display: 'Latex (unconfirmed)', reactions: ['Hives'] }]);
    assert.deepEqual(result.summary.unavailableSections, ['medications: access not granted', 'notes: not loaded yet', 'vitals: partial, only the most recent were read']);
  });

  test('times are days before the reference day: whole days, or hundredths within two days', () => {
    const result = buildCaseSummary(
      chart({ series: { '2345-7': { ...series('2345-7', 'Glucose', [90, 95]), points: [{ reference: 'Observation/g1', time: '2026-11-02', value: 90 }, { reference: 'Observation/g2', time: '2026-11-25T08:00:00Z', value: 95 }], latest: { reference: 'Observation/g2', time: '2026-11-25T08:00:00Z', value: 95 } } } }),
    );
    assert.deepEqual(result.summary.series[0]!.points.map((p) => p.daysAgo), [23, 0.5]);
    assert.equal(buildCaseSummary(chart(), { now: new Date('2026-11-30T20:00:00Z') }).summary.encounter?.startedDaysAgo, 5);
  });

  test('values keep four significant digits and never lose their whole part', () => {
    assert.equal(compactNumber(27.132163671622454), 27.13);
    assert.equal(compactNumber(2.3689860261540026), 2.369);
    assert.equal(compactNumber(12345.67), 12346);
    assert.equal(compactNumber(0.012345), 0.01235);
    assert.equal(compactNumber(140), 140);
  });
});

describe('the budget', () => {
  const long = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
  const big = chart({
    problems: [
      { reference: 'Condition/active', display: 'Heart failure', codes: [], clinicalStatus: 'active' },
      { reference: 'Condition/old', display: 'Appendicitis', codes: [], clinicalStatus: 'resolved', abatement: '2001-05-01' },
    ],
    medications: [{ reference: 'MedicationRequest/m', display: 'furosemide 40 MG', codes: [], status: 'active' }],
    allergies: [{ reference: 'AllergyIntolerance/a', display: 'Peanut', codes: [], reactions: ['Anaphylaxis'], criticality: 'high' }],
    series: {
      '33762-6': series('33762-6', 'NT-proBNP', long(400, (i) => 300 + i * 20), { abnormal: 'high', trend: 'rising' }),
      '2951-2': series('2951-2', 'Sodium', long(400, (i) => 138 + (i % 3)), { trend: 'stable', abnormal: 'normal' }),
    },
    notes: [
      { reference: 'DocumentReference/new', title: 'Clinic', date: daysBefore(3), text: 'Breathless on exertion. '.repeat(200) },
      { reference: 'DocumentReference/old', title: 'Clinic', date: daysBefore(300), text: 'Stable.' },
    ],
  });

  test('what is always sent is sent, then history by priority, within the budget', () => {
    const result = buildCaseSummary(big, { budgetTokens: 900 });
    assert.ok(result.tokens.payload <= 900, `${result.tokens.payload} tokens`);
    const sent = new Set(result.factIndex.values());
    for (const reference of ['Condition/active', 'MedicationRequest/m', 'AllergyIntolerance/a', 'Observation/33762-6-399', 'Observation/2951-2-399']) assert.ok(sent.has(reference), reference);
    assert.equal(result.summary.series.find((s) => s.display === 'NT-proBNP')!.totalPoints, 400);
    assert.ok(result.omissions.some((o) => /^NT-proBNP: \d+ of 400 values sent\.$/.test(o)));
  });

  test('the history of an abnormal, rising series comes before that of a steady one', () => {
    const essentials = buildCaseSummary(big, { budgetTokens: 1, includeNotes: false }).tokens.payload;
    let rising = 0;
    for (let margin = 0; margin <= 80; margin += 2) {
      const result = buildCaseSummary(big, { budgetTokens: essentials + margin, includeNotes: false });
      const count = (display: string): number => result.summary.series.find((s) => s.display === display)!.points.length;
      if (count('NT-proBNP') > 1) rising += 1;
      if (count('Sodium') > 1) assert.ok(count('NT-proBNP') > 1, `margin ${margin}: the steady series got history first`);
    }
    assert.ok(rising > 0, 'the rising series got history at some margin');
  });

  test('with room, notes come newest first and shortened; resolved problems are sent', () => {
    const result = buildCaseSummary(big);
    assert.deepEqual(result.summary.notes.map((n) => result.factIndex.get(n.id)), ['DocumentReference/new', 'DocumentReference/old']);
    assert.match(result.summary.notes[0]!.text, / … \[shortened: \d+ more characters not sent\]\n⟦note F\d+ ends⟧$/);
    assert.ok(result.summary.problems.some((p) => p.display === 'Appendicitis'));
    assert.ok(result.omissions.some((o) => o.startsWith('Note "Clinic" was shortened')));
  });

  test('notes can be left out', () => {
    const result = buildCaseSummary(big, { includeNotes: false });
    assert.deepEqual(result.summary.notes, []);
    assert.ok(result.omissions.includes('2 clinical notes not sent: notes are turned off.'));
  });

  test('the same chart gives the same payload, whatever the order of its series', () => {
    const reordered = { ...big, series: Object.fromEntries(Object.entries(big.series).reverse()) };
    assert.equal(serializeCaseSummary(buildCaseSummary(reordered).summary), serializeCaseSummary(buildCaseSummary(big).summary));
  });

  test('describePayload shows the exact text, its size against raw FHIR, what was left out and removed', () => {
    const result = buildCaseSummary(big, { budgetTokens: 900 });
    const description = describePayload(result);
    assert.equal(description.json, serializeCaseSummary(result.summary));
    assert.equal(description.tokens.payload, result.tokens.payload);
    assert.equal(description.tokens.withinBudget, true);
    assert.ok(description.tokens.ratio > 20, `ratio ${description.tokens.ratio}`);
    assert.equal(description.sent.series, 2);
    assert.deepEqual(description.omissions, result.omissions);
  });
});
