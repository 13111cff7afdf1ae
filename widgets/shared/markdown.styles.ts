import { css } from 'lit';

/**
 * Rendered model markdown inside a `.markdown` container. Blocks carry only a bottom margin,
 * so spacing is the same whether the blocks sit directly in the container or each in its own
 * `.markdown-block` box (as `markdownStream()` renders them).
 */
export const markdownStyles = css`
  .markdown {
    min-width: 0;
    line-height: 1.45;
    overflow-wrap: anywhere;
  }

  /* Independent boxes: a new block is laid out without laying out the ones before it. */
  .markdown-block {
    content-visibility: auto;
    contain-intrinsic-size: auto 3em;
  }

  /* The block still being written, shown as its plain source until it is complete. */
  .markdown-open {
    white-space: pre-wrap;
  }

  .markdown :is(p, ul, ol, pre, blockquote, table, hr, h3, h4, h5, h6) {
    margin-block: 0 var(--_space-m);
  }

  .markdown > :last-child,
  .markdown > .markdown-block:last-child > :last-child,
  .markdown li > :last-child,
  .markdown blockquote > :last-child {
    margin-block-end: 0;
  }

  .markdown :is(h3, h4, h5, h6) {
    font-family: var(--_font-heading);
    font-size: 1em;
    font-weight: 700;
  }

  .markdown h3 {
    font-size: 1.1em;
  }

  .markdown :is(ul, ol) {
    padding-inline-start: 1.4em;
  }

  .markdown li + li {
    margin-block-start: var(--_space-xs);
  }

  .markdown code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
    padding: 0 0.2em;
    background: var(--_surface-raised);
    border-radius: calc(var(--_radius) * 0.5);
  }

  /* Wrapped rather than scrolled: a 320 px sidebar has no room for a horizontal scrollbar. */
  .markdown pre {
    padding: var(--_space-s);
    white-space: pre-wrap;
    background: var(--_surface-raised);
    border-radius: var(--_radius);
  }

  .markdown pre code {
    padding: 0;
    background: none;
  }

  .markdown blockquote {
    margin-inline: 0;
    padding-inline-start: var(--_space-m);
    color: var(--_muted);
    border-inline-start: 3px solid var(--_border);
  }

  .markdown table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.95em;
  }

  .markdown :is(th, td) {
    padding: var(--_space-xs) var(--_space-s);
    text-align: start;
    vertical-align: top;
    border: 1px solid var(--_border);
  }

  .markdown [align='right'] {
    text-align: end;
  }

  .markdown [align='center'] {
    text-align: center;
  }

  .markdown hr {
    border: 0;
    border-block-start: 1px solid var(--_border);
  }

  .markdown a[href] {
    color: var(--_accent);
  }

  .markdown a[target='_blank']::after {
    content: ' ↗' / ' (opens in a new tab)';
  }

  /* A link whose address was removed reads as plain text. */
  .markdown a:not([href]) {
    color: inherit;
    text-decoration: none;
  }

  .markdown a:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
`;
