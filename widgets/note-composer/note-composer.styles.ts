import { css } from 'lit';

export const noteComposerStyles = css`
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

  .field {
    display: grid;
    gap: var(--_space-xs);
    min-width: 0;
  }

  .label {
    font-weight: 600;
  }

  .hint,
  .empty,
  .review-reason {
    color: var(--_muted);
  }

  .hint,
  .review-reason {
    font-size: calc(var(--_font-size) * 0.9);
  }

  .status,
  .problem {
    overflow-wrap: anywhere;
  }

  .status {
    padding: var(--_space-s) var(--_space-m);
    background: var(--_surface-raised);
    border-radius: var(--_radius);
  }

  .problem {
    font-weight: 600;
    color: var(--_error);
  }

  .select,
  .text {
    max-width: 100%;
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .select {
    justify-self: start;
    min-height: 2rem;
    padding: var(--_space-xs) var(--_space-s);
  }

  /* Grows with its text: a section confirmed while part of it is scrolled out of sight was not read. */
  .text {
    width: 100%;
    min-height: calc(3lh + 2 * var(--_space-s));
    padding: var(--_space-s);
    line-height: 1.4;
    resize: vertical;
    overflow-wrap: anywhere;
    field-sizing: content;
  }

  .select:focus-visible,
  .text:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }

  .sections {
    display: grid;
    gap: var(--_space-m);
    margin: 0;
    padding: 0;
    list-style: none;
  }

  .section {
    display: grid;
    gap: var(--_space-xs);
    min-width: 0;
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .section.unreviewed,
  .section.confirmed {
    background: var(--_ai-label-bg);
    border-inline-start: 4px solid var(--_ai-label-edge);
  }

  .section.removed {
    background: var(--_surface-raised);
    border-style: dashed;
  }

  .section-head {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: var(--_space-xs) var(--_space-s);
    min-width: 0;
  }

  .section-title {
    overflow-wrap: anywhere;
  }

  .marker {
    padding: 0 var(--_space-xs);
    font-size: calc(var(--_font-size) * 0.85);
    font-weight: 600;
    border: 1px solid currentColor;
    border-radius: calc(var(--_radius) * 0.5);
    overflow-wrap: anywhere;
  }

  .marker.unreviewed,
  .marker.confirmed {
    color: var(--_ai-label-edge);
  }

  .marker.edited {
    color: var(--_success);
  }

  .marker.removed {
    color: var(--_muted);
    border-style: dashed;
  }

  .confirm {
    justify-self: start;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space-s);
    min-width: 0;
  }

  .review-reason {
    flex-basis: 100%;
    margin: 0;
    overflow-wrap: anywhere;
  }
`;
