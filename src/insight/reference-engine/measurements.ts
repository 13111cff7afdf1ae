/**
 * The measurements the knowledge base reads, by LOINC code, each in one canonical unit. The chart
 * already normalises most results to these units; converting again here keeps the engine correct
 * for any case summary (one built by another client, or a result the chart left in its own unit).
 */
import { convertUnit } from '../../chart/units.ts';
import type { CaseSeries } from '../types.ts';

export interface MeasurementDefinition {
  readonly id: string;
  readonly display: string;
  readonly codes: readonly string[];
  /** Canonical UCUM unit the rules' thresholds are written in. */
  readonly unit: string;
  /** Unit as a clinician reads it in a sentence. */
  readonly label: string;
  readonly decimals: number;
  readonly molarMass?: number;
  readonly valence?: number;
  /** Values a result sent without a unit must fall in to be read as the canonical unit. */
  readonly plausible?: readonly [number, number];
}

const m = (
  id: string,
  display: string,
  codes: string[],
  unit: string,
  label: string,
  decimals: number,
  extra: Partial<MeasurementDefinition> = {},
): MeasurementDefinition => ({ id, display, codes, unit, label, decimals, ...extra });

export const MEASUREMENTS = [
  // Kidney
  m('egfr', 'eGFR', ['98979-8', '62238-1', '33914-3', '48642-3', '48643-1', '50044-7', '69405-9', '70969-1', '77147-7', '88293-6', '88294-4', '98980-6'], 'mL/min/{1.73_m2}', 'mL/min/1.73 m²', 0, {
    plausible: [2, 200],
  }),
  m('creatinine', 'Creatinine', ['2160-0', '14682-9', '38483-4', '59826-8'], 'mg/dL', 'mg/dL', 2, { molarMass: 113.12, plausible: [0.1, 25] }),
  m('bun', 'Urea nitrogen', ['3094-0', '6299-2'], 'mg/dL', 'mg/dL', 0, { molarMass: 28.014 }),
  m('uacr', 'Urine albumin/creatinine ratio', ['9318-7', '14959-1', '32294-1', '14958-3'], 'mg/g', 'mg/g', 0, { molarMass: 113.12 }),
  // Electrolytes and osmolality
  m('sodium', 'Sodium', ['2951-2', '2947-0'], 'mmol/L', 'mmol/L', 0, { valence: 1, plausible: [90, 190] }),
  m('potassium', 'Potassium', ['2823-3', '6298-4'], 'mmol/L', 'mmol/L', 1, { valence: 1, plausible: [1, 10] }),
  m('bicarbonate', 'Bicarbonate', ['2028-9', '1963-8', '1959-6'], 'mmol/L', 'mmol/L', 0, { valence: 1 }),
  m('calcium', 'Calcium', ['17861-6', '49765-1'], 'mg/dL', 'mg/dL', 1, { molarMass: 40.078, valence: 2, plausible: [4, 18] }),
  m('serum-osmolality', 'Serum osmolality', ['2692-2'], 'mosm/kg', 'mOsm/kg', 0),
  m('urine-osmolality', 'Urine osmolality', ['2695-5'], 'mosm/kg', 'mOsm/kg', 0),
  m('urine-sodium', 'Urine sodium', ['2955-3'], 'mmol/L', 'mmol/L', 0, { valence: 1 }),
  // Diabetes
  m('hba1c', 'HbA1c', ['4548-4', '17856-6', '4549-2', '59261-8'], '%', '%', 1, { plausible: [3, 20] }),
  m('glucose', 'Glucose', ['2345-7', '14749-6', '2339-0', '15074-8', '41653-7'], 'mg/dL', 'mg/dL', 0, { molarMass: 180.156 }),
  m('glucose-fasting', 'Fasting glucose', ['1558-6', '14771-0'], 'mg/dL', 'mg/dL', 0, { molarMass: 180.156 }),
  m('ketones', 'Beta-hydroxybutyrate', ['53060-9'], 'mmol/L', 'mmol/L', 1, { molarMass: 104.1 }),
  // Blood count, iron, vitamins
  m('hemoglobin', 'Haemoglobin', ['718-7', '20509-6'], 'g/dL', 'g/dL', 1, { plausible: [2, 25] }),
  m('mcv', 'MCV', ['787-2', '30428-7'], 'fL', 'fL', 0, { plausible: [50, 140] }),
  m('wbc', 'White cells', ['6690-2', '26464-8'], '10*3/uL', '×10⁹/L', 1),
  m('neutrophils', 'Neutrophils', ['751-8', '26499-4'], '10*3/uL', '×10⁹/L', 1),
  m('platelets', 'Platelets', ['777-3', '26515-7'], '10*3/uL', '×10⁹/L', 0),
  m('ferritin', 'Ferritin', ['2276-4', '20567-4', '24373-3'], 'ng/mL', 'ng/mL', 0),
  m('tsat', 'Transferrin saturation', ['2502-3'], '%', '%', 0, { plausible: [1, 100] }),
  m('b12', 'Vitamin B12', ['2132-9'], 'pg/mL', 'pg/mL', 0, { molarMass: 1355.37 }),
  m('folate', 'Folate', ['2284-8'], 'ng/mL', 'ng/mL', 1, { molarMass: 441.4 }),
  m('mma', 'Methylmalonic acid', ['13964-2'], 'umol/L', 'µmol/L', 2),
  // Heart, inflammation, coagulation
  // Troponin I and T assays have different reference limits, so they are never merged.
  m('troponin-hs-i', 'hs-troponin I', ['89579-7'], 'ng/L', 'ng/L', 0),
  m('troponin-hs-t', 'hs-troponin T', ['67151-1'], 'ng/L', 'ng/L', 0),
  m('troponin-i', 'Troponin I', ['10839-9', '42757-5', '49563-0'], 'ng/mL', 'ng/mL', 3),
  m('troponin-t', 'Troponin T', ['6598-7'], 'ng/mL', 'ng/mL', 3),
  m('ntprobnp', 'NT-proBNP', ['33762-6'], 'pg/mL', 'pg/mL', 0),
  m('bnp', 'BNP', ['30934-4', '42637-9'], 'pg/mL', 'pg/mL', 0),
  m('lactate', 'Lactate', ['2524-7', '32693-4'], 'mmol/L', 'mmol/L', 1, { molarMass: 90.08 }),
  m('crp', 'CRP', ['1988-5', '30522-7'], 'mg/L', 'mg/L', 0),
  m('procalcitonin', 'Procalcitonin', ['33959-8'], 'ng/mL', 'ng/mL', 2),
  m('d-dimer', 'D-dimer', ['48065-7', '48066-5'], 'ng/mL', 'ng/mL', 0),
  m('inr', 'INR', ['6301-6', '34714-6'], '{INR}', '', 1),
  m('esr', 'ESR', ['4537-7', '30341-2'], 'mm/h', 'mm/h', 0),
  // Liver and pancreas
  m('alt', 'ALT', ['1742-6', '1743-4'], 'U/L', 'U/L', 0),
  m('ast', 'AST', ['1920-8', '30239-8'], 'U/L', 'U/L', 0),
  m('alp', 'Alkaline phosphatase', ['6768-6'], 'U/L', 'U/L', 0),
  m('bilirubin', 'Bilirubin', ['1975-2', '14631-6', '42719-5'], 'mg/dL', 'mg/dL', 1, { molarMass: 584.66 }),
  m('albumin', 'Albumin', ['1751-7', '61151-7', '61152-5'], 'g/dL', 'g/dL', 1),
  m('protein', 'Total protein', ['2885-2'], 'g/dL', 'g/dL', 1),
  m('globulin', 'Globulin', ['10834-0'], 'g/dL', 'g/dL', 1),
  m('lipase', 'Lipase', ['3040-3'], 'U/L', 'U/L', 0),
  // Endocrine, lipids, urate, pregnancy
  m('tsh', 'TSH', ['3016-3', '11580-8'], 'm[IU]/L', 'mIU/L', 2),
  m('free-t4', 'Free T4', ['3024-7'], 'ng/dL', 'ng/dL', 2),
  m('cortisol', 'Cortisol', ['2143-6'], 'ug/dL', 'µg/dL', 1, { molarMass: 362.46 }),
  m('acth', 'ACTH', ['2141-0'], 'pg/mL', 'pg/mL', 0),
  m('pth', 'PTH', ['2731-8'], 'pg/mL', 'pg/mL', 0),
  m('ldl', 'LDL cholesterol', ['13457-7', '18262-6', '2089-1', '22748-8'], 'mg/dL', 'mg/dL', 0, { molarMass: 386.65 }),
  m('urate', 'Uric acid', ['3084-1'], 'mg/dL', 'mg/dL', 1, { molarMass: 168.11 }),
  m('hcg', 'hCG', ['21198-7', '19080-1'], 'm[IU]/mL', 'mIU/mL', 0),
  m('phq9', 'PHQ-9 score', ['44261-6'], '{score}', '', 0, { plausible: [0, 27] }),
  // Vital signs
  m('systolic', 'Systolic BP', ['8480-6'], 'mm[Hg]', 'mmHg', 0, { plausible: [40, 300] }),
  m('diastolic', 'Diastolic BP', ['8462-4'], 'mm[Hg]', 'mmHg', 0, { plausible: [20, 200] }),
  m('heart-rate', 'Heart rate', ['8867-4'], '/min', '/min', 0, { plausible: [20, 260] }),
  m('respiratory-rate', 'Respiratory rate', ['9279-1'], '/min', '/min', 0, { plausible: [4, 90] }),
  m('temperature', 'Temperature', ['8310-5', '8331-1', '8328-7', '8332-9', '8333-7', '8329-5'], 'Cel', '°C', 1, { plausible: [30, 44] }),
  m('spo2', 'SpO2', ['59408-5', '2708-6', '2710-2', '20564-1'], '%', '%', 0, { plausible: [40, 100] }),
  m('weight', 'Weight', ['29463-7', '3141-9'], 'kg', 'kg', 1),
  m('bmi', 'BMI', ['39156-5'], 'kg/m2', 'kg/m²', 1, { plausible: [8, 90] }),
  m('gestational-age', 'Gestational age', ['49051-6', '11884-4', '18185-9'], 'wk', 'weeks', 1, { plausible: [0, 45] }),
] as const satisfies readonly MeasurementDefinition[];

