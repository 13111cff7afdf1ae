import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { BannerFacts } from '../../src/chart/index.ts';
import '../index.ts';
import type { CurbsidePatientBannerElement } from './patient-banner.ts';

failOnLitWarnings();

const facts: BannerFacts = {
  patient: {
    reference: 'Patient/p1',
    name: 'Ana Luisa Rivera',
    birthDate: '1959-02-11',
    ageText: '67 y',
    sex: 'Female',
    identifier: { label: 'MRN', value: '555123' },
  },
  allergies: { status: 'ok', count: 2, noKnownAllergies: false, complete: true },
};

function withAllergies(allergies: BannerFacts['allergies']): BannerFacts {
  return { ...facts, allergies };
}

function part(el: CurbsidePatientBannerElement, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
}

function text(node: Node | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('<curbside-patient-banner>', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light', forcedColors: 'none' });
  });

  it('shows name, age, sex, date of birth, the identifier with its label and the allergy count', async () => {
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner .facts=${facts}></curbside-patient-banner>`);
    const section = part(el, 'base');
    expect(section?.localName).to.equal('section');
    expect(section?.getAttribute('aria-label')).to.equal('Patient');
    expect(el.shadowRoot!.querySelector('[role="banner"], header')).to.equal(null);

    const name = part(el, 'name');
    expect(text(name)).to.equal('Ana Luisa Rivera');
    expect(name?.getAttribute('role')).to.equal('heading');
    expect(name?.getAttribute('aria-level')).to.equal('2');

    const demographics = text(part(el, 'demographics'));
    expect(demographics).to.contain('67 y');
    expect(demographics).to.contain('67 years old');
    expect(demographics).to.contain('Female');
    expect(part(el, 'demographics')?.querySelector('time')?.getAttribute('datetime')).to.equal('1959-02-11');

    expect(text(part(el, 'identifier'))).to.equal('MRN 555123');
    expect(text(part(el, 'allergies'))).to.equal('2 allergies');
    await expect(el).to.be.accessible();
  });

  it('words the allergy count for one, none recorded, an explicit NKA and a cut-short search', async () => {
    const cases: Array<[BannerFacts['allergies'], string]> = [
      [{ status: 'ok', count: 1, noKnownAllergies: false, complete: true }, '1 allergy'],
      [{ status: 'ok', count: 0, noKnownAllergies: true, complete: true }, 'No known allergies recorded'],
      [{ status: 'ok', count: 0, noKnownAllergies: false, complete: true }, 'No allergies recorded'],
      [{ status: 'ok', count: 250, noKnownAllergies: false, complete: false }, '250+ allergies'],
    ];
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner></curbside-patient-banner>`);
    for (const [allergies, expected] of cases) {
      el.facts = withAllergies(allergies);
      await el.updateComplete;
      expect(text(part(el, 'allergies'))).to.equal(expected);
    }
  });

  it('says why allergies are unavailable while the rest of the banner stands', async () => {
    const el = await fixture<CurbsidePatientBannerElement>(
      html`<curbside-patient-banner .facts=${withAllergies({ status: 'unavailable', reason: 'Access to allergies was not granted' })}></curbside-patient-banner>`,
    );
    expect(text(part(el, 'allergies'))).to.equal('Allergies unavailable: Access to allergies was not granted');
    expect(text(part(el, 'name'))).to.equal('Ana Luisa Rivera');
    expect(text(part(el, 'identifier'))).to.equal('MRN 555123');
    await expect(el).to.be.accessible();
  });

  it('shows a deceased patient with the flag and the age at death', async () => {
    const deceased: BannerFacts = { ...facts, patient: { ...facts.patient, deceased: true, ageText: '60 y' } };
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner .facts=${deceased}></curbside-patient-banner>`);
    const demographics = text(part(el, 'demographics'));
    expect(demographics).to.contain('Deceased');
    expect(demographics).to.contain('60 y at death');
    await expect(el).to.be.accessible();
  });

  it('leaves out what the chart does not have', async () => {
    const sparse: BannerFacts = { patient: { reference: 'Patient/p1', name: 'Name not recorded' }, allergies: facts.allergies };
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner .facts=${sparse}></curbside-patient-banner>`);
    expect(part(el, 'demographics')).to.equal(null);
    expect(part(el, 'identifier')).to.equal(null);
    expect(text(part(el, 'name'))).to.equal('Name not recorded');
  });

  it('shows a skeleton with a status message while loading', async () => {
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner loading></curbside-patient-banner>`);
    const section = part(el, 'base');
    expect(section?.getAttribute('aria-busy')).to.equal('true');
    expect(text(el.shadowRoot!.querySelector('[role="status"]'))).to.equal('Loading patient details');
    expect(el.shadowRoot!.querySelectorAll('.skeleton').length).to.be.greaterThan(0);
    expect(part(el, 'name')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows an error as an alert and fires curbside-patient-retry from "Try again"', async () => {
    const el = await fixture<CurbsidePatientBannerElement>(
      html`<curbside-patient-banner error="The EHR could not return the patient record just now."></curbside-patient-banner>`,
    );
    const alert = el.shadowRoot!.querySelector('[role="alert"]');
    expect(text(alert)).to.equal('Patient details unavailable The EHR could not return the patient record just now.');
    await expect(el).to.be.accessible();

    const button = part(el, 'retry-button') as HTMLButtonElement;
    setTimeout(() => button.click());
    const event = await oneEvent(el, 'curbside-patient-retry');
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(event.detail).to.deep.equal({});
  });

  it('renders nothing without facts, loading or error', async () => {
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner></curbside-patient-banner>`);
    expect(part(el, 'base')).to.equal(null);
  });

  it('renders markup in a patient name as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">Rivera';
    const attack: BannerFacts = { ...facts, patient: { ...facts.patient, name: hostile, identifier: { label: '<b>MRN</b>', value: '<script>1</script>' } } };
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner .facts=${attack}></curbside-patient-banner>`);
    expect(el.shadowRoot!.querySelector('img, script, b')).to.equal(null);
    expect(part(el, 'name')?.textContent).to.equal(hostile);
    expect(text(part(el, 'identifier'))).to.equal('<b>MRN</b> <script>1</script>');
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('fits a 320 px sidebar: a very long name and identifier wrap instead of scrolling sideways', async () => {
    const long: BannerFacts = {
      ...facts,
      patient: {
        ...facts.patient,
        name: 'Maximiliana Alexandrina Konstantinopoulou-Wolfeschlegelsteinhausenbergerdorff Bartholomew-Featherstonehaugh III',
        identifier: { label: 'Community Medical Record Number', value: '0049005246400490052464004900524640049005246' },
      },
    };
    const container = await fixture<HTMLDivElement>(html`<div style="width: 320px"><curbside-patient-banner .facts=${long}></curbside-patient-banner></div>`);
    const el = container.querySelector('curbside-patient-banner')!;
    await el.updateComplete;
    const section = part(el, 'base')!;
    expect(section.scrollWidth).to.be.at.most(section.clientWidth);
    expect(el.getBoundingClientRect().width).to.be.at.most(320);
    for (const child of Array.from(section.children)) {
      expect(child.getBoundingClientRect().right).to.be.at.most(section.getBoundingClientRect().right + 0.5);
    }
  });

  it('exposes its parts and honours heading-level', async () => {
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner heading-level="3" .facts=${facts}></curbside-patient-banner>`);
    for (const name of ['base', 'name', 'demographics', 'identifier', 'allergies']) expect(part(el, name), name).to.not.equal(null);
    expect(part(el, 'name')?.getAttribute('aria-level')).to.equal('3');
  });

  it('takes its colours from --curbside-* properties set outside it', async () => {
    const el = await fixture<CurbsidePatientBannerElement>(
      html`<curbside-patient-banner style="--curbside-color-text: rgb(10, 20, 30)" .facts=${facts}></curbside-patient-banner>`,
    );
    expect(getComputedStyle(part(el, 'name')!).color).to.equal('rgb(10, 20, 30)');
  });

  it('stays accessible in dark mode and in forced colours', async () => {
    const el = await fixture<CurbsidePatientBannerElement>(html`<curbside-patient-banner .facts=${facts}></curbside-patient-banner>`);
    const lightText = getComputedStyle(part(el, 'name')!).color;
    await emulateMedia({ colorScheme: 'dark' });
    expect(getComputedStyle(part(el, 'name')!).color).to.not.equal(lightText);
    await expect(el).to.be.accessible();
    await emulateMedia({ colorScheme: 'light', forcedColors: 'active' });
    await expect(el).to.be.accessible();
  });
});
