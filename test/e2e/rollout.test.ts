/**
 * End to end: each rollout stage in the sandbox EHR, with the runtime configuration the app
 * fetches on launch replaced per test (the sandbox serves it instead of the built file). Shadow
 * must show the clinician nothing and write nothing to the chart, yet leave its suggestions on the
 * audit trail; the kill switch applies from the very next launch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AuditEvent, DocumentReference } from 'fhir/r4';
import type { Frame, Page } from 'playwright-core';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { DIST_DIR, startTestSandbox } from '../support/sandbox.ts';
import { eventually, openChart } from '../support/shell.ts';
import type { Sandbox } from '../../launch/sandbox/server.ts';

let sandbox: Sandbox;
let chromium: TestBrowser;

const shipped = JSON.parse(readFileSync(`${DIST_DIR}/curbside.config.json`, 'utf8')) as { ehrs: Array<Record<string, unknown>>; [key: string]: unknown };

/** The shipped configuration with the sandbox entry's rollout (and the kill switch) set. */
function configWith(rollout: unknown, killSwitch?: boolean): unknown {
  return {
    ...shipped,
    ...(killSwitch === undefined ? {} : { killSwitch }),
    ehrs: shipped.ehrs.map((ehr) => (ehr.id === 'sandbox' ? { ...ehr, rollout } : ehr)),
  };
}

before(async () => {
  sandbox = await startTestSandbox({ asOf: '2026-11-20' });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await sandbox?.close();
});

const modelCalls = (): number => sandbox.requestLog.filter((r) => r.method === 'POST' && r.path === '/model/v1/chat/completions').length;

const launch = (patientId: string): Promise<{ page: Page; frame: Frame }> => openChart(sandbox, chromium, patientId, 'curbside-chart-summary');

async function auditFor(patientId: string): Promise<AuditEvent[]> {
  return (await sandbox.fhir.searchUnchecked<AuditEvent>('AuditEvent', '')).filter((e) => e.entity?.some((x) => x.what?.reference === `Patient/${patientId}`));
}

function practitionerOf(patientId: string): string {
  return sandbox.patients.find((p) => p.id === patientId)!.practitionerId;
}

