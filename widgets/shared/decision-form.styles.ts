import { css } from 'lit';

/**
 * Accept/reject controls' reason line and reject form, shared by `<curbside-differential>` (a
 * suggestion's own decision) and `<curbside-decision>` (a sign's or a treatment's), so the two
 * forms look and behave alike. Listed last in an element's styles, as the rules once were.
 */
export const decisionFormStyles = css`
  .accept-reason {
    font-size: calc(var(--_font-size) * 0.9);
    color: var(--_muted);
  }

  .reject-form {
    display: grid;
    gap: var(--_space-s);
    padding: var(--_space-s);
    background: var(--_surface-raised);
    border-radius: var(--_radius);
  }

  fieldset {
    display: grid;
    gap: var(--_space-xs);
    margin: 0;
    padding: 0;
    border: 0;
  }

  legend {
    margin-block-end: var(--_space-xs);
    padding: 0;
    font-weight: 600;
  }

  .reason {
    display: flex;
    align-items: center;
    gap: var(--_space-s);
    min-height: 1.75rem;
  }

  .comment-label {
    font-weight: 600;
  }

  .comment {
    width: 100%;
    min-height: 3rem;
    padding: var(--_space-xs) var(--_space-s);
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    resize: vertical;
  }

  .comment[aria-invalid='true'] {
    border-color: var(--_error);
  }

  .form-problem {
    font-weight: 600;
    color: var(--_error);
  }
`;
