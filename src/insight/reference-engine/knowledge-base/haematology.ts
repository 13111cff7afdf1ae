/** Blood: iron deficiency and its source, B12 deficiency, anaemia of CKD, myeloma, iron overload, GI bleeding. */
import { formatNumber } from '../case-view.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings, lookBack } from '../rules.ts';
import { DRUG, PROBLEM } from '../vocabulary.ts';
import { anaemia, haemoglobinFall, nonSpecificSymptoms } from './shared.ts';

const COELIAC_TEST = /transglutaminase|\bttg\b|coeliac|celiac|endomysial/i;
const ENDOSCOPY = /colonoscop|endoscop|gastroscop|\bogd\b|\begd\b/i;
const PARAPROTEIN_TEST = /electrophoresis|immunofixation|free light chain|paraprotein|m-?protein|m-?spike/i;

export const ironDeficiencyAnaemia = defineCondition({
  id: 'iron-deficiency-anaemia',
  name: 'Iron-deficiency anaemia',
  snomed: '87522002',
  icd10: 'D50.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['87522002'], icd10: ['D50'], text: /iron[- ]deficien/i },
  keywords: ['iron deficiency', 'iron-deficiency anaemia', 'iron deficiency anemia', 'ferritin', 'microcytic', 'ida', 'anaemia', 'anemia', 'intravenous iron', 'endoscopy'],
  keyFacts: [
    'Ferritin is the most useful single test: below 15 ng/mL confirms iron deficiency, and the AGA uses 45 ng/mL as the cut-off in anaemia.',
    'Men and postmenopausal women with iron-deficiency anaemia need GI evaluation (bidirectional endoscopy); everyone should have coeliac serology.',
    'Give oral iron once daily or on alternate days; use intravenous iron when oral iron is not tolerated or does not work.',
  ],
  citations: [
    cite(
      'ironDeficiencyBsg2021',
      'Serum ferritin is the single most useful marker of iron deficiency; test all adults with iron-deficiency anaemia for coeliac disease and haematuria, investigate the GI tract in men and postmenopausal women, and use intravenous iron when oral iron is contraindicated, not tolerated or ineffective.',
    ),
    cite('ironDeficiencyAga2020', 'Use a ferritin cut-off of 45 ng/mL to diagnose iron deficiency in anaemia; bidirectional endoscopy is recommended for asymptomatic men and postmenopausal women with iron-deficiency anaemia and suggested for premenopausal women.'),
  ],
  assess(v) {
    const low = anaemia(v);
    if (!low) {
      const symptoms = nonSpecificSymptoms(v);
      if (!symptoms || v.has('hemoglobin', 365)) return null;
      const f = new Findings();
      f.support(0.5, `Non-specific symptoms (${symptoms.text}) and no blood count ${lookBack(365)}`, symptoms.facts, 'problem');
      for (const p of v.problems(PROBLEM.menorrhagia)) f.support(1, `Source of blood loss: ${p.display}`, [p], 'problem');
      f.lacks(`No haemoglobin or ferritin ${lookBack(365)}`);
      f.step('test', 'Full blood count and ferritin');
      return f.result();
    }
    const ferritin = v.latest('ferritin', 365);
    const mcv = v.latest('mcv', 365);
    const tsat = v.latest('tsat', 365);
    const ironSignal = (mcv && mcv.value < 80) || (ferritin && ferritin.value < 45) || (tsat && tsat.value < 20);
    if (!ironSignal) return null;
    const f = new Findings();
    f.support(2, `Haemoglobin ${v.format('hemoglobin', low.latest.value)} ${ago(low.latest.daysAgo)} (anaemia threshold ${formatNumber(low.threshold, 1)} g/dL)`, [low.latest], 'result');
    const fall = haemoglobinFall(v, 2 * 365, 1.5);
    if (fall) f.support(1, `Haemoglobin fell from ${v.format('hemoglobin', fall.from.value)} ${ago(fall.from.daysAgo)}`, [fall.from, fall.to], 'result', { novel: true });
    if (mcv && mcv.value < 80) f.support(1.5, `Microcytosis: MCV ${v.format('mcv', mcv.value)}`, [mcv], 'result');
    if (ferritin) {
      if (ferritin.value < 15) f.support(3, `Ferritin ${v.format('ferritin', ferritin.value)}: diagnostic of iron deficiency`, [ferritin], 'result', { criterion: 0.95, novel: true });
      else if (ferritin.value < 30) f.support(2.5, `Ferritin ${v.format('ferritin', ferritin.value)}`, [ferritin], 'result', { criterion: 0.9, novel: true });
      else if (ferritin.value < 45) f.support(1.5, `Ferritin ${v.format('ferritin', ferritin.value)} (below the AGA cut-off of 45)`, [ferritin], 'result');
      else if (ferritin.value > 100) f.oppose(3, `Ferritin ${v.format('ferritin', ferritin.value)} makes iron deficiency unlikely unless there is inflammation`, [ferritin], 'result');
    } else {
      f.lacks(`No ferritin ${lookBack(365)}`);
    }
    if (tsat && tsat.value < 20) f.support(1, `Transferrin saturation ${v.format('tsat', tsat.value)}`, [tsat], 'result');
    const platelets = v.latest('platelets', 365);
    if (platelets && platelets.value > 400) f.support(0.5, `Reactive thrombocytosis: platelets ${v.format('platelets', platelets.value)}`, [platelets], 'result');
    if (mcv && mcv.value > 100) f.oppose(2, `Macrocytosis (MCV ${v.format('mcv', mcv.value)}) points elsewhere`, [mcv], 'result');

    const sources = [...v.problems(PROBLEM.menorrhagia), ...v.problems(PROBLEM.giBleed)];
    for (const p of sources) f.support(1, `Source of blood loss: ${p.display}`, [p], 'problem');
    const bleeding = v.mentions(/heavy (?:menstrual|periods)|flooding|menorrhag|melaena|melena|black stools|blood in (?:the )?stool|rectal bleeding|haematochezia|hematochezia/i);
    if (bleeding.length && sources.length === 0) f.support(1, `Blood loss described in the notes (${bleeding[0]!.phrase})`, bleeding, 'note');
    if (sources.length || bleeding.length) {
      f.name = 'Iron-deficiency anaemia from chronic blood loss';
      f.icd10 = 'D50.0';
    }
    for (const m of [...v.medications(DRUG.nsaid), ...v.medications(DRUG.apixaban), ...v.medications(DRUG.rivaroxaban), ...v.medications(DRUG.warfarin), ...v.medications(DRUG.antiplatelet)]) {
      f.support(0.5, `May add to blood loss: ${m.display}`, [m], 'medication');
    }
    const diet = v.mentions(/vegetarian|vegan/i);
    if (diet.length) f.support(0.5, 'Low dietary iron (vegetarian or vegan diet in the notes)', diet, 'note');
    const stoppedIron = v.medications(DRUG.oralIron, true).filter((m) => (m.status ?? '').toLowerCase() === 'stopped');
    const activeIron = v.medications(DRUG.oralIron);
    for (const m of stoppedIron) f.support(0.5, `Oral iron was stopped: ${m.display}`, [m], 'medication', { novel: true });

    const postmenopausalOrMale = v.sex === 'male' || (v.sex === 'female' && v.age !== null && v.age >= 50);
    if (!v.summary.textResults.some((r) => COELIAC_TEST.test(r.display)) && !v.mentions(COELIAC_TEST).length) f.lacks('No coeliac serology (tTG-IgA) in the chart');
    if (postmenopausalOrMale && !v.mentions(ENDOSCOPY).length) f.lacks('No gastroscopy or colonoscopy recorded');
    if (!ferritin) f.step('test', 'Ferritin (and transferrin saturation)');
    f.step('test', 'Coeliac serology (tTG-IgA) and urinalysis for haematuria');
    if (postmenopausalOrMale) f.step('referral', 'Gastroenterology: bidirectional endoscopy (gastroscopy and colonoscopy)');
    else {
      if (sources.some((p) => PROBLEM.menorrhagia.text.test(p.display)) || bleeding.length) f.step('referral', 'Gynaecology assessment of heavy menstrual bleeding');
      f.step('referral', 'GI evaluation if there are GI symptoms, a family history of GI cancer, or iron deficiency persists once the menstrual cause is treated');
    }
    f.step('treatment', stoppedIron.length && !activeIron.length ? 'Intravenous iron (oral iron was not tolerated), or retry oral iron on alternate days' : 'Oral iron once daily or on alternate days; intravenous iron if not tolerated or ineffective');
    f.step('monitoring', 'Haemoglobin 2–4 weeks after starting iron (expect a rise of about 2 g/dL in 3–4 weeks)');
    return f.result();
  },
});

