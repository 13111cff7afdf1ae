/**
 * Entra ID tokens for the Azure provider, from `@azure/msal-browser`, inside the EHR's
 * cross-site iframe.
 *
 * The library (about 74 KB gzip) is loaded with a dynamic import the first time a token or a
 * sign-in is needed, so a sidebar configured for another provider never downloads it. It is
 * never put on `window.msal` (MSAL uses that global itself and its initialise step then throws).
 *
 * What works in the EHR's cross-site iframe, as measured in Chromium: the cache in `sessionStorage` (localStorage loses the
 * account after a reload there); `acquireTokenSilent` first, which uses the cache or the refresh
 * token and needs no cookies; interactive sign-in only from a click, as a popup through
 * `auth.popupRelayUri` (a top-level page on the app's origin that calls
 * `runPopupRelay({ protocolVersion: 2 })`). `loginRedirect` is refused inside an iframe and a plain
 * popup never hands its answer back, so neither is used.
 */
import { InsightError } from '../types.ts';
import type { TokenSource } from './azure-foundry.ts';

export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

// The slice of @azure/msal-browser used here, declared structurally so that no module in src/
// imports the package statically; `defaultLoader` below proves the real module fits it.

export interface MsalAccount {
  readonly homeAccountId: string;
  readonly environment: string;
  readonly tenantId: string;
  readonly localAccountId: string;
  readonly username: string;
}

interface MsalTokenResult {
  readonly accessToken: string;
  readonly account: MsalAccount | null;
}

export interface MsalConfiguration {
  auth: {
    clientId: string;
    authority: string;
    redirectUri: string;
    popupRelayUri: string;
    popupRelayProtocolVersion: 2;
    knownAuthorities?: string[];
    authorityMetadata?: string;
  };
  cache: { cacheLocation: 'sessionStorage' };
}

export interface MsalClient {
  initialize(): Promise<void>;
  getActiveAccount(): MsalAccount | null;
  getAllAccounts(): MsalAccount[];
  setActiveAccount(account: MsalAccount | null): void;
  acquireTokenSilent(request: { scopes: string[]; account: MsalAccount; forceRefresh?: boolean }): Promise<MsalTokenResult>;
  acquireTokenPopup(request: { scopes: string[]; loginHint?: string }): Promise<MsalTokenResult>;
}

export interface MsalModule {
  readonly PublicClientApplication: new (configuration: MsalConfiguration) => MsalClient;
}

const defaultLoader: () => Promise<MsalModule> = () => import('@azure/msal-browser');

export interface MsalTokenSourceConfig {
  /** The app registration's client id. */
  readonly clientId: string;
  /** Default `https://login.microsoftonline.com/organizations`; a tenant-specific authority is better. */
  readonly authority?: string;
  /** A page on the app's origin that runs MSAL's redirect bridge for the popup's answer. */
  readonly redirectUri: string;
  /** A top-level page on the app's origin calling `runPopupRelay({ protocolVersion: 2 })`. */
  readonly popupRelayUri: string;
  /**
   * Default `https://cognitiveservices.azure.com/.default`; use
   * `https://cognitiveservices.azure.com/user_impersonation` where `.default` is not consented.
   */
  readonly scopes?: readonly string[];
  /** For a non-Microsoft or offline test authority. */
  readonly knownAuthorities?: readonly string[];
  readonly authorityMetadata?: string;
  /** Pre-fills the sign-in form (the clinician's own user name, never a patient's). */
  readonly loginHint?: string;
  /** How the library is loaded; tests inject a fake. */
  readonly loadMsal?: () => Promise<MsalModule>;
}

export interface MsalTokenSource extends TokenSource {
  /** Interactive sign-in; call it only from a click (the popup must open within seconds of it). */
  signIn(): Promise<void>;
  /** Loads and initialises the library ahead of a sign-in click, so the popup opens in time. */
  preload(): Promise<void>;
  /** The signed-in user's name, if any (from the cache; loads the library). */
  account(): Promise<string | undefined>;
}

