/**
 * How the sandbox accepts a note, by write profile. `standard` is the FHIR server as it is
 * (transactions, conditional creates, Provenance, AuditEvent). `epic` and `oracle` reproduce what
 * those EHRs were seen to do with a DocumentReference create (../shared/fixtures/vendors, §3), so
 * the app's writer meets their refusals and silent rewrites here rather than in production.
 */
import { randomBytes } from 'node:crypto';
import type { Binary, CapabilityStatement, Coding, DocumentReference, Encounter, OperationOutcome } from 'fhir/r4';
import type { FhirHttpRequest, FhirHttpResponse, FhirServer } from './fhir/index.ts';
import type { AccessGrant } from './scopes.ts';

export const WRITE_PROFILES = ['standard', 'epic', 'oracle'] as const;
export type WriteProfile = (typeof WRITE_PROFILES)[number];

export function isWriteProfile(value: unknown): value is WriteProfile {
  return typeof value === 'string' && (WRITE_PROFILES as readonly string[]).includes(value);
}

/** What an epic/oracle create did to the client's note, for the EHR shell. */
export interface VendorWrite {
  readonly profile: Exclude<WriteProfile, 'standard'>;
  /** Client elements the EHR discarded, e.g. `identifier`, `meta.security`. */
  readonly dropped: readonly string[];
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const VENDOR_NAME = { epic: 'Epic', oracle: 'Oracle Health' } as const;
/** Neither EHR lets a SMART app write these; the app must keep them elsewhere (an audit sink). */
const REFUSED_TYPES: ReadonlySet<string> = new Set(['Provenance', 'Device', 'AuditEvent']);

// Identifier systems and note-type codings as Epic's read-back of a created note shows them.
const EPIC_NOTE_ID_SYSTEM = 'urn:oid:1.2.840.114350.1.13.0.1.7.2.727879';
const EPIC_NOTE_OID_SYSTEM = 'urn:oid:1.2.840.114350.1.72.3.15';
const EPIC_NOTE_TYPE_SYSTEM = 'urn:oid:1.2.840.114350.1.13.0.1.7.4.737880.5010';
const EPIC_NOTE_TYPES: Readonly<Record<string, { code: string; display: string }>> = {
  '11506-3': { code: '1', display: 'Progress Notes' },
  '34117-2': { code: '4', display: 'H&P' },
};

type Severity = NonNullable<OperationOutcome['issue'][number]['severity']>;
type IssueCode = OperationOutcome['issue'][number]['code'];

function refusal(status: number, code: IssueCode, text: string, headers: Record<string, string> = {}, severity: Severity = 'error'): FhirHttpResponse {
  const body: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] };
  return { status, headers: { 'content-type': FHIR_JSON, ...headers }, body };
}

function isDocumentReference(body: unknown): body is DocumentReference {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && (body as { resourceType?: unknown }).resourceType === 'DocumentReference';
}

