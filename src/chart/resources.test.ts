import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXCLUDED, readCondition, readDocument, readEncounter, readMedicationRequest, readPatient, readReport, wholeYears } from './resources.ts';

const BASE = 'https://ehr.example/fhir/R4';
const AS_OF = new Date('2025-06-01T12:00:00Z');

test('age at asOf, or at death when the date of death is known', () => {
  const alive = readPatient({ resourceType: 'Patient', id: 'p', birthDate: '1950-06-02', name: [{ text: 'A B' }] }, 'p', AS_OF);
  assert.equal(alive?.ageYears, 74);
  assert.equal(alive?.deceased, false);

  const died = readPatient({ resourceType: 'Patient', id: 'p', birthDate: '1930-01-15', deceasedDateTime: '2020-01-14' }, 'p', AS_OF);
  assert.deepEqual([died?.ageYears, died?.deceased, died?.deceasedDate, died?.name], [89, true, '2020-01-14', 'Name not recorded']);

  // Deceased without a date: the age at death is unknown, never today's age.
  const unknown = readPatient({ resourceType: 'Patient', id: 'p', birthDate: '1930-01-15', deceasedBoolean: true }, 'p', AS_OF);
  assert.equal(unknown?.ageYears, undefined);
  assert.equal(readPatient({ resourceType: 'Patient', id: 'other' }, 'p', AS_OF), undefined);
});

test('partial birth dates never overstate age', () => {
  assert.equal(wholeYears('1990', new Date('2025-06-01T00:00:00Z')), 34);
  assert.equal(wholeYears('1990-05', new Date('2025-06-01T00:00:00Z')), 35);
  assert.equal(wholeYears('1990-06', new Date('2025-06-01T00:00:00Z')), 34);
  assert.equal(wholeYears('2030-01-01', new Date('2025-06-01T00:00:00Z')), undefined);
});

test('encounter class only when it is a v3 ActCode', () => {
  const amb = readEncounter({ resourceType: 'Encounter', id: 'e', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, period: { start: '2025-06-01' } }, 'e');
  assert.deepEqual(amb, { reference: 'Encounter/e', status: 'in-progress', class: 'AMB', start: '2025-06-01' });
  const epic = readEncounter({ resourceType: 'Encounter', id: 'e', class: { system: 'urn:oid:1.2.840.114350.1.72.1.7.7.10.696784.13260', code: '2' } }, 'e');
  assert.equal(epic?.class, undefined);
});

test('medications from a CodeableConcept, a contained Medication or a reference to read', () => {
  const coded = readMedicationRequest(
    { resourceType: 'MedicationRequest', id: 'm1', status: 'active', medicationCodeableConcept: { text: 'acetaminophen', coding: [{ system: 'rxnorm', code: '161' }] }, dosageInstruction: [{ text: '650 mg every 4 hr' }, { patientInstruction: 'as needed' }] },
    BASE,
  );
  assert.ok(coded && coded !== EXCLUDED);
  assert.equal(coded.medication.dosage, '650 mg every 4 hr; as needed');
  assert.equal(coded.toRead, undefined);

  const contained = readMedicationRequest(
    { resourceType: 'MedicationRequest', id: 'm2', status: 'on-hold', contained: [{ resourceType: 'Medication', id: 'med', code: { text: 'amoxicillin 500 mg capsule' } }], medicationReference: { reference: '#med' } },
    BASE,
  );
  assert.ok(contained && contained !== EXCLUDED);
  assert.equal(contained.medication.display, 'amoxicillin 500 mg capsule');
  assert.equal(contained.toRead, undefined);

  const referenced = readMedicationRequest({ resourceType: 'MedicationRequest', id: 'm3', status: 'active', medicationReference: { reference: `${BASE}/Medication/abc/_history/2`, display: 'lisinopril' } }, BASE);
  assert.ok(referenced && referenced !== EXCLUDED);
  assert.equal(referenced.toRead, 'Medication/abc');
  assert.equal(referenced.medication.medicationReference, 'Medication/abc');

  assert.equal(readMedicationRequest({ resourceType: 'MedicationRequest', id: 'm4', status: 'entered-in-error', medicationCodeableConcept: { text: 'x' } }, BASE), EXCLUDED);
  assert.equal(readMedicationRequest({ resourceType: 'MedicationRequest', id: 'm5', status: 'completed', medicationCodeableConcept: { text: 'x' } }, BASE), EXCLUDED);
  assert.equal(readMedicationRequest({ resourceType: 'MedicationRequest', id: 'm6', status: 'active' }, BASE), undefined);
});

test('conditions keep their category, onset in any form, and drop entered-in-error', () => {
  const problem = readCondition({
    resourceType: 'Condition',
    id: 'c1',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '195967001', display: 'Asthma' }] },
    category: [{ coding: [{ code: 'visit-diagnosis', system: 'http://open.epic.com/x' }] }, { coding: [{ code: 'encounter-diagnosis' }] }],
    onsetAge: { value: 6, unit: 'a' },
    clinicalStatus: { coding: [{ code: 'active' }] },
  });
  assert.ok(problem && problem !== EXCLUDED);
  assert.deepEqual([problem.display, problem.category, problem.onset, problem.clinicalStatus], ['Asthma', 'encounter-diagnosis', 'age 6 a', 'active']);
  assert.equal(readCondition({ resourceType: 'Condition', id: 'c2', code: { text: 'x' }, verificationStatus: { coding: [{ code: 'entered-in-error' }] } }), EXCLUDED);
});

test('reports keep their results as Type/id; documents withdrawn by status or docStatus are excluded', () => {
  const report = readReport({ resourceType: 'DiagnosticReport', id: 'r', status: 'final', code: { text: 'CBC' }, issued: '2025-01-01', result: [{ reference: `${BASE}/Observation/o1` }, { reference: 'Observation/o2' }, { reference: '#x' }] }, BASE);
  assert.ok(report && report !== EXCLUDED);
  assert.deepEqual(report.results, ['Observation/o1', 'Observation/o2']);
  assert.equal(readReport({ resourceType: 'DiagnosticReport', id: 'r', status: 'entered-in-error', code: { text: 'CBC' } }, BASE), EXCLUDED);

  assert.equal(readDocument({ resourceType: 'DocumentReference', id: 'd1', status: 'current', docStatus: 'entered-in-error' }), EXCLUDED);
  assert.equal(readDocument({ resourceType: 'DocumentReference', id: 'd2', status: 'entered-in-error' }), EXCLUDED);
  const note = readDocument({ resourceType: 'DocumentReference', id: 'd3', status: 'current', type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] }, context: { period: { start: '2025-02-01' } } });
  assert.ok(note && note !== EXCLUDED);
  assert.deepEqual(note.note, { reference: 'DocumentReference/d3', title: 'Progress note', typeCode: '11506-3', date: '2025-02-01' });
});
