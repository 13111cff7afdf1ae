import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from 'fhir/r4';
import { suggestionAcceptedEvent, suggestionRejectedEvent, suggestionsShadowEvent, suggestionsShownEvent, type AuditContext } from '../audit/events.ts';
import { auditEventsFrom, documentedFrom, parseBands, renderMonitorHtml, summariseAudit } from './monitor.ts';

const model = { provider: 'openai-compatible', name: 'M', version: '1', builtIn: false } as const;
const ctx = (day: string, patientId = 'p1'): AuditContext => ({ clinician: 'Practitioner/1', model, patientId, recorded: `${day}T10:00:00Z` });
const SCT = 'http://snomed.info/sct';
const REASON = { code: 'not-relevant', display: 'Not relevant to this patient' };

/** Two days of use: day 1 one set of three (one unverified), two accepted, one rejected; day 2 a set of two, both rejected. */
function trail(): AuditEvent[] {
  return [
    suggestionsShownEvent(ctx('2026-11-01'), {
      insightId: 'i1',
      itemIds: ['a', 'b', 'c'],
      items: [
        { id: 'a', codes: [`${SCT}|44054006`], verified: true },
        { id: 'b', codes: [`${SCT}|38341003`], verified: true },
        { id: 'c', codes: [], verified: false },
      ],
    }),
    suggestionAcceptedEvent(ctx('2026-11-01'), { insightId: 'i1', itemId: 'a' }),
    suggestionAcceptedEvent(ctx('2026-11-01'), { insightId: 'i1', itemId: 'b' }),
    suggestionRejectedEvent(ctx('2026-11-01'), { insightId: 'i1', itemId: 'c', overrideReason: REASON }),
    suggestionsShownEvent(ctx('2026-11-02'), { insightId: 'i2', itemIds: ['a', 'b'], items: [{ id: 'a', codes: [`${SCT}|44054006`], verified: true }, { id: 'b', codes: [`${SCT}|38341003`], verified: true }] }),
    suggestionRejectedEvent(ctx('2026-11-02'), { insightId: 'i2', itemId: 'a', overrideReason: REASON }),
    suggestionRejectedEvent(ctx('2026-11-02'), { insightId: 'i2', itemId: 'b', overrideReason: { code: 'already-known', display: 'Already known' } }),
    suggestionsShadowEvent(ctx('2026-11-02', 'p2'), { insightId: 's1', items: [{ id: 'x', codes: [`${SCT}|91302008`], verified: true }] }),
    suggestionsShadowEvent(ctx('2026-11-02', 'p3'), { insightId: 's2', items: [{ id: 'y', codes: [`${SCT}|1234`], verified: true }] }),
  ];
}

test('acceptance and rejection per suggestion, override reasons, unverified items, daily series', () => {
  const summary = summariseAudit(trail());
  assert.deepEqual(summary.sets, { shown: 2, shadow: 2 });
  assert.equal(summary.itemsShown, 5);
  assert.equal(summary.accepted, 2);
  assert.equal(summary.rejected, 3);
  assert.equal(summary.acceptanceRate, 2 / 5);
  assert.equal(summary.unverifiedShown, 1);
  assert.equal(summary.groundingRate, 4 / 5);
  assert.deepEqual(summary.byType.find((t) => t.type === `${SCT}|44054006`), { type: `${SCT}|44054006`, shown: 2, accepted: 1, rejected: 1 });
  assert.deepEqual(summary.byType.find((t) => t.type === 'uncoded'), { type: 'uncoded', shown: 1, accepted: 0, rejected: 1 });
  assert.deepEqual(summary.overrideReasons, [
    { reason: 'Not relevant to this patient', count: 2 },
    { reason: 'Already known', count: 1 },
  ]);
  assert.deepEqual(
    summary.days.map((d) => [d.day, d.acceptance, d.grounding]),
    [
      ['2026-11-01', 2 / 3, 2 / 3],
      ['2026-11-02', 0, 1],
    ],
  );
});

test('shadow agreement compares hidden suggestions with diagnoses documented from that day on', () => {
  const summary = summariseAudit(trail(), {
    documented: [
      { patientId: 'p2', code: '91302008', recorded: '2026-11-03' },
      { patientId: 'p3', code: '9999', recorded: '2026-11-05' },
      { patientId: 'p3', code: '1234', recorded: '2026-10-01' },
    ],
  });
  assert.deepEqual(summary.shadowAgreement, { sets: 2, compared: 2, agreed: 1, rate: 0.5 });
});

test('an alert fires when acceptance or grounding leaves its band over the window', () => {
  const inside = summariseAudit(trail(), { bands: parseBands({ acceptanceBand: [0.1, 0.9], groundingBand: [0.5, 1], windowDays: 7 }) });
  assert.deepEqual(inside.alerts, []);
  const lastDay = summariseAudit(trail(), { bands: parseBands({ acceptanceBand: [0.3, 0.9], groundingBand: [0.5, 1], windowDays: 1 }) });
  assert.equal(lastDay.alerts.length, 1);
  assert.equal(lastDay.alerts[0]!.measure, 'acceptance');
  assert.match(lastDay.alerts[0]!.message, /last 1 days is 0\.0%, outside the band 30–90%/);
  const grounding = summariseAudit(trail(), { bands: parseBands({ groundingBand: [0.9, 1] }) });
  assert.deepEqual(grounding.alerts.map((a) => a.measure), ['grounding']);
  assert.throws(() => parseBands({ acceptanceBand: [0.9, 0.1] }), /acceptanceBand/);
  assert.match(renderMonitorHtml(lastDay), /role="alert"/);
  assert.equal((renderMonitorHtml(lastDay).match(/<svg /g) ?? []).length, 2);
});

test('exports are read as an array, a Bundle or NDJSON, and Conditions give documented diagnoses', () => {
  const events = trail();
  const condition = { resourceType: 'Condition', subject: { reference: 'Patient/p2' }, code: { coding: [{ system: SCT, code: '91302008' }] }, recordedDate: '2026-11-03' };
  assert.equal(auditEventsFrom(JSON.stringify(events)).length, events.length);
  const bundle = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [...events, condition].map((resource) => ({ resource })) });
  assert.equal(auditEventsFrom(bundle).length, events.length);
  assert.equal(auditEventsFrom(events.map((e) => JSON.stringify(e)).join('\n')).length, events.length);
  assert.deepEqual(documentedFrom(bundle), [{ patientId: 'p2', code: '91302008', recorded: '2026-11-03' }]);
});

test('npm run monitor: prints the figures, writes the report, exits 1 on an alert', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'curbside-monitor-'));
  try {
    writeFileSync(join(dir, 'audit.json'), JSON.stringify(trail()));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ monitoring: { acceptanceBand: [0.5, 1] } }));
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../scripts/monitor.ts'), join(dir, 'audit.json'), '--config', join(dir, 'config.json'), '--out', dir], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /accepted 2, rejected 3 \(acceptance 40\.0%\)/);
    assert.match(run.stdout, /ALERT: Acceptance/);
    assert.match(readFileSync(join(dir, 'monitor.html'), 'utf8'), /<svg /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
