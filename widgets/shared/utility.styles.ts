import { css } from 'lit';

/** Text for screen readers only; still in the accessibility tree, unlike `display: none`. */
export const visuallyHidden = css`
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
`;

/**
 * What every Curbside element's host shares: a block that never forces its container wider,
 * the theme's text, surface and font, border-box sizing, and headings in the heading font.
 */
export const elementBase = css`
  :host {
    display: block;
    min-width: 0;
    color: var(--_text);
    background: var(--_surface);
    font-family: var(--_font);
    font-size: var(--_font-size);
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .heading {
    font-family: var(--_font-heading);
    font-weight: 700;
  }
`;

/** The quiet "Try again" button an element shows beside a load error; each element places it. */
export const retryButton = css`
  .retry {
    padding: var(--_space-xs) var(--_space-m);
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
  }

  .retry:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
`;
