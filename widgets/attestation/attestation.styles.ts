import { css } from 'lit';

export const attestationStyles = css`
  :host {
    line-height: 1.4;
  }

  .base {
    display: grid;
    gap: var(--_space-m);
    min-width: 0;
  }

  .title {
    font-size: calc(var(--_font-size) * 1.15);
  }

  .title:focus-visible,
  .write-status:focus-visible,
  .checkbox:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .empty,
  .confirm-reason {
    color: var(--_muted);
  }

  .no-clinician {
    display: grid;
    gap: var(--_space-xs);
    padding: var(--_space-s) var(--_space-m);
    border-inline-start: 4px solid var(--_error);
    overflow-wrap: anywhere;
  }

  .intro {
    font-weight: 600;
  }

  /* Wrapped, never scrolled sideways; the text itself is not changed by the wrapping. */
  .text {
    margin: 0;
    padding: var(--_space-s) var(--_space-m);
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: calc(var(--_font-size) * 0.9);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .ai-sections {
    display: grid;
    gap: var(--_space-xs);
    padding: var(--_space-s) var(--_space-m);
    background: var(--_ai-label-bg);
    border-inline-start: 3px solid var(--_ai-label-edge);
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }

  .ai-sections-title {
    font-weight: 600;
  }

  .ai-list {
    margin: 0;
    padding-inline-start: 1.25em;
  }

  .unreviewed {
    font-weight: 600;
    color: var(--_error);
    overflow-wrap: anywhere;
  }

  .statement {
    font-style: italic;
    overflow-wrap: anywhere;
  }

  .checkbox-label {
    display: grid;
    grid-template-columns: auto minmax(0, 1fr);
    gap: var(--_space-s);
    align-items: start;
    font-weight: 600;
    cursor: pointer;
  }

  .checkbox {
    width: 1.1rem;
    height: 1.1rem;
    margin: 0.1rem 0 0;
    accent-color: var(--_accent);
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
    min-width: 0;
  }

  .confirm-reason {
    flex-basis: 100%;
    margin: 0;
    font-size: calc(var(--_font-size) * 0.9);
    overflow-wrap: anywhere;
  }

  .write-status,
  .write-alert {
    display: grid;
    gap: var(--_space-xs);
    justify-items: start;
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .write-title {
    font-weight: 700;
  }

  .confirmed {
    font-weight: 700;
    color: var(--_success);
  }

  .write-alert .write-title {
    color: var(--_error);
  }
`;
