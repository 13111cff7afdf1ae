/**
 * The note being written, kept across reloads of the sidebar so a reload or an expired session
 * does not cost the clinician their words. The draft is PHI, so it belongs in sessionStorage,
 * which ends with the tab; the key is a hash of the FHIR base, patient and encounter, so storage
 * never shows which patient.
 */
import { sha256Hex } from './encoding.ts';
import type { KeyValueStorage, LedgerScope } from './ledger.ts';
import { NOTE_SECTION_ORDER, NOTE_TYPES, type NoteDraft, type NoteTypeCode } from './note.ts';

export type DraftScope = LedgerScope;

export interface SavedDraft {
  /** Absent while there is nothing to compose a draft from yet (no model answer) but the clinician has written. */
  readonly draft?: NoteDraft;
  /** The clinician's own words exactly as typed, which the draft holds only trimmed. */
  readonly clinicianText: string;
  readonly noteType: NoteTypeCode;
  /** ISO instant. */
  readonly savedAt: string;
}

const KEY_PREFIX = 'curbside.draft.';
// Bumped when the stored shape changes; an older value then reads as absent rather than half-valid.
const FORMAT = 1;

export class DraftStore {
  readonly #storage: KeyValueStorage;
  readonly #key: string;
  readonly #now: () => Date;

  private constructor(storage: KeyValueStorage, key: string, now: () => Date) {
    this.#storage = storage;
    this.#key = key;
    this.#now = now;
  }

  static async open(storage: KeyValueStorage, scope: DraftScope, options: { now?: () => Date } = {}): Promise<DraftStore> {
    if (isLocalStorage(storage)) throw new Error('A note draft holds patient data and must not outlive the tab: use sessionStorage, not localStorage.');
    const key = KEY_PREFIX + (await sha256Hex(JSON.stringify([scope.fhirBase.replace(/\/+$/, ''), scope.patientId, scope.encounterId ?? ''])));
    return new DraftStore(storage, key, options.now ?? (() => new Date()));
  }

  get storageKey(): string {
    return this.#key;
  }

  /** The saved draft, or undefined when none is saved or what is stored cannot be read as one. */
  load(): SavedDraft | undefined {
    const raw = this.#storage.getItem(this.#key);
    if (!raw) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return undefined;
    }
    if (!isRecord(parsed) || parsed.format !== FORMAT) return undefined;
    const { draft, clinicianText, noteType, savedAt } = parsed;
    if (typeof clinicianText !== 'string' || !isNoteTypeCode(noteType) || typeof savedAt !== 'string') return undefined;
    if (draft !== undefined && !isNoteDraft(draft)) return undefined;
    return { ...(draft === undefined ? {} : { draft }), clinicianText, noteType, savedAt };
  }

  /** Replaces what is saved. Throws what the storage throws (a full quota, storage blocked in the frame). */
  save(value: Omit<SavedDraft, 'savedAt'>): SavedDraft {
    const saved: SavedDraft = {
      ...(value.draft === undefined ? {} : { draft: value.draft }),
      clinicianText: value.clinicianText,
      noteType: value.noteType,
      savedAt: this.#now().toISOString(),
    };
    this.#storage.setItem(this.#key, JSON.stringify({ format: FORMAT, ...saved }));
    return saved;
  }

  clear(): void {
    this.#storage.removeItem(this.#key);
  }
}

function isLocalStorage(storage: KeyValueStorage): boolean {
  try {
    return typeof localStorage !== 'undefined' && storage === localStorage;
  } catch {
    // Reading `localStorage` throws where the frame may not use storage; then it cannot be this one.
    return false;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNoteTypeCode(value: unknown): value is NoteTypeCode {
  return typeof value === 'string' && Object.hasOwn(NOTE_TYPES, value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

const SECTION_IDS: ReadonlySet<unknown> = new Set(NOTE_SECTION_ORDER);

/** Checks every field a draft is read by, so a tampered or outdated value cannot reach the note text. */
function isNoteDraft(value: unknown): value is NoteDraft {
  if (!isRecord(value)) return false;
  const { noteType, insightId, model, accepted, sections, removed } = value;
  if (!isRecord(noteType) || noteType.system !== 'http://loinc.org' || !isNoteTypeCode(noteType.code) || noteType.display !== NOTE_TYPES[noteType.code]) return false;
  if (typeof insightId !== 'string') return false;
  if (!isRecord(model) || typeof model.provider !== 'string' || typeof model.name !== 'string' || typeof model.version !== 'string' || typeof model.builtIn !== 'boolean') {
    return false;
  }
  if (!Array.isArray(accepted) || !accepted.every((a) => isRecord(a) && typeof a.itemId === 'string' && typeof a.condition === 'string' && Array.isArray(a.codes) && a.codes.every(isRecord))) {
    return false;
  }
  if (!Array.isArray(sections)) return false;
  const seen = new Set<unknown>();
  for (const s of sections) {
    if (!isRecord(s) || !SECTION_IDS.has(s.id) || seen.has(s.id)) return false;
    seen.add(s.id);
    if (typeof s.title !== 'string' || !isStringArray(s.lines) || typeof s.aiDrafted !== 'boolean' || typeof s.reviewed !== 'boolean') return false;
  }
  return removed === undefined || (Array.isArray(removed) && removed.every((id) => SECTION_IDS.has(id)));
}
