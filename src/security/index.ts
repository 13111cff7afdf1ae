export { contentSecurityPolicy, cspSourcesFor, originOf, TRUSTED_TYPES_POLICIES, type CspSources } from './csp.ts';
export { isAllowedFhirUrl } from './fhir-urls.ts';
