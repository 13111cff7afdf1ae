/** Glucose, lipids and the liver: diabetes and prediabetes, hyperglycaemic crises, hypoglycaemia, hyperlipidaemia, MASLD. */
import { formatNumber } from '../case-view.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings, lookBack } from '../rules.ts';
import { DRUG, PROBLEM } from '../vocabulary.ts';
import { diabetes, nonSpecificSymptoms } from './shared.ts';

const THREE_YEARS = 3 * 365;

export const type2Diabetes = defineCondition({
  id: 't2dm',
  name: 'Type 2 diabetes mellitus',
  snomed: '44054006',
  icd10: 'E11.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { ...PROBLEM.diabetes },
  keywords: ['type 2 diabetes', 'diabetes', 't2dm', 'hba1c', 'a1c', 'glucose', 'ada criteria', 'diabetes diagnosis', 'metformin'],
  keyFacts: [
    'Diabetes is diagnosed by HbA1c ≥ 6.5 %, fasting glucose ≥ 126 mg/dL, 2-hour OGTT glucose ≥ 200 mg/dL, or random glucose ≥ 200 mg/dL with symptoms.',
    'Without unequivocal hyperglycaemia, two abnormal results are needed: the same test twice or two different tests.',
  ],
  citations: [
    cite(
      'adaDiagnosis2026',
      'Diabetes is diagnosed with HbA1c ≥ 6.5 % (48 mmol/mol), fasting plasma glucose ≥ 126 mg/dL, 2-hour glucose ≥ 200 mg/dL on OGTT, or random glucose ≥ 200 mg/dL with classic symptoms; without unequivocal hyperglycaemia the diagnosis needs two abnormal results, from the same sample or two samples.',
    ),
    cite('adaPharmacology2026', 'Choose glucose-lowering therapy by comorbidity: an SGLT2 inhibitor or GLP-1 receptor agonist with proven benefit for people with cardiovascular disease, heart failure or CKD, alongside lifestyle measures and usually metformin.'),
  ],
  assess(v) {
    if (v.problems(PROBLEM.type1Diabetes).length) return null;
    const f = new Findings();
    const a1c = v.where('hba1c', (x) => x >= 6.5, THREE_YEARS);
    const fpg = v.where('glucose-fasting', (x) => x >= 126, THREE_YEARS);
    const random = v.where('glucose', (x) => x >= 200, 365);
    const recorded = v.problems(PROBLEM.diabetes);
    const confirmed = a1c.length >= 2 || fpg.length >= 2 || (a1c.length >= 1 && fpg.length >= 1);
    const novel = recorded.length === 0;
    if (a1c.length >= 2) {
      f.support(5, `HbA1c 6.5 % or more on ${a1c.length} occasions: ${a1c.slice(-4).map((p) => `${formatNumber(p.value, 1)} % ${ago(p.daysAgo)}`).join(', ')}`, a1c.slice(-4), 'result', { criterion: 0.95, novel });
    } else if (a1c.length === 1) {
      f.support(confirmed ? 3 : 2.5, `HbA1c ${v.format('hba1c', a1c[0]!.value)} ${ago(a1c[0]!.daysAgo)}`, a1c, 'result', confirmed ? { criterion: 0.95, novel } : { novel });
    }
    if (fpg.length) {
      f.support(fpg.length >= 2 ? 3 : 1.5, `Fasting glucose 126 mg/dL or more on ${fpg.length === 1 ? 'one occasion' : `${fpg.length} occasions`} (latest ${v.format('glucose-fasting', fpg.at(-1)!.value)})`, fpg.slice(-4), 'result', fpg.length >= 2 ? { criterion: 0.95, novel } : { novel });
    }
    if (random.length && !confirmed) f.support(1, `Random glucose ${v.format('glucose', random.at(-1)!.value)}; diagnostic only with classic symptoms`, [random.at(-1)], 'result');
    const symptoms = nonSpecificSymptoms(v);
    if (!f.triggered && recorded.length === 0 && symptoms && v.isAdult && !v.has('hba1c', THREE_YEARS) && !v.has('glucose-fasting', THREE_YEARS)) {
      f.support(0.5, `Non-specific symptoms (${symptoms.text}) and no HbA1c or fasting glucose in 3 years`, symptoms.facts, 'problem');
      f.lacks('No HbA1c or fasting glucose in the last 3 years');
      f.step('test', 'HbA1c');
      return f.result();
    }
    if (!f.triggered && recorded.length === 0) return null;
    if (!confirmed && f.triggered) f.lacks('A second abnormal HbA1c or fasting glucose to confirm the diagnosis');
    const trend = v.slopePerYear('hba1c', 5 * 365);
    if (trend && trend.slope > 0.15 && trend.points.at(-1)!.value >= 6.0) {
      f.support(0.5, `HbA1c rising about ${formatNumber(trend.slope, 1)} % a year`, [trend.points[0], trend.points.at(-1)], 'result');
    }
    for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    const treated = [...v.medications(DRUG.metformin), ...v.medications(DRUG.sulfonylurea), ...v.medications(DRUG.insulin), ...v.medications(DRUG.sglt2), ...v.medications(DRUG.glp1)];
    for (const m of treated.slice(0, 2)) f.support(0.5, `Glucose-lowering treatment: ${m.display}`, [m], 'medication');
    if (novel) for (const p of v.problems(PROBLEM.prediabetes).slice(0, 1)) f.support(0.5, `The problem list still says ${p.display}`, [p], 'problem', { novel: true });
    const bmi = v.latest('bmi', 365);
    if (bmi && bmi.value >= 30 && v.isAdult) f.support(0.5, `BMI ${v.format('bmi', bmi.value)}`, [bmi], 'vital');
    const hb = v.latest('hemoglobin', 365);
    if (hb && hb.value < 10 && a1c.length) f.oppose(0.5, `Haemoglobin ${v.format('hemoglobin', hb.value)}: anaemia can make HbA1c unreliable; confirm with glucose`, [hb], 'result');
    if (confirmed && novel) {
      f.step('other', 'Record type 2 diabetes on the problem list (ADA criteria met)');
      f.step('treatment', 'Start treatment: lifestyle and, usually, metformin; choose an SGLT2 inhibitor or GLP-1 RA when there is cardiovascular, heart failure or kidney disease');
    }
    if (!v.has('uacr', 365)) f.step('test', 'Urine albumin/creatinine ratio and eGFR (yearly kidney screening)');
    if (!v.has('ldl', 365)) f.step('test', 'Lipid panel (statin decision)');
    f.step('referral', 'Retinal examination and foot examination if not done in the last year');
    return f.result();
  },
});

