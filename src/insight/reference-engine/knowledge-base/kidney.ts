/** Kidney function and electrolytes: CKD and its progression, diabetic kidney disease, AKI, potassium and sodium. */
import { formatNumber, type Point } from '../case-view.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings, lookBack } from '../rules.ts';
import { DRUG, PROBLEM } from '../vocabulary.ts';
import { gfrCategory, recordedStage } from './shared.ts';

// Progression is judged on the whole available trajectory, as far back as ten years.
const TRAJECTORY_DAYS = 10 * 365;

export const chronicKidneyDisease = defineCondition({
  id: 'ckd',
  name: 'Chronic kidney disease',
  snomed: '709044004',
  icd10: 'N18.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.ckd,
  keywords: ['chronic kidney disease', 'ckd', 'egfr', 'kidney function', 'renal function', 'albuminuria', 'kdigo', 'proteinuria', 'ckd progression'],
  keyFacts: [
    'CKD is kidney damage or eGFR below 60 mL/min/1.73 m² lasting more than 3 months; it is staged by GFR category (G1–G5) and albuminuria category (A1–A3).',
    'A sustained fall in eGFR of more than 5 mL/min/1.73 m² a year, or a drop in GFR category with a fall of 25 % or more, marks progression.',
    'Refer to kidney specialists at eGFR below 30, ACR of 300 mg/g or more, or rapid progression.',
  ],
  citations: [
    cite(
      'kdigoCkd2024',
      'CKD is abnormal kidney structure or function present for more than 3 months, classified by cause, GFR category (G1–G5) and albuminuria category (A1–A3); refer to specialist kidney care when eGFR is below 30 mL/min/1.73 m², ACR is 300 mg/g or more, or eGFR is falling fast.',
    ),
  ],
  assess(v) {
    const f = new Findings();
    const latest = v.latest('egfr');
    const problems = v.problems(PROBLEM.ckd);
    const lowRun = v.persistent('egfr', (x) => x < 60, 90);
    if (latest && lowRun) {
      f.support(4, `eGFR below 60 for ${Math.round((lowRun[0]!.daysAgo - lowRun.at(-1)!.daysAgo) / 30.4)} months (${lowRun.length} results), latest ${v.format('egfr', latest.value)} ${ago(latest.daysAgo)}`, lowRun, 'result', { criterion: 0.95 });
    } else if (latest && latest.value < 60) {
      f.support(1.5, `Latest eGFR ${v.format('egfr', latest.value)} ${ago(latest.daysAgo)}, not yet shown to persist for 3 months`, [latest], 'result');
      f.lacks('A repeat eGFR at least 3 months after the first low value');
    }
    const acr = v.persistent('uacr', (x) => x >= 30, 90);
    const established = lowRun !== undefined || acr !== undefined;
    const trend = v.slopePerYear('egfr', TRAJECTORY_DAYS);
    if (trend && trend.slope < -5) {
      const first = trend.points[0]!;
      const last = trend.points.at(-1)!;
      f.support(established ? 2 : 0.5, `eGFR falling about ${formatNumber(-trend.slope, 1)} mL/min/1.73 m² a year: ${formatNumber(first.value, 0)} ${ago(first.daysAgo)} to ${formatNumber(last.value, 0)} ${ago(last.daysAgo)}`, trend.points, 'result', { novel: true });
      const from = gfrCategory(first.value);
      const to = gfrCategory(last.value);
      if (from.label !== to.label && last.value <= first.value * 0.75) {
        f.support(1, `GFR category worsened from ${from.label} to ${to.label} with a fall of more than 25 %`, [first, last], 'result', { novel: true });
      }
    }
    const acrLatest = v.latest('uacr', 365);
    if (acr) {
      const a3 = acr.at(-1)!.value >= 300;
      f.support(a3 ? 3 : 2, `Urine albumin/creatinine ratio ${a3 ? 'at or above 300' : 'at or above 30'} mg/g for more than 3 months (latest ${v.format('uacr', acr.at(-1)!.value)}, category ${a3 ? 'A3' : 'A2'})`, acr, 'result', { criterion: 0.9 });
    } else if (acrLatest && acrLatest.value >= 30) {
      f.support(1, `Urine albumin/creatinine ratio ${v.format('uacr', acrLatest.value)} (one raised value)`, [acrLatest], 'result');
    }
    const acrTrend = v.slopePerYear('uacr', TRAJECTORY_DAYS);
    if (acrTrend && acr && acrTrend.points.at(-1)!.value > acrTrend.points[0]!.value * 2) {
      f.support(0.5, `Albuminuria rising: ${formatNumber(acrTrend.points[0]!.value, 0)} to ${formatNumber(acrTrend.points.at(-1)!.value, 0)} mg/g`, [acrTrend.points[0], acrTrend.points.at(-1)], 'result');
    }
    if (!f.triggered && problems.length === 0) return null;

    for (const p of problems) {
      const recorded = recordedStage(p.display, p.codes);
      const current = latest ? gfrCategory(latest.value) : undefined;
      if (recorded && current && latest && latest.daysAgo <= 365 && latest.value < 60 && recorded !== current.label && !recorded.startsWith(current.label)) {
        f.support(1, `Problem list says ${p.display}, but the latest eGFR (${v.format('egfr', latest.value)}) is category ${current.label}`, [p, latest], 'result', { novel: true });
      } else {
        f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
      }
    }
    for (const p of v.problems(PROBLEM.diabetes).slice(0, 1)) f.support(0.5, `Risk factor: ${p.display}`, [p], 'problem');
    for (const p of v.problems(PROBLEM.hypertension).slice(0, 1)) f.support(0.5, `Risk factor: ${p.display}`, [p], 'problem');
    if (latest && latest.value >= 60 && v.points('egfr').some((p) => p.value < 60 && p.order < latest.order)) {
      f.oppose(2, `Latest eGFR ${v.format('egfr', latest.value)} is back above 60`, [latest], 'result');
    }
    const creatinine = v.points('creatinine', 365);
    const suddenRise = creatinine.length >= 2 && creatinine.at(-1)!.daysAgo <= 7 && creatinine.at(-1)!.value >= creatinine.at(-2)!.value * 1.5;
    if (latest && latest.value < 60 && !established && (v.acuteSetting || suddenRise)) {
      f.oppose(1.5, 'A low eGFR found during an acute illness may be acute kidney injury; CKD needs 3 months', [latest], 'result');
    }

    if (latest) {
      const stage = gfrCategory(latest.value);
      if (established) {
        f.name = `Chronic kidney disease, stage ${stage.label}${trend && trend.slope < -5 ? ' (progressing)' : ''}`;
        if (latest.value < 60) {
          f.snomed = stage.snomed;
          f.icd10 = stage.icd10;
        }
      } else if (latest.value < 60) {
        f.name = 'Possible chronic kidney disease (low eGFR not yet shown to persist)';
      }
      if (latest.value < 30 || (acrLatest && acrLatest.value >= 300) || (established && trend && trend.slope < -5)) {
        f.step('referral', 'Nephrology referral (eGFR below 30, ACR 300 mg/g or more, or rapid decline)');
      }
      if (latest.value >= 20 && v.medications(DRUG.sglt2).length === 0) f.step('treatment', 'Consider an SGLT2 inhibitor (KDIGO: for CKD with eGFR ≥ 20, especially with albuminuria or diabetes)');
      if (acr && v.medications(DRUG.aceInhibitor).length + v.medications(DRUG.arb).length === 0) f.step('treatment', 'Start an ACE inhibitor or ARB for albuminuria, titrated to the maximum tolerated dose');
      f.step('treatment', 'Review every renally cleared or nephrotoxic medicine against the current eGFR');
      f.step('monitoring', latest.value < 30 ? 'eGFR, ACR, potassium and bicarbonate at least every 3–4 months at this stage' : 'eGFR and ACR at least yearly, more often as the stage worsens');
    } else {
      f.lacks(`No eGFR or creatinine ${lookBack(365)}`);
      f.step('test', 'Creatinine with eGFR');
    }
    if (!v.has('uacr', 365)) {
      f.lacks(`No urine albumin/creatinine ratio ${lookBack(365)}`);
      f.step('test', 'Urine albumin/creatinine ratio (completes the KDIGO stage)');
    }
    return f.result();
  },
});