export const b12Deficiency = defineCondition({
  id: 'b12-deficiency',
  name: 'Vitamin B12 deficiency anaemia',
  snomed: '49472006',
  icd10: 'D51.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['49472006', '84027009'], icd10: ['D51', 'E53.8'], text: /b12|cobalamin|pernicious/i },
  keywords: ['b12', 'vitamin b12', 'cobalamin', 'pernicious anaemia', 'macrocytic', 'methylmalonic', 'metformin b12'],
  keyFacts: [
    'B12 below 200 pg/mL is usually deficient; 200–300 pg/mL is borderline and methylmalonic acid helps decide.',
    'Long-term metformin and acid suppression lower B12; people on metformin should have B12 measured periodically.',
  ],
  citations: [
    cite('b12Stabler2013', 'Serum B12 below 200 pg/mL is consistent with deficiency; borderline values (200–350 pg/mL) are clarified by methylmalonic acid; metformin and acid-suppressing drugs are associated with low B12.'),
    cite('cobalaminBsh2014', 'Measure cobalamin with folate in macrocytic anaemia or unexplained neurological symptoms; check anti-intrinsic factor antibodies when B12 is low, and do not let a normal result override strong clinical suspicion.'),
  ],
  assess(v) {
    const b12 = v.latest('b12', 2 * 365);
    const mcv = v.latest('mcv', 365);
    const low = anaemia(v);
    const metformin = v.medications(DRUG.metformin).filter((m) => (m.startedDaysAgo ?? 0) >= 4 * 365);
    const f = new Findings();
    if (b12 && b12.value < 200) f.support(4, `Vitamin B12 ${v.format('b12', b12.value)} ${ago(b12.daysAgo)}`, [b12], 'result', { criterion: 0.85 });
    else if (b12 && b12.value < 300) f.support(1.5, `Vitamin B12 ${v.format('b12', b12.value)} (borderline)`, [b12], 'result');
    if (mcv && mcv.value > 100 && low) f.support(2, `Macrocytic anaemia: MCV ${v.format('mcv', mcv.value)}, haemoglobin ${v.format('hemoglobin', low.latest.value)}`, [mcv, low.latest], 'result');
    if (!b12 || b12.daysAgo > 2 * 365) for (const m of metformin.slice(0, 1)) f.support(0.5, `Long-term metformin without a recent B12: ${m.display}`, [m], 'medication');
    if (!f.triggered) return null;
    if (low) f.support(0.5, `Anaemia: haemoglobin ${v.format('hemoglobin', low.latest.value)}`, [low.latest], 'result');
    for (const m of v.medications(DRUG.ppi).filter((x) => (x.startedDaysAgo ?? 0) > 2 * 365)) f.support(0.5, `Long-term acid suppression: ${m.display}`, [m], 'medication');
    const neuro = v.mentions(/neuropath|paraesthes|paresthes|numbness|tingling|ataxia/i);
    if (neuro.length) f.support(1, `Neurological symptoms in the notes (${neuro[0]!.phrase})`, neuro, 'note');
    if (mcv && mcv.value < 80) f.oppose(1, `Microcytosis (MCV ${v.format('mcv', mcv.value)}) points to iron deficiency instead`, [mcv], 'result');
    if (!low && b12 && b12.value < 200) {
      f.name = 'Vitamin B12 deficiency (without anaemia so far)';
    }
    if (!b12) f.lacks(`No vitamin B12 ${lookBack(2 * 365)}`);
    if (!v.has('folate', 2 * 365)) f.lacks('No folate result');
    f.step('test', b12 && b12.value >= 200 ? 'Methylmalonic acid to settle a borderline B12' : 'Vitamin B12 and folate; anti-intrinsic factor antibodies if B12 is low');
    f.step('treatment', 'Replace B12 (intramuscular, or high-dose oral when absorption is not the problem)');
    return f.result();
  },
});

