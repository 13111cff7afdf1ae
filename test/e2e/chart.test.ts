/**
 * End to end: after the real launch, the chart summary shows each scenario's chart as the
 * cohort generator wrote it, and one refused resource type leaves the rest standing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import type { Observation, Resource } from 'fhir/r4';
import { launchBrowser, type TestBrowser } from '../support/browser.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { generateCohort, type CohortPatient } from '../../launch/sandbox/cohort/index.ts';
import type { Sandbox } from '../../launch/sandbox/server.ts';

const AS_OF = '2026-11-20';
let sandbox: Sandbox;
let chromium: TestBrowser;
const cohort = generateCohort({ asOf: AS_OF, largePatientObservations: 2000 });

before(async () => {
  sandbox = await startTestSandbox({ asOf: AS_OF, largePatientObservations: 2000 });
  chromium = await launchBrowser();
});

after(async () => {
  await chromium?.close();
  await sandbox?.close();
});

function scenario(key: string): CohortPatient {
  const found = cohort.patients.find((p) => p.key === key);
  assert.ok(found, `scenario ${key}`);
  return found;
}

function latest(patient: CohortPatient, loinc: string): Observation {
  const observations = patient.resources
    .filter((r: Resource): r is Observation => r.resourceType === 'Observation')
    .filter((o) => o.status !== 'entered-in-error' && Boolean(o.code.coding?.some((c) => c.code === loinc)));
  observations.sort((a, b) => String(b.effectiveDateTime).localeCompare(String(a.effectiveDateTime)));
  assert.ok(observations[0], `${patient.key} has ${loinc}`);
  return observations[0];
}

async function openSummary(patient: CohortPatient): Promise<{ page: Page; frame: Frame }> {
  const page = await (await chromium.browser.newContext()).newPage();
  await page.goto(`${sandbox.ehrOrigin}/`);
  await page.click(`button[data-patient-id="${patient.patientId}"]`);
  const frame = (await (await page.waitForSelector('#curbside-frame:not([hidden])')).contentFrame())!;
  await frame.waitForFunction(() => performance.getEntriesByName('curbside:chart-summary').length > 0, undefined, { timeout: 30_000 });
  return { page, frame };
}

function item(frame: Frame, reference: string) {
  return frame.locator(`curbside-chart-summary button[part~="item"][data-reference="${reference}"]`);
}

describe('chart summary in the sandbox', () => {
  test('CKD: the eGFR series ends at the generator’s latest value, metformin is listed, the problem is shown', async () => {
    const ckd = scenario('ckd-progression');
    const { page, frame } = await openSummary(ckd);
    const egfr = latest(ckd, '98979-8');
    const lab = item(frame, `Observation/${egfr.id}`);
    await lab.waitFor();
    const value = (await lab.locator('[part~="value"]').textContent()) ?? '';
    assert.ok(value.startsWith(String(Math.round(egfr.valueQuantity!.value!))), `${value} vs ${egfr.valueQuantity!.value}`);
    assert.match((await frame.locator('curbside-chart-summary [part~="section-medications"]').textContent()) ?? '', /metformin/i);
    assert.match((await frame.locator('curbside-chart-summary [part~="section-problems"]').textContent()) ?? '', /kidney/i);
    // The entered-in-error potassium of 11.8 never shows.
    assert.equal(await item(frame, 'Observation/ckd-01-obs-potassium-eie').count(), 0);
    assert.ok(!((await frame.locator('curbside-chart-summary').textContent()) ?? '').includes('11.8'));
    await page.context().close();
  });

  test('anaemia and hyponatraemia: the abnormal latest values are flagged', async () => {
    for (const [key, loinc] of [
      ['iron-deficiency-anaemia', '718-7'],
      ['thiazide-hyponatraemia', '2951-2'],
    ] as const) {
      const patient = scenario(key);
      const { page, frame } = await openSummary(patient);
      const obs = latest(patient, loinc);
      const lab = item(frame, `Observation/${obs.id}`);
      await lab.waitFor();
      assert.match((await lab.locator('[part~="badge"]').first().textContent()) ?? '', /low/i, key);
      await page.context().close();
    }
  });

  test('the near-empty patient: every section says it is empty, none fails', async () => {
    const { page, frame } = await openSummary(scenario('near-empty'));
    const summary = frame.locator('curbside-chart-summary');
    assert.equal(await summary.locator('[part~="unavailable"]').count(), 0);
    assert.ok((await summary.locator('[part~="empty"]').count()) >= 4);
    await page.context().close();
  });

  test('a 403 on MedicationRequest marks only medications unavailable', async () => {
    sandbox.settings.failTypes = { MedicationRequest: 403 };
    try {
      const ckd = scenario('ckd-progression');
      const { page, frame } = await openSummary(ckd);
      const meds = frame.locator('curbside-chart-summary [part~="section-medications"]');
      assert.equal(await meds.locator('[part~="unavailable"]').count(), 1);
      assert.match((await meds.textContent()) ?? '', /not granted|refused|access/i);
      await item(frame, `Observation/${latest(ckd, '98979-8').id}`).waitFor();
      await page.context().close();
    } finally {
      sandbox.settings.failTypes = {};
    }
  });
});
