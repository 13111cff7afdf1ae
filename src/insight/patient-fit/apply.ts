/**
 * Adds what Curbside checks locally to a grounded insight, whichever provider produced it: the
 * early signs in the chart, and the patient-fit check of every treatment each differential item
 * proposes.
 */
import type { PatientChart } from '../../chart/types.ts';
import { detectEarlySigns } from '../early-signs/index.ts';
import type { Insight } from '../types.ts';
import { checkTreatment, FitContext } from './fit.ts';

export function withChartChecks(insight: Insight, chart: PatientChart): Insight {
  const ctx = new FitContext(chart);
  const differential = insight.differential.map((item) => {
    const treatments = item.nextSteps.filter((s) => s.kind === 'treatment');
    return treatments.length ? { ...item, treatmentOptions: treatments.map((s) => checkTreatment(s.text, ctx)) } : item;
  });
  return { ...insight, differential, earlySigns: detectEarlySigns(chart) };
}