describe('rollout stages in the sandbox', () => {
  after(() => sandbox.setAppConfig(undefined));

  test('general: suggestions are shown, with no pilot banner', { timeout: 90_000 }, async () => {
    sandbox.setAppConfig(configWith({ stage: 'general' }));
    const { page, frame } = await launch('ckd-01');
    await frame.locator('curbside-differential[state="ready"]').waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('curbside-suggestions [part~="pilot-banner"]').count(), 0);
    // "About this AI" shows the measured figures from the published evaluation report for this model.
    await frame.locator('curbside-suggestions summary', { hasText: 'About this AI' }).click();
    const validation = frame.locator('curbside-about-ai [part~="validation"]');
    await validation.locator('[part~="figures"]').waitFor({ timeout: 10_000 });
    assert.match((await validation.textContent()) ?? '', /Expected diagnosis ranked first/);
    await page.context().close();
  });

  test('off: the chart shows, no model is asked, no suggestions appear', { timeout: 90_000 }, async () => {
    sandbox.setAppConfig(configWith({ stage: 'off' }));
    const before = modelCalls();
    const { page, frame } = await launch('dm-02');
    await frame.locator('curbside-chart-summary [part~="item"]').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_500);
    assert.equal(await frame.locator('curbside-suggestions').count(), 0);
    assert.equal(await frame.locator('curbside-differential').count(), 0);
    assert.equal(modelCalls(), before, 'the model was not asked');
    await page.context().close();
  });

  test('shadow: the model runs and its suggestions reach the audit trail, but the clinician sees nothing and nothing is written', { timeout: 90_000 }, async () => {
    sandbox.setAppConfig(configWith({ stage: 'shadow' }));
    const patientId = 'ida-03';
    const before = modelCalls();
    const notesBefore = (await sandbox.fhir.searchUnchecked<DocumentReference>('DocumentReference', '')).length;
    const { page, frame } = await launch(patientId);
    const shadow = await eventually(async () => (await auditFor(patientId)).find((e) => e.subtype?.[0]?.code === 'suggestions-shadow'), 'the shadow AuditEvent');
    assert.equal(modelCalls(), before + 1, 'the pipeline ran once');
    const details = shadow.entity?.at(-1)?.detail ?? [];
    assert.ok(Number(details.find((d) => d.type === 'itemCount')?.valueString) > 0, 'the suggestion set is recorded');
    assert.ok(details.some((d) => d.type === 'itemCode' && /\|/.test(d.valueString ?? '')), 'with the items\' codes');
    const codes = (await auditFor(patientId)).map((e) => e.subtype?.[0]?.code);
    assert.ok(!codes.includes('suggestions-shown'), 'nothing was shown');

    // What the clinician sees: the chart, and no trace of suggestions.
    assert.equal(await frame.locator('curbside-differential').count(), 0);
    assert.equal(await frame.locator('curbside-note-composer, curbside-attestation, curbside-evidence').count(), 0);
    const visible = (await frame.locator('curbside-sidebar').innerText()).toLowerCase();
    assert.ok(!/suggestion|differential|pilot/.test(visible), `no suggestion text on screen: ${visible.slice(0, 200)}`);

    // Nothing reached the chart.
    assert.equal((await sandbox.fhir.searchUnchecked<DocumentReference>('DocumentReference', '')).length, notesBefore);
    // A Bundle of GETs POSTed to the base is the chart's reads (a batch); anything else there writes.
    const readsOnly = (r: (typeof sandbox.requestLog)[number]): boolean => r.bundle?.type === 'batch' && r.bundle.methods.every((m) => m === 'GET');
    const writes = sandbox.requestLog.filter((r) => r.method === 'POST' && ((/\/fhir\/?$/.test(r.path) && !readsOnly(r)) || /\/fhir\/(DocumentReference|Provenance|Device)/.test(r.path)));
    assert.deepEqual(writes, [], 'no chart write was attempted');
    const view = (await (await fetch(`${sandbox.ehrOrigin}/ehr/notes?patient=${patientId}`)).json()) as { notes?: unknown[] } | unknown[];
    assert.equal((Array.isArray(view) ? view : (view.notes ?? [])).length, 0);
    await page.context().close();
  });

  test('pilot: a listed user sees suggestions under a pilot banner; anyone else sees none', { timeout: 120_000 }, async () => {
    const listed = practitionerOf('acs-04');
    sandbox.setAppConfig(configWith({ stage: 'pilot', pilotUsers: [`Practitioner/${listed}`] }));
    const first = await launch('acs-04');
    await first.frame.locator('curbside-differential[state="ready"]').waitFor({ timeout: 30_000 });
    assert.match((await first.frame.locator('curbside-suggestions [part~="pilot-banner"]').textContent()) ?? '', /Pilot/);
    await first.page.context().close();

    const other = sandbox.patients.find((p) => p.practitionerId !== listed && p.source === 'synthetic');
    assert.ok(other, 'a patient with another practitioner');
    const before = modelCalls();
    const second = await launch(other.id);
    await second.page.waitForTimeout(1_500);
    assert.equal(await second.frame.locator('curbside-suggestions').count(), 0);
    assert.equal(modelCalls(), before);
    await second.page.context().close();
  });

  test('the kill switch takes effect at the next launch, with no rebuild', { timeout: 90_000 }, async () => {
    sandbox.setAppConfig(configWith({ stage: 'general' }, true));
    const before = modelCalls();
    const { page, frame } = await launch('ckd-01');
    await page.waitForTimeout(1_500);
    assert.equal(await frame.locator('curbside-suggestions').count(), 0);
    assert.equal(modelCalls(), before);
    await page.context().close();
  });
});
