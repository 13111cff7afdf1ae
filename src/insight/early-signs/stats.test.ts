import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point } from '../reference-engine/case-view.ts';
import { confirmed, lastAll, theilSenPerYear } from './stats.ts';

const yearly = (values: readonly number[]): Point[] => values.map((value, i) => ({ id: `o${i}`, daysAgo: (values.length - 1 - i) * 365.25, value, order: i }));

test('Theil–Sen: the slope of a steady decline, unmoved by one wild value', () => {
  assert.equal(theilSenPerYear(yearly([70, 65, 60, 55, 50]))!.toFixed(1), '-5.0');
  assert.equal(theilSenPerYear(yearly([70, 65, 5, 55, 50]))!.toFixed(1), '-5.0');
  assert.equal(theilSenPerYear(yearly([70])), undefined);
  const many = Array.from({ length: 2000 }, (_, i) => ({ id: `p${i}`, daysAgo: (2000 - i) / 2, value: 100 - i / 365.25, order: i }));
  assert.equal(theilSenPerYear(many)!.toFixed(2), '-2.00');
});

test('confirmation needs two days and a latest result that agrees', () => {
  const high = (x: number): boolean => x >= 6.5;
  assert.equal(confirmed(yearly([6.7, 6.9]), high)?.length, 2);
  assert.equal(confirmed(yearly([5.4, 7.1]), high), undefined);
  assert.equal(confirmed(yearly([6.8, 6.6, 5.6]), high), undefined);
  const sameDay = [{ id: 'a', daysAgo: 1.2, value: 7, order: 0 }, { id: 'b', daysAgo: 1.1, value: 7.1, order: 1 }];
  assert.equal(confirmed(sameDay, high), undefined);
  assert.equal(lastAll(yearly([70, 40, 41]), 2, (x) => x < 60), true);
  assert.equal(lastAll(yearly([70, 71, 40]), 2, (x) => x < 60), false);
});
