/**
 * Medication safety: problems with a prescription rather than diagnoses. They carry no SNOMED or
 * ICD-10 code, because accepting one should change a prescription, not add a diagnosis.
 */
import type { CaseMedication } from '../../types.ts';
import { formatNumber, type CaseView, type Matcher } from '../case-view.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings } from '../rules.ts';
import { DRUG, PROBLEM } from '../vocabulary.ts';
import { creatinineClearance, pregnancy, strengthMg } from './shared.ts';

/** Total milligrams a day from the strength and the frequency words of the dosage. */
function dailyDose(m: CaseMedication): number | undefined {
  const strength = strengthMg(m.dosage?.match(/\(\s*\d+(?:\.\d+)?\s*mg\s*\)/i)?.[0], m.display, m.dosage);
  if (strength === undefined) return undefined;
  const text = (m.dosage ?? '').toLowerCase();
  const times = /three times|\btid\b|every 8 hours/.test(text) ? 3 : /twice|\bbid\b|every 12 hours/.test(text) ? 2 : /four times|\bqid\b|every 6 hours/.test(text) ? 4 : 1;
  return strength * times;
}

export const metforminKidney = defineCondition({
  id: 'metformin-low-egfr',
  name: 'Medication safety: metformin with reduced kidney function',
  snomed: null,
  icd10: null,
  kind: 'safety',
  cantMiss: false,
  rarity: null,
  prior: 0,
  keywords: ['metformin', 'metformin egfr', 'metformin kidney', 'lactic acidosis', 'metformin ckd'],
  keyFacts: ['Metformin is contraindicated below eGFR 30; it should not be started at eGFR 30–45, and the dose is reduced (at most 1,000 mg a day) when eGFR is 30–44.'],
  citations: [
    cite('fdaMetformin2016', 'Metformin is contraindicated in patients with an eGFR below 30 mL/min/1.73 m²; starting it in patients with an eGFR of 30–45 is not recommended; if eGFR falls below 45 during treatment, assess the benefits and risks of continuing.'),
    cite('kdigoDiabetesCkd2022', 'Continue metformin in type 2 diabetes with CKD while eGFR is 30 or more, reducing the dose when eGFR is below 45, and stop it below 30 or on dialysis.'),
  ],
  assess(v) {
    const metformin = v.medications(DRUG.metformin);
    const egfr = v.latest('egfr', 365);
    if (!metformin.length || !egfr || egfr.value >= 45) return null;
    const f = new Findings();
    const drug = metformin[0]!;
    const dose = dailyDose(drug);
    const lactate = v.latest('lactate', 2);
    // In acute illness the eGFR may still be falling: the question is holding the drug, not its dose.
    const acute = v.acuteSetting || (lactate !== undefined && lactate.value > 2);
    if (egfr.value < 30) {
      f.support(6.5, `${drug.display} is active while eGFR is ${v.format('egfr', egfr.value)} ${ago(egfr.daysAgo)} (contraindicated below 30)`, [drug, egfr], 'result', { criterion: 0.95, novel: true });
      f.name = 'Medication safety: metformin with eGFR below 30 (contraindicated)';
      f.step('treatment', 'Stop metformin');
    } else {
      f.support(3.5, `${drug.display} with eGFR ${v.format('egfr', egfr.value)} ${ago(egfr.daysAgo)} (30–44: reduce the dose)`, [drug, egfr], 'result', { novel: true });
      if (dose !== undefined && dose > 1000) f.support(1, `Current dose about ${formatNumber(dose, 0)} mg a day, above 1,000 mg a day`, [drug], 'medication');
      if (acute) {
        f.name = 'Medication safety: metformin during acute illness with reduced kidney function';
        f.step('treatment', 'Hold metformin until the acute illness, kidney function and lactate have recovered');
      } else {
        f.step('treatment', 'Reduce metformin to at most 1,000 mg a day and recheck eGFR every 3–6 months');
      }
    }
    const previous = v.points('egfr', 365).filter((p) => p.order < egfr.order && p.value < 45);
    if (previous.length) f.support(0.5, `eGFR already below 45 ${ago(previous[0]!.daysAgo)}`, [previous[0]], 'result');
    if (lactate && lactate.value > 2) f.support(1, `Lactate ${v.format('lactate', lactate.value)}`, [lactate], 'result');
    f.step('treatment', 'Glucose-lowering alternatives suited to the eGFR: an SGLT2 inhibitor (eGFR ≥ 20) or a GLP-1 receptor agonist');
    return f.result();
  },
});

