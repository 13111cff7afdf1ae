/**
 * The only way chart data leaves the browser: a `PatientChart` becomes a de-identified,
 * bounded `CaseSummary` (HIPAA Safe Harbor), plus the local map from fact ids back to FHIR
 * references.
 *
 * What is sent: age in whole years ("90+" from 90), sex, deceased as a yes/no, and the chart's
 * facts with short local ids (`F1`, `F2`, … in payload order) and times as days before the
 * reference day. Never sent: names, identifiers, FHIR ids, addresses, contact details, exact
 * dates, the birth or death date, authors, or codes outside SNOMED CT, ICD-10-CM, LOINC and
 * RxNorm. Every string from the chart is scrubbed (`scrub.ts`) and neutralised as untrusted text
 * (`untrusted.ts`); notes and report conclusions are also quoted between markers.
 *
 * What fits. Always sent, whatever the budget: every active problem, active medication, allergy,
 * and the latest value of every lab and vital series (and of every text result). Then, while the
 * budget lasts and in this order: the first, lowest and highest earlier values of abnormal or
 * trending series, then of the other series; resolved and inactive problems and medications that
 * are not active; report conclusions and earlier text results; notes, newest first, shortened;
 * and finally more of each series' history, evenly spaced. Whatever is left out is listed in
 * `omissions`.
 *
 * How it travels: `serializeCaseSummary`, the compact v2 wire form of `case-wire.ts`; every fact is
 * costed in that form, so the budget and the reported payload size are of the text actually sent.
 */
import type { Allergy, ChartSectionName, ClinicalNote, Code, DiagnosticReportSummary, FactReference, Medication, ObservationSeries, PatientChart, Problem, TextResult } from '../chart/types.ts';
import { ownKeyTable } from '../chart/lookup.ts';
import type { CaseAllergy, CaseMedication, CaseNote, CaseProblem, CaseSeries, CaseSeriesPoint, CaseSummary, FactId, PreparedCase } from '../insight/types.ts';
import { encodeAllergy, encodeCaseSummary, encodeHeader, encodeMedication, encodeNote, encodePoint, encodeProblem, encodeSeriesHead, encodeTextResult, wireJson } from './case-wire.ts';
import { estimateRawFhirTokens } from './raw-fhir.ts';
import { createScrubber, idsOfReferences, type KnownValue, type RedactionCounts, type RedactionKind, type Scrubber } from './scrub.ts';
import { estimateTokens } from './tokens.ts';
import { type NeutralisedCounts, type NeutralisedKind, neutralise, QUOTE_CLOSE, QUOTE_OPEN, quoteAsData } from './untrusted.ts';

export const DEFAULT_BUDGET_TOKENS = 6000;
/** Notes are shortened to this many characters when they are sent at all … */
const NOTE_CHARS = 1500;
/** … and to this many when the longer form does not fit. */
const NOTE_CHARS_SHORT = 400;
const CONCLUSION_CHARS = 600;
/** Points per series at each round of filling in history, after the first, lowest, highest and latest. */
const DENSITY_ROUNDS = [8, 16, 32, 64, 128];
/** The cost of an id is estimated at its widest, so a payload can only come out smaller. */
const ID_FOR_COSTING = 'F99999';
const DAY_MS = 86_400_000;
/** The chart reader's stand-in when the EHR sent no name; not a name to remove. */
const NO_NAME = /^name not recorded$/i;

export interface CaseSummaryOptions {
  /** Token budget of the payload (default 6000). */
  readonly budgetTokens?: number;
  /** The reference moment for ages and days-ago; default the chart's `asOf`, so the same chart gives the same payload. */
  readonly now?: Date;
  /** Send clinical notes (default true). */
  readonly includeNotes?: boolean;
  /** More names to remove from every text: other official names, relatives, clinicians the chart does not name. */
  readonly knownNames?: readonly string[];
  /** Exact values to remove from every text, with what they are: an MRN, an address line, a city. */
  readonly knownValues?: readonly KnownValue[];
}

