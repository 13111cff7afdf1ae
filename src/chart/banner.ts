/**
 * The facts a patient banner shows, read from the chart: who the patient is and how many
 * allergies are on record. Everything here is parsed from `unknown` because EHRs differ in
 * what they send and a banner must never show a wrong fact rather than none.
 */

import type { FhirRequester } from '../smart/context.ts';

export interface BannerIdentifier {
  /** A short label such as "MRN", or the EHR's own name for the identifier type. */
  readonly label: string;
  readonly value: string;
}

export interface BannerPatient {
  /** `Patient/<id>`. */
  readonly reference: string;
  readonly name: string;
  /** As the EHR sent it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  readonly birthDate?: string;
  /** Age now, or age at death for a deceased patient: "67 y", "8 mo", "3 d". */
  readonly ageText?: string;
  readonly deceased?: boolean;
  /** Administrative gender as a display word ("Female"). */
  readonly sex?: string;
  readonly identifier?: BannerIdentifier;
}

export type AllergySummary =
  | {
      readonly status: 'ok';
      /** Active allergies, not counting "no known allergy" assertions. */
      readonly count: number;
      /** The chart holds an explicit "no known allergies" entry (NKA, NKDA…). */
      readonly noKnownAllergies: boolean;
      /** False when the page limit cut the search short, so `count` is a lower bound. */
      readonly complete: boolean;
    }
  | { readonly status: 'unavailable'; readonly reason: string };

export interface BannerFacts {
  readonly patient: BannerPatient;
  readonly allergies: AllergySummary;
}

export type PatientLoadFailure = 'not-found' | 'forbidden' | 'unauthorized' | 'server' | 'network' | 'malformed';

/** The patient could not be read. `message` is written for the clinician and carries no PHI. */
export class PatientLoadError extends Error {
  override readonly name = 'PatientLoadError';
  readonly failure: PatientLoadFailure;
  readonly status: number | undefined;

  constructor(failure: PatientLoadFailure, status?: number, options?: { cause?: unknown }) {
    super(PATIENT_MESSAGES[failure], options);
    this.failure = failure;
    this.status = status;
  }
}

export interface LoadBannerOptions {
  /** The clock used for ages; tests pin it. */
  readonly now?: () => Date;
  /** Upper bound on allergy search pages followed through `next` links. */
  readonly maxAllergyPages?: number;
}

const PATIENT_MESSAGES: Record<PatientLoadFailure, string> = {
  'not-found': 'The EHR has no record of this patient.',
  forbidden: "Access to this patient's record was not granted.",
  unauthorized: 'The EHR session has ended or was not accepted. Reopen Curbside from the chart.',
  server: 'The EHR could not return the patient record just now. Try again shortly.',
  network: 'The EHR could not be reached.',
  malformed: 'The EHR returned a patient record Curbside cannot read.',
};

const DEFAULT_MAX_ALLERGY_PAGES = 10;
const MR_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const RENDERED_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/rendered-value';
const CLINICAL_STATUS_ACTIVE = 'active';
const EXCLUDED_VERIFICATION = new Set(['entered-in-error', 'refuted']);
/**
 * SNOMED CT "no known … allergy" findings. EHRs record NKA as an AllergyIntolerance, which
 * must not be counted as an allergy.
 */
const NO_KNOWN_ALLERGY_CODES = new Set(['716186003', '409137002', '428607008', '429625007', '1003774007', '1003775008']);
const GENDER_DISPLAY: Record<string, string> = { male: 'Male', female: 'Female', other: 'Other', unknown: 'Unknown' };

