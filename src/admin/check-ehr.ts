/**
 * Does this EHR support what Curbside needs? Reads the server's SMART configuration and
 * CapabilityStatement and answers requirement by requirement — supported, missing or unknown —
 * so an EHR admin knows before go-live, and knows which gap blocks the launch and which only
 * degrades a feature.
 */

export type RequirementStatus = 'supported' | 'missing' | 'unknown';

export interface Requirement {
  readonly id: string;
  readonly label: string;
  readonly status: RequirementStatus;
  /** What was found, in words. */
  readonly detail: string;
  /** Missing or unknown blocks Curbside; otherwise a feature degrades (said in `impact`). */
  readonly blocker: boolean;
  readonly impact: string;
}

export type DocumentProblem = 'unreachable' | 'http-error' | 'not-json' | 'wrong-type';

export interface FetchedDocument {
  readonly url: string;
  readonly ok: boolean;
  readonly json?: unknown;
  readonly problem?: DocumentProblem;
  readonly detail?: string;
}

export interface EhrCheckReport {
  readonly iss: string;
  readonly smartConfiguration: FetchedDocument;
  readonly capabilityStatement: FetchedDocument;
  readonly software?: string;
  readonly fhirVersion?: string;
  readonly requirements: readonly Requirement[];
  /** Requirements that are blockers and not supported. */
  readonly blockers: readonly Requirement[];
}

/** What the chart reader and writer use, per resource type. */
export interface ResourceNeed {
  readonly type: string;
  readonly interactions: ReadonlyArray<'read' | 'search-type' | 'create'>;
  readonly searchParams?: readonly string[];
  readonly blocker: boolean;
  readonly impact: string;
}

export const CURBSIDE_RESOURCE_NEEDS: readonly ResourceNeed[] = [
  { type: 'Patient', interactions: ['read'], blocker: true, impact: 'Without it Curbside cannot show whose chart is open.' },
  { type: 'Encounter', interactions: ['read'], blocker: false, impact: 'The current encounter is not shown or used.' },
  { type: 'Condition', interactions: ['search-type'], searchParams: ['patient', 'category'], blocker: true, impact: 'No problem list: suggestions would ignore known diagnoses.' },
  { type: 'Observation', interactions: ['search-type'], searchParams: ['patient', 'category', 'date'], blocker: true, impact: 'No labs or vital signs.' },
  { type: 'MedicationRequest', interactions: ['search-type'], searchParams: ['patient', 'status'], blocker: false, impact: 'No medication list: treatment fit checks are not possible.' },
  { type: 'Medication', interactions: ['read'], blocker: false, impact: 'Medications sent as references show without names.' },
  { type: 'AllergyIntolerance', interactions: ['search-type'], searchParams: ['patient'], blocker: false, impact: 'No allergies: treatment fit checks are weaker.' },
  { type: 'DocumentReference', interactions: ['search-type'], searchParams: ['patient', 'category', 'date'], blocker: false, impact: 'Prior notes are not read.' },
  { type: 'DiagnosticReport', interactions: ['search-type'], searchParams: ['patient', 'date'], blocker: false, impact: 'Reports are not shown.' },
  { type: 'Binary', interactions: ['read'], blocker: false, impact: 'Notes stored as Binary attachments cannot be read.' },
  { type: 'DocumentReference', interactions: ['create'], blocker: true, impact: 'Attested notes cannot be written back to the chart.' },
  { type: 'Provenance', interactions: ['create'], blocker: false, impact: 'AI-use Provenance is kept in Curbside’s audit trail instead of the chart.' },
  { type: 'AuditEvent', interactions: ['create'], blocker: false, impact: 'Audit events go to the configured audit sink instead of the EHR.' },
];

