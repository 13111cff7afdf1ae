import { css } from 'lit';

export const evidenceStyles = css`
  :host {
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

  .title {
    font-size: calc(var(--_font-size) * 1.15);
  }

  .question-form {
    display: grid;
    gap: var(--_space-xs);
  }

  .question-label {
    font-weight: 600;
  }

  .question {
    width: 100%;
    min-height: 4rem;
    padding: var(--_space-s);
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    resize: vertical;
  }

  .question:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }

  .question[aria-invalid='true'] {
    border-color: var(--_error);
  }

  .hint {
    font-size: calc(var(--_font-size) * 0.85);
    color: var(--_muted);
  }

  .form-problem {
    font-weight: 600;
    color: var(--_error);
  }

  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_space-s);
    margin-block-start: var(--_space-xs);
  }

  .button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }

  .asked {
    overflow-wrap: anywhere;
    white-space: pre-wrap;
  }

  .asked-label {
    font-weight: 600;
  }

  .stopped {
    font-style: italic;
    color: var(--_muted);
  }

  .retraction {
    display: grid;
    gap: var(--_space-xs);
    padding: var(--_space-s) var(--_space-m);
    background: var(--_surface-raised);
    border-inline-start: 4px solid var(--_error);
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }

  .retraction-title {
    font-weight: 700;
    color: var(--_error);
  }

  .sources {
    display: grid;
    gap: var(--_space-xs);
  }

  .sources-title {
    font-size: calc(var(--_font-size) * 0.85);
    letter-spacing: 0.03em;
    text-transform: uppercase;
    color: var(--_muted);
  }

  .confidence {
    overflow-wrap: anywhere;
  }

  .confidence-label {
    font-weight: 600;
  }
`;