export type RemovalKind = RedactionKind | NeutralisedKind | 'non-standard-code';
export type RemovalCounts = Readonly<Partial<Record<RemovalKind, number>>>;

/** A `PreparedCase` with the tally of what de-identification removed (counts only, never values). */
export interface SanitisedCase extends PreparedCase {
  readonly removed: RemovalCounts;
}

/**
 * The exact text that is sent for a summary: the compact v2 wire form (`case-wire.ts`), with `<`,
 * `>` and `&` escaped. The prompt embeds this text as it is, and the payload is costed on it.
 */
export function serializeCaseSummary(summary: CaseSummary): string {
  return wireJson(encodeCaseSummary(summary));
}

// ─── Codes ──────────────────────────────────────────────────────────────────────────────────

const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const LOINC = 'http://loinc.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Standard systems by every name EHRs use for them (Epic and Oracle send the HL7 OIDs). */
const STANDARD_SYSTEMS: Readonly<Record<string, string>> = ownKeyTable({
  [SNOMED]: SNOMED,
  'urn:oid:2.16.840.1.113883.6.96': SNOMED,
  [ICD10CM]: ICD10CM,
  'urn:oid:2.16.840.1.113883.6.90': ICD10CM,
  [LOINC]: LOINC,
  'urn:oid:2.16.840.1.113883.6.1': LOINC,
  [RXNORM]: RXNORM,
  'urn:oid:2.16.840.1.113883.6.88': RXNORM,
});

/** The URI of a standard code system named by URI or HL7 OID; undefined for any other system. */
export function standardSystem(system: string | undefined): string | undefined {
  if (!system) return undefined;
  // SNOMED CT editions are versioned URIs under the same base.
  if (system.startsWith(`${SNOMED}/`)) return SNOMED;
  return STANDARD_SYSTEMS[system];
}

const LOINC_SHAPE = /^\d{1,7}-\d$/;

// ─── Working state ──────────────────────────────────────────────────────────────────────────

interface Texts {
  /** Structured strings: displays, units, titles. */
  readonly coded: Scrubber;
  /** Free text: notes, conclusions, dosage lines, text results (also without note authors' names). */
  readonly free: Scrubber;
  readonly redactions: RedactionCounts;
  readonly neutralised: NeutralisedCounts;
  nonStandardCodes: number;
}

function codedText(texts: Texts, value: string): string {
  return neutralise(texts.coded.scrub(value, texts.redactions), texts.neutralised);
}

function freeText(texts: Texts, value: string): string {
  return neutralise(texts.free.scrub(value, texts.redactions), texts.neutralised);
}

