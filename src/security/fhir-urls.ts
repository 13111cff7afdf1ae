/**
 * Whether a URL the app is about to request with the access token stays on the launch's FHIR
 * server. Relative references resolve against the base; absolute ones (a reference, a paging
 * link, an attachment URL read from the chart) pass only when they sit under the base itself:
 * same scheme, host and port, and a path inside the base's path. Anything else would carry the
 * token to a host the EHR never vouched for.
 */
export function isAllowedFhirUrl(url: string, fhirBase: string): boolean {
  const base = `${fhirBase.replace(/\/+$/, '')}/`;
  let resolved: URL;
  try {
    resolved = new URL(url, base);
  } catch {
    return false;
  }
  const root = new URL(base);
  if (resolved.protocol !== root.protocol || resolved.host !== root.host) return false;
  if (resolved.username || resolved.password) return false;
  return resolved.pathname.startsWith(root.pathname) || `${resolved.pathname}/` === root.pathname;
}
