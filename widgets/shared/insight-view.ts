/**
 * Pieces every view of model output shares: the AI label with the model's identity, the
 * citation list, and the error block. Each returns a template with `part` names that the
 * hosting element documents as its own. Model text goes only into text bindings here; the
 * only attributes built from model output are links, and those only from checked identifiers.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { GroundedCitation, InsightErrorKind, ModelIdentity } from '../../src/insight/types.ts';
import { isWebUrl } from './markdown.ts';

/** What a view needs to show a failure: an `InsightError`, or its fields. */
export interface InsightErrorView {
  /** An `InsightErrorKind`; any other kind is shown with a general title. */
  readonly kind: InsightErrorKind | (string & {});
  readonly message: string;
  /** The model's raw answer, when there was one. */
  readonly raw?: string | undefined;
}

export type InsightViewState = 'idle' | 'streaming' | 'ready' | 'error';

export const AI_LABEL = 'AI-generated — verify before use';

export const BUILT_IN_STATEMENT =
  "This is Curbside's built-in reference engine, not a clinical model: fixed rules with guideline citations, reading only the coded problems, medicines, results and note keywords in the case summary.";

/** The persistent label: what produced the content and that a clinician must check it. */
export function renderAiLabel(model: ModelIdentity | undefined): TemplateResult {
  return html`
    <div part="ai-label" class="ai-label">
      <p class="ai-label-title"><span class="ai-label-icon" aria-hidden="true">⚠</span> ${AI_LABEL}</p>
      <p part="model" class="ai-label-model">
        ${model ? html`Model: <span class="model-name">${model.name}</span> <span class="model-version">${model.version}</span>` : 'Model: not yet known'}
      </p>
      ${model?.builtIn ? html`<p part="built-in" class="built-in">${BUILT_IN_STATEMENT}</p>` : nothing}
    </div>
  `;
}

const ERROR_TITLES: Readonly<Record<InsightErrorKind, string>> = {
  cancelled: 'The request was stopped',
  timeout: 'The model took too long to answer',
  'rate-limited': 'The model service is busy',
  unauthorized: 'Your sign-in to the model service has expired',
  forbidden: 'Your account may not use this model',
  'content-filter': "The model service's content filter stopped the answer",
  'invalid-output': "The model's answer could not be read, so none of it is shown",
  network: "Curbside couldn't reach the model service",
  server: 'The model service had a problem',
  configuration: 'The model service is not set up correctly',
};

export function errorTitle(kind: string): string {
  return Object.hasOwn(ERROR_TITLES, kind) ? ERROR_TITLES[kind as InsightErrorKind] : 'Something went wrong with the model';
}

/** The failure in plain words, a Retry button, and the raw answer (as text) for those who want to see it. */
export function renderInsightError(error: InsightErrorView, onRetry: () => void): TemplateResult {
  return html`
    <div part="error" class="error" role="alert">
      <p class="error-title">${errorTitle(error.kind)}</p>
      <p class="error-message">${error.message}</p>
    </div>
    <button part="retry-button" class="button" type="button" @click=${onRetry}>Retry</button>
    ${error.raw
      ? html`<details part="raw" class="raw">
          <summary>Show the model's raw answer</summary>
          <pre class="raw-text">${error.raw}</pre>
        </details>`
      : nothing}
  `;
}

const DOI = /^10\.\d{4,9}\/\S+$/;
const PMID = /^\d{1,9}$/;

/** A doi.org address for a well-formed DOI; undefined otherwise. */
export function doiUrl(doi: string | null | undefined): string | undefined {
  const value = doi?.trim().replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, '');
  if (!value || !DOI.test(value)) return undefined;
  return `https://doi.org/${value.split('/').map(encodeURIComponent).join('/')}`;
}

/** A PubMed address for a numeric PMID; undefined otherwise. */
export function pmidUrl(pmid: string | null | undefined): string | undefined {
  const value = pmid?.trim();
  return value && PMID.test(value) ? `https://pubmed.ncbi.nlm.nih.gov/${value}/` : undefined;
}

function externalLink(href: string, text: string, label: string): TemplateResult {
  return html`<a part="citation-link" class="citation-link" href=${href} target="_blank" rel="noopener noreferrer" aria-label=${`${label} (opens in a new tab)`}
    >${text}</a
  >`;
}

function citationLinks(citation: GroundedCitation): TemplateResult[] {
  if (!citation.verified) return [];
  const links: TemplateResult[] = [];
  const doi = doiUrl(citation.doi);
  if (doi) links.push(externalLink(doi, `DOI ${citation.doi!.trim()}`, `DOI ${citation.doi!.trim()}: ${citation.title}`));
  const pubmed = pmidUrl(citation.pmid);
  if (pubmed) links.push(externalLink(pubmed, `PubMed ${citation.pmid!.trim()}`, `PubMed ${citation.pmid!.trim()}: ${citation.title}`));
  if (isWebUrl(citation.url)) links.push(externalLink(citation.url, 'Source', `Source: ${citation.title}`));
  return links;
}

/** A citation list: title, source, year, links for checked identifiers, and a mark on unverified ones. */
export function renderCitations(citations: readonly GroundedCitation[]): TemplateResult {
  return html`
    <ol part="citations" class="citations">
      ${citations.map((citation) => {
        const links = citationLinks(citation);
        return html`
          <li part="citation ${citation.verified ? 'citation-verified' : 'citation-unverified'}" class="citation">
            <cite class="citation-title">${citation.title}</cite>
            <span class="citation-source">${[citation.source, citation.year ?? undefined].filter((part) => part !== undefined && part !== '').join(', ')}</span>
            ${links.length > 0 ? html`<span class="citation-links">${links.map((link) => html`${link} `)}</span>` : nothing}
            ${citation.verified
              ? nothing
              : html`<span part="unverified" class="unverified">Unverified — no DOI, PubMed id or web address to check it by</span>`}
            ${citation.quote ? html`<q class="citation-quote">${citation.quote}</q>` : nothing}
          </li>
        `;
      })}
    </ol>
  `;
}
