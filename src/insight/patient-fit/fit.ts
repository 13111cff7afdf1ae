/**
 * The patient-fit check: a deterministic, local test of every treatment a provider proposes
 * against this patient's chart — allergies and cross-reactivity, kidney function at the current
 * eGFR, liver tests, age (AGS Beers), pregnancy, interactions with active medicines from a small
 * curated table, and duplicate therapy. It runs on the output of any provider, model or built-in,
 * so a model that proposes a contraindicated drug is flagged the same way every time.
 */
import type { FactReference, PatientChart } from '../../chart/types.ts';
import type { CaseMedication } from '../types.ts';
import type { Point } from '../reference-engine/case-view.ts';
import { creatinineClearance, pregnancy } from '../reference-engine/knowledge-base/shared.ts';
import { cite, toModelCitation, type ReferenceKey } from '../reference-engine/references.ts';
import { PROBLEM } from '../reference-engine/vocabulary.ts';
import { n, SignContext } from '../early-signs/context.ts';
import { ALLERGY_CLASSES, drugsIn, type DrugClass, type DrugEntry } from './drugs.ts';
import type { FitCheck, FitReason, PatientFit, TreatmentOption } from './types.ts';

const RANK: Readonly<Record<PatientFit, number>> = { unchecked: 0, fits: 1, adjust: 2, avoid: 3 };
const STOP = /^\s*(?:stop|hold|discontinue|withdraw|avoid|taper|deprescribe|cease|do not start)\b/i;
const REDUCE = /^\s*(?:reduce|lower|decrease)\b/i;
/** Steps that look at what the patient already takes rather than start anything. */
const REVIEW = /^\s*(?:review|check|monitor|recheck|measure|discuss (?:stopping|the risks))\b/i;

/** The chart facts the check reads, computed once per insight. */
export class FitContext {
  readonly sign: SignContext;
  readonly asOfDay: string;
  readonly age: number | null;
  readonly egfr: Point | undefined;
  readonly crcl: { value: number; facts: readonly string[] } | undefined;
  readonly potassium: Point | undefined;
  readonly pregnant: { facts: readonly string[]; text: string } | undefined;
  readonly active: ReadonlyArray<{ readonly med: CaseMedication; readonly entries: readonly DrugEntry[] }>;

  constructor(chart: PatientChart) {
    this.sign = new SignContext(chart);
    const v = this.sign.view;
    this.asOfDay = this.sign.asOfDay;
    this.age = v.age;
    this.egfr = this.sign.egfr.filter((p) => p.daysAgo <= 365).at(-1);
    this.crcl = creatinineClearance(v);
    this.potassium = v.latest('potassium', 90);
    this.pregnant = pregnancy(v);
    this.active = v.activeMedications.map((med) => ({ med, entries: drugsIn(`${med.display} ${med.codes.map((c) => c.display ?? '').join(' ')}`) }));
  }
}

/** Checks one proposed treatment (a provider's next step) against the chart. */
export function checkTreatment(text: string, ctx: FitContext): TreatmentOption {
  if (STOP.test(text) || REDUCE.test(text)) {
    return { text, action: STOP.test(text) ? 'stop' : 'reduce', drugs: drugsIn(text).map((d) => d.label), fit: 'fits', reasons: [], checked: [] };
  }
  if (REVIEW.test(text)) return { text, action: 'other', drugs: [], fit: 'unchecked', reasons: [], checked: [] };
  const proposed = proposedDrugs(text);
  if (!proposed.length) return { text, action: 'other', drugs: [], fit: 'unchecked', reasons: [], checked: [] };
  const reasons: FitReason[] = [];
  for (const drug of proposed) reasons.push(...allergy(drug, ctx), ...kidney(drug, ctx), ...liver(drug, ctx), ...age(drug, ctx), ...pregnancyCheck(drug, ctx), ...interactions(drug, ctx));
  const fit = reasons.reduce<PatientFit>((worst, r) => (RANK[r.fit] > RANK[worst] ? r.fit : worst), 'fits');
  const checked: FitCheck[] = ['allergy', 'kidney', 'liver', 'age', 'pregnancy', 'interaction', 'duplicate'];
  return { text, action: 'start', drugs: proposed.map((d) => d.label), fit, reasons: dedupe(reasons), checked };
}

