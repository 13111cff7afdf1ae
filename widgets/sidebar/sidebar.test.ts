import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { consume } from '@lit/context';
import { delay, http, HttpResponse } from 'msw';
import type { SetupWorker } from 'msw/browser';
import type { FhirRequester, LaunchContext } from '../../src/smart/context.ts';
import { fetchRequester } from '../../test/component/fetch-requester.ts';
import {
  CHART_SCOPES,
  FHIR_BASE,
  STYLE_URL,
  allergyResource,
  allergySearch,
  bloodPressureObservation,
  conditionResource,
  daysAgo,
  documentReferenceResource,
  epicSearchset,
  fhirSearch,
  labObservation,
  medicationRequestResource,
  operationOutcome,
  patientRead,
  patientResource,
  startFhirWorker,
  vitalObservation,
} from '../../test/component/fhir-server.ts';
import { fhirContext, launchContext } from '../shared/contexts.ts';
import '../index.ts';
import type { CurbsideChartSummaryElement } from '../chart-summary/chart-summary.ts';
import type { CurbsidePatientBannerElement } from '../patient-banner/patient-banner.ts';
import type { CurbsideSidebarElement } from './sidebar.ts';

failOnLitWarnings();

const twoAllergies = epicSearchset([allergyResource('a1'), allergyResource('a2'), allergyResource('old', 'resolved')]);

function launch(overrides: Partial<LaunchContext> = {}): LaunchContext {
  return { fhirBase: FHIR_BASE, patientId: 'p1', needPatientBanner: true, grantedScopes: ['patient/Patient.r', 'patient/AllergyIntolerance.rs'], ...overrides };
}

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function banner(el: CurbsideSidebarElement): CurbsidePatientBannerElement | null {
  return el.shadowRoot!.querySelector('curbside-patient-banner');
}