export async function loadBannerFacts(
  fhir: FhirRequester,
  patientId: string,
  signal?: AbortSignal,
  options: LoadBannerOptions = {},
): Promise<BannerFacts> {
  const id = patientId.trim();
  if (!id) throw new PatientLoadError('malformed');
  const now = options.now?.() ?? new Date();
  // When the patient read fails the allergy search is no longer wanted: stop it too.
  const linked = new AbortController();
  const forward = () => linked.abort(signal?.reason);
  if (signal?.aborted) forward();
  signal?.addEventListener('abort', forward, { once: true });
  try {
    const [patient, allergies] = await Promise.all([
      readPatient(fhir, id, linked.signal).then(
        (resource) => bannerPatient(resource, id, now),
        (error: unknown) => {
          linked.abort();
          throw error;
        },
      ),
      summarizeAllergies(fhir, id, linked.signal, options.maxAllergyPages ?? DEFAULT_MAX_ALLERGY_PAGES),
    ]);
    return { patient, allergies };
  } finally {
    signal?.removeEventListener('abort', forward);
  }
}

async function readPatient(fhir: FhirRequester, id: string, signal: AbortSignal | undefined): Promise<unknown> {
  try {
    return await fhir.request<unknown>(`Patient/${encodeURIComponent(id)}`, signalInit(signal));
  } catch (error) {
    if (isAbort(error, signal)) throw error;
    const status = httpStatusOf(error);
    throw new PatientLoadError(patientFailureFor(status), status, { cause: error });
  }
}

function patientFailureFor(status: number | undefined): PatientLoadFailure {
  if (status === undefined) return 'network';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  return 'server';
}

/** Builds the banner's patient from a Patient resource; throws `PatientLoadError('malformed')` if it is not one. */
export function bannerPatient(resource: unknown, expectedId: string, now: Date): BannerPatient {
  if (!isRecord(resource) || resource.resourceType !== 'Patient') throw new PatientLoadError('malformed');
  // A resource for another patient would put the wrong name over this chart.
  if (typeof resource.id === 'string' && resource.id !== expectedId) throw new PatientLoadError('malformed');

  const birthDate = typeof resource.birthDate === 'string' && FHIR_DATE.test(resource.birthDate) ? resource.birthDate : undefined;
  const deceasedAt = typeof resource.deceasedDateTime === 'string' ? parseFhirDate(resource.deceasedDateTime.slice(0, 10)) : undefined;
  const deceased = resource.deceasedBoolean === true || deceasedAt !== undefined;
  // Without a date of death the age at death is unknown; showing today's age would be wrong.
  const ageAt = deceased ? deceasedAt : calendarDate(now);
  const birth = birthDate ? parseFhirDate(birthDate) : undefined;
  const ageText = birth && ageAt ? ageBetween(birth, ageAt) : undefined;
  // Own keys only: a gender of "constructor" must not pick up Object.prototype's function.
  const sex = typeof resource.gender === 'string' && Object.hasOwn(GENDER_DISPLAY, resource.gender) ? GENDER_DISPLAY[resource.gender] : undefined;
  const identifier = bannerIdentifier(resource.identifier, now);

  return {
    reference: `Patient/${expectedId}`,
    name: displayName(resource.name, now) ?? 'Name not recorded',
    ...(birthDate ? { birthDate } : {}),
    ...(ageText ? { ageText } : {}),
    ...(deceased ? { deceased } : {}),
    ...(sex ? { sex } : {}),
    ...(identifier ? { identifier } : {}),
  };
}

/** Picks the current official, then usual, then any current name; `text` wins over its parts. */
export function displayName(names: unknown, now: Date = new Date()): string | undefined {
  const usable = asArray(names).filter(isRecord).filter((n) => n.use !== 'old' && !hasEnded(n.period, now));
  const rank = (n: Record<string, unknown>) => (n.use === 'official' ? 0 : n.use === 'usual' ? 1 : n.use === undefined ? 2 : 3);
  for (const name of usable.sort((a, b) => rank(a) - rank(b))) {
    const text = cleanString(name.text);
    if (text) return text;
    const parts = [...strings(name.prefix), ...strings(name.given), cleanString(name.family), ...strings(name.suffix)].filter(Boolean);
    if (parts.length > 0) return parts.join(' ');
  }
  return undefined;
}

/**
 * Prefers a current MR-typed identifier (the one the EHR itself labels "MRN" first, as some
 * send a community MRN beside the local one), else the first current identifier with a value.
 */
