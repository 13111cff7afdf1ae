import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSeries, convertValue, observationCode, readObservations, trendOf } from './observations.ts';
import { analyteById } from './analytes.ts';

const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';
let counter = 0;

function obs(code: string | Array<{ system: string; code: string; display?: string }>, value: Record<string, unknown>, time: string, extra: Record<string, unknown> = {}) {
  counter += 1;
  const coding = typeof code === 'string' ? [{ system: LOINC, code }] : code;
  return { resourceType: 'Observation', id: `o${counter}`, status: 'final', code: { coding }, effectiveDateTime: time, ...value, ...extra };
}

const qty = (value: number, code?: string, unit?: string) => ({ valueQuantity: { value, ...(code ? { system: UCUM, code } : {}), ...(unit ? { unit } : {}) } });

function series(resources: unknown[], category: 'laboratory' | 'vital-signs' = 'laboratory') {
  const { points, texts, skipped } = readObservations(resources, category);
  return { series: buildSeries(points), texts, skipped };
}

test('LOINC is found under its OID and under Epic’s vitals system; grouping codes are ignored', () => {
  assert.equal(observationCode({ coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '2345-7' }] }), '2345-7');
  assert.equal(
    observationCode({
      coding: [
        { system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.707679', code: '14' },
        { system: 'urn:oid:1.2.246.537.6.96', code: '29463-7' },
        { system: LOINC, code: '8716-3' },
        { system: LOINC, code: '3141-9' },
      ],
    }),
    '29463-7',
  );
  // Epic's own codes ("14") are not LOINC even under the vitals system.
  assert.equal(observationCode({ coding: [{ system: 'urn:oid:1.2.246.537.6.96', code: '14' }] }), 'urn:oid:1.2.246.537.6.96|14');
  assert.equal(observationCode({ text: 'no codes' }), undefined);
});

test('blood-pressure panels split into systolic and diastolic series on the same Observation', () => {
  const bp = obs('85354-9', {}, '2025-01-01T10:00:00Z', {
    component: [
      { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: 142, unit: 'mmHg', system: UCUM, code: 'mm[Hg]' } },
      { code: { coding: [{ system: LOINC, code: '8462-4' }, { system: LOINC, code: '85354-9' }] }, valueQuantity: { value: 91, unit: 'mmHg' } },
    ],
  });
  const { series: s } = series([bp], 'vital-signs');
  assert.equal(s['8480-6']?.latest.value, 142);
  assert.equal(s['8462-4']?.latest.value, 91);
  assert.equal(s['8462-4']?.unit, 'mm[Hg]', 'Oracle’s display unit mmHg is read as mm[Hg]');
  assert.equal(s['8480-6']?.latest.reference, `Observation/${bp.id}`);
  assert.equal(s['85354-9'], undefined);
});

test('mass and molar codes of one analyte share a series in the canonical unit', () => {
  const resources = [obs('2345-7', qty(100, 'mg/dL'), '2025-01-01'), obs('14749-6', qty(5.5, 'mmol/L'), '2025-02-01')];
  const { series: s } = series(resources);
  const glucose = s['14749-6'];
  assert.ok(glucose);
  assert.equal(glucose.unit, 'mg/dL');
  assert.deepEqual(
    glucose.points.map((p) => p.value),
    [100, 99.1],
  );
  assert.deepEqual(glucose.latest.original, { value: 5.5, unit: 'mmol/L' });
  assert.deepEqual([...(glucose.codes ?? [])].sort(), ['14749-6', '2345-7']);
});