function keepCodes(texts: Texts, codes: readonly Code[], allowed: ReadonlySet<string>, display: string): Code[] {
  const kept: Code[] = [];
  const seen = new Set<string>();
  for (const c of codes) {
    const system = standardSystem(c.system);
    if (!system || !allowed.has(system) || !c.code) {
      texts.nonStandardCodes += 1;
      continue;
    }
    const key = `${system}|${c.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const own = c.display && c.display.toLowerCase() !== display.toLowerCase() ? codedText(texts, c.display) : undefined;
    kept.push({ system, code: c.code, ...(own ? { display: own } : {}) });
  }
  return kept;
}

/** Days before the reference moment: whole days, or hundredths (about 15 minutes) within two days. */
function daysAgo(time: string | undefined, reference: number): number | undefined {
  if (!time) return undefined;
  const dateOnly = /^\d{4}(?:-\d{2}(?:-\d{2})?)?$/.test(time);
  const ms = Date.parse(time.length === 4 ? `${time}-01-01` : time.length === 7 ? `${time}-01` : time);
  if (!Number.isFinite(ms)) return undefined;
  if (dateOnly) return Math.round((Math.floor(reference / DAY_MS) * DAY_MS - ms) / DAY_MS);
  const days = (reference - ms) / DAY_MS;
  const rounded = Math.abs(days) < 2 ? Math.round(days * 100) / 100 : Math.round(days);
  return rounded === 0 ? 0 : rounded;
}

/**
 * Four significant digits, never cutting into the whole part (12345.6 → 12346, 27.1321 → 27.13):
 * more than any lab reports, and unit conversions leave long fractions.
 */
export function compactNumber(value: number): number {
  if (Number.isInteger(value) || !Number.isFinite(value)) return value;
  const whole = Math.abs(value) >= 1 ? Math.floor(Math.log10(Math.abs(value))) + 1 : 0;
  return Number(value.toPrecision(Math.min(21, Math.max(4, whole))));
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, V>);
}

// ─── Facts, prepared once, rendered with their id ───────────────────────────────────────────

/** A fact ready to send once it has an id, and what it would cost. */
interface Candidate<T> {
  readonly reference: FactReference;
  readonly render: (id: FactId) => T;
  readonly cost: number;
}

/** Costed as it goes on the wire (`encode`), plus one token for the separator. */
function candidate<T>(reference: FactReference, render: (id: FactId) => T, encode: (fact: T) => unknown): Candidate<T> {
  return { reference, render, cost: estimateTokens(wireJson(encode(render(ID_FOR_COSTING)))) + 1 };
}

interface SeriesPlan {
  readonly source: ObservationSeries;
  readonly skeleton: Omit<CaseSeries, 'points'>;
  readonly skeletonCost: number;
  /** The point at an index, prepared on first use: a long series has thousands and few are sent. */
  readonly point: (index: number) => Candidate<CaseSeriesPoint>;
  readonly length: number;
  readonly selected: Set<number>;
  /** Abnormal or trending: its history is worth more. */
  readonly notable: boolean;
}

interface NotePlan {
  readonly note: ClinicalNote;
  readonly title: string;
  readonly text: string;
  chosen?: Candidate<CaseNote>;
}

const ACTIVE_PROBLEM = new Set(['active', 'recurrence', 'relapse']);
const WITHDRAWN = new Set(['entered-in-error', 'refuted']);
const SECTION_WORDS: Readonly<Record<string, string>> = {
  forbidden: 'access refused by the EHR',
  unauthorized: 'session not accepted by the EHR',
  'not-found': 'not found',
  'not-supported': 'not supported by the EHR',
  'not-granted': 'access not granted',
  server: 'EHR error',
  network: 'EHR unreachable',
  malformed: 'unreadable',
};

function isActiveProblem(p: Problem): boolean {
  return p.clinicalStatus ? ACTIVE_PROBLEM.has(p.clinicalStatus) : p.abatement === undefined;
}

function isActiveMedication(m: Medication): boolean {
  return m.status === undefined || m.status === 'active';
}

function problemCandidate(texts: Texts, p: Problem, reference: number): Candidate<CaseProblem> {
  const display = codedText(texts, p.display);
  const codes = keepCodes(texts, p.codes, new Set([SNOMED, ICD10CM]), p.display);
  const verification = p.verificationStatus && p.verificationStatus !== 'confirmed' ? p.verificationStatus : undefined;
  const status = [p.clinicalStatus, verification].filter(Boolean).join(', ');
  const onset = daysAgo(p.onset, reference);
  const abated = daysAgo(p.abatement, reference);
  return candidate(
    p.reference,
    (id) => ({
      id,
      display,
      codes,
      ...optional('status', status),
      ...optional('category', p.category),
      ...optional('onsetDaysAgo', onset),
      ...optional('abatedDaysAgo', abated),
    }),
    encodeProblem,
  );
}

function medicationCandidate(texts: Texts, m: Medication, reference: number): Candidate<CaseMedication> {
  const display = codedText(texts, m.display);
  const codes = keepCodes(texts, m.codes, new Set([RXNORM]), m.display);
  const dosage = m.dosage ? freeText(texts, m.dosage) : undefined;
  const started = daysAgo(m.authoredOn, reference);
  return candidate(m.reference, (id) => ({ id, display, codes, ...optional('status', m.status), ...optional('dosage', dosage), ...optional('startedDaysAgo', started) }), encodeMedication);
}

function allergyCandidate(texts: Texts, a: Allergy): Candidate<CaseAllergy> {
  // The allergy type has no status fields, so doubt and resolution travel in the display.
  const qualifiers = [a.verificationStatus && a.verificationStatus !== 'confirmed' ? a.verificationStatus : undefined, a.clinicalStatus && a.clinicalStatus !== 'active' ? a.clinicalStatus : undefined].filter(Boolean);
  const display = codedText(texts, qualifiers.length ? `${a.display} (${qualifiers.join(', ')})` : a.display);
  const reactions = a.reactions.map((r) => codedText(texts, r));
  return candidate(a.reference, (id) => ({ id, display, ...optional('criticality', a.criticality), reactions }), encodeAllergy);
}

function seriesCode(series: ObservationSeries): string {
  if (LOINC_SHAPE.test(series.code)) return series.code;
  // A local code is not sent; a LOINC code merged into the series is.
  return series.codes?.find((c) => LOINC_SHAPE.test(c)) ?? '';
}

function seriesPlan(texts: Texts, series: ObservationSeries, reference: number): SeriesPlan {
  const code = seriesCode(series);
  if (code !== series.code) texts.nonStandardCodes += code === '' ? 1 : 0;
  const range = series.referenceRange;
  const skeleton: Omit<CaseSeries, 'points'> = {
    code,
    display: codedText(texts, series.display),
    category: series.category,
    ...optional('unit', series.unit === undefined ? undefined : codedText(texts, series.unit)),
    ...optional('referenceLow', range?.low === undefined ? undefined : compactNumber(range.low)),
    ...optional('referenceHigh', range?.high === undefined ? undefined : compactNumber(range.high)),
    ...optional('abnormal', series.abnormal),
    ...optional('trend', series.trend),
    totalPoints: series.points.length,
  };
  const prepared: Array<Candidate<CaseSeriesPoint> | undefined> = [];
  const point = (index: number): Candidate<CaseSeriesPoint> => {
    let c = prepared[index];
    if (!c) {
      const p = series.points[index]!;
      const flags = [p.comparator, p.interpretation && p.interpretation !== 'N' ? p.interpretation : undefined].filter(Boolean).join(' ');
      const ago = daysAgo(p.time, reference) ?? 0;
      const value = compactNumber(p.value);
      c = candidate<CaseSeriesPoint>(p.reference, (id) => ({ id, daysAgo: ago, value, ...optional('flag', flags) }), encodePoint);
      prepared[index] = c;
    }
    return c;
  };
  const length = series.points.length;
  const notable = (series.abnormal !== undefined && series.abnormal !== 'normal') || series.trend === 'rising' || series.trend === 'falling';
  return {
    source: series,
    skeleton,
    // Costed as if thinned (with its total), in its category group.
    skeletonCost: estimateTokens(wireJson({ ...encodeSeriesHead(skeleton, true, -1), points: [] })) + 1,
    point,
    length,
    selected: new Set(length ? [length - 1] : []),
    notable,
  };
}

function textResultCandidate(texts: Texts, t: TextResult, reference: number): Candidate<CaseSummary['textResults'][number]> {
  const display = codedText(texts, t.display);
  const text = freeText(texts, t.text);
  const ago = daysAgo(t.time, reference);
  return candidate(t.reference, (id) => ({ id, display, ...optional('daysAgo', ago), text }), encodeTextResult);
}

function reportCandidate(texts: Texts, r: DiagnosticReportSummary, reference: number): Candidate<CaseSummary['textResults'][number]> {
  const display = codedText(texts, r.display);
  const conclusion = shorten(freeText(texts, r.conclusion ?? ''), CONCLUSION_CHARS);
  const ago = daysAgo(r.effective ?? r.issued, reference);
  return candidate(r.reference, (id) => ({ id, display, ...optional('daysAgo', ago), text: quoteAsData(`report ${id}`, conclusion) }), encodeTextResult);
}

function noteCandidate(plan: NotePlan, chars: number, reference: number): Candidate<CaseNote> {
  const ago = daysAgo(plan.note.date, reference);
  const text = shorten(plan.text, chars);
  return candidate(plan.note.reference, (id) => ({ id, title: plan.title, ...optional('daysAgo', ago), text: quoteAsData(`note ${id}`, text) }), encodeNote);
}

/**
 * Cuts text at a word boundary and says how much was left out. A cut never leaves one of
 * Curbside's markers open.
 */
export function shorten(text: string, chars: number): string {
  if (text.length <= chars) return text;
  let cut = text.slice(0, chars);
  const space = cut.search(/\s\S*$/u);
  if (space > chars * 0.6) cut = cut.slice(0, space);
  const open = cut.lastIndexOf(QUOTE_OPEN);
  if (open > cut.lastIndexOf(QUOTE_CLOSE)) cut = cut.slice(0, open);
  return `${cut.trimEnd()} … [shortened: ${text.length - cut.length} more characters not sent]`;
}

// ─── Selection ──────────────────────────────────────────────────────────────────────────────

/** Indices of the first, lowest and highest values (the latest is always kept). */
function keyIndices(series: SeriesPlan): number[] {
  const values = series.source.points.map((p) => p.value);
  if (values.length === 0) return [];
  let low = 0;
  let high = 0;
  values.forEach((v, i) => {
    if (v < values[low]!) low = i;
    if (v > values[high]!) high = i;
  });
  return [0, low, high];
}

function evenlySpaced(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (length - 1)) / (count - 1)));
}

class Budget {
  remaining: number;

  constructor(limit: number) {
    this.remaining = limit;
  }

  /** Takes the cost if it fits. */
  take(cost: number): boolean {
    if (cost > this.remaining) return false;
    this.remaining -= cost;
    return true;
  }
}

function addIndices(plan: SeriesPlan, indices: readonly number[], budget: Budget): boolean {
  const fresh = [...new Set(indices)].filter((i) => !plan.selected.has(i));
  if (fresh.length === 0) return true;
  const cost = fresh.reduce((n, i) => n + plan.point(i).cost, 0);
  if (!budget.take(cost)) return false;
  for (const i of fresh) plan.selected.add(i);
  return true;
}

function byTimeDescending<T>(items: readonly T[], time: (item: T) => string | undefined): T[] {
  return items
    .map((item, index) => ({ item, index, ms: Date.parse(time(item) ?? '') }))
    .sort((a, b) => (Number.isFinite(b.ms) ? b.ms : -Infinity) - (Number.isFinite(a.ms) ? a.ms : -Infinity) || a.index - b.index)
    .map((x) => x.item);
}

/** By code unit, not locale: the order must not depend on the browser's language. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const CATEGORY_ORDER: Readonly<Record<CaseSeries['category'], number>> = { 'vital-signs': 0, laboratory: 1, other: 2 };

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

// ─── The builder ────────────────────────────────────────────────────────────────────────────

export function buildCaseSummary(chart: PatientChart, options: CaseSummaryOptions = {}): SanitisedCase {
  const budgetTokens = options.budgetTokens ?? DEFAULT_BUDGET_TOKENS;
  const asOf = Date.parse(chart.asOf);
  const reference = options.now?.getTime() ?? (Number.isFinite(asOf) ? asOf : Date.now());
  const includeNotes = options.includeNotes ?? true;

  const patientNames = chart.patient && !NO_NAME.test(chart.patient.name) ? [chart.patient.name] : [];
  const authors = chart.notes.map((n) => n.author).filter((a): a is string => a !== undefined);
  const references = [
    chart.patient?.reference,
    chart.encounter?.reference,
    ...chart.problems.map((p) => p.reference),
    ...chart.medications.flatMap((m) => [m.reference, m.medicationReference]),
    ...chart.allergies.map((a) => a.reference),
    ...Object.values(chart.series).flatMap((s) => s.points.map((p) => p.reference)),
    ...chart.textResults.map((t) => t.reference),
    ...chart.reports.flatMap((r) => [r.reference, ...r.results]),
    ...chart.notes.map((n) => n.reference),
  ].filter((r): r is string => r !== undefined);
  const context = {
    values: options.knownValues ?? [],
    fhirIds: idsOfReferences(references),
    referenceYear: new Date(reference).getUTCFullYear(),
  };
  const texts: Texts = {
    coded: createScrubber({ ...context, names: [...patientNames, ...(options.knownNames ?? [])] }),
    free: createScrubber({ ...context, names: [...patientNames, ...authors, ...(options.knownNames ?? [])] }),
    redactions: {},
    neutralised: {},
    nonStandardCodes: 0,
  };
  const omissions: string[] = [];

  // Facts, split into what is always sent and what competes for the budget.
  const problems = chart.problems.filter((p) => !WITHDRAWN.has(p.verificationStatus ?? ''));
  const activeProblems = problems.filter(isActiveProblem).map((p) => problemCandidate(texts, p, reference));
  const pastProblems = byTimeDescending(problems.filter((p) => !isActiveProblem(p)), (p) => p.abatement ?? p.onset ?? p.recorded).map((p) => problemCandidate(texts, p, reference));
  const activeMedications = chart.medications.filter(isActiveMedication).map((m) => medicationCandidate(texts, m, reference));
  const otherMedications = byTimeDescending(chart.medications.filter((m) => !isActiveMedication(m)), (m) => m.authoredOn).map((m) => medicationCandidate(texts, m, reference));
  const allergies = chart.allergies.filter((a) => !WITHDRAWN.has(a.verificationStatus ?? '')).map((a) => allergyCandidate(texts, a));
  const series = Object.keys(chart.series)
    .map((key) => chart.series[key]!)
    .filter((s) => s.points.length > 0)
    .sort((a, b) => CATEGORY_ORDER[a.category] - CATEGORY_ORDER[b.category] || compareText(a.display, b.display) || compareText(a.code, b.code))
    .map((s) => seriesPlan(texts, s, reference));
  const textsNewestFirst = byTimeDescending(chart.textResults, (t) => t.time);
  const latestTextCodes = new Set<string>();
  const latestTexts: TextResult[] = [];
  const earlierTexts: TextResult[] = [];
  for (const t of textsNewestFirst) {
    if (latestTextCodes.has(t.code)) earlierTexts.push(t);
    else {
      latestTextCodes.add(t.code);
      latestTexts.push(t);
    }
  }
  const latestTextCandidates = latestTexts.map((t) => textResultCandidate(texts, t, reference));
  const concluded = byTimeDescending(chart.reports.filter((r) => r.conclusion), (r) => r.effective ?? r.issued);
  const unconcluded = chart.reports.length - concluded.length;

  const encounter = chart.encounter;
  const encounterFields = encounter
    ? {
        ...optional('class', encounter.class),
        ...optional('type', encounter.type === undefined ? undefined : codedText(texts, encounter.type)),
        ...optional('reason', encounter.reason === undefined ? undefined : freeText(texts, encounter.reason)),
        ...optional('startedDaysAgo', daysAgo(encounter.start, reference)),
      }
    : undefined;
  const header: Omit<CaseSummary, 'problems' | 'medications' | 'allergies' | 'series' | 'textResults' | 'notes'> = {
    version: 1,
    age: ageOf(chart, reference),
    sex: chart.patient?.gender ?? null,
    deceased: chart.patient?.deceased ?? false,
    encounter: encounterFields ? { id: ID_FOR_COSTING, ...encounterFields } : null,
    unavailableSections: unavailableSections(chart),
  };

  // The core: never dropped.
  const budget = new Budget(budgetTokens);
  const sum = <T>(list: ReadonlyArray<Candidate<T>>): number => list.reduce((n, c) => n + c.cost, 0);
  const coreCost =
    // Every list's key is costed, though an empty list is not sent.
    estimateTokens(wireJson({ ...encodeHeader(header), problems: [], medications: [], allergies: [], vitals: [], labs: [], otherResults: [], textResults: [], notes: [] })) +
    sum(activeProblems) +
    sum(activeMedications) +
    sum(allergies) +
    sum(latestTextCandidates) +
    series.reduce((n, s) => n + s.skeletonCost + s.point(s.length - 1).cost, 0);
  budget.remaining -= coreCost;
  if (budget.remaining < 0) {
    omissions.push(
      `The active problems, active medications, allergies and latest results alone come to about ${plural(coreCost, 'token')}, over the ${plural(budgetTokens, 'token')} budget; all of them were sent anyway and nothing else was added.`,
    );
  }

  // History, in priority order.
  const notable = series.filter((s) => s.notable);
  const steady = series.filter((s) => !s.notable);
  for (const plan of [...notable, ...steady]) addIndices(plan, keyIndices(plan), budget);
  const sentPastProblems = pastProblems.filter((c) => budget.take(c.cost));
  const sentOtherMedications = otherMedications.filter((c) => budget.take(c.cost));
  const reportCandidates = concluded.map((r) => reportCandidate(texts, r, reference));
  const sentReports = reportCandidates.filter((c) => budget.take(c.cost));
  const earlierTextCandidates = earlierTexts.map((t) => textResultCandidate(texts, t, reference));
  const sentEarlierTexts = earlierTextCandidates.filter((c) => budget.take(c.cost));

  const readable = includeNotes ? byTimeDescending(chart.notes.filter((n) => n.text), (n) => n.date) : [];
  const notePlans: NotePlan[] = readable.map((note) => ({ note, title: codedText(texts, note.title), text: freeText(texts, note.text!) }));
  for (const plan of notePlans) {
    for (const chars of [NOTE_CHARS, NOTE_CHARS_SHORT]) {
      const c = noteCandidate(plan, chars, reference);
      if (budget.take(c.cost)) {
        plan.chosen = c;
        if (plan.text.length > chars) omissions.push(`Note "${plan.title}" was shortened to about ${plural(chars, 'character')} of ${plural(plan.text.length, 'character')}.`);
        break;
      }
    }
  }

  for (const count of DENSITY_ROUNDS) {
    for (const plan of [...notable, ...steady]) {
      if (plan.length > plan.selected.size) addIndices(plan, evenlySpaced(plan.length, count), budget);
    }
  }

  // Render with ids in payload order.
  const factIndex = new Map<FactId, FactReference>();
  let next = 1;
  const assign = (reference: FactReference): FactId => {
    const id = `F${next++}`;
    factIndex.set(id, reference);
    return id;
  };
  const render = <T>(c: Candidate<T>): T => c.render(assign(c.reference));

  const summary: CaseSummary = {
    version: 1,
    age: header.age,
    sex: header.sex,
    deceased: header.deceased,
    encounter: encounter && encounterFields ? { id: assign(encounter.reference), ...encounterFields } : null,
    problems: [...activeProblems, ...sentPastProblems].map(render),
    medications: [...activeMedications, ...sentOtherMedications].map(render),
    allergies: allergies.map(render),
    series: series.map((plan) => ({
      ...plan.skeleton,
      points: [...plan.selected].sort((a, b) => a - b).map((i) => render(plan.point(i))),
    })),
    textResults: [...latestTextCandidates, ...sentEarlierTexts, ...sentReports].map(render),
    notes: notePlans.filter((p) => p.chosen).map((p) => render(p.chosen!)),
    unavailableSections: header.unavailableSections,
  };

  omissions.push(...historyOmissions(series));
  if (pastProblems.length > sentPastProblems.length) omissions.push(`${plural(pastProblems.length - sentPastProblems.length, 'resolved or inactive problem')} of ${pastProblems.length} not sent (budget).`);
  if (otherMedications.length > sentOtherMedications.length) omissions.push(`${plural(otherMedications.length - sentOtherMedications.length, 'medication')} that ${otherMedications.length - sentOtherMedications.length === 1 ? 'is' : 'are'} not active not sent (budget).`);
  if (concluded.length > sentReports.length) omissions.push(`${plural(concluded.length - sentReports.length, 'report conclusion')} not sent (budget).`);
  if (unconcluded > 0) omissions.push(`${plural(unconcluded, 'diagnostic report')} without a written conclusion not sent; their results are in the series.`);
  if (earlierTexts.length > sentEarlierTexts.length) omissions.push(`${plural(earlierTexts.length - sentEarlierTexts.length, 'earlier text result')} not sent (budget).`);
  if (!includeNotes && chart.notes.length > 0) omissions.push(`${plural(chart.notes.length, 'clinical note')} not sent: notes are turned off.`);
  const unsentNotes = notePlans.filter((p) => !p.chosen).length;
  if (unsentNotes > 0) omissions.push(`${plural(unsentNotes, 'clinical note')} of ${notePlans.length} not sent (budget).`);
  const unreadable = includeNotes ? chart.notes.filter((n) => !n.text).length : 0;
  if (unreadable > 0) omissions.push(`${plural(unreadable, 'clinical note')} had no readable text and could not be sent.`);
  const unconvertible = series.reduce((n, s) => n + s.source.unconvertible, 0);
  if (unconvertible > 0) omissions.push(`${plural(unconvertible, 'result')} in a unit that could not be converted to its series' unit not sent.`);

  const removed: Partial<Record<RemovalKind, number>> = { ...texts.redactions, ...texts.neutralised };
  if (texts.nonStandardCodes > 0) removed['non-standard-code'] = texts.nonStandardCodes;
  for (const key of Object.keys(removed) as RemovalKind[]) if (!removed[key]) delete removed[key];

  return {
    summary,
    factIndex,
    tokens: { payload: estimateTokens(serializeCaseSummary(summary)), rawFhir: estimateRawFhirTokens(chart), budget: budgetTokens },
    omissions,
    removed,
  };
}

/** Whole years, or "90+" from 90 on (Safe Harbor); null when the chart gives no way to tell. */
function ageOf(chart: PatientChart, reference: number): CaseSummary['age'] {
  const patient = chart.patient;
  if (!patient) return null;
  let years = patient.ageYears;
  if (years === undefined && patient.birthDate && !patient.deceased) {
    const [y, m = 12, d = 28] = patient.birthDate.split('-').map(Number) as [number, number?, number?];
    const at = new Date(reference);
    const before = at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d);
    years = at.getUTCFullYear() - y - (before ? 1 : 0);
  }
  if (years === undefined || !Number.isFinite(years) || years < 0) return null;
  return years >= 90 ? '90+' : Math.floor(years);
}

