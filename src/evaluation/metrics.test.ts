import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeMatches, percentile, rankOf, ResumeState, summarise, type CaseResult } from './index.ts';
import { parseGold } from './gold.ts';
import { barChartSvg, renderReportHtml } from './report-html.ts';

function result(overrides: Partial<CaseResult>): CaseResult {
  return {
    caseId: 'c',
    label: 'case',
    provider: 'p',
    expected: ['X'],
    rank: 0,
    findings: 4,
    groundedFindings: 4,
    citations: 2,
    unverifiedCitations: 0,
    schemaFailure: false,
    latencyMs: 10,
    tokensSent: 100,
    top: [],
    ...overrides,
  };
}

test('percentiles by nearest rank', () => {
  assert.equal(percentile([], 50), 0);
  assert.equal(percentile([5], 95), 5);
  assert.equal(percentile([4, 1, 3, 2], 50), 2);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 95), 19);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 100), 100);
});

test('codes match exactly or by a PREFIX* pattern; rank is the first item with an expected code', () => {
  assert.ok(codeMatches('E11.9', ['E11*']));
  assert.ok(!codeMatches('E1', ['E11*']));
  assert.ok(codeMatches('44054006', ['44054006']));
  assert.ok(!codeMatches('440540061', ['44054006']));
  const items = [{ codes: ['1'] }, { codes: ['2', 'E11.65'] }, { codes: ['44054006'] }];
  assert.equal(rankOf(items, ['E11*', '44054006']), 1);
  assert.equal(rankOf(items, ['9']), -1);
  assert.equal(rankOf(items, []), -1, 'nothing expected is never a hit');
});

test('accuracy counts scored cases only; rates pool findings and citations across cases', () => {
  const figures = summarise([
    result({ caseId: 'a', rank: 0, cantMissCaught: true, latencyMs: 10 }),
    result({ caseId: 'b', rank: 2, cantMissCaught: false, findings: 6, groundedFindings: 3, citations: 2, unverifiedCitations: 1, latencyMs: 30 }),
    result({ caseId: 'c', rank: 7, latencyMs: 20 }),
    result({ caseId: 'd', rank: -1, latencyMs: 40 }),
    result({ caseId: 'e', expected: [], rank: -1, latencyMs: 50 }),
    result({ caseId: 'f', rank: -1, schemaFailure: true, error: { kind: 'invalid-output', message: 'bad' }, findings: 0, groundedFindings: 0, citations: 0, latencyMs: 1, tokensSent: 100 }),
  ]);
  assert.equal(figures.cases, 6);
  assert.equal(figures.scoredCases, 5);
  assert.equal(figures.top1, 1 / 5);
  assert.equal(figures.top3, 2 / 5);
  assert.equal(figures.top10, 3 / 5);
  assert.equal(figures.cantMissRecall, 1 / 2);
  assert.equal(figures.cantMissCases, 2);
  assert.equal(figures.groundingRate, (4 + 3 + 4 + 4 + 4) / (4 + 6 + 4 + 4 + 4));
  assert.equal(figures.unverifiedCitationRate, 1 / 10);
  assert.equal(figures.schemaFailureRate, 1 / 6);
  assert.equal(figures.errorRate, 1 / 6);
  // The failed case's 1 ms is left out of latency: a failure would otherwise look fast.
  assert.deepEqual(figures.latencyMs, { p50: 30, p95: 50 });
  assert.deepEqual(figures.tokensSent, { mean: 100, total: 600 });
});

test('no findings, citations or can\'t-miss cases give "no figure", not a perfect one', () => {
  const figures = summarise([result({ findings: 0, groundedFindings: 0, citations: 0 })]);
  assert.equal(figures.groundingRate, null);
  assert.equal(figures.unverifiedCitationRate, null);
  assert.equal(figures.cantMissRecall, null);
  assert.equal(summarise([]).top1, 0);
});

test('resume state: kept for the same run, dropped for another', () => {
  const state = new ResumeState('run-1');
  state.set(result({ caseId: 'a', provider: 'p' }));
  const saved = JSON.parse(JSON.stringify(state)) as unknown;
  assert.equal(ResumeState.from(saved, 'run-1').get('p', 'a')?.caseId, 'a');
  assert.equal(ResumeState.from(saved, 'run-2').size, 0);
  assert.equal(ResumeState.from(undefined, 'run-1').size, 0);
});

test('gold files are checked', () => {
  const gold = parseGold({ cases: [{ file: 'a.json', expected: ['I10'], withhold: ['38341003'] }] });
  assert.deepEqual(gold.cases[0], { file: 'a.json', label: 'a.json', expected: ['I10'], withhold: ['38341003'], cantMiss: [] });
  assert.throws(() => parseGold({ cases: [{ file: 'a.json' }, { file: 'a.json' }] }), /twice/);
  assert.throws(() => parseGold({ cases: [{ file: 'a.json', expected: 'I10' }] }), /array of codes/);
  assert.throws(() => parseGold([]), /"cases"/);
});

test('the HTML report escapes what models wrote and draws its charts inline', () => {
  const html = renderReportHtml({
    schema: 'curbside-evaluation/1',
    generatedAt: '2026-11-25T00:00:00.000Z',
    caseSet: { name: 'set', description: 'd', cases: 1 },
    providers: [
      {
        key: 'p',
        identity: { provider: 'openai-compatible', name: 'M', version: '1', builtIn: false },
        figures: summarise([result({})]),
        cases: [result({ top: [{ condition: '<img src=x onerror=alert(1)>', codes: [], likelihood: 'high', cantMiss: false }] })],
      },
    ],
  });
  assert.ok(!html.includes('<img src=x'));
  assert.ok(html.includes('&#60;img src=x'));
  assert.ok(!/<script/i.test(html));
  assert.equal((html.match(/<svg /g) ?? []).length, 2);
  assert.match(barChartSvg('t', [{ label: 'Top-1', values: [0.5] }], ['p']), /width="160.0"/);
});

test('"About this AI" gets the figures for its own model only, in words', async () => {
  const { measuredPerformance } = await import('./about.ts');
  const report = {
    schema: 'curbside-evaluation/1',
    generatedAt: '2026-11-25T16:00:00.000Z',
    caseSet: { name: 'built-in', description: 'synthetic', cases: 2 },
    providers: [{ key: 'm', identity: { provider: 'openai-compatible', name: 'M', version: '2', builtIn: false }, figures: summarise([result({ rank: 1 }), result({ rank: 0 })]), cases: [] }],
  };
  const shown = measuredPerformance(report, { provider: 'openai-compatible', name: 'M', version: '2', builtIn: true });
  assert.equal(shown?.date, '2026-11-25');
  assert.equal(shown?.figures['Expected diagnosis ranked first'], '50 %');
  assert.equal(shown?.figures['Expected diagnosis in the top 3'], '100 %');
  assert.equal(measuredPerformance(report, { provider: 'openai-compatible', name: 'M', version: '3', builtIn: false }), undefined, 'another version was not measured');
  assert.equal(measuredPerformance({ schema: 'other' }, { provider: 'reference-engine', name: 'x', version: '1', builtIn: true }), undefined);
});
