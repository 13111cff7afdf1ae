/**
 * Files an attested note and finds out, beyond doubt, whether it landed. A POST that got no clear
 * answer may have been stored, and the real EHRs ignore `If-None-Exist`, so nothing is sent again
 * until a search of the patient's notes has proven the write absent; a write that can't be proven
 * either way is reported as unconfirmed, never re-posted.
 */
import type { Binary, Bundle, DocumentReference, OperationOutcome } from 'fhir/r4';
import { base64ToUtf8 } from './encoding.ts';
import { findExistingWrite, textCarriesWrite, type LedgerEntry, type WriteLedger } from './ledger.ts';
import type { FhirWriteRequest, PlannedWrite } from './profiles.ts';

export interface TransportResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, or the raw text when not JSON, or undefined when empty. */
  readonly body: unknown;
}

export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  /** Relative to the FHIR base (`''` is the base itself). */
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/**
 * How the writer reaches the EHR. `send` resolves for every HTTP answer, whatever its status, and
 * rejects only when no answer arrived (network failure, dropped connection, timeout, abort).
 */
export interface WriteTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** After a 401: obtain a fresh access token; false when the session cannot be renewed. */
  reauthorize(): Promise<boolean>;
}

export type WriteOutcome =
  | { readonly status: 'confirmed'; readonly writeId: string; readonly resourceId: string; readonly attempts: number; readonly foundBy?: 'response' | 'search' }
  | { readonly status: 'failed'; readonly writeId: string; readonly reason: 'rejected' | 'proven-absent'; readonly httpStatus?: number; readonly message: string; readonly attempts: number }
  | { readonly status: 'unconfirmed'; readonly writeId: string; readonly message: string; readonly attempts: number }
  | { readonly status: 'needs-relaunch'; readonly writeId: string; readonly message: string; readonly attempts: number };

export type WriteProgress =
  | { readonly kind: 'sending'; readonly attempt: number }
  | { readonly kind: 'checking'; readonly attempt: number }
  | { readonly kind: 'waiting'; readonly attempt: number; readonly ms: number; readonly why: string };

export interface NoteWriterOptions {
  readonly transport: WriteTransport;
  readonly ledger: WriteLedger;
  readonly patientId: string;
  readonly encounterId?: string;
  /** POSTs per note, the first included (4). */
  readonly maxAttempts?: number;
  /** Per request (20 s). A POST that times out is unconfirmed, not failed. */
  readonly timeoutMs?: number;
  /** Backoff before attempt n+1 when the server gave no Retry-After (0.5 s, 1 s, 2 s, …, at most 8 s). */
  readonly backoffMs?: (attempt: number) => number;
  /** Longest Retry-After honoured (30 s); a longer one ends the attempts and says so. */
  readonly maxRetryAfterMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly onProgress?: (progress: WriteProgress) => void;
  /** Search pages and Binary reads a settle may spend before it calls the outcome unknown. */
  readonly searchBudget?: { readonly pages: number; readonly attachments: number };
  /**
   * Binary URLs already read, with the write id their text carries (null when none). Notes don't
   * change, so a writer that shares this across settles reads each note's text once. Holds ids only.
   */
  readonly readAttachments?: Map<string, string | null>;
}

const UNCONFIRMED_MESSAGE = 'The EHR did not confirm the note. It may or may not be in the chart: check the chart before filing it again.';
const RELAUNCH_MESSAGE = 'Your EHR session has expired. The note was not filed and your draft is kept: close Curbside and open it again from the chart, then file it.';

type Answer =
  | { readonly kind: 'stored'; readonly resourceId?: string }
  | { readonly kind: 'refused'; readonly httpStatus: number; readonly message: string }
  | { readonly kind: 'unauthorized' }
  /** Not stored (the server said so before doing anything: 429, 503 with Retry-After is still checked). */
  | { readonly kind: 'unknown'; readonly httpStatus?: number; readonly retryAfterMs?: number };

type Settled = { readonly kind: 'found'; readonly resourceId: string } | { readonly kind: 'absent' } | { readonly kind: 'unknown' } | { readonly kind: 'unauthorized' };

export class NoteWriter {
  readonly #o: Required<Omit<NoteWriterOptions, 'encounterId' | 'onProgress'>> & Pick<NoteWriterOptions, 'encounterId' | 'onProgress'>;

