/**
 * The FHIR requests that file an attested note, shaped for each EHR's write profile:
 *
 * - `standard` (US Core, the sandbox): one transaction with the DocumentReference, a Device for
 *   the model and a Provenance carrying the clinician's signature over the note's hash.
 * - `epic`: a single DocumentReference POST shaped like the create Epic accepted; Epic has no
 *   Provenance write and no conditional create, so the AI-use statement lives in the text.
 * - `oracle`: a single POST; Oracle silently drops `identifier` and `meta.security`, so neither is
 *   sent and the write id is found again through the note's closing line.
 */
import type { Bundle, BundleEntry, Coding, Device, DocumentReference, Period, Provenance, Reference } from 'fhir/r4';
import type { WriteProfile } from '../smart/config.ts';
import type { ModelIdentity } from '../insight/types.ts';
import type { Attestation } from './attestation.ts';
import { bytesToBase64, hexToBytes, sha256Hex, utf8ToBase64 } from './encoding.ts';
import type { NoteDraft } from './note.ts';

export const WRITE_ID_SYSTEM = 'urn:curbside:write-id';
export const MODEL_ID_SYSTEM = 'urn:curbside:model';
export const INSIGHT_ITEM_SYSTEM = 'urn:curbside:insight-item';

export const AIAST: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'AIAST',
  display: 'Artificial Intelligence asserted',
};

const CLINICAL_NOTE: Coding = {
  system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  code: 'clinical-note',
  display: 'Clinical Note',
};

const VERIFICATION_SIGNATURE: Coding = { system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.5', display: 'Verification Signature' };
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';

export interface WriteInput {
  readonly draft: NoteDraft;
  /** The exact text rendered for this attestation. */
  readonly text: string;
  readonly attestation: Attestation;
  readonly patientId: string;
  readonly encounterId?: string;
  /** The clinical period the note covers; Oracle requires its end. */
  readonly period?: Period;
  /** Epic files preliminary notes unless the site configured final ones. */
  readonly epicDocStatus?: 'preliminary' | 'final';
}

export interface FhirWriteRequest {
  readonly method: 'POST';
  /** Relative to the FHIR base: `''` for a transaction, else the resource type. */
  readonly url: string;
  readonly body: Bundle | DocumentReference;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface PlannedWrite {
  readonly profile: WriteProfile;
  readonly writeId: string;
  readonly contentHash: string;
  readonly attestedAt: string;
  readonly requests: readonly FhirWriteRequest[];
  /**
   * The AI Provenance: inside the standard transaction, and only here for EHRs that won't store
   * it, so the caller keeps it in the audit trail (its note target names the write id until the
   * server's id is known).
   */
  readonly provenance: Provenance;
  readonly provenanceStored: boolean;
}

export class WriteProfileError extends Error {
  override readonly name = 'WriteProfileError';
}

/** Builds the request(s); refuses when the text is not the attested text or the profile's required context is missing. */
export async function buildWrite(profile: WriteProfile, input: WriteInput): Promise<PlannedWrite> {
  const { attestation, text } = input;
  if ((await sha256Hex(text)) !== attestation.contentHash) throw new WriteProfileError('The note text changed after it was attested; attest it again.');
  if (!text.includes(attestation.writeId)) throw new WriteProfileError('The note text does not carry its write id.');
  if (!input.patientId) throw new WriteProfileError('No patient in the launch context.');
  if (!/^(?:https?:\/\/\S+\/)?[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(attestation.fhirUser)) {
    throw new WriteProfileError(`The signed-in user "${attestation.fhirUser}" is not a FHIR reference such as Practitioner/123.`);
  }
  const base = { profile, writeId: attestation.writeId, contentHash: attestation.contentHash, attestedAt: attestation.attestedAt };
  if (profile === 'standard') {
    const { request, provenance } = standard(input);
    return { ...base, requests: [request], provenance, provenanceStored: true };
  }
  const provenance = aiProvenance(
    input,
    { identifier: { system: WRITE_ID_SYSTEM, value: attestation.writeId } },
    { identifier: { system: MODEL_ID_SYSTEM, value: modelKey(input.draft.model) }, display: modelLabel(input.draft.model) },
  );
  return { ...base, requests: [profile === 'epic' ? epic(input) : oracle(input)], provenance, provenanceStored: false };
}

function documentType(draft: NoteDraft): DocumentReference['type'] {
  return { coding: [{ ...draft.noteType }], text: draft.noteType.display };
}

function baseDocument(input: WriteInput, contentType: string): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: documentType(input.draft),
    category: [{ coding: [CLINICAL_NOTE] }],
    subject: { reference: `Patient/${input.patientId}` },
    date: input.attestation.attestedAt,
    author: [{ reference: input.attestation.fhirUser }],
    content: [{ attachment: { contentType, data: utf8ToBase64(input.text) } }],
  };
}

function writeIdentifier(writeId: string): NonNullable<DocumentReference['identifier']> {
  return [{ system: WRITE_ID_SYSTEM, value: writeId }];
}

function encounterContext(input: WriteInput, period: Period | undefined): DocumentReference['context'] | undefined {
  const context: NonNullable<DocumentReference['context']> = {
    ...(input.encounterId ? { encounter: [{ reference: `Encounter/${input.encounterId}` }] } : {}),
    ...(period ? { period } : {}),
  };
  return Object.keys(context).length > 0 ? context : undefined;
}

function standard(input: WriteInput): { request: FhirWriteRequest; provenance: Provenance } {
  const { attestation, draft } = input;
  const ids = { note: `urn:uuid:${crypto.randomUUID()}`, device: `urn:uuid:${crypto.randomUUID()}`, provenance: `urn:uuid:${crypto.randomUUID()}` };
  const context = encounterContext(input, input.period);
  const note: DocumentReference = {
    ...baseDocument(input, 'text/plain;charset=utf-8'),
    meta: { security: [AIAST] },
    identifier: writeIdentifier(attestation.writeId),
    docStatus: 'final',
    ...(context ? { context } : {}),
  };
  const device = modelDevice(draft.model);
  const provenance = aiProvenance(input, { reference: ids.note }, { reference: ids.device, display: modelLabel(draft.model) });
  const entry = (fullUrl: string, resource: DocumentReference | Device | Provenance, ifNoneExist: string | undefined): BundleEntry => ({
    fullUrl,
    resource,
    request: { method: 'POST', url: resource.resourceType, ...(ifNoneExist ? { ifNoneExist } : {}) },
  });
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      // A transaction is all-or-nothing, so the ledger's "proven absent" covers all three; the
      // conditional creates still keep one note per write id and one Device per model version.
      entry(ids.note, note, identifierQuery(WRITE_ID_SYSTEM, attestation.writeId)),
      entry(ids.device, device, identifierQuery(MODEL_ID_SYSTEM, modelKey(draft.model))),
      entry(ids.provenance, provenance, undefined),
    ],
  };
  return { request: { method: 'POST', url: '', body: bundle }, provenance };
}

