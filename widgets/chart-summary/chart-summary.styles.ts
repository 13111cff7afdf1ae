import { css } from 'lit';

export const chartSummaryStyles = css`
  :host {
    --_highlight: var(--curbside-chart-summary-highlight-color, color-mix(in srgb, var(--_accent) 16%, var(--_surface)));
    --_abnormal: var(--curbside-color-abnormal, var(--_error));

    display: block;
    min-width: 0;
    color: var(--_text);
    background: var(--_surface);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.35;
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .base {
    display: grid;
    gap: var(--_space-l);
    min-width: 0;
  }

  .section {
    display: grid;
    gap: var(--_space-xs);
    min-width: 0;
  }

  .section + .section {
    padding-block-start: var(--_space-m);
    border-block-start: 1px solid var(--_border);
  }

  .section-title {
    font-family: var(--_font-heading);
    font-size: calc(var(--_font-size) * 0.85);
    font-weight: 700;
    letter-spacing: 0.04em;
    text-transform: uppercase;
    color: var(--_muted);
  }

  p {
    margin: 0;
  }

  /* Inset like the item text, so a section reads as one column. */
  .section-title,
  .empty,
  .unavailable,
  .section-note {
    padding-inline: var(--_space-s);
  }

  .empty,
  .unavailable,
  .section-note {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }

  .unavailable {
    font-style: italic;
  }

  .section-note {
    font-size: calc(var(--_font-size) * 0.85);
  }

  .list {
    display: grid;
    gap: 1px;
    min-width: 0;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .list > li {
    min-width: 0;
  }

  /* Each fact is a full-width button that reads as a row of text until hovered or focused. */
  .item {
    display: grid;
    gap: 0 var(--_space-s);
    width: 100%;
    min-width: 0;
    margin: 0;
    padding: var(--_space-xs) var(--_space-s);
    font: inherit;
    text-align: start;
    color: inherit;
    background: transparent;
    border: 0;
    border-radius: var(--_radius);
    cursor: pointer;
    scroll-margin-block: var(--_space-l);
  }

  .item:hover {
    background: var(--_surface-raised);
  }

  /* Drawn inside the button so an ancestor's overflow clipping cannot hide it. */
  .item:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }

  .item.highlighted {
    background: var(--_highlight);
    box-shadow: inset 3px 0 0 var(--_accent);
  }

  @media (prefers-reduced-motion: no-preference) {
    .item {
      transition: background-color 0.3s ease-out;
    }
  }

  .item-title {
    min-width: 0;
    font-weight: 600;
    /* Long drug names and unbroken codes wrap rather than push the sidebar sideways. */
    overflow-wrap: anywhere;
  }

  .item-meta {
    min-width: 0;
    font-size: calc(var(--_font-size) * 0.9);
    color: var(--_muted);
    overflow-wrap: anywhere;
  }

  .badge {
    display: inline-block;
    padding: 0 var(--_space-xs);
    font-size: calc(var(--_font-size) * 0.8);
    font-weight: 700;
    line-height: 1.4;
    white-space: nowrap;
    vertical-align: 0.1em;
    border: 1px solid currentColor;
    border-radius: var(--_radius);
  }

  .badge.quiet {
    color: var(--_muted);
    font-weight: 600;
  }

  .badge.alert {
    color: var(--_abnormal);
  }

  .badge.critical {
    color: var(--_surface);
    background: var(--_abnormal);
    border-color: var(--_abnormal);
  }

  /* Labs and vitals: name, reading and date on the left, the sparkline on the right. */
  .lab,
  .vital {
    grid-template-columns: minmax(0, 1fr) auto;
    grid-template-areas:
      'head spark'
      'meta meta';
    align-items: center;
  }

  .headline {
    grid-area: head;
    display: grid;
    min-width: 0;
  }

  .reading {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0 var(--_space-s);
    min-width: 0;
  }

  .lab .item-meta,
  .vital .item-meta {
    grid-area: meta;
  }

  .value {
    font-variant-numeric: tabular-nums;
    overflow-wrap: anywhere;
  }

  .value.abnormal {
    color: var(--_abnormal);
    font-weight: 700;
  }

  .trend {
    color: var(--_muted);
  }

  .sparkline {
    grid-area: spark;
    width: var(--curbside-sparkline-width, 5.5rem);
    height: var(--curbside-sparkline-height, 2.25rem);
  }

  /* Vitals are shorter: name and reading share a line when they fit, the reading wrapping under the name when not. */
  .vital {
    grid-template-areas:
      'head spark'
      'meta spark';
  }

  .vital .headline {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: baseline;
    column-gap: var(--_space-s);
  }

  .vital .item-title {
    font-weight: 500;
  }

  .vital .sparkline {
    width: var(--curbside-sparkline-width, 4.5rem);
    height: var(--curbside-sparkline-height, 1.75rem);
  }

  .more > summary {
    padding: var(--_space-xs) var(--_space-s);
    color: var(--_muted);
    border-radius: var(--_radius);
    cursor: pointer;
  }

  .more > summary:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }

  .skeleton {
    display: grid;
    gap: var(--_space-s);
    padding: var(--_space-xs) var(--_space-s);
  }

  .skeleton > span {
    height: 0.9em;
    border-radius: var(--_radius);
    background: var(--_skeleton);
  }

  .skeleton > .short {
    width: 55%;
  }

  @media (prefers-reduced-motion: no-preference) {
    .skeleton > span {
      animation: pulse 1.4s ease-in-out infinite;
    }
  }

  @keyframes pulse {
    50% {
      opacity: 0.5;
    }
  }

  @media (forced-colors: active) {
    .item.highlighted {
      outline: 3px solid Highlight;
      outline-offset: -3px;
    }

    .badge.critical {
      forced-color-adjust: none;
      color: Canvas;
      background: CanvasText;
    }

    .skeleton > span {
      border: 1px solid GrayText;
    }
  }
`;
