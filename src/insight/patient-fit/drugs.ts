/**
 * The small, curated drug table the patient-fit check reads: how a proposed medicine is recognised
 * in free text, the classes it belongs to (for allergy cross-reactivity, duplicate therapy and
 * interactions), and the kidney thresholds of the few drugs whose dosing most often goes wrong.
 * Ingredient words reuse the reference engine's vocabulary.
 */
import { DRUG } from '../reference-engine/vocabulary.ts';

const words = (...terms: string[]): RegExp => new RegExp(`\\b(?:${terms.join('|')})`, 'i');
/** An ingredient list or the class's own name ("an SGLT2 inhibitor", "statin therapy"). */
const either = (a: RegExp, b: RegExp): RegExp => new RegExp(`${a.source}|${b.source}`, 'i');

export type DrugClass =
  | 'biguanide'
  | 'sulfonylurea'
  | 'sglt2'
  | 'nsaid'
  | 'aspirin'
  | 'doac'
  | 'warfarin'
  | 'heparin'
  | 'ace-inhibitor'
  | 'arb'
  | 'mra'
  | 'potassium-sparing'
  | 'penicillin'
  | 'cephalosporin'
  | 'sulfonamide-antibiotic'
  | 'fluoroquinolone'
  | 'macrolide'
  | 'nitrofurantoin'
  | 'statin'
  | 'benzodiazepine'
  | 'z-drug'
  | 'first-gen-antihistamine'
  | 'tricyclic'
  | 'muscle-relaxant'
  | 'antipsychotic'
  | 'opioid'
  | 'gabapentinoid'
  | 'ppi'
  | 'lithium'
  | 'thiazide'
  | 'loop-diuretic'
  | 'ssri'
  | 'amiodarone'
  | 'glucocorticoid'
  | 'teratogen'
  | 'hepatotoxic'
  | 'paracetamol';

export interface DrugEntry {
  readonly id: string;
  readonly label: string;
  readonly match: RegExp;
  readonly classes: readonly DrugClass[];
}

const d = (id: string, label: string, match: RegExp, ...classes: DrugClass[]): DrugEntry => ({ id, label, match, classes });

