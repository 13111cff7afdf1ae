import { css } from 'lit';

export const payloadViewStyles = css`
  :host {
    line-height: 1.4;
  }

  .base {
    display: grid;
    gap: var(--_space-s);
    min-width: 0;
    overflow-wrap: anywhere;
  }

  .title {
    font-size: calc(var(--_font-size) * 1.05);
  }

  .sub {
    margin-block-start: var(--_space-xs);
    font-size: calc(var(--_font-size) * 0.85);
    letter-spacing: 0.03em;
    text-transform: uppercase;
    color: var(--_muted);
  }

  .lead,
  .none,
  .empty,
  .copy-status {
    color: var(--_muted);
  }

  .copy-status:empty {
    display: none;
  }

  .tokens {
    display: grid;
    gap: var(--_space-xs);
    margin: 0;
  }

  .tokens dt {
    font-weight: 600;
  }

  .tokens dd {
    margin: 0;
  }

  .tokens .over {
    font-weight: 600;
    color: var(--_error);
  }

  .plain-list {
    margin: 0;
    padding-inline-start: 1.25em;
  }

  .removed-label {
    font-weight: 600;
  }

  .json-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_space-s);
  }

  .json {
    max-height: var(--curbside-payload-view-max-height, 16rem);
    margin: 0;
    padding: var(--_space-s);
    overflow: auto;
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: calc(var(--_font-size) * 0.8);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--_surface-raised);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }

  .json:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
`;
