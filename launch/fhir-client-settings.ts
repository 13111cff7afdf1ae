import FHIR from 'fhirclient';

/** The SMART client itself, for pages that load it beside other work. */
export { FHIR };

/**
 * fhirclient's process-wide settings for an app that lives in an EHR iframe:
 * - state keyed per launch (never a shared "current state" slot), so two EHR tabs can't cross;
 * - public clients must send client_id when refreshing.
 */
export function configureFhirClient(): void {
  const settings = FHIR.oauth2.settings as Record<string, unknown>;
  settings.fullSessionStorageSupport = false;
  settings.refreshTokenWithClientId = true;
  settings.replaceBrowserHistory = true;
}
