import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateTokens } from './tokens.ts';

test('pieces are costed as byte-pair tokenizers split them', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('value'), 1);
  assert.equal(estimateTokens('hydrochlorothiazide'), 4);
  assert.equal(estimateTokens('139.5'), 3);
  assert.equal(estimateTokens('1234567'), 3);
  assert.equal(estimateTokens('":"'), 1);
  assert.equal(estimateTokens('a b'), 2);
  assert.equal(estimateTokens('a\n\nb'), 3);
  assert.equal(estimateTokens('é'), 1);
  assert.equal(estimateTokens('李秀英'), 6);
});

test('prose comes out near 4 characters a token and compact JSON near 3', () => {
  const prose =
    'Admitted with three days of worsening breathlessness, orthopnoea and ankle swelling; weight up about 3.5 kg. Treated with intravenous furosemide with good diuresis; oxygen weaned on day 2.';
  const json = JSON.stringify({ id: 'F12', daysAgo: 30, value: 139.5, flag: 'H', display: 'Sodium', unit: 'mmol/L', referenceLow: 135, referenceHigh: 145 });
  const proseRatio = prose.length / estimateTokens(prose);
  const jsonRatio = json.length / estimateTokens(json);
  assert.ok(proseRatio > 3.6 && proseRatio < 4.8, `prose ${proseRatio.toFixed(2)} characters a token`);
  assert.ok(jsonRatio > 2.6 && jsonRatio < 3.6, `JSON ${jsonRatio.toFixed(2)} characters a token`);
});

test('the estimate adds up over JSON pieces, which the raw-FHIR estimate relies on', () => {
  const whole = '{"id":"big-10-obs-00042","effectiveDateTime":"2024-03-05T14:30:00Z","valueQuantity":{"value":139.5}}';
  const template = '{"id":"x","effectiveDateTime":"x","valueQuantity":{"value":0}}';
  assert.equal(estimateTokens(whole), estimateTokens(template) - 3 + estimateTokens('big-10-obs-00042') + estimateTokens('2024-03-05T14:30:00Z') + estimateTokens('139.5'));
});
