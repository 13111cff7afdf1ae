/**
 * Reads the open patient's chart into a `PatientChart`, fast and section by section.
 *
 * Query plan. Every independent query starts at once: the Patient and Encounter reads; Condition
 * by category (problem list, encounter diagnoses, health concerns); active and on-hold
 * MedicationRequests; AllergyIntolerance; clinical-note DocumentReferences; DiagnosticReports; and
 * Observations split by category (vital signs, laboratory) and by date window (0–3 months, 3–12
 * months, 1–2 years, 2–5 years …, each newest first), so no window holds a long chain of pages.
 * Key labs whose trend spans years (eGFR, creatinine, HbA1c, hemoglobin, ferritin, urine ACR, LDL)
 * are read further back by code. Only reads that need an earlier answer wait for it: next pages,
 * Medication reads after a MedicationRequest page, Binary reads after the notes are chosen.
 *
 * Failure is per section: a type that is refused, missing, broken or not granted marks only its
 * own section unavailable, in plain words, and the rest of the chart still renders.
 */
import type { FhirRequester, LaunchContext } from '../smart/context.ts';
import { type ScopeGrant, scopeGrant } from '../smart/scopes.ts';
import { LONG_HORIZON_CODES } from './analytes.ts';
import { attachmentText, textFormat } from './attachments.ts';
import { isRecord, text, timeValue } from './fhir.ts';
import { buildSeries, type ObservationCategory, type RawPoint, readObservation } from './observations.ts';
import {
  EXCLUDED,
  type MedicationOrder,
  type NoteAttachment,
  type NoteCandidate,
  readAllergy,
  readCondition,
  readDocument,
  readEncounter,
  readMedicationRequest,
  readPatient,
  readReport,
  withMedication,
} from './resources.ts';
import { ChartRequests, type FailureCause, isAbortError, type SearchQuery, SectionFailure } from './requests.ts';
import type {
  Allergy,
  ChartSectionName,
  ChartSectionState,
  ClinicalNote,
  DiagnosticReportSummary,
  EncounterSummary,
  Medication,
  ObservationSeries,
  PatientChart,
  PatientDemographics,
  Problem,
  TextResult,
} from './types.ts';

export interface ChartLookBack {
  /** Years of vital signs (default 2). */
  readonly vitals?: number;
  /** Years of laboratory results (default 5). */
  readonly labs?: number;
  /** Years of the long-horizon key labs (default 15). */
  readonly keyLabs?: number;
  /** Years of clinical notes (default 2). */
  readonly notes?: number;
  /** Years of diagnostic reports (default 2). */
  readonly reports?: number;
}

export interface ChartLoadOptions {
  /** The moment ages and look-back windows are measured from; default now. */
  readonly asOf?: Date;
  readonly signal?: AbortSignal;
  /** Called with a fresh, frozen snapshot each time a section settles; unsettled sections are `loading`. */
  readonly onUpdate?: (chart: PatientChart) => void;
  readonly lookBackYears?: ChartLookBack;
  /** Most Observations kept per category, newest first (default 5000). */
  readonly maxObservationsPerCategory?: number;
  /** Most clinical notes kept, newest first (default 10). */
  readonly maxNotes?: number;
  /** Most diagnostic reports kept, newest first (default 50). */
  readonly maxReports?: number;
  /** `_count` on searches (default 1000, the usual server maximum; servers clamp it anyway). */
  readonly pageSize?: number;
  /**
   * The EHR's CapabilityStatement (`GET metadata`), when the caller has already asked for it. With
   * it, and a requester that can `batch`, the first reads go out as one batch where the EHR
   * declares batch support; without it a 400 or 404 still reads it, to explain the failure.
   */
  readonly capabilityStatement?: Promise<unknown>;
}

export interface ChartLoadStats {
  readonly requests: number;
  /** The longest chain of requests where each needed the previous one's answer. */
  readonly criticalPathDepth: number;
  readonly durationMs: number;
}

export interface ChartLoadResult {
  readonly chart: PatientChart;
  readonly stats: ChartLoadStats;
}