export const prediabetes = defineCondition({
  id: 'prediabetes',
  name: 'Prediabetes',
  snomed: '714628002',
  icd10: 'R73.03',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.prediabetes,
  keywords: ['prediabetes', 'impaired fasting glucose', 'hba1c 5.7'],
  keyFacts: ['Prediabetes is HbA1c 5.7–6.4 % or fasting glucose 100–125 mg/dL; test at least yearly and refer to an intensive lifestyle programme.'],
  citations: [cite('adaDiagnosis2026', 'Prediabetes is HbA1c 5.7–6.4 % (39–47 mmol/mol), fasting glucose 100–125 mg/dL or 2-hour OGTT glucose 140–199 mg/dL; it should be retested at least yearly.')],
  assess(v) {
    if (v.problems(PROBLEM.diabetes).length) return null;
    const f = new Findings();
    const a1c = v.latest('hba1c', 2 * 365);
    const fpg = v.latest('glucose-fasting', 2 * 365);
    if (a1c && a1c.value >= 5.7 && a1c.value < 6.5) f.support(3, `Latest HbA1c ${v.format('hba1c', a1c.value)} ${ago(a1c.daysAgo)}`, [a1c], 'result', { criterion: 0.9 });
    if (fpg && fpg.value >= 100 && fpg.value < 126) f.support(2, `Latest fasting glucose ${v.format('glucose-fasting', fpg.value)}`, [fpg], 'result');
    for (const p of v.problems(PROBLEM.prediabetes)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    if (!f.triggered) return null;
    const diabetic = v.where('hba1c', (x) => x >= 6.5, THREE_YEARS);
    const diabeticFpg = v.where('glucose-fasting', (x) => x >= 126, THREE_YEARS);
    if (diabetic.length + diabeticFpg.length >= 2) {
      f.oppose(6, 'Results now meet the criteria for diabetes rather than prediabetes', [...diabetic.slice(-2), ...diabeticFpg.slice(-2)], 'result');
    }
    if (!a1c) f.lacks(`No HbA1c ${lookBack(2 * 365)}`);
    f.step('treatment', 'Intensive lifestyle programme (diabetes prevention programme)');
    f.step('monitoring', 'HbA1c or fasting glucose at least yearly');
    return f.result();
  },
});

export const diabeticKetoacidosis = defineCondition({
  id: 'dka',
  name: 'Diabetic ketoacidosis',
  snomed: '420422005',
  icd10: 'E11.10',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['420422005'], icd10: ['E10.1', 'E11.1', 'E13.1'], text: /ketoacidosis/i },
  keywords: ['dka', 'diabetic ketoacidosis', 'ketones', 'hyperglycaemic crisis', 'hhs', 'euglycaemic'],
  keyFacts: ['DKA: glucose ≥ 200 mg/dL (or known diabetes), ketones ≥ 3.0 mmol/L, and pH < 7.3 or bicarbonate < 18 mmol/L; SGLT2 inhibitors can cause it at near-normal glucose.'],
  citations: [
    cite(
      'hyperglycemicCrises2024',
      'DKA is diagnosed by glucose of 200 mg/dL or more (or prior diabetes), beta-hydroxybutyrate of 3.0 mmol/L or more (or urine ketones 2+), and venous pH below 7.3 or bicarbonate below 18 mmol/L; euglycaemic DKA occurs with SGLT2 inhibitors.',
    ),
  ],
  assess(v) {
    const bicarbonate = v.latest('bicarbonate', 2);
    if (!bicarbonate || bicarbonate.value >= 18) return null;
    const glucose = v.extreme('glucose', 'max', 2);
    const diabetic = v.problems(PROBLEM.diabetes);
    const sglt2 = v.medications(DRUG.sglt2);
    if (!(glucose && glucose.value >= 200) && diabetic.length === 0 && sglt2.length === 0) return null;
    const f = new Findings();
    f.support(2.5, `Bicarbonate ${v.format('bicarbonate', bicarbonate.value)} ${ago(bicarbonate.daysAgo)}`, [bicarbonate], 'result');
    if (glucose && glucose.value >= 200) f.support(glucose.value >= 250 ? 1.5 : 1, `Glucose ${v.format('glucose', glucose.value)}`, [glucose], 'result');
    const ketones = v.latest('ketones', 2);
    if (ketones && ketones.value >= 3) f.support(3, `Beta-hydroxybutyrate ${v.format('ketones', ketones.value)}`, [ketones], 'result', { criterion: 0.9 });
    if (ketones && ketones.value < 1.5) f.oppose(4, `Beta-hydroxybutyrate only ${v.format('ketones', ketones.value)}`, [ketones], 'result');
    if (!ketones) f.lacks('No blood ketone (beta-hydroxybutyrate) result');
    for (const p of diabetic.slice(0, 1)) f.support(0.5, `Known diabetes: ${p.display}`, [p], 'problem');
    for (const m of sglt2) f.support(1, `SGLT2 inhibitor (euglycaemic DKA risk): ${m.display}`, [m], 'medication');
    if (v.problems(PROBLEM.type1Diabetes).length) {
      f.icd10 = 'E10.10';
    }
    const lactate = v.latest('lactate', 1);
    if (lactate && lactate.value >= 2.5) f.oppose(1.5, `Lactate ${v.format('lactate', lactate.value)}: lactic acidosis may explain the low bicarbonate`, [lactate], 'result');
    f.step('test', 'Beta-hydroxybutyrate, venous blood gas (pH) and anion gap');
    f.step('treatment', 'If confirmed: fluids, fixed-rate insulin, potassium replacement per the 2024 consensus');
    return f.result();
  },
});

