export type * from './types.ts';
export { checkTreatment, FitContext } from './fit.ts';
export { DRUGS, drugsIn } from './drugs.ts';
export type { DrugClass, DrugEntry } from './drugs.ts';
export { withChartChecks } from './apply.ts';
