/**
 * SMART launch page (the registered launch_uri). EHR launch: `?iss=…&launch=…`; standalone: `?iss=…`.
 * Picks the EHR's configuration by `iss` before any network call to it, so an unknown server is
 * refused without ever being contacted.
 */
import FHIR from 'fhirclient';
import { ConfigError, normaliseIss, scopeForLaunch, selectEhrConfig } from '../src/smart/config.ts';
import { classifyAuthorizeError, launchProblem } from '../src/smart/launch-errors.ts';
import { loadRuntimeConfig } from './runtime-config.ts';
import { showLaunchProblem } from './problem-page.ts';
import { configureFhirClient } from './fhir-client-settings.ts';

async function launch(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const iss = params.get('iss');
  const launchId = params.get('launch');
  if (!iss) return showLaunchProblem(launchProblem('missing-launch-parameters'));

  let config;
  try {
    config = await loadRuntimeConfig();
  } catch (error) {
    return showLaunchProblem(launchProblem('config-unavailable', error instanceof ConfigError ? error.message : undefined));
  }
  const ehr = selectEhrConfig(iss, config);
  if (!ehr) {
    let host = 'unknown server';
    try {
      host = new URL(iss).host;
    } catch {
      // an unparsable iss is reported without echoing it
    }
    return showLaunchProblem(launchProblem('unknown-ehr', host));
  }
  if (!ehr.clientId) return showLaunchProblem(launchProblem('not-registered', ehr.label));

  configureFhirClient();
  try {
    await FHIR.oauth2.authorize({
      iss: normaliseIss(iss),
      ...(launchId ? { launch: launchId } : {}),
      clientId: ehr.clientId,
      scope: scopeForLaunch(ehr, launchId ? 'ehr' : 'standalone'),
      redirectUri: new URL('./index.html', document.baseURI).toString(),
      pkceMode: ehr.pkce,
      // The EHR frames Curbside: authorize and complete inside the same frame.
      completeInTarget: true,
      stateKey: crypto.randomUUID(),
    });
  } catch (error) {
    showLaunchProblem(classifyAuthorizeError(error));
  }
}

void launch();