export const hypoglycaemia = defineCondition({
  id: 'hypoglycaemia',
  name: 'Hypoglycaemia',
  snomed: '302866003',
  icd10: 'E16.2',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['302866003'], icd10: ['E16.0', 'E16.1', 'E16.2'], text: /hypoglyc/i },
  keywords: ['hypoglycaemia', 'hypoglycemia', 'low glucose', 'sulfonylurea', 'glyburide'],
  keyFacts: ['Glucose below 70 mg/dL is level 1 and below 54 mg/dL level 2 hypoglycaemia; sulfonylureas (glyburide above all) and insulin are the usual causes in older adults.'],
  citations: [
    cite('beers2023', 'Avoid sulfonylureas as first- or second-line therapy in older adults because of the risk of prolonged hypoglycaemia; if one is used, prefer a short-acting agent over glyburide or glimepiride.'),
    cite('adaPharmacology2026', 'Weigh the risk of hypoglycaemia when choosing glucose-lowering agents and prefer agents with low hypoglycaemia risk when that risk matters.'),
  ],
  assess(v) {
    const lows = [...v.where('glucose', (x) => x < 70, 180), ...v.where('glucose-fasting', (x) => x < 70, 180)].sort((a, b) => b.daysAgo - a.daysAgo);
    const mentioned = v.mentions(/hypoglyc/i, 180);
    if (lows.length === 0 && mentioned.length === 0) return null;
    const f = new Findings();
    if (lows.length) {
      const lowest = lows.reduce((a, b) => (b.value < a.value ? b : a));
      f.support(lowest.value < 54 ? 4 : 3, `Glucose ${v.format('glucose', lowest.value)} ${ago(lowest.daysAgo)}${lowest.value < 54 ? ' (level 2)' : ''}`, [lowest], 'result', { criterion: 0.9 });
      if (lows.length > 1) f.support(1, `${lows.length} low glucose results in 6 months`, lows, 'result');
    }
    if (mentioned.length) f.support(1, 'Hypoglycaemia described in the notes', mentioned, 'note');
    const causes = [...v.medications(DRUG.sulfonylurea), ...v.medications(DRUG.insulin)];
    for (const m of causes) f.support(1.5, `Can cause hypoglycaemia: ${m.display}`, [m], 'medication', { novel: true });
    if (causes.length) {
      f.name = 'Drug-induced hypoglycaemia';
      f.icd10 = 'E16.0';
      const a1c = v.latest('hba1c', 365);
      if (a1c && a1c.value < 7 && v.age !== null && v.age >= 75) f.support(0.5, `HbA1c ${v.format('hba1c', a1c.value)} in a ${v.person}: tighter than an older adult needs`, [a1c], 'result');
      f.step('treatment', 'Stop or reduce the sulfonylurea or insulin; if a drug is needed, choose one with low hypoglycaemia risk');
    } else {
      f.step('test', 'If no glucose-lowering drug explains it: cortisol, and insulin/C-peptide during a low glucose');
    }
    f.step('monitoring', 'Glucose monitoring while treatment changes');
    return f.result();
  },
});

