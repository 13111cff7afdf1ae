/**
 * The chart as Curbside reads it: a typed, de-duplicated snapshot of what the EHR returned.
 * Every item keeps the FHIR reference it came from (`Observation/123`) so that later claims —
 * a differential's supporting finding, an early sign — can point at the exact chart fact.
 */

/** A relative FHIR reference, `Type/id`, exactly as the EHR identifies the resource. */
export type FactReference = string;

export interface Code {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}

export interface PatientDemographics {
  readonly reference: FactReference;
  readonly name: string;
  readonly birthDate?: string;
  /** Whole years at `asOf`, or at death. */
  readonly ageYears?: number;
  /** Administrative gender as the EHR coded it. */
  readonly gender?: 'male' | 'female' | 'other' | 'unknown';
  readonly deceased: boolean;
  readonly deceasedDate?: string;
}

export interface EncounterSummary {
  readonly reference: FactReference;
  readonly status?: string;
  /** v3 ActCode class code: AMB, EMER, IMP, … */
  readonly class?: string;
  readonly type?: string;
  readonly reason?: string;
  readonly start?: string;
  readonly end?: string;
}

export interface Problem {
  readonly reference: FactReference;
  readonly display: string;
  readonly codes: readonly Code[];
  /** active, recurrence, relapse, inactive, remission, resolved; undefined when the EHR did not say. */
  readonly clinicalStatus?: string;
  readonly verificationStatus?: string;
  /** problem-list-item, encounter-diagnosis, health-concern, … */
  readonly category?: string;
  readonly onset?: string;
  readonly abatement?: string;
  readonly recorded?: string;
}

export interface ReferenceRange {
  readonly low?: number;
  readonly high?: number;
  /** Unit of low/high, after normalisation to the series unit. */
  readonly unit?: string;
  readonly text?: string;
}

export interface SeriesPoint {
  readonly reference: FactReference;
  /** ISO 8601 instant or date of the observation (effective time). */
  readonly time: string;
  /** Value in the series unit. */
  readonly value: number;
  /** The value and unit as the EHR sent them, when normalisation changed them. */
  readonly original?: { readonly value: number; readonly unit?: string };
  /** H, L, HH, LL, A, N … from Observation.interpretation. */
  readonly interpretation?: string;
  readonly referenceRange?: ReferenceRange;
  /** `<`, `<=`, `>=` or `>` when the EHR sent a bounded value ("eGFR > 90"). */
  readonly comparator?: string;
}

export type Trend = 'rising' | 'falling' | 'stable';
export type AbnormalFlag = 'high' | 'low' | 'critical-high' | 'critical-low' | 'abnormal' | 'normal';

/** All values of one observation code over time, in one unit. */
export interface ObservationSeries {
  /** The LOINC code when there is one, else `system|code` of the first coding. Blood-pressure components are split into their own series (8480-6, 8462-4). */
  readonly code: string;
  readonly display: string;
  readonly category: 'vital-signs' | 'laboratory' | 'other';
  /** UCUM unit shared by every point (after conversion) or the EHR's unit string when it isn't UCUM. */
  readonly unit?: string;
  /** Oldest first. */
  readonly points: readonly SeriesPoint[];
  readonly latest: SeriesPoint;
  /** The reference range of the latest point, else the most recent one any point had. */
  readonly referenceRange?: ReferenceRange;
  readonly abnormal?: AbnormalFlag;
  readonly trend?: Trend;
  /** Points whose unit could not be converted to the series unit; kept out of `points`. */
  readonly unconvertible: number;
  /** Every code merged into this series when there was more than one (eGFR equations, mass and molar codes). */
  readonly codes?: readonly string[];
}

/** A result with no numeric value (valueString, valueCodeableConcept) — shown as text. */
export interface TextResult {
  readonly reference: FactReference;
  readonly code: string;
  readonly display: string;
  readonly time: string;
  readonly text: string;
}

export interface Medication {
  readonly reference: FactReference;
  readonly display: string;
  readonly codes: readonly Code[];
  /** active, on-hold, stopped, completed, … */
  readonly status?: string;
  readonly authoredOn?: string;
  readonly dosage?: string;
  /** The Medication resource read for a `medicationReference`, when there was one. */
  readonly medicationReference?: FactReference;
}

export interface Allergy {
  readonly reference: FactReference;
  readonly display: string;
  readonly codes: readonly Code[];
  readonly clinicalStatus?: string;
  readonly verificationStatus?: string;
  /** low, high, unable-to-assess */
  readonly criticality?: string;
  readonly category?: readonly string[];
  readonly reactions: readonly string[];
}

export interface ClinicalNote {
  readonly reference: FactReference;
  readonly title: string;
  /** LOINC note type when known. */
  readonly typeCode?: string;
  readonly date?: string;
  readonly author?: string;
  /** Decoded plain text; markup removed. Undefined when no readable attachment existed. */
  readonly text?: string;
  /** Why `text` is missing: "scanned document", "attachment unreadable", … */
  readonly textUnavailable?: string;
}

export interface DiagnosticReportSummary {
  readonly reference: FactReference;
  readonly display: string;
  readonly status?: string;
  readonly issued?: string;
  readonly effective?: string;
  readonly conclusion?: string;
  readonly results: readonly FactReference[];
}

export type ChartSectionName = 'patient' | 'encounter' | 'problems' | 'vitals' | 'labs' | 'medications' | 'allergies' | 'notes' | 'reports';

export type ChartSectionState =
  | { readonly status: 'loading' }
  | {
      readonly status: 'ready';
      /** Resources skipped because they were malformed (never thrown). */
      readonly skipped: number;
      /** A cap or look-back window cut the data short. */
      readonly truncated: boolean;
      /** Plain words on what is missing from an otherwise ready section (a cut-short list, a part that could not be read). */
      readonly caveats?: readonly string[];
    }
  | {
      readonly status: 'unavailable';
      /** Plain words for the clinician: "Access to medications was not granted". */
      readonly reason: string;
      readonly cause: 'forbidden' | 'unauthorized' | 'not-found' | 'not-supported' | 'not-granted' | 'server' | 'network' | 'malformed';
    };

export interface PatientChart {
  readonly fhirBase: string;
  /** When the snapshot was taken (ISO instant); ages and look-back windows are relative to it. */
  readonly asOf: string;
  readonly patient?: PatientDemographics;
  readonly encounter?: EncounterSummary;
  readonly problems: readonly Problem[];
  /** Vital-sign and laboratory series keyed by `ObservationSeries.code`. */
  readonly series: Readonly<Record<string, ObservationSeries>>;
  readonly textResults: readonly TextResult[];
  readonly medications: readonly Medication[];
  readonly allergies: readonly Allergy[];
  readonly notes: readonly ClinicalNote[];
  readonly reports: readonly DiagnosticReportSummary[];
  readonly sections: Readonly<Record<ChartSectionName, ChartSectionState>>;
}
