import { css } from 'lit';

export const sparklineStyles = css`
  :host {
    --_line: var(--curbside-sparkline-line-color, var(--_muted));
    --_band: var(--curbside-sparkline-band-color, color-mix(in srgb, var(--_success) 18%, transparent));
    --_latest: var(--curbside-sparkline-latest-color, var(--_text));
    --_highlight: var(--curbside-sparkline-highlight-color, var(--_accent));
    --_dot: var(--curbside-sparkline-dot-size, 6px);

    display: inline-block;
    box-sizing: border-box;
    width: var(--curbside-sparkline-width, 6rem);
    height: var(--curbside-sparkline-height, 1.75rem);
    /* Room for the dots at the edges, which are drawn centred on the first and last values. */
    padding: calc(var(--_dot) * 0.75);
    vertical-align: middle;
  }

  :host([hidden]) {
    display: none;
  }

  .base {
    display: block;
    width: 100%;
    height: 100%;
    overflow: visible;
  }

  .band {
    fill: var(--_band);
  }

  /* Non-scaling strokes keep lines and dots round though the box is stretched to any shape. */
  .line {
    fill: none;
    stroke: var(--_line);
    stroke-width: var(--curbside-sparkline-line-width, 1.5px);
    stroke-linejoin: round;
    stroke-linecap: round;
    vector-effect: non-scaling-stroke;
  }

  /* Dots are zero-length strokes with round caps: circles whatever the aspect ratio. */
  .latest,
  .highlight,
  .highlight-core {
    fill: none;
    stroke-linecap: round;
    vector-effect: non-scaling-stroke;
  }

  .latest {
    stroke: var(--_latest);
    stroke-width: var(--_dot);
  }

  .highlight {
    stroke: var(--_highlight);
    stroke-width: calc(var(--_dot) * 1.6);
  }

  /* The hollow centre makes a highlighted value a ring, told apart by shape as well as colour. */
  .highlight-core {
    stroke: var(--_surface);
    stroke-width: calc(var(--_dot) * 0.7);
  }
`;
