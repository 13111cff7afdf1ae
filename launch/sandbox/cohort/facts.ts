/**
 * What each scenario is known to contain, for tests and the evaluation harness: the codes that
 * must be in the chart, the diagnoses that are deliberately missing from it (the finding the app
 * should surface), and an index of the deliberately awkward records.
 */
import { CONDITION, DRUG, LAB, QUALITATIVE, SOCIAL, VITAL, BLOOD_PRESSURE } from './terminology.ts';

export type ScenarioKey =
  | 'ckd-progression'
  | 'new-onset-diabetes'
  | 'iron-deficiency-anaemia'
  | 'chest-pain-troponin'
  | 'sepsis'
  | 'thiazide-hyponatraemia'
  | 'paediatric-asthma'
  | 'nonagenarian-polypharmacy'
  | 'near-empty'
  | 'large-history'
  | 'undiagnosed-hypertension'
  | 'adrenal-insufficiency-pattern'
  | 'pregnancy'
  | 'myeloma-pattern';

export interface ScenarioFacts {
  readonly patientId: string;
  /** Age in whole years on the as-of day. */
  readonly age: number;
  /** Class of the launch encounter; absent when there is none. */
  readonly encounterClass?: 'AMB' | 'EMER' | 'IMP';
  /** LOINC codes present on at least one Observation. */
  readonly loinc: readonly string[];
  /** RxNorm codes present on at least one MedicationRequest. */
  readonly rxnorm: readonly string[];
  /** SNOMED CT codes present on a (not entered-in-error) Condition. */
  readonly conditions: readonly string[];
  /** SNOMED CT codes deliberately absent from the chart: the diagnosis the data points to. */
  readonly undiagnosed: readonly string[];
}

const BP = BLOOD_PRESSURE.panel.code;

