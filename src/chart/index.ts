export { loadBannerFacts, bannerPatient, bannerIdentifier, displayName, formatAge, PatientLoadError } from './banner.ts';
export type { AllergySummary, BannerFacts, BannerIdentifier, BannerPatient, LoadBannerOptions, PatientLoadFailure } from './banner.ts';