/** Words that, earlier in the same clause, mean a named drug is being stopped, not started. */
const NOT_STARTED = /\b(?:stop|stopping|hold|holding|avoid|avoiding|discontinue|withdraw|taper|deprescribe|cease|without|instead of|switch(?:ing)? from|not)\b/i;

/**
 * Drugs the text starts: after "switch … to", and not those a clause stops, holds or avoids
 * ("hold nephrotoxins and metformin", "avoid nitrofurantoin").
 */
function proposedDrugs(text: string): DrugEntry[] {
  const switched = /\b(?:switch|change|convert)\b.*?\bto\b(.*)$/i.exec(text);
  const target = switched ? switched[1]! : text;
  return drugsIn(target).filter((drug) => {
    const at = target.search(drug.match);
    const clauseStart = Math.max(...[';', '.', ':', '(', ','].map((c) => target.lastIndexOf(c, at)));
    return !NOT_STARTED.test(target.slice(clauseStart + 1, at));
  });
}

function has(drug: DrugEntry, ...classes: DrugClass[]): boolean {
  return drug.classes.some((c) => classes.includes(c));
}

function reason(ctx: FitContext, fit: 'adjust' | 'avoid', check: FitCheck, text: string, references: readonly (FactReference | undefined)[], source?: readonly [ReferenceKey, string]): FitReason {
  return {
    fit,
    check,
    text,
    references: references.filter((r): r is string => r !== undefined),
    ...(source ? { citation: toModelCitation(cite(source[0], source[1]), ctx.asOfDay) } : {}),
  };
}

function allergy(drug: DrugEntry, ctx: FitContext): FitReason[] {
  const out: FitReason[] = [];
  for (const a of ctx.sign.view.summary.allergies) {
    if (/no known|nkda|nka\b/i.test(a.display)) continue;
    const reactions = a.reactions.length ? ` (${a.reactions.join(', ')})` : '';
    if (drug.match.test(a.display)) {
      out.push(reason(ctx, 'avoid', 'allergy', `Recorded allergy to ${a.display}${reactions}`, [a.id]));
      continue;
    }
    const classes = ALLERGY_CLASSES.filter((c) => c.match.test(a.display)).flatMap((c) => c.classes);
    if (classes.some((c) => drug.classes.includes(c))) {
      out.push(reason(ctx, 'avoid', 'allergy', `${drug.label} is in the same class as the recorded allergy to ${a.display}${reactions}`, [a.id]));
    } else if (classes.includes('penicillin') && has(drug, 'cephalosporin')) {
      const severe = a.criticality === 'high' || /anaphyla|angioedema|stevens|toxic epidermal/i.test(reactions);
      out.push(reason(ctx, severe ? 'avoid' : 'adjust', 'allergy', `Penicillin allergy${reactions}: cross-reactivity with cephalosporins is low but not nil${severe ? ', and the reaction was severe' : ''}`, [a.id]));
    }
  }
  return out;
}

