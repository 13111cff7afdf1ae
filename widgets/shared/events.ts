/**
 * Curbside's DOM events: one small subclass per event, each with a readonly typed `detail`,
 * bubbling and composed so they cross shadow roots up to the launch page.
 */
import type { ChartLoadStats } from '../../src/chart/index.ts';

export type CurbsideEventType = `curbside-${string}`;

export abstract class CurbsideEvent<TDetail extends object> extends CustomEvent<Readonly<TDetail>> {
  protected constructor(type: CurbsideEventType, detail: TDetail) {
    // Frozen so a listener cannot change what later listeners see.
    super(type, { detail: Object.freeze({ ...detail }), bubbles: true, composed: true });
  }
}

/** The banner facts for a patient finished loading. Carries the reference only, never PHI. */
export class CurbsidePatientLoadEvent extends CurbsideEvent<{ reference: string }> {
  static readonly eventType = 'curbside-patient-load';
  constructor(detail: { reference: string }) {
    super(CurbsidePatientLoadEvent.eventType, detail);
  }
}

/** The chart summary finished loading and has rendered; `stats` describe the requests it took. */
export class CurbsideChartLoadEvent extends CurbsideEvent<{ reference: string; stats: ChartLoadStats }> {
  static readonly eventType = 'curbside-chart-load';
  constructor(detail: { reference: string; stats: ChartLoadStats }) {
    super(CurbsideChartLoadEvent.eventType, detail);
  }
}

/** The clinician asked to retry loading the patient after an error. */
export class CurbsidePatientRetryEvent extends CurbsideEvent<Record<string, never>> {
  static readonly eventType = 'curbside-patient-retry';
  constructor() {
    super(CurbsidePatientRetryEvent.eventType, {});
  }
}

/**
 * The clinician chose a chart fact (a problem, a lab series, a note…). Carries the fact's FHIR
 * reference only, so listeners look the fact up themselves and no PHI travels in the event.
 */
export class CurbsideFactSelectEvent extends CurbsideEvent<{ reference: string }> {
  static readonly eventType = 'curbside-fact-select';
  constructor(detail: { reference: string }) {
    super(CurbsideFactSelectEvent.eventType, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'curbside-patient-load': CurbsidePatientLoadEvent;
    'curbside-patient-retry': CurbsidePatientRetryEvent;
    'curbside-fact-select': CurbsideFactSelectEvent;
    'curbside-chart-load': CurbsideChartLoadEvent;
  }
}