const DEFAULT_LOOK_BACK: Required<ChartLookBack> = { vitals: 2, labs: 5, keyLabs: 15, notes: 2, reports: 2 };
const DEFAULT_PAGE_SIZE = 1000;
const DEFAULT_MAX_OBSERVATIONS = 5000;
const DEFAULT_MAX_NOTES = 10;
const DEFAULT_MAX_REPORTS = 50;
/** Extra notes asked for on the first page, so withdrawn ones do not force a second page. */
const NOTE_PAGE_SLACK = 10;
/** Window edges in months before `asOf`: windows grow with age because older results are sparser. */
const WINDOW_EDGES_MONTHS = [3, 12, 24, 60, 120, 180, 240, 360, 600];

const SECTION_NAMES: readonly ChartSectionName[] = ['patient', 'encounter', 'problems', 'vitals', 'labs', 'medications', 'allergies', 'notes', 'reports'];

const LABELS: Record<ChartSectionName, string> = {
  patient: 'the patient record',
  encounter: 'the current encounter',
  problems: 'the problem list',
  vitals: 'vital signs',
  labs: 'lab results',
  medications: 'medications',
  allergies: 'allergies',
  notes: 'clinical notes',
  reports: 'diagnostic reports',
};

const CONDITION_CATEGORIES: ReadonlyArray<{ readonly code: string; readonly label: string; readonly required: boolean }> = [
  { code: 'problem-list-item', label: 'the problem list', required: true },
  { code: 'encounter-diagnosis', label: 'encounter diagnoses', required: false },
  { code: 'health-concern', label: 'health concerns', required: false },
];

const PROBLEM_ORDER: Readonly<Record<string, number>> = { 'problem-list-item': 0, 'health-concern': 1, 'encounter-diagnosis': 2 };

type Ready = Extract<ChartSectionState, { status: 'ready' }>;

/** Reads the chart of `context.patientId`. Rejects only when `options.signal` aborts. */
export async function loadChart(fhir: FhirRequester, context: LaunchContext, options: ChartLoadOptions = {}): Promise<ChartLoadResult> {
  const started = performance.now();
  const loader = new ChartLoader(fhir, context, options);
  const chart = await loader.run();
  return {
    chart,
    stats: { requests: loader.requests.requests, criticalPathDepth: loader.requests.depth, durationMs: Math.round(performance.now() - started) },
  };
}

class ChartLoader {
  readonly requests: ChartRequests;
  readonly #context: LaunchContext;
  readonly #fhirBase: string;
  readonly #asOf: Date;
  readonly #signal: AbortSignal | undefined;
  readonly #onUpdate: ((chart: PatientChart) => void) | undefined;
  readonly #grant: ScopeGrant;
  readonly #lookBack: Required<ChartLookBack>;
  readonly #pageSize: number;
  readonly #maxObservations: number;
  readonly #maxNotes: number;
  readonly #maxReports: number;

  readonly #sections: Record<ChartSectionName, ChartSectionState>;
  #patient: PatientDemographics | undefined;
  #encounter: EncounterSummary | undefined;
  #problems: readonly Problem[] = [];
  readonly #points: Partial<Record<ObservationCategory, readonly RawPoint[]>> = {};
  readonly #texts: Partial<Record<ObservationCategory, readonly TextResult[]>> = {};
  #series: Readonly<Record<string, ObservationSeries>> = Object.freeze({});
  #textResults: readonly TextResult[] = Object.freeze([]);
  #medications: readonly Medication[] = [];
  #allergies: readonly Allergy[] = [];
  #notes: readonly ClinicalNote[] = [];
  #reports: readonly DiagnosticReportSummary[] = [];