function kidney(drug: DrugEntry, ctx: FitContext): FitReason[] {
  const e = ctx.egfr;
  if (!e) return [];
  const egfr = e.value;
  const where = `eGFR ${n(egfr)}${ctx.sign.egfrComputed ? ' (CKD-EPI 2021 from creatinine)' : ''}`;
  const crcl = ctx.crcl?.value ?? egfr;
  const crclText = ctx.crcl ? `creatinine clearance about ${n(ctx.crcl.value)} mL/min` : where;
  const crclRefs = ctx.crcl ? ctx.crcl.facts : [e.id];
  if (has(drug, 'biguanide')) {
    if (egfr < 30) return [reason(ctx, 'avoid', 'kidney', `Metformin is contraindicated below eGFR 30; ${where}`, [e.id], ['fdaMetformin2016', 'Metformin is contraindicated in patients with an eGFR below 30 mL/min/1.73 m².'])];
    if (egfr < 45) return [reason(ctx, 'adjust', 'kidney', `Do not start metformin at eGFR 30–45; if continuing, at most 1,000 mg a day; ${where}`, [e.id], ['fdaMetformin2016', 'Starting metformin in patients with an eGFR between 30 and 45 mL/min/1.73 m² is not recommended.'])];
  }
  if (has(drug, 'nsaid')) {
    if (crcl < 30) return [reason(ctx, 'avoid', 'kidney', `NSAIDs are avoided below a creatinine clearance of 30; ${crclText}`, crclRefs, ['beers2023', 'Avoid NSAIDs when creatinine clearance is below 30 mL/min.'])];
    if (egfr < 60) return [reason(ctx, 'adjust', 'kidney', `CKD (${where}): avoid prolonged NSAID use; shortest course, monitor creatinine`, [e.id], ['kdigoCkd2024', 'Prolonged NSAID use should be avoided in people with CKD.'])];
  }
  if (has(drug, 'doac')) {
    const doac: readonly [ReferenceKey, string] = ['atrialFibrillation2023', 'Dose DOACs according to the drug-specific labelled criteria (age, weight, creatinine clearance, interacting drugs).'];
    if (drug.id === 'dabigatran' && crcl < 30) return [reason(ctx, 'avoid', 'kidney', `Dabigatran is avoided below a creatinine clearance of 30; ${crclText}`, crclRefs, ['beers2023', 'Avoid dabigatran when creatinine clearance is below 30 mL/min.'])];
    if ((drug.id === 'rivaroxaban' || drug.id === 'edoxaban') && crcl < 15) return [reason(ctx, 'avoid', 'kidney', `${drug.label} is not used below a creatinine clearance of 15; ${crclText}`, crclRefs, doac)];
    if ((drug.id === 'rivaroxaban' || drug.id === 'edoxaban') && crcl <= 50) return [reason(ctx, 'adjust', 'kidney', `${drug.label}: reduced dose at creatinine clearance 15–50; ${crclText}`, crclRefs, doac)];
    if (drug.id === 'apixaban') {
      const v = ctx.sign.view;
      const creat = v.latest('creatinine', 365);
      const weight = v.latest('weight', 365);
      const criteria = [ctx.age !== null && ctx.age >= 80 ? 'age 80 or over' : '', weight && weight.value <= 60 ? `weight ${n(weight.value)} kg` : '', creat && creat.value >= 1.5 ? `creatinine ${n(creat.value, 2)} mg/dL` : ''].filter(Boolean);
      if (criteria.length >= 2) return [reason(ctx, 'adjust', 'kidney', `Apixaban 2.5 mg twice daily: ${criteria.join(', ')} (two of the three dose-reduction criteria)`, [creat?.id, weight?.id], doac)];
    }
  }
  if (has(drug, 'nitrofurantoin') && crcl < 30) return [reason(ctx, 'avoid', 'kidney', `Nitrofurantoin is avoided below a creatinine clearance of 30; ${crclText}`, crclRefs, ['beers2023', 'Avoid nitrofurantoin in individuals with creatinine clearance below 30 mL/min or for long-term suppression.'])];
  if (has(drug, 'sglt2') && egfr < 20) return [reason(ctx, 'adjust', 'kidney', `SGLT2 inhibitors are started at eGFR 20 or more; ${where}`, [e.id], ['kdigoDiabetesCkd2022', 'Initiate an SGLT2 inhibitor in type 2 diabetes and CKD with an eGFR of 20 mL/min/1.73 m² or more.'])];
  const k = ctx.potassium;
  if (has(drug, 'mra', 'potassium-sparing')) {
    if (crcl < 30) return [reason(ctx, 'avoid', 'kidney', `Avoided below a creatinine clearance of 30 (hyperkalaemia); ${crclText}`, crclRefs, ['beers2023', 'Avoid spironolactone and triamterene when creatinine clearance is below 30 mL/min (hyperkalaemia).'])];
    if (k && k.value >= 5.0) return [reason(ctx, 'avoid', 'kidney', `Potassium ${n(k.value, 1)} mmol/L already raised`, [k.id], ['kdigoPotassium2020', 'Address hyperkalaemia before adding drugs that raise potassium.'])];
  }
  if (has(drug, 'ace-inhibitor', 'arb') && k && k.value >= 5.5) return [reason(ctx, 'adjust', 'kidney', `Potassium ${n(k.value, 1)} mmol/L: correct it (diet, binders, diuretics) and recheck within a week of starting`, [k.id], ['kdigoPotassium2020', 'In hyperkalaemia, address modifiable causes and consider potassium binders so that RAAS inhibition can be started or continued.'])];
  return [];
}

