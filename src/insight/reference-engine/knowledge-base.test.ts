import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONDITIONS, REFERENCES } from './index.ts';
import { recordedStage } from './knowledge-base/shared.ts';

const GUIDELINES = fileURLToPath(new URL('../../../../shared/references/guidelines.md', import.meta.url));
const guidelinesSkip = existsSync(GUIDELINES) ? {} : { skip: '../shared/references/guidelines.md is absent' };

const SNOMED = /^\d{6,18}$/;
const ICD10 = /^[A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?$/;

test('at least 40 coded conditions, with unique ids and unique, well-formed SNOMED CT and ICD-10-CM codes', () => {
  const diagnoses = CONDITIONS.filter((c) => c.kind === 'diagnosis');
  assert.ok(diagnoses.length >= 40, `${diagnoses.length} diagnoses`);
  assert.equal(new Set(CONDITIONS.map((c) => c.id)).size, CONDITIONS.length, 'unique ids');
  for (const c of diagnoses) {
    assert.match(c.snomed ?? '', SNOMED, `${c.id} SNOMED`);
    assert.match(c.icd10 ?? '', ICD10, `${c.id} ICD-10-CM`);
  }
  const snomed = diagnoses.map((c) => c.snomed);
  assert.equal(new Set(snomed).size, snomed.length, 'no SNOMED code is used twice');
  const pairs = diagnoses.map((c) => `${c.snomed}|${c.icd10}`);
  assert.equal(new Set(pairs).size, pairs.length);
});

test('medication-safety entries are not dressed up as diagnoses', () => {
  const safety = CONDITIONS.filter((c) => c.kind === 'safety');
  assert.ok(safety.length >= 5);
  for (const c of safety) {
    assert.equal(c.snomed, null, c.id);
    assert.equal(c.icd10, null, c.id);
    assert.match(c.name, /^Medication safety: /);
  }
});

test('every entry explains itself: key facts, keywords, citations with its own paraphrase; rare ones start lower', () => {
  for (const c of CONDITIONS) {
    assert.ok(c.keyFacts.length > 0, `${c.id} key facts`);
    assert.ok(c.keywords.length > 0, `${c.id} keywords`);
    assert.ok(c.citations.length > 0, `${c.id} citations`);
    for (const use of c.citations) {
      assert.ok(REFERENCES[use.ref], `${c.id} cites a known reference`);
      assert.ok(use.quote.length > 40 && use.quote !== REFERENCES[use.ref].title, `${c.id}: a paraphrase, not the title`);
    }
    if (c.rarity) assert.ok(c.prior < 0, `${c.id} is rare, so its prior is negative`);
  }
  assert.ok(CONDITIONS.some((c) => c.rarity && c.cantMiss), 'rare can\'t-miss conditions exist');
});

/** The checked list's table rows as cells: topic, reference, DOI, PMID, URL, status. */
function guidelineRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---') && !line.startsWith('| topic'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

test('each reference matches a checked, usable row of the guideline list exactly', guidelinesSkip, () => {
  const rows = guidelineRows(readFileSync(GUIDELINES, 'utf8'));
  assert.ok(rows.length > 40);
  for (const [key, ref] of Object.entries(REFERENCES)) {
    const row = ref.doi ? rows.find((r) => r[2]?.split(/[;\s]/).includes(ref.doi!)) : rows.find((r) => r[4] === ref.url);
    assert.ok(row, `${key}: a row with ${ref.doi ?? ref.url}`);
    const [, , doiCell = '', pmidCell = '', urlCell = '', status = ''] = row;
    assert.doesNotMatch(status, /unverified/i, `${key} is not an unverified entry`);
    if (ref.doi) assert.ok(!new RegExp(`${ref.doi.replace(/[.()]/g, '\\$&')}\\s*†`).test(doiCell), `${key}: its DOI is not single-sourced`);
    if (ref.pmid) {
      assert.ok(pmidCell.split(/[^\d]+/).includes(ref.pmid), `${key}: PMID ${ref.pmid} is the row's PMID`);
      assert.doesNotMatch(pmidCell, /†|not confirmed|unresolved/, `${key}: PMID is confirmed`);
    } else {
      assert.ok(/^—|^not confirmed|^\*\*unresolved|†/.test(pmidCell), `${key}: PMID left blank only where the list has none usable (${pmidCell})`);
    }
    if (ref.url && !ref.doi) assert.equal(urlCell, ref.url);
  }
});

test('a CKD problem coded with an Object.prototype member name has no recorded stage from its code', () => {
  for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(recordedStage('Chronic kidney disease', [{ code }]), undefined, code);
  assert.equal(recordedStage('Chronic kidney disease', [{ code: 'N18.32' }]), 'G3b');
});
