/**
 * What Curbside knows about its own writes, kept across reloads of the sidebar. A POST whose
 * answer never arrived may still have landed, so a note is POSTed again only once a search has
 * proven it absent. Keys and values hold only ids, hashes and states: no names, text or tokens.
 */
import type { Bundle, DocumentReference } from 'fhir/r4';
import type { WriteProfile } from '../smart/config.ts';
import { base64ToUtf8, sha256Hex } from './encoding.ts';
import { WRITE_ID_SYSTEM } from './profiles.ts';

/** The part of `Storage` the ledger uses (sessionStorage in the app). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Only failures that prove nothing was stored: a 4xx refusal, a request that never left the
 * browser, or a search that found no trace. A 5xx, timeout or dropped connection is `unconfirmed`.
 */
export type FailureKind = 'rejected' | 'not-sent' | 'proven-absent';

export type WriteStatus = 'pending' | 'confirmed' | 'failed' | 'unconfirmed';

export interface LedgerEntry {
  readonly writeId: string;
  readonly contentHash: string;
  readonly profile: WriteProfile;
  readonly status: WriteStatus;
  /** ISO instant of the last change. */
  readonly updatedAt: string;
  /** The server's id once confirmed. */
  readonly resourceId?: string;
  readonly failure?: { readonly kind: FailureKind; readonly httpStatus?: number };
  /** When the clinician attested; a later search looks for notes dated from then. */
  readonly attestedAt?: string;
}

export interface LedgerScope {
  readonly fhirBase: string;
  readonly patientId: string;
  readonly encounterId?: string;
}

export class LedgerError extends Error {
  override readonly name = 'LedgerError';
}

const ALLOWED: Readonly<Record<WriteStatus, readonly WriteStatus[]>> = {
  pending: ['confirmed', 'failed', 'unconfirmed'],
  // An unanswered POST is settled by a search: found (confirmed) or proven absent (failed).
  unconfirmed: ['confirmed', 'failed'],
  confirmed: [],
  failed: [],
};

const KEY_PREFIX = 'curbside.writes.';

export class WriteLedger {
  readonly #storage: KeyValueStorage;
  readonly #key: string;
  readonly #now: () => Date;

  private constructor(storage: KeyValueStorage, key: string, now: () => Date) {
    this.#storage = storage;
    this.#key = key;
    this.#now = now;
  }

  /** The key is a hash of the FHIR base, patient and encounter, so storage never shows which patient. */
  static async open(storage: KeyValueStorage, scope: LedgerScope, options: { now?: () => Date } = {}): Promise<WriteLedger> {
    const key = KEY_PREFIX + (await sha256Hex(JSON.stringify([scope.fhirBase.replace(/\/+$/, ''), scope.patientId, scope.encounterId ?? ''])));
    return new WriteLedger(storage, key, options.now ?? (() => new Date()));
  }

  get storageKey(): string {
    return this.#key;
  }

