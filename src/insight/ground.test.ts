import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groundInsight, icd10cmCode, ICD10CM_SYSTEM, normaliseDoi, normalisePmid, safeUrl, SNOMED_SYSTEM, snomedConceptId } from './ground.ts';
import { parseModelOutput } from './schema.ts';
import type { ModelIdentity, ProviderResult } from './types.ts';
import { PREPARED, wireOutput } from '../../test/msw/insight-fixtures.ts';

const MODEL: ModelIdentity = { provider: 'azure-foundry', name: 'gpt-test', version: '2025-01-01', builtIn: false };
const NOW = new Date('2026-03-01T12:00:00Z');

function result(output: Record<string, unknown>): ProviderResult {
  const raw = JSON.stringify(output);
  const parsed = parseModelOutput(raw);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  return { output: parsed.output, raw, model: MODEL };
}

test('maps cited fact ids back to FHIR references and marks the finding verified', () => {
  const insight = groundInsight(result(wireOutput()), PREPARED, { kind: 'differential' }, NOW);
  const finding = insight.differential[0]!.supporting[0]!;
  assert.deepEqual(finding.references, ['Observation/a1c-new', 'Observation/a1c-old']);
  assert.equal(finding.verified, true);
  assert.equal(insight.createdAt, '2026-03-01T12:00:00.000Z');
  assert.deepEqual(insight.model, MODEL);
  assert.deepEqual(insight.task, { kind: 'differential' });
});

test('an unknown fact id leaves the finding unverified but keeps the ids that do resolve', () => {
  const insight = groundInsight(result(wireOutput({ factIds: 'F5 F99' })), PREPARED, { kind: 'differential' }, NOW);
  const finding = insight.differential[0]!.supporting[0]!;
  assert.equal(finding.verified, false);
  assert.deepEqual(finding.references, ['Observation/a1c-new']);
});

test('a finding that cites no fact is unverified', () => {
  const insight = groundInsight(result(wireOutput({ factIds: '' })), PREPARED, { kind: 'differential' }, NOW);
  assert.equal(insight.differential[0]!.supporting[0]!.verified, false);
  assert.deepEqual(insight.differential[0]!.supporting[0]!.references, []);
});

test('citations: a javascript: URL is dropped, a DOI or PMID verifies, nothing resolvable does not', () => {
  const evil = groundInsight(result(wireOutput({ url: 'javascript:alert(document.cookie)', doi: null })), PREPARED, { kind: 'differential' }, NOW);
  const citation = evil.differential[0]!.citations[0]!;
  assert.equal(citation.url, null);
  assert.equal(citation.verified, false);

  const doi = groundInsight(result(wireOutput({ url: 'data:text/html,<script>1</script>', doi: 'https://doi.org/10.2337/dc24-S002' })), PREPARED, { kind: 'differential' }, NOW);
  assert.equal(doi.differential[0]!.citations[0]!.url, null);
  assert.equal(doi.differential[0]!.citations[0]!.doi, '10.2337/dc24-S002');
  assert.equal(doi.differential[0]!.citations[0]!.verified, true);

  const output = wireOutput({ url: null, doi: 'not a doi' }) as { differential: Array<{ citations: Array<Record<string, unknown>> }> };
  output.differential[0]!.citations[0]!.pmid = 'PMID: 38078589';
  const pmid = groundInsight(result(output), PREPARED, { kind: 'differential' }, NOW).differential[0]!.citations[0]!;
  assert.equal(pmid.doi, null);
  assert.equal(pmid.pmid, '38078589');
  assert.equal(pmid.verified, true);
});

test('identifier checks', () => {
  assert.equal(normaliseDoi('doi:10.1056/NEJMoa2034577'), '10.1056/NEJMoa2034577');
  assert.equal(normaliseDoi('10.12/x'), undefined, 'registrant needs 4 to 9 digits');
  assert.equal(normalisePmid('12345678'), '12345678');
  assert.equal(normalisePmid('PMC1234567'), undefined);
  assert.equal(safeUrl('https://pubmed.ncbi.nlm.nih.gov/38078589/'), 'https://pubmed.ncbi.nlm.nih.gov/38078589/');
  assert.equal(safeUrl('  JavaScript:alert(1)'), undefined);
  assert.equal(safeUrl('vbscript:msgbox'), undefined);
  assert.equal(safeUrl('ftp://example.org/paper.pdf'), undefined);
  assert.equal(safeUrl('https://user:pw@example.org/'), undefined);
  assert.equal(safeUrl('/relative/path'), undefined);
});

test('codes land in the right systems; malformed codes are dropped', () => {
  const insight = groundInsight(result(wireOutput()), PREPARED, { kind: 'differential' }, NOW);
  assert.deepEqual(insight.differential[0]!.codes, [
    { system: SNOMED_SYSTEM, code: '44054006', display: 'Type 2 diabetes mellitus' },
    { system: ICD10CM_SYSTEM, code: 'E11.9', display: 'Type 2 diabetes mellitus' },
  ]);
  assert.deepEqual(insight.differential[1]!.codes, [{ system: ICD10CM_SYSTEM, code: 'E11.10', display: 'Diabetic ketoacidosis' }]);
  for (const valid of ['44054006', '22298006', '38341003', '195967001']) assert.equal(snomedConceptId(valid), valid);
  assert.equal(snomedConceptId('44054007'), undefined, 'wrong check digit');
  assert.equal(snomedConceptId('12345'), undefined);
  assert.equal(icd10cmCode('e119'), 'E11.9');
  assert.equal(icd10cmCode('I10'), 'I10');
  assert.equal(icd10cmCode('Diabetes'), undefined);
});

test('probability kept only between 0 and 1; item ids are stable and distinct', () => {
  const output = wireOutput() as { differential: Array<Record<string, unknown>> };
  output.differential[0]!.probability = 80;
  const first = groundInsight(result(output), PREPARED, { kind: 'differential' }, NOW);
  assert.equal(first.differential[0]!.probability, undefined);
  assert.equal('probability' in first.differential[0]!, false);
  const again = groundInsight(result(output), PREPARED, { kind: 'differential' }, new Date('2026-03-02T00:00:00Z'));
  assert.deepEqual(first.differential.map((d) => d.id), again.differential.map((d) => d.id));
  assert.notEqual(first.differential[0]!.id, first.differential[1]!.id);
  assert.notEqual(first.id, again.id, 'each insight gets its own id');
  const ok = groundInsight(result(wireOutput()), PREPARED, { kind: 'differential' }, NOW);
  assert.equal(ok.differential[0]!.probability, 0.8);
});
