import { readFileSync } from 'node:fs';

/** The app as the sandbox EHR has it registered: read from `smart-manifest.json`, as an admin would type it in. */
export interface ClientRegistration {
  readonly clientId: string;
  readonly clientName: string;
  readonly launchUri: string;
  readonly redirectUris: readonly string[];
  /** The most the client may ever be granted. */
  readonly scopes: readonly string[];
  readonly logoUri?: string;
}

interface Manifest {
  client_name: string;
  launch_uri: string;
  redirect_uris: string[];
  scope: string;
  logo_uri?: string;
  token_endpoint_auth_method: string;
}

export const SANDBOX_CLIENT_ID = 'curbside-sandbox';

/**
 * Registers the app from its manifest. `appOrigin` rebases the manifest's URLs when the app is
 * served elsewhere (tests pick free ports); the paths stay exactly as registered.
 * `extraRedirectPaths` are sandbox-only redirect URIs (the embedding example), kept out of the
 * manifest so no hospital registers them.
 */
export function registerFromManifest(manifestPath: string, appOrigin?: string, extraRedirectPaths: readonly string[] = []): ClientRegistration {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  if (manifest.token_endpoint_auth_method !== 'none') {
    throw new Error('The sandbox registers Curbside as a public client (token_endpoint_auth_method "none").');
  }
  const rebase = (url: string): string => {
    if (!appOrigin) return url;
    const parsed = new URL(url);
    return new URL(parsed.pathname + parsed.search, appOrigin).toString();
  };
  return {
    clientId: SANDBOX_CLIENT_ID,
    clientName: manifest.client_name,
    launchUri: rebase(manifest.launch_uri),
    redirectUris: [...manifest.redirect_uris.map(rebase), ...extraRedirectPaths.map((path) => new URL(path, appOrigin ?? manifest.launch_uri).toString())],
    scopes: manifest.scope.split(/\s+/).filter(Boolean),
    ...(manifest.logo_uri ? { logoUri: rebase(manifest.logo_uri) } : {}),
  };
}