export const diabeticKidneyDisease = defineCondition({
  id: 'diabetic-kidney-disease',
  name: 'Chronic kidney disease due to type 2 diabetes',
  snomed: '771000119108',
  icd10: 'E11.22',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['771000119108', '127013003'], icd10: ['E11.2'], text: /diabetic (?:kidney|renal|nephropathy)/i },
  keywords: ['diabetic kidney disease', 'diabetic nephropathy', 'dkd', 'sglt2', 'finerenone', 'albuminuria diabetes'],
  keyFacts: [
    'In type 2 diabetes with CKD, KDIGO recommends an SGLT2 inhibitor when eGFR is 20 or more, and an ACE inhibitor or ARB when albuminuria is present.',
    'Metformin continues at eGFR 30 or more, at a reduced dose below 45, and stops below 30.',
  ],
  citations: [
    cite(
      'kdigoDiabetesCkd2022',
      'For type 2 diabetes with CKD and eGFR of 20 mL/min/1.73 m² or more, treat with an SGLT2 inhibitor; use an ACE inhibitor or ARB titrated to the highest tolerated dose when albuminuria is present; a nonsteroidal MRA may be added when albuminuria persists with normal potassium.',
    ),
  ],
  assess(v) {
    const diabetes = v.problems(PROBLEM.diabetes).filter((p) => !PROBLEM.type1Diabetes.text.test(p.display));
    const a1c = v.where('hba1c', (x) => x >= 6.5);
    if (diabetes.length === 0 && a1c.length < 2) return null;
    const lowRun = v.persistent('egfr', (x) => x < 60, 90);
    const acr = v.persistent('uacr', (x) => x >= 30, 90) ?? (v.latest('uacr', 365) && v.latest('uacr', 365)!.value >= 30 ? [v.latest('uacr', 365)!] : undefined);
    if (!lowRun && !acr) return null;
    const f = new Findings();
    if (diabetes[0]) f.support(1.5, `Type 2 diabetes: ${diabetes[0].display}`, [diabetes[0]], 'problem');
    if (a1c.length >= 2) f.support(1.5, `HbA1c 6.5 % or more on ${a1c.length} occasions (latest ${v.format('hba1c', a1c.at(-1)!.value)})`, a1c.slice(-2), 'result');
    if (acr) {
      const last = acr.at(-1)!;
      f.support(last.value >= 300 ? 3 : 2, `Albuminuria: urine ACR ${v.format('uacr', last.value)}${acr.length > 1 ? ' persisting over 3 months' : ''}`, acr, 'result');
    }
    if (lowRun) f.support(1.5, `eGFR below 60 for more than 3 months (latest ${v.format('egfr', lowRun.at(-1)!.value)})`, [lowRun[0], lowRun.at(-1)], 'result');
    for (const p of v.problems({ text: /retinopathy/i }).slice(0, 1)) f.support(1, `Diabetic retinopathy supports diabetic kidney disease: ${p.display}`, [p], 'problem');
    if (lowRun && !acr && v.has('uacr', 365)) f.oppose(1, 'Low eGFR without albuminuria: other causes of CKD are more likely than in albuminuric disease', [v.latest('uacr', 365)], 'result');
    if (!v.has('uacr', 365)) f.lacks(`No urine albumin/creatinine ratio ${lookBack(365)}`);
    const egfr = v.latest('egfr');
    if (egfr && egfr.value >= 20 && v.medications(DRUG.sglt2).length === 0) f.step('treatment', 'Add an SGLT2 inhibitor (KDIGO 2022: type 2 diabetes with CKD and eGFR ≥ 20)');
    if (acr && v.medications(DRUG.aceInhibitor).length + v.medications(DRUG.arb).length === 0) f.step('treatment', 'ACE inhibitor or ARB for albuminuria');
    f.step('treatment', 'If albuminuria persists on a RAS inhibitor with normal potassium, consider finerenone');
    f.step('test', 'Retinal examination if not done in the last year (supports a diabetic cause)');
    return f.result();
  },
});