export const DRUGS: readonly DrugEntry[] = [
  d('metformin', 'metformin', DRUG.metformin.text, 'biguanide'),
  d('sulfonylurea', 'a sulfonylurea', DRUG.sulfonylurea.text, 'sulfonylurea'),
  d('sglt2', 'an SGLT2 inhibitor', either(DRUG.sglt2.text, /\bsglt-?2\b/i), 'sglt2'),
  d('nsaid', 'an NSAID', either(DRUG.nsaid.text, /\bnsaids?\b/i), 'nsaid'),
  d('aspirin', 'aspirin', words('aspirin', 'acetylsalicylic'), 'aspirin'),
  d('apixaban', 'apixaban', DRUG.apixaban.text, 'doac'),
  d('rivaroxaban', 'rivaroxaban', DRUG.rivaroxaban.text, 'doac'),
  d('dabigatran', 'dabigatran', DRUG.dabigatran.text, 'doac'),
  d('edoxaban', 'edoxaban', DRUG.edoxaban.text, 'doac'),
  d('warfarin', 'warfarin', DRUG.warfarin.text, 'warfarin', 'teratogen'),
  d('heparin', 'a heparin', DRUG.heparin.text, 'heparin'),
  d('ace-inhibitor', 'an ACE inhibitor', either(DRUG.aceInhibitor.text, /\bace[- ]inhibitors?\b|\bacei\b/i), 'ace-inhibitor', 'teratogen'),
  d('arb', 'an ARB', either(DRUG.arb.text, /\bangiotensin receptor blockers?\b|\barbs?\b/i), 'arb', 'teratogen'),
  d('mra', 'a mineralocorticoid receptor antagonist', DRUG.mra.text, 'mra'),
  d('potassium-sparing', 'a potassium-sparing diuretic', DRUG.potassiumSparing.text, 'potassium-sparing'),
  d('penicillin', 'a penicillin', words('amoxicillin', 'ampicillin', 'penicillin', 'piperacillin', 'flucloxacillin', 'dicloxacillin', 'nafcillin', 'oxacillin', 'co-amoxiclav', 'augmentin'), 'penicillin'),
  d('cephalosporin', 'a cephalosporin', words('cef', 'ceph'), 'cephalosporin'),
  d('sulfonamide', 'a sulfonamide antibiotic', words('sulfamethoxazole', 'co-trimoxazole', 'cotrimoxazole', 'bactrim', 'sulfadiazine'), 'sulfonamide-antibiotic'),
  d('fluoroquinolone', 'a fluoroquinolone', words('ciprofloxacin', 'levofloxacin', 'moxifloxacin', 'ofloxacin'), 'fluoroquinolone'),
  d('macrolide', 'a macrolide', words('azithromycin', 'clarithromycin', 'erythromycin'), 'macrolide'),
  d('nitrofurantoin', 'nitrofurantoin', words('nitrofurantoin'), 'nitrofurantoin'),
  d('statin', 'a statin', either(DRUG.statin.text, /\bstatins?\b/i), 'statin', 'teratogen'),
  d('benzodiazepine', 'a benzodiazepine', DRUG.benzodiazepine.text, 'benzodiazepine'),
  d('z-drug', 'a Z-drug hypnotic', DRUG.zDrug.text, 'z-drug'),
  d('antihistamine', 'a first-generation antihistamine', DRUG.firstGenAntihistamine.text, 'first-gen-antihistamine'),
  d('tricyclic', 'a tricyclic antidepressant', DRUG.tricyclic.text, 'tricyclic'),
  d('muscle-relaxant', 'a muscle relaxant', DRUG.muscleRelaxant.text, 'muscle-relaxant'),
  d('antipsychotic', 'an antipsychotic', DRUG.antipsychotic.text, 'antipsychotic'),
  d('opioid', 'an opioid', DRUG.opioid.text, 'opioid'),
  d('gabapentinoid', 'a gabapentinoid', words('gabapentin', 'pregabalin'), 'gabapentinoid'),
  d('ppi', 'a proton-pump inhibitor', DRUG.ppi.text, 'ppi'),
  d('lithium', 'lithium', DRUG.lithium.text, 'lithium'),
  d('thiazide', 'a thiazide diuretic', DRUG.thiazide.text, 'thiazide'),
  d('loop', 'a loop diuretic', DRUG.loopDiuretic.text, 'loop-diuretic'),
  d('ssri', 'an SSRI or SNRI', DRUG.ssri.text, 'ssri'),
  d('amiodarone', 'amiodarone', DRUG.amiodarone.text, 'amiodarone', 'hepatotoxic'),
  d('glucocorticoid', 'a glucocorticoid', DRUG.glucocorticoid.text, 'glucocorticoid'),
  d('valproate', 'valproate', words('valproate', 'valproic', 'divalproex'), 'teratogen', 'hepatotoxic'),
  d('methotrexate', 'methotrexate', words('methotrexate'), 'teratogen', 'hepatotoxic'),
  d('isotretinoin', 'isotretinoin', words('isotretinoin'), 'teratogen'),
  d('paracetamol', 'paracetamol (acetaminophen)', words('paracetamol', 'acetaminophen'), 'paracetamol'),
];

/** Allergy words that name a class, for cross-reactivity with the proposed drug. */
export const ALLERGY_CLASSES: ReadonlyArray<{ readonly match: RegExp; readonly classes: readonly DrugClass[] }> = [
  { match: words('penicillin', 'amoxicillin', 'ampicillin', 'beta-lactam', 'augmentin'), classes: ['penicillin'] },
  { match: words('cephalosporin', 'cef', 'ceph'), classes: ['cephalosporin'] },
  { match: words('sulfa', 'sulfonamide', 'sulfamethoxazole', 'bactrim', 'co-trimoxazole'), classes: ['sulfonamide-antibiotic'] },
  { match: words('nsaid', 'ibuprofen', 'naproxen', 'diclofenac', 'aspirin', 'salicylate'), classes: ['nsaid', 'aspirin'] },
  { match: words('codeine', 'morphine', 'opioid', 'opiate', 'oxycodone', 'hydrocodone', 'tramadol'), classes: ['opioid'] },
  { match: words('ace inhibitor', 'lisinopril', 'enalapril', 'ramipril'), classes: ['ace-inhibitor'] },
  { match: words('statin', 'atorvastatin', 'simvastatin', 'rosuvastatin'), classes: ['statin'] },
  { match: words('fluoroquinolone', 'quinolone', 'ciprofloxacin', 'levofloxacin'), classes: ['fluoroquinolone'] },
  { match: words('macrolide', 'azithromycin', 'clarithromycin', 'erythromycin'), classes: ['macrolide'] },
];

/** The drugs a text names, each once. */
export function drugsIn(text: string): DrugEntry[] {
  return DRUGS.filter((entry) => entry.match.test(text));
}
