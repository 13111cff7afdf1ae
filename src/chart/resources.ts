/**
 * One FHIR resource each into the chart's types. A reader returns `undefined` for a resource it
 * cannot use (counted as skipped by the caller) and `EXCLUDED` for one that was withdrawn
 * (entered-in-error), which is left out silently.
 */
import { displayName } from './banner.ts';
import { codesOf, codeValues, conceptText, isRecord, type Json, records, referenceOf, relativeReference, text, timeValue } from './fhir.ts';
import type { Allergy, ClinicalNote, DiagnosticReportSummary, EncounterSummary, Medication, PatientDemographics, Problem } from './types.ts';

export const EXCLUDED = Symbol('excluded');
export type Reading<T> = T | typeof EXCLUDED | undefined;

const ENTERED_IN_ERROR = 'entered-in-error';
const GENDERS = new Set(['male', 'female', 'other', 'unknown']);
const ACT_CODE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CONDITION_CATEGORIES = ['problem-list-item', 'encounter-diagnosis', 'health-concern'];

function ofType(resource: unknown, type: string): resource is Json {
  return isRecord(resource) && resource.resourceType === type;
}

// ---------------------------------------------------------------------------------------------
// Patient and encounter

export function readPatient(resource: unknown, expectedId: string, asOf: Date): PatientDemographics | undefined {
  // A resource for another patient would put the wrong name over this chart.
  if (!ofType(resource, 'Patient') || resource.id !== expectedId) return undefined;
  const birthDate = text(resource.birthDate);
  const validBirth = birthDate && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(birthDate) ? birthDate : undefined;
  const deceasedDate = text(resource.deceasedDateTime);
  const deceased = resource.deceasedBoolean === true || (deceasedDate !== undefined && timeValue(deceasedDate) !== undefined);
  // Age at death when the date is known; without it the age is unknown, not today's.
  const ageAt = deceased ? (deceasedDate ? new Date(timeValue(deceasedDate)!) : undefined) : asOf;
  const ageYears = validBirth && ageAt ? wholeYears(validBirth, ageAt) : undefined;
  const gender = text(resource.gender);
  return {
    reference: `Patient/${expectedId}`,
    name: displayName(resource.name, asOf) ?? 'Name not recorded',
    ...(validBirth ? { birthDate: validBirth } : {}),
    ...(ageYears !== undefined ? { ageYears } : {}),
    ...(gender && GENDERS.has(gender) ? { gender: gender as PatientDemographics['gender'] } : {}),
    deceased,
    ...(deceased && deceasedDate ? { deceasedDate } : {}),
  };
}

/** Whole years from a FHIR date to a moment (UTC); a partial date counts from its latest possible day. */
export function wholeYears(birthDate: string, at: Date): number | undefined {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number | undefined, number | undefined];
  const month = m ?? 12;
  const day = d ?? new Date(Date.UTC(y, month, 0)).getUTCDate();
  const atMonth = at.getUTCMonth() + 1;
  const atDay = at.getUTCDate();
  const years = at.getUTCFullYear() - y - (atMonth < month || (atMonth === month && atDay < day) ? 1 : 0);
  return years >= 0 ? years : undefined;
}