  constructor(fhir: FhirRequester, context: LaunchContext, options: ChartLoadOptions) {
    this.#context = context;
    this.#fhirBase = context.fhirBase.replace(/\/+$/, '');
    this.#asOf = options.asOf ?? new Date();
    this.#signal = options.signal;
    this.#onUpdate = options.onUpdate;
    this.#grant = scopeGrant(context.grantedScopes);
    this.#lookBack = { ...DEFAULT_LOOK_BACK, ...definedOnly(options.lookBackYears ?? {}) };
    this.#pageSize = positiveInteger(options.pageSize, DEFAULT_PAGE_SIZE);
    this.#maxObservations = positiveInteger(options.maxObservationsPerCategory, DEFAULT_MAX_OBSERVATIONS);
    this.#maxNotes = positiveInteger(options.maxNotes, DEFAULT_MAX_NOTES);
    this.#maxReports = positiveInteger(options.maxReports, DEFAULT_MAX_REPORTS);
    this.requests = new ChartRequests(fhir, this.#fhirBase, options.signal, options.capabilityStatement);
    this.#sections = Object.fromEntries(SECTION_NAMES.map((name) => [name, { status: 'loading' }])) as Record<ChartSectionName, ChartSectionState>;
  }

  async run(): Promise<PatientChart> {
    this.#signal?.throwIfAborted();
    // Started in this order so the small, first-rendered sections are first on the wire.
    await Promise.all([
      this.#section('patient', () => this.#loadPatient()),
      this.#section('encounter', () => this.#loadEncounter()),
      this.#section('medications', () => this.#loadMedications()),
      this.#section('problems', () => this.#loadProblems()),
      this.#section('allergies', () => this.#loadAllergies()),
      this.#section('vitals', () => this.#loadObservations('vital-signs')),
      this.#section('labs', () => this.#loadObservations('laboratory')),
      this.#section('notes', () => this.#loadNotes()),
      this.#section('reports', () => this.#loadReports()),
    ]);
    return this.#snapshot();
  }

  // -------------------------------------------------------------------------------------------
  // Sections

  async #section(name: ChartSectionName, load: () => Promise<Ready>): Promise<void> {
    let state: ChartSectionState;
    try {
      state = await load();
    } catch (error) {
      if (this.#signal?.aborted || isAbortError(error)) throw error;
      const failure = error instanceof SectionFailure ? error : new SectionFailure('malformed');
      state = { status: 'unavailable', cause: failure.failure, reason: failure.reason ?? reasonFor(failure.failure, LABELS[name], failure.status) };
    }
    this.#sections[name] = Object.freeze(state);
    if (name === 'vitals' || name === 'labs') this.#rebuildSeries();
    if (this.#onUpdate && !this.#signal?.aborted) {
      try {
        this.#onUpdate(this.#snapshot());
      } catch {
        // A listener's failure must not stop the chart from loading.
        console.warn('Curbside: a chart update listener threw; loading continues.');
      }
    }
  }

  get #patientId(): string {
    const id = this.#context.patientId?.trim();
    if (!id) throw new SectionFailure('not-found', { reason: 'Curbside was opened without a patient in context. Reopen it from the chart.' });
    return id;
  }

  #requireGrant(type: string, permission: 'r' | 's', params?: SearchQuery['params']): void {
    if (!this.#grant.allows(type, permission, params)) throw new SectionFailure('not-granted');
  }

  async #loadPatient(): Promise<Ready> {
    const id = this.#patientId;
    this.#requireGrant('Patient', 'r');
    const body = await this.requests.read(`Patient/${encodeURIComponent(id)}`, 'Patient', 1);
    const patient = readPatient(body, id, this.#asOf);
    if (!patient) throw new SectionFailure('malformed');
    this.#patient = deepFreeze(patient);
    return ready();
  }