export const anaemiaOfCkd = defineCondition({
  id: 'anaemia-of-ckd',
  name: 'Anaemia of chronic kidney disease',
  snomed: '707323002',
  icd10: 'D63.1',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['707323002'], icd10: ['D63.1'], text: /anaemia (?:of|in) (?:chronic )?kidney|anemia (?:of|in) (?:chronic )?kidney|renal anaemia|renal anemia/i },
  keywords: ['anaemia of ckd', 'renal anaemia', 'anemia ckd', 'esa', 'erythropoietin'],
  keyFacts: ['Anaemia becomes common as GFR falls; look for iron, B12 and folate deficiency before attributing it to CKD.'],
  citations: [cite('kdigoCkd2024', 'Anaemia is among the complications to look for and manage as the GFR category worsens; evaluate it, including iron status, following the KDIGO anaemia guidance.')],
  assess(v) {
    const low = anaemia(v);
    const egfr = v.latest('egfr', 365);
    if (!low || !egfr || egfr.value >= 60) return null;
    const lowRun = v.persistent('egfr', (x) => x < 60, 90);
    const f = new Findings();
    f.support(2, `Haemoglobin ${v.format('hemoglobin', low.latest.value)} ${ago(low.latest.daysAgo)}`, [low.latest], 'result');
    f.support(egfr.value < 30 ? 2.5 : egfr.value < 45 ? 2 : 1, `eGFR ${v.format('egfr', egfr.value)}${lowRun ? ', below 60 for more than 3 months' : ''}`, lowRun ? [lowRun[0], egfr] : [egfr], 'result');
    const fast = haemoglobinFall(v, 365, 2);
    const fall = haemoglobinFall(v, 5 * 365, 1.5);
    if (fast) f.oppose(1, `Haemoglobin fell ${formatNumber(fast.from.value - fast.to.value, 1)} g/dL within a year: faster than CKD alone explains`, [fast.from, fast.to], 'result');
    else if (fall) f.support(0.5, `Haemoglobin fell from ${v.format('hemoglobin', fall.from.value)} as kidney function declined`, [fall.from, fall.to], 'result');
    if (!lowRun) f.oppose(1.5, 'Kidney function has not been reduced for 3 months: a recent fall does not explain anaemia as CKD does', [egfr], 'result');
    const mcv = v.latest('mcv', 365);
    if (mcv && mcv.value >= 80 && mcv.value <= 100) f.support(0.5, `Normocytic (MCV ${v.format('mcv', mcv.value)})`, [mcv], 'result');
    const ferritin = v.latest('ferritin', 365);
    if (ferritin && ferritin.value < 30) f.oppose(1.5, `Ferritin ${v.format('ferritin', ferritin.value)}: iron deficiency contributes or explains it`, [ferritin], 'result');
    if (!ferritin) f.lacks(`No ferritin or transferrin saturation ${lookBack(365)}`);
    f.step('test', 'Iron studies (ferritin, transferrin saturation), B12 and folate');
    f.step('referral', 'With nephrology: iron repletion first, then consider an erythropoiesis-stimulating agent');
    return f.result();
  },
});

