import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { consume } from '@lit/context';
import { delay, http, HttpResponse } from 'msw';
import type { SetupWorker } from 'msw/browser';
import type { FhirRequester, LaunchContext } from '../../src/smart/context.ts';
import { fetchRequester } from '../../test/component/fetch-requester.ts';
import {
  FHIR_BASE,
  STYLE_URL,
  allergyResource,
  allergySearch,
  epicSearchset,
  operationOutcome,
  patientRead,
  patientResource,
  startFhirWorker,
} from '../../test/component/fhir-server.ts';
import { fhirContext, launchContext } from '../shared/contexts.ts';
import '../index.ts';
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
    expect(text(el.shadowRoot!.querySelector('main'))).to.equal('Chart summary and suggestions will appear here');
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
    // The slotted panel replaces the placeholder.
    expect(el.shadowRoot!.querySelector('slot')!.assignedElements()).to.deep.equal([probe]);

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
});