export const hyperlipidaemia = defineCondition({
  id: 'hyperlipidaemia',
  name: 'Hyperlipidaemia',
  snomed: '55822004',
  icd10: 'E78.5',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.hyperlipidaemia,
  keywords: ['hyperlipidaemia', 'hyperlipidemia', 'cholesterol', 'ldl', 'statin', 'lipids'],
  keyFacts: [
    'LDL ≥ 190 mg/dL warrants a high-intensity statin without risk calculation.',
    'Adults 40–75 with diabetes warrant at least a moderate-intensity statin; clinical ASCVD warrants a high-intensity statin.',
  ],
  citations: [
    cite('lipids2018', 'Start a high-intensity statin for LDL of 190 mg/dL or more and for clinical ASCVD; adults aged 40–75 with diabetes should take at least a moderate-intensity statin.'),
  ],
  assess(v) {
    if (!v.isAdult) return null;
    const f = new Findings();
    const ldl = v.latest('ldl', THREE_YEARS);
    const statin = v.medications(DRUG.statin);
    const stopped = v.medications(DRUG.statin, true).filter((m) => !statin.includes(m));
    const diabetic = diabetes(v);
    const ascvd = v.problems(PROBLEM.coronaryDisease).concat(v.problems(PROBLEM.strokeOrTia));
    const recorded = v.problems(PROBLEM.hyperlipidaemia);
    if (ldl && ldl.value >= 190) f.support(4, `LDL ${v.format('ldl', ldl.value)} ${ago(ldl.daysAgo)} (190 or more)`, [ldl], 'result', { criterion: 0.95 });
    else if (ldl && ldl.value >= 160) f.support(3, `LDL ${v.format('ldl', ldl.value)} ${ago(ldl.daysAgo)}`, [ldl], 'result');
    else if (ldl && ldl.value >= 130) f.support(1.5, `LDL ${v.format('ldl', ldl.value)} ${ago(ldl.daysAgo)}`, [ldl], 'result');
    if (statin.length === 0 && ldl && ldl.value >= 70) {
      if (diabetic && v.age !== null && v.age >= 40 && v.age <= 75) f.support(1.5, `Diabetes (${diabetic.text}) in a ${v.person} without a statin`, [...diabetic.facts, ldl], 'result', { novel: true });
      if (ascvd.length) f.support(2, `Atherosclerotic disease without a statin: ${ascvd[0]!.display}`, [ascvd[0], ldl], 'result', { novel: true });
    }
    if (!f.triggered && recorded.length === 0) return null;
    for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    for (const m of stopped.slice(0, 1)) f.support(0.5, `Statin no longer active: ${m.display}${m.status ? ` (${m.status})` : ''}`, [m], 'medication');
    if (!ldl) f.lacks(`No LDL cholesterol ${lookBack(THREE_YEARS)}`);
    if (statin.length === 0) f.step('treatment', ldl && ldl.value >= 190 ? 'High-intensity statin' : 'Discuss statin therapy by risk (10-year ASCVD risk, diabetes, CKD)');
    if (stopped.length && statin.length === 0) f.step('treatment', 'If a statin caused muscle symptoms, try another statin or dose, or ezetimibe');
    f.step('test', 'Lipid panel 4–12 weeks after starting or changing therapy');
    return f.result();
  },
});

