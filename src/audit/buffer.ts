/**
 * AuditEvents waiting to be sent, kept in storage (sessionStorage in the app) so a reload of the
 * sidebar or a failed POST does not lose them. Events hold references and ids only, so keeping
 * them in the browser adds no PHI beyond what the launch already holds.
 */
import type { AuditEvent } from 'fhir/r4';
import type { KeyValueStorage } from '../writeback/ledger.ts';

export const AUDIT_BUFFER_KEY = 'curbside.audit.pending';

interface Buffered {
  readonly id: string;
  readonly event: AuditEvent;
  readonly attempts: number;
}

export interface DrainResult {
  readonly sent: number;
  readonly kept: number;
}

export type AuditSender = (event: AuditEvent) => Promise<void>;

export class AuditBuffer {
  readonly #storage: KeyValueStorage;
  readonly #key: string;
  #draining: Promise<DrainResult> | undefined;

  constructor(storage: KeyValueStorage, key = AUDIT_BUFFER_KEY) {
    this.#storage = storage;
    this.#key = key;
  }

  add(event: AuditEvent): void {
    this.#save([...this.#load(), { id: crypto.randomUUID(), event, attempts: 0 }]);
  }

  pending(): AuditEvent[] {
    return this.#load().map((b) => b.event);
  }

  get size(): number {
    return this.#load().length;
  }

  /**
   * Sends each buffered event in order; what was sent leaves the buffer, what failed stays for the
   * next drain. Overlapping calls share one drain so nothing is sent twice.
   */
  drain(sender: AuditSender): Promise<DrainResult> {
    this.#draining ??= this.#drain(sender).finally(() => {
      this.#draining = undefined;
    });
    return this.#draining;
  }

  async #drain(sender: AuditSender): Promise<DrainResult> {
    let sent = 0;
    for (const item of this.#load()) {
      try {
        await sender(item.event);
        sent += 1;
        this.#save(this.#load().filter((b) => b.id !== item.id));
      } catch {
        this.#save(this.#load().map((b) => (b.id === item.id ? { ...b, attempts: b.attempts + 1 } : b)));
      }
    }
    return { sent, kept: this.size };
  }

  #load(): Buffered[] {
    const raw = this.#storage.getItem(this.#key);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? (parsed as Buffered[]) : [];
    } catch {
      return [];
    }
  }

  #save(items: Buffered[]): void {
    if (items.length === 0) this.#storage.removeItem(this.#key);
    else this.#storage.setItem(this.#key, JSON.stringify(items));
  }
}