export function bannerIdentifier(identifiers: unknown, now: Date = new Date()): BannerIdentifier | undefined {
  const usable = asArray(identifiers)
    .filter(isRecord)
    .filter((i) => i.use !== 'old' && !hasEnded(i.period, now) && identifierValue(i) !== undefined);
  const medicalRecord = usable.filter(isMedicalRecordNumber);
  const chosen = medicalRecord.find((i) => typeLabels(i).some((l) => l.toUpperCase() === 'MRN')) ?? medicalRecord[0];
  if (chosen) return { label: 'MRN', value: identifierValue(chosen)! };
  const first = usable[0];
  if (!first) return undefined;
  return { label: typeLabels(first)[0] ?? 'ID', value: identifierValue(first)! };
}

function isMedicalRecordNumber(identifier: Record<string, unknown>): boolean {
  const type = isRecord(identifier.type) ? identifier.type : undefined;
  return asArray(type?.coding).some((c) => isRecord(c) && c.code === 'MR' && (c.system === undefined || c.system === MR_TYPE_SYSTEM));
}

function typeLabels(identifier: Record<string, unknown>): string[] {
  const type = isRecord(identifier.type) ? identifier.type : undefined;
  const codings = asArray(type?.coding).filter(isRecord);
  return [cleanString(type?.text), ...codings.filter((c) => c.userSelected === true).map((c) => cleanString(c.display)), ...codings.map((c) => cleanString(c.display))].filter(
    (l): l is string => l !== undefined,
  );
}

/** The value as the EHR displays it (Oracle Health sends a zero-padded rendered form), trimmed. */
function identifierValue(identifier: Record<string, unknown>): string | undefined {
  const meta = isRecord(identifier._value) ? identifier._value : undefined;
  const rendered = asArray(meta?.extension).find((e) => isRecord(e) && e.url === RENDERED_VALUE_URL);
  return (isRecord(rendered) ? cleanString(rendered.valueString) : undefined) ?? cleanString(identifier.value);
}

// ---------------------------------------------------------------------------------------------
// Age

interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const FHIR_DATE = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;

function calendarDate(date: Date): CalendarDate {
  return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() };
}

