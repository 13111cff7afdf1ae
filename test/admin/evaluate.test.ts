/**
 * `npm run evaluate` as an admin runs it: two built-in cases through the reference engine, the
 * report files it writes, and a resumed run that reuses what an interrupted run had finished.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../launch/sandbox/server.ts';
import type { EvaluationReport } from '../../src/evaluation/index.ts';

function evaluate(out: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts/evaluate.ts'), '--provider', 'reference-engine', '--cases', 'built-in', '--limit', '2', '--out', out, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return run;
}

test('two built-in cases: figures printed, JSON and HTML written, progress shown, nothing left to resume', { timeout: 180_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'curbside-eval-'));
  try {
    const run = evaluate(out);
    assert.match(run.stderr, /\[1\/2\] reference-engine ckd-progression: expected at #\d/);
    assert.match(run.stderr, /\[2\/2\] reference-engine new-onset-diabetes/);
    assert.match(run.stdout, /top-3\s+100\.0%/);
    const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as EvaluationReport;
    assert.equal(report.schema, 'curbside-evaluation/1');
    assert.equal(report.caseSet.name, 'built-in');
    assert.equal(report.providers.length, 1);
    const [engine] = report.providers;
    assert.equal(engine!.key, 'reference-engine');
    assert.equal(engine!.cases.length, 2);
    assert.equal(engine!.figures.scoredCases, 2);
    assert.equal(engine!.figures.groundingRate, 1, 'every finding points at a chart fact');
    assert.equal(engine!.figures.schemaFailureRate, 0);
    assert.ok(engine!.figures.tokensSent.mean > 0);
    assert.ok(engine!.cases.every((c) => c.top.length > 0 && c.findings > 0));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<svg /);
    assert.match(html, /ckd-progression/);
    assert.ok(!readdirSync(out).some((f) => f.startsWith('.state-')), 'a finished run leaves no state to resume');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('an interrupted run resumes from its state file, reusing finished cases and running the rest', { timeout: 180_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'curbside-eval-'));
  try {
    evaluate(out, '--keep-state');
    const [stateFile] = readdirSync(out).filter((f) => f.startsWith('.state-'));
    assert.ok(stateFile, 'the state file is kept when asked');
    // What an interruption after the first case leaves behind, with a marker to see it reused.
    const state = JSON.parse(readFileSync(join(out, stateFile), 'utf8')) as { results: Record<string, { caseId: string; label: string }> };
    const keys = Object.keys(state.results);
    assert.equal(keys.length, 2);
    const first = keys.find((k) => state.results[k]!.caseId === 'ckd-progression')!;
    state.results = { [first]: { ...state.results[first]!, label: 'reused from the state file' } };
    writeFileSync(join(out, stateFile), JSON.stringify(state));

    const run = evaluate(out);
    assert.match(run.stderr, /resuming: 1 results/);
    assert.match(run.stderr, /\[1\/2\] reference-engine ckd-progression: .*\(resumed\)/);
    assert.doesNotMatch(run.stderr, /new-onset-diabetes: .*\(resumed\)/);
    const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as EvaluationReport;
    assert.equal(report.providers[0]!.cases.find((c) => c.caseId === 'ckd-progression')!.label, 'reused from the state file');
    assert.equal(report.providers[0]!.cases.length, 2);
    assert.ok(!existsSync(join(out, stateFile)), 'removed once the run finished');

    const fresh = evaluate(out, '--fresh');
    assert.doesNotMatch(fresh.stderr, /resumed/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
