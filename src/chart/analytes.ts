/**
 * The analytes Curbside knows by name: which LOINC codes measure the same thing (so an eGFR
 * equation change or a lab reporting glucose in mmol/L does not split a trend in two), the one
 * unit each is shown in, and the facts needed to convert into it. Units follow US reporting,
 * as the EHRs Curbside runs in are mostly US ones. Molar masses in g/mol.
 */
import type { AnalyteConversion } from './units.ts';

export interface Analyte extends AnalyteConversion {
  readonly id: string;
  /** LOINC codes that belong together; the first names the analyte. */
  readonly codes: readonly string[];
  /** Short name a clinician reads in a summary. */
  readonly display: string;
  readonly category: 'vital-signs' | 'laboratory';
  /** Canonical UCUM unit of the series. */
  readonly unit?: string;
  /** HbA1c: IFCC mmol/mol converts to NGSP % by the master equation, not by a factor. */
  readonly ifcc?: boolean;
  /**
   * Smallest change (in `unit`) that counts as a trend, for analytes a relative threshold misjudges:
   * tightly regulated ones (a 6 % fall in sodium is large) and ones far from zero (temperature).
   */
  readonly trendDelta?: number;
  /** Worth years of history: fetched beyond the usual lab look-back. */
  readonly longHorizon?: boolean;
}

const lab = (id: string, display: string, codes: string[], unit: string | undefined, extra: Partial<Analyte> = {}): Analyte => ({
  id,
  display,
  codes,
  category: 'laboratory',
  ...(unit ? { unit } : {}),
  ...extra,
});
const vital = (id: string, display: string, codes: string[], unit: string, extra: Partial<Analyte> = {}): Analyte => ({ id, display, codes, category: 'vital-signs', unit, ...extra });

