/**
 * The Content Security Policy Curbside is served with. The host that serves the built app knows
 * which EHRs frame it and which servers it talks to; this module turns that into the policy, so
 * the sandbox's app server and a hospital's web server can send the same thing.
 *
 * Trusted Types: exactly three policy names are allowed.
 * - `curbside-markdown` (widgets/shared/markdown.ts): the only door for outside HTML; its
 *   `createHTML` is DOMPurify, which is handed the same policy so it creates none of its own.
 * - `curbside-worker` (launch/model-stream/off-thread-fetch.ts): vouches for one script URL, the
 *   model-stream worker's own (same origin, built with the app), and refuses any other.
 * - `lit-html`: Lit creates it when it loads and passes through it only the static strings of
 *   `html\`…\`` templates written in Curbside's source, never bound values (those become text
 *   nodes and attributes). Without it Lit cannot load under `require-trusted-types-for`.
 */
import { modelForEhr, type RuntimeConfig } from '../smart/config.ts';

export const TRUSTED_TYPES_POLICIES = ['curbside-markdown', 'curbside-worker', 'lit-html'] as const;

export interface CspSources {
  /** Origins of the EHR pages allowed to frame Curbside (`frame-ancestors`). */
  readonly frameAncestors: readonly string[];
  /** Origins Curbside may fetch from: FHIR bases, authorization servers, models, audit sinks. */
  readonly connect: readonly string[];
  /** Origins allowed in frames inside Curbside (an identity provider's silent sign-in). */
  readonly frames?: readonly string[];
}

/** `scheme://host[:port]` of a URL, or undefined for anything that is not an http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

function sourceList(values: readonly string[]): string[] {
  const origins = values.map((v) => originOf(v)).filter((v): v is string => v !== undefined);
  return [...new Set(origins)].sort();
}

/**
 * The policy as one header value. `meta` leaves out what a `<meta>` policy may not carry
 * (`frame-ancestors` is ignored there and reported as an error).
 */
export function contentSecurityPolicy(sources: CspSources, options: { meta?: boolean } = {}): string {
  const connect = sourceList(sources.connect);
  const frames = sourceList(sources.frames ?? []);
  const ancestors = sourceList(sources.frameAncestors);
  const directives: string[] = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // The favicon and logo are files; `data:` covers inline SVG icons in stylesheets.
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    `frame-src ${frames.length ? frames.join(' ') : "'none'"}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    `trusted-types ${TRUSTED_TYPES_POLICIES.join(' ')}`,
  ];
  if (!options.meta) directives.push(`frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`);
  return directives.join('; ');
}

/**
 * What Curbside's runtime configuration needs for launches from `fhirBases`: each FHIR base,
 * its authorization server (`authorizationOrigins`, learnt from its SMART configuration), the
 * model its EHR entry names (`{issOrigin}` resolved) and the audit sink; an Entra-ID model adds
 * its authority, to which MSAL talks and which it may frame for a silent renewal.
 */
export function cspSourcesFor(
  config: RuntimeConfig,
  launches: ReadonlyArray<{ readonly fhirBase: string; readonly ehrOrigin: string; readonly authorizationOrigins?: readonly string[] }>,
): CspSources {
  const connect: string[] = [];
  const frames: string[] = [];
  const ancestors: string[] = [];
  for (const launch of launches) {
    ancestors.push(launch.ehrOrigin);
    connect.push(launch.fhirBase, ...(launch.authorizationOrigins ?? []));
    const issOrigin = originOf(launch.fhirBase) ?? '';
    for (const ehr of config.ehrs) {
      if (!new RegExp(`^(?:${ehr.issMatch})$`).test(launch.fhirBase.replace(/\/+$/, ''))) continue;
      if (ehr.auditSink) connect.push(ehr.auditSink.replace('{issOrigin}', issOrigin));
      const model = modelForEhr(ehr, config, launch.fhirBase);
      if (model.kind === 'reference-engine') continue;
      connect.push(model.endpoint);
      if (model.kind === 'azure-foundry') {
        connect.push(model.authority);
        frames.push(model.authority);
      }
    }
  }
  return { frameAncestors: ancestors, connect, frames };
}