test('required conversions: creatinine, hemoglobin, HbA1c IFCC, temperature, weight, height, sodium', () => {
  const { series: s } = series([
    obs('14682-9', qty(97, 'umol/L'), '2025-01-01'),
    obs('718-7', qty(132, 'g/L'), '2025-01-01'),
    obs('59261-8', qty(53, 'mmol/mol'), '2025-01-01'),
    obs('2951-2', { valueQuantity: { value: 131, unit: 'mEq/L' } }, '2025-01-01'),
  ]);
  assert.equal(s['14682-9']?.unit, 'mg/dL');
  assert.equal(s['14682-9']?.latest.value, 1.1);
  assert.equal(s['718-7']?.latest.value, 13.2);
  assert.equal(s['718-7']?.unit, 'g/dL');
  // NGSP % = 0.0915 × IFCC + 2.15
  assert.equal(s['59261-8']?.latest.value, 7);
  assert.equal(s['59261-8']?.unit, '%');
  assert.equal(s['2951-2']?.latest.value, 131);
  assert.equal(s['2951-2']?.unit, 'mmol/L');

  const { series: v } = series(
    [
      obs('8310-5', qty(102.2, '[degF]'), '2025-01-01'),
      obs('29463-7', { valueQuantity: { value: 220, unit: 'lb' } }, '2025-01-01'),
      obs('29463-7', qty(3500, 'g'), '2024-01-01'),
      obs('8302-2', qty(70, '[in_i]'), '2025-01-01'),
    ],
    'vital-signs',
  );
  assert.equal(v['8310-5']?.latest.value, 39);
  assert.equal(v['8310-5']?.unit, 'Cel');
  assert.equal(v['29463-7']?.latest.value, 99.79);
  assert.deepEqual(
    v['29463-7']?.points.map((p) => p.value),
    [3.5, 99.79],
  );
  assert.equal(v['8302-2']?.latest.value, 178);
});

test('a generic SI prefix change converts codes Curbside has no entry for', () => {
  const { series: s } = series([obs('99999-9', qty(2, 'mg/L'), '2025-01-01'), obs('99999-9', qty(300, 'ug/L'), '2025-02-01')]);
  assert.equal(s['99999-9']?.unit, 'ug/L');
  assert.deepEqual(
    s['99999-9']?.points.map((p) => p.value),
    [2000, 300],
  );
});

test('bare values are kept in a unitless series and unconvertible in a series with units', () => {
  const { series: unitless } = series([obs('4548-4', { valueQuantity: { value: 5.1 } }, '2025-01-01')]);
  assert.equal(unitless['4548-4']?.latest.value, 5.1);
  assert.equal(unitless['4548-4']?.unit, undefined);

  const { series: mixed } = series([obs('4548-4', { valueQuantity: { value: 5.1 } }, '2025-01-01'), obs('4548-4', qty(6.2, '%'), '2025-02-01'), obs('4548-4', qty(1, 'g/dL'), '2025-03-01')]);
  assert.equal(mixed['4548-4']?.points.length, 1);
  assert.equal(mixed['4548-4']?.unconvertible, 2);
  assert.equal(mixed['4548-4']?.latest.value, 6.2);
});

test('reference ranges are converted with their values; abnormal comes from interpretation, else the range', () => {
  const flagged = obs('14749-6', qty(3.2, 'mmol/L'), '2025-01-01', {
    referenceRange: [{ low: { value: 3.9, system: UCUM, code: 'mmol/L' }, high: { value: 5.5, system: UCUM, code: 'mmol/L' } }],
    interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'LL' }] }],
  });
  const { series: s } = series([flagged]);
  const glucose = s['14749-6']!;
  assert.deepEqual(glucose.referenceRange, { low: 70.3, high: 99.1, unit: 'mg/dL' });
  assert.equal(glucose.abnormal, 'critical-low');
  assert.equal(glucose.latest.interpretation, 'LL');

  const ranged = obs('2823-3', qty(5.9, 'mmol/L'), '2025-01-01', { referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 }, text: '3.5-5.1' }] });
  assert.equal(series([ranged]).series['2823-3']?.abnormal, 'high');

  // Epic sends "(NONE)" as interpretation text; it is not a flag.
  const none = obs('2823-3', qty(4.1, 'mmol/L'), '2025-01-01', { interpretation: [{ text: '(NONE)' }], referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 } }] });
  assert.equal(series([none]).series['2823-3']?.abnormal, 'normal');
  assert.equal(series([obs('2823-3', qty(4.1, 'mmol/L'), '2025-01-01')]).series['2823-3']?.abnormal, undefined);
});

test('text, coded, pending and absent values become text results; withdrawn ones vanish', () => {
  const { texts, series: s, skipped } = series([
    obs('5802-4', { valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '10828004', display: 'Positive' }] } }, '2025-01-01'),
    obs([{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.768282', code: '1811482', display: 'Genotype:' }], { valueString: 'Genotype Value' }, '2025-01-01'),
    obs('2141-0', {}, '2025-01-01', { status: 'registered' }),
    obs('2823-3', qty(11.8, 'mmol/L'), '2025-01-01', { status: 'entered-in-error' }),
    obs('2823-3', qty(4, 'mmol/L'), '2025-01-01', { status: 'cancelled' }),
  ]);
  assert.deepEqual(
    texts.map((t) => t.text),
    ['Positive', 'Genotype Value', 'Pending'],
  );
  assert.equal(texts[1]?.code, 'urn:oid:1.2.840.114350.1.13.0.1.7.2.768282|1811482');
  assert.equal(s['2823-3'], undefined);
  assert.equal(skipped, 0);
});