export const nsaidKidney = defineCondition({
  id: 'nsaid-risk',
  name: 'Medication safety: NSAID with kidney, cardiac or bleeding risk',
  snomed: null,
  icd10: null,
  kind: 'safety',
  cantMiss: false,
  rarity: null,
  prior: 0,
  keywords: ['nsaid', 'ibuprofen', 'naproxen', 'nsaid ckd', 'nsaid kidney', 'triple whammy', 'nsaid anticoagulant'],
  keyFacts: ['Avoid prolonged NSAID use in CKD; with anticoagulants NSAIDs raise GI bleeding risk; an NSAID with a RAS inhibitor and a diuretic is a recognised AKI risk.'],
  citations: [
    cite('kdigoCkd2024', 'Review every medicine for nephrotoxicity and dosing as kidney function declines; prolonged NSAID use should be avoided in people with CKD.'),
    cite('beers2023', 'Avoid chronic NSAID use in older adults unless alternatives fail and a gastroprotective agent can be taken; the risk of GI bleeding rises with anticoagulants, antiplatelets or corticosteroids; avoid NSAIDs when creatinine clearance is below 30 mL/min.'),
  ],
  assess(v) {
    const nsaids = v.medications(DRUG.nsaid);
    if (!nsaids.length) return null;
    const f = new Findings();
    const drug = nsaids[0]!;
    const egfr = v.latest('egfr', 365);
    const creatinineRise = v.points('creatinine', 365);
    if (egfr && egfr.value < 60) {
      f.support(egfr.value < 30 ? 5 : 3.5, `${drug.display} with eGFR ${v.format('egfr', egfr.value)} ${ago(egfr.daysAgo)}`, [drug, egfr], 'result', { novel: true });
    } else if (creatinineRise.length >= 2 && creatinineRise.at(-1)!.value >= creatinineRise[0]!.value * 1.5) {
      f.support(3, `${drug.display} while creatinine rose from ${v.format('creatinine', creatinineRise[0]!.value)} to ${v.format('creatinine', creatinineRise.at(-1)!.value)}`, [drug, creatinineRise[0], creatinineRise.at(-1)], 'result', { novel: true });
    }
    const ras = [...v.medications(DRUG.aceInhibitor), ...v.medications(DRUG.arb)];
    const diuretic = [...v.medications(DRUG.thiazide), ...v.medications(DRUG.loopDiuretic)];
    if (ras.length && diuretic.length) f.support(1.5, `With a RAS inhibitor (${ras[0]!.display}) and a diuretic (${diuretic[0]!.display}): high AKI risk`, [drug, ras[0], diuretic[0]], 'medication');
    else if (ras.length && egfr && egfr.value < 60) f.support(0.5, `With a RAS inhibitor: ${ras[0]!.display}`, [ras[0]], 'medication');
    const anticoagulants = [...v.medications(DRUG.apixaban), ...v.medications(DRUG.rivaroxaban), ...v.medications(DRUG.dabigatran), ...v.medications(DRUG.edoxaban), ...v.medications(DRUG.warfarin)];
    if (anticoagulants.length) f.support(2, `With an anticoagulant (${anticoagulants[0]!.display}): bleeding risk`, [drug, anticoagulants[0]], 'medication');
    for (const p of v.problems(PROBLEM.heartFailure).slice(0, 1)) f.support(1.5, `Heart failure (${p.display}): NSAIDs cause fluid retention`, [drug, p], 'problem');
    if (v.age !== null && v.age >= 75 && !f.triggered) f.support(1, `Regular NSAID in a ${v.person}`, [drug], 'medication');
    const bp = v.latest('systolic', 180);
    if (bp && bp.value >= 140 && f.triggered) f.support(0.5, `Blood pressure ${v.format('systolic', bp.value)} systolic: NSAIDs raise it`, [bp], 'vital');
    if (!f.triggered) return null;
    f.step('treatment', `Stop ${drug.display}; use paracetamol (acetaminophen) or topical treatment for pain`);
    return f.result();
  },
});

interface DoacCheck {
  readonly text: string;
  readonly weight: number;
  readonly step: string;
}