export type MeasurementId = (typeof MEASUREMENTS)[number]['id'];

const BY_CODE = new Map<string, MeasurementDefinition>();
const BY_ID = new Map<string, MeasurementDefinition>();
for (const def of MEASUREMENTS as readonly MeasurementDefinition[]) {
  BY_ID.set(def.id, def);
  for (const code of def.codes) BY_CODE.set(code, def);
}

export function measurementForCode(loinc: string): MeasurementDefinition | undefined {
  return BY_CODE.get(loinc);
}

export function measurementById(id: MeasurementId): MeasurementDefinition {
  const def = BY_ID.get(id);
  if (!def) throw new Error(`unknown measurement ${id}`);
  return def;
}

/** HbA1c reported in IFCC mmol/mol converts to NGSP % by the master equation, not by a factor. */
function ifccToNgsp(mmolPerMol: number): number {
  return 0.09148 * mmolPerMol + 2.152;
}

/**
 * A function converting the series' values into the measurement's canonical unit, or undefined
 * when the unit is unknown or measures something else (the series is then not read at all: a
 * threshold applied to the wrong unit is worse than no rule).
 */
export function converterFor(def: MeasurementDefinition, series: CaseSeries): ((value: number) => number) | undefined {
  const unit = series.unit?.trim();
  if (!unit) {
    const range = def.plausible;
    if (!range) return undefined;
    // Temperatures without a unit: a value above 50 can only be Fahrenheit.
    if (def.id === 'temperature' && series.points.every((p) => p.value > 86 && p.value < 112)) {
      return (v) => ((v - 32) * 5) / 9;
    }
    return series.points.every((p) => p.value >= range[0] && p.value <= range[1]) ? (v) => v : undefined;
  }
  if (unit === def.unit) return (v) => v;
  if (def.id === 'hba1c' && /^mmol\/mol$/i.test(unit)) return ifccToNgsp;
  const analyte = { ...(def.molarMass !== undefined ? { molarMass: def.molarMass } : {}), ...(def.valence !== undefined ? { valence: def.valence } : {}) };
  if (convertUnit(1, unit, def.unit, analyte) === undefined) return undefined;
  return (v) => convertUnit(v, unit, def.unit, analyte) ?? Number.NaN;
}