/** Error codes after which only the user can help (sign in again, consent, pick an account). */
const NEEDS_INTERACTION = new Set([
  'interaction_required',
  'login_required',
  'consent_required',
  'no_tokens_found',
  'refresh_token_expired',
  'bad_token',
  'ui_not_allowed',
  'interrupted_user',
  'native_account_unavailable',
  'no_account_error',
  // The hidden-iframe fallback cannot complete without third-party cookies; it ends in these.
  'timed_out',
  'iframe_closed_prematurely',
]);
const NETWORK = new Set(['no_network_connectivity', 'post_request_failed', 'get_request_failed']);

function errorCode(error: unknown): string | undefined {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  return typeof code === 'string' ? code : undefined;
}

const SIGN_IN_NEEDED = 'Sign in to the clinical model to use it.';

export function createMsalTokenSource(config: MsalTokenSourceConfig): MsalTokenSource {
  const scopes = [...(config.scopes ?? [COGNITIVE_SERVICES_SCOPE])];
  const load = config.loadMsal ?? defaultLoader;
  let client: Promise<MsalClient> | undefined;

  function ready(): Promise<MsalClient> {
    client ??= (async () => {
      let mod: MsalModule;
      try {
        mod = await load();
      } catch (cause) {
        throw new InsightError('network', 'The sign-in component could not be loaded.', { cause });
      }
      const pca = new mod.PublicClientApplication({
        auth: {
          clientId: config.clientId,
          authority: config.authority ?? 'https://login.microsoftonline.com/organizations',
          redirectUri: config.redirectUri,
          popupRelayUri: config.popupRelayUri,
          popupRelayProtocolVersion: 2,
          ...(config.knownAuthorities ? { knownAuthorities: [...config.knownAuthorities] } : {}),
          ...(config.authorityMetadata ? { authorityMetadata: config.authorityMetadata } : {}),
        },
        cache: { cacheLocation: 'sessionStorage' },
      });
      try {
        await pca.initialize();
      } catch (cause) {
        throw new InsightError('configuration', 'The sign-in component could not start; check its configuration.', { cause });
      }
      return pca;
    })();
    // A failed load may succeed later (a flaky network); don't keep the failure.
    client.catch(() => {
      client = undefined;
    });
    return client;
  }

  function currentAccount(pca: MsalClient): MsalAccount | undefined {
    const active = pca.getActiveAccount();
    if (active) return active;
    const all = pca.getAllAccounts();
    return all.length === 1 ? all[0] : undefined;
  }

  async function silent(forceRefresh: boolean): Promise<string> {
    const pca = await ready();
    const account = currentAccount(pca);
    if (!account) throw new InsightError('unauthorized', SIGN_IN_NEEDED);
    try {
      const result = await pca.acquireTokenSilent({ scopes: [...scopes], account, ...(forceRefresh ? { forceRefresh: true } : {}) });
      return result.accessToken;
    } catch (cause) {
      const code = errorCode(cause);
      if (code !== undefined && NEEDS_INTERACTION.has(code)) throw new InsightError('unauthorized', SIGN_IN_NEEDED, { cause });
      if (code !== undefined && NETWORK.has(code)) throw new InsightError('network', 'Could not reach the sign-in service.', { cause });
      throw new InsightError('unauthorized', 'Could not obtain a token for the clinical model.', { cause });
    }
  }

  return {
    getToken: () => silent(false),
    refresh: () => silent(true),
    async preload() {
      await ready();
    },
    async account() {
      const pca = await ready();
      return currentAccount(pca)?.username;
    },
    async signIn() {
      const pca = await ready();
      try {
        const result = await pca.acquireTokenPopup({ scopes: [...scopes], ...(config.loginHint ? { loginHint: config.loginHint } : {}) });
        if (result.account) pca.setActiveAccount(result.account);
      } catch (cause) {
        const code = errorCode(cause);
        if (code === 'user_cancelled') throw new InsightError('cancelled', 'Sign-in was cancelled.', { cause });
        if (code === 'popup_window_error' || code === 'empty_window_error') {
          throw new InsightError('unauthorized', 'The sign-in window could not open; allow pop-ups for this app and try again.', { cause });
        }
        if (code === 'interaction_in_progress') throw new InsightError('unauthorized', 'A sign-in is already in progress.', { cause });
        throw new InsightError('unauthorized', 'Sign-in did not complete.', { cause });
      }
    },
  };
}