function decodeBase64Utf8(data: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data.replace(/\s+/g, ''))) return undefined;
  return Buffer.from(data, 'base64').toString('utf8');
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** RTF with `\`, `{`, `}` escaped, line breaks as `\par` and anything beyond ASCII as `\uN?` (signed 16-bit units). */
export function toRtf(text: string): string {
  let body = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const unit = text.charCodeAt(i);
    if (ch === '\\' || ch === '{' || ch === '}') body += `\\${ch}`;
    else if (ch === '\r') continue;
    else if (ch === '\n') body += '\\par\n';
    else if (ch === '\t') body += '\\tab ';
    else if (unit < 0x20) continue;
    else if (unit < 0x80) body += ch;
    else body += `\\u${unit > 0x7fff ? unit - 0x10000 : unit}?`;
  }
  return `{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fmodern Courier New;}}\\f0\\fs20\n${body}\n}`;
}

function noteHtml(text: string): string {
  return `<html><head><meta charset="utf-8"></head><body><pre>${escapeHtml(text)}</pre></body></html>`;
}

function binaryId(): string {
  // Epic's ids are opaque base64-ish strings; the shape does not matter, only that they are not UUIDs the client could guess.
  return `e${randomBytes(18).toString('base64url')}3`;
}

export class WriteProfiles {
  readonly #fhir: FhirServer;
  readonly #baseUrl: string;
  readonly #basePath: string;
  readonly #writes = new Map<string, VendorWrite>();
  #epicSerial = 197_400;

  constructor(fhir: FhirServer, baseUrl: string) {
    this.#fhir = fhir;
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.#basePath = new URL(this.#baseUrl).pathname.replace(/\/+$/, '');
  }

  /** How an epic/oracle create stored this note; undefined for notes written otherwise. */
  vendorWrite(documentReferenceId: string): VendorWrite | undefined {
    return this.#writes.get(documentReferenceId);
  }

  /** A FHIR request from an authenticated client, as the EHR under `profile` answers it. */
  async handle(profile: WriteProfile, req: FhirHttpRequest, grant: AccessGrant): Promise<FhirHttpResponse> {
    if (profile === 'standard') return this.#fhir.handle(req, grant);
    const vendor = VENDOR_NAME[profile];
    const method = req.method.toUpperCase();
    const [type, second] = this.#segments(req.url);
    const writes = method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
    if (method === 'POST' && type === undefined) {
      return refusal(405, 'not-supported', `${vendor} does not accept batch or transaction Bundles: POST each resource to its own endpoint.`, { allow: '' });
    }
    if (writes && type !== undefined && REFUSED_TYPES.has(type) && second !== '_search') {
      return refusal(405, 'not-supported', `${vendor} does not let apps write ${type} resources.`, { allow: 'GET' });
    }
    if (method === 'POST' && second === undefined && type !== undefined) {
      // Neither EHR honours If-None-Exist: a replayed create files a second resource.
      const { 'if-none-exist': _ignored, ...headers } = req.headers;
      const plain = { ...req, headers };
      if (type === 'DocumentReference') return profile === 'epic' ? this.#epicCreate(plain, grant) : this.#oracleCreate(plain, grant);
      return this.#fhir.handle(plain, grant);
    }
    return this.#fhir.handle(req, grant);
  }

  /** The CapabilityStatement an EHR under `profile` publishes: no Bundles, no conditional create, no writes it refuses. */
  capabilityStatement(profile: WriteProfile, statement: CapabilityStatement): CapabilityStatement {
    if (profile === 'standard') return statement;
    const rest = statement.rest?.[0];
    if (!rest) return statement;
    delete rest.interaction;
    for (const resource of rest.resource ?? []) {
      resource.conditionalCreate = false;
      if (REFUSED_TYPES.has(resource.type)) {
        resource.interaction = (resource.interaction ?? []).filter((i) => i.code !== 'create' && i.code !== 'update');
      }
    }
    statement.software = { name: `Curbside sandbox EHR (${profile} write profile)` };
    return statement;
  }

  #segments(url: URL): string[] {
    const path = url.pathname.replace(/\/+$/, '');
    if (path !== this.#basePath && !path.startsWith(`${this.#basePath}/`)) return ['(outside)'];
    try {
      return path.slice(this.#basePath.length).split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return ['(malformed)'];
    }
  }

  #relative(reference: string | undefined): string | undefined {
    return reference?.startsWith(`${this.#baseUrl}/`) ? reference.slice(this.#baseUrl.length + 1) : reference;
  }

  /** Creates through the FHIR server, so scopes, the patient compartment and validation still apply. */
  async #create(grant: AccessGrant, note: DocumentReference): Promise<FhirHttpResponse & { id?: string }> {
    const headers: Record<string, string | undefined> = { 'content-type': 'application/fhir+json' };
    const out = await this.#fhir.handle({ method: 'POST', url: new URL(`${this.#baseUrl}/DocumentReference`), headers, body: note }, grant);
    const id = out.status < 300 ? (out.body as DocumentReference | undefined)?.id : undefined;
    return id ? { ...out, id } : out;
  }

  async #epicCreate(req: FhirHttpRequest, grant: AccessGrant): Promise<FhirHttpResponse> {
    if (!isDocumentReference(req.body)) return refusal(400, 'structure', 'The request body must be a DocumentReference in JSON.', {}, 'fatal');
    const sent = structuredClone(req.body);
    const encounter = this.#relative(sent.context?.encounter?.[0]?.reference);
    if (!encounter) return refusal(400, 'required', 'Epic files a clinical note only against an encounter: context.encounter is required.', {}, 'fatal');
    const subject = this.#relative(sent.subject?.reference);
    const found = encounter.startsWith('Encounter/') ? await this.#fhir.readUnchecked<Encounter>('Encounter', encounter.slice('Encounter/'.length)) : undefined;
    if (!found || this.#relative(found.subject?.reference) !== subject) {
      return refusal(400, 'business-rule', `${encounter} is not an encounter of ${subject ?? 'the note’s subject'}.`, {}, 'fatal');
    }
    const attachment = sent.content?.map((c) => c.attachment).find((a) => /^text\/plain\b/i.test(a.contentType ?? '') && a.data);
    const text = attachment?.data ? decodeBase64Utf8(attachment.data) : undefined;
    if (text === undefined) {
      return refusal(400, 'required', 'The note must carry its text inline: content.attachment with contentType text/plain and base64 data.', {}, 'fatal');
    }

    const dropped = [...(sent.identifier?.length ? ['identifier'] : []), ...(sent.meta?.security?.length ? ['meta.security'] : [])];
    const serial = String(++this.#epicSerial);
    const html = binaryId();
    const rtf = binaryId();
    const { id: _id, meta: _meta, identifier: _identifier, ...kept } = sent;
    const note: DocumentReference = {
      ...kept,
      identifier: [
        { system: EPIC_NOTE_ID_SYSTEM, value: serial },
        { system: EPIC_NOTE_OID_SYSTEM, value: `${EPIC_NOTE_ID_SYSTEM.slice('urn:oid:'.length)}_${serial}` },
      ],
      ...(sent.type ? { type: epicNoteType(sent.type) } : {}),
      // The read-back carries the filing instant, not the date the client sent.
      date: new Date().toISOString(),
      content: [html, rtf].map((id, i) => ({
        attachment: { contentType: i === 0 ? 'text/html' : 'text/rtf', url: `Binary/${id}` },
        format: { system: 'http://ihe.net/fhir/ValueSet/IHE.FormatCode.codesystem', code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', display: 'mimeType Sufficient' },
      })),
    };
    const created = await this.#create(grant, note);
    if (!created.id) return created;
    const securityContext = { reference: `DocumentReference/${created.id}` };
    const renditions: Binary[] = [
      { resourceType: 'Binary', id: html, contentType: 'text/html', securityContext, data: base64(noteHtml(text)) },
      { resourceType: 'Binary', id: rtf, contentType: 'text/rtf', securityContext, data: base64(toRtf(text)) },
    ];
    await this.#fhir.load(renditions);
    this.#writes.set(created.id, { profile: 'epic', dropped });
    // Epic answers a create with an empty object, whatever Prefer asks for.
    return { status: 201, headers: { 'content-type': FHIR_JSON, location: `${this.#baseUrl}/DocumentReference/${created.id}` }, body: {} };
  }

  async #oracleCreate(req: FhirHttpRequest, grant: AccessGrant): Promise<FhirHttpResponse> {
    if (!isDocumentReference(req.body)) return refusal(400, 'structure', 'The request body must be a DocumentReference in JSON.');
    const sent = structuredClone(req.body);
    const user = this.#relative(grant.fhirUser);
    if (!user) return refusal(403, 'forbidden', 'Oracle Health files a note only for a signed-in user: the access token has no fhirUser.');
    const authors = sent.author ?? [];
    if (authors.length !== 1 || this.#relative(authors[0]?.reference) !== user) {
      return refusal(403, 'forbidden', `DocumentReference.author must be exactly one reference to the signed-in user (${user}).`);
    }
    if (sent.docStatus !== 'final') return refusal(422, 'processing', 'DocumentReference.docStatus must be final.');
    if (!sent.context?.period?.end) return refusal(422, 'processing', 'DocumentReference.context.period.end is required.');
    const content = sent.content ?? [];
    const attachment = content[0]?.attachment;
    if (content.length !== 1 || !/charset\s*=\s*"?utf-8/i.test(attachment?.contentType ?? '')) {
      return refusal(422, 'processing', 'DocumentReference.content must be exactly one attachment whose contentType declares charset=utf-8.');
    }
    if (!attachment?.data || decodeBase64Utf8(attachment.data) === undefined) {
      return refusal(422, 'processing', 'DocumentReference.content.attachment.data must hold the note as base64.');
    }

    // Dropped without a word: the created note simply lacks them.
    const dropped = [...(sent.identifier?.length ? ['identifier'] : []), ...(sent.meta?.security?.length ? ['meta.security'] : [])];
    const { id: _id, identifier: _identifier, meta, ...kept } = sent;
    const { security: _security, versionId: _v, lastUpdated: _l, ...restMeta } = meta ?? {};
    const note: DocumentReference = { ...kept, ...(Object.keys(restMeta).length > 0 ? { meta: restMeta } : {}) };
    const created = await this.#create(grant, note);
    if (!created.id) return created;
    this.#writes.set(created.id, { profile: 'oracle', dropped });
    const headers: Record<string, string> = { location: `${this.#baseUrl}/DocumentReference/${created.id}` };
    if (created.headers.etag) headers.etag = created.headers.etag;
    return { status: 201, headers };
  }
}

function epicNoteType(type: NonNullable<DocumentReference['type']>): NonNullable<DocumentReference['type']> {
  const loinc = (type.coding ?? []).filter((c) => c.system === 'http://loinc.org');
  const epic = loinc.map((c) => EPIC_NOTE_TYPES[c.code ?? '']).find(Boolean);
  if (!epic) return type;
  const codings: Coding[] = [{ system: EPIC_NOTE_TYPE_SYSTEM, code: epic.code, display: epic.display }, ...loinc.map((c) => ({ ...c, userSelected: true }))];
  return { coding: codings, text: epic.display };
}