function liver(drug: DrugEntry, ctx: FitContext): FitReason[] {
  const v = ctx.sign.view;
  const alt = v.latest('alt', 90);
  const uln = v.measurement('alt')?.referenceHigh ?? 40;
  const bili = v.latest('bilirubin', 90);
  const cirrhosis = v.problems({ text: /cirrhosis|hepatic failure|liver failure/i, icd10: ['K70.3', 'K72', 'K74'] });
  const impaired = (alt && alt.value > 3 * uln) || (bili && bili.value > 2) || cirrhosis.length > 0;
  if (!impaired) return [];
  const facts = [alt && alt.value > 3 * uln ? alt.id : undefined, bili && bili.value > 2 ? bili.id : undefined, ...cirrhosis.map((p) => p.id)];
  const what = [alt && alt.value > 3 * uln ? `ALT ${n(alt.value)} U/L (over 3 × the upper limit)` : '', bili && bili.value > 2 ? `bilirubin ${n(bili.value, 1)} mg/dL` : '', cirrhosis[0]?.display ?? ''].filter(Boolean).join(', ');
  // The checked reference list has no hepatic-dosing guideline, so these reasons cite the chart, not a paper.
  if (has(drug, 'hepatotoxic')) return [reason(ctx, 'avoid', 'liver', `Hepatic impairment (${what}): ${drug.label} is hepatotoxic or contraindicated per its labelling`, facts)];
  if (has(drug, 'paracetamol', 'statin')) return [reason(ctx, 'adjust', 'liver', `Hepatic impairment (${what}): lower dose and monitor liver tests per labelling`, facts)];
  if (has(drug, 'nsaid') && cirrhosis.length) return [reason(ctx, 'avoid', 'liver', `Cirrhosis: NSAIDs risk kidney injury, bleeding and fluid retention`, facts)];
  return [];
}