export const acuteKidneyInjury = defineCondition({
  id: 'aki',
  name: 'Acute kidney injury',
  snomed: '14669001',
  icd10: 'N17.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['14669001'], icd10: ['N17'], text: /acute kidney injury|acute renal failure|\baki\b/i },
  keywords: ['acute kidney injury', 'aki', 'creatinine rise', 'acute renal failure'],
  keyFacts: ['KDIGO defines AKI as a creatinine rise of 0.3 mg/dL or more within 48 hours, or to 1.5 times baseline within 7 days, or urine output below 0.5 mL/kg/h for 6 hours; stages 1–3 follow the size of the rise.'],
  citations: [
    cite(
      'kdigoAki2012',
      'AKI is a rise in serum creatinine of at least 0.3 mg/dL within 48 hours, or to at least 1.5 times baseline known or presumed to have occurred within the prior 7 days, or urine output below 0.5 mL/kg/h for 6 hours; stage 2 is 2.0–2.9 times baseline and stage 3 is 3 times baseline or creatinine of 4.0 mg/dL or more.',
    ),
  ],
  assess(v) {
    const points = v.points('creatinine');
    const latest = points.at(-1);
    if (!latest || latest.daysAgo > 7 || points.length < 2) return null;
    const before = points.filter((p) => p.order < latest.order);
    const recent = before.filter((p) => latest.daysAgo <= p.daysAgo && p.daysAgo - latest.daysAgo <= 7);
    const presumed = [...before].reverse().find((p) => p.daysAgo - latest.daysAgo <= 365);
    const baseline: Point | undefined = recent.length ? recent.reduce((a, b) => (b.value < a.value ? b : a)) : presumed;
    if (!baseline) return null;
    const ratio = latest.value / baseline.value;
    const within48h = before.some((p) => p.daysAgo - latest.daysAgo <= 2 && latest.value - p.value >= 0.3);
    if (ratio < 1.5 && !within48h) return null;
    const f = new Findings();
    const stage = ratio >= 3 || (latest.value >= 4 && latest.value - baseline.value >= 0.3) ? 3 : ratio >= 2 ? 2 : 1;
    const known = recent.length > 0 || within48h;
    const text = `Creatinine ${v.format('creatinine', latest.value)} ${ago(latest.daysAgo)} against ${v.format('creatinine', baseline.value)} ${ago(baseline.daysAgo)} (× ${formatNumber(ratio, 1)}): KDIGO stage ${stage}${known ? '' : ' if the rise is recent'}`;
    f.support(known ? 4 + stage - 1 : 2.5 + (stage - 1) * 0.5, text, [baseline, latest], 'result', known ? { criterion: 0.9 } : {});
    f.name = `Acute kidney injury, KDIGO stage ${stage}`;
    if (!known) f.lacks(`No creatinine in the 7 days before ${ago(latest.daysAgo)}: the timing of the rise is unknown`);
    const bun = v.latest('bun', 7);
    if (bun && bun.value / latest.value > 20) f.support(0.5, `Urea nitrogen/creatinine ratio above 20 (${formatNumber(bun.value / latest.value, 0)}): consider a pre-renal cause`, [bun, latest], 'result');
    const lowBp = v.where('systolic', (x) => x < 90, 2);
    if (lowBp.length) f.support(0.5, `Hypotension (systolic ${v.format('systolic', lowBp[0]!.value)}) can cause or worsen AKI`, [lowBp[0]], 'vital');
    for (const m of v.medications(DRUG.nsaid)) f.support(0.5, `Nephrotoxic: ${m.display}`, [m], 'medication');
    f.lacks('Urine output is not in the chart summary');
    f.step('test', 'Repeat creatinine within 24–48 hours and track urine output');
    f.step('test', 'Urinalysis with microscopy; renal ultrasound if no clear pre-renal cause or obstruction is possible');
    f.step('treatment', 'Stop or hold nephrotoxins (NSAIDs, contrast) and review doses of renally cleared drugs; hold metformin');
    return f.result();
  },
});