  async #loadEncounter(): Promise<Ready> {
    const id = this.#context.encounterId?.trim();
    // No encounter in the launch context is a normal state (a chart opened outside a visit).
    if (!id) return ready();
    this.#requireGrant('Encounter', 'r');
    const body = await this.requests.read(`Encounter/${encodeURIComponent(id)}`, 'Encounter', 1);
    const encounter = readEncounter(body, id);
    if (!encounter) throw new SectionFailure('malformed');
    this.#encounter = deepFreeze(encounter);
    return ready();
  }

  async #loadProblems(): Promise<Ready> {
    const patient = this.#patientId;
    const queries = CONDITION_CATEGORIES.map((category) => ({
      ...category,
      query: { type: 'Condition', params: [['patient', patient], ['category', category.code], ['_count', String(this.#pageSize)]] } satisfies SearchQuery,
    }));
    const granted = queries.filter((q) => this.#grant.allows('Condition', 's', q.query.params));
    if (granted.length === 0) throw new SectionFailure('not-granted');
    const caveats = queries.filter((q) => !granted.includes(q)).map((q) => `Access to ${q.label} was not granted.`);
    const problems = new Map<string, Problem>();
    let skipped = 0;
    const runs = await settleAll(
      granted.map((q) =>
        this.requests.search(q.query, (resources) => {
          for (const resource of resources) {
            const problem = readCondition(resource);
            if (problem === undefined) skipped += 1;
            else if (problem !== EXCLUDED && !problems.has(problem.reference)) problems.set(problem.reference, problem);
          }
        }),
      ),
    );
    let truncated = false;
    runs.forEach((run, i) => {
      const q = granted[i]!;
      if (run.status === 'rejected') {
        if (q.required) throw run.reason;
        caveats.push(`${capitalise(q.label)} could not be read.`);
      } else {
        truncated ||= run.value.truncated;
        if (run.value.offBase) caveats.push(offBaseCaveat(q.label));
      }
    });
    // Some sources (Synthea among them) write Conditions without a category, which no category
    // search finds. Only when the categorised searches found nothing is one uncategorised search
    // worth its round trip; Oracle can return hundreds of Conditions unpaged on it.
    const uncategorised: SearchQuery = { type: 'Condition', params: [['patient', patient], ['_count', String(this.#pageSize)]] };
    if (problems.size === 0 && this.#grant.allows('Condition', 's', uncategorised.params)) {
      const waited = Math.max(...runs.map((run) => (run.status === 'fulfilled' ? run.value.depth : 1)));
      const run = await this.requests.search(
        uncategorised,
        (resources) => {
          for (const resource of resources) {
            const problem = readCondition(resource);
            if (problem === undefined) skipped += 1;
            else if (problem !== EXCLUDED && !problems.has(problem.reference)) problems.set(problem.reference, problem);
          }
        },
        undefined,
        waited + 1,
      );
      truncated ||= run.truncated;
    }
    this.#problems = deepFreeze([...problems.values()].sort(byProblemOrder));
    return ready(skipped, truncated, caveats);
  }

  async #loadObservations(category: 'vital-signs' | 'laboratory'): Promise<Ready> {
    const patient = this.#patientId;
    const months = Math.round((category === 'vital-signs' ? this.#lookBack.vitals : this.#lookBack.labs) * 12);
    const common: Array<[string, string]> = [
      ['patient', patient],
      ['category', category],
    ];
    const tail: Array<[string, string]> = [
      ['_sort', '-date'],
      ['_count', String(this.#pageSize)],
    ];
    const queries: Array<{ query: SearchQuery; required: boolean }> = dateWindows(0, months).map((w) => ({
      query: { type: 'Observation', params: [...common, ...this.#dateParams(w), ...tail] },
      required: true,
    }));
    const keyMonths = Math.round(this.#lookBack.keyLabs * 12);
    if (category === 'laboratory' && keyMonths > months) {
      for (const w of dateWindows(months, keyMonths)) {
        queries.push({ query: { type: 'Observation', params: [...common, ['code', LONG_HORIZON_CODES.join(',')], ...this.#dateParams(w), ...tail] }, required: false });
      }
    }
    const granted = queries.filter((q) => this.#grant.allows('Observation', 's', q.query.params));
    if (!granted.some((q) => q.required)) throw new SectionFailure('not-granted');

    // Windows are newest first; one stops paging once it and the newer windows hold the cap,
    // since anything it would add is older than what is already kept.
    const counts = granted.map(() => 0);
    const withinCap = (i: number) => () => counts.slice(0, i + 1).reduce((a, b) => a + b, 0) < this.#maxObservations;
    const points: RawPoint[] = [];
    const texts: TextResult[] = [];
    const times = new Map<string, number>();
    let skipped = 0;
    const runs = await settleAll(
      granted.map((q, i) =>
        this.requests.search(
          q.query,
          (resources) => {
            for (const resource of resources) {
              const reading = readObservation(resource, category);
              if (reading.kind === 'malformed') {
                skipped += 1;
                continue;
              }
              counts[i]! += 1;
              if (reading.kind === 'excluded') continue;
              for (const p of reading.points) {
                points.push(p);
                times.set(p.reference, p.timeMs);
              }
              for (const t of reading.texts) {
                texts.push(t);
                times.set(t.reference, timeValue(t.time) ?? 0);
              }
            }
          },
          withinCap(i),
        ),
      ),
    );
    const caveats: string[] = [];
    let truncated = false;
    runs.forEach((run, i) => {
      if (run.status === 'rejected') {
        if (granted[i]!.required) throw run.reason;
        caveats.push('Older key lab results could not be read.');
      } else {
        truncated ||= run.value.truncated;
        if (run.value.offBase) caveats.push(offBaseCaveat(LABELS[category === 'vital-signs' ? 'vitals' : 'labs']));
      }
    });
    // Keep the newest results up to the cap, whichever window they came from.
    const keep =
      times.size > this.#maxObservations ? new Set([...times.entries()].sort((a, b) => b[1] - a[1]).slice(0, this.#maxObservations).map(([ref]) => ref)) : undefined;
    if (keep) truncated = true;
    const kept = <T extends { reference: string }>(list: T[]): T[] => (keep ? list.filter((x) => keep.has(x.reference)) : list);
    this.#points[category] = kept(points);
    this.#texts[category] = kept(uniqueBy(texts, (t) => `${t.reference}|${t.code}`));
    if (truncated) caveats.push(`Only the newest ${this.#maxObservations} ${category === 'vital-signs' ? 'vital signs' : 'lab results'} were read.`);
    return ready(skipped, truncated, caveats);
  }

  #dateParams(window: { from: number; to: number }): Array<[string, string]> {
    const params: Array<[string, string]> = [['date', `ge${monthsBefore(this.#asOf, window.to)}`]];
    // The newest window is open-ended: results dated after `asOf` (clock skew, future-dated test data) still count.
    if (window.from > 0) params.push(['date', `lt${monthsBefore(this.#asOf, window.from)}`]);
    return params;
  }

  async #loadMedications(): Promise<Ready> {
    const patient = this.#patientId;
    const query: SearchQuery = {
      type: 'MedicationRequest',
      params: [
        ['patient', patient],
        ['status', 'active,on-hold'],
        ['_count', String(this.#pageSize)],
      ],
    };
    this.#requireGrant('MedicationRequest', 's', query.params);
    const canReadMedication = this.#grant.allows('Medication', 'r');
    const orders: MedicationOrder[] = [];
    const seen = new Set<string>();
    // Each distinct Medication is read once, as soon as the page naming it arrives.
    const reads = new Map<string, Promise<unknown>>();
    let skipped = 0;
    const run = await this.requests.search(query, (resources, depth) => {
      for (const resource of resources) {
        const order = readMedicationRequest(resource, this.#fhirBase);
        if (order === undefined) skipped += 1;
        if (order === undefined || order === EXCLUDED || seen.has(order.medication.reference)) continue;
        seen.add(order.medication.reference);
        orders.push(order);
        if (order.toRead && canReadMedication && !reads.has(order.toRead)) reads.set(order.toRead, this.#quietRead(order.toRead, depth + 1));
      }
    });
    const resolved = new Map<string, unknown>();
    for (const [ref, promise] of reads) resolved.set(ref, await promise);
    this.#signal?.throwIfAborted();
    let unread = 0;
    const medications = orders.map((order) => {
      if (!order.toRead) return order.medication;
      const resource = resolved.get(order.toRead);
      if (resource === undefined) unread += 1;
      return withMedication(order.medication, resource);
    });
    const caveats = [
      ...(unread > 0 ? [`Details of ${unread} medication${unread === 1 ? '' : 's'} could not be read; the order's own description is shown.`] : []),
      ...(run.offBase ? [offBaseCaveat('medications')] : []),
    ];
    this.#medications = deepFreeze(medications.sort((a, b) => a.display.localeCompare(b.display)));
    return ready(skipped, run.truncated, caveats);
  }

  /** A read whose failure only costs detail: resolves to undefined instead of failing the section. */
  #quietRead(url: string, depth: number): Promise<unknown> {
    return this.requests.get(url, depth).catch(() => undefined);
  }

  async #loadAllergies(): Promise<Ready> {
    const query: SearchQuery = {
      type: 'AllergyIntolerance',
      params: [
        ['patient', this.#patientId],
        ['_count', String(this.#pageSize)],
      ],
    };
    this.#requireGrant('AllergyIntolerance', 's', query.params);
    const allergies = new Map<string, Allergy>();
    let skipped = 0;
    const run = await this.requests.search(query, (resources) => {
      for (const resource of resources) {
        const allergy = readAllergy(resource);
        if (allergy === undefined) skipped += 1;
        else if (allergy !== EXCLUDED && !allergies.has(allergy.reference)) allergies.set(allergy.reference, allergy);
      }
    });
    const active = (a: Allergy) => (a.clinicalStatus === undefined || a.clinicalStatus === 'active' ? 0 : 1);
    this.#allergies = deepFreeze([...allergies.values()].sort((a, b) => active(a) - active(b) || a.display.localeCompare(b.display)));
    return ready(skipped, run.truncated, run.offBase ? [offBaseCaveat('allergies')] : []);
  }

  async #loadNotes(): Promise<Ready> {
    const query: SearchQuery = {
      type: 'DocumentReference',
      params: [
        ['patient', this.#patientId],
        ['category', 'clinical-note'],
        ['date', `ge${monthsBefore(this.#asOf, Math.round(this.#lookBack.notes * 12))}`],
        ['_sort', '-date'],
        ['_count', String(Math.min(this.#pageSize, this.#maxNotes + NOTE_PAGE_SLACK))],
      ],
    };
    this.#requireGrant('DocumentReference', 's', query.params);
    const candidates = new Map<string, NoteCandidate>();
    let skipped = 0;
    const run = await this.requests.search(
      query,
      (resources) => {
        for (const resource of resources) {
          const candidate = readDocument(resource);
          if (candidate === undefined) skipped += 1;
          else if (candidate !== EXCLUDED && !candidates.has(candidate.note.reference)) candidates.set(candidate.note.reference, candidate);
        }
      },
      () => candidates.size < this.#maxNotes,
    );
    // Sorted here as well: not every EHR honours `_sort`.
    const sorted = [...candidates.values()].sort((a, b) => b.sortMs - a.sortMs);
    const chosen = sorted.slice(0, this.#maxNotes);
    const canReadBinary = this.#grant.allows('Binary', 'r');
    const notes = await Promise.all(chosen.map((c) => this.#noteText(c, run.depth + 1, canReadBinary)));
    this.#signal?.throwIfAborted();
    this.#notes = deepFreeze(notes);
    const truncated = run.truncated || sorted.length > this.#maxNotes;
    const caveats = [...(truncated ? [`Only the newest ${this.#maxNotes} clinical notes were read.`] : []), ...(run.offBase ? [offBaseCaveat('clinical notes')] : [])];
    return ready(skipped, truncated, caveats);
  }

  async #noteText(candidate: NoteCandidate, depth: number, canReadBinary: boolean): Promise<ClinicalNote> {
    const choice = chooseAttachment(candidate.attachments);
    const unavailable = (why: string): ClinicalNote => ({ ...candidate.note, textUnavailable: why });
    if (choice.kind === 'none') return unavailable(choice.why);
    if (choice.kind === 'inline') {
      const body = attachmentText({ base64: choice.data }, choice.contentType);
      return body ? { ...candidate.note, text: body } : unavailable('attachment unreadable');
    }
    const url = this.requests.onBase(choice.url);
    if (!url) return unavailable("the document is stored outside the EHR's FHIR server");
    if (!canReadBinary) return unavailable('access to note text was not granted');
    const binary = await this.#quietRead(url, depth);
    const body = binaryText(binary, choice.contentType);
    return body ? { ...candidate.note, text: body } : unavailable('attachment unreadable');
  }

  async #loadReports(): Promise<Ready> {
    const query: SearchQuery = {
      type: 'DiagnosticReport',
      params: [
        ['patient', this.#patientId],
        ['date', `ge${monthsBefore(this.#asOf, Math.round(this.#lookBack.reports * 12))}`],
        ['_sort', '-date'],
        ['_count', String(Math.min(this.#pageSize, this.#maxReports))],
      ],
    };
    this.#requireGrant('DiagnosticReport', 's', query.params);
    const reports = new Map<string, DiagnosticReportSummary & { sortMs: number }>();
    let skipped = 0;
    const run = await this.requests.search(
      query,
      (resources) => {
        for (const resource of resources) {
          const report = readReport(resource, this.#fhirBase);
          if (report === undefined) skipped += 1;
          else if (report !== EXCLUDED && !reports.has(report.reference)) reports.set(report.reference, report);
        }
      },
      () => reports.size < this.#maxReports,
    );
    const sorted = [...reports.values()].sort((a, b) => b.sortMs - a.sortMs);
    const truncated = run.truncated || sorted.length > this.#maxReports;
    this.#reports = deepFreeze(sorted.slice(0, this.#maxReports).map(({ sortMs: _sortMs, ...report }) => report));
    const caveats = [...(truncated ? [`Only the newest ${this.#maxReports} diagnostic reports were read.`] : []), ...(run.offBase ? [offBaseCaveat('diagnostic reports')] : [])];
    return ready(skipped, truncated, caveats);
  }

  // -------------------------------------------------------------------------------------------
  // Snapshots

  #rebuildSeries(): void {
    const points = [...(this.#points['vital-signs'] ?? []), ...(this.#points.laboratory ?? [])];
    this.#series = deepFreeze(buildSeries(points));
    const texts = [...(this.#texts['vital-signs'] ?? []), ...(this.#texts.laboratory ?? [])];
    this.#textResults = deepFreeze(texts.sort((a, b) => (timeValue(b.time) ?? 0) - (timeValue(a.time) ?? 0)));
  }

  #snapshot(): PatientChart {
    return Object.freeze({
      fhirBase: this.#fhirBase,
      asOf: this.#asOf.toISOString(),
      ...(this.#patient ? { patient: this.#patient } : {}),
      ...(this.#encounter ? { encounter: this.#encounter } : {}),
      problems: this.#problems,
      series: this.#series,
      textResults: this.#textResults,
      medications: this.#medications,
      allergies: this.#allergies,
      notes: this.#notes,
      reports: this.#reports,
      sections: Object.freeze({ ...this.#sections }),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function ready(skipped = 0, truncated = false, caveats: readonly string[] = []): Ready {
  return { status: 'ready', skipped, truncated, ...(caveats.length > 0 ? { caveats: Object.freeze([...caveats]) } : {}) };
}

function reasonFor(cause: FailureCause, label: string, status: number | undefined): string {
  switch (cause) {
    case 'not-granted':
      return `Access to ${label} was not granted to Curbside.`;
    case 'forbidden':
      return `The EHR refused access to ${label}.`;
    case 'unauthorized':
      return 'The EHR session has ended or was not accepted. Reopen Curbside from the chart.';
    case 'not-found':
      return `The EHR could not find ${label}.`;
    case 'not-supported':
      return `This EHR does not provide ${label}.`;
    case 'server':
      return status === 400 ? `The EHR refused Curbside's request for ${label}.` : `The EHR could not return ${label} just now. Try again shortly.`;
    case 'network':
      return `The EHR could not be reached for ${label}.`;
    case 'malformed':
      return `The EHR returned ${label} in a form Curbside cannot read.`;
  }
}

function offBaseCaveat(label: string): string {
  return `Some ${label} were not read: the EHR pointed to a further page outside its FHIR server.`;
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** Windows `[from, to)` in months before `asOf`, newest first, split at the growing edges. */
function dateWindows(fromMonths: number, toMonths: number): Array<{ from: number; to: number }> {
  if (toMonths <= fromMonths) return [];
  const edges = [fromMonths, ...WINDOW_EDGES_MONTHS.filter((m) => m > fromMonths && m < toMonths), toMonths];
  return edges.slice(1).map((to, i) => ({ from: edges[i]!, to }));
}

/** The UTC calendar date `months` before `at`, as a FHIR date. */
function monthsBefore(at: Date, months: number): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return d.toISOString().slice(0, 10);
}

type Choice = { kind: 'inline'; data: string; contentType?: string } | { kind: 'url'; url: string; contentType?: string } | { kind: 'none'; why: string };

const FORMAT_RANK = { plain: 0, html: 1, rtf: 2 } as const;

/** Plain text first, then HTML, then RTF; inline data before a Binary read at the same rank. */
function chooseAttachment(attachments: readonly NoteAttachment[]): Choice {
  const readable = attachments
    .map((a) => ({ a, format: textFormat(a.contentType ?? (a.data ? 'text/plain' : undefined)) }))
    .filter((x) => x.format !== undefined && (x.a.data !== undefined || x.a.url !== undefined))
    .sort((x, y) => FORMAT_RANK[x.format!] - FORMAT_RANK[y.format!] || (x.a.data ? 0 : 1) - (y.a.data ? 0 : 1));
  const best = readable[0]?.a;
  if (best?.data !== undefined) return { kind: 'inline', data: best.data, ...(best.contentType ? { contentType: best.contentType } : { contentType: 'text/plain' }) };
  if (best?.url !== undefined) return { kind: 'url', url: best.url, ...(best.contentType ? { contentType: best.contentType } : {}) };
  if (attachments.length === 0) return { kind: 'none', why: 'no document content' };
  if (attachments.every((a) => a.absentReason !== undefined && a.data === undefined && a.url === undefined)) {
    const reason = attachments[0]!.absentReason;
    return { kind: 'none', why: reason === 'masked' ? 'withheld by the EHR' : 'scanned document' };
  }
  const types = [...new Set(attachments.map((a) => a.contentType).filter(Boolean))];
  return { kind: 'none', why: types.length > 0 ? `not available as text (${types.join(', ')})` : 'attachment unreadable' };
}

/** Text of a Binary read: FHIR JSON with base64 `data`, or the raw body when the server sent it as is. */
function binaryText(body: unknown, contentType: string | undefined): string | undefined {
  if (typeof body === 'string') return attachmentText({ text: body }, contentType);
  if (!isRecord(body) || body.resourceType !== 'Binary' || typeof body.data !== 'string') return undefined;
  return attachmentText({ base64: body.data }, text(body.contentType) ?? contentType);
}

function byProblemOrder(a: Problem, b: Problem): number {
  const rank = (p: Problem) => PROBLEM_ORDER[p.category ?? ''] ?? 3;
  const time = (p: Problem) => timeValue(p.recorded ?? p.onset) ?? 0;
  return rank(a) - rank(b) || time(b) - time(a) || a.display.localeCompare(b.display);
}

function uniqueBy<T>(list: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return list.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Like Promise.allSettled, but an abort anywhere rejects at once after every promise settles. */
async function settleAll<T>(promises: ReadonlyArray<Promise<T>>): Promise<Array<PromiseSettledResult<T>>> {
  const results = await Promise.allSettled(promises);
  const aborted = results.find((r) => r.status === 'rejected' && isAbortError(r.reason));
  if (aborted && aborted.status === 'rejected') throw aborted.reason;
  return results;
}

function positiveInteger(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'number' && Number.isFinite(v) && v > 0)) as Partial<T>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
