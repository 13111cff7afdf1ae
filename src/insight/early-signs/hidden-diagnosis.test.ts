import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateHiddenDiagnoses, formatHiddenReport } from '../../../test/evaluate/hidden-diagnosis.ts';

test('hidden diagnoses are found again: at least 90 % overall and 70 % by early signs alone', async () => {
  const report = await evaluateHiddenDiagnoses();
  console.log(formatHiddenReport(report));
  assert.ok(report.results.length >= 12);
  assert.ok(report.recall.either >= 0.9, `overall recall ${report.recall.either}`);
  assert.ok(report.recall.signs >= 0.7, `early-sign recall ${report.recall.signs}`);
  for (const key of ['ckd-progression', 'new-onset-diabetes', 'undiagnosed-hypertension', 'myeloma-pattern', 'adrenal-insufficiency-pattern']) {
    assert.ok(report.results.find((r) => r.key === key)?.bySigns, `${key} found by early signs`);
  }
});
