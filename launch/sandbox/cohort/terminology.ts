/**
 * The codes the cohort speaks: LOINC tests with their UCUM units and adult reference ranges,
 * conditions coded in both SNOMED CT and ICD-10-CM, RxNorm clinical drugs, allergy substances.
 * Ranges are typical US laboratory ranges; they only need to be plausible and self-consistent.
 */
import type { CodeableConcept, Coding } from 'fhir/r4';

export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  mrn: 'http://hospital.example.org/mrn',
  bcp47: 'urn:ietf:bcp:47',
  ombRace: 'urn:oid:2.16.840.1.113883.6.238',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  medicationRequestCategory: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
  diagnosticServiceSection: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  degree: 'http://terminology.hl7.org/CodeSystem/v2-0360',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  documentCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  usCoreRace: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
  usCoreEthnicity: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
  usCoreBirthSex: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
  language: 'http://hl7.org/fhir/StructureDefinition/language',
} as const;

export interface Code {
  readonly code: string;
  readonly display: string;
}

// ---------------------------------------------------------------------------------------------
// Laboratory tests

export interface LabTest {
  readonly loinc: string;
  readonly display: string;
  /** Printed unit (may differ from the UCUM code, e.g. µmol/L vs umol/L). */
  readonly unit: string;
  readonly ucum: string;
  readonly decimals: number;
  readonly low?: number;
  readonly high?: number;
  /** Female range where it differs. */
  readonly female?: { readonly low?: number; readonly high?: number };
}

function lab(loinc: string, display: string, ucum: string, decimals: number, low?: number, high?: number, extra: Partial<LabTest> = {}): LabTest {
  return { loinc, display, unit: ucum, ucum, decimals, ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}), ...extra };
}

