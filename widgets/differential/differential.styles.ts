import { css } from 'lit';

export const differentialStyles = css`
  :host {
    --_cant-miss: var(--curbside-color-cant-miss, var(--_error));

    line-height: 1.4;
  }

  [hidden] {
    display: none !important;
  }

  .base {
    display: grid;
    gap: var(--_space-m);
    min-width: 0;
  }

  .heading {
    overflow-wrap: anywhere;
  }

  .title {
    font-size: calc(var(--_font-size) * 1.15);
  }

  .empty,
  .none {
    color: var(--_muted);
  }

  .list {
    display: grid;
    gap: var(--_space-s);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .item {
    display: grid;
    gap: var(--_space-s);
    min-width: 0;
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .item.accepted {
    border-inline-start: 4px solid var(--_success);
  }

  .item.rejected {
    border-inline-start: 4px solid var(--_muted);
  }

  .item-head {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: var(--_space-s);
    align-items: start;
  }

  .rank {
    display: inline-grid;
    place-items: center;
    min-width: 1.6em;
    height: 1.6em;
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: 50%;
  }

  .item-summary {
    display: grid;
    gap: var(--_space-xs);
    min-width: 0;
  }

  .condition {
    font-size: calc(var(--_font-size) * 1.05);
  }

  .likelihood {
    color: var(--_muted);
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
    overflow-wrap: anywhere;
  }

  .cant-miss {
    color: var(--_cant-miss);
  }

  .rare {
    color: var(--_muted);
  }

  .decision {
    font-weight: 700;
  }

  .decision.accepted {
    color: var(--_success);
  }

  .decision.rejected {
    color: var(--_muted);
  }

  .disclosure {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    justify-self: start;
    min-height: 2rem;
    padding: var(--_space-xs) var(--_space-s);
    font: inherit;
    font-weight: 600;
    color: var(--_accent);
    background: transparent;
    border: 0;
    border-radius: var(--_radius);
    cursor: pointer;
  }

  .disclosure:hover {
    background: var(--_surface-raised);
  }

  .disclosure:focus-visible,
  .chip:focus-visible,
  input:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .chevron {
    width: 0.5em;
    height: 0.5em;
    border-inline-end: 2px solid currentColor;
    border-block-end: 2px solid currentColor;
    transform: rotate(-45deg);
  }

  .disclosure[aria-expanded='true'] .chevron {
    transform: rotate(45deg);
  }

  .details {
    display: grid;
    gap: var(--_space-m);
    min-width: 0;
    padding-block-start: var(--_space-s);
    border-block-start: 1px solid var(--_border);
  }

  .block {
    display: grid;
    gap: var(--_space-xs);
    min-width: 0;
  }

  .block > .heading,
  .sources > .heading {
    font-size: calc(var(--_font-size) * 0.85);
    letter-spacing: 0.03em;
    text-transform: uppercase;
    color: var(--_muted);
  }

  .sources {
    display: grid;
    gap: var(--_space-xs);
  }

  .findings {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-xs);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .finding {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-xs);
    max-width: 100%;
  }

  .chip {
    max-width: 100%;
    min-height: 1.75rem;
    padding: var(--_space-xs) var(--_space-s);
    font: inherit;
    text-align: start;
    color: var(--_text);
    background: var(--_surface-raised);
    border: 1px solid var(--_accent);
    border-radius: 999px;
    cursor: pointer;
    overflow-wrap: anywhere;
  }

  .chip:hover {
    background: color-mix(in srgb, var(--_accent) 14%, var(--_surface));
  }

  .chip-icon {
    margin-inline-end: var(--_space-xs);
    color: var(--_accent);
  }

  .chip.more {
    min-width: 1.75rem;
    font-variant-numeric: tabular-nums;
    text-align: center;
  }

  /* Unverified findings look like text, not chips: there is nothing in the chart to go to. */
  .finding-unverified {
    padding: var(--_space-xs) var(--_space-s);
    border: 1px dashed var(--_unverified);
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }

  .plain-list {
    margin: 0;
    padding-inline-start: 1.25em;
    overflow-wrap: anywhere;
  }

  .step-kind {
    font-weight: 600;
  }

  .fit {
    display: inline-block;
    margin-inline-start: var(--_space-xs);
    padding: 0 var(--_space-xs);
    font-size: calc(var(--_font-size) * 0.85);
    font-weight: 600;
    border: 1px solid currentColor;
    border-radius: calc(var(--_radius) * 0.5);
  }

  .fit-fits {
    color: var(--_success);
  }

  .fit-adjust {
    color: var(--curbside-color-warning, #8a5300);
  }

  .fit-avoid {
    color: var(--_error);
  }

  .fit-reasons {
    margin: var(--_space-xs) 0 0;
    padding-inline-start: 1.25em;
  }

  .option-decision {
    margin-block: var(--_space-xs) var(--_space-s);
  }

  .fit-source {
    color: var(--_muted);
  }

  .fact-count {
    color: var(--_muted);
  }

  .why summary {
    cursor: pointer;
    font-weight: 600;
    color: var(--_accent);
  }

  .why-body {
    display: grid;
    gap: var(--_space-xs);
    padding: var(--_space-s) 0 0 var(--_space-m);
    overflow-wrap: anywhere;
  }

  .why-title {
    margin-block-start: var(--_space-xs);
    font-weight: 600;
  }

  .actions {
    display: grid;
    gap: var(--_space-s);
    padding-block-start: var(--_space-s);
    border-block-start: 1px solid var(--_border);
  }

  .action-buttons {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-s);
  }

  .button[aria-disabled='true'] {
    cursor: default;
    opacity: 0.7;
  }

  .summary,
  .confidence {
    overflow-wrap: anywhere;
  }

  .confidence .label {
    font-weight: 600;
  }
`;