export const ANALYTES: readonly Analyte[] = [
  // Kidney
  lab('egfr', 'eGFR', ['98979-8', '62238-1', '33914-3', '48642-3', '48643-1', '50044-7', '69405-9', '70969-1', '77147-7', '88293-6', '88294-4', '98980-6'], 'mL/min/{1.73_m2}', { longHorizon: true }),
  lab('creatinine', 'Creatinine', ['2160-0', '14682-9', '38483-4', '59826-8'], 'mg/dL', { molarMass: 113.12, longHorizon: true }),
  lab('bun', 'Urea nitrogen', ['3094-0', '6299-2'], 'mg/dL', { molarMass: 28.014 }),
  lab('uacr', 'Albumin/creatinine ratio (urine)', ['9318-7', '14959-1', '32294-1', '14958-3'], 'mg/g', { molarMass: 113.12, longHorizon: true }),
  // Electrolytes
  lab('sodium', 'Sodium', ['2951-2', '2947-0'], 'mmol/L', { valence: 1, trendDelta: 3 }),
  lab('potassium', 'Potassium', ['2823-3', '6298-4'], 'mmol/L', { valence: 1, trendDelta: 0.4 }),
  lab('chloride', 'Chloride', ['2075-0', '2069-3'], 'mmol/L', { valence: 1, trendDelta: 3 }),
  lab('bicarbonate', 'Bicarbonate (total CO2)', ['2028-9', '1963-8', '1959-6'], 'mmol/L', { valence: 1, trendDelta: 3 }),
  lab('calcium', 'Calcium', ['17861-6', '49765-1'], 'mg/dL', { molarMass: 40.078, valence: 2, trendDelta: 0.4 }),
  lab('magnesium', 'Magnesium', ['19123-9', '2601-3'], 'mg/dL', { molarMass: 24.305, valence: 2 }),
  lab('phosphate', 'Phosphate', ['2777-1'], 'mg/dL', { molarMass: 30.974 }),
  lab('osmolality', 'Osmolality (serum)', ['2692-2'], 'mosm/kg', { trendDelta: 8 }),
  // Diabetes
  lab('hba1c', 'HbA1c', ['4548-4', '17856-6', '4549-2', '59261-8'], '%', { ifcc: true, longHorizon: true, trendDelta: 0.3 }),
  lab('glucose', 'Glucose', ['2345-7', '14749-6', '2339-0', '15074-8'], 'mg/dL', { molarMass: 180.156 }),
  lab('glucose-fasting', 'Glucose (fasting)', ['1558-6', '14771-0'], 'mg/dL', { molarMass: 180.156 }),
  // Blood count and iron
  lab('hemoglobin', 'Hemoglobin', ['718-7', '20509-6'], 'g/dL', { longHorizon: true }),
  lab('hematocrit', 'Hematocrit', ['4544-3', '20570-8'], '%'),
  lab('wbc', 'White cells', ['6690-2', '26464-8'], '10*3/uL'),
  lab('platelets', 'Platelets', ['777-3', '26515-7'], '10*3/uL'),
  lab('rbc', 'Red cells', ['789-8', '26453-1'], '10*6/uL'),
  lab('mcv', 'MCV', ['787-2', '30428-7'], 'fL'),
  lab('ferritin', 'Ferritin', ['2276-4', '20567-4', '24373-3'], 'ng/mL', { longHorizon: true }),
  lab('iron', 'Iron', ['2498-4'], 'ug/dL', { molarMass: 55.845 }),
  lab('tsat', 'Transferrin saturation', ['2502-3'], '%'),
  // Cardiac, sepsis, coagulation
  lab('troponin-i-hs', 'Troponin I (high-sensitivity)', ['89579-7'], 'ng/L'),
  lab('troponin-i', 'Troponin I', ['10839-9', '42757-5', '49563-0'], 'ng/mL'),
  lab('troponin-t-hs', 'Troponin T (high-sensitivity)', ['67151-1'], 'ng/L'),
  lab('troponin-t', 'Troponin T', ['6598-7'], 'ng/mL'),
  lab('ntprobnp', 'NT-proBNP', ['33762-6'], 'pg/mL'),
  lab('bnp', 'BNP', ['30934-4'], 'pg/mL'),
  lab('lactate', 'Lactate', ['2524-7', '32693-4'], 'mmol/L', { molarMass: 90.08 }),
  lab('crp', 'CRP', ['1988-5'], 'mg/L'),
  lab('hscrp', 'CRP (high-sensitivity)', ['30522-7'], 'mg/L'),
  lab('procalcitonin', 'Procalcitonin', ['33959-8'], 'ng/mL'),
  lab('inr', 'INR', ['6301-6', '34714-6'], '{INR}'),
  lab('esr', 'ESR', ['4537-7', '30341-2'], 'mm/h'),
  // Liver
  lab('alt', 'ALT', ['1742-6', '1743-4'], 'U/L'),
  lab('ast', 'AST', ['1920-8', '30239-8'], 'U/L'),
  lab('alp', 'Alkaline phosphatase', ['6768-6'], 'U/L'),
  lab('bilirubin', 'Bilirubin (total)', ['1975-2', '14631-6', '42719-5'], 'mg/dL', { molarMass: 584.66 }),
  lab('albumin', 'Albumin', ['1751-7', '61151-7', '61152-5'], 'g/dL'),
  lab('protein', 'Protein (total)', ['2885-2'], 'g/dL'),
  lab('globulin', 'Globulin', ['10834-0'], 'g/dL'),
  // Endocrine, lipids, other
  lab('tsh', 'TSH', ['3016-3', '11580-8'], 'm[IU]/L'),
  lab('cortisol', 'Cortisol', ['2143-6'], 'ug/dL'),
  lab('ldl', 'LDL cholesterol', ['13457-7', '18262-6', '2089-1', '22748-8'], 'mg/dL', { molarMass: 386.65, longHorizon: true }),
  lab('cholesterol', 'Cholesterol (total)', ['2093-3'], 'mg/dL', { molarMass: 386.65 }),
  lab('hdl', 'HDL cholesterol', ['2085-9'], 'mg/dL', { molarMass: 386.65 }),
  lab('triglycerides', 'Triglycerides', ['2571-8'], 'mg/dL', { molarMass: 885.7 }),
  lab('urate', 'Uric acid', ['3084-1'], 'mg/dL', { molarMass: 168.11 }),
  lab('hcg', 'hCG (serum)', ['21198-7'], 'm[IU]/mL'),
  // Vital signs
  vital('systolic', 'Systolic BP', ['8480-6'], 'mm[Hg]'),
  vital('diastolic', 'Diastolic BP', ['8462-4'], 'mm[Hg]'),
  vital('heart-rate', 'Heart rate', ['8867-4'], '/min'),
  vital('respiratory-rate', 'Respiratory rate', ['9279-1'], '/min'),
  vital('temperature', 'Temperature', ['8310-5', '8331-1', '8328-7', '8332-9', '8333-7', '8329-5'], 'Cel', { trendDelta: 0.5 }),
  vital('spo2', 'SpO2', ['59408-5', '2708-6', '2710-2', '20564-1'], '%', { trendDelta: 2 }),
  vital('weight', 'Weight', ['29463-7', '3141-9'], 'kg', { trendDelta: 1 }),
  vital('height', 'Height', ['8302-2', '8306-3', '3137-7', '8308-9'], 'cm'),
  vital('bmi', 'BMI', ['39156-5'], 'kg/m2'),
  vital('head-circumference', 'Head circumference', ['9843-4', '8287-5'], 'cm'),
];

const BY_CODE = new Map<string, Analyte>();
const BY_ID = new Map<string, Analyte>();
for (const analyte of ANALYTES) {
  BY_ID.set(analyte.id, analyte);
  for (const code of analyte.codes) BY_CODE.set(code, analyte);
}

export function analyteForCode(loinc: string): Analyte | undefined {
  return BY_CODE.get(loinc);
}

export function analyteById(id: string): Analyte | undefined {
  return BY_ID.get(id);
}

/** Lab codes fetched over the long horizon (eGFR, creatinine, HbA1c, hemoglobin, ferritin, ACR, LDL). */
export const LONG_HORIZON_CODES: readonly string[] = ANALYTES.filter((a) => a.longHorizon).flatMap((a) => a.codes);

export const BLOOD_PRESSURE = {
  /** Panels whose components carry the two pressures. */
  panels: new Set(['85354-9', '55284-4', '35094-2']),
  systolic: '8480-6',
  diastolic: '8462-4',
} as const;

/**
 * Grouping codes EHRs add beside the specific one (Epic puts "Vital signs" 8716-3 on every
 * flowsheet row); never the name of a result.
 */
export const GROUPING_CODES: ReadonlySet<string> = new Set(['8716-3', '85353-1', '29274-8', '34565-2', '85354-9', '55284-4', '35094-2']);