  entries(): LedgerEntry[] {
    const raw = this.#storage.getItem(this.#key);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as LedgerEntry[]) : [];
    } catch {
      return [];
    }
  }

  get(writeId: string): LedgerEntry | undefined {
    return this.entries().find((e) => e.writeId === writeId);
  }

  /**
   * True when a POST of this write may go out: never sent, or failed in a way that proves it did
   * not land. Pending, unconfirmed and confirmed writes are never sent again.
   */
  mayPost(writeId: string): boolean {
    const entry = this.get(writeId);
    return !entry || entry.status === 'failed';
  }

  /** Records a POST about to go out. A failed write may start again under the same id. */
  begin(writeId: string, contentHash: string, profile: WriteProfile, attestedAt?: string): LedgerEntry {
    if (!this.mayPost(writeId)) throw new LedgerError(`Write ${writeId} is ${this.get(writeId)?.status}; it must not be sent again.`);
    if (!/^[0-9a-f]{64}$/.test(contentHash)) throw new LedgerError('The content hash must be a SHA-256 hex digest.');
    const entry: LedgerEntry = { writeId, contentHash, profile, status: 'pending', updatedAt: this.#now().toISOString(), ...(attestedAt ? { attestedAt } : {}) };
    this.#save([...this.entries().filter((e) => e.writeId !== writeId), entry]);
    return entry;
  }

  confirm(writeId: string, resourceId: string): LedgerEntry {
    return this.#move(writeId, 'confirmed', { resourceId });
  }

  fail(writeId: string, kind: FailureKind, httpStatus?: number): LedgerEntry {
    return this.#move(writeId, 'failed', { failure: { kind, ...(httpStatus ? { httpStatus } : {}) } });
  }

  /** The request went out and no answer came back (timeout, dropped connection, 5xx after send). */
  markUnconfirmed(writeId: string): LedgerEntry {
    return this.#move(writeId, 'unconfirmed', {});
  }

  /** Writes a search must settle before anything else is sent. */
  unsettled(): LedgerEntry[] {
    return this.entries().filter((e) => e.status === 'pending' || e.status === 'unconfirmed');
  }

  #move(writeId: string, status: WriteStatus, extra: Partial<LedgerEntry>): LedgerEntry {
    const entries = this.entries();
    const current = entries.find((e) => e.writeId === writeId);
    if (!current) throw new LedgerError(`No write ${writeId} in the ledger.`);
    if (!ALLOWED[current.status].includes(status)) throw new LedgerError(`Write ${writeId} cannot go from ${current.status} to ${status}.`);
    const { failure: _failure, resourceId: _resourceId, ...rest } = current;
    const next: LedgerEntry = { ...rest, ...extra, status, updatedAt: this.#now().toISOString() };
    this.#save(entries.map((e) => (e.writeId === writeId ? next : e)));
    return next;
  }

  #save(entries: LedgerEntry[]): void {
    this.#storage.setItem(this.#key, JSON.stringify(entries));
  }
}

export type ExistingWrite =
  | { readonly status: 'found'; readonly resourceId: string; readonly by: 'identifier' | 'text' | 'hash' }
  | { readonly status: 'absent' }
  /**
   * Neither found nor proven absent: more pages exist, or some notes' text is only behind a
   * `Binary` URL (Epic converts the text on create). Fetch those and ask `textCarriesWrite`.
   */
  | { readonly status: 'inconclusive'; readonly reason: 'more-pages' | 'unread-attachments'; readonly attachmentUrls: readonly string[] };

/** True when a note's text is the one for this write: its closing line names the write id. */
export function textCarriesWrite(text: string, writeId: string): boolean {
  return text.includes(`write id ${writeId}`);
}

/**
 * Decides from a DocumentReference searchset (the patient's notes, newest first is enough)
 * whether a write landed: by our identifier, by the write id in the text, or by the text's hash.
 */
export async function findExistingWrite(searchResults: Bundle, writeId: string, contentHash: string): Promise<ExistingWrite> {
  const documents = (searchResults.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is DocumentReference => r?.resourceType === 'DocumentReference' && typeof r.id === 'string');

  for (const doc of documents) {
    if (doc.identifier?.some((i) => i.system === WRITE_ID_SYSTEM && i.value === writeId)) return { status: 'found', resourceId: doc.id as string, by: 'identifier' };
  }
  const unread: string[] = [];
  for (const doc of documents) {
    for (const { attachment } of doc.content ?? []) {
      if (attachment.data) {
        const text = base64ToUtf8(attachment.data);
        if (text === undefined) continue;
        if (textCarriesWrite(text, writeId)) return { status: 'found', resourceId: doc.id as string, by: 'text' };
        if ((await sha256Hex(text)) === contentHash) return { status: 'found', resourceId: doc.id as string, by: 'hash' };
      } else if (attachment.url && isTextual(attachment.contentType)) {
        unread.push(attachment.url);
      }
    }
  }
  if (searchResults.link?.some((l) => l.relation === 'next')) return { status: 'inconclusive', reason: 'more-pages', attachmentUrls: unread };
  if (unread.length > 0) return { status: 'inconclusive', reason: 'unread-attachments', attachmentUrls: unread };
  return { status: 'absent' };
}

function isTextual(contentType: string | undefined): boolean {
  // Epic's read-back offers html and rtf renditions of a plain-text note; either still carries the closing line.
  return !contentType || /^text\//i.test(contentType);
}
