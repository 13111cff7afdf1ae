export {
  AUDIT_TYPES,
  SUBTYPE_SYSTEM,
  modelDisclosureEvent,
  noteWriteFailedEvent,
  noteWriteUnconfirmedEvent,
  noteWrittenEvent,
  suggestionAcceptedEvent,
  suggestionRejectedEvent,
  suggestionsShadowEvent,
  suggestionsShownEvent,
} from './events.ts';
export type { AuditAction, AuditContext, NoteWriteAudit } from './events.ts';
export { AUDIT_BUFFER_KEY, AuditBuffer } from './buffer.ts';
export type { AuditSender, DrainResult } from './buffer.ts';