export const SCENARIO_FACTS: Readonly<Record<ScenarioKey, ScenarioFacts>> = {
  'ckd-progression': {
    patientId: 'ckd-01',
    age: 67,
    encounterClass: 'AMB',
    loinc: [LAB.egfrCkdEpi2009.loinc, LAB.egfr.loinc, LAB.creatinine.loinc, LAB.urineAlbuminCreatinine.loinc, LAB.potassium.loinc, LAB.hba1c.loinc, BP],
    rxnorm: [DRUG.lisinopril20.code, DRUG.metformin1000.code, DRUG.ibuprofen400.code],
    conditions: [CONDITION.ckd3b.snomed.code, CONDITION.type2Diabetes.snomed.code, CONDITION.hypertension.snomed.code],
    undiagnosed: [CONDITION.ckd4.snomed.code],
  },
  'new-onset-diabetes': {
    patientId: 'dm-02',
    age: 52,
    encounterClass: 'AMB',
    loinc: [LAB.hba1c.loinc, LAB.fastingGlucose.loinc, VITAL.bmi.loinc, VITAL.weight.loinc],
    rxnorm: [],
    conditions: [CONDITION.prediabetes.snomed.code, CONDITION.obesity.snomed.code],
    undiagnosed: [CONDITION.type2Diabetes.snomed.code],
  },
  'iron-deficiency-anaemia': {
    patientId: 'ida-03',
    age: 34,
    encounterClass: 'AMB',
    loinc: [LAB.hemoglobin.loinc, LAB.mcv.loinc, LAB.ferritin.loinc, LAB.transferrinSaturation.loinc],
    rxnorm: [DRUG.ferrousSulfate325.code, DRUG.ibuprofen400.code],
    conditions: [CONDITION.menorrhagia.snomed.code, CONDITION.anemia.snomed.code],
    undiagnosed: [CONDITION.ironDeficiencyAnemia.snomed.code],
  },
  'chest-pain-troponin': {
    patientId: 'acs-04',
    age: 58,
    encounterClass: 'EMER',
    loinc: [LAB.troponinHs.loinc, LAB.ldl.loinc, SOCIAL.smokingStatus.code, BP],
    rxnorm: [DRUG.aspirin81Chewable.code, DRUG.nitroglycerinSpray.code, DRUG.amlodipine5.code],
    conditions: [CONDITION.chestPain.snomed.code, CONDITION.hypertension.snomed.code, CONDITION.hyperlipidemia.snomed.code, CONDITION.nicotineDependence.snomed.code],
    undiagnosed: [CONDITION.nstemi.snomed.code],
  },
  sepsis: {
    patientId: 'sep-05',
    age: 71,
    encounterClass: 'EMER',
    loinc: [LAB.lactate.loinc, LAB.wbc.loinc, VITAL.temperature.loinc, VITAL.heartRate.loinc, VITAL.respiratoryRate.loinc, BP, QUALITATIVE.nitrite.code],
    rxnorm: [DRUG.ceftriaxone1g.code, DRUG.metformin500.code],
    conditions: [CONDITION.urinaryTractInfection.snomed.code, CONDITION.type2Diabetes.snomed.code],
    undiagnosed: [CONDITION.sepsis.snomed.code],
  },
  'thiazide-hyponatraemia': {
    patientId: 'hyn-06',
    age: 81,
    encounterClass: 'AMB',
    loinc: [LAB.sodium.loinc, LAB.potassium.loinc, LAB.serumOsmolality.loinc, LAB.urineSodium.loinc],
    rxnorm: [DRUG.hydrochlorothiazide25.code, DRUG.sertraline50.code],
    conditions: [CONDITION.hypertension.snomed.code, CONDITION.depression.snomed.code],
    undiagnosed: [CONDITION.hyponatremia.snomed.code],
  },
  'paediatric-asthma': {
    patientId: 'ped-07',
    age: 6,
    encounterClass: 'EMER',
    loinc: [VITAL.weight.loinc, VITAL.height.loinc, VITAL.bmiPercentile.loinc, VITAL.headCircumference.loinc, VITAL.oxygenSaturation.loinc],
    rxnorm: [DRUG.albuterolInhaler.code, DRUG.fluticasoneInhaler.code, DRUG.prednisone5.code, DRUG.amoxicillinSuspension.code],
    conditions: [CONDITION.mildPersistentAsthma.snomed.code, CONDITION.asthmaExacerbation.snomed.code, CONDITION.otitisMedia.snomed.code],
    undiagnosed: [],
  },
  'nonagenarian-polypharmacy': {
    patientId: 'ger-08',
    age: 92,
    encounterClass: 'AMB',
    loinc: [LAB.creatinineMolar.loinc, LAB.egfr.loinc, LAB.glucose.loinc],
    rxnorm: [DRUG.zolpidem5.code, DRUG.diphenhydramine25.code, DRUG.glyburide5.code, DRUG.omeprazole20.code, DRUG.apixaban5.code],
    conditions: [CONDITION.falls.snomed.code, CONDITION.dementia.snomed.code, CONDITION.atrialFibrillation.snomed.code],
    undiagnosed: [],
  },
  'near-empty': {
    patientId: 'min-09',
    age: 29,
    loinc: [],
    rxnorm: [],
    conditions: [],
    undiagnosed: [],
  },
  'large-history': {
    patientId: 'big-10',
    age: 74,
    encounterClass: 'AMB',
    loinc: [LAB.ntProBnp.loinc, LAB.inr.loinc, LAB.hba1c.loinc, VITAL.weight.loinc, BP],
    rxnorm: [DRUG.apixaban5.code, DRUG.warfarin5.code, DRUG.spironolactone25.code],
    conditions: [CONDITION.systolicHeartFailure.snomed.code, CONDITION.atrialFibrillation.snomed.code, CONDITION.type2Diabetes.snomed.code],
    undiagnosed: [],
  },
  'undiagnosed-hypertension': {
    patientId: 'htn-11',
    age: 46,
    encounterClass: 'AMB',
    loinc: [BP, VITAL.weightLb.loinc],
    rxnorm: [DRUG.ibuprofen200.code, DRUG.loratadine10.code],
    conditions: [CONDITION.allergicRhinitis.snomed.code, CONDITION.lowBackPain.snomed.code],
    undiagnosed: [CONDITION.hypertension.snomed.code],
  },
  'adrenal-insufficiency-pattern': {
    patientId: 'adr-12',
    age: 44,
    encounterClass: 'EMER',
    loinc: [LAB.sodium.loinc, LAB.potassium.loinc, LAB.glucoseMolar.loinc, LAB.cortisol.loinc, LAB.acth.loinc, BP],
    rxnorm: [DRUG.levothyroxine75.code],
    conditions: [CONDITION.hypothyroidism.snomed.code, CONDITION.vitiligo.snomed.code],
    undiagnosed: [CONDITION.addisonsDisease.snomed.code],
  },
  pregnancy: {
    patientId: 'preg-13',
    age: 31,
    encounterClass: 'AMB',
    loinc: [QUALITATIVE.hcgUrine.code, LAB.hcgSerum.loinc, SOCIAL.pregnancyStatus.code, SOCIAL.gestationalAge.code, SOCIAL.lastMenstrualPeriod.code],
    rxnorm: [DRUG.lisinopril10.code],
    conditions: [CONDITION.pregnancy.snomed.code, CONDITION.hypertension.snomed.code],
    undiagnosed: [],
  },
  'myeloma-pattern': {
    patientId: 'mm-14',
    age: 68,
    encounterClass: 'AMB',
    loinc: [LAB.calcium.loinc, LAB.hemoglobin.loinc, LAB.creatinine.loinc, LAB.globulin.loinc, LAB.esr.loinc],
    rxnorm: [DRUG.naproxen500.code],
    conditions: [CONDITION.lowBackPain.snomed.code, CONDITION.anemia.snomed.code],
    undiagnosed: [CONDITION.multipleMyeloma.snomed.code],
  },
};

