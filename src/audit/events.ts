/**
 * FHIR R4 AuditEvents for what Curbside does with a chart: what it disclosed to a model, what the
 * model suggested, what the clinician decided, and what was written. Entities are references and
 * ids only, never copied chart content, so the trail itself holds no PHI beyond those references.
 */
import type { AuditEvent, Coding, Provenance, Reference } from 'fhir/r4';
import { utf8ToBase64 } from '../writeback/encoding.ts';
import type { ModelIdentity } from '../insight/types.ts';
import { MODEL_ID_SYSTEM, WRITE_ID_SYSTEM, modelKey } from '../writeback/profiles.ts';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
export const SUBTYPE_SYSTEM = 'urn:curbside:audit-action';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const INSIGHT_SYSTEM = 'urn:curbside:insight';

export const AUDIT_TYPES = {
  export: { system: DCM, code: '110106', display: 'Export' },
  patientRecord: { system: DCM, code: '110110', display: 'Patient Record' },
  query: { system: DCM, code: '110112', display: 'Query' },
} as const satisfies Record<string, Coding>;

export type AuditAction =
  | 'model-disclosure'
  | 'suggestions-shown'
  | 'suggestions-shadow'
  | 'suggestion-accepted'
  | 'suggestion-rejected'
  | 'note-written'
  | 'note-write-failed'
  | 'note-write-unconfirmed';

const SUBTYPE_DISPLAY: Readonly<Record<AuditAction, string>> = {
  'model-disclosure': 'De-identified case disclosed to a model',
  'suggestions-shown': 'Model suggestions shown',
  'suggestions-shadow': 'Model suggestions recorded in shadow mode, not shown',
  'suggestion-accepted': 'Suggestion accepted',
  'suggestion-rejected': 'Suggestion rejected',
  'note-written': 'Attested note written',
  'note-write-failed': 'Attested note write failed',
  'note-write-unconfirmed': 'Attested note write unconfirmed',
};

/** Who and on whose chart: the signed-in clinician, the model, the launch's patient and encounter. */
export interface AuditContext {
  /** `Practitioner/123`, from fhirUser. */
  readonly clinician: string;
  readonly model: ModelIdentity;
  readonly patientId: string;
  readonly encounterId?: string;
  /** ISO instant; now when absent. */
  readonly recorded?: string;
}

type Outcome = '0' | '4' | '8' | '12';

interface Spec {
  readonly type: Coding;
  readonly action: AuditEvent['action'];
  readonly subtype: AuditAction;
  readonly outcome: Outcome;
  readonly outcomeDesc?: string;
  readonly entities: NonNullable<AuditEvent['entity']>;
  /** The model is the destination of a disclosure; elsewhere it is the author of what was shown. */
  readonly modelRole?: Coding;
}

function build(context: AuditContext, spec: Spec): AuditEvent {
  const model = context.model;
  return {
    resourceType: 'AuditEvent',
    type: spec.type,
    subtype: [{ system: SUBTYPE_SYSTEM, code: spec.subtype, display: SUBTYPE_DISPLAY[spec.subtype] }],
    action: spec.action,
    recorded: context.recorded ?? new Date().toISOString(),
    outcome: spec.outcome,
    ...(spec.outcomeDesc ? { outcomeDesc: spec.outcomeDesc } : {}),
    agent: [
      { who: { reference: context.clinician }, requestor: true },
      {
        ...(spec.modelRole ? { type: { coding: [spec.modelRole] } } : {}),
        who: { identifier: { system: MODEL_ID_SYSTEM, value: modelKey(model) }, display: `${model.name} ${model.version}` },
        requestor: false,
      },
    ],
    source: {
      observer: { display: 'Curbside' },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }],
    },
    entity: [...contextEntities(context), ...spec.entities],
  };
}

function contextEntities(context: AuditContext): NonNullable<AuditEvent['entity']> {
  return [
    { what: { reference: `Patient/${context.patientId}` }, type: { system: ENTITY_TYPE, code: '1', display: 'Person' }, role: { system: OBJECT_ROLE, code: '1', display: 'Patient' } },
    ...(context.encounterId ? [{ what: { reference: `Encounter/${context.encounterId}` }, type: { system: ENTITY_TYPE, code: '2', display: 'System Object' } }] : []),
  ];
}

function insightEntity(insightId: string, details: ReadonlyArray<readonly [string, string]>): NonNullable<AuditEvent['entity']>[number] {
  return {
    what: { identifier: { system: INSIGHT_SYSTEM, value: insightId } },
    type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    ...(details.length > 0 ? { detail: details.map(([type, valueString]) => ({ type, valueString })) } : {}),
  };
}

/** The de-identified case went to the model: how big it was and its hash, never its content. */
export function modelDisclosureEvent(context: AuditContext, payload: { readonly tokens: number; readonly sha256?: string; readonly insightId?: string }): AuditEvent {
  const details: Array<[string, string]> = [['payloadTokens', String(payload.tokens)]];
  if (payload.sha256) details.push(['payloadSha256', payload.sha256]);
  return build(context, {
    type: AUDIT_TYPES.export,
    action: 'R',
    subtype: 'model-disclosure',
    outcome: '0',
    modelRole: { system: DCM, code: '110152', display: 'Destination Role ID' },
    entities: [
      {
        ...(payload.insightId ? { what: { identifier: { system: INSIGHT_SYSTEM, value: payload.insightId } } } : {}),
        type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
        role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
        description: 'De-identified case summary',
        detail: details.map(([type, valueString]) => ({ type, valueString })),
      },
    ],
  });
}

