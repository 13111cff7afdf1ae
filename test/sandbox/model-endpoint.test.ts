/**
 * The sandbox's model endpoint, driven by Curbside's own OpenAI-compatible provider over real
 * HTTP: the same path `npm start` takes, its answer grounded against the case, and each fault.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../launch/sandbox/server.ts';
import { DEFAULT_MODEL_FAULTS } from '../../launch/sandbox/model/model-endpoint.ts';
import { createOpenAICompatibleProvider, groundInsight, InsightError, type InsightProgress } from '../../src/insight/index.ts';
import { CASE, PREPARED } from '../msw/insight-fixtures.ts';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({ quiet: true, largePatientObservations: 100, loadSynthea: false });
});
after(() => sandbox?.close());

function provider(options: { stream?: boolean; idleTimeoutMs?: number; maxAttempts?: number } = {}) {
  return createOpenAICompatibleProvider({
    endpoint: `${sandbox.ehrOrigin}/model/v1/chat/completions`,
    model: 'curbside-reference',
    name: 'Curbside reference engine (sandbox endpoint)',
    version: '1',
    backoff: { initialMs: 10, maxMs: 20 },
    ...options,
  });
}

function withFaults(patch: Partial<typeof DEFAULT_MODEL_FAULTS>): () => void {
  Object.assign(sandbox.settings.model, patch);
  return () => Object.assign(sandbox.settings.model, DEFAULT_MODEL_FAULTS);
}

describe('sandbox model endpoint', () => {
  test('streams a schema-valid answer whose findings ground in the case', async () => {
    const progress: InsightProgress[] = [];
    const result = await provider().generate({ task: { kind: 'differential' }, case: CASE }, { onProgress: (p) => progress.push(p) });
    assert.ok(result.output.differential.length > 0);
    assert.ok(progress.filter((p) => p.kind === 'text').length > 3, 'the answer arrived in pieces');
    assert.ok(result.usage && result.usage.completionTokens > 0);
    const insight = groundInsight(result, PREPARED, { kind: 'differential' });
    const findings = insight.differential.flatMap((d) => [...d.supporting, ...d.opposing]);
    assert.ok(findings.length > 0 && findings.every((f) => f.verified), 'every finding points at a fact of the case');
  });

  test('answers without streaming too, and an evidence question', async () => {
    const result = await provider({ stream: false }).generate({ task: { kind: 'evidence', question: 'What does KDIGO say about metformin at low eGFR?' }, case: CASE }, {});
    assert.equal(typeof result.output.summary, 'string');
    assert.ok(result.output.summary.length > 0);
  });

  test('a model that answers garbage is an invalid-output error with the raw text kept', async () => {
    const restore = withFaults({ garbage: true });
    try {
      await assert.rejects(provider().generate({ task: { kind: 'differential' }, case: CASE }, {}), (e: unknown) => e instanceof InsightError && e.kind === 'invalid-output' && Boolean(e.raw?.includes('probably fine')));
    } finally {
      restore();
    }
  });

  test('500 and 429 are retried and then reported; a stalled stream times out', async () => {
    let restore = withFaults({ failStatus: 500 });
    try {
      await assert.rejects(provider({ maxAttempts: 2 }).generate({ task: { kind: 'differential' }, case: CASE }, {}), (e: unknown) => e instanceof InsightError && e.kind === 'server');
    } finally {
      restore();
    }
    restore = withFaults({ failStatus: 429 });
    try {
      const started = performance.now();
      await assert.rejects(provider({ maxAttempts: 2 }).generate({ task: { kind: 'differential' }, case: CASE }, {}), (e: unknown) => e instanceof InsightError && e.kind === 'rate-limited');
      assert.ok(performance.now() - started >= 900, 'retry-after-ms 1000 was honoured');
    } finally {
      restore();
    }
    restore = withFaults({ stallAfterChunks: 2 });
    try {
      await assert.rejects(provider({ idleTimeoutMs: 300 }).generate({ task: { kind: 'differential' }, case: CASE }, {}), (e: unknown) => e instanceof InsightError && e.kind === 'timeout');
    } finally {
      restore();
    }
  });

  test('a request that is not Curbside’s is refused with 400', async () => {
    const res = await fetch(`${sandbox.ehrOrigin}/model/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'write me a poem' }] }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_messages');
  });
});