function age(drug: DrugEntry, ctx: FitContext): FitReason[] {
  if (ctx.age === null || ctx.age < 65) return [];
  const beers = (quote: string): readonly [ReferenceKey, string] => ['beers2023', quote];
  const who = `age ${ctx.age >= 90 ? '90 or over' : ctx.age}`;
  if (has(drug, 'benzodiazepine', 'z-drug', 'first-gen-antihistamine', 'tricyclic', 'muscle-relaxant'))
    return [reason(ctx, 'avoid', 'age', `AGS Beers: avoid ${drug.label} at ${who} (falls, delirium, anticholinergic or sedative effects)`, [], beers('In adults 65 and older avoid benzodiazepines, Z-drug hypnotics, first-generation antihistamines, tricyclic antidepressants and skeletal muscle relaxants.'))];
  if (has(drug, 'sulfonylurea')) return [reason(ctx, 'avoid', 'age', `AGS Beers: avoid sulfonylureas as first- or second-line therapy at ${who} (hypoglycaemia)`, [], beers('Avoid sulfonylureas as first- or second-line monotherapy or add-on therapy in older adults; if used, prefer short-acting agents.'))];
  if (has(drug, 'antipsychotic')) return [reason(ctx, 'avoid', 'age', `AGS Beers: avoid antipsychotics for behavioural problems at ${who} unless other measures have failed`, [], beers('Avoid antipsychotics except for schizophrenia, bipolar disorder or short-term antiemetic use; increased risk of stroke, cognitive decline and mortality in dementia.'))];
  if (has(drug, 'nsaid')) return [reason(ctx, 'adjust', 'age', `AGS Beers: avoid chronic NSAID use at ${who}; if needed, short course with gastroprotection`, [], beers('Avoid chronic NSAID use in older adults unless alternatives fail and a gastroprotective agent can be taken.'))];
  if (has(drug, 'ppi')) return [reason(ctx, 'adjust', 'age', `AGS Beers: avoid PPIs beyond 8 weeks at ${who} without a clear indication`, [], beers('Avoid scheduled PPI use for more than 8 weeks unless for high-risk patients or a demonstrated need.'))];
  if (drug.id === 'rivaroxaban') return [reason(ctx, 'adjust', 'age', `AGS Beers: for long-term AF or VTE treatment at ${who}, prefer a safer alternative such as apixaban`, [], beers('For long-term treatment of AF or VTE, avoid rivaroxaban in favour of safer alternatives such as apixaban.'))];
  if (has(drug, 'warfarin')) return [reason(ctx, 'adjust', 'age', `AGS Beers: avoid starting warfarin for AF or VTE at ${who} unless DOACs are contraindicated`, [], beers('Avoid starting warfarin as initial therapy for AF or VTE unless alternatives (DOACs) are contraindicated.'))];
  if (has(drug, 'aspirin')) return [reason(ctx, 'adjust', 'age', `AGS Beers: avoid aspirin for primary prevention at ${who}`, [], beers('Avoid starting aspirin for primary prevention of cardiovascular disease in older adults.'))];
  return [];
}

function pregnancyCheck(drug: DrugEntry, ctx: FitContext): FitReason[] {
  const p = ctx.pregnant;
  if (!p || !has(drug, 'teratogen')) return [];
  if (has(drug, 'ace-inhibitor', 'arb'))
    return [reason(ctx, 'avoid', 'pregnancy', `Pregnancy (${p.text}): ACE inhibitors and ARBs cause fetal harm; use labetalol, nifedipine or methyldopa`, p.facts, ['hypertension2017', 'Women with hypertension who become pregnant should not be treated with ACE inhibitors, ARBs or direct renin inhibitors.'])];
  return [reason(ctx, 'avoid', 'pregnancy', `Pregnancy (${p.text}): ${drug.label} is teratogenic or contraindicated in pregnancy per its labelling`, p.facts)];
}

interface Interaction {
  readonly a: readonly DrugClass[];
  readonly b: readonly DrugClass[];
  readonly fit: 'adjust' | 'avoid';
  readonly check: 'interaction' | 'duplicate';
  readonly text: string;
  readonly source?: readonly [ReferenceKey, string];
}