export const multipleMyeloma = defineCondition({
  id: 'multiple-myeloma',
  name: 'Multiple myeloma',
  snomed: '109989006',
  icd10: 'C90.00',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: 'Rare: about 7 new cases per 100,000 people a year, mostly over 60',
  prior: -1.5,
  recordedAs: { codes: ['109989006'], icd10: ['C90'], text: /myeloma|plasmacytoma/i },
  keywords: ['myeloma', 'multiple myeloma', 'crab', 'paraprotein', 'hypercalcaemia', 'hypercalcemia', 'free light chains', 'electrophoresis', 'lytic lesion'],
  keyFacts: [
    'Myeloma-defining CRAB features: calcium > 11 mg/dL, creatinine > 2 mg/dL or clearance < 40 mL/min, haemoglobin < 10 g/dL, one or more lytic bone lesions.',
    'A raised globulin gap (total protein minus albumin) suggests a paraprotein; test with serum protein electrophoresis, immunofixation and serum free light chains.',
  ],
  citations: [
    cite(
      'myeloma2014',
      'Myeloma is ≥ 10 % clonal bone-marrow plasma cells (or a plasmacytoma) with a myeloma-defining event: calcium above 11 mg/dL, creatinine above 2 mg/dL or clearance below 40 mL/min, haemoglobin below 10 g/dL or 2 g/dL below normal, or one or more osteolytic lesions on imaging.',
    ),
  ],
  assess(v) {
    const f = new Findings();
    let crab = 0;
    const calcium = v.latest('calcium', 90);
    const albumin = calcium ? v.points('albumin', 90).find((p) => Math.abs(p.daysAgo - calcium.daysAgo) < 1) : undefined;
    const corrected = calcium && albumin && albumin.value < 4 ? calcium.value + 0.8 * (4 - albumin.value) : calcium?.value;
    if (calcium && corrected !== undefined && corrected > 11) {
      crab++;
      f.support(2.5, `Hypercalcaemia: calcium ${v.format('calcium', calcium.value)}${albumin && corrected !== calcium.value ? ` (${formatNumber(corrected, 1)} mg/dL corrected for albumin ${formatNumber(albumin.value, 1)})` : ''}`, [calcium, albumin], 'result', { novel: true });
    } else if (calcium && corrected !== undefined && corrected > 10.5) {
      f.support(1, `Calcium ${v.format('calcium', calcium.value)} at the top of or above the range`, [calcium, albumin], 'result');
    }
    const hb = v.latest('hemoglobin', 90);
    if (hb && hb.value < 10) {
      crab++;
      f.support(2, `Anaemia: haemoglobin ${v.format('hemoglobin', hb.value)}`, [hb], 'result');
    } else if (anaemia(v)) f.support(1, `Mild anaemia: haemoglobin ${v.format('hemoglobin', anaemia(v)!.latest.value)}`, [anaemia(v)!.latest], 'result');
    const creatinine = v.latest('creatinine', 90);
    const egfr = v.latest('egfr', 90);
    if ((creatinine && creatinine.value > 2) || (egfr && egfr.value < 40)) {
      crab++;
      f.support(2, `Renal impairment: ${[creatinine && `creatinine ${v.format('creatinine', creatinine.value)}`, egfr && `eGFR ${v.format('egfr', egfr.value)}`].filter(Boolean).join(', ')}`, [creatinine, egfr], 'result');
    }
    const rise = v.points('creatinine', 365);
    if (rise.length >= 2 && rise.at(-1)!.value >= rise[0]!.value * 1.5) {
      f.support(1, `Creatinine rose from ${v.format('creatinine', rise[0]!.value)} ${ago(rise[0]!.daysAgo)} to ${v.format('creatinine', rise.at(-1)!.value)}`, [rise[0], rise.at(-1)], 'result', { novel: true });
    }
    const bone = v.mentions(/lytic|lucen(?:cy|t)|osteolytic|punched[- ]out|pathological fracture|vertebral (?:collapse|compression)|loss of height/i);
    if (bone.length) {
      crab++;
      f.support(2, `Bone lesion described (${bone[0]!.phrase})`, bone, 'note');
    }
    const protein = v.latest('protein', 90);
    const alb = protein ? v.points('albumin', 90).find((p) => Math.abs(p.daysAgo - protein.daysAgo) < 1) : undefined;
    const globulin = v.latest('globulin', 90);
    const gap = protein && alb ? protein.value - alb.value : globulin?.value;
    const gapHigh = gap !== undefined && gap >= 4;
    if (gapHigh) f.support(2, `Raised globulin gap: ${formatNumber(gap, 1)} g/dL${protein && alb ? ` (total protein ${formatNumber(protein.value, 1)}, albumin ${formatNumber(alb.value, 1)})` : ''}`, protein && alb ? [protein, alb] : [globulin], 'result', { novel: true });
    if (crab < 2 && !(gapHigh && crab >= 1)) return null;
    const esr = v.latest('esr', 90);
    if (esr && esr.value >= 50) f.support(1, `ESR ${v.format('esr', esr.value)}`, [esr], 'result');
    for (const p of v.problems(PROBLEM.backPain).slice(0, 1)) f.support(0.5, `Back pain: ${p.display}`, [p], 'problem');
    if (v.age !== null && v.age >= 60) f.context(0.5, `${v.person}`);
    const pth = v.latest('pth', 90);
    if (pth && pth.value > 65) f.oppose(1.5, `PTH ${v.format('pth', pth.value)}: hyperparathyroidism may explain the calcium`, [pth], 'result');
    for (const m of v.medications(DRUG.nsaid)) f.support(0.5, `NSAID while kidney function falls: ${m.display}`, [m], 'medication');
    const tested = v.summary.textResults.some((r) => PARAPROTEIN_TEST.test(r.display)) || v.summary.series.some((s) => PARAPROTEIN_TEST.test(s.display));
    if (!tested) f.lacks('No serum protein electrophoresis, immunofixation or free light chains in the chart');
    f.step('test', 'Serum protein electrophoresis with immunofixation and serum free light chains (urgent)');
    f.step('test', 'Whole-body low-dose CT (or MRI) for bone lesions');
    f.step('treatment', 'Treat hypercalcaemia (fluids); stop NSAIDs and other nephrotoxins');
    f.step('referral', 'Urgent haematology referral');
    return f.result();
  },
});

