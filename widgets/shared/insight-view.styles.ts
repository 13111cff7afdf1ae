import { css } from 'lit';

/** Styles for the pieces in `insight-view.ts` and the buttons the insight views share. */
export const insightViewStyles = css`
  :host {
    --_ai-label-bg: var(--curbside-ai-label-background, color-mix(in srgb, var(--_accent) 10%, var(--_surface)));
    --_ai-label-edge: var(--curbside-ai-label-color, var(--_accent));
    --_unverified: var(--curbside-color-unverified, var(--_error));
  }

  p {
    margin: 0;
  }

  .ai-label {
    display: grid;
    gap: var(--_space-xs);
    padding: var(--_space-s) var(--_space-m);
    background: var(--_ai-label-bg);
    border-inline-start: 3px solid var(--_ai-label-edge);
    border-radius: var(--_radius);
    overflow-wrap: anywhere;
  }

  .ai-label-title {
    font-weight: 700;
  }

  .ai-label-model,
  .built-in {
    font-size: calc(var(--_font-size) * 0.9);
    color: var(--_muted);
  }

  .built-in {
    font-style: italic;
  }

  .button {
    min-height: 2rem;
    padding: var(--_space-xs) var(--_space-m);
    font: inherit;
    font-weight: 600;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
  }

  .button:hover:not(:disabled) {
    background: var(--_surface-raised);
  }

  .button.primary {
    color: var(--_surface);
    background: var(--_accent);
    border-color: var(--_accent);
  }

  .button.primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_accent) 85%, var(--_text));
  }

  .button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  .button:focus-visible,
  summary:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .error {
    display: grid;
    gap: var(--_space-xs);
    overflow-wrap: anywhere;
  }

  .error-title {
    font-weight: 700;
    color: var(--_error);
  }

  .raw summary {
    cursor: pointer;
    color: var(--_accent);
  }

  .raw-text {
    margin: var(--_space-s) 0 0;
    padding: var(--_space-s);
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: calc(var(--_font-size) * 0.85);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_surface-raised);
    border-radius: var(--_radius);
  }

  .citations {
    display: grid;
    gap: var(--_space-s);
    margin: 0;
    padding-inline-start: 1.4em;
  }

  .citation {
    overflow-wrap: anywhere;
  }

  .citation-title {
    font-style: normal;
    font-weight: 600;
  }

  .citation-source {
    color: var(--_muted);
  }

  .citation-link {
    color: var(--_accent);
  }

  .citation-quote {
    display: block;
    margin-block-start: var(--_space-xs);
    font-style: italic;
    color: var(--_muted);
  }

  .unverified {
    display: inline-block;
    padding: 0 var(--_space-xs);
    font-size: calc(var(--_font-size) * 0.85);
    font-weight: 600;
    color: var(--_unverified);
    border: 1px dashed currentColor;
    border-radius: calc(var(--_radius) * 0.5);
  }

  /* Progress while a model answers, shared by the differential and the evidence view. */
  .progress {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    color: var(--_muted);
  }

  .spinner {
    flex: none;
    width: 1em;
    height: 1em;
    border: 2px solid var(--_border);
    border-block-start-color: var(--_accent);
    border-radius: 50%;
  }

  @media (prefers-reduced-motion: no-preference) {
    .spinner {
      animation: spin 0.9s linear infinite;
      will-change: transform;
    }
  }

  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
`;