export const hyperkalaemia = defineCondition({
  id: 'hyperkalaemia',
  name: 'Hyperkalaemia',
  snomed: '14140009',
  icd10: 'E87.5',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['14140009'], icd10: ['E87.5'], text: /hyperkal/i },
  keywords: ['hyperkalaemia', 'hyperkalemia', 'high potassium', 'potassium', 'raas inhibitor potassium', 'potassium binder'],
  keyFacts: ['Stopping RAAS inhibitors should not be the reflex response to moderate hyperkalaemia; review diet and drugs, use diuretics or potassium binders, and recheck.'],
  citations: [
    cite(
      'kdigoPotassium2020',
      'In CKD, manage hyperkalaemia by reviewing contributing drugs and diet and by using diuretics or potassium binders so that RAAS inhibitors can be continued where they benefit; check the ECG and treat urgently when potassium is 6.0 mmol/L or more or rising fast.',
    ),
  ],
  assess(v) {
    const latest = v.latest('potassium', 30);
    if (!latest || latest.value <= 5.0) return null;
    const f = new Findings();
    const severe = latest.value >= 6.0;
    f.support(severe ? 5 : 3, `Potassium ${v.format('potassium', latest.value)} ${ago(latest.daysAgo)}${severe ? ' (severe)' : ''}`, [latest], 'result');
    const high = v.persistent('potassium', (x) => x > 5.0, 1);
    if (high && high.length >= 2) f.support(1, `Raised on ${high.length} consecutive results`, high, 'result');
    const trend = v.slopePerYear('potassium', 3 * 365);
    if (trend && trend.slope > 0.2) f.support(0.5, `Potassium rising over time (${formatNumber(trend.points[0]!.value, 1)} to ${formatNumber(trend.points.at(-1)!.value, 1)} mmol/L)`, trend.points, 'result', { novel: true });
    const drugs = [...v.medications(DRUG.aceInhibitor), ...v.medications(DRUG.arb), ...v.medications(DRUG.mra), ...v.medications(DRUG.potassiumSparing), ...v.medications(DRUG.potassiumSupplement), ...v.medications(DRUG.trimethoprim), ...v.medications(DRUG.nsaid)];
    for (const m of drugs) f.support(0.5, `Raises potassium: ${m.display}`, [m], 'medication');
    const egfr = v.latest('egfr', 365);
    if (egfr && egfr.value < 45) f.support(0.5, `Reduced kidney function (eGFR ${v.format('egfr', egfr.value)}) limits potassium excretion`, [egfr], 'result');
    const sodium = v.latest('sodium', 7);
    if (sodium && sodium.value < 135) f.support(0.5, `Low sodium alongside (${v.format('sodium', sodium.value)}): consider adrenal insufficiency`, [sodium], 'result');
    const haemolysed = v.mentions(/haemoly[sz]|hemoly[sz]/i, 7);
    if (haemolysed.length) f.oppose(2, 'A note mentions a haemolysed sample: exclude pseudohyperkalaemia', haemolysed, 'note');
    f.step('test', severe ? 'ECG now and repeat potassium urgently' : 'Repeat potassium on a non-haemolysed sample');
    if (severe) f.step('treatment', 'Treat as an emergency: cardiac membrane stabilisation, insulin with glucose, and potassium removal');
    if (drugs.length) f.step('treatment', 'Review potassium-raising drugs; keep RAAS inhibitors where they help, using diuretics or a potassium binder (KDIGO 2020)');
    f.step('treatment', 'Dietary potassium review');
    return f.result();
  },
});