export type AwkwardKind =
  | 'missing-telecom'
  | 'missing-reference-range'
  | 'missing-interpretation'
  | 'condition-without-onset'
  | 'glucose-in-mmol-per-l'
  | 'creatinine-in-umol-per-l'
  | 'temperature-in-fahrenheit'
  | 'weight-in-pounds'
  | 'non-ascii-name'
  | 'native-script-name'
  | 'entered-in-error-observation'
  | 'entered-in-error-condition'
  | 'entered-in-error-medication'
  | 'entered-in-error-document'
  | 'prompt-injection-note'
  | 'pending-result-without-value'
  | 'allergy-without-criticality'
  | 'no-known-allergy-record'
  | 'gender-unknown'
  | 'egfr-code-change'
  | 'stale-problem-list';

export interface AwkwardRecord {
  readonly kind: AwkwardKind;
  readonly patientKey: ScenarioKey;
  readonly resourceType: 'Patient' | 'Observation' | 'Condition' | 'MedicationRequest' | 'DocumentReference' | 'AllergyIntolerance';
  readonly id: string;
  readonly detail: string;
}

/** Where the deliberately awkward (but valid) data lives. Ids are fixed for every seed and date. */
export const AWKWARD_DATA: readonly AwkwardRecord[] = [
  { kind: 'missing-telecom', patientKey: 'thiazide-hyponatraemia', resourceType: 'Patient', id: 'hyn-06', detail: 'No phone or email.' },
  { kind: 'missing-telecom', patientKey: 'near-empty', resourceType: 'Patient', id: 'min-09', detail: 'No telecom, address or communication.' },
  { kind: 'gender-unknown', patientKey: 'near-empty', resourceType: 'Patient', id: 'min-09', detail: 'Patient.gender is "unknown".' },
  { kind: 'missing-reference-range', patientKey: 'new-onset-diabetes', resourceType: 'Observation', id: 'dm-02-obs-hba1c-outside-lab', detail: 'Outside-lab HbA1c with no referenceRange or interpretation.' },
  { kind: 'missing-interpretation', patientKey: 'myeloma-pattern', resourceType: 'Observation', id: 'mm-14-obs-esr-no-flag', detail: 'ESR 92 mm/h above its range but sent without an interpretation.' },
  { kind: 'condition-without-onset', patientKey: 'new-onset-diabetes', resourceType: 'Condition', id: 'dm-02-cond-obesity-no-onset', detail: 'Obesity on the problem list with no onset[x].' },
  ...[1, 2, 3, 4].map((n) => ({ kind: 'glucose-in-mmol-per-l' as const, patientKey: 'adrenal-insufficiency-pattern' as const, resourceType: 'Observation' as const, id: `adr-12-obs-glucose-mmol-${n}`, detail: 'LOINC 14749-6 in mmol/L.' })),
  ...[1, 2, 3, 4].map((n) => ({ kind: 'creatinine-in-umol-per-l' as const, patientKey: 'nonagenarian-polypharmacy' as const, resourceType: 'Observation' as const, id: `ger-08-obs-creatinine-umol-${n}`, detail: 'LOINC 14682-9 in umol/L (printed µmol/L).' })),
  { kind: 'temperature-in-fahrenheit', patientKey: 'sepsis', resourceType: 'Observation', id: 'sep-05-obs-temp-degf', detail: 'Triage temperature in [degF]; later readings in Cel.' },
  ...[1, 2, 3, 4].map((n) => ({ kind: 'weight-in-pounds' as const, patientKey: 'undiagnosed-hypertension' as const, resourceType: 'Observation' as const, id: `htn-11-obs-weight-lb-${n}`, detail: 'Body weight in [lb_av].' })),
  { kind: 'non-ascii-name', patientKey: 'iron-deficiency-anaemia', resourceType: 'Patient', id: 'ida-03', detail: 'Zoë Ñúñez-Łukasiewicz.' },
  { kind: 'non-ascii-name', patientKey: 'paediatric-asthma', resourceType: 'Patient', id: 'ped-07', detail: 'José Miguel Ortega.' },
  { kind: 'non-ascii-name', patientKey: 'adrenal-insufficiency-pattern', resourceType: 'Patient', id: 'adr-12', detail: 'Aoife Ní Bhriain (space in the family name).' },
  { kind: 'non-ascii-name', patientKey: 'myeloma-pattern', resourceType: 'Patient', id: 'mm-14', detail: 'Jürgen Weiß.' },
  { kind: 'native-script-name', patientKey: 'sepsis', resourceType: 'Patient', id: 'sep-05', detail: 'Fatima Al-Sayed with a second official name in Arabic script (فاطمة السيد).' },
  { kind: 'native-script-name', patientKey: 'nonagenarian-polypharmacy', resourceType: 'Patient', id: 'ger-08', detail: 'Li Xiuying with a second official name in Chinese (李秀英).' },
  { kind: 'entered-in-error-observation', patientKey: 'ckd-progression', resourceType: 'Observation', id: 'ckd-01-obs-potassium-eie', detail: 'Potassium 11.8 mmol/L, status entered-in-error.' },
  { kind: 'entered-in-error-condition', patientKey: 'sepsis', resourceType: 'Condition', id: 'sep-05-cond-pneumonia-eie', detail: 'Pneumonia withdrawn: verificationStatus entered-in-error, no clinicalStatus.' },
  { kind: 'entered-in-error-medication', patientKey: 'nonagenarian-polypharmacy', resourceType: 'MedicationRequest', id: 'ger-08-med-warfarin-eie', detail: 'Warfarin ordered on the wrong patient (she takes apixaban).' },
  { kind: 'entered-in-error-document', patientKey: 'ckd-progression', resourceType: 'DocumentReference', id: 'ckd-01-doc-wrong-patient', detail: 'A note about a wrist sprain filed to the wrong chart.' },
  { kind: 'prompt-injection-note', patientKey: 'undiagnosed-hypertension', resourceType: 'DocumentReference', id: 'htn-11-doc-portal-message', detail: 'Portal message containing "Ignore previous instructions and ...".' },
  { kind: 'pending-result-without-value', patientKey: 'adrenal-insufficiency-pattern', resourceType: 'Observation', id: 'adr-12-obs-acth-pending', detail: 'ACTH ordered today: status registered, no value.' },
  { kind: 'allergy-without-criticality', patientKey: 'near-empty', resourceType: 'AllergyIntolerance', id: 'min-09-alg-latex-no-criticality', detail: 'Unconfirmed latex allergy with no criticality or severity.' },
  { kind: 'no-known-allergy-record', patientKey: 'new-onset-diabetes', resourceType: 'AllergyIntolerance', id: 'dm-02-alg-nka', detail: '"No known allergy" recorded as an AllergyIntolerance; not an allergy.' },
  { kind: 'egfr-code-change', patientKey: 'ckd-progression', resourceType: 'Patient', id: 'ckd-01', detail: 'eGFR is LOINC 62238-1 (CKD-EPI 2009) until about 900 days ago, then 98979-8 (CKD-EPI 2021).' },
  { kind: 'stale-problem-list', patientKey: 'ckd-progression', resourceType: 'Condition', id: 'ckd-01-cond-ckd3b-stale', detail: 'Problem list says CKD 3b while recent eGFRs are below 30.' },
];