function bannerPart(el: CurbsideSidebarElement, name: string): HTMLElement | null {
  return banner(el)?.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`) ?? null;
}

async function bannerShowsFacts(el: CurbsideSidebarElement): Promise<void> {
  await waitUntil(() => bannerPart(el, 'name') !== null, 'the banner never showed the patient');
}

async function sidebar(context: LaunchContext, fhir: FhirRequester = fetchRequester(FHIR_BASE)): Promise<CurbsideSidebarElement> {
  return fixture<CurbsideSidebarElement>(html`<curbside-sidebar .context=${context} .fhir=${fhir}></curbside-sidebar>`);
}

function summary(el: CurbsideSidebarElement): CurbsideChartSummaryElement | null {
  return el.shadowRoot!.querySelector('curbside-chart-summary');
}

function summarySection(el: CurbsideSidebarElement, key: string): HTMLElement | null {
  return summary(el)?.shadowRoot?.querySelector<HTMLElement>(`[part~="section-${key}"]`) ?? null;
}

function summaryItem(el: CurbsideSidebarElement, reference: string): HTMLButtonElement | undefined {
  const buttons = summary(el)?.shadowRoot?.querySelectorAll<HTMLButtonElement>('button[part~="item"]') ?? [];
  return Array.from(buttons).find((button) => button.dataset.reference === reference);
}

const EGFR = { code: '98979-8', display: 'eGFR', unit: 'mL/min/{1.73_m2}', low: 60 };
const chartResources = {
  conditions: [conditionResource('ckd', 'Chronic kidney disease stage 3b', { onset: '2021-03-15' }), conditionResource('dm2', 'Type 2 diabetes mellitus')],
  observations: [
    labObservation('egfr-old', { ...EGFR, value: 52, time: daysAgo(400) }),
    labObservation('egfr-mid', { ...EGFR, value: 41, time: daysAgo(120) }),
    labObservation('egfr-new', { ...EGFR, value: 33, time: daysAgo(5), interpretation: 'L' }),
    bloodPressureObservation('bp-1', daysAgo(2), 142, 88),
    bloodPressureObservation('bp-2', daysAgo(1), 128, 82),
    vitalObservation('hr-1', '8867-4', 'Heart rate', 76, '/min', daysAgo(1)),
  ],
  medications: [medicationRequestResource('lis', 'Lisinopril 10 mg oral tablet', '10 mg by mouth once daily')],
  notes: [documentReferenceResource('n1', 'Nephrology consult', daysAgo(30), 'Dr. Chen')],
};

/** The FHIR server of a patient with a chart, each search answered once `gates[type]` settles. */
function chartServer(gates: Partial<Record<'Condition' | 'Observation' | 'MedicationRequest', Promise<unknown>>> = {}, medicationStatus?: number) {
  const gated = (type: keyof typeof gates) => (gates[type] ? { until: gates[type] } : {});
  return [
    patientRead(patientResource()),
    allergySearch(twoAllergies),
    fhirSearch('Condition', chartResources.conditions, gated('Condition')),
    fhirSearch('Observation', chartResources.observations, gated('Observation')),
    fhirSearch('MedicationRequest', chartResources.medications, { ...gated('MedicationRequest'), ...(medicationStatus ? { status: medicationStatus } : {}) }),
    fhirSearch('DocumentReference', chartResources.notes),
    fhirSearch('DiagnosticReport', []),
  ];
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A stand-in for a later panel: consumes what the sidebar provides. */
class ContextProbeElement extends LitElement {
  @consume({ context: launchContext, subscribe: true }) launch: LaunchContext | undefined;
  @consume({ context: fhirContext, subscribe: true }) fhir: FhirRequester | undefined;
}
customElements.define('test-context-probe', ContextProbeElement);

describe('<curbside-sidebar>', () => {
  let worker: SetupWorker;

  before(async () => {
    worker = await startFhirWorker();
  });

  afterEach(() => {
    worker.resetHandlers();
  });

  after(() => {
    worker.stop();
  });

  it('loads the patient over FHIR and shows name, age, sex, MRN and the allergy count in the banner', async () => {
    worker.use(patientRead(patientResource()), allergySearch(twoAllergies));
    const el = document.createElement('curbside-sidebar');
    el.context = launch();
    el.fhir = fetchRequester(FHIR_BASE);
    const loaded = oneEvent(el, 'curbside-patient-load');
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    host.append(el);

    const event = await loaded;
    expect(event.detail).to.deep.equal({ reference: 'Patient/p1' });
    await bannerShowsFacts(el);

    expect(text(el.shadowRoot!.querySelector('header'))).to.equal('Curbside');
    expect(text(bannerPart(el, 'name'))).to.equal('Ana Rivera');
    const demographics = text(bannerPart(el, 'demographics'));
    expect(demographics).to.match(/^6\d y/);
    expect(demographics).to.contain('Female');
    expect(text(bannerPart(el, 'identifier'))).to.equal('MRN 555123');
    expect(text(bannerPart(el, 'allergies'))).to.equal('2 allergies');
    expect(el.shadowRoot!.querySelector('main curbside-chart-summary')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a skeleton banner while the patient loads', async () => {
    worker.use(
      http.get(`${FHIR_BASE}/Patient/:id`, async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
      allergySearch(twoAllergies),
    );
    const el = await sidebar(launch());
    await waitUntil(() => banner(el)?.loading === true, 'no skeleton while loading');
    await expect(el).to.be.accessible();
  });

  it('hides the banner when the EHR shows its own, keeping a hidden heading that names the patient', async () => {
    worker.use(patientRead(patientResource()), allergySearch(twoAllergies));
    const el = await sidebar(launch({ needPatientBanner: false }));
    await waitUntil(() => el.shadowRoot!.querySelector('h2') !== null, 'no patient heading');

    expect(banner(el)).to.equal(null);
    const heading = el.shadowRoot!.querySelector('h2')!;
    expect(text(heading)).to.equal('Patient: Ana Rivera');
    expect(heading.classList.contains('visually-hidden')).to.equal(true);
    expect(heading.getBoundingClientRect().width).to.be.at.most(1);
    await expect(el).to.be.accessible();
  });

  it('shows "Allergies unavailable" with the reason when the allergy search answers 403, and the rest of the banner', async () => {
    worker.use(patientRead(patientResource()), allergySearch(operationOutcome('forbidden', 'Insufficient scope'), 403));
    const el = await sidebar(launch());
    await bannerShowsFacts(el);

    expect(text(bannerPart(el, 'allergies'))).to.equal('Allergies unavailable: Access to allergies was not granted');
    expect(text(bannerPart(el, 'name'))).to.equal('Ana Rivera');
    expect(text(bannerPart(el, 'identifier'))).to.equal('MRN 555123');
    await expect(el).to.be.accessible();
  });

  it('shows a clear error, not a blank, when the Patient read answers 500, and recovers on "Try again"', async () => {
    worker.use(patientRead(operationOutcome('exception', 'Internal error'), 500), allergySearch(twoAllergies));
    const el = await sidebar(launch());
    await waitUntil(() => banner(el)?.error !== undefined, 'no error state');

    const alert = banner(el)!.shadowRoot!.querySelector('[role="alert"]');
    expect(text(alert)).to.equal('Patient details unavailable The EHR could not return the patient record just now. Try again shortly.');
    await expect(el).to.be.accessible();

    worker.use(patientRead(patientResource()));
    (bannerPart(el, 'retry-button') as HTMLButtonElement).click();
    await bannerShowsFacts(el);
    expect(text(bannerPart(el, 'name'))).to.equal('Ana Rivera');
  });

  it('shows the error as a notice when the banner is hidden', async () => {
    worker.use(patientRead(operationOutcome('forbidden', 'Denied'), 403), allergySearch(twoAllergies));
    const el = await sidebar(launch({ needPatientBanner: false }));
    await waitUntil(() => el.shadowRoot!.querySelector('[role="alert"]') !== null, 'no error notice');

    expect(text(el.shadowRoot!.querySelector('[role="alert"]'))).to.contain("Access to this patient's record was not granted.");
    expect(banner(el)).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('renders markup in a patient name from the EHR as text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedSidebar=1">Rivera';
    worker.use(patientRead(patientResource({ text: hostile })), allergySearch(twoAllergies));
    const el = await sidebar(launch());
    await bannerShowsFacts(el);

    expect(bannerPart(el, 'name')?.textContent).to.equal(hostile);
    expect(banner(el)!.shadowRoot!.querySelector('img')).to.equal(null);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as unknown as { __pwnedSidebar?: number }).__pwnedSidebar).to.equal(undefined);
  });

  it('applies the SMART style document on the host, once and without credentials, dropping unsafe values', async () => {
    const styleRequests: Request[] = [];
    worker.use(
      patientRead(patientResource()),
      allergySearch(twoAllergies),
      http.get(STYLE_URL, ({ request }) => {
        styleRequests.push(request);
        return HttpResponse.json({
          color_highlight: '#123456',
          dim_border_radius: '3px',
          color_text: 'red;}</style><script>alert(1)</script>',
          color_background: 'url(javascript:alert(1))',
          font_family_body: 'Arial; background: url(https://evil.example/x)',
        });
      }),
    );
    const el = await sidebar(launch({ smartStyleUrl: STYLE_URL }));
    await waitUntil(() => el.style.getPropertyValue('--curbside-color-accent') !== '', 'the style was never applied');
    await bannerShowsFacts(el);

    const computed = getComputedStyle(el);
    expect(computed.getPropertyValue('--curbside-color-accent').trim()).to.equal('#123456');
    expect(computed.getPropertyValue('--curbside-radius').trim()).to.equal('3px');
    expect(computed.getPropertyValue('--curbside-color-text')).to.equal('');
    expect(computed.getPropertyValue('--curbside-color-surface')).to.equal('');
    expect(computed.getPropertyValue('--curbside-font-family')).to.equal('');
    // The value reaches the banner inside the sidebar's shadow root.
    expect(getComputedStyle(bannerPart(el, 'base')!).borderInlineStartColor).to.equal('rgb(18, 52, 86)');

    // A new context object with the same URL does not fetch again.
    el.context = { ...launch({ smartStyleUrl: STYLE_URL }) };
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(styleRequests.length).to.equal(1);
    expect(styleRequests[0]!.credentials).to.equal('omit');
    await expect(el).to.be.accessible();
  });

  it('keeps its own look when the style document cannot be fetched', async () => {
    worker.use(patientRead(patientResource()), allergySearch(twoAllergies), http.get(STYLE_URL, () => HttpResponse.text('nope', { status: 404 })));
    const el = await sidebar(launch({ smartStyleUrl: STYLE_URL }));
    await bannerShowsFacts(el);
    expect(el.getAttribute('style') ?? '').to.equal('');
  });

  it('says so plainly when the launch has no patient, and reads nothing', async () => {
    let requests = 0;
    worker.use(
      http.get(`${FHIR_BASE}/*`, () => {
        requests += 1;
        return HttpResponse.json({});
      }),
    );
    const el = await sidebar(launch({ patientId: undefined }));
    await el.updateComplete;

    expect(text(el.shadowRoot!.querySelector('[part~="notice"]'))).to.equal(
      "This launch has no patient in context. Open Curbside from a patient's chart.",
    );
    expect(banner(el)).to.equal(null);
    expect(requests).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('provides the launch context and FHIR requester to descendants', async () => {
    worker.use(patientRead(patientResource()), allergySearch(twoAllergies));
    const context = launch();
    const fhir = fetchRequester(FHIR_BASE);
    const el = await fixture<CurbsideSidebarElement>(
      html`<curbside-sidebar .context=${context} .fhir=${fhir}><test-context-probe></test-context-probe></curbside-sidebar>`,
    );
    const probe = el.querySelector<ContextProbeElement>('test-context-probe')!;
    expect(probe.launch).to.equal(context);
    expect(probe.fhir).to.equal(fhir);
    // The slotted panel follows the chart summary.
    expect(el.shadowRoot!.querySelector('slot')!.assignedElements()).to.deep.equal([probe]);
    expect(el.shadowRoot!.querySelector('curbside-chart-summary')!.compareDocumentPosition(el.shadowRoot!.querySelector('slot')!)).to.equal(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );

    const next = launch({ patientId: 'p2' });
    el.context = next;
    await el.updateComplete;
    expect(probe.launch).to.equal(next);
  });

  it('drops a stale patient when the context changes mid-load', async () => {
    worker.use(
      http.get(`${FHIR_BASE}/Patient/:id`, async ({ params }) => {
        if (params.id === 'slow') await delay(300);
        return HttpResponse.json(patientResource({ id: String(params.id), given: [params.id === 'slow' ? 'Stale' : 'Current'], family: 'Patient' }));
      }),
      allergySearch(twoAllergies),
    );
    const el = await sidebar(launch({ patientId: 'slow' }));
    el.context = launch({ patientId: 'p2' });
    await bannerShowsFacts(el);
    expect(text(bannerPart(el, 'name'))).to.equal('Current Patient');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(text(bannerPart(el, 'name'))).to.equal('Current Patient');
  });

  it('fits a 320 px iframe without horizontal scrolling', async () => {
    worker.use(
      patientRead(patientResource({ given: ['Maximiliana', 'Alexandrina'], family: 'Konstantinopoulou-Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh' })),
      allergySearch(twoAllergies),
    );
    const context = launch();
    const fhir = fetchRequester(FHIR_BASE);
    const container = await fixture<HTMLDivElement>(
      html`<div style="width: 320px"><curbside-sidebar .context=${context} .fhir=${fhir}></curbside-sidebar></div>`,
    );
    const el = container.querySelector('curbside-sidebar')!;
    await bannerShowsFacts(el);
    expect(container.scrollWidth).to.be.at.most(320);
    expect(el.getBoundingClientRect().width).to.be.at.most(320);
    const base = el.shadowRoot!.querySelector<HTMLElement>('[part~="base"]')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
  });
  describe('chart summary', () => {
    const chartLaunch = (overrides: Partial<LaunchContext> = {}): LaunchContext => launch({ grantedScopes: CHART_SCOPES, ...overrides });

    it('shows each section as soon as its part of the chart arrives', async () => {
      const observations = gate();
      worker.use(...chartServer({ Observation: observations.promise }));
      const el = await sidebar(chartLaunch());

      expect(summary(el), 'the summary shows while the chart loads').to.not.equal(null);
      await waitUntil(() => summaryItem(el, 'Condition/ckd') !== undefined, 'problems never appeared');
      expect(text(summaryItem(el, 'Condition/ckd'))).to.equal('Chronic kidney disease stage 3b Since Mar 15, 2021');
      await waitUntil(() => summaryItem(el, 'MedicationRequest/lis') !== undefined, 'medications never appeared');
      expect(summarySection(el, 'labs')!.getAttribute('aria-busy')).to.equal('true');
      expect(summarySection(el, 'vitals')!.getAttribute('aria-busy')).to.equal('true');
      await expect(el).to.be.accessible();

      observations.open();
      await waitUntil(() => summaryItem(el, 'Observation/egfr-new') !== undefined, 'labs never appeared');
      const egfr = summaryItem(el, 'Observation/egfr-new')!;
      expect(text(egfr.querySelector('[part~="value"]'))).to.equal('33 mL/min/1.73 m²');
      expect(text(egfr.querySelector('[part~="badge"]'))).to.equal('Low');
      const bp = summaryItem(el, 'Observation/bp-2')!;
      expect(text(bp.querySelector('[part~="value"]'))).to.equal('128/82 mmHg');
      expect(summarySection(el, 'labs')!.hasAttribute('aria-busy')).to.equal(false);
      expect(text(summaryItem(el, 'DocumentReference/n1'))).to.contain('Nephrology consult');
      await expect(el).to.be.accessible();
    });

    it('announces the finished chart with its request stats once the summary has rendered it', async () => {
      worker.use(...chartServer());
      const el = await fixture<CurbsideSidebarElement>(html`<curbside-sidebar></curbside-sidebar>`);
      const loaded = oneEvent(el, 'curbside-chart-load');
      el.fhir = fetchRequester(FHIR_BASE);
      el.context = chartLaunch();
      const event = await loaded;
      expect(event.detail.reference).to.equal('Patient/p1');
      expect(event.detail.stats.requests).to.be.greaterThan(5);
      expect(event.detail.stats.criticalPathDepth).to.be.within(1, 8);
      // Rendered by then: the latest eGFR is already on screen.
      expect(summaryItem(el, 'Observation/egfr-new')).to.not.equal(undefined);
    });

    it('focusFact brings a fact into view in the summary, and fact selections bubble out of the sidebar', async () => {
      worker.use(...chartServer());
      const el = await sidebar(chartLaunch());
      await waitUntil(() => summaryItem(el, 'Observation/egfr-new') !== undefined, 'labs never appeared');

      // An older value of the series highlights the series.
      expect(el.focusFact('Observation/egfr-old')).to.equal(true);
      await summary(el)!.updateComplete;
      const egfr = summaryItem(el, 'Observation/egfr-new')!;
      expect(egfr.getAttribute('aria-current')).to.equal('true');
      expect(summary(el)!.shadowRoot!.activeElement).to.equal(egfr);
      expect(el.focusFact('Observation/not-in-chart')).to.equal(false);

      setTimeout(() => summaryItem(el, 'MedicationRequest/lis')!.click());
      const event = await oneEvent(el, 'curbside-fact-select');
      expect(event.detail).to.deep.equal({ reference: 'MedicationRequest/lis' });
    });

    it('shows a section refused with 403 as unavailable while the others render', async () => {
      worker.use(...chartServer({}, 403));
      const el = await sidebar(chartLaunch());
      await waitUntil(() => summarySection(el, 'medications')?.querySelector('[part~="unavailable"]'), 'medications never became unavailable');
      await waitUntil(() => summaryItem(el, 'Observation/egfr-new') !== undefined, 'labs never appeared');

      expect(text(summarySection(el, 'medications')!.querySelector('[part~="unavailable"]'))).to.equal(
        'Medications unavailable: The EHR refused access to medications.',
      );
      expect(summaryItem(el, 'Condition/ckd')).to.not.equal(undefined);
      expect(summaryItem(el, 'DocumentReference/n1')).to.not.equal(undefined);
      expect(el.focusFact('MedicationRequest/lis')).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('says which sections the grant does not cover, without asking the EHR', async () => {
      let conditionSearches = 0;
      worker.use(
        http.get(`${FHIR_BASE}/Condition`, () => {
          conditionSearches += 1;
          return HttpResponse.json(epicSearchset([]));
        }),
        ...chartServer(),
      );
      const el = await sidebar(chartLaunch({ grantedScopes: CHART_SCOPES.filter((scope) => !scope.includes('Condition')) }));
      await waitUntil(() => summarySection(el, 'problems')?.querySelector('[part~="unavailable"]'), 'problems never became unavailable');
      expect(text(summarySection(el, 'problems')!.querySelector('[part~="unavailable"]'))).to.equal(
        'Problems unavailable: Access to the problem list was not granted to Curbside.',
      );
      expect(conditionSearches).to.equal(0);
    });

    it('drops the chart of a patient the EHR has moved away from', async () => {
      const slow = gate();
      worker.use(
        http.get(`${FHIR_BASE}/Patient/:id`, ({ params }) => HttpResponse.json(patientResource({ id: String(params.id) }))),
        allergySearch(twoAllergies),
        http.get(`${FHIR_BASE}/Condition`, async ({ request }) => {
          const patient = new URL(request.url).searchParams.get('patient');
          if (patient === 'slow') {
            await slow.promise;
            return HttpResponse.json(epicSearchset([conditionResource('stale', 'Stale problem', { patient: 'slow' })]));
          }
          return HttpResponse.json(epicSearchset([conditionResource('current', 'Current problem', { patient: 'p2' })]));
        }),
        fhirSearch('Observation', []),
        fhirSearch('MedicationRequest', []),
        fhirSearch('DocumentReference', []),
        fhirSearch('DiagnosticReport', []),
      );
      const el = await sidebar(chartLaunch({ patientId: 'slow' }));
      el.context = chartLaunch({ patientId: 'p2' });
      await waitUntil(() => summaryItem(el, 'Condition/current') !== undefined, 'the current patient never showed');

      slow.open();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(summaryItem(el, 'Condition/stale')).to.equal(undefined);
      expect(summaryItem(el, 'Condition/current')).to.not.equal(undefined);
    });

    it('offers "Try again" when the chart cannot be read at all', async () => {
      worker.use(...chartServer());
      const el = await sidebar(chartLaunch({ fhirBase: 'not a URL' }));
      await waitUntil(() => el.shadowRoot!.querySelector('[part~="chart-error"]'), 'no chart error');
      expect(text(el.shadowRoot!.querySelector('[part~="chart-error"]'))).to.equal('The chart could not be loaded. Try again');
      expect(summary(el)).to.equal(null);
      await expect(el).to.be.accessible();

      el.context = chartLaunch();
      await waitUntil(() => summaryItem(el, 'Condition/ckd') !== undefined, 'the chart never loaded after the context was fixed');
      expect(el.shadowRoot!.querySelector('[part~="chart-error"]')).to.equal(null);
    });

    it('fits a 320 px iframe with the chart shown', async () => {
      worker.use(...chartServer());
      const context = chartLaunch();
      const fhir = fetchRequester(FHIR_BASE);
      const container = await fixture<HTMLDivElement>(html`<div style="width: 320px"><curbside-sidebar .context=${context} .fhir=${fhir}></curbside-sidebar></div>`);
      const el = container.querySelector('curbside-sidebar')!;
      await waitUntil(() => summaryItem(el, 'Observation/egfr-new') !== undefined, 'labs never appeared');
      const base = el.shadowRoot!.querySelector<HTMLElement>('[part~="base"]')!;
      expect(base.scrollWidth).to.be.at.most(base.clientWidth);
      expect(container.scrollWidth).to.be.at.most(320);
    });
  });
});
