import { failOnLitWarnings } from '../../test/component/lit-warnings.ts';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { defineOnce } from './define.ts';
import { CurbsidePatientLoadEvent } from './events.ts';

failOnLitWarnings();

describe('defineOnce', () => {
  it('defines a free tag, and on a second copy keeps the first definition with a warning instead of throwing', () => {
    class First extends HTMLElement {}
    class Second extends HTMLElement {}
    defineOnce('curbside-define-probe', First);
    expect(customElements.get('curbside-define-probe')).to.equal(First);

    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      expect(() => defineOnce('curbside-define-probe', Second)).to.not.throw();
      defineOnce('curbside-define-probe', First);
    } finally {
      console.warn = original;
    }
    expect(customElements.get('curbside-define-probe')).to.equal(First);
    expect(warnings.length).to.equal(1);
    expect(String(warnings[0]?.[0])).to.contain('<curbside-define-probe> is already defined');
  });
});

describe('Curbside events', () => {
  it('bubble out of shadow roots with a frozen, typed detail', async () => {
    const outer = await fixture<HTMLDivElement>(html`<div></div>`);
    const inner = document.createElement('span');
    outer.attachShadow({ mode: 'open' }).append(inner);

    setTimeout(() => inner.dispatchEvent(new CurbsidePatientLoadEvent({ reference: 'Patient/p1' })));
    const event = await oneEvent(outer, 'curbside-patient-load');
    expect(event).to.be.instanceOf(CurbsidePatientLoadEvent);
    expect(event.detail.reference).to.equal('Patient/p1');
    expect(Object.isFrozen(event.detail)).to.equal(true);
  });
});