function apixabanCheck(v: CaseView, m: CaseMedication): DoacCheck | undefined {
  const dose = strengthMg(m.display, m.dosage);
  const creatinine = v.latest('creatinine', 180);
  const weight = v.latest('weight', 365);
  const criteria: string[] = [];
  if (v.age !== null && v.age >= 80) criteria.push(`age ${v.ageText.replace('aged ', '')}`);
  if (weight && weight.value <= 60) criteria.push(`weight ${formatNumber(weight.value, 1)} kg`);
  if (creatinine && creatinine.value >= 1.5) criteria.push(`creatinine ${formatNumber(creatinine.value, 2)} mg/dL`);
  if (dose === 5 && criteria.length >= 2) {
    return { text: `${m.display} twice daily although two dose-reduction criteria are met (${criteria.join(', ')}): the labelled dose is 2.5 mg twice daily`, weight: 6, step: 'Reduce apixaban to 2.5 mg twice daily' };
  }
  if (dose === 2.5 && criteria.length < 2 && (v.problems(PROBLEM.atrialFibrillation).length > 0)) {
    return { text: `${m.display} with ${criteria.length} of the 3 dose-reduction criteria: possible underdosing for stroke prevention`, weight: 4, step: 'Check the indication; apixaban for AF is 5 mg twice daily unless two reduction criteria apply' };
  }
  return undefined;
}

function clearanceCheck(v: CaseView, m: CaseMedication, name: string, limit: number, reduced: number): DoacCheck | undefined {
  const crcl = creatinineClearance(v);
  const dose = strengthMg(m.display, m.dosage);
  if (!crcl || dose === undefined) return undefined;
  if (crcl.value < 15) return { text: `${m.display} with creatinine clearance about ${formatNumber(crcl.value, 0)} mL/min: avoid`, weight: 6, step: `Stop ${name}; choose another anticoagulant` };
  if (crcl.value <= limit && dose > reduced) {
    return { text: `${m.display} with creatinine clearance about ${formatNumber(crcl.value, 0)} mL/min (Cockcroft–Gault): the labelled dose is ${reduced} mg`, weight: 5, step: `Reduce ${name} to ${reduced} mg` };
  }
  return undefined;
}

export const doacDosing = defineCondition({
  id: 'doac-dose',
  name: 'Medication safety: anticoagulant dose check',
  snomed: null,
  icd10: null,
  kind: 'safety',
  cantMiss: false,
  rarity: null,
  prior: 0,
  keywords: ['doac', 'apixaban', 'rivaroxaban', 'dabigatran', 'edoxaban', 'anticoagulant dose', 'dose reduction', 'elderly anticoagulation'],
  keyFacts: ['Dose DOACs by their labelled criteria: apixaban 2.5 mg twice daily when two of age ≥ 80, weight ≤ 60 kg and creatinine ≥ 1.5 mg/dL apply; rivaroxaban, dabigatran and edoxaban by creatinine clearance.'],
  citations: [
    cite('atrialFibrillation2023', 'Dose DOACs according to the drug-specific labelled criteria (age, weight, creatinine clearance, interacting drugs); both overdosing and off-label underdosing are associated with worse outcomes.'),
    cite('beers2023', 'Use DOACs with caution in older adults and adjust doses for kidney function; for long-term treatment of AF or VTE, avoid rivaroxaban in favour of safer alternatives such as apixaban.'),
  ],
  assess(v) {
    const f = new Findings();
    for (const m of v.medications(DRUG.apixaban)) {
      const check = apixabanCheck(v, m);
      if (check) {
        f.support(check.weight, check.text, [m, v.latest('creatinine', 180), v.latest('weight', 365)], 'result', { criterion: 0.9, novel: true });
        f.step('treatment', check.step);
      }
    }
    for (const m of v.medications(DRUG.rivaroxaban)) {
      const check = clearanceCheck(v, m, 'rivaroxaban', 50, 15);
      if (check) {
        f.support(check.weight, check.text, [m, ...(creatinineClearance(v)?.facts ?? [])], 'result', { novel: true });
        f.step('treatment', check.step);
      }
      if (v.age !== null && v.age >= 65) f.support(1, `${m.display} long term in a ${v.person}: Beers prefers apixaban`, [m], 'medication');
    }
    for (const m of v.medications(DRUG.dabigatran)) {
      const check = clearanceCheck(v, m, 'dabigatran', 30, 75);
      if (check) {
        f.support(check.weight, check.text, [m, ...(creatinineClearance(v)?.facts ?? [])], 'result', { novel: true });
        f.step('treatment', check.step);
      }
    }
    for (const m of v.medications(DRUG.edoxaban)) {
      const check = clearanceCheck(v, m, 'edoxaban', 50, 30);
      if (check) {
        f.support(check.weight, check.text, [m, ...(creatinineClearance(v)?.facts ?? [])], 'result', { novel: true });
        f.step('treatment', check.step);
      }
    }
    if (!f.triggered) return null;
    f.step('monitoring', 'Renal function, weight and full blood count at least yearly (more often when clearance is low)');
    return f.result();
  },
});