test('malformed Observations are skipped, not thrown', () => {
  const { skipped, series: s } = series([
    null,
    'text',
    { resourceType: 'Observation', code: { coding: [{ system: LOINC, code: '2823-3' }] }, valueQuantity: { value: 4 }, effectiveDateTime: '2025-01-01' },
    { resourceType: 'Observation', id: 'no-code', valueQuantity: { value: 4 }, effectiveDateTime: '2025-01-01' },
    { resourceType: 'Observation', id: 'no-time', code: { coding: [{ system: LOINC, code: '2823-3' }] }, valueQuantity: { value: 4 } },
    { resourceType: 'Condition', id: 'wrong-type' },
    obs('2823-3', qty(4.2, 'mmol/L'), '2025-01-01'),
  ]);
  assert.equal(skipped, 6);
  assert.equal(s['2823-3']?.latest.value, 4.2);
});

test('duplicates from overlapping windows count once', () => {
  const one = obs('2823-3', qty(4.2, 'mmol/L'), '2025-01-01');
  const { series: s } = series([one, structuredClone(one)]);
  assert.equal(s['2823-3']?.points.length, 1);
});

test('the trend compares the latest value with the median of the three before it', () => {
  assert.equal(trendOf([5]), undefined);
  assert.equal(trendOf([70, 60, 50, 40, 30]), 'falling');
  assert.equal(trendOf([100, 101, 99, 104]), 'stable');
  // One odd earlier reading does not set the trend: the median of 10, 30, 10 is 10.
  assert.equal(trendOf([10, 30, 10, 10.5]), 'stable');
  assert.equal(trendOf([14, 20, 163]), 'rising');
  assert.equal(trendOf([0, 0, 1]), 'rising');
  // Temperature moves by an absolute step, not 10 %.
  assert.equal(trendOf([36.8, 36.9, 37.6], analyteById('temperature')), 'rising');
  assert.equal(trendOf([36.8, 36.9, 37.1], analyteById('temperature')), 'stable');
  // Sodium 137, 131, 127 then 124 is a fall although it is only 5 % below the median.
  assert.equal(trendOf([139, 137, 131, 127, 124], analyteById('sodium')), 'falling');
});

test('converted values keep one significant digit more than the lab sent', () => {
  assert.equal(convertValue(3.2, 'mmol/L', 'mg/dL', analyteById('glucose')), 57.6);
  assert.equal(convertValue(102.6, '[degF]', 'Cel', analyteById('temperature')), 39.222);
});

test('interpretation text or a code naming an Object.prototype member is not a flag', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const { series: s } = series([obs('2823-3', qty(4.1, 'mmol/L'), '2025-01-01', { interpretation: [{ text: name }], referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 } }] })]);
    const potassium = s['2823-3']!;
    assert.equal(potassium.latest.interpretation, undefined, name);
    assert.equal(potassium.abnormal, 'normal', name);
  }
  // A point carrying such a code directly (not through readObservations) is judged by its range.
  const { points } = readObservations([obs('2823-3', qty(5.9, 'mmol/L'), '2025-01-01', { referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 } }] })], 'laboratory');
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const built = buildSeries(points.map((p) => ({ ...p, interpretation: name })));
    assert.equal(built['2823-3']?.abnormal, 'high', name);
  }
});

test('an observation coded "__proto__" is kept as its own series', () => {
  const { series: s } = series([obs([{ system: '', code: '__proto__', display: 'Odd code' }], qty(1, 'mg'), '2025-01-01'), obs('2823-3', qty(4.1, 'mmol/L'), '2025-01-01')]);
  assert.deepEqual(Object.keys(s).sort(), ['2823-3', '__proto__']);
  assert.equal(Object.getPrototypeOf(s), Object.prototype);
  assert.equal(Object.hasOwn(s, '__proto__') && s['__proto__']?.display, 'Odd code');
});
