/**
 * The services behind the note and the audit trail for one launch: the filing service (write
 * profile from the runtime configuration, drafts and the write ledger in sessionStorage), the
 * audit trail (the EHR's AuditEvent endpoint, else the configured sink), and the listeners that
 * turn the sidebar's events into AuditEvents.
 */
import type Client from 'fhirclient/lib/Client';
import type { Practitioner } from 'fhir/r4';
import type { EhrConfig } from '../src/smart/config.ts';
import type { FhirRequester, LaunchContext } from '../src/smart/context.ts';
import { AuditBuffer } from '../src/audit/buffer.ts';
import { modelDisclosureEvent, suggestionAcceptedEvent, suggestionRejectedEvent, suggestionsShadowEvent, suggestionsShownEvent, type AuditContext } from '../src/audit/events.ts';
import { AuditTrail, auditSender } from '../src/audit/trail.ts';
import { DraftStore } from '../src/writeback/draft-store.ts';
import { NoteFiling, clinicianName, type Clinician } from '../src/writeback/filing.ts';
import type { ModelIdentity } from '../src/insight/types.ts';
import { writeTransportFor } from './write-transport.ts';

export interface NoteServices {
  readonly trail: AuditTrail;
  /** Listens on the sidebar for what must be on the audit trail; returns the unsubscribe. */
  auditEventsFrom(target: EventTarget): () => void;
  /** Records one of the sidebar's audited events raised before the listeners were attached. */
  record(event: Event): void;
  /** The filing service; it reads the clinician's name first, so it comes after the sidebar is up. */
  openFiling(): Promise<NoteFiling>;
}

export function noteServices(client: Client, context: LaunchContext & { patientId: string }, ehr: EhrConfig, requester: FhirRequester): NoteServices {
  const transport = writeTransportFor(client);
  const scope = { fhirBase: context.fhirBase, patientId: context.patientId, ...(context.encounterId ? { encounterId: context.encounterId } : {}) };
  const sink = ehr.auditSink?.replace('{issOrigin}', new URL(context.fhirBase).origin);
  const trail = new AuditTrail(
    new AuditBuffer(sessionStorage),
    auditSender({
      // Epic and Oracle Health accept no AuditEvent from apps; asking would only earn a refusal.
      ...(ehr.writeProfile === 'standard'
        ? { ehr: async (event) => (await transport.send({ method: 'POST', url: 'AuditEvent', body: event, headers: { 'content-type': 'application/fhir+json' } })).status }
        : {}),
      ...(sink ? { sink } : {}),
    }),
  );
  void trail.flush();

  const auditContext = (model: ModelIdentity): AuditContext | undefined =>
    context.fhirUser ? { clinician: context.fhirUser, model, patientId: context.patientId, ...(context.encounterId ? { encounterId: context.encounterId } : {}) } : undefined;
  let lastModel: ModelIdentity | undefined;

  const record = (build: (ctx: AuditContext) => Parameters<AuditTrail['record']>[0], model = lastModel): void => {
    const ctx = model ? auditContext(model) : undefined;
    if (ctx) void trail.record(build(ctx));
  };
  const handlers = new Map<string, EventListener>([
    ['curbside-model-disclosure', ((e: GlobalEventHandlersEventMap['curbside-model-disclosure']) => {
      lastModel = e.detail.model;
      record((ctx) => modelDisclosureEvent(ctx, { tokens: e.detail.payloadTokens, sha256: e.detail.payloadSha256 }), e.detail.model);
    }) as EventListener],
    ['curbside-suggestions-shown', ((e: GlobalEventHandlersEventMap['curbside-suggestions-shown']) => {
      lastModel = e.detail.model;
      const { insightId, itemIds, items, shadow } = e.detail;
      record((ctx) => (shadow ? suggestionsShadowEvent(ctx, { insightId, items: items ?? itemIds.map((id) => ({ id, codes: [], verified: true })) }) : suggestionsShownEvent(ctx, { insightId, itemIds, ...(items ? { items } : {}) })), e.detail.model);
    }) as EventListener],
    ['curbside-suggestion-accept', ((e: GlobalEventHandlersEventMap['curbside-suggestion-accept']) => {
      record((ctx) => suggestionAcceptedEvent(ctx, { insightId: e.detail.insightId, itemId: e.detail.itemId }));
    }) as EventListener],
    ['curbside-suggestion-reject', ((e: GlobalEventHandlersEventMap['curbside-suggestion-reject']) => {
      record((ctx) => suggestionRejectedEvent(ctx, { insightId: e.detail.insightId, itemId: e.detail.itemId, overrideReason: e.detail.reason }));
    }) as EventListener],
  ]);

  return {
    trail,
    async openFiling(): Promise<NoteFiling> {
      const clinician = await attestingClinician(client, context, requester);
      const filing = await NoteFiling.open({
        context: { ...scope, ...(context.fhirUser ? { fhirUser: context.fhirUser } : {}) },
        profile: ehr.writeProfile,
        transport,
        storage: sessionStorage,
        drafts: await DraftStore.open(sessionStorage, scope),
        ...(clinician ? { clinician } : {}),
        audit: (event) => void trail.record(event),
      });
      // Writes an earlier page left unsettled (a reload or a relaunch mid-write) are settled by search.
      void filing.settleUnsettled().catch(() => undefined);
      return filing;
    },
    record(event: Event): void {
      handlers.get(event.type)?.(event);
    },
    auditEventsFrom(target: EventTarget): () => void {
      for (const [type, listener] of handlers) target.addEventListener(type, listener);
      return () => {
        for (const [type, listener] of handlers) target.removeEventListener(type, listener);
      };
    },
  };
}

/** The clinician's name for the attestation: the id token's name claim, else their Practitioner resource. */
async function attestingClinician(client: Client, context: LaunchContext, requester: FhirRequester): Promise<Clinician | undefined> {
  const fhirUser = context.fhirUser;
  if (!fhirUser) return undefined;
  const claimed = client.getIdToken()?.name;
  if (typeof claimed === 'string' && claimed.trim()) return { name: claimed.trim(), fhirUser };
  try {
    const name = clinicianName(await requester.request<Practitioner>(fhirUser));
    return name ? { name, fhirUser } : undefined;
  } catch {
    return undefined;
  }
}