/**
 * The AI Provenance for a filed note: the clinician as author and verifier with a signature over
 * the note's hash, the model as composer, and the accepted insight items as sources. Sent with the
 * note where the EHR stores Provenance; kept in Curbside's audit trail where it does not.
 */
export function aiProvenance(input: Pick<WriteInput, 'attestation' | 'draft' | 'patientId'>, note: Reference, model: Reference): Provenance {
  const { attestation, draft } = input;
  const clinician: Reference = { reference: attestation.fhirUser, display: attestation.clinicianName };
  return {
    resourceType: 'Provenance',
    // The Patient target puts the Provenance in the patient's compartment, so a patient-scoped token may write it.
    target: [note, { reference: `Patient/${input.patientId}` }],
    recorded: attestation.attestedAt,
    reason: [{ coding: [AIAST] }],
    agent: [
      { type: participant('author', 'Author'), who: clinician },
      { type: participant('verifier', 'Verifier'), who: clinician },
      { type: participant('composer', 'Composer'), who: model },
    ],
    ...(draft.accepted.length > 0
      ? {
          entity: draft.accepted.map((item) => ({
            role: 'source' as const,
            what: { identifier: { system: INSIGHT_ITEM_SYSTEM, value: `${draft.insightId}#${item.itemId}` }, display: item.condition },
          })),
        }
      : {}),
    signature: [
      {
        type: [VERIFICATION_SIGNATURE],
        when: attestation.attestedAt,
        who: clinician,
        targetFormat: 'text/plain;charset=utf-8',
        sigFormat: 'application/octet-stream',
        data: bytesToBase64(hexToBytes(attestation.contentHash)),
      },
    ],
  };
}

function epic(input: WriteInput): FhirWriteRequest {
  if (!input.encounterId) throw new WriteProfileError('Epic files a note only against an encounter, and this launch has none.');
  const context = encounterContext(input, input.period);
  // Epic drops an identifier on create (the read-back has only its own), but sending ours costs nothing.
  const body: DocumentReference = {
    ...baseDocument(input, 'text/plain; charset=utf-8'),
    identifier: writeIdentifier(input.attestation.writeId),
    docStatus: input.epicDocStatus ?? 'preliminary',
    ...(context ? { context } : {}),
  };
  return { method: 'POST', url: 'DocumentReference', body };
}

function oracle(input: WriteInput): FhirWriteRequest {
  if (!input.period?.end) throw new WriteProfileError('Oracle Health needs the end of the note’s clinical period (context.period.end).');
  const body: DocumentReference = {
    ...baseDocument(input, 'text/plain;charset=utf-8'),
    docStatus: 'final',
    context: encounterContext(input, input.period),
  };
  return { method: 'POST', url: 'DocumentReference', body };
}

/** A token search on identifier; the value's own `|`, `,`, `$` and `\\` are escaped as FHIR search requires. */
export function identifierQuery(system: string, value: string): string {
  return `identifier=${system}|${encodeURIComponent(value.replace(/[\\|,$]/g, '\\$&'))}`;
}

function participant(code: string, display: string): Provenance['agent'][number]['type'] {
  return { coding: [{ system: PARTICIPANT_TYPE, code, display }] };
}

/** `name@version`: no `|` or `,`, so a token search finds it without escapes some servers ignore. */
export function modelKey(model: ModelIdentity): string {
  return `${model.name}@${model.version}`;
}

export function modelLabel(model: ModelIdentity): string {
  return `${model.name} ${model.version}`;
}

export function modelDevice(model: ModelIdentity): Device {
  return {
    resourceType: 'Device',
    identifier: [{ system: MODEL_ID_SYSTEM, value: modelKey(model) }],
    deviceName: [{ name: model.name, type: 'model-name' }],
    version: [{ value: model.version }],
    type: { text: 'AI model' },
  };
}
