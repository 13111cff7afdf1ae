import { css } from 'lit';

/**
 * Design tokens. Each element resolves the public `--curbside-*` properties into private
 * `--_*` ones with a default, instead of declaring the public ones on `:host`: a declaration
 * there would shadow the value an embedding page, the EHR's SMART style or an outer
 * Curbside element set, because custom properties inherit through shadow roots.
 *
 * Muted text, raised surfaces and borders are mixed from text and surface by default, so an
 * EHR theme that only sets `color_text` and `color_background` still gets matching ones.
 */
export const tokens = css`
  :host {
    --_accent: var(--curbside-color-accent, #0b5cad);
    --_text: var(--curbside-color-text, #1b1f24);
    --_surface: var(--curbside-color-surface, #ffffff);
    --_error: var(--curbside-color-error, #b3261e);
    --_success: var(--curbside-color-success, #1a7f37);
    --_backdrop: var(--curbside-color-backdrop, rgb(0 0 0 / 0.4));
    --_muted: var(--curbside-color-text-muted, color-mix(in srgb, var(--_text) 74%, var(--_surface)));
    --_surface-raised: var(--curbside-color-surface-raised, color-mix(in srgb, var(--_text) 5%, var(--_surface)));
    --_border: var(--curbside-color-border, color-mix(in srgb, var(--_text) 24%, var(--_surface)));
    --_skeleton: color-mix(in srgb, var(--_text) 12%, var(--_surface));

    --_font: var(--curbside-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif);
    --_font-heading: var(--curbside-font-family-heading, var(--_font));
    --_font-size: var(--curbside-font-size, 0.875rem);
    --_radius: var(--curbside-radius, 6px);
    --_space: var(--curbside-spacing, 8px);
    --_space-xs: calc(var(--_space) * 0.25);
    --_space-s: calc(var(--_space) * 0.5);
    --_space-m: var(--_space);
    --_space-l: calc(var(--_space) * 1.5);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_accent: var(--curbside-color-accent, #8ab8f0);
      --_text: var(--curbside-color-text, #e6e9ed);
      --_surface: var(--curbside-color-surface, #15181c);
      --_error: var(--curbside-color-error, #ff9a90);
      --_success: var(--curbside-color-success, #6fd08c);
      --_backdrop: var(--curbside-color-backdrop, rgb(0 0 0 / 0.6));
    }
  }

  /* High-contrast modes choose the colours; system colours keep borders and states visible. */
  @media (forced-colors: active) {
    :host {
      --_accent: Highlight;
      --_text: CanvasText;
      --_surface: Canvas;
      --_error: CanvasText;
      --_success: CanvasText;
      --_muted: CanvasText;
      --_surface-raised: Canvas;
      --_border: CanvasText;
      --_skeleton: GrayText;
    }
  }
`;
