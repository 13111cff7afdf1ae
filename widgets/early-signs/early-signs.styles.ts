import { css } from 'lit';

export const earlySignsStyles = css`
  :host {
    --_cant-miss: var(--curbside-color-cant-miss, var(--_error));
    display: block;
  }

  .base {
    display: grid;
    gap: var(--_space-m);
  }

  .title {
    margin: 0;
    font-family: var(--_font-heading);
    font-size: 1rem;
  }

  .source {
    margin: 0;
    color: var(--_muted);
  }

  .list {
    display: grid;
    gap: var(--_space-m);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .sign {
    display: grid;
    gap: var(--_space-s);
    padding: var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
  }

  .sign-title {
    margin: 0;
    font-size: var(--_font-size);
    font-weight: 700;
  }

  .markers {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-xs);
  }

  .marker {
    padding: 0 var(--_space-xs);
    font-size: calc(var(--_font-size) * 0.85);
    font-weight: 600;
    border: 1px solid currentColor;
    border-radius: calc(var(--_radius) * 0.5);
  }

  .cant-miss {
    color: var(--_cant-miss);
  }

  .rare,
  .confidence {
    color: var(--_muted);
  }

  .figure {
    margin: 0;
    font-weight: 600;
  }

  .charts {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-m);
    align-items: center;
  }

  .chart {
    display: grid;
    gap: var(--_space-xs);
    font-size: calc(var(--_font-size) * 0.85);
    color: var(--_muted);
  }

  curbside-sparkline {
    --curbside-sparkline-width: 9rem;
    --curbside-sparkline-height: 2.25rem;
  }

  details > summary {
    cursor: pointer;
    color: var(--_accent);
  }

  details[open] > summary {
    margin-bottom: var(--_space-s);
  }

  .block {
    display: grid;
    gap: var(--_space-xs);
  }

  .block h5,
  .block h6,
  .block [role='heading'] {
    margin: 0;
    font-size: var(--_font-size);
  }

  ul.plain {
    margin: 0;
    padding-inline-start: calc(var(--_space) * 2);
  }

  .chips {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-xs);
  }

  .chip {
    font: inherit;
    font-size: calc(var(--_font-size) * 0.85);
    padding: 0 var(--_space-s);
    border: 1px solid var(--_accent);
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_accent);
    cursor: pointer;
  }

  .chip:focus-visible,
  summary:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .citation {
    margin: 0;
    color: var(--_muted);
  }

  a {
    color: var(--_accent);
  }

  .empty {
    margin: 0;
    color: var(--_muted);
  }

  curbside-decision {
    margin-block-start: var(--_space-s);
  }
`;
