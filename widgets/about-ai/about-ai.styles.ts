import { css } from 'lit';

export const aboutAiStyles = css`
  :host {
    line-height: 1.45;
  }

  .base {
    display: grid;
    gap: var(--_space-l);
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .title {
    font-size: calc(var(--_font-size) * 1.15);
  }

  .label {
    margin: 0;
    padding: var(--_space-s) var(--_space-m);
    font-weight: 600;
    border-inline-start: 3px solid var(--_accent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_accent) 10%, var(--_surface));
  }

  .section {
    display: grid;
    gap: var(--_space-s);
    min-width: 0;
    padding-block-start: var(--_space-m);
    border-block-start: 1px solid var(--_border);
  }

  .section-title {
    font-size: calc(var(--_font-size) * 1.02);
  }

  p {
    margin: 0;
  }

  ul {
    display: grid;
    gap: var(--_space-xs);
    margin: 0;
    padding-inline-start: 1.25em;
  }

  .facts {
    display: grid;
    gap: var(--_space-xs);
    margin: 0;
  }

  .facts > div {
    display: flex;
    flex-wrap: wrap;
    gap: 0 var(--_space-s);
  }

  .facts dt {
    font-weight: 600;
  }

  .facts dt::after {
    content: ':';
  }

  .facts dd {
    margin: 0;
    min-width: 0;
  }

  .muted,
  .built-in {
    color: var(--_muted);
  }

  .built-in {
    font-style: italic;
  }
`;
