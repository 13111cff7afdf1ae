export { loadBannerFacts, bannerPatient, bannerIdentifier, displayName, formatAge, PatientLoadError } from './banner.ts';
export type { AllergySummary, BannerFacts, BannerIdentifier, BannerPatient, LoadBannerOptions, PatientLoadFailure } from './banner.ts';
export { loadChart } from './load-chart.ts';
export type { ChartLoadOptions, ChartLoadResult, ChartLoadStats, ChartLookBack } from './load-chart.ts';
export { keyLabs, keyVitals } from './key-labs.ts';
export type * from './types.ts';