export const hypokalaemia = defineCondition({
  id: 'hypokalaemia',
  name: 'Hypokalaemia',
  snomed: '43339004',
  icd10: 'E87.6',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['43339004'], icd10: ['E87.6'], text: /hypokal/i },
  keywords: ['hypokalaemia', 'hypokalemia', 'low potassium'],
  keyFacts: ['Diuretics (thiazide and loop) are the commonest drug cause of low potassium.'],
  citations: [cite('kdigoPotassium2020', 'Dyskalaemia in kidney disease includes hypokalaemia, often from diuretics; correct it and review the drugs that cause it.')],
  assess(v) {
    const latest = v.latest('potassium', 30);
    if (!latest || latest.value >= 3.5) return null;
    const f = new Findings();
    f.support(latest.value < 3.0 ? 5 : 3, `Potassium ${v.format('potassium', latest.value)} ${ago(latest.daysAgo)}`, [latest], 'result');
    for (const m of [...v.medications(DRUG.thiazide), ...v.medications(DRUG.loopDiuretic)]) f.support(1, `Potassium-wasting diuretic: ${m.display}`, [m], 'medication');
    f.step('test', 'Magnesium (low magnesium keeps potassium low)');
    f.step('treatment', 'Potassium replacement and review of diuretic dose');
    return f.result();
  },
});