export const LAB = {
  sodium: lab('2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 0, 135, 145),
  potassium: lab('2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 1, 3.5, 5.1),
  chloride: lab('2075-0', 'Chloride [Moles/volume] in Serum or Plasma', 'mmol/L', 0, 98, 107),
  bicarbonate: lab('2028-9', 'Carbon dioxide, total [Moles/volume] in Serum or Plasma', 'mmol/L', 0, 22, 29),
  urea: lab('3094-0', 'Urea nitrogen [Mass/volume] in Serum or Plasma', 'mg/dL', 0, 7, 20),
  creatinine: lab('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 2, 0.74, 1.35, { female: { low: 0.59, high: 1.04 } }),
  creatinineMolar: lab('14682-9', 'Creatinine [Moles/volume] in Serum or Plasma', 'umol/L', 0, 65, 119, {
    unit: 'µmol/L',
    female: { low: 52, high: 92 },
  }),
  glucose: lab('2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 0, 70, 99),
  glucoseMolar: lab('14749-6', 'Glucose [Moles/volume] in Serum or Plasma', 'mmol/L', 1, 3.9, 5.5),
  fastingGlucose: lab('1558-6', 'Fasting glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 0, 70, 99),
  calcium: lab('17861-6', 'Calcium [Mass/volume] in Serum or Plasma', 'mg/dL', 1, 8.6, 10.3),
  protein: lab('2885-2', 'Protein [Mass/volume] in Serum or Plasma', 'g/dL', 1, 6.0, 8.3),
  albumin: lab('1751-7', 'Albumin [Mass/volume] in Serum or Plasma', 'g/dL', 1, 3.5, 5.0),
  globulin: lab('10834-0', 'Globulin [Mass/volume] in Serum by calculation', 'g/dL', 1, 2.0, 3.5),
  alt: lab('1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', 0, 7, 56),
  ast: lab('1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', 0, 10, 40),
  alkalinePhosphatase: lab('6768-6', 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma', 'U/L', 0, 44, 147),
  bilirubin: lab('1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma', 'mg/dL', 1, 0.1, 1.2),
  egfrMdrd: lab('33914-3', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)', 'mL/min/{1.73_m2}', 0, 60),
  egfrCkdEpi2009: lab('62238-1', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)', 'mL/min/{1.73_m2}', 0, 60, undefined, { unit: 'mL/min/1.73m2' }),
  egfr: lab('98979-8', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)', 'mL/min/{1.73_m2}', 0, 60, undefined, { unit: 'mL/min/1.73m2' }),
  urineAlbuminCreatinine: lab('9318-7', 'Albumin/Creatinine [Mass Ratio] in Urine', 'mg/g', 0, undefined, 30),
  hba1c: lab('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 1, 4.0, 5.6),
  hemoglobin: lab('718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 1, 13.2, 16.6, { female: { low: 11.6, high: 15.0 } }),
  hematocrit: lab('4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', '%', 1, 38.3, 48.6, { female: { low: 35.5, high: 44.9 } }),
  mcv: lab('787-2', 'MCV [Entitic volume] by Automated count', 'fL', 0, 80, 100),
  mch: lab('785-6', 'MCH [Entitic mass] by Automated count', 'pg', 1, 27, 33),
  rdw: lab('788-0', 'Erythrocyte distribution width [Ratio] by Automated count', '%', 1, 11.5, 14.5),
  wbc: lab('6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 1, 4.0, 11.0),
  neutrophils: lab('751-8', 'Neutrophils [#/volume] in Blood by Automated count', '10*3/uL', 1, 1.8, 7.7),
  platelets: lab('777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 0, 150, 400),
  ferritin: lab('2276-4', 'Ferritin [Mass/volume] in Serum or Plasma', 'ng/mL', 0, 24, 336, { female: { low: 11, high: 307 } }),
  iron: lab('2498-4', 'Iron [Mass/volume] in Serum or Plasma', 'ug/dL', 0, 60, 170, { unit: 'µg/dL' }),
  transferrinSaturation: lab('2502-3', 'Iron saturation [Mass Fraction] in Serum or Plasma', '%', 0, 20, 50),
  troponinHs: lab('89579-7', 'Troponin I.cardiac [Mass/volume] in Serum or Plasma by High sensitivity method', 'ng/L', 0, undefined, 34, { female: { high: 16 } }),
  lactate: lab('2524-7', 'Lactate [Moles/volume] in Serum or Plasma', 'mmol/L', 1, 0.5, 2.0),
  crp: lab('1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', 'mg/L', 0, undefined, 10),
  procalcitonin: lab('33959-8', 'Procalcitonin [Mass/volume] in Serum or Plasma', 'ng/mL', 2, undefined, 0.5),
  serumOsmolality: lab('2692-2', 'Osmolality of Serum or Plasma', 'mosm/kg', 0, 275, 295, { unit: 'mOsm/kg' }),
  urineOsmolality: lab('2695-5', 'Osmolality of Urine', 'mosm/kg', 0, 50, 1200, { unit: 'mOsm/kg' }),
  urineSodium: lab('2955-3', 'Sodium [Moles/volume] in Urine', 'mmol/L', 0),
  tsh: lab('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma', 'm[IU]/L', 2, 0.45, 4.5, { unit: 'mIU/L' }),
  cortisol: lab('2143-6', 'Cortisol [Mass/volume] in Serum or Plasma', 'ug/dL', 1, 6.2, 19.4, { unit: 'µg/dL' }),
  acth: lab('2141-0', 'Corticotropin [Mass/volume] in Plasma', 'pg/mL', 0, 7.2, 63.3),
  ntProBnp: lab('33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma', 'pg/mL', 0, undefined, 450),
  inr: lab('6301-6', 'INR in Platelet poor plasma by Coagulation assay', '{INR}', 1, 0.9, 1.1, { unit: 'INR' }),
  esr: lab('4537-7', 'Erythrocyte sedimentation rate by Westergren method', 'mm/h', 0, 0, 20),
  cholesterol: lab('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 0, undefined, 200),
  hdl: lab('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 0, 40),
  ldl: lab('13457-7', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', 'mg/dL', 0, undefined, 100),
  triglycerides: lab('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', 0, undefined, 150),
  hcgSerum: lab('21198-7', 'Choriogonadotropin.beta subunit [Units/volume] in Serum or Plasma', 'm[IU]/mL', 0, undefined, 5, { unit: 'mIU/mL' }),
} as const satisfies Record<string, LabTest>;

/** Qualitative tests answered with a coded result. */
export const QUALITATIVE = {
  hcgUrine: { code: '2106-3', display: 'Choriogonadotropin (pregnancy test) [Presence] in Urine' },
  leukocyteEsterase: { code: '5799-2', display: 'Leukocyte esterase [Presence] in Urine by Test strip' },
  nitrite: { code: '5802-4', display: 'Nitrite [Presence] in Urine by Test strip' },
} as const satisfies Record<string, Code>;

export const RESULT = {
  positive: { code: '10828004', display: 'Positive' },
  negative: { code: '260385009', display: 'Negative' },
} as const satisfies Record<string, Code>;

export const PANEL = {
  cmp: { code: '24323-8', display: 'Comprehensive metabolic 2000 panel - Serum or Plasma' },
  bmp: { code: '51990-0', display: 'Basic metabolic panel - Blood' },
  cbc: { code: '58410-2', display: 'CBC panel - Blood by Automated count' },
  lipids: { code: '24331-1', display: 'Lipid 1996 panel - Serum or Plasma' },
  urinalysis: { code: '24356-8', display: 'Urinalysis complete panel - Urine' },
} as const satisfies Record<string, Code>;

// ---------------------------------------------------------------------------------------------
// Vital signs and other observations

export interface VitalSign {
  /** The primary LOINC code (first of `codes`). */
  readonly loinc: string;
  readonly codes: readonly Code[];
  readonly unit: string;
  readonly ucum: string;
  readonly decimals: number;
}

function vital(code: string, display: string, ucum: string, decimals: number, unit = ucum): VitalSign {
  return { loinc: code, codes: [{ code, display }], unit, ucum, decimals };
}

export const VITAL = {
  heartRate: vital('8867-4', 'Heart rate', '/min', 0, 'beats/minute'),
  respiratoryRate: vital('9279-1', 'Respiratory rate', '/min', 0, 'breaths/minute'),
  temperature: vital('8310-5', 'Body temperature', 'Cel', 1, '°C'),
  temperatureF: vital('8310-5', 'Body temperature', '[degF]', 1, '°F'),
  oxygenSaturation: {
    loinc: '59408-5',
    codes: [
      { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
      { code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
    ],
    unit: '%',
    ucum: '%',
    decimals: 0,
  },
  weight: vital('29463-7', 'Body weight', 'kg', 1),
  weightLb: vital('29463-7', 'Body weight', '[lb_av]', 1, 'lb'),
  height: vital('8302-2', 'Body height', 'cm', 1),
  bmi: vital('39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 1),
  bmiPercentile: vital('59576-9', 'Body mass index (BMI) [Percentile] Per age and sex', '%', 0),
  headCircumference: vital('9843-4', 'Head Occipital-frontal circumference', 'cm', 1),
} as const satisfies Record<string, VitalSign>;

export const BLOOD_PRESSURE = {
  panel: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { code: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure' },
} as const satisfies Record<string, Code>;

export const SOCIAL = {
  smokingStatus: { code: '72166-2', display: 'Tobacco smoking status' },
  pregnancyStatus: { code: '82810-3', display: 'Pregnancy status' },
  lastMenstrualPeriod: { code: '8665-2', display: 'Last menstrual period start date' },
  gestationalAge: { code: '49051-6', display: 'Gestational age in weeks' },
} as const satisfies Record<string, Code>;

export const FINDING = {
  smokesDaily: { code: '449868002', display: 'Smokes tobacco daily' },
  exSmoker: { code: '8517006', display: 'Ex-smoker' },
  neverSmoked: { code: '266919005', display: 'Never smoked tobacco' },
  pregnant: { code: '77386006', display: 'Pregnant' },
} as const satisfies Record<string, Code>;

// ---------------------------------------------------------------------------------------------
// Conditions: SNOMED CT concept with its ICD-10-CM billing code

export interface ConditionCode {
  readonly snomed: Code;
  readonly icd10: Code;
}

function cond(snomed: string, snomedDisplay: string, icd10: string, icd10Display: string): ConditionCode {
  return { snomed: { code: snomed, display: snomedDisplay }, icd10: { code: icd10, display: icd10Display } };
}

export const CONDITION = {
  hypertension: cond('59621000', 'Essential hypertension', 'I10', 'Essential (primary) hypertension'),
  type2Diabetes: cond('44054006', 'Diabetes mellitus type 2', 'E11.9', 'Type 2 diabetes mellitus without complications'),
  diabeticCkd: cond('771000119108', 'Chronic kidney disease due to type 2 diabetes mellitus', 'E11.22', 'Type 2 diabetes mellitus with diabetic chronic kidney disease'),
  ckd3a: cond('700378005', 'Chronic kidney disease stage 3A', 'N18.31', 'Chronic kidney disease, stage 3a'),
  ckd3b: cond('700379002', 'Chronic kidney disease stage 3B', 'N18.32', 'Chronic kidney disease, stage 3b'),
  ckd4: cond('431857002', 'Chronic kidney disease stage 4', 'N18.4', 'Chronic kidney disease, stage 4 (severe)'),
  prediabetes: cond('714628002', 'Prediabetes', 'R73.03', 'Prediabetes'),
  obesity: cond('414916001', 'Obesity', 'E66.9', 'Obesity, unspecified'),
  hyperlipidemia: cond('55822004', 'Hyperlipidemia', 'E78.5', 'Hyperlipidemia, unspecified'),
  kneeOsteoarthritis: cond('239873007', 'Osteoarthritis of knee', 'M17.9', 'Osteoarthritis of knee, unspecified'),
  osteoarthritis: cond('396275006', 'Osteoarthritis', 'M19.90', 'Unspecified osteoarthritis, unspecified site'),
  ironDeficiencyAnemia: cond('87522002', 'Iron deficiency anemia', 'D50.0', 'Iron deficiency anemia secondary to blood loss (chronic)'),
  anemia: cond('271737000', 'Anemia', 'D64.9', 'Anemia, unspecified'),
  menorrhagia: cond('386692008', 'Menorrhagia', 'N92.0', 'Excessive and frequent menstruation with regular cycle'),
  chestPain: cond('29857009', 'Chest pain', 'R07.9', 'Chest pain, unspecified'),
  nstemi: cond('401314000', 'Acute non-ST segment elevation myocardial infarction', 'I21.4', 'Non-ST elevation (NSTEMI) myocardial infarction'),
  nicotineDependence: cond('56294008', 'Nicotine dependence', 'F17.210', 'Nicotine dependence, cigarettes, uncomplicated'),
  sepsis: cond('91302008', 'Sepsis', 'A41.9', 'Sepsis, unspecified organism'),
  urinaryTractInfection: cond('68566005', 'Urinary tract infectious disease', 'N39.0', 'Urinary tract infection, site not specified'),
  recurrentUti: cond('197927001', 'Recurrent urinary tract infection', 'N39.0', 'Urinary tract infection, site not specified'),
  pneumonia: cond('233604007', 'Pneumonia', 'J18.9', 'Pneumonia, unspecified organism'),
  hyponatremia: cond('89627008', 'Hyponatremia', 'E87.1', 'Hypo-osmolality and hyponatremia'),
  depression: cond('370143000', 'Major depressive disorder', 'F32.9', 'Major depressive disorder, single episode, unspecified'),
  osteoporosis: cond('64859006', 'Osteoporosis', 'M81.0', 'Age-related osteoporosis without current pathological fracture'),
  mildPersistentAsthma: cond('426979002', 'Mild persistent asthma', 'J45.30', 'Mild persistent asthma, uncomplicated'),
  asthmaExacerbation: cond('281239006', 'Exacerbation of asthma', 'J45.901', 'Unspecified asthma with (acute) exacerbation'),
  otitisMedia: cond('65363002', 'Otitis media', 'H66.90', 'Otitis media, unspecified, unspecified ear'),
  atrialFibrillation: cond('49436004', 'Atrial fibrillation', 'I48.91', 'Unspecified atrial fibrillation'),
  heartFailure: cond('84114007', 'Heart failure', 'I50.9', 'Heart failure, unspecified'),
  systolicHeartFailure: cond('441481004', 'Chronic systolic heart failure', 'I50.22', 'Chronic systolic (congestive) heart failure'),
  dementia: cond('52448006', 'Dementia', 'F03.90', 'Unspecified dementia without behavioral disturbance'),
  insomnia: cond('193462001', 'Insomnia', 'G47.00', 'Insomnia, unspecified'),
  falls: cond('161898004', 'Falls', 'R29.6', 'Repeated falls'),
  hypothyroidism: cond('40930008', 'Hypothyroidism', 'E03.9', 'Hypothyroidism, unspecified'),
  vitiligo: cond('56727007', 'Vitiligo', 'L80', 'Vitiligo'),
  fatigue: cond('84229001', 'Fatigue', 'R53.83', 'Other fatigue'),
  weightLoss: cond('89362005', 'Weight loss', 'R63.4', 'Abnormal weight loss'),
  dehydration: cond('34095006', 'Dehydration', 'E86.0', 'Dehydration'),
  addisonsDisease: cond('363732003', "Addison's disease", 'E27.1', 'Primary adrenocortical insufficiency'),
  pregnancy: cond('77386006', 'Pregnancy', 'Z33.1', 'Pregnant state, incidental'),
  lowBackPain: cond('279039007', 'Low back pain', 'M54.50', 'Low back pain, unspecified'),
  multipleMyeloma: cond('109989006', 'Multiple myeloma', 'C90.00', 'Multiple myeloma not having achieved remission'),
  allergicRhinitis: cond('367498001', 'Seasonal allergic rhinitis', 'J30.2', 'Other seasonal allergic rhinitis'),
} as const satisfies Record<string, ConditionCode>;

export const ICD10_ONLY = {
  thiazideAdverseEffect: { code: 'T50.2X5A', display: 'Adverse effect of carbonic-anhydrase inhibitors, benzothiadiazides and other diuretics, initial encounter' },
  preexistingHypertensionInPregnancy: { code: 'O10.011', display: 'Pre-existing essential hypertension complicating pregnancy, first trimester' },
} as const satisfies Record<string, Code>;

// ---------------------------------------------------------------------------------------------
// Medications (RxNorm semantic clinical drugs)

export const DRUG = {
  lisinopril10: { code: '314076', display: 'lisinopril 10 MG Oral Tablet' },
  lisinopril20: { code: '314077', display: 'lisinopril 20 MG Oral Tablet' },
  metformin500: { code: '861007', display: 'metformin hydrochloride 500 MG Oral Tablet' },
  metformin1000: { code: '861004', display: 'metformin hydrochloride 1000 MG Oral Tablet' },
  ibuprofen200: { code: '310965', display: 'ibuprofen 200 MG Oral Tablet' },
  ibuprofen400: { code: '197805', display: 'ibuprofen 400 MG Oral Tablet' },
  naproxen500: { code: '198014', display: 'naproxen 500 MG Oral Tablet' },
  atorvastatin40: { code: '617311', display: 'atorvastatin 40 MG Oral Tablet' },
  amlodipine5: { code: '197361', display: 'amlodipine 5 MG Oral Tablet' },
  hydrochlorothiazide25: { code: '310798', display: 'hydrochlorothiazide 25 MG Oral Tablet' },
  ferrousSulfate325: { code: '310325', display: 'ferrous sulfate 325 MG Oral Tablet' },
  aspirin81Chewable: { code: '243670', display: 'aspirin 81 MG Chewable Tablet' },
  nitroglycerinSpray: { code: '705129', display: 'nitroglycerin 0.4 MG/ACTUAT Mucosal Spray' },
  ceftriaxone1g: { code: '1665021', display: 'ceftriaxone 1000 MG Injection' },
  acetaminophen500: { code: '198440', display: 'acetaminophen 500 MG Oral Tablet' },
  albuterolInhaler: { code: '745679', display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler' },
  fluticasoneInhaler: { code: '895996', display: '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler [Flovent]' },
  prednisone5: { code: '312617', display: 'prednisone 5 MG Oral Tablet' },
  amoxicillinSuspension: { code: '308189', display: 'amoxicillin 80 MG/ML Oral Suspension' },
  apixaban5: { code: '1364445', display: 'apixaban 5 MG Oral Tablet' },
  warfarin5: { code: '855332', display: 'warfarin sodium 5 MG Oral Tablet' },
  furosemide40: { code: '313988', display: 'furosemide 40 MG Oral Tablet' },
  metoprololTartrate25: { code: '866924', display: 'metoprolol tartrate 25 MG Oral Tablet' },
  metoprololSuccinate25: { code: '866427', display: '24 HR metoprolol succinate 25 MG Extended Release Oral Tablet' },
  spironolactone25: { code: '313096', display: 'spironolactone 25 MG Oral Tablet' },
  donepezil10: { code: '997223', display: 'donepezil hydrochloride 10 MG Oral Tablet' },
  omeprazole20: { code: '402014', display: 'omeprazole 20 MG Delayed Release Oral Tablet' },
  zolpidem5: { code: '854876', display: 'zolpidem tartrate 5 MG Oral Tablet' },
  diphenhydramine25: { code: '1049630', display: 'diphenhydramine hydrochloride 25 MG Oral Tablet' },
  glyburide5: { code: '310537', display: 'glyburide 5 MG Oral Tablet' },
  sertraline50: { code: '312941', display: 'sertraline 50 MG Oral Tablet' },
  alendronate10: { code: '904419', display: 'alendronic acid 10 MG Oral Tablet' },
  diazepam5: { code: '197591', display: 'diazepam 5 MG Oral Tablet' },
  levothyroxine75: { code: '966247', display: 'levothyroxine sodium 0.075 MG Oral Tablet' },
  loratadine10: { code: '311372', display: 'loratadine 10 MG Oral Tablet' },
} as const satisfies Record<string, Code>;

// ---------------------------------------------------------------------------------------------
// Allergies and reactions (SNOMED CT)

export interface Allergen extends Code {
  readonly system: string;
}

export const ALLERGEN = {
  penicillin: { system: SYSTEM.snomed, code: '91936005', display: 'Allergy to penicillin' },
  peanut: { system: SYSTEM.snomed, code: '256349002', display: 'Peanut - dietary (substance)' },
  latex: { system: SYSTEM.snomed, code: '111088007', display: 'Latex (substance)' },
  codeine: { system: SYSTEM.rxnorm, code: '2670', display: 'codeine' },
  sulfamethoxazole: { system: SYSTEM.rxnorm, code: '10831', display: 'sulfamethoxazole' },
  /** A recorded absence of allergies: a record the app must not list as an allergy. */
  noKnownAllergy: { system: SYSTEM.snomed, code: '716186003', display: 'No known allergy' },
} as const satisfies Record<string, Allergen>;

export const REACTION = {
  urticaria: { code: '126485001', display: 'Urticaria' },
  rash: { code: '271807003', display: 'Eruption of skin' },
  angioedema: { code: '41291007', display: 'Angioedema' },
  nausea: { code: '422587007', display: 'Nausea' },
  anaphylaxis: { code: '39579001', display: 'Anaphylaxis' },
} as const satisfies Record<string, Code>;

// ---------------------------------------------------------------------------------------------
// Encounters and notes

export const ENCOUNTER_TYPE = {
  checkUp: { code: '185349003', display: 'Encounter for check up' },
  followUp: { code: '390906007', display: 'Follow-up encounter' },
  symptom: { code: '185345009', display: 'Encounter for symptom' },
  emergency: { code: '50849002', display: 'Emergency room admission' },
  admission: { code: '32485007', display: 'Hospital admission' },
  prenatal: { code: '424441002', display: 'Prenatal initial visit' },
} as const satisfies Record<string, Code>;

export const NOTE_TYPE = {
  progress: { code: '11506-3', display: 'Progress note' },
  historyAndPhysical: { code: '34117-2', display: 'History and physical note' },
  consult: { code: '11488-4', display: 'Consult note' },
  discharge: { code: '18842-5', display: 'Discharge summary' },
  emergency: { code: '34111-5', display: 'Emergency department Note' },
  imaging: { code: '18748-4', display: 'Diagnostic imaging study' },
} as const satisfies Record<string, Code>;

// ---------------------------------------------------------------------------------------------

export function coding(system: string, code: Code): Coding {
  return { system, code: code.code, display: code.display };
}

export function concept(system: string, code: Code, text: string = code.display): CodeableConcept {
  return { coding: [coding(system, code)], text };
}

export function conditionConcept(c: ConditionCode): CodeableConcept {
  return { coding: [coding(SYSTEM.snomed, c.snomed), coding(SYSTEM.icd10cm, c.icd10)], text: c.snomed.display };
}

// ---------------------------------------------------------------------------------------------
// Demographics (BCP 47 languages; OMB race and ethnicity categories, CDC code system)

export const LANGUAGE = {
  english: { code: 'en-US', display: 'English (United States)' },
  spanish: { code: 'es', display: 'Spanish' },
  chinese: { code: 'zh', display: 'Chinese' },
  arabic: { code: 'ar', display: 'Arabic' },
} as const satisfies Record<string, Code>;

export const RACE = {
  white: { code: '2106-3', display: 'White' },
  black: { code: '2054-5', display: 'Black or African American' },
  asian: { code: '2028-9', display: 'Asian' },
  nativeAmerican: { code: '1002-5', display: 'American Indian or Alaska Native' },
  pacificIslander: { code: '2076-8', display: 'Native Hawaiian or Other Pacific Islander' },
} as const satisfies Record<string, Code>;

export const ETHNICITY = {
  hispanic: { code: '2135-2', display: 'Hispanic or Latino' },
  notHispanic: { code: '2186-5', display: 'Not Hispanic or Latino' },
} as const satisfies Record<string, Code>;
