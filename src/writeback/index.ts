export {
  AI_DRAFTED_MARK,
  NOTE_SECTION_ORDER,
  NOTE_SECTION_TITLES,
  NOTE_TYPES,
  NoteError,
  closingLine,
  composeNoteDraft,
  confirmSection,
  earlySignDecisionId,
  editSection,
  noteType,
  recomposeDraft,
  renderNoteText,
  treatmentOptionDecisionId,
  unreviewedSections,
} from './note.ts';
export type {
  AcceptedDecision,
  ComposeNoteInput,
  NoteDecisions,
  NoteDraft,
  NoteSection,
  NoteSectionId,
  NoteSignature,
  NoteType,
  NoteTypeCode,
  OverrideReason,
  RejectedDecision,
} from './note.ts';
export { attest, attestationStatement, matchesAttestation, newWriteId } from './attestation.ts';
export type { Attestation } from './attestation.ts';
export { AIAST, INSIGHT_ITEM_SYSTEM, MODEL_ID_SYSTEM, WRITE_ID_SYSTEM, WriteProfileError, buildWrite, identifierQuery, modelDevice } from './profiles.ts';
export type { FhirWriteRequest, PlannedWrite, WriteInput } from './profiles.ts';
export { LedgerError, WriteLedger, findExistingWrite, textCarriesWrite } from './ledger.ts';
export type { ExistingWrite, FailureKind, KeyValueStorage, LedgerEntry, LedgerScope, WriteStatus } from './ledger.ts';
export { sha256Hex } from './encoding.ts';
export { DraftStore } from './draft-store.ts';
export type { DraftScope, SavedDraft } from './draft-store.ts';