export const hyponatraemia = defineCondition({
  id: 'hyponatraemia',
  name: 'Hyponatraemia',
  snomed: '89627008',
  icd10: 'E87.1',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['89627008'], icd10: ['E87.1'], text: /hyponat/i },
  keywords: ['hyponatraemia', 'hyponatremia', 'low sodium', 'siadh', 'thiazide', 'sodium'],
  keyFacts: [
    'Hyponatraemia is graded mild (130–134), moderate (125–129) and profound (below 125 mmol/L); symptoms decide urgency.',
    'Thiazides and SSRIs are common causes in older adults; stop the culprit if possible.',
    'Correct chronic hyponatraemia by no more than 10 mmol/L in the first 24 hours.',
  ],
  citations: [
    cite(
      'hyponatraemia2014',
      'Confirm hypotonicity with serum osmolality, then use urine osmolality and urine sodium to find the cause; stop non-essential drugs that can cause hyponatraemia; limit the rise in sodium to 10 mmol/L in the first 24 hours; give hypertonic saline for severe symptoms.',
    ),
    cite('beers2023', 'Diuretics and antidepressants (SSRIs, SNRIs, mirtazapine) are to be used with caution in older adults because they can cause or worsen SIADH or hyponatraemia; monitor sodium when starting or changing them.'),
  ],
  assess(v) {
    const latest = v.latest('sodium', 30);
    if (!latest || latest.value >= 135) return null;
    const f = new Findings();
    const grade = latest.value < 125 ? 'profound' : latest.value < 130 ? 'moderate' : 'mild';
    f.support(latest.value < 125 ? 5 : latest.value < 130 ? 4 : 3, `Sodium ${v.format('sodium', latest.value)} ${ago(latest.daysAgo)} (${grade})`, [latest], 'result', { criterion: 0.95 });
    const thiazides = v.medications(DRUG.thiazide);
    let fallShown = false;
    for (const m of thiazides) {
      const started = m.startedDaysAgo;
      const before = started !== undefined ? v.points('sodium').filter((p) => p.daysAgo > started).at(-1) : undefined;
      if (before && before.value >= 135) {
        f.support(3, `${m.display} started ${ago(started!)}; sodium was ${v.format('sodium', before.value)} before it and has fallen since`, [m, before, latest], 'result', { novel: true });
        fallShown = true;
      } else {
        f.support(2, `Thiazide diuretic: ${m.display}`, [m], 'medication');
      }
      f.name = 'Thiazide-associated hyponatraemia';
    }
    const baseline = v.points('sodium', 365).filter((p) => p.order < latest.order && p.value >= 135).at(-1);
    if (!fallShown && baseline && baseline.value - latest.value >= 5) {
      f.support(1, `Fell from ${v.format('sodium', baseline.value)} ${ago(baseline.daysAgo)}`, [baseline, latest], 'result', { novel: true });
    }
    for (const m of v.medications(DRUG.ssri)) f.support(1, `Can cause SIADH: ${m.display}`, [m], 'medication');
    for (const m of v.medications({ text: /carbamazepine|oxcarbazepine/i })) f.support(1, `Can cause SIADH: ${m.display}`, [m], 'medication');
    const potassium = v.latest('potassium', 7);
    if (thiazides.length && potassium && potassium.value < 3.6) f.support(0.5, `Potassium low-normal or low (${v.format('potassium', potassium.value)}), as thiazides cause`, [potassium], 'result');
    if (v.age !== null && v.age >= 65) f.context(0.5, `${v.person}: older adults are most susceptible`);
    const osm = v.latest('serum-osmolality', 7);
    if (osm && osm.value < 275) f.support(1, `Hypotonic: serum osmolality ${v.format('serum-osmolality', osm.value)}`, [osm], 'result');
    if (osm && osm.value >= 280) f.oppose(2, `Serum osmolality ${v.format('serum-osmolality', osm.value)} is not low: consider hyperglycaemia or pseudohyponatraemia`, [osm], 'result');
    const uosm = v.latest('urine-osmolality', 7);
    const una = v.latest('urine-sodium', 7);
    if (uosm && una && uosm.value > 100 && una.value > 30) {
      f.support(0.5, `Urine osmolality ${v.format('urine-osmolality', uosm.value)} and urine sodium ${v.format('urine-sodium', una.value)}: renal sodium loss (diuretic) or SIADH`, [uosm, una], 'result');
    }
    const symptoms = v.mentions(/confus|unsteady|nausea|vomit|drows|seizure|headache|\bfell\b|near(?:ly)? fell|letharg/i, 14);
    if (symptoms.length) f.support(1, `Symptoms in the notes (${symptoms.map((s) => s.phrase).join(', ')})`, symptoms, 'note');
    if (!osm) f.lacks('No serum osmolality with this sodium');
    if (!uosm || !una) f.lacks('No paired urine osmolality and urine sodium');
    if (!v.has('tsh', 365)) f.lacks(`No TSH ${lookBack(365)} (hypothyroidism must be excluded before SIADH)`);
    if (!v.has('cortisol', 365)) f.lacks(`No cortisol ${lookBack(365)} (adrenal insufficiency must be excluded before SIADH)`);
    if (thiazides.length) f.step('treatment', 'Stop the thiazide and choose another antihypertensive');
    f.step('monitoring', latest.value < 130 ? 'Recheck sodium within 24–48 hours; raise by no more than 10 mmol/L in the first 24 hours' : 'Recheck sodium within a week');
    if (symptoms.length && latest.value < 130) f.step('referral', 'Same-day assessment: moderate hyponatraemia with confusion or unsteadiness');
    f.step('test', 'Serum and urine osmolality, urine sodium, TSH and morning cortisol to classify the cause');
    return f.result();
  },
});

export const KIDNEY = [chronicKidneyDisease, diabeticKidneyDisease, acuteKidneyInjury, hyperkalaemia, hypokalaemia, hyponatraemia];
