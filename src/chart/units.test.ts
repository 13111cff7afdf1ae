import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertUnit, isKnownUnit, normalizeUnitText, quantityUnit } from './units.ts';

const close = (actual: number | undefined, expected: number, tolerance = 1e-6) => {
  assert.ok(actual !== undefined, `expected ${expected}, got undefined`);
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `expected ${expected}, got ${actual}`);
};

test('mass and amount of substance convert through the molar mass', () => {
  close(convertUnit(5, 'mmol/L', 'mg/dL', { molarMass: 180.156 }), 90.078);
  close(convertUnit(90.078, 'mg/dL', 'mmol/L', { molarMass: 180.156 }), 5);
  close(convertUnit(88.4, 'umol/L', 'mg/dL', { molarMass: 113.12 }), 1.0, 1e-3);
  // Without a molar mass the dimensions differ and nothing is guessed.
  assert.equal(convertUnit(5, 'mmol/L', 'mg/dL'), undefined);
});

test('metric prefixes change within one dimension', () => {
  close(convertUnit(140, 'g/L', 'g/dL'), 14);
  close(convertUnit(7, '10*9/L', '10*3/uL'), 7);
  close(convertUnit(1, 'ng/mL', 'ug/L'), 1);
  close(convertUnit(3500, 'g', 'kg'), 3.5);
  close(convertUnit(1, 'mL/min', 'L/h'), 0.06);
});

test('customary units and offset temperatures', () => {
  close(convertUnit(180, '[lb_av]', 'kg'), 81.6466266);
  close(convertUnit(16, '[oz_av]', 'kg'), 0.45359237);
  close(convertUnit(70, '[in_i]', 'cm'), 177.8);
  close(convertUnit(6, '[ft_i]', 'cm'), 182.88);
  close(convertUnit(102.2, '[degF]', 'Cel'), 39);
  close(convertUnit(37, 'Cel', '[degF]'), 98.6);
  close(convertUnit(1, 'kPa', 'mm[Hg]'), 7.50062, 1e-5);
  assert.equal(convertUnit(37, 'Cel', 'kg'), undefined);
});

test('equivalents convert to moles by valence', () => {
  close(convertUnit(140, 'meq/L', 'mmol/L', { valence: 1 }), 140);
  close(convertUnit(5, 'meq/L', 'mmol/L', { valence: 2 }), 2.5);
  assert.equal(convertUnit(140, 'meq/L', 'mmol/L'), undefined);
});

test('a ratio of mass to amount converts to a mass ratio (urine ACR mg/mmol to mg/g)', () => {
  close(convertUnit(3, 'mg/mmol', 'mg/g', { molarMass: 113.12 }), 26.5205, 1e-4);
});

test('annotations count for nothing, so eGFR spellings agree', () => {
  close(convertUnit(60, 'mL/min', 'mL/min/{1.73_m2}'), 60);
  assert.equal(isKnownUnit('{cells}/uL'), true);
});

test('unknown units are not converted', () => {
  assert.equal(convertUnit(1, 'Blank', 'mg/dL'), undefined);
  assert.equal(isKnownUnit('beats'), false);
  assert.equal(convertUnit(4, 'Blank', 'Blank'), 4, 'identical text is the same unit');
});

test('display spellings become UCUM', () => {
  const cases: Array<[string, string]> = [
    ['mmHg', 'mm[Hg]'],
    ['degC', 'Cel'],
    ['°F', '[degF]'],
    ['mcg', 'ug'],
    ['mcmol/L', 'umol/L'],
    ['10*6/µL', '10*6/uL'],
    ['μmol/L', 'umol/L'],
    ['x10E3/uL', '10*3/uL'],
    ['K/uL', '10*3/uL'],
    ['10^9/L', '10*9/L'],
    ['mIU/L', 'm[IU]/L'],
    ['mEq/L', 'meq/L'],
    ['mL/min/1.73m2', 'mL/min/{1.73_m2}'],
    ['lb', '[lb_av]'],
    ['beats/minute', '/min'],
    ['mm/hr', 'mm/h'],
  ];
  for (const [display, ucum] of cases) {
    assert.equal(normalizeUnitText(display), ucum, display);
    assert.ok(isKnownUnit(ucum), ucum);
  }
});

test('the UCUM code wins when the quantity says it is UCUM; else the display unit is read', () => {
  assert.equal(quantityUnit({ value: 28, unit: 'degC', system: 'http://unitsofmeasure.org', code: 'Cel' }), 'Cel');
  assert.equal(quantityUnit({ value: 32, unit: 'mcmol/L', system: 'http://unitsofmeasure.org', code: 'umol/L' }), 'umol/L');
  assert.equal(quantityUnit({ value: 4.8, unit: '10*6/µL' }), '10*6/uL');
  assert.equal(quantityUnit({ value: 5.1 }), undefined);
  assert.equal(quantityUnit({ value: 1, unit: 'mg', system: 'http://example.org/units', code: 'MG' }), 'mg');
});

test('Object.prototype member names are unknown units, not table entries', () => {
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    assert.equal(isKnownUnit(name), false, name);
    assert.equal(convertUnit(1, name, 'g'), undefined, name);
    assert.equal(convertUnit(1, 'g', name), undefined, name);
    // Unrecognised text is returned as it came, like any other unknown unit.
    assert.equal(normalizeUnitText(name), name);
    assert.equal(quantityUnit({ value: 1, unit: name }), name);
  }
});