export const haemochromatosis = defineCondition({
  id: 'haemochromatosis',
  name: 'Haemochromatosis (iron overload)',
  snomed: '399187006',
  icd10: 'E83.119',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: 'Uncommon: HFE C282Y homozygosity affects about 1 in 200–300 people of northern European ancestry, and fewer develop iron overload',
  prior: -1,
  recordedAs: { codes: ['399187006'], icd10: ['E83.11'], text: /ha?emochromatosis|iron overload/i },
  keywords: ['haemochromatosis', 'hemochromatosis', 'iron overload', 'hfe', 'c282y', 'transferrin saturation', 'high ferritin', 'phlebotomy'],
  keyFacts: [
    'Transferrin saturation of 45 % or more with a raised ferritin calls for HFE genotyping.',
    'Ferritin above 1,000 ng/mL raises the risk of cirrhosis and warrants assessment for fibrosis.',
  ],
  citations: [
    cite('haemochromatosisAcg2019', 'With transferrin saturation of 45 % or more and a raised ferritin, test for HFE mutations (C282Y); with ferritin above 1,000 ng/mL assess for advanced fibrosis; treat iron overload by phlebotomy to a ferritin of 50–100 ng/mL.'),
    cite('haemochromatosisEasl2022', 'Suspect haemochromatosis when transferrin saturation exceeds 45 % with raised ferritin, and confirm with HFE genotyping.'),
  ],
  assess(v) {
    const tsat = v.latest('tsat', 2 * 365);
    const ferritin = v.latest('ferritin', 2 * 365);
    const ferritinHigh = ferritin && ferritin.value > (v.sex === 'female' ? 200 : 300);
    if (!(tsat && tsat.value >= 45) && !(ferritin && ferritin.value > 1000)) return null;
    const f = new Findings();
    if (tsat && tsat.value >= 45) f.support(2.5, `Transferrin saturation ${v.format('tsat', tsat.value)}`, [tsat], 'result');
    if (ferritin && ferritinHigh) f.support(ferritin.value > 1000 ? 3 : 2, `Ferritin ${v.format('ferritin', ferritin.value)}`, [ferritin], 'result');
    const alt = v.latest('alt', 365);
    if (alt && alt.value > 40) f.support(0.5, `ALT ${v.format('alt', alt.value)}`, [alt], 'result');
    for (const p of v.problems(PROBLEM.diabetes).slice(0, 1)) f.support(0.5, `Diabetes can be a consequence: ${p.display}`, [p], 'problem');
    const crp = v.latest('crp', 30);
    if (crp && crp.value > 10 && ferritin && ferritinHigh) f.oppose(1, `CRP ${v.format('crp', crp.value)}: inflammation raises ferritin`, [crp], 'result');
    if (ferritin && ferritinHigh && (!tsat || tsat.value < 45)) f.oppose(1.5, 'Raised ferritin without a raised transferrin saturation is usually not haemochromatosis', [ferritin, tsat], 'result');
    if (!tsat) f.lacks('No transferrin saturation');
    f.step('test', 'Fasting transferrin saturation and HFE genotyping (C282Y, H63D)');
    if (ferritin && ferritin.value > 1000) f.step('test', 'Assess for advanced fibrosis (elastography)');
    f.step('treatment', 'If confirmed: phlebotomy to a ferritin of 50–100 ng/mL; screen first-degree relatives');
    return f.result();
  },
});

