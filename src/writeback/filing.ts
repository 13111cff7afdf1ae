/**
 * Filing an attested note for one launch: builds the EHR's write profile, sends it through the
 * writer, and puts each outcome on the audit trail (with the AI Provenance when the EHR won't
 * store it). The one service the note widgets need.
 */
import type { AuditEvent, CapabilityStatement, HumanName, Period, Practitioner, Provenance } from 'fhir/r4';
import type { WriteProfile } from '../smart/config.ts';
import type { ModelIdentity } from '../insight/types.ts';
import { noteWriteFailedEvent, noteWriteUnconfirmedEvent, noteWrittenEvent, type AuditContext } from '../audit/events.ts';
import type { Attestation } from './attestation.ts';
import { WriteLedger, type KeyValueStorage } from './ledger.ts';
import type { NoteDraft } from './note.ts';
import type { DraftStore } from './draft-store.ts';
import { WriteProfileError, buildWrite, type PlannedWrite } from './profiles.ts';
import { checkWriteProfile } from './capability.ts';
import { NoteWriter, type NoteWriterOptions, type WriteOutcome, type WriteProgress, type WriteTransport } from './writer.ts';

export interface FilingContext {
  readonly fhirBase: string;
  readonly patientId: string;
  readonly encounterId?: string;
  /** `Practitioner/123`; without it nothing can be attested. */
  readonly fhirUser?: string;
}

export interface Clinician {
  readonly name: string;
  readonly fhirUser: string;
}

/**
 * What the note widgets need to file a note: who attests, where the draft is kept, and the filing
 * itself. `NoteFiling` is one; a developer embedding the widgets may bring their own.
 */
export interface NoteFilingService {
  /** Undefined when the launch names no clinician (no fhirUser): nothing can be attested. */
  readonly clinician: Clinician | undefined;
  readonly drafts: DraftStore | undefined;
  file(input: Pick<FileNoteInput, 'draft' | 'text' | 'attestation' | 'onProgress'>): Promise<WriteOutcome>;
  /** Searches the chart for a write whose outcome is unknown; never re-posts. */
  check(writeId: string): Promise<WriteOutcome | undefined>;
}

export interface NoteFilingOptions {
  readonly context: FilingContext;
  readonly profile: WriteProfile;
  readonly transport: WriteTransport;
  /** sessionStorage in the app. */
  readonly storage: KeyValueStorage;
  /** Receives an AuditEvent for every written, failed or unconfirmed note. */
  readonly audit?: (event: AuditEvent) => void;
  /** Epic files preliminary notes unless the site configured final ones. */
  readonly epicDocStatus?: 'preliminary' | 'final';
  readonly clinician?: Clinician;
  readonly drafts?: DraftStore;
  readonly writer?: Pick<NoteWriterOptions, 'maxAttempts' | 'timeoutMs' | 'backoffMs' | 'maxRetryAfterMs' | 'sleep'>;
}

export interface FileNoteInput {
  readonly draft: NoteDraft;
  /** Exactly the attested text. */
  readonly text: string;
  readonly attestation: Attestation;
  /** The clinical period the note covers; defaults to the moment of attestation. */
  readonly period?: Period;
  readonly onProgress?: (progress: WriteProgress) => void;
  readonly signal?: AbortSignal;
}

export class NoteFiling implements NoteFilingService {
  readonly #o: NoteFilingOptions;
  readonly #ledger: WriteLedger;
  /** What each write was, so a later settle can audit it with the right model and Provenance. */
  readonly #plans = new Map<string, { plan: PlannedWrite; model: ModelIdentity }>();
  /** Problems with the configured profile on this EHR, from its CapabilityStatement; read once. */
  #profileProblems: Promise<readonly string[]> | undefined;
  /** Notes' Binary texts already read while settling, by URL: only the write id they carry. */
  readonly #readAttachments = new Map<string, string | null>();

  private constructor(options: NoteFilingOptions, ledger: WriteLedger) {
    this.#o = options;
    this.#ledger = ledger;
  }

  static async open(options: NoteFilingOptions): Promise<NoteFiling> {
    const { fhirBase, patientId, encounterId } = options.context;
    const ledger = await WriteLedger.open(options.storage, { fhirBase, patientId, ...(encounterId ? { encounterId } : {}) });
    return new NoteFiling(options, ledger);
  }

  get clinician(): Clinician | undefined {
    return this.#o.clinician;
  }

  get drafts(): DraftStore | undefined {
    return this.#o.drafts;
  }

  get profile(): WriteProfile {
    return this.#o.profile;
  }

