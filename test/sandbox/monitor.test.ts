/**
 * The sandbox's monitoring page over HTTP: AuditEvents posted to its audit sink and stored on its
 * FHIR server, summed up as the hospital's monitoring would (rates, reasons, shadow agreement, alerts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Condition } from 'fhir/r4';
import { startSandbox, type Sandbox } from '../../launch/sandbox/server.ts';
import { suggestionAcceptedEvent, suggestionRejectedEvent, suggestionsShadowEvent, suggestionsShownEvent, type AuditContext } from '../../src/audit/events.ts';
import type { MonitorSummary } from '../../src/evaluation/monitor.ts';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox({ quiet: true, loadSynthea: false, largePatientObservations: 0, asOf: '2026-11-20' });
});

after(async () => {
  await sandbox?.close();
});

const model = { provider: 'openai-compatible', name: 'M', version: '1', builtIn: false } as const;
const ctx = (patientId: string): AuditContext => ({ clinician: 'Practitioner/prac-1', model, patientId, recorded: new Date().toISOString() });

async function post(event: unknown): Promise<void> {
  const response = await fetch(`${sandbox.ehrOrigin}/ehr/audit-sink`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(event) });
  assert.equal(response.status, 202, await response.text());
}

test('/ehr/monitor sums up the audit trail, with shadow agreement against the chart and an alert outside the band', async () => {
  await post(suggestionsShownEvent(ctx('ckd-01'), { insightId: 'i1', itemIds: ['a', 'b'], items: [{ id: 'a', codes: ['http://snomed.info/sct|431857002'], verified: true }, { id: 'b', codes: [], verified: false }] }));
  await post(suggestionAcceptedEvent(ctx('ckd-01'), { insightId: 'i1', itemId: 'a' }));
  await post(suggestionRejectedEvent(ctx('ckd-01'), { insightId: 'i1', itemId: 'b', overrideReason: { code: 'not-relevant', display: 'Not relevant to this patient' } }));
  // A shadow set for a patient whose chart gets the suggested diagnosis documented afterwards.
  await post(suggestionsShadowEvent({ ...ctx('dm-02'), recorded: '2026-11-01T09:00:00Z' }, { insightId: 's1', items: [{ id: 'x', codes: ['http://snomed.info/sct|44054006'], verified: true }] }));
  await sandbox.fhir.load([{ resourceType: 'Condition', id: 'dm-02-documented', subject: { reference: 'Patient/dm-02' }, code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] }, recordedDate: '2026-11-02' } as Condition]);

  const summary = (await (await fetch(`${sandbox.ehrOrigin}/ehr/monitor?format=json`)).json()) as MonitorSummary;
  assert.equal(summary.itemsShown, 2);
  assert.equal(summary.acceptanceRate, 0.5);
  assert.equal(summary.unverifiedShown, 1);
  assert.deepEqual(summary.overrideReasons, [{ reason: 'Not relevant to this patient', count: 1 }]);
  assert.equal(summary.shadowAgreement.agreed, 1);
  // Half the shown items unverified is far outside the default grounding band.
  assert.ok(summary.alerts.some((a) => a.measure === 'grounding'));

  const page = await fetch(`${sandbox.ehrOrigin}/ehr/monitor`);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const html = await page.text();
  assert.match(html, /Curbside monitoring — sandbox EHR/);
  assert.match(html, /role="alert"/);
  assert.equal((html.match(/<svg /g) ?? []).length, 2);
});