export const masld = defineCondition({
  id: 'masld',
  name: 'Metabolic dysfunction-associated steatotic liver disease (MASLD)',
  snomed: '197315008',
  icd10: 'K76.0',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.liverDisease,
  keywords: ['masld', 'nafld', 'fatty liver', 'steatosis', 'fib-4', 'alt', 'liver enzymes', 'nash', 'mash'],
  keyFacts: ['In people with type 2 diabetes, obesity with metabolic risk, or raised ALT, estimate fibrosis risk with FIB-4; at 1.3 or more, go on to elastography or an ELF test.'],
  citations: [
    cite('masld2023', 'Risk-stratify people with type 2 diabetes, obesity with metabolic risk factors, or steatosis with FIB-4; a FIB-4 of 1.3 or more should be followed by vibration-controlled transient elastography or an ELF test.'),
  ],
  assess(v) {
    if (!v.isAdult) return null;
    const alt = v.latest('alt', 365);
    const recorded = v.problems(PROBLEM.liverDisease);
    // The laboratory's own upper limit when it sent one; ALT limits vary widely between assays.
    const altHigh = alt !== undefined && alt.value > (v.measurement('alt')?.referenceHigh ?? 40);
    if (!altHigh && recorded.length === 0) return null;
    const risk = [
      ...v.problems(PROBLEM.diabetes).slice(0, 1),
      ...v.problems(PROBLEM.prediabetes).slice(0, 1),
      ...v.problems(PROBLEM.obesity).slice(0, 1),
    ];
    const bmi = v.latest('bmi', 365);
    const a1c = v.where('hba1c', (x) => x >= 5.7, 365);
    if (altHigh && risk.length === 0 && !(bmi && bmi.value >= 30) && a1c.length === 0 && recorded.length === 0) return null;
    const f = new Findings();
    if (altHigh && alt) f.support(2, `ALT ${v.format('alt', alt.value)} ${ago(alt.daysAgo)}`, [alt], 'result');
    for (const p of risk) f.support(1, `Metabolic risk factor: ${p.display}`, [p], 'problem');
    if (bmi && bmi.value >= 30) f.support(1, `BMI ${v.format('bmi', bmi.value)}`, [bmi], 'vital');
    if (risk.length === 0 && a1c.length) f.support(1, `HbA1c ${v.format('hba1c', a1c.at(-1)!.value)}`, [a1c.at(-1)], 'result');
    for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    const ast = v.latest('ast', 365);
    const platelets = v.latest('platelets', 365);
    if (ast && alt && platelets && v.age !== null) {
      const fib4 = (v.age * ast.value) / (platelets.value * Math.sqrt(alt.value));
      const text = `FIB-4 ${formatNumber(fib4, 2)} (age ${v.age}, AST ${formatNumber(ast.value, 0)}, ALT ${formatNumber(alt.value, 0)}, platelets ${formatNumber(platelets.value, 0)})`;
      if (fib4 >= 1.3) f.support(1, `${text}: indeterminate or high fibrosis risk`, [ast, alt, platelets], 'result');
      else f.oppose(0.5, `${text}: low fibrosis risk`, [ast, alt, platelets], 'result');
      f.step(fib4 >= 1.3 ? 'test' : 'monitoring', fib4 >= 1.3 ? 'Elastography (VCTE) or ELF test for fibrosis' : 'Repeat FIB-4 in 1–3 years');
    } else {
      f.lacks(`No ${[!ast && 'AST', !platelets && 'platelet count'].filter(Boolean).join(' or ')} ${lookBack(365)} to calculate FIB-4`);
      f.step('test', 'AST and platelet count to calculate FIB-4');
    }
    if (!v.mentions(/alcohol|etoh|drinks/i).length) f.lacks('Alcohol intake is not documented (MetALD and alcohol-related liver disease)');
    f.step('test', 'Liver ultrasound for steatosis; hepatitis B and C serology');
    f.step('treatment', 'Weight loss of 7–10 % and treatment of diabetes and lipids');
    return f.result();
  },
});

export const METABOLIC = [type2Diabetes, prediabetes, diabeticKetoacidosis, hypoglycaemia, hyperlipidaemia, masld];
