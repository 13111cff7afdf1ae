import { css } from 'lit';

export const patientBannerStyles = css`
  :host {
    display: block;
    min-width: 0;
    color: var(--_text);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.35;
  }

  :host([hidden]) {
    display: none;
  }

  .base {
    display: grid;
    gap: var(--_space-xs);
    min-width: 0;
    margin: 0;
    padding: var(--_space-s) var(--_space-m);
    background: var(--_surface-raised);
    border-block-end: 1px solid var(--_border);
    border-inline-start: 3px solid var(--_accent);
  }

  p {
    margin: 0;
    min-width: 0;
  }

  .name {
    margin: 0;
    font-family: var(--_font-heading);
    font-size: calc(var(--_font-size) * 1.15);
    font-weight: 600;
    /* Long names and unbroken tokens wrap rather than push the sidebar sideways. */
    overflow-wrap: anywhere;
  }

  .demographics {
    display: flex;
    flex-wrap: wrap;
    column-gap: var(--_space-s);
    color: var(--_muted);
  }

  .demographics > span:not(:first-child)::before {
    content: '·' / '';
    margin-inline-end: var(--_space-s);
  }

  .deceased {
    color: var(--_text);
    font-weight: 600;
  }

  .identifier {
    overflow-wrap: anywhere;
  }

  .identifier .label {
    color: var(--_muted);
    margin-inline-end: var(--_space-xs);
  }

  .identifier .value {
    font-variant-numeric: tabular-nums;
  }

  .allergies.present {
    font-weight: 600;
  }

  .allergies.unavailable {
    color: var(--_muted);
    font-style: italic;
  }

  .skeleton {
    height: 0.9em;
    border-radius: var(--_radius);
    background: var(--_skeleton);
  }

  .skeleton.name-line {
    width: 70%;
    height: 1.1em;
  }

  .skeleton.short {
    width: 45%;
  }

  @media (prefers-reduced-motion: no-preference) {
    .skeleton {
      animation: pulse 1.4s ease-in-out infinite;
    }
  }

  @keyframes pulse {
    50% {
      opacity: 0.5;
    }
  }

  .error-title {
    font-weight: 600;
    color: var(--_error);
  }

  .retry {
    justify-self: start;
    margin-block-start: var(--_space-xs);
  }

  @media (forced-colors: active) {
    .skeleton {
      border: 1px solid GrayText;
    }
  }
`;