  constructor(options: NoteWriterOptions) {
    this.#o = {
      maxAttempts: 4,
      timeoutMs: 20_000,
      backoffMs: (attempt) => Math.min(8000, 500 * 2 ** (attempt - 1)),
      maxRetryAfterMs: 30_000,
      sleep: abortableSleep,
      searchBudget: { pages: 10, attachments: 25 },
      readAttachments: new Map(),
      ...options,
    };
  }

  /**
   * Files the planned write. Calling it again with the same write id never doubles the note: a
   * write already sent is settled by search first and re-posted only when proven absent.
   */
  async file(plan: PlannedWrite, signal?: AbortSignal): Promise<WriteOutcome> {
    const request = plan.requests[0];
    if (!request || plan.requests.length !== 1) throw new Error('A planned write has exactly one request.');
    const { ledger } = this.#o;
    let attempts = 0;
    let reauthorized = false;

    const previous = ledger.get(plan.writeId);
    if (previous?.status === 'confirmed') return confirmed(previous, 0, 'response');
    if (previous && previous.status !== 'failed') {
      // Sent before (a reload, a relaunch or a second click): prove where it stands first.
      const settled = await this.#settle(previous, 0, signal);
      if (settled.status !== 'failed' || settled.reason !== 'proven-absent') return settled;
    }

    for (;;) {
      attempts += 1;
      ledger.begin(plan.writeId, plan.contentHash, plan.profile, plan.attestedAt);
      this.#o.onProgress?.({ kind: 'sending', attempt: attempts });
      const answer = await this.#post(request, plan.profile, signal);
      if (answer.kind === 'stored' && answer.resourceId) {
        ledger.confirm(plan.writeId, answer.resourceId);
        return { status: 'confirmed', writeId: plan.writeId, resourceId: answer.resourceId, attempts, foundBy: 'response' };
      }
      if (answer.kind === 'refused') {
        ledger.fail(plan.writeId, 'rejected', answer.httpStatus);
        return { status: 'failed', writeId: plan.writeId, reason: 'rejected', httpStatus: answer.httpStatus, message: answer.message, attempts };
      }
      if (answer.kind === 'unauthorized') {
        // A 401 is a refusal: nothing was stored, so the same POST may go again once renewed.
        ledger.fail(plan.writeId, 'rejected', 401);
        if (!reauthorized && (await this.#reauthorize())) {
          reauthorized = true;
          attempts -= 1;
          continue;
        }
        return { status: 'needs-relaunch', writeId: plan.writeId, message: RELAUNCH_MESSAGE, attempts };
      }

      // Stored without an id, or no clear answer: only a search can tell.
      ledger.markUnconfirmed(plan.writeId);
      const settled = await this.#settle(ledger.get(plan.writeId) as LedgerEntry, attempts, signal);
      if (settled.status !== 'failed' || settled.reason !== 'proven-absent') return settled;
      if (attempts >= this.#o.maxAttempts) {
        return { ...settled, message: `The EHR did not accept the note after ${attempts} attempts; it is not in the chart and your draft is kept.` };
      }
      const retryAfter = answer.kind === 'unknown' ? answer.retryAfterMs : undefined;
      if (retryAfter !== undefined && retryAfter > this.#o.maxRetryAfterMs) {
        return { ...settled, message: `The EHR asked Curbside to wait ${Math.ceil(retryAfter / 1000)} s before trying again; the note is not in the chart and your draft is kept.` };
      }
      const wait = retryAfter ?? this.#o.backoffMs(attempts);
      this.#o.onProgress?.({ kind: 'waiting', attempt: attempts, ms: wait, why: answer.kind === 'unknown' && answer.httpStatus ? `HTTP ${answer.httpStatus}` : 'no answer' });
      await this.#o.sleep(wait, signal);
    }
  }

  /**
   * Settles a write left pending or unconfirmed (by a reload, a relaunch or a lost answer) by
   * searching only; it never POSTs. Confirmed and failed writes are returned as recorded.
   */
  async settle(writeId: string, signal?: AbortSignal): Promise<WriteOutcome | undefined> {
    const entry = this.#o.ledger.get(writeId);
    if (!entry) return undefined;
    if (entry.status === 'confirmed') return confirmed(entry, 0, 'response');
    if (entry.status === 'failed') {
      return { status: 'failed', writeId, reason: entry.failure?.kind === 'rejected' ? 'rejected' : 'proven-absent', ...(entry.failure?.httpStatus ? { httpStatus: entry.failure.httpStatus } : {}), message: 'The note was not filed.', attempts: 0 };
    }
    return this.#settle(entry, 0, signal);
  }

  async #settle(entry: LedgerEntry, attempts: number, signal: AbortSignal | undefined): Promise<WriteOutcome> {
    const { ledger } = this.#o;
    this.#o.onProgress?.({ kind: 'checking', attempt: attempts });
    if (entry.status === 'pending') ledger.markUnconfirmed(entry.writeId);
    let result = await this.#search(entry, signal);
    if (result.kind === 'unauthorized' && (await this.#reauthorize())) result = await this.#search(entry, signal);
    switch (result.kind) {
      case 'found':
        ledger.confirm(entry.writeId, result.resourceId);
        return { status: 'confirmed', writeId: entry.writeId, resourceId: result.resourceId, attempts, foundBy: 'search' };
      case 'absent':
        ledger.fail(entry.writeId, 'proven-absent');
        return { status: 'failed', writeId: entry.writeId, reason: 'proven-absent', message: 'The note is not in the chart.', attempts };
      case 'unauthorized':
        return { status: 'needs-relaunch', writeId: entry.writeId, message: `${UNCONFIRMED_MESSAGE} ${RELAUNCH_MESSAGE}`, attempts };
      case 'unknown':
        return { status: 'unconfirmed', writeId: entry.writeId, message: UNCONFIRMED_MESSAGE, attempts };
    }
  }

  async #reauthorize(): Promise<boolean> {
    try {
      return await this.#o.transport.reauthorize();
    } catch {
      return false;
    }
  }

  async #post(request: FhirWriteRequest, profile: PlannedWrite['profile'], signal: AbortSignal | undefined): Promise<Answer> {
    let response: TransportResponse;
    try {
      response = await this.#send({ method: 'POST', url: request.url, body: request.body, headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', ...request.headers } }, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      return { kind: 'unknown' };
    }
    const { status } = response;
    if (status >= 200 && status < 300) {
      const resourceId = profile === 'standard' ? idFromTransaction(response) : idFromCreate(response);
      return { kind: 'stored', ...(resourceId ? { resourceId } : {}) };
    }
    if (status === 401) return { kind: 'unauthorized' };
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    // 408, 429 and every 5xx may come from a gateway that already passed the request on.
    if (status === 408 || status === 429 || status >= 500) return { kind: 'unknown', httpStatus: status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    return { kind: 'refused', httpStatus: status, message: refusalMessage(status, response.body) };
  }

  /** The patient's notes around the write's time, searched for the write id, the text or its hash. */
  async #search(entry: LedgerEntry, signal: AbortSignal | undefined): Promise<Settled> {
    const params = new URLSearchParams({ patient: this.#o.patientId, _count: '50' });
    if (this.#o.encounterId) params.set('encounter', `Encounter/${this.#o.encounterId}`);
    // From a day before the attestation: the note carries that date, or the EHR stamps a later one.
    const since = new Date(Date.parse(entry.attestedAt ?? entry.updatedAt) - 86_400_000).toISOString().slice(0, 10);
    params.set('date', `ge${since}`);
    let url: string | undefined = `DocumentReference?${params}`;
    const budget = { ...this.#o.searchBudget };
    const unread: Array<{ readonly owner: string; readonly url: string; readonly date: number }> = [];
    while (url) {
      if (budget.pages-- <= 0) return { kind: 'unknown' };
      const response = await this.#get(url, signal);
      if (response === 'no-answer') return { kind: 'unknown' };
      if (response.status === 401) return { kind: 'unauthorized' };
      const bundle = response.body as Bundle | undefined;
      if (response.status !== 200 || bundle?.resourceType !== 'Bundle') return { kind: 'unknown' };
      const found = await findExistingWrite({ ...bundle, link: [] }, entry.writeId, entry.contentHash);
      if (found.status === 'found') return { kind: 'found', resourceId: found.resourceId };
      if (found.status === 'inconclusive') unread.push(...textRenditions(bundle, entry.attestedAt));
      url = bundle.link?.find((l) => l.relation === 'next')?.url;
    }
    // Notes whose text is only behind a Binary URL (Epic converts the text on create), newest first.
    unread.sort((a, b) => b.date - a.date);
    const known = this.#o.readAttachments;
    for (const { owner, url: attachmentUrl } of unread) {
      if (known.has(attachmentUrl)) {
        if (known.get(attachmentUrl) === entry.writeId) return { kind: 'found', resourceId: owner };
        continue;
      }
      if (budget.attachments-- <= 0) return { kind: 'unknown' };
      const response = await this.#get(attachmentUrl, signal);
      if (response === 'no-answer') return { kind: 'unknown' };
      if (response.status === 401) return { kind: 'unauthorized' };
      if (response.status !== 200) return { kind: 'unknown' };
      const text = binaryText(response.body);
      if (text === undefined) return { kind: 'unknown' };
      known.set(attachmentUrl, writeIdIn(text));
      if (textCarriesWrite(text, entry.writeId)) return { kind: 'found', resourceId: owner };
    }
    return { kind: 'absent' };
  }

  async #get(url: string, signal: AbortSignal | undefined): Promise<TransportResponse | 'no-answer'> {
    try {
      return await this.#send({ method: 'GET', url, headers: { accept: 'application/fhir+json' } }, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      return 'no-answer';
    }
  }

  async #send(request: TransportRequest, signal: AbortSignal | undefined): Promise<TransportResponse> {
    // A plain timer rather than AbortSignal.timeout, whose unref'd timer lets Node exit mid-request.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException('The EHR did not answer in time.', 'TimeoutError')), this.#o.timeoutMs);
    try {
      return await this.#o.transport.send({ ...request, signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal });
    } finally {
      clearTimeout(timer);
    }
  }
}

function confirmed(entry: LedgerEntry, attempts: number, foundBy: 'response' | 'search'): WriteOutcome {
  return { status: 'confirmed', writeId: entry.writeId, resourceId: entry.resourceId ?? '', attempts, foundBy };
}

const ID = /DocumentReference\/([A-Za-z0-9\-.]{1,64})(?:\/|$)/;

function idFromCreate(response: TransportResponse): string | undefined {
  const body = response.body as DocumentReference | undefined;
  if (body?.resourceType === 'DocumentReference' && body.id) return body.id;
  const location = response.headers.location ?? response.headers['content-location'];
  return location ? ID.exec(new URL(location, 'http://base.invalid/').pathname)?.[1] : undefined;
}

function idFromTransaction(response: TransportResponse): string | undefined {
  const bundle = response.body as Bundle | undefined;
  if (bundle?.resourceType !== 'Bundle') return undefined;
  // Entries answer in request order; the note is the first.
  const first = bundle.entry?.[0];
  if (first?.resource?.resourceType === 'DocumentReference' && first.resource.id) return first.resource.id;
  const location = first?.response?.location;
  return location ? ID.exec(new URL(location, 'http://base.invalid/').pathname)?.[1] : undefined;
}

/** Clocks differ: a note filed from here may carry an EHR time a little before our attestation. */
const CLOCK_SKEW_MS = 10 * 60_000;

/**
 * One text rendition for each note that could be this write and has no inline text (plain text
 * preferred over HTML over other text). A note dated before the attestation can't be it.
 */
function textRenditions(bundle: Bundle, attestedAt: string | undefined): Array<{ owner: string; url: string; date: number }> {
  const out: Array<{ owner: string; url: string; date: number }> = [];
  const earliest = attestedAt ? Date.parse(attestedAt) - CLOCK_SKEW_MS : Number.NEGATIVE_INFINITY;
  for (const entry of bundle.entry ?? []) {
    const doc = entry.resource as DocumentReference | undefined;
    if (doc?.resourceType !== 'DocumentReference' || !doc.id) continue;
    const date = Date.parse(doc.date ?? doc.meta?.lastUpdated ?? '');
    if (!Number.isNaN(date) && date < earliest) continue;
    const attachments = (doc.content ?? []).map((c) => c.attachment);
    if (attachments.some((a) => a.data)) continue;
    const rank = (type: string | undefined): number => (!type ? 3 : /^text\/plain/i.test(type) ? 0 : /^text\/html/i.test(type) ? 1 : /^text\//i.test(type) ? 2 : 9);
    const best = attachments.filter((a) => a.url && rank(a.contentType) < 9).sort((a, b) => rank(a.contentType) - rank(b.contentType))[0];
    if (best?.url) out.push({ owner: doc.id, url: best.url, date: Number.isNaN(date) ? Number.POSITIVE_INFINITY : date });
  }
  return out;
}

function writeIdIn(text: string): string | null {
  return /write id ([0-9A-Za-z-]{8,64})/.exec(text)?.[1] ?? null;
}

/** A Binary read comes back as a FHIR Binary (base64 `data`) or, from some servers, as the raw text. */
function binaryText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  const binary = body as Binary | undefined;
  if (binary?.resourceType === 'Binary' && typeof binary.data === 'string') return base64ToUtf8(binary.data);
  return undefined;
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** What the clinician reads for a refusal: the EHR's own explanation when it gave one, in plain text. */
function refusalMessage(status: number, body: unknown): string {
  const outcome = body as OperationOutcome | undefined;
  const said =
    outcome?.resourceType === 'OperationOutcome'
      ? outcome.issue
          .map((i) => i.details?.text ?? i.diagnostics)
          .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
          .join(' ')
          .slice(0, 300)
      : '';
  const what = status === 403 ? 'The EHR does not allow Curbside to file this note.' : `The EHR refused the note (HTTP ${status}).`;
  return `${what}${said ? ` It said: ${said}` : ''} The note was not filed and your draft is kept.`;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
