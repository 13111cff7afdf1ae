import { css } from 'lit';

export const decisionStyles = css`
  :host {
    display: block;
  }

  .base {
    display: grid;
    gap: var(--_space-s);
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

  .decision {
    font-weight: 700;
  }

  .decision.accepted {
    color: var(--_success);
  }

  .decision.rejected {
    color: var(--_muted);
  }
`;
