/**
 * For hosts that cannot send HTTP headers (a static bucket, some CDNs): the same policy as a
 * `<meta>` at the top of every built page. Headers remain the better way — a `<meta>` policy
 * cannot carry `frame-ancestors`, so such a host cannot stop other sites framing Curbside.
 *
 *   CURBSIDE_CSP_CONNECT="https://fhir.hospital.org https://login.hospital.org https://gw.hospital.org" npm run build
 *
 * lists what the app may fetch from (FHIR bases, authorization servers, model endpoints, audit
 * sinks); `CURBSIDE_CSP_FRAMES` what it may frame (an Entra ID authority). Without
 * `CURBSIDE_CSP_CONNECT` the build has no `<meta>` and the server's headers are the policy.
 */
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from '../src/security/csp.ts';

function list(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

export function metaCspTag(env: Record<string, string | undefined>): string | undefined {
  const connect = list(env.CURBSIDE_CSP_CONNECT);
  if (connect.length === 0) return undefined;
  const policy = contentSecurityPolicy({ frameAncestors: [], connect, frames: list(env.CURBSIDE_CSP_FRAMES) }, { meta: true });
  return `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/"/g, '&quot;')}">`;
}

export function metaCsp(env: Record<string, string | undefined> = process.env): Plugin {
  const tag = metaCspTag(env);
  return {
    name: 'curbside-meta-csp',
    // After Vite adds its own tags: the policy must come before every script and stylesheet.
    transformIndexHtml: { order: 'post', handler: (html) => (tag ? html.replace(/<head>/i, `<head>\n  ${tag}`) : html) },
  };
}