const BEERS: ReadonlyArray<{ drug: Matcher; why: string; minDays?: number }> = [
  { drug: DRUG.firstGenAntihistamine, why: 'strongly anticholinergic: confusion, constipation, falls' },
  { drug: DRUG.zDrug, why: 'Z-drug hypnotic: falls, fractures, delirium, little benefit' },
  { drug: DRUG.benzodiazepine, why: 'benzodiazepine: falls, fractures, delirium' },
  { drug: { text: /\b(?:glyburide|glibenclamide|glimepiride)/i }, why: 'long-acting sulfonylurea: prolonged hypoglycaemia' },
  { drug: DRUG.ppi, why: 'PPI beyond 8 weeks: C. difficile, bone loss and fractures', minDays: 56 },
  { drug: DRUG.tricyclic, why: 'tricyclic: anticholinergic and sedating' },
  { drug: DRUG.muscleRelaxant, why: 'muscle relaxant: anticholinergic, sedating, poorly tolerated' },
  { drug: DRUG.antipsychotic, why: 'antipsychotic: stroke and death in dementia; avoid unless clearly needed' },
];

export const beersCriteria = defineCondition({
  id: 'beers-pim',
  name: 'Medication safety: potentially inappropriate medicines for an older adult (Beers Criteria)',
  snomed: null,
  icd10: null,
  kind: 'safety',
  cantMiss: false,
  rarity: null,
  prior: 0,
  keywords: ['beers', 'beers criteria', 'deprescribing', 'polypharmacy', 'older adult', 'elderly', 'inappropriate medication', 'anticholinergic'],
  keyFacts: ['The AGS Beers Criteria list drugs to avoid in people 65 and older: first-generation antihistamines, benzodiazepines and Z-drugs, long-acting sulfonylureas, PPIs beyond 8 weeks, and others.'],
  citations: [
    cite('beers2023', 'In adults 65 and older avoid first-generation antihistamines, benzodiazepines and Z-drug hypnotics, sulfonylureas as first- or second-line therapy (glyburide and glimepiride especially), and PPIs beyond 8 weeks unless there is a clear indication.'),
  ],
  assess(v) {
    if (!(v.age !== null && v.age >= 65)) return null;
    const f = new Findings();
    const seen = new Set<string>();
    for (const rule of BEERS) {
      for (const m of v.medications(rule.drug)) {
        if (seen.has(m.id)) continue;
        if (rule.minDays !== undefined && (m.startedDaysAgo ?? 0) < rule.minDays) continue;
        seen.add(m.id);
        f.support(1.5, `${m.display}: ${rule.why}`, [m], 'medication', { novel: true });
      }
    }
    const intensive = [...v.medications(DRUG.sulfonylurea), ...v.medications(DRUG.insulin)];
    const a1c = v.latest('hba1c', 365);
    if (intensive.length && a1c && a1c.value < 7 && v.age >= 75) {
      f.support(1.5, `HbA1c ${v.format('hba1c', a1c.value)} on ${intensive[0]!.display}: tighter control than an older adult needs, with hypoglycaemia risk`, [a1c, intensive[0]], 'result', { novel: true });
    }
    if (!f.triggered) return null;
    if (v.activeMedications.length >= 10) f.support(0.5, `${v.activeMedications.length} active medicines`, v.activeMedications.map((m) => m.id), 'medication');
    f.step('treatment', 'Structured medication review: deprescribe, taper sedatives, switch to safer alternatives');
    f.step('other', 'Agree the goals of treatment with the patient and family');
    return f.result();
  },
});