interface CapabilityResource {
  type?: string;
  interaction?: Array<{ code?: string }>;
  searchParam?: Array<{ name?: string }>;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function requirement(id: string, label: string, status: RequirementStatus, detail: string, blocker: boolean, impact: string): Requirement {
  return { id, label, status, detail, blocker, impact };
}

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

/** The SMART part of the CapabilityStatement: does this endpoint use SMART authorization at all? */
function capabilitySecurity(rest: Record<string, unknown> | undefined): { oauthUris: boolean; smartService: boolean } {
  const security = asRecord(rest?.security);
  const extensions = Array.isArray(security?.extension) ? security.extension : [];
  const oauthUris = extensions.some((e) => asRecord(e)?.url === OAUTH_URIS);
  const services = Array.isArray(security?.service) ? security.service : [];
  const smartService = services.some((s) =>
    (Array.isArray(asRecord(s)?.coding) ? (asRecord(s)!.coding as unknown[]) : []).some((c) => asRecord(c)?.code === 'SMART-on-FHIR'),
  );
  return { oauthUris, smartService };
}

/** Pure evaluation of two fetched documents; `checkEhr` does the fetching. */
export function evaluateEhr(iss: string, smartConfiguration: FetchedDocument, capabilityStatement: FetchedDocument): EhrCheckReport {
  const smart = smartConfiguration.ok ? asRecord(smartConfiguration.json) : undefined;
  const capability = capabilityStatement.ok ? asRecord(capabilityStatement.json) : undefined;
  const rest = asRecord(Array.isArray(capability?.rest) ? capability.rest.find((r) => asRecord(r)?.mode === 'server') ?? capability.rest[0] : undefined);
  const capabilities = stringArray(smart?.capabilities);
  const scopes = stringArray(smart?.scopes_supported);
  const requirements: Requirement[] = [];
  const smartUnknown = smart ? undefined : `No SMART configuration (${smartConfiguration.detail ?? 'not available'}).`;

  // SMART authorization at all: the CapabilityStatement of an open tier declares none.
  const security = capabilitySecurity(rest);
  if (capability) {
    const declared = security.oauthUris || security.smartService;
    requirements.push(
      requirement(
        'smart-authorization',
        'SMART-on-FHIR authorization on this endpoint',
        declared || smart ? 'supported' : 'missing',
        declared
          ? 'The CapabilityStatement declares SMART-on-FHIR security.'
          : smart
            ? 'The CapabilityStatement does not declare it, but a SMART configuration is published.'
            : 'Neither a SMART configuration nor SMART security in the CapabilityStatement: this looks like an open (unauthenticated) tier. Use the secure tier’s FHIR base.',
        true,
        'Curbside only launches through SMART authorization.',
      ),
    );
  }

  requirements.push(
    requirement(
      'ehr-launch',
      'EHR launch (launch-ehr)',
      smart ? (capabilities.includes('launch-ehr') ? 'supported' : 'missing') : 'unknown',
      smartUnknown ?? (capabilities.includes('launch-ehr') ? 'Advertised in capabilities.' : 'Not in capabilities.'),
      true,
      'Curbside opens from the chart through an EHR launch.',
    ),
  );
  const pkce = stringArray(smart?.code_challenge_methods_supported);
  requirements.push(
    requirement(
      'pkce-s256',
      'PKCE with S256',
      smart ? (pkce.includes('S256') ? 'supported' : 'missing') : 'unknown',
      smartUnknown ?? (pkce.length ? `code_challenge_methods_supported: ${pkce.join(', ')}` : 'code_challenge_methods_supported is absent or empty.'),
      true,
      'Curbside is a public browser client and requires PKCE S256.',
    ),
  );
  const authMethods = stringArray(smart?.token_endpoint_auth_methods_supported);
  const publicClient = capabilities.includes('client-public') || authMethods.includes('none');
  requirements.push(
    requirement(
      'public-client',
      'Public client (no client secret in the browser)',
      smart ? (publicClient ? 'supported' : 'missing') : 'unknown',
      smartUnknown ?? (publicClient ? 'client-public advertised.' : `Only ${authMethods.join(', ') || 'confidential methods'} advertised.`),
      true,
      'A browser app cannot keep a secret; a confidential client needs a backend (see README).',
    ),
  );
  const v2 = capabilities.includes('permission-v2') || scopes.some((s) => /\.(c?r?u?d?s?)$/.test(s) && !/\.(read|write)$/.test(s) && /\//.test(s));
  requirements.push(
    requirement(
      'scopes-v2',
      'SMART v2 scopes (patient/Observation.rs)',
      smart ? (v2 ? 'supported' : 'missing') : 'unknown',
      smartUnknown ?? (v2 ? 'permission-v2 advertised.' : 'Only v1 scopes (.read/.write) advertised.'),
      false,
      'Curbside falls back to v1 scopes (.read/.write).',
    ),
  );
  const openid = capabilities.includes('sso-openid-connect') || (scopes.includes('openid') && scopes.includes('fhirUser'));
  requirements.push(
    requirement(
      'openid-fhiruser',
      'openid fhirUser (who is signed in)',
      smart ? (openid ? 'supported' : 'missing') : 'unknown',
      smartUnknown ?? (openid ? 'sso-openid-connect advertised.' : 'No sso-openid-connect capability.'),
      true,
      'The attestation names the signed-in clinician from fhirUser.',
    ),
  );

  const resources = Array.isArray(rest?.resource) ? (rest.resource as CapabilityResource[]) : [];
  for (const need of CURBSIDE_RESOURCE_NEEDS) {
    for (const interaction of need.interactions) {
      const id = `${need.type}.${interaction}`;
      const label = `${need.type} ${interaction === 'search-type' ? 'search' : interaction}${need.searchParams && interaction === 'search-type' ? ` by ${need.searchParams.join(', ')}` : ''}`;
      if (!capability) {
        requirements.push(requirement(id, label, 'unknown', `No CapabilityStatement (${capabilityStatement.detail ?? 'not available'}).`, need.blocker, need.impact));
        continue;
      }
      const declared = resources.find((r) => r.type === need.type);
      const interactions = (declared?.interaction ?? []).map((i) => i.code);
      if (!declared || !interactions.includes(interaction)) {
        requirements.push(
          requirement(id, label, 'missing', declared ? `${need.type} is declared without ${interaction}.` : `${need.type} is not in the CapabilityStatement.`, need.blocker, need.impact),
        );
        continue;
      }
      if (interaction === 'search-type' && need.searchParams) {
        const params = new Set((declared.searchParam ?? []).map((p) => p.name));
        // `patient` is often declared only as `subject`; either reaches the patient.
        const lacking = need.searchParams.filter((p) => !params.has(p) && !(p === 'patient' && params.has('subject')));
        if (lacking.length > 0) {
          requirements.push(requirement(id, label, 'missing', `Search parameters not declared: ${lacking.join(', ')}.`, need.blocker, need.impact));
          continue;
        }
      }
      requirements.push(requirement(id, label, 'supported', 'Declared in the CapabilityStatement.', need.blocker, need.impact));
    }
  }
  const restInteractions = (Array.isArray(rest?.interaction) ? rest.interaction : []).map((i) => asRecord(i)?.code);
  requirements.push(
    requirement(
      'transaction',
      'Transactions (note + Provenance in one request)',
      capability ? (restInteractions.includes('transaction') ? 'supported' : 'missing') : 'unknown',
      capability ? (restInteractions.includes('transaction') ? 'Declared.' : `System interactions: ${restInteractions.filter(Boolean).join(', ') || 'none declared'}.`) : 'No CapabilityStatement.',
      false,
      'The note and its Provenance are written one after the other instead of atomically.',
    ),
  );

  const software = asRecord(capability?.software);
  const blockers = requirements.filter((r) => r.blocker && r.status !== 'supported');
  return {
    iss,
    smartConfiguration,
    capabilityStatement,
    ...(typeof software?.name === 'string' ? { software: [software.name, software.version].filter((v) => typeof v === 'string').join(' ') } : {}),
    ...(typeof capability?.fhirVersion === 'string' ? { fhirVersion: capability.fhirVersion } : {}),
    requirements,
    blockers,
  };
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

async function fetchDocument(url: string, fetchImpl: Fetch, expectType: string | undefined, timeoutMs: number): Promise<FetchedDocument> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/fhir+json, application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : 'the server could not be reached';
    return { url, ok: false, problem: 'unreachable', detail: reason };
  }
  const text = await response.text();
  if (!response.ok) return { url, ok: false, problem: 'http-error', detail: `HTTP ${response.status}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const kind = /<html|<!doctype/i.test(text) ? 'an HTML page' : 'not JSON';
    return { url, ok: false, problem: 'not-json', detail: `the answer is ${kind}` };
  }
  if (expectType && asRecord(json)?.resourceType !== expectType) {
    const got = asRecord(json)?.resourceType;
    return { url, ok: false, problem: 'wrong-type', json, detail: typeof got === 'string' ? `the answer is a ${got}, not a ${expectType}` : `the answer is JSON but not a FHIR ${expectType}` };
  }
  if (!expectType && !asRecord(json)) return { url, ok: false, problem: 'wrong-type', json, detail: 'the answer is not a JSON object' };
  return { url, ok: true, json };
}

/** Fetches `.well-known/smart-configuration` and `metadata` in parallel and evaluates them. */
export async function checkEhr(iss: string, options: { fetch?: Fetch; timeoutMs?: number } = {}): Promise<EhrCheckReport> {
  const base = iss.trim().replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 15_000;
  const [smart, capability] = await Promise.all([
    fetchDocument(`${base}/.well-known/smart-configuration`, fetchImpl, undefined, timeoutMs),
    fetchDocument(`${base}/metadata`, fetchImpl, 'CapabilityStatement', timeoutMs),
  ]);
  return evaluateEhr(base, smart, capability);
}
