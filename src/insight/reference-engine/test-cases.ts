/**
 * Hand-built case summaries for the reference engine's tests, written the way the privacy layer
 * writes them: canonical units, oldest point first, short fact ids.
 */
import type { CaseSeries, CaseSummary, FactId } from '../types.ts';

const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends ReadonlyArray<infer U> ? U[] : T[K] };

export interface SeriesSpec {
  readonly code: string;
  readonly display: string;
  readonly unit?: string;
  readonly category?: CaseSeries['category'];
  readonly referenceLow?: number;
  readonly referenceHigh?: number;
}

/** Builds one case; every add returns the new fact ids so a test can assert on them. */
export class CaseBuilder {
  readonly #summary: Mutable<CaseSummary>;
  #next = 1;

  constructor(age: CaseSummary['age'], sex: CaseSummary['sex'], encounterClass?: string) {
    this.#summary = {
      version: 1,
      age,
      sex,
      deceased: false,
      encounter: null,
      problems: [],
      medications: [],
      allergies: [],
      series: [],
      textResults: [],
      notes: [],
      unavailableSections: [],
    };
    if (encounterClass) this.#summary.encounter = { id: this.#id(), class: encounterClass, startedDaysAgo: 0 };
  }

  #id(): FactId {
    return `F${this.#next++}`;
  }

  get encounterId(): FactId | undefined {
    return this.#summary.encounter?.id;
  }

  problem(display: string, snomed?: string, icd10?: string, extra: { status?: string; onsetDaysAgo?: number; category?: string; abatedDaysAgo?: number } = {}): FactId {
    const id = this.#id();
    const codes = [...(snomed ? [{ system: SNOMED, code: snomed }] : []), ...(icd10 ? [{ system: ICD10, code: icd10 }] : [])];
    this.#summary.problems.push({ id, display, codes, status: extra.status ?? 'active', ...extra });
    return id;
  }

  medication(display: string, extra: { rxnorm?: string; status?: string; dosage?: string; startedDaysAgo?: number } = {}): FactId {
    const id = this.#id();
    const { rxnorm, ...rest } = extra;
    this.#summary.medications.push({ id, display, codes: rxnorm ? [{ system: RXNORM, code: rxnorm }] : [], status: rest.status ?? 'active', ...rest });
    return id;
  }

  allergy(display: string, criticality: string | undefined, reactions: string[]): FactId {
    const id = this.#id();
    this.#summary.allergies.push({ id, display, reactions, ...(criticality ? { criticality } : {}) });
    return id;
  }

  /** Points as [value, daysAgo], oldest first. */
  series(spec: SeriesSpec, points: ReadonlyArray<readonly [number, number]>): FactId[] {
    const ids = points.map(() => this.#id());
    const existing = this.#summary.series.find((s) => s.code === spec.code);
    const newPoints = points.map(([value, daysAgo], i) => ({ id: ids[i]!, value, daysAgo }));
    if (existing) {
      (existing.points as Array<(typeof newPoints)[number]>).push(...newPoints);
      return ids;
    }
    this.#summary.series.push({
      code: spec.code,
      display: spec.display,
      category: spec.category ?? 'laboratory',
      ...(spec.unit ? { unit: spec.unit } : {}),
      ...(spec.referenceLow !== undefined ? { referenceLow: spec.referenceLow } : {}),
      ...(spec.referenceHigh !== undefined ? { referenceHigh: spec.referenceHigh } : {}),
      points: newPoints,
      totalPoints: newPoints.length,
    });
    return ids;
  }

  note(title: string, text: string, daysAgo = 0): FactId {
    const id = this.#id();
    this.#summary.notes.push({ id, title, text, daysAgo });
    return id;
  }

  textResult(display: string, text: string, daysAgo = 0): FactId {
    const id = this.#id();
    this.#summary.textResults.push({ id, display, text, daysAgo });
    return id;
  }

  unavailable(section: string): this {
    this.#summary.unavailableSections.push(section);
    return this;
  }

  build(): CaseSummary {
    return structuredClone(this.#summary) as CaseSummary;
  }
}

/** LOINC series as the chart names them, in canonical units. */
export const LOINC = {
  egfr: { code: '98979-8', display: 'eGFR', unit: 'mL/min/{1.73_m2}' },
  egfr2009: { code: '62238-1', display: 'eGFR (CKD-EPI 2009)', unit: 'mL/min/{1.73_m2}' },
  creatinine: { code: '2160-0', display: 'Creatinine', unit: 'mg/dL' },
  creatinineMolar: { code: '14682-9', display: 'Creatinine', unit: 'umol/L' },
  uacr: { code: '9318-7', display: 'Albumin/creatinine ratio (urine)', unit: 'mg/g' },
  sodium: { code: '2951-2', display: 'Sodium', unit: 'mmol/L' },
  potassium: { code: '2823-3', display: 'Potassium', unit: 'mmol/L' },
  bicarbonate: { code: '2028-9', display: 'Bicarbonate', unit: 'mmol/L' },
  calcium: { code: '17861-6', display: 'Calcium', unit: 'mg/dL' },
  osmolality: { code: '2692-2', display: 'Osmolality (serum)', unit: 'mosm/kg' },
  hba1c: { code: '4548-4', display: 'HbA1c', unit: '%' },
  glucose: { code: '2345-7', display: 'Glucose', unit: 'mg/dL' },
  glucoseMolar: { code: '14749-6', display: 'Glucose', unit: 'mmol/L' },
  fastingGlucose: { code: '1558-6', display: 'Glucose (fasting)', unit: 'mg/dL' },
  hemoglobin: { code: '718-7', display: 'Hemoglobin', unit: 'g/dL' },
  mcv: { code: '787-2', display: 'MCV', unit: 'fL' },
  wbc: { code: '6690-2', display: 'White cells', unit: '10*3/uL' },
  platelets: { code: '777-3', display: 'Platelets', unit: '10*3/uL' },
  ferritin: { code: '2276-4', display: 'Ferritin', unit: 'ng/mL' },
  tsat: { code: '2502-3', display: 'Transferrin saturation', unit: '%' },
  troponinHsI: { code: '89579-7', display: 'Troponin I (high-sensitivity)', unit: 'ng/L', referenceHigh: 34 },
  lactate: { code: '2524-7', display: 'Lactate', unit: 'mmol/L' },
  cortisol: { code: '2143-6', display: 'Cortisol', unit: 'ug/dL' },
  protein: { code: '2885-2', display: 'Protein (total)', unit: 'g/dL' },
  albumin: { code: '1751-7', display: 'Albumin', unit: 'g/dL' },
  tsh: { code: '3016-3', display: 'TSH', unit: 'm[IU]/L' },
  systolic: { code: '8480-6', display: 'Systolic BP', unit: 'mm[Hg]', category: 'vital-signs' },
  diastolic: { code: '8462-4', display: 'Diastolic BP', unit: 'mm[Hg]', category: 'vital-signs' },
  heartRate: { code: '8867-4', display: 'Heart rate', unit: '/min', category: 'vital-signs' },
  respiratoryRate: { code: '9279-1', display: 'Respiratory rate', unit: '/min', category: 'vital-signs' },
  temperature: { code: '8310-5', display: 'Temperature', unit: 'Cel', category: 'vital-signs' },
  spo2: { code: '59408-5', display: 'SpO2', unit: '%', category: 'vital-signs' },
  weight: { code: '29463-7', display: 'Weight', unit: 'kg', category: 'vital-signs' },
} as const satisfies Record<string, SeriesSpec>;
