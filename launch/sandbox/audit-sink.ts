/**
 * A stand-in for a hospital's audit repository: where the app sends AuditEvents when the EHR
 * refuses to store them. It validates like the FHIR server does and keeps what arrived in order.
 */
import './fhir/websocket-stub.ts';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import type { AuditEvent, OperationOutcome } from 'fhir/r4';
import { ensureDefinitions } from './fhir/definitions.ts';

export type SinkAnswer = { readonly ok: true } | { readonly ok: false; readonly outcome: OperationOutcome };

function refused(text: string): SinkAnswer {
  return { ok: false, outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', details: { text } }] } };
}

function namesPatient(reference: string | undefined, patientId: string): boolean {
  return reference === `Patient/${patientId}` || Boolean(reference?.endsWith(`/Patient/${patientId}`));
}

/** True when an AuditEvent names the patient as an agent or an entity, as FHIR's `patient` search parameter reads it. */
export function auditEventNamesPatient(event: AuditEvent, patientId: string): boolean {
  return (
    (event.agent ?? []).some((a) => namesPatient(a.who?.reference, patientId)) ||
    (event.entity ?? []).some((e) => namesPatient(e.what?.reference, patientId))
  );
}

export class AuditSink {
  /** Every accepted event, oldest first; tests read (and may empty) it directly. */
  readonly events: AuditEvent[] = [];

  accept(body: unknown): SinkAnswer {
    if (body === null || typeof body !== 'object' || Array.isArray(body) || (body as { resourceType?: unknown }).resourceType !== 'AuditEvent') {
      return refused('The audit sink accepts one AuditEvent resource in JSON.');
    }
    ensureDefinitions();
    try {
      validateResource(body as Parameters<typeof validateResource>[0]);
    } catch (err) {
      if (err instanceof OperationOutcomeError) return { ok: false, outcome: err.outcome as OperationOutcome };
      throw err;
    }
    this.events.push(structuredClone(body) as AuditEvent);
    return { ok: true };
  }

  countFor(patientId: string): number {
    return this.events.filter((e) => auditEventNamesPatient(e, patientId)).length;
  }
}