/** A small, curated interaction table; each pair is checked in both directions. */
const INTERACTIONS: readonly Interaction[] = [
  { a: ['nsaid'], b: ['doac', 'warfarin', 'heparin'], fit: 'avoid', check: 'interaction', text: 'bleeding risk: NSAID with an anticoagulant', source: ['beers2023', 'Avoid short-term scheduled NSAID use in combination with anticoagulants, antiplatelets or corticosteroids unless alternatives are not available.'] },
  { a: ['nsaid'], b: ['aspirin', 'glucocorticoid', 'ssri'], fit: 'adjust', check: 'interaction', text: 'GI bleeding risk: NSAID with an antiplatelet, corticosteroid or SSRI; add gastroprotection or avoid', source: ['beers2023', 'The risk of GI bleeding from NSAIDs rises with anticoagulants, antiplatelets or corticosteroids.'] },
  { a: ['warfarin'], b: ['amiodarone', 'fluoroquinolone', 'macrolide', 'sulfonamide-antibiotic', 'ssri'], fit: 'adjust', check: 'interaction', text: 'raises INR and bleeding risk with warfarin; avoid when possible, else check INR within days', source: ['beers2023', 'Warfarin with amiodarone, ciprofloxacin, macrolides, trimethoprim-sulfamethoxazole or SSRIs increases bleeding risk: avoid when possible; if used together, monitor INR closely.'] },
  { a: ['opioid'], b: ['benzodiazepine', 'gabapentinoid'], fit: 'avoid', check: 'interaction', text: 'respiratory depression and overdose risk: opioid with a benzodiazepine or gabapentinoid', source: ['beers2023', 'Avoid opioids together with benzodiazepines or gabapentinoids (overdose and respiratory depression).'] },
  { a: ['lithium'], b: ['ace-inhibitor', 'arb', 'loop-diuretic', 'thiazide', 'nsaid'], fit: 'avoid', check: 'interaction', text: 'lithium toxicity: lithium with a RAAS inhibitor, diuretic or NSAID', source: ['beers2023', 'Avoid lithium with ACE inhibitors, ARBs or loop diuretics (lithium toxicity); monitor lithium levels if unavoidable.'] },
  { a: ['ace-inhibitor', 'arb'], b: ['mra', 'potassium-sparing'], fit: 'adjust', check: 'interaction', text: 'hyperkalaemia: RAAS inhibitor with a mineralocorticoid antagonist or potassium-sparing diuretic; check potassium within a week', source: ['kdigoPotassium2020', 'Monitor potassium when combining RAAS inhibitors with other drugs that raise potassium.'] },
  { a: ['ace-inhibitor'], b: ['arb'], fit: 'avoid', check: 'duplicate', text: 'dual RAS blockade: ACE inhibitor with an ARB', source: ['kdigoCkd2024', 'Avoid any combination of ACE inhibitor, ARB and direct renin inhibitor therapy in people with CKD.'] },
  { a: ['doac', 'warfarin'], b: ['doac', 'warfarin'], fit: 'avoid', check: 'duplicate', text: 'two anticoagulants', source: ['atrialFibrillation2023', 'Dose DOACs according to the drug-specific labelled criteria (age, weight, creatinine clearance, interacting drugs).'] },
];

function interactions(drug: DrugEntry, ctx: FitContext): FitReason[] {
  const out: FitReason[] = [];
  for (const { med, entries } of ctx.active) {
    for (const other of entries) {
      if (other.id === drug.id) {
        out.push(reason(ctx, 'adjust', 'duplicate', `Already on ${med.display}: adjust the current prescription instead of adding ${drug.label}`, [med.id]));
        continue;
      }
      for (const rule of INTERACTIONS) {
        const hit = (has(drug, ...rule.a) && has(other, ...rule.b)) || (has(drug, ...rule.b) && has(other, ...rule.a));
        if (hit) out.push(reason(ctx, rule.fit, rule.check, `With ${med.display}: ${rule.text}`, [med.id], rule.source));
      }
    }
  }
  const onRecord = ctx.sign.view.problems(PROBLEM.giBleed);
  if (has(drug, 'nsaid') && onRecord.length) out.push(reason(ctx, 'avoid', 'interaction', `History of ${onRecord[0]!.display}: NSAIDs raise the risk of rebleeding`, [onRecord[0]!.id], ['upperGiBleeding2021', 'After ulcer bleeding, avoid NSAIDs where possible; if needed, use with a PPI.']));
  return out;
}

function dedupe(reasons: readonly FitReason[]): FitReason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => (seen.has(r.text) ? false : (seen.add(r.text), true)));
}
