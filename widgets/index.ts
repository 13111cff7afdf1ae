/** Registers every Curbside element. Import for its side effect; classes are re-exported for typing and subclassing. */
export { CurbsidePatientBannerElement } from './patient-banner/patient-banner.ts';
export { CurbsideSidebarElement } from './sidebar/sidebar.ts';
export { CurbsideSparklineElement } from './sparkline/sparkline.ts';
export { CurbsideChartSummaryElement } from './chart-summary/chart-summary.ts';
export { CurbsideEvent, CurbsideFactSelectEvent, CurbsidePatientLoadEvent, CurbsidePatientRetryEvent } from './shared/events.ts';
export { fhirContext, launchContext } from './shared/contexts.ts';
export { defineOnce } from './shared/define.ts';
export { CurbsideDifferentialElement } from './differential/differential.ts';