export function readEncounter(resource: unknown, expectedId: string): EncounterSummary | undefined {
  if (!ofType(resource, 'Encounter') || resource.id !== expectedId) return undefined;
  const cls = isRecord(resource.class) ? resource.class : undefined;
  const classCode = text(cls?.code);
  // Only v3 ActCode classes are comparable across EHRs; Epic's own class codes ("2") are not.
  const actCode = classCode && (cls?.system === ACT_CODE_SYSTEM || (cls?.system === undefined && /^[A-Z]{2,8}$/.test(classCode))) ? classCode : undefined;
  const type = records(resource.type).map(conceptText).find(Boolean);
  const reason = records(resource.reasonCode).map(conceptText).find(Boolean);
  const period = isRecord(resource.period) ? resource.period : {};
  return {
    reference: `Encounter/${expectedId}`,
    ...(text(resource.status) ? { status: text(resource.status)! } : {}),
    ...(actCode ? { class: actCode } : {}),
    ...(type ? { type } : {}),
    ...(reason ? { reason } : {}),
    ...(text(period.start) ? { start: text(period.start)! } : {}),
    ...(text(period.end) ? { end: text(period.end)! } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Problems and allergies

export function readCondition(resource: unknown): Reading<Problem> {
  if (!ofType(resource, 'Condition')) return undefined;
  const reference = referenceOf(resource);
  if (!reference) return undefined;
  const verification = codeValues(resource.verificationStatus);
  if (verification.includes(ENTERED_IN_ERROR)) return EXCLUDED;
  const display = conceptText(resource.code);
  if (!display) return undefined;
  const category = records(resource.category)
    .flatMap(codeValues)
    .find((c) => CONDITION_CATEGORIES.includes(c));
  const onset = timeText(resource, 'onset');
  const abatement = timeText(resource, 'abatement');
  const recorded = text(resource.recordedDate);
  return {
    reference,
    display,
    codes: codesOf(resource.code),
    ...(codeValues(resource.clinicalStatus)[0] ? { clinicalStatus: codeValues(resource.clinicalStatus)[0]! } : {}),
    ...(verification[0] ? { verificationStatus: verification[0] } : {}),
    ...(category ? { category } : {}),
    ...(onset ? { onset } : {}),
    ...(abatement ? { abatement } : {}),
    ...(recorded ? { recorded } : {}),
  };
}

/** `onset[x]` / `abatement[x]` as text: a date, the start of a period, an age or the EHR's words. */
function timeText(resource: Json, prefix: 'onset' | 'abatement'): string | undefined {
  const period = resource[`${prefix}Period`];
  const age = resource[`${prefix}Age`];
  return (
    text(resource[`${prefix}DateTime`]) ??
    (isRecord(period) ? text(period.start) : undefined) ??
    (isRecord(age) && typeof age.value === 'number' ? `age ${age.value}${text(age.unit) ? ` ${text(age.unit)!}` : ''}` : undefined) ??
    text(resource[`${prefix}String`])
  );
}

export function readAllergy(resource: unknown): Reading<Allergy> {
  if (!ofType(resource, 'AllergyIntolerance')) return undefined;
  const reference = referenceOf(resource);
  if (!reference) return undefined;
  const verification = codeValues(resource.verificationStatus);
  if (verification.includes(ENTERED_IN_ERROR)) return EXCLUDED;
  const display = conceptText(resource.code);
  if (!display) return undefined;
  const reactions = [...new Set(records(resource.reaction).flatMap((r) => records(r.manifestation).map(conceptText)).filter((r): r is string => r !== undefined))];
  const category = (Array.isArray(resource.category) ? resource.category : []).map(text).filter((c): c is string => c !== undefined);
  const criticality = text(resource.criticality);
  return {
    reference,
    display,
    codes: codesOf(resource.code),
    ...(codeValues(resource.clinicalStatus)[0] ? { clinicalStatus: codeValues(resource.clinicalStatus)[0]! } : {}),
    ...(verification[0] ? { verificationStatus: verification[0] } : {}),
    ...(criticality ? { criticality } : {}),
    ...(category.length > 0 ? { category } : {}),
    reactions,
  };
}

// ---------------------------------------------------------------------------------------------
// Medications

export interface MedicationOrder {
  readonly medication: Medication;
  /** `Medication/{id}` to read, when the order only points at its drug. */
  readonly toRead?: string;
}

const LISTED_MEDICATION_STATUS = new Set(['active', 'on-hold']);

/** An active or on-hold order; others (a server that ignored the status filter) are excluded. */
export function readMedicationRequest(resource: unknown, fhirBase: string): Reading<MedicationOrder> {
  if (!ofType(resource, 'MedicationRequest')) return undefined;
  const reference = referenceOf(resource);
  const status = text(resource.status);
  if (!reference || !status) return undefined;
  if (!LISTED_MEDICATION_STATUS.has(status)) return EXCLUDED;
  const dosage = records(resource.dosageInstruction)
    .map((d) => text(d.text) ?? text(d.patientInstruction))
    .filter((d): d is string => d !== undefined)
    .join('; ');
  const authoredOn = text(resource.authoredOn);
  const common = { reference, status, ...(authoredOn ? { authoredOn } : {}), ...(dosage ? { dosage } : {}) };

  if (isRecord(resource.medicationCodeableConcept)) {
    const display = conceptText(resource.medicationCodeableConcept);
    if (!display) return undefined;
    return { medication: { ...common, display, codes: codesOf(resource.medicationCodeableConcept) } };
  }
  const ref = isRecord(resource.medicationReference) ? resource.medicationReference : undefined;
  if (!ref) return undefined;
  const refDisplay = text(ref.display);
  const local = text(ref.reference);
  if (local?.startsWith('#')) {
    // Oracle Health contains the Medication in the order itself.
    const contained = records(resource.contained).find((c) => c.resourceType === 'Medication' && `#${String(c.id)}` === local);
    const display = conceptText(contained?.code) ?? refDisplay;
    if (!display) return undefined;
    return { medication: { ...common, display, codes: codesOf(contained?.code) } };
  }
  const medicationReference = relativeReference(local, fhirBase);
  const display = refDisplay ?? 'Medication';
  if (!medicationReference?.startsWith('Medication/')) return refDisplay ? { medication: { ...common, display, codes: [] } } : undefined;
  return { medication: { ...common, display, codes: [], medicationReference }, toRead: medicationReference };
}

/** The order with the drug's name and codes from its Medication resource. */
export function withMedication(medication: Medication, resource: unknown): Medication {
  if (!ofType(resource, 'Medication')) return medication;
  const display = conceptText(resource.code);
  const codes = codesOf(resource.code);
  return { ...medication, ...(display ? { display } : {}), ...(codes.length > 0 ? { codes } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Reports and notes

export function readReport(resource: unknown, fhirBase: string): Reading<DiagnosticReportSummary & { readonly sortMs: number }> {
  if (!ofType(resource, 'DiagnosticReport')) return undefined;
  const reference = referenceOf(resource);
  if (!reference) return undefined;
  const status = text(resource.status);
  if (status === ENTERED_IN_ERROR || status === 'cancelled') return EXCLUDED;
  const display = conceptText(resource.code);
  if (!display) return undefined;
  const period = isRecord(resource.effectivePeriod) ? resource.effectivePeriod : undefined;
  const effective = text(resource.effectiveDateTime) ?? text(period?.start);
  const issued = text(resource.issued);
  const conclusion = text(resource.conclusion);
  const results = records(resource.result)
    .map((r) => relativeReference(r.reference, fhirBase))
    .filter((r): r is string => r !== undefined);
  return {
    reference,
    display,
    ...(status ? { status } : {}),
    ...(issued ? { issued } : {}),
    ...(effective ? { effective } : {}),
    ...(conclusion ? { conclusion } : {}),
    results,
    sortMs: timeValue(effective) ?? timeValue(issued) ?? 0,
  };
}

export interface NoteAttachment {
  readonly contentType?: string;
  readonly data?: string;
  readonly url?: string;
  /** Code of a data-absent-reason extension standing in for the content. */
  readonly absentReason?: string;
}

export interface NoteCandidate {
  readonly note: ClinicalNote;
  readonly attachments: readonly NoteAttachment[];
  readonly sortMs: number;
}

const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';
const WITHDRAWN_DOCUMENT = new Set([ENTERED_IN_ERROR, 'superseded']);

export function readDocument(resource: unknown): Reading<NoteCandidate> {
  if (!ofType(resource, 'DocumentReference')) return undefined;
  const reference = referenceOf(resource);
  if (!reference) return undefined;
  // Oracle Health can say `docStatus: entered-in-error` while `status` is still `current`.
  if (WITHDRAWN_DOCUMENT.has(text(resource.status) ?? '') || text(resource.docStatus) === ENTERED_IN_ERROR) return EXCLUDED;
  const attachments = records(resource.content)
    .map((c) => (isRecord(c.attachment) ? c.attachment : undefined))
    .filter((a): a is Json => a !== undefined)
    .map((a): NoteAttachment => {
      const absent = records(a.extension).find((e) => e.url === DATA_ABSENT_REASON);
      return {
        ...(text(a.contentType) ? { contentType: text(a.contentType)! } : {}),
        ...(typeof a.data === 'string' && a.data !== '' ? { data: a.data } : {}),
        ...(text(a.url) ? { url: text(a.url)! } : {}),
        ...(absent && text(absent.valueCode) ? { absentReason: text(absent.valueCode)! } : {}),
      };
    });
  const context = isRecord(resource.context) ? resource.context : {};
  const period = isRecord(context.period) ? context.period : {};
  const creation = records(resource.content)
    .map((c) => (isRecord(c.attachment) ? text(c.attachment.creation) : undefined))
    .find(Boolean);
  const date = text(resource.date) ?? text(period.start) ?? creation;
  const typeCode = codesOf(resource.type).find((c) => c.system === 'http://loinc.org')?.code;
  const attachmentTitle = records(resource.content)
    .map((c) => (isRecord(c.attachment) ? text(c.attachment.title) : undefined))
    .find(Boolean);
  const title = text(resource.description) ?? conceptText(resource.type) ?? attachmentTitle ?? 'Clinical note';
  const author = records(resource.author)
    .map((a) => text(a.display))
    .find(Boolean);
  return {
    note: { reference, title, ...(typeCode ? { typeCode } : {}), ...(date ? { date } : {}), ...(author ? { author } : {}) },
    attachments,
    sortMs: timeValue(date) ?? Number.NEGATIVE_INFINITY,
  };
}
