/**
 * Embedding with your own SMART session: this page runs a standalone launch with fhirclient,
 * then hands `<curbside-sidebar>` a `FhirRequester` over that client. The sidebar never sees the
 * token; it only asks for FHIR URLs.
 *
 * `?iss=…[&client_id=…]` starts the launch; the EHR redirects back here with `?code=…&state=…`.
 */
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import '../../widgets/sidebar/sidebar.ts';
import { parseLaunchContext, type FhirRequester } from '../../src/smart/context.ts';
import { isAllowedFhirUrl } from '../../src/security/fhir-urls.ts';

const SANDBOX_CLIENT_ID = 'curbside-sandbox';
// Read-only: this example shows the chart and never writes a note.
const SCOPE = 'launch/patient openid fhirUser patient/Patient.r patient/AllergyIntolerance.rs patient/Condition.rs patient/Observation.rs patient/MedicationRequest.rs patient/Medication.r patient/Encounter.rs patient/DiagnosticReport.rs patient/DocumentReference.rs patient/Binary.r';

const root = document.getElementById('example-root')!;

function say(text: string): void {
  const p = document.createElement('p');
  p.textContent = text;
  root.replaceChildren(p);
}

/** fhirclient attaches the token to any absolute URL, so one off the FHIR base is refused first. */
function requesterFor(client: Client): FhirRequester {
  return {
    request<T>(url: string, init?: { signal?: AbortSignal }): Promise<T> {
      if (!isAllowedFhirUrl(url, client.state.serverUrl)) return Promise.reject(new Error('Only the FHIR server gets the access token.'));
      return client.request<T>({ url, ...(init?.signal ? { signal: init.signal } : {}) });
    },
  };
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const iss = params.get('iss');
  if (iss) {
    await FHIR.oauth2.authorize({
      iss,
      clientId: params.get('client_id') ?? SANDBOX_CLIENT_ID,
      scope: SCOPE,
      // Must match a redirect URI the EHR has registered for the client, exactly.
      redirectUri: new URL(location.pathname, location.origin).toString(),
      pkceMode: 'required',
    });
    return;
  }
  if (!params.has('code') && !params.has('error')) return; // No launch yet: keep the instructions.

  const client = await FHIR.oauth2.ready();
  const context = parseLaunchContext((client.state.tokenResponse ?? {}) as Record<string, unknown>, client.state.serverUrl);
  if (!context.patientId) return say('The EHR granted no patient, so there is no chart to show.');

  const sidebar = document.createElement('curbside-sidebar');
  sidebar.context = context;
  sidebar.fhir = requesterFor(client);
  // No insightProvider: the sidebar shows the chart without suggestions.
  root.replaceChildren(sidebar);
}

main().catch((error: unknown) => say(`The launch failed: ${error instanceof Error ? error.message : String(error)}`));
