import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { ReferenceRange, SeriesPoint } from '../../src/chart/types.ts';
import { defineOnce } from '../shared/define.ts';
import { tokens } from '../shared/tokens.styles.ts';
import { BOX, describeTrend, sparklineGeometry, type SparklineGeometry } from './sparkline-geometry.ts';
import { sparklineStyles } from './sparkline.styles.ts';

/**
 * @summary A small line chart of one observation series: the reference band shaded, the
 * latest value and any highlighted values marked, and the trend said in words as the image's
 * accessible name.
 *
 * Thousands of points are thinned for drawing, keeping each stretch's first, last, lowest and
 * highest value and every highlighted one. The element takes its size from
 * `--curbside-sparkline-width` and `--curbside-sparkline-height` (or plain `width`/`height`).
 *
 * @csspart base - The `<svg role="img">`.
 * @csspart band - The shaded reference range.
 * @csspart line - The line through the values.
 * @csspart latest - The dot on the latest value.
 * @csspart highlight - The ring around each highlighted value.
 *
 * @cssprop --curbside-sparkline-width - Width of the element (default 6rem).
 * @cssprop --curbside-sparkline-height - Height of the element (default 1.75rem).
 * @cssprop --curbside-sparkline-line-color - The line; muted text colour by default.
 * @cssprop --curbside-sparkline-line-width - The line's stroke width (default 1.5px).
 * @cssprop --curbside-sparkline-band-color - The reference band; a pale success colour by default.
 * @cssprop --curbside-sparkline-latest-color - The latest value's dot; text colour by default.
 * @cssprop --curbside-sparkline-highlight-color - Rings around highlighted values; accent colour by default.
 * @cssprop --curbside-sparkline-dot-size - Diameter of the latest value's dot (default 6px).
 * @cssprop --curbside-color-text - Text colour, the latest dot's default.
 * @cssprop --curbside-color-text-muted - The line's default colour.
 * @cssprop --curbside-color-success - Mixed into the reference band's default.
 * @cssprop --curbside-color-accent - The highlight rings' default.
 * @cssprop --curbside-color-surface - The hollow centre of the highlight rings.
 */
export class CurbsideSparklineElement extends LitElement {
  static override styles = [tokens, sparklineStyles];

  #geometry: SparklineGeometry = sparklineGeometry([], undefined, new Set());
  #description = '';

  /** The values, oldest first, in one unit. */
  @property({ attribute: false }) points: readonly SeriesPoint[] = [];

  /** Shaded as a band behind the line; a bound left out extends the band to the edge. */
  @property({ attribute: false }) referenceRange: ReferenceRange | undefined;

  /** References of the points to emphasise, e.g. the values a finding rests on. */
  @property({ attribute: false }) highlight: readonly string[] = [];

  /** The series unit, used in the spoken description. */
  @property() unit: string | undefined;

  /** What the series is ("eGFR"); begins the accessible name. */
  @property() label = '';

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('points') || changed.has('referenceRange') || changed.has('highlight') || changed.has('unit') || changed.has('label')) {
      const highlight = new Set(this.highlight);
      this.#geometry = sparklineGeometry(this.points, this.referenceRange, highlight);
      this.#description = describeTrend(this.label, this.points, this.unit, this.referenceRange, highlight);
    }
  }

  override render() {
    const { band, line, latest, highlighted } = this.#geometry;
    return html`
      <svg part="base" class="base" role="img" aria-label=${this.#description} viewBox="0 0 ${BOX} ${BOX}" preserveAspectRatio="none">
        ${band ? svg`<rect part="band" class="band" x="0" y=${band.y} width=${BOX} height=${band.height}></rect>` : nothing}
        ${line.includes(' ') ? svg`<polyline part="line" class="line" points=${line}></polyline>` : nothing}
        ${highlighted.map(
          ({ x, y }) => svg`<path part="highlight" class="highlight" d="M${x} ${y}h0"></path><path class="highlight-core" d="M${x} ${y}h0"></path>`,
        )}
        ${latest ? svg`<path part="latest" class="latest" d="M${latest.x} ${latest.y}h0"></path>` : nothing}
      </svg>
    `;
  }
}

defineOnce('curbside-sparkline', CurbsideSparklineElement);

declare global {
  interface HTMLElementTagNameMap {
    'curbside-sparkline': CurbsideSparklineElement;
  }
}