export const teratogenInPregnancy = defineCondition({
  id: 'teratogen-in-pregnancy',
  name: 'Medication safety: drug with fetal risk in pregnancy',
  snomed: null,
  icd10: null,
  kind: 'safety',
  cantMiss: false,
  rarity: null,
  prior: 0,
  keywords: ['ace inhibitor pregnancy', 'arb pregnancy', 'teratogen', 'pregnancy medication', 'lisinopril pregnancy', 'warfarin pregnancy', 'valproate pregnancy'],
  keyFacts: ['ACE inhibitors, ARBs and direct renin inhibitors should not be used in pregnancy; switch to labetalol, nifedipine or methyldopa.'],
  citations: [cite('hypertension2017', 'Women with hypertension who become pregnant should not be treated with ACE inhibitors, ARBs or direct renin inhibitors, and should be transitioned to methyldopa, nifedipine and/or labetalol.')],
  assess(v) {
    const evidence = pregnancy(v);
    if (!evidence) return null;
    const drugs = v.medications(DRUG.teratogen);
    if (!drugs.length) return null;
    const f = new Findings();
    const ras = new Set([...v.medications(DRUG.aceInhibitor), ...v.medications(DRUG.arb), ...v.medications(DRUG.reninInhibitor)].map((m) => m.id));
    for (const m of drugs) {
      f.support(ras.has(m.id) ? 6 : 5, `${m.display} is active during pregnancy (${evidence.text})`, [m, ...evidence.facts], 'result', { criterion: 0.95, novel: true });
    }
    if (drugs.some((m) => ras.has(m.id))) {
      f.name = 'Medication safety: ACE inhibitor or ARB in pregnancy';
      f.step('treatment', 'Stop the ACE inhibitor/ARB today and start labetalol or nifedipine (or methyldopa)');
    } else {
      f.step('treatment', 'Stop or replace the drug with a pregnancy-compatible alternative');
    }
    f.step('referral', 'Obstetric (and maternal-fetal medicine) review of the exposure');
    return f.result();
  },
});

const SEVERE_ALLERGEN = /peanut|tree nut|\bnuts?\b|cashew|almond|walnut|hazelnut|shellfish|shrimp|crustacean|\bfish\b|sesame|\begg\b|milk|wheat|soy|bee\b|wasp|venom|hymenoptera|insect sting/i;

export const epinephrineMissing = defineCondition({
  id: 'epinephrine-auto-injector',
  name: 'Medication safety: severe food or venom allergy without an adrenaline auto-injector',
  snomed: null,
  icd10: null,
  kind: 'safety',
  cantMiss: false,
  rarity: null,
  prior: 0,
  keywords: ['anaphylaxis', 'epinephrine', 'adrenaline', 'auto-injector', 'epipen', 'food allergy', 'peanut allergy'],
  keyFacts: ['Anyone at risk of anaphylaxis should carry adrenaline (epinephrine) auto-injectors and an emergency action plan.'],
  citations: [
    cite('anaphylaxisWao2020', 'Patients at risk of anaphylaxis should be prescribed an adrenaline auto-injector and taught when and how to use it, with a personalised emergency action plan.'),
    cite('anaphylaxis2023', 'Prescribe epinephrine auto-injectors to patients at risk of anaphylaxis, such as those with food or venom allergy and previous systemic reactions, with education on use.'),
  ],
  assess(v) {
    if (v.unavailable('medication')) return null;
    const severe = v.summary.allergies.filter(
      (a) => SEVERE_ALLERGEN.test(a.display) && ((a.criticality ?? '').toLowerCase() === 'high' || a.reactions.some((r) => /anaphyla|angioedema|throat|wheez|hypotension|collapse/i.test(r))),
    );
    if (!severe.length) return null;
    if (v.medications(DRUG.epinephrineInjector, true).length) return null;
    const f = new Findings();
    for (const a of severe) f.support(3.5, `${a.display}${a.criticality ? ` (criticality ${a.criticality})` : ''}${a.reactions.length ? `: ${a.reactions.join(', ')}` : ''}, and no adrenaline auto-injector on the medication list`, [a], 'allergy', { novel: true });
    f.step('treatment', 'Prescribe two adrenaline auto-injectors (dose by weight) with an anaphylaxis action plan');
    f.step('referral', 'Allergy follow-up if not already arranged');
    return f.result();
  },
});

export const MEDICATION_SAFETY = [metforminKidney, nsaidKidney, doacDosing, beersCriteria, teratogenInPregnancy, epinephrineMissing];
