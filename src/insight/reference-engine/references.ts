/**
 * The guideline references the reference engine may cite, exactly as they are recorded in the
 * project's checked reference list (shared/references/guidelines.md). An identifier that list
 * leaves blank stays null here; entries it marks unverified or single-sourced (†) are not used.
 * Each condition pairs a reference with its own paraphrase of the recommendation it relies on.
 */
import type { ModelCitation } from '../types.ts';

export type Reference = Omit<ModelCitation, 'quote'>;

const ref = (title: string, source: string, year: number, doi: string | null, pmid: string | null, url: string | null): Reference => ({
  title,
  source,
  year,
  url: url ?? (doi ? `https://doi.org/${doi}` : null),
  doi,
  pmid,
});

export const REFERENCES = {
  kdigoCkd2024: ref('KDIGO 2024 Clinical Practice Guideline for the Evaluation and Management of Chronic Kidney Disease', 'Kidney International', 2024, '10.1016/j.kint.2023.10.018', '38490803', null),
  kdigoAki2012: ref('KDIGO Clinical Practice Guideline for Acute Kidney Injury', 'Kidney International Supplements', 2012, '10.1038/kisup.2012.1', null, null),
  kdigoDiabetesCkd2022: ref('KDIGO 2022 Clinical Practice Guideline for Diabetes Management in Chronic Kidney Disease', 'Kidney International', 2022, '10.1016/j.kint.2022.06.008', '36272764', null),
  kdigoPotassium2020: ref(
    'Potassium homeostasis and management of dyskalemia in kidney diseases: conclusions from a KDIGO Controversies Conference',
    'Kidney International',
    2020,
    '10.1016/j.kint.2019.09.018',
    '31706619',
    null,
  ),
  ckdEpi2021: ref('New Creatinine- and Cystatin C-Based Equations to Estimate GFR without Race', 'New England Journal of Medicine', 2021, '10.1056/NEJMoa2102953', '34554658', null),
  fdaMetformin2016: ref(
    'FDA Drug Safety Communication: FDA revises warnings regarding use of the diabetes medicine metformin in certain patients with reduced kidney function',
    'U.S. Food and Drug Administration',
    2016,
    null,
    null,
    'http://www.fda.gov/Drugs/DrugSafety/ucm493244.htm',
  ),
  adaDiagnosis2026: ref('2. Diagnosis and Classification of Diabetes: Standards of Care in Diabetes—2026', 'Diabetes Care (American Diabetes Association)', 2026, '10.2337/dc26-S002', '41358893', null),
  adaDiagnosis2025: ref('2. Diagnosis and Classification of Diabetes: Standards of Care in Diabetes—2025', 'Diabetes Care (American Diabetes Association)', 2025, '10.2337/dc25-S002', null, null),
  adaPharmacology2026: ref('9. Pharmacologic Approaches to Glycemic Treatment: Standards of Care in Diabetes—2026', 'Diabetes Care (American Diabetes Association)', 2026, '10.2337/dc26-S009', null, null),
  hyperglycemicCrises2024: ref('Hyperglycemic Crises in Adults With Diabetes: A Consensus Report', 'Diabetes Care', 2024, '10.2337/dci24-0032', '39052901', null),
  hypertension2017: ref(
    '2017 ACC/AHA/AAPA/ABC/ACPM/AGS/APhA/ASH/ASPC/NMA/PCNA Guideline for the Prevention, Detection, Evaluation, and Management of High Blood Pressure in Adults',
    'Journal of the American College of Cardiology',
    2018,
    '10.1016/j.jacc.2017.11.006',
    '29146535',
    null,
  ),
  hypertension2025: ref(
    '2025 AHA/ACC/AANP/AAPA/ABC/ACCP/ACPM/AGS/AMA/ASPC/NMA/PCNA/SGIM Guideline for the Prevention, Detection, Evaluation and Management of High Blood Pressure in Adults',
    'Journal of the American College of Cardiology',
    2025,
    '10.1016/j.jacc.2025.05.007',
    '40815242',
    null,
  ),
  chestPain2021: ref('2021 AHA/ACC/ASE/CHEST/SAEM/SCCT/SCMR Guideline for the Evaluation and Diagnosis of Chest Pain', 'Circulation', 2021, '10.1161/CIR.0000000000001029', '34709879', null),
  acs2025: ref('2025 ACC/AHA/ACEP/NAEMSP/SCAI Guideline for the Management of Patients With Acute Coronary Syndromes', 'Circulation', 2025, '10.1161/CIR.0000000000001309', '40014670', null),
  acsEsc2023: ref('2023 ESC Guidelines for the management of acute coronary syndromes', 'European Heart Journal', 2023, '10.1093/eurheartj/ehad191', '37622654', null),
  heartFailure2022: ref('2022 AHA/ACC/HFSA Guideline for the Management of Heart Failure', 'Circulation', 2022, '10.1161/CIR.0000000000001063', '35363499', null),
  atrialFibrillation2023: ref('2023 ACC/AHA/ACCP/HRS Guideline for the Diagnosis and Management of Atrial Fibrillation', 'Circulation', 2024, '10.1161/CIR.0000000000001193', '38033089', null),
  sepsis3: ref('The Third International Consensus Definitions for Sepsis and Septic Shock (Sepsis-3)', 'JAMA', 2016, '10.1001/jama.2016.0287', '26903338', null),
  survivingSepsis2021: ref(
    'Surviving Sepsis Campaign: International Guidelines for Management of Sepsis and Septic Shock 2021',
    'Intensive Care Medicine',
    2021,
    '10.1007/s00134-021-06506-y',
    '34599691',
    null,
  ),
  cap2019: ref(
    'Diagnosis and Treatment of Adults with Community-acquired Pneumonia. An Official Clinical Practice Guideline of the American Thoracic Society and Infectious Diseases Society of America',
    'American Journal of Respiratory and Critical Care Medicine',
    2019,
    '10.1164/rccm.201908-1581ST',
    '31573350',
    null,
  ),
  pulmonaryEmbolism2019: ref(
    '2019 ESC Guidelines for the diagnosis and management of acute pulmonary embolism developed in collaboration with the European Respiratory Society (ERS)',
    'European Heart Journal',
    2020,
    '10.1093/eurheartj/ehz405',
    '31504429',
    null,
  ),
  vteChest2021: ref('Antithrombotic Therapy for VTE Disease: Second Update of the CHEST Guideline and Expert Panel Report', 'Chest', 2021, '10.1016/j.chest.2021.07.055', '34352278', null),
  vteAsh2020: ref(
    'American Society of Hematology 2020 guidelines for management of venous thromboembolism: treatment of deep vein thrombosis and pulmonary embolism',
    'Blood Advances',
    2020,
    '10.1182/bloodadvances.2020001830',
    '33007077',
    null,
  ),
  // The PMID of this entry rests on a single secondary source in the checked list, so only its DOI is used.
  ironDeficiencyAga2020: ref('AGA Clinical Practice Guidelines on the Gastrointestinal Evaluation of Iron Deficiency Anemia', 'Gastroenterology', 2020, '10.1053/j.gastro.2020.06.046', null, null),
  ironDeficiencyBsg2021: ref(
    'British Society of Gastroenterology guidelines for the management of iron deficiency anaemia in adults',
    'Gut',
    2021,
    '10.1136/gutjnl-2021-325210',
    '34497146',
    null,
  ),
  b12Stabler2013: ref('Vitamin B12 Deficiency', 'New England Journal of Medicine', 2013, '10.1056/NEJMcp1113996', '23301732', null),
  cobalaminBsh2014: ref('Guidelines for the diagnosis and treatment of cobalamin and folate disorders', 'British Journal of Haematology', 2014, '10.1111/bjh.12959', null, null),
  hyponatraemia2014: ref('Clinical practice guideline on diagnosis and treatment of hyponatraemia', 'European Journal of Endocrinology', 2014, '10.1530/EJE-13-1020', '24569125', null),
  hypothyroidism2014: ref(
    'Guidelines for the Treatment of Hypothyroidism: Prepared by the American Thyroid Association Task Force on Thyroid Hormone Replacement',
    'Thyroid',
    2014,
    '10.1089/thy.2014.0028',
    '25266247',
    null,
  ),
  hyperthyroidism2016: ref(
    '2016 American Thyroid Association Guidelines for Diagnosis and Management of Hyperthyroidism and Other Causes of Thyrotoxicosis',
    'Thyroid',
    2016,
    '10.1089/thy.2016.0229',
    '27521067',
    null,
  ),
  gold2026: ref(
    'Global Strategy for the Diagnosis, Management, and Prevention of Chronic Obstructive Pulmonary Disease: 2026 Report',
    'Global Initiative for Chronic Obstructive Lung Disease (GOLD)',
    2025,
    null,
    null,
    'https://goldcopd.org/',
  ),
  goldSummary2023: ref('Global Initiative for Chronic Obstructive Lung Disease 2023 Report: GOLD Executive Summary', 'Archivos de Bronconeumología', 2023, '10.1016/j.arbres.2023.02.009', null, null),
  gina2025: ref('Global Strategy for Asthma Management and Prevention, 2025 update', 'Global Initiative for Asthma (GINA)', 2025, null, null, 'https://ginasthma.org/'),
  osteoporosisAace2020: ref(
    'American Association of Clinical Endocrinologists/American College of Endocrinology Clinical Practice Guidelines for the Diagnosis and Treatment of Postmenopausal Osteoporosis—2020 Update',
    'Endocrine Practice',
    2020,
    '10.4158/GL-2020-0524SUPPL',
    '32427503',
    null,
  ),
  osteoporosisEndocrine2019: ref(
    'Pharmacological Management of Osteoporosis in Postmenopausal Women: An Endocrine Society Clinical Practice Guideline',
    'Journal of Clinical Endocrinology & Metabolism',
    2019,
    '10.1210/jc.2019-00221',
    null,
    null,
  ),
  gout2020: ref('2020 American College of Rheumatology Guideline for the Management of Gout', 'Arthritis Care & Research', 2020, '10.1002/acr.24180', '32391934', null),
  masld2023: ref('AASLD Practice Guidance on the clinical assessment and management of nonalcoholic fatty liver disease', 'Hepatology', 2023, '10.1097/HEP.0000000000000323', '36727674', null),
  adrenal2016: ref(
    'Diagnosis and Treatment of Primary Adrenal Insufficiency: An Endocrine Society Clinical Practice Guideline',
    'Journal of Clinical Endocrinology & Metabolism',
    2016,
    '10.1210/jc.2015-1710',
    '26760044',
    null,
  ),
  myeloma2014: ref('International Myeloma Working Group updated criteria for the diagnosis of multiple myeloma', 'Lancet Oncology', 2014, '10.1016/S1470-2045(14)70442-5', '25439696', null),
  haemochromatosisAcg2019: ref('ACG Clinical Guideline: Hereditary Hemochromatosis', 'American Journal of Gastroenterology', 2019, '10.14309/ajg.0000000000000315', '31335359', null),
  haemochromatosisEasl2022: ref('EASL Clinical Practice Guidelines on haemochromatosis', 'Journal of Hepatology', 2022, '10.1016/j.jhep.2022.03.033', '35662478', null),
  beers2023: ref(
    'American Geriatrics Society 2023 updated AGS Beers Criteria® for potentially inappropriate medication use in older adults',
    'Journal of the American Geriatrics Society',
    2023,
    '10.1111/jgs.18372',
    '37139824',
    null,
  ),
  depression2023: ref(
    'Screening for Depression and Suicide Risk in Adults: US Preventive Services Task Force Recommendation Statement',
    'JAMA',
    2023,
    '10.1001/jama.2023.9297',
    '37338872',
    null,
  ),
  stroke2021: ref(
    '2021 Guideline for the Prevention of Stroke in Patients With Stroke and Transient Ischemic Attack: A Guideline From the American Heart Association/American Stroke Association',
    'Stroke',
    2021,
    '10.1161/STR.0000000000000375',
    '34024117',
    null,
  ),
  upperGiBleeding2021: ref('ACG Clinical Guideline: Upper Gastrointestinal and Ulcer Bleeding', 'American Journal of Gastroenterology', 2021, '10.14309/ajg.0000000000001245', '33929377', null),
  pancreatitis2024: ref('American College of Gastroenterology Guidelines: Management of Acute Pancreatitis', 'American Journal of Gastroenterology', 2024, '10.14309/ajg.0000000000002645', '38857482', null),
  utiIdsa2011: ref(
    'International Clinical Practice Guidelines for the Treatment of Acute Uncomplicated Cystitis and Pyelonephritis in Women: A 2010 Update by the Infectious Diseases Society of America and the European Society for Microbiology and Infectious Diseases',
    'Clinical Infectious Diseases',
    2011,
    '10.1093/cid/ciq257',
    '21292654',
    null,
  ),
  cutiIdsa2025: ref(
    'Complicated Urinary Tract Infections (cUTI): Clinical Guidelines for Treatment and Management',
    'Infectious Diseases Society of America',
    2025,
    null,
    null,
    'https://www.idsociety.org/practice-guideline/complicated-urinary-tract-infections',
  ),
  febrileInfant2021: ref('Evaluation and Management of Well-Appearing Febrile Infants 8 to 60 Days Old', 'Pediatrics', 2021, '10.1542/peds.2021-052228', '34281996', null),
  anaphylaxisWao2020: ref('World Allergy Organization Anaphylaxis Guidance 2020', 'World Allergy Organization Journal', 2020, '10.1016/j.waojou.2020.100472', '33204386', null),
  anaphylaxis2023: ref('Anaphylaxis: A 2023 practice parameter update', 'Annals of Allergy, Asthma & Immunology', 2024, '10.1016/j.anai.2023.09.015', null, null),
  lipids2018: ref(
    '2018 AHA/ACC/AACVPR/AAPA/ABC/ACPM/ADA/AGS/APhA/ASPC/NLA/PCNA Guideline on the Management of Blood Cholesterol',
    'Circulation',
    2019,
    '10.1161/CIR.0000000000000625',
    '30586774',
    null,
  ),
} as const satisfies Record<string, Reference>;

export type ReferenceKey = keyof typeof REFERENCES;

/** A reference with the engine's own paraphrase of the recommendation it relies on. */
export interface CitationUse {
  readonly ref: ReferenceKey;
  readonly quote: string;
}

export function cite(ref: ReferenceKey, quote: string): CitationUse {
  return { ref, quote };
}

/**
 * Newer editions of a guideline replace older ones only from the day they were published, so an
 * answer produced "as of" an earlier day cites what was current then.
 */
const EDITIONS: ReadonlyArray<{ readonly newer: ReferenceKey; readonly older: ReferenceKey; readonly publishedOn: string }> = [
  // The 2026 Standards of Care appeared in December 2025.
  { newer: 'adaDiagnosis2026', older: 'adaDiagnosis2025', publishedOn: '2025-12-01' },
];

export function toModelCitation(use: CitationUse, asOf: string): ModelCitation {
  const edition = EDITIONS.find((e) => e.newer === use.ref && asOf < e.publishedOn);
  return { ...REFERENCES[edition ? edition.older : use.ref], quote: use.quote };
}
