/**
 * The sign-in relay page (MSAL `popupRelayUri`): the sidebar lives in the EHR's cross-site iframe,
 * where a plain popup's answer can't reach it; this top-level page on Curbside's own origin opens
 * the identity provider and relays the answer back (protocol v2). Only identity-provider origins
 * named in the runtime configuration may be navigated to.
 */
import { loadRuntimeConfig } from './runtime-config.ts';

async function allowedAuthorityOrigins(): Promise<string[]> {
  const config = await loadRuntimeConfig();
  return Object.values(config.models).flatMap((m) => (m.kind === 'azure-foundry' ? [new URL(m.authority).origin] : []));
}

const button = document.getElementById('continue') as HTMLButtonElement;
const origins = allowedAuthorityOrigins();
button.addEventListener('click', () => {
  button.disabled = true;
  void (async () => {
    const { runPopupRelay } = await import('@azure/msal-browser/popup-relay');
    await runPopupRelay({ protocolVersion: 2, allowedAuthorityOrigins: await origins });
  })();
});