type ShownItem = { readonly id: string; readonly codes: readonly string[]; readonly verified: boolean };

/** Codes and grounding per item, so monitoring can rate acceptance per suggestion and count unverified items shown. */
function itemDetails(items: readonly ShownItem[]): Array<readonly [string, string]> {
  return items.flatMap((item) => [
    ['itemId', item.id] as const,
    ...item.codes.map((code) => ['itemCode', `${item.id}|${code}`] as const),
    ...(item.verified ? [] : [['itemUnverified', item.id] as const]),
  ]);
}

export function suggestionsShownEvent(
  context: AuditContext,
  shown: { readonly insightId: string; readonly itemIds: readonly string[]; readonly items?: readonly ShownItem[] },
): AuditEvent {
  return build(context, {
    type: AUDIT_TYPES.patientRecord,
    action: 'R',
    subtype: 'suggestions-shown',
    outcome: '0',
    entities: [
      insightEntity(shown.insightId, [
        ['itemCount', String(shown.itemIds.length)],
        ...(shown.items ? itemDetails(shown.items) : shown.itemIds.map((id) => ['itemId', id] as const)),
      ]),
    ],
  });
}

/**
 * Shadow mode: the suggestions the clinician would have seen, with their codes, so monitoring can
 * compare them with what the clinician documents. Codes only, never chart content.
 */
export function suggestionsShadowEvent(
  context: AuditContext,
  recorded: { readonly insightId: string; readonly items: readonly ShownItem[] },
): AuditEvent {
  return build(context, {
    type: AUDIT_TYPES.patientRecord,
    action: 'R',
    subtype: 'suggestions-shadow',
    outcome: '0',
    entities: [insightEntity(recorded.insightId, [['itemCount', String(recorded.items.length)], ...itemDetails(recorded.items)])],
  });
}

export function suggestionAcceptedEvent(context: AuditContext, decision: { readonly insightId: string; readonly itemId: string }): AuditEvent {
  return build(context, {
    type: AUDIT_TYPES.patientRecord,
    action: 'E',
    subtype: 'suggestion-accepted',
    outcome: '0',
    entities: [insightEntity(decision.insightId, [['itemId', decision.itemId]])],
  });
}

/**
 * A rejection with its reason as a CDS Hooks feedback `overrideReason`. The clinician's free-text
 * comment is left out: it may name the patient.
 */
export function suggestionRejectedEvent(
  context: AuditContext,
  decision: { readonly insightId: string; readonly itemId: string; readonly overrideReason: { readonly code: string; readonly display: string; readonly system?: string } },
): AuditEvent {
  const reason = decision.overrideReason;
  return build(context, {
    type: AUDIT_TYPES.patientRecord,
    action: 'E',
    subtype: 'suggestion-rejected',
    outcome: '0',
    entities: [
      insightEntity(decision.insightId, [
        ['itemId', decision.itemId],
        ['overrideReason.code', reason.code],
        ['overrideReason.display', reason.display],
        ...(reason.system ? [['overrideReason.system', reason.system] as const] : []),
      ]),
    ],
  });
}

export interface NoteWriteAudit {
  readonly writeId: string;
  readonly contentHash: string;
  /** `DocumentReference/abc` once the server confirmed it. */
  readonly documentReference?: string;
  readonly httpStatus?: number;
  /** The note's AI Provenance, kept here when the EHR won't store it. */
  readonly provenance?: Provenance;
}

export function noteWrittenEvent(context: AuditContext, write: NoteWriteAudit): AuditEvent {
  return noteEvent(context, write, 'note-written', '0');
}

export function noteWriteFailedEvent(context: AuditContext, write: NoteWriteAudit): AuditEvent {
  return noteEvent(context, write, 'note-write-failed', '8', write.httpStatus ? `HTTP ${write.httpStatus}` : 'No response');
}

/** Sent, but whether it landed is unknown until a search settles it. */
export function noteWriteUnconfirmedEvent(context: AuditContext, write: NoteWriteAudit): AuditEvent {
  return noteEvent(context, write, 'note-write-unconfirmed', '4', 'Outcome unknown; not resent until a search proves it absent');
}

function noteEvent(context: AuditContext, write: NoteWriteAudit, subtype: AuditAction, outcome: Outcome, outcomeDesc?: string): AuditEvent {
  const what: Reference = write.documentReference
    ? { reference: write.documentReference, identifier: { system: WRITE_ID_SYSTEM, value: write.writeId } }
    : { identifier: { system: WRITE_ID_SYSTEM, value: write.writeId } };
  return build(context, {
    type: AUDIT_TYPES.patientRecord,
    action: 'C',
    subtype,
    outcome,
    ...(outcomeDesc ? { outcomeDesc } : {}),
    entities: [
      {
        what,
        type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
        role: { system: OBJECT_ROLE, code: '3', display: 'Report' },
        detail: [
          { type: 'contentSha256', valueString: write.contentHash },
          ...(write.provenance ? [{ type: 'Provenance', valueBase64Binary: utf8ToBase64(JSON.stringify(write.provenance)) }] : []),
        ],
      },
    ],
  });
}