  async file(input: FileNoteInput): Promise<WriteOutcome> {
    const { context } = this.#o;
    const problems = await this.#checkProfile();
    if (problems.length > 0) {
      return {
        status: 'failed',
        writeId: input.attestation.writeId,
        reason: 'rejected',
        message:
          `This EHR does not take notes the way Curbside is set up to send them (write profile "${this.#o.profile}"): ${problems.join(' ')} ` +
          'The note was not filed and your draft is kept. Your EHR administrator can change the write profile; npm run check-ehr shows what this EHR supports.',
        attempts: 0,
      };
    }
    let plan: PlannedWrite;
    try {
      plan = await buildWrite(this.#o.profile, {
        draft: input.draft,
        text: input.text,
        attestation: input.attestation,
        patientId: context.patientId,
        ...(context.encounterId ? { encounterId: context.encounterId } : {}),
        period: input.period ?? { start: input.attestation.attestedAt, end: input.attestation.attestedAt },
        ...(this.#o.epicDocStatus ? { epicDocStatus: this.#o.epicDocStatus } : {}),
      });
    } catch (error) {
      if (!(error instanceof WriteProfileError)) throw error;
      return { status: 'failed', writeId: input.attestation.writeId, reason: 'rejected', message: `${error.message} The note was not filed and your draft is kept.`, attempts: 0 };
    }
    this.#plans.set(plan.writeId, { plan, model: input.draft.model });
    const outcome = await this.#writer(input.onProgress).file(plan, input.signal);
    this.#audit(outcome, plan, input.draft.model);
    return outcome;
  }

  /**
   * Reads the EHR's CapabilityStatement once. A statement that can't be read or parsed blocks
   * nothing: the EHR's own answer to the write is then the judge.
   */
  #checkProfile(): Promise<readonly string[]> {
    this.#profileProblems ??= this.#o.transport
      .send({ method: 'GET', url: 'metadata', headers: { accept: 'application/fhir+json' } })
      .then((response) => {
        const statement = response.body as CapabilityStatement | undefined;
        return response.status === 200 && statement?.resourceType === 'CapabilityStatement' ? checkWriteProfile(this.#o.profile, statement).problems : [];
      })
      .catch(() => []);
    return this.#profileProblems;
  }

  /** Settles a write whose outcome is unknown by searching the chart; never re-posts. */
  async check(writeId: string, signal?: AbortSignal): Promise<WriteOutcome | undefined> {
    const outcome = await this.#writer().settle(writeId, signal);
    const known = this.#plans.get(writeId);
    if (outcome && known) this.#audit(outcome, known.plan, known.model);
    return outcome;
  }

  /** Writes left pending or unconfirmed by an earlier page (a reload or a relaunch), settled by search. */
  async settleUnsettled(signal?: AbortSignal): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = [];
    for (const entry of this.#ledger.unsettled()) {
      const outcome = await this.#writer().settle(entry.writeId, signal);
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  }

  #writer(onProgress?: (progress: WriteProgress) => void): NoteWriter {
    const { context } = this.#o;
    return new NoteWriter({
      transport: this.#o.transport,
      ledger: this.#ledger,
      patientId: context.patientId,
      ...(context.encounterId ? { encounterId: context.encounterId } : {}),
      ...this.#o.writer,
      readAttachments: this.#readAttachments,
      ...(onProgress ? { onProgress } : {}),
    });
  }

  #audit(outcome: WriteOutcome, plan: PlannedWrite, model: ModelIdentity): void {
    const record = this.#o.audit;
    const clinician = this.#o.context.fhirUser;
    if (!record || !clinician) return;
    const context: AuditContext = {
      clinician,
      model,
      patientId: this.#o.context.patientId,
      ...(this.#o.context.encounterId ? { encounterId: this.#o.context.encounterId } : {}),
    };
    const write = { writeId: plan.writeId, contentHash: plan.contentHash };
    switch (outcome.status) {
      case 'confirmed': {
        const reference = `DocumentReference/${outcome.resourceId}`;
        const provenance = plan.provenanceStored ? undefined : withNoteTarget(plan.provenance, reference);
        record(noteWrittenEvent(context, { ...write, documentReference: reference, ...(provenance ? { provenance } : {}) }));
        return;
      }
      case 'failed':
        record(noteWriteFailedEvent(context, { ...write, ...(outcome.httpStatus ? { httpStatus: outcome.httpStatus } : {}) }));
        return;
      case 'needs-relaunch':
        // Refused with a 401 before anything was stored, or unknown because the search could not run.
        if (this.#ledger.get(plan.writeId)?.status === 'failed') record(noteWriteFailedEvent(context, { ...write, httpStatus: 401 }));
        else record(noteWriteUnconfirmedEvent(context, write));
        return;
      case 'unconfirmed':
        record(noteWriteUnconfirmedEvent(context, write));
        return;
    }
  }
}

function withNoteTarget(provenance: Provenance, reference: string): Provenance {
  const [note, ...rest] = provenance.target;
  return { ...provenance, target: [{ ...note, reference }, ...rest] };
}

/** The clinician's display name from their Practitioner resource, for the attestation statement. */
export function clinicianName(practitioner: Practitioner | undefined): string | undefined {
  const names: HumanName[] = practitioner?.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names.find((n) => n.use !== 'old') ?? names[0];
  if (!name) return undefined;
  if (name.text?.trim()) return name.text.trim();
  const parts = [...(name.given ?? []), name.family].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}