function unavailableSections(chart: PatientChart): string[] {
  const out: string[] = [];
  for (const name of Object.keys(chart.sections).sort() as ChartSectionName[]) {
    const state = chart.sections[name];
    if (state.status === 'unavailable') out.push(`${name}: ${SECTION_WORDS[state.cause] ?? 'unavailable'}`);
    else if (state.status === 'loading') out.push(`${name}: not loaded yet`);
    else if (state.truncated) out.push(`${name}: partial, only the most recent were read`);
  }
  return out;
}

function historyOmissions(series: readonly SeriesPlan[]): string[] {
  const thinned = series.filter((s) => s.selected.size < s.length);
  if (thinned.length === 0) return [];
  const total = series.reduce((n, s) => n + s.length, 0);
  const left = thinned.reduce((n, s) => n + s.length - s.selected.size, 0);
  return [
    `Earlier results thinned to fit: ${plural(left, 'value')} of ${total.toLocaleString('en-US')} not sent, across ${plural(thinned.length, 'series', 'series')}; the latest value of every series was sent, and the first, lowest and highest where the budget allowed.`,
    ...thinned.map((s) => `${s.skeleton.display}: ${s.selected.size.toLocaleString('en-US')} of ${plural(s.length, 'value')} sent.`),
  ];
}
