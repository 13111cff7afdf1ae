/**
 * SMART redirect page (the registered redirect_uri): completes authorization, reads the launch
 * context, and mounts <curbside-sidebar> with the session's services.
 */
import FHIR from 'fhirclient';
// Only the sidebar: it loads the suggestions and note elements itself when a model is configured.
import '../widgets/sidebar/sidebar.ts';
import { parseLaunchContext } from '../src/smart/context.ts';
import { classifyReadyError, launchProblem } from '../src/smart/launch-errors.ts';
import { showLaunchProblem } from './problem-page.ts';
import { configureFhirClient } from './fhir-client-settings.ts';
import { fhirRequesterFor, keepSessionFresh } from './session.ts';
import { loadEvaluationReport, loadRuntimeConfig } from './runtime-config.ts';
import { modelForEhr, selectEhrConfig } from '../src/smart/config.ts';
import { departmentFrom, rolloutStageFor } from '../src/smart/rollout.ts';

/** The sidebar's events that belong on the audit trail; held until the trail's code has loaded. */
const AUDITED_EVENTS = ['curbside-model-disclosure', 'curbside-suggestions-shown', 'curbside-suggestion-accept', 'curbside-suggestion-reject'] as const;

/** Longest the model and note code waits for the banner before loading anyway. */
const BANNER_HEAD_START_MS = 1500;

async function start(): Promise<void> {
  const redirectParams = new URLSearchParams(location.search);
  if (!redirectParams.has('state') && !redirectParams.has('code') && !redirectParams.has('error')) {
    return showLaunchProblem(launchProblem('missing-launch-parameters'));
  }
  configureFhirClient();
  let client;
  try {
    client = await FHIR.oauth2.ready();
  } catch (error) {
    return showLaunchProblem(classifyReadyError(error, redirectParams));
  }
  // Measurements (the bench) start here: everything after this mark is Curbside's own work.
  performance.mark('curbside:token');
  const tokenResponse = (client.state.tokenResponse ?? {}) as Record<string, unknown>;
  const context = parseLaunchContext(tokenResponse, client.state.serverUrl);
  if (!context.patientId) return showLaunchProblem(launchProblem('no-patient'));

  const sidebar = document.createElement('curbside-sidebar');
  sidebar.context = context;
  const requester = fhirRequesterFor(client);
  sidebar.fhir = requester;
  sidebar.addEventListener('curbside-chart-load', (event) => {
    performance.mark('curbside:chart-summary', { detail: event.detail.stats });
  });
  const chartLoaded = new Promise<void>((resolve) => sidebar.addEventListener('curbside-chart-load', () => resolve(), { once: true }));
  // The banner's reads go out first and its render is not held up by code only later steps use;
  // a banner that fails lets the rest go on once the chart answers, and the wait is bounded.
  const bannerSettled = Promise.race([
    new Promise<void>((resolve) => sidebar.addEventListener('curbside-patient-load', () => resolve(), { once: true })),
    chartLoaded,
    new Promise<void>((resolve) => setTimeout(resolve, BANNER_HEAD_START_MS)),
  ]);
  // Audited events can only follow a model being given, but are held from the start so none is lost.
  const held: Event[] = [];
  const hold = (event: Event): void => void held.push(event);
  for (const type of AUDITED_EVENTS) sidebar.addEventListener(type, hold);
  // The sidebar goes up at once: the banner and chart need nothing from the configuration.
  document.getElementById('launch-root')!.replaceChildren(sidebar);
  keepSessionFresh(client, () => {
    // A failed background refresh is not fatal: fhirclient retries on the next 401, and the
    // sidebar reports a request that still fails.
  });

  // The configuration loads beside the banner; the model and the note/audit services after it.
  let config;
  try {
    config = await loadRuntimeConfig();
  } catch {
    // Without a readable configuration there are no suggestions; the chart summary still works.
    return;
  }
  const ehr = selectEhrConfig(context.fhirBase, config);
  // The stage is decided per launch from a configuration fetched with no-cache: that is the kill switch.
  const department = ehr && departmentFrom(tokenResponse, ehr.rollout);
  const rollout = ehr && rolloutStageFor(ehr.rollout, { ...(context.fhirUser ? { fhirUser: context.fhirUser } : {}), ...(department ? { department } : {}) }, config.killSwitch);
  if (rollout) sidebar.stage = rollout.stage;
  if (!ehr || !rollout || rollout.stage === 'off') return;
  const patientId = context.patientId;
  const runtime = config;
  await bannerSettled;
  // Only "About this AI" shows the evaluation report: it waits for the chart.
  void chartLoaded.then(loadEvaluationReport).then((report) => void (sidebar.evaluationReport = report));
  void Promise.all([import('./model-provider.ts'), import('./model-stream/index.ts')]).then(([{ configureModel }, { modelFetch }]) => {
    const model = configureModel(modelForEhr(ehr, runtime, context.fhirBase), { fetch: modelFetch() });
    sidebar.insightProvider = model.provider;
    if (model.signIn) sidebar.modelSignIn = model.signIn;
  });
  void import('./note-services.ts').then(async ({ noteServices }) => {
    const services = noteServices(client, { ...context, patientId }, ehr, requester);
    services.auditEventsFrom(sidebar);
    for (const type of AUDITED_EVENTS) sidebar.removeEventListener(type, hold);
    // Events raised while the trail's code loaded are recorded now, in order.
    for (const event of held.splice(0)) services.record(event);
    // Shadow mode can write nothing to the chart, so filing is never opened.
    if (rollout.stage === 'shadow') return;
    // Filing reads the clinician's Practitioner: after the chart, whose reads it would otherwise queue.
    await chartLoaded;
    try {
      sidebar.noteFiling = await services.openFiling();
    } catch {
      // Without filing the composer still drafts; the attestation says the note can't be filed.
    }
  });
}

void start();
