import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childVitalRange, ckdEpi2021, creatinineMgDl, creatinineUmolL, glucoseMgDl, glucoseMmolL, haemoglobinLowerLimit } from './population.ts';

test('CKD-EPI 2021 without race: published worked values and the cases it refuses', () => {
  // 142 × (1.0/0.9)^−1.2 × 0.9938^50 for a man of 50 with creatinine 1.0 mg/dL.
  assert.equal(Math.round(ckdEpi2021(1.0, 50, 'male')!), 92);
  // At κ the min/max terms are 1: 142 × 0.9938^50 × 1.012 for a woman with creatinine 0.7.
  assert.equal(Math.round(ckdEpi2021(0.7, 50, 'female')!), 105);
  assert.ok(ckdEpi2021(2.0, 70, 'male')! < 36 && ckdEpi2021(2.0, 70, 'male')! > 33);
  assert.equal(ckdEpi2021(1.0, 12, 'male'), undefined, 'not for children');
  assert.equal(ckdEpi2021(1.0, 50, 'unknown'), undefined, 'sex decides the coefficients');
});

test('haemoglobin thresholds by sex, age band and pregnancy when the lab gives none', () => {
  assert.equal(haemoglobinLowerLimit(40, 'male'), 13);
  assert.equal(haemoglobinLowerLimit(40, 'female'), 12);
  assert.equal(haemoglobinLowerLimit(30, 'female', true), 11);
  assert.equal(haemoglobinLowerLimit(3, 'male'), 11);
  assert.equal(haemoglobinLowerLimit(8, 'female'), 11.5);
});

test("children's heart and respiratory rates by age band; none for adults", () => {
  assert.deepEqual(childVitalRange('respiratory-rate', 0.5), { low: 30, high: 53, unit: '/min' });
  assert.equal(childVitalRange('heart-rate', 6)!.high, 120);
  assert.equal(childVitalRange('heart-rate', 30), undefined);
});

test('glucose and creatinine convert between mass and molar units (through src/chart/units.ts)', () => {
  assert.equal(Math.round(glucoseMgDl(7.0, 'mmol/L')!), 126);
  assert.equal(glucoseMmolL(126, 'mg/dL')!.toFixed(1), '7.0');
  assert.equal(Math.round(creatinineUmolL(1.0, 'mg/dL')!), 88);
  assert.equal(creatinineMgDl(177, 'umol/L')!.toFixed(2), '2.00');
  assert.equal(glucoseMgDl(7, 'mg/L/h'), undefined);
});
