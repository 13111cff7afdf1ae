import { css } from 'lit';

export const sidebarStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    min-width: 0;
    max-width: 100%;
    color: var(--_text);
    background: var(--_surface);
    font-family: var(--_font);
    font-size: var(--_font-size);
    line-height: 1.4;
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  .base {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 100%;
  }

  .header {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    padding: var(--_space-s) var(--_space-m);
    border-block-end: 1px solid var(--_border);
  }

  .product {
    margin: 0;
    font-family: var(--_font-heading);
    font-size: var(--_font-size);
    font-weight: 700;
    letter-spacing: 0.02em;
  }

  .product::before {
    content: '';
    display: inline-block;
    width: 0.6em;
    height: 0.6em;
    margin-inline-end: var(--_space-s);
    border-radius: 50%;
    background: var(--_accent);
  }

  .main {
    flex: 1;
    min-width: 0;
    padding: var(--_space-m);
    overflow-wrap: anywhere;
  }

  .notice {
    margin: 0 0 var(--_space-m);
    padding: var(--_space-s) var(--_space-m);
    border: 1px solid var(--_border);
    border-inline-start: 3px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--_surface-raised);
  }

  .notice.error {
    border-inline-start-color: var(--_error);
  }

  .notice p {
    margin: 0;
  }

  .retry {
    margin-block-start: var(--_space-s);
  }

  @media (forced-colors: active) {
    .product::before {
      forced-color-adjust: none;
      background: CanvasText;
    }
  }
`;
