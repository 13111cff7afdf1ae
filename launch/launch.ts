/**
 * SMART launch page (the registered launch_uri). EHR launch: `?iss=…&launch=…`; standalone: `?iss=…`.
 * Picks the EHR's configuration by `iss` before any network call to it, so an unknown server is
 * refused without ever being contacted.
 */
import { ConfigError, normaliseIss, scopeForLaunch, selectEhrConfig } from '../src/smart/config.ts';
import { classifyAuthorizeError, launchProblem } from '../src/smart/launch-errors.ts';
import { loadRuntimeConfig } from './runtime-config.ts';
import { showLaunchProblem } from './problem-page.ts';

// The SMART client is the page's biggest script: it loads while the configuration is fetched
// instead of before. A failure to load it is reported when it is needed.
const smartClient = import('./fhir-client-settings.ts').then(
  (module) => ({ ok: true, module }) as const,
  (error: unknown) => ({ ok: false, error }) as const,
);

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

  const client = await smartClient;
  // Not the EHR's fault: the app's own script did not load (a deployment mid-update, a dropped connection).
  if (!client.ok) return showLaunchProblem(launchProblem('unexpected', 'Part of Curbside did not load. Reload to try again.'));
  const { FHIR, configureFhirClient } = client.module;
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