/** A missing month or day takes the latest possible value, so a partial birth date never overstates age. */
function parseFhirDate(value: string): CalendarDate | undefined {
  const match = FHIR_DATE.exec(value);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] ? Number(match[2]) : 12;
  const day = match[3] ? Number(match[3]) : daysInMonth(year, month);
  if (day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Age in the units clinicians read on banners: days under a month, months under two years,
 * years after. Undefined when the birth date is unreadable or after `at`.
 */
export function formatAge(birthDate: string, at: Date): string | undefined {
  const birth = parseFhirDate(birthDate);
  return birth ? ageBetween(birth, calendarDate(at)) : undefined;
}

function ageBetween(birth: CalendarDate, on: CalendarDate): string | undefined {
  let months = (on.year - birth.year) * 12 + (on.month - birth.month);
  if (on.day < birth.day) months -= 1;
  if (months >= 24) return `${Math.floor(months / 12)} y`;
  if (months >= 1) return `${months} mo`;
  const days = Math.round((Date.UTC(on.year, on.month - 1, on.day) - Date.UTC(birth.year, birth.month - 1, birth.day)) / 86_400_000);
  return days >= 0 ? `${days} d` : undefined;
}

// ---------------------------------------------------------------------------------------------
// Allergies

async function summarizeAllergies(fhir: FhirRequester, patientId: string, signal: AbortSignal | undefined, maxPages: number): Promise<AllergySummary> {
  const counted = new Set<string>();
  let anonymous = 0;
  let noKnownAllergies = false;
  let url: string | undefined = `AllergyIntolerance?patient=${encodeURIComponent(patientId)}`;
  let pages = 0;
  const seenUrls = new Set<string>();
  try {
    while (url && pages < maxPages) {
      seenUrls.add(url);
      const bundle = await fhir.request<unknown>(url, signalInit(signal));
      pages += 1;
      if (!isRecord(bundle) || bundle.resourceType !== 'Bundle') return { status: 'unavailable', reason: ALLERGY_REASONS.malformed };
      for (const entry of asArray(bundle.entry)) {
        if (!isRecord(entry) || !isMatch(entry)) continue;
        const resource = entry.resource;
        if (!isRecord(resource) || resource.resourceType !== 'AllergyIntolerance' || !isCurrentAllergy(resource)) continue;
        if (isNoKnownAllergy(resource)) {
          noKnownAllergies = true;
          continue;
        }
        // Paged results can repeat an entry across pages; count each resource once.
        if (typeof resource.id === 'string') counted.add(resource.id);
        else anonymous += 1;
      }
      const next: string | undefined = nextLink(bundle);
      url = next && !seenUrls.has(next) ? next : undefined;
    }
  } catch (error) {
    if (isAbort(error, signal)) throw error;
    return { status: 'unavailable', reason: allergyReasonFor(httpStatusOf(error)) };
  }
  return { status: 'ok', count: counted.size + anonymous, noKnownAllergies, complete: url === undefined };
}

const ALLERGY_REASONS = {
  unauthorized: 'The EHR session did not allow reading allergies',
  forbidden: 'Access to allergies was not granted',
  notFound: 'This EHR does not offer an allergy list',
  server: 'The EHR could not return the allergy list just now',
  network: 'The allergy list could not be reached',
  malformed: 'The EHR returned an allergy list Curbside cannot read',
} as const;

function allergyReasonFor(status: number | undefined): string {
  if (status === undefined) return ALLERGY_REASONS.network;
  if (status === 401) return ALLERGY_REASONS.unauthorized;
  if (status === 403) return ALLERGY_REASONS.forbidden;
  if (status === 404) return ALLERGY_REASONS.notFound;
  if (status >= 500) return ALLERGY_REASONS.server;
  return ALLERGY_REASONS.malformed;
}

/** Epic mixes `search.mode: "outcome"` OperationOutcomes into searchsets; only matches (or unmarked entries) count. */
function isMatch(entry: Record<string, unknown>): boolean {
  const search = isRecord(entry.search) ? entry.search : undefined;
  return search?.mode === undefined || search.mode === 'match';
}

function isCurrentAllergy(resource: Record<string, unknown>): boolean {
  const clinical = codes(resource.clinicalStatus);
  if (clinical.length > 0 && !clinical.includes(CLINICAL_STATUS_ACTIVE)) return false;
  return !codes(resource.verificationStatus).some((c) => EXCLUDED_VERIFICATION.has(c));
}

function isNoKnownAllergy(resource: Record<string, unknown>): boolean {
  return codes(resource.code).some((c) => NO_KNOWN_ALLERGY_CODES.has(c));
}

function nextLink(bundle: Record<string, unknown>): string | undefined {
  const link = asArray(bundle.link).find((l) => isRecord(l) && l.relation === 'next');
  return isRecord(link) ? cleanString(link.url) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** fhirclient's HttpError carries `status` and `statusCode`; other clients put the Response on the error. */
function httpStatusOf(error: unknown): number | undefined {
  if (!isRecord(error)) return undefined;
  for (const candidate of [error.status, error.statusCode, isRecord(error.response) ? error.response.status : undefined]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate <= 599) return candidate;
  }
  return undefined;
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (isRecord(error) && error.name === 'AbortError');
}

function signalInit(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function hasEnded(period: unknown, now: Date): boolean {
  if (!isRecord(period) || typeof period.end !== 'string') return false;
  const end = Date.parse(period.end);
  return Number.isFinite(end) && end < now.getTime();
}

function codes(concept: unknown): string[] {
  if (!isRecord(concept)) return [];
  return asArray(concept.coding)
    .filter(isRecord)
    .map((c) => c.code)
    .filter((c): c is string => typeof c === 'string');
}

function strings(value: unknown): string[] {
  return asArray(value)
    .map(cleanString)
    .filter((s): s is string => s !== undefined);
}

function cleanString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? undefined : trimmed;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
