/**
 * The developer docs page: every element's API from `custom-elements.json`, and a live example
 * of each rendered from the sample data in `docs/samples.ts`. Manifest text reaches the page only
 * through Lit text bindings.
 */
import { html, nothing, render, type TemplateResult } from 'lit';
import manifestElements from 'virtual:curbside-elements';
import '../widgets/index.ts';
import { buildCaseSummary, describePayload } from '../src/privacy/index.ts';
import { createReferenceEngineProvider } from '../src/insight/reference-engine/engine.ts';
import type { ManifestElement, ManifestItem } from '../scripts/custom-elements.ts';
import { banner, chart, clinician, decisions, egfr, insight, launchContext, memoryFhir, model, noteDraft } from './docs/samples.ts';

const elements: readonly ManifestElement[] = manifestElements;

/** Events the examples report in their log, so a reader sees what a host would receive. */
const LOGGED_EVENTS = [...new Set(elements.flatMap((e) => (e.events ?? []).map((event) => event.name)))];

const EXAMPLES: Record<string, () => TemplateResult> = {
  'curbside-patient-banner': () => html`<curbside-patient-banner .facts=${banner}></curbside-patient-banner>`,
  'curbside-chart-summary': () => html`<curbside-chart-summary .chart=${chart}></curbside-chart-summary>`,
  'curbside-sparkline': () =>
    html`<curbside-sparkline label="eGFR" .unit=${egfr.unit} .points=${egfr.points} .referenceRange=${egfr.referenceRange}></curbside-sparkline>`,
  'curbside-differential': () => html`<curbside-differential state="ready" .insight=${insight} .model=${model}></curbside-differential>`,
  'curbside-early-signs': () => html`<curbside-early-signs .chart=${chart}></curbside-early-signs>`,
  'curbside-decision': () => html`<curbside-decision insight-id="example" item-id="sign:egfr-rapid-decline" label="Kidney function falling fast"></curbside-decision>`,
  'curbside-evidence': () =>
    html`<curbside-evidence
      state="ready"
      question="Should the ACE inhibitor continue?"
      .answerText=${'Continue with **close monitoring** of potassium and eGFR; reduce the dose if potassium stays above 5.5.'}
      .model=${model}
    ></curbside-evidence>`,
  'curbside-about-ai': () =>
    html`<curbside-about-ai
      .model=${model}
      .validation=${{ date: '2026-06-01', caseSet: 'Invented cases for this example', figures: { 'Correct diagnosis in the top 3': '— (example)' } }}
    ></curbside-about-ai>`,
  'curbside-payload-view': () => html`<curbside-payload-view .payload=${describePayload(buildCaseSummary(chart))}></curbside-payload-view>`,
  'curbside-suggestions': () => html`<curbside-suggestions .chart=${chart} .provider=${createReferenceEngineProvider()}></curbside-suggestions>`,
  // No draft store: the example starts fresh on every visit instead of restoring an earlier try.
  'curbside-note-composer': () => html`<curbside-note-composer .insight=${insight} .decisions=${decisions}></curbside-note-composer>`,
  'curbside-attestation': () => html`<curbside-attestation .draft=${noteDraft} .clinician=${clinician}></curbside-attestation>`,
  'curbside-sidebar': () =>
    html`<curbside-sidebar .context=${launchContext} .fhir=${memoryFhir} .insightProvider=${createReferenceEngineProvider()}></curbside-sidebar>`,
};

function logEvents(container: HTMLElement, log: HTMLElement): void {
  for (const name of LOGGED_EVENTS) {
    container.addEventListener(name, (event) => {
      const line = document.createElement('div');
      const detail = (event as CustomEvent).detail as unknown;
      line.textContent = `${name} ${detail === undefined ? '' : JSON.stringify(detail)}`;
      log.prepend(line);
    });
  }
}

function renderItems(title: string, items: readonly (ManifestItem & { readonly type?: { readonly text: string } })[] | undefined, label = (i: ManifestItem) => i.name): TemplateResult | typeof nothing {
  if (!items?.length) return nothing;
  return html`<h3>${title}</h3>
    <dl class="api-list">
      ${items.map(
        (item) => html`<dt>${label(item)}${item.type ? html` <span class="api-type">${item.type.text}</span>` : nothing}</dt>
          <dd>${item.description || item.summary || '—'}</dd>`,
      )}
    </dl>`;
}

function renderElement(element: ManifestElement): TemplateResult {
  const members = element.members ?? [];
  const example = EXAMPLES[element.tagName];
  const properties = members.filter((m) => m.kind === 'field' && !m.static);
  const methods = members.filter((m) => m.kind === 'method' && !m.static);
  return html`<section class="element" id=${element.tagName} data-tag=${element.tagName}>
    <h2><code>&lt;${element.tagName}&gt;</code></h2>
    <p>${element.summary ?? ''}</p>
    ${element.description ? html`<p>${element.description}</p>` : nothing}
    ${example
      ? html`<h3>Example</h3>
          <div class="example" data-example=${element.tagName}>${example()}</div>
          <div class="event-log" aria-live="polite" aria-label="Events fired by the example"></div>`
      : nothing}
    ${renderItems('Properties', properties, (m) => ('attribute' in m && m.attribute ? `${m.name} (attribute ${String(m.attribute)})` : m.name))}
    ${renderItems('Methods', methods, (m) => `${m.name}()`)} ${renderItems('Events', element.events)} ${renderItems('Slots', element.slots, (s) => s.name || '(default)')}
    ${renderItems('CSS parts', element.cssParts)} ${renderItems('CSS custom properties', element.cssProperties)}
  </section>`;
}

const sorted = [...elements].sort((a, b) => a.tagName.localeCompare(b.tagName));
render(
  html`<ul>
    ${sorted.map((e) => html`<li><a href=${`#${e.tagName}`}>${e.tagName}</a></li>`)}
  </ul>`,
  document.getElementById('docs-toc')!,
);
const root = document.getElementById('docs-root')!;
render(html`${sorted.map(renderElement)}`, root);
for (const example of root.querySelectorAll<HTMLElement>('[data-example]')) logEvents(example, example.nextElementSibling as HTMLElement);