export const gastrointestinalBleeding = defineCondition({
  id: 'gi-bleeding',
  name: 'Gastrointestinal bleeding',
  snomed: '74474003',
  icd10: 'K92.2',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.giBleed,
  keywords: ['gi bleeding', 'gastrointestinal bleeding', 'upper gi bleed', 'melaena', 'melena', 'haematemesis', 'hematemesis', 'glasgow-blatchford', 'peptic ulcer'],
  keyFacts: ['Risk-stratify with the Glasgow-Blatchford score (0–1: outpatient care is reasonable); admitted patients should have endoscopy within 24 hours.'],
  citations: [
    cite('upperGiBleeding2021', 'Use the Glasgow-Blatchford score to identify very-low-risk patients (score 0–1) who can be managed as outpatients, and perform upper endoscopy within 24 hours of presentation for patients admitted with upper GI bleeding.'),
  ],
  assess(v) {
    const fall = haemoglobinFall(v, 30, 2);
    const mentions = v.mentions(/melaena|melena|black(?:,)? tarry|black stools|haematemesis|hematemesis|coffee[- ]ground|rectal bleeding|haematochezia|hematochezia|blood in (?:the )?stool/i, 30);
    const recorded = v.problems(PROBLEM.giBleed);
    if (!fall && mentions.length === 0 && recorded.length === 0) return null;
    const f = new Findings();
    if (fall) f.support(3, `Haemoglobin fell by ${formatNumber(fall.from.value - fall.to.value, 1)} g/dL within a month (${v.format('hemoglobin', fall.from.value)} to ${v.format('hemoglobin', fall.to.value)})`, [fall.from, fall.to], 'result', { novel: true });
    if (mentions.length) f.support(3, `Bleeding described in the notes (${mentions.map((m) => m.phrase).join(', ')})`, mentions, 'note');
    for (const p of recorded) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    for (const m of [...v.medications(DRUG.apixaban), ...v.medications(DRUG.rivaroxaban), ...v.medications(DRUG.dabigatran), ...v.medications(DRUG.edoxaban), ...v.medications(DRUG.warfarin), ...v.medications(DRUG.antiplatelet), ...v.medications(DRUG.nsaid)]) {
      f.support(0.5, `Bleeding risk: ${m.display}`, [m], 'medication');
    }
    const bun = v.latest('bun', 2);
    const creatinine = v.latest('creatinine', 2);
    if (bun && creatinine && bun.value / creatinine.value > 30) f.support(0.5, `Urea nitrogen/creatinine ratio ${formatNumber(bun.value / creatinine.value, 0)} (favours an upper GI source)`, [bun, creatinine], 'result');
    const hr = v.latest('heart-rate', 1);
    if (hr && hr.value > 100) f.support(0.5, `Tachycardia ${v.format('heart-rate', hr.value)}`, [hr], 'vital');
    f.step('test', 'Repeat haemoglobin, urea, group and screen; calculate the Glasgow-Blatchford score');
    f.step('referral', 'Upper endoscopy within 24 hours if admitted; urgent assessment if unstable');
    f.step('treatment', 'Review and hold anticoagulants, antiplatelets and NSAIDs as bleeding risk dictates; restrictive transfusion');
    return f.result();
  },
});

export const HAEMATOLOGY = [ironDeficiencyAnaemia, b12Deficiency, anaemiaOfCkd, multipleMyeloma, haemochromatosis, gastrointestinalBleeding];
