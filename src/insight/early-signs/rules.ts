/**
 * The early-sign rules. Each reads the chart through `SignContext`, and returns a sign only when
 * its criterion is met in a way one bad value cannot fake: slopes are Theil–Sen medians over at
 * least three results and a year, thresholds need a second result on another day with the latest
 * agreeing, patterns need each part from a different test.
 */
import type { Point } from '../reference-engine/case-view.ts';
import { bloodPressureDays, formatBp, gfrCategory, pregnancy, recordedStage } from '../reference-engine/knowledge-base/shared.ts';
import { DRUG, PROBLEM } from '../reference-engine/vocabulary.ts';
import { buildSign, n, span, type SignContext } from './context.ts';
import { haemoglobinLowerLimit } from './population.ts';
import { confirmed, lastAll, spanYears, theilSenPerYear } from './stats.ts';
import type { EarlySign } from './types.ts';

export interface EarlySignRule {
  readonly id: string;
  /** What the rule looks for, for the rule list in the docs and tests. */
  readonly summary: string;
  detect(ctx: SignContext): EarlySign | undefined;
}

const YEAR = 365;
const rule = (id: string, summary: string, detect: (ctx: SignContext) => EarlySign | undefined): EarlySignRule => ({ id, summary, detect });
const within = (points: readonly Point[], days: number): Point[] => points.filter((p) => p.daysAgo <= days);
const last = <T>(items: readonly T[]): T => items[items.length - 1]!;

function egfrNote(ctx: SignContext): string {
  return ctx.egfrComputed ? ' (computed from creatinine with the race-free CKD-EPI 2021 equation)' : '';
}

// ─── Kidney ───────────────────────────────────────────────────────────────────────────────

const egfrRapidDecline = rule('egfr-rapid-decline', 'eGFR falling more than 5 mL/min/1.73 m² a year (KDIGO rapid progression)', (ctx) => {
  const points = within(ctx.egfr, 5 * YEAR);
  if (points.length < 3 || spanYears(points) < 1) return undefined;
  const slope = theilSenPerYear(points);
  const baseline = points[0]!.value;
  if (slope === undefined || slope > -5 || !lastAll(points, 2, (v) => v < baseline - 5)) return undefined;
  const first = points[0]!;
  const latest = last(points);
  return buildSign(ctx, {
    id: 'egfr-rapid-decline',
    kind: 'rate-of-change',
    title: 'Kidney function falling fast',
    condition: { display: 'Rapidly progressive chronic kidney disease', snomed: gfrCategory(latest.value).snomed, icd10: gfrCategory(latest.value).icd10 },
    figure: { value: slope, unit: 'mL/min/1.73 m²/year', text: `falling ${n(-slope, 1)} mL/min/1.73 m² a year over ${span(first.daysAgo - latest.daysAgo)}` },
    why: `eGFR${egfrNote(ctx)} went from ${n(first.value)} to ${n(latest.value)} over ${span(first.daysAgo - latest.daysAgo)} across ${points.length} results; the median slope is ${n(slope, 1)} a year and the last two results stay below the baseline.`,
    criterion: 'KDIGO 2024: a sustained decline in eGFR of more than 5 mL/min/1.73 m² a year is rapid CKD progression.',
    cite: ['kdigoCkd2024', 'Rapid progression of CKD is a sustained decline in eGFR of more than 5 mL/min/1.73 m² per year.'],
    used: [{ measurement: ctx.egfrComputed ? 'creatinine' : 'egfr', points }],
    confirm: ['Repeat creatinine (and cystatin C) within 3 months', 'Urine albumin/creatinine ratio', 'Review nephrotoxic drugs (NSAIDs, contrast)'],
    refute: ['A stable eGFR on repeat testing', 'An acute, reversible cause (volume depletion, a new drug) explaining the fall'],
    unrecorded: false,
    confidence: points.length >= 5 ? 'high' : 'moderate',
  });
});

const ckdUnrecorded = rule('ckd-unrecorded', 'eGFR below 60 or albuminuria for more than 3 months with no CKD on the problem list', (ctx) => {
  if (ctx.view.problems(PROBLEM.ckd).length) return undefined;
  const low = persistentFor(ctx.egfr, (v) => v < 60, 90);
  const acr = persistentFor(ctx.view.points('uacr'), (v) => v >= 30, 90);
  if (!low && !acr) return undefined;
  const latest = low ? last(low) : undefined;
  const stage = latest ? gfrCategory(latest.value) : undefined;
  const parts = [
    low ? `eGFR${egfrNote(ctx)} below 60 for ${span(low[0]!.daysAgo - last(low).daysAgo)} (${low.length} results, latest ${n(last(low).value)})` : '',
    acr ? `urine albumin/creatinine ratio of 30 mg/g or more for ${span(acr[0]!.daysAgo - last(acr).daysAgo)} (latest ${n(last(acr).value)} mg/g)` : '',
  ].filter(Boolean);
  return buildSign(ctx, {
    id: 'ckd-unrecorded',
    kind: 'unrecorded',
    title: `Chronic kidney disease${stage ? `, stage ${stage.label}` : ''} not on the problem list`,
    condition: { display: `Chronic kidney disease${stage ? ` stage ${stage.label}` : ''}`, snomed: stage?.snomed ?? '709044004', icd10: stage?.icd10 ?? 'N18.9' },
    figure: { value: low ? low.length : acr!.length, unit: 'results', text: parts.join('; ') },
    why: `${parts.join('; ')}, and no kidney disease is recorded.`,
    criterion: 'KDIGO 2024: CKD is an eGFR below 60 mL/min/1.73 m² or markers of kidney damage such as albuminuria (ACR ≥ 30 mg/g) present for more than 3 months.',
    cite: ['kdigoCkd2024', 'CKD is defined as abnormalities of kidney structure or function, present for more than 3 months: GFR below 60 mL/min/1.73 m² or albuminuria of 30 mg/g or more.'],
    used: [...(low ? [{ measurement: ctx.egfrComputed ? ('creatinine' as const) : ('egfr' as const), points: low }] : []), ...(acr ? [{ measurement: 'uacr' as const, points: acr }] : [])],
    confirm: ['Urine albumin/creatinine ratio to stage albuminuria', 'Repeat eGFR to confirm chronicity', 'Kidney ultrasound if the cause is unclear'],
    refute: ['eGFR back above 60 and ACR below 30 on repeat testing'],
    unrecorded: true,
    confidence: 'high',
  });
});

const ckdStageOutdated = rule('ckd-stage-outdated', 'CKD stage on the problem list milder than the last two eGFRs', (ctx) => {
  const recorded = ctx.view.problems(PROBLEM.ckd).map((p) => ({ p, stage: recordedStage(p.display, p.codes) })).find((x) => x.stage);
  if (!recorded || ctx.egfr.length < 2) return undefined;
  const tail = ctx.egfr.slice(-2);
  const order = ['G1', 'G2', 'G3', 'G3a', 'G3b', 'G4', 'G5'];
  const now = gfrCategory(Math.max(...tail.map((p) => p.value)));
  if (order.indexOf(now.label) <= order.indexOf(recorded.stage!.replace('g', 'G')) || !lastAll(ctx.egfr, 2, (v) => gfrCategory(v).label === now.label || order.indexOf(gfrCategory(v).label) > order.indexOf(now.label))) return undefined;
  return buildSign(ctx, {
    id: 'ckd-stage-outdated',
    kind: 'threshold',
    title: `Kidney disease now stage ${now.label}; the problem list says ${recorded.stage}`,
    condition: { display: `Chronic kidney disease stage ${now.label}`, snomed: now.snomed, icd10: now.icd10 },
    figure: { value: last(tail).value, unit: 'mL/min/1.73 m²', text: `last two eGFR ${tail.map((p) => n(p.value)).join(' and ')}` },
    why: `The last two eGFRs${egfrNote(ctx)} (${tail.map((p) => n(p.value)).join(', ')}) are in category ${now.label}, but "${recorded.p.display}" is recorded.`,
    criterion: 'KDIGO 2024 GFR categories: G3a 45–59, G3b 30–44, G4 15–29, G5 below 15.',
    cite: ['kdigoCkd2024', 'Classify CKD by cause, GFR category (G1–G5) and albuminuria category (A1–A3).'],
    used: [{ measurement: ctx.egfrComputed ? 'creatinine' : 'egfr', points: tail }],
    facts: [recorded.p.id],
    confirm: ['Repeat eGFR in 3 months', 'Nephrology referral at eGFR below 30'],
    refute: ['eGFR back in the recorded category on repeat testing'],
    unrecorded: true,
    confidence: 'high',
  });
});

const albuminuriaRising = rule('albuminuria-rising', 'Urine ACR moved up an albuminuria category, confirmed', (ctx) => {
  const points = ctx.view.points('uacr');
  if (points.length < 3) return undefined;
  const cat = (v: number): number => (v >= 300 ? 3 : v >= 30 ? 2 : 1);
  const first = cat(points[0]!.value);
  const now = cat(last(points).value);
  if (now <= first || !lastAll(points, 2, (v) => cat(v) >= now)) return undefined;
  const used = [points[0]!, ...points.slice(-2)];
  return buildSign(ctx, {
    id: 'albuminuria-rising',
    kind: 'threshold',
    title: `Albuminuria now category A${now}`,
    condition: { display: 'Albuminuria', snomed: '274769005', icd10: 'R80.9' },
    figure: { value: last(points).value, unit: 'mg/g', text: `A${first} to A${now} (${n(points[0]!.value)} to ${n(last(points).value)} mg/g)` },
    why: `Urine albumin/creatinine ratio rose from ${n(points[0]!.value)} to ${n(last(points).value)} mg/g; the last two results are both in A${now}.`,
    criterion: 'KDIGO 2024 albuminuria categories: A1 below 30, A2 30–299, A3 300 mg/g or more.',
    cite: ['kdigoCkd2024', 'Albuminuria categories: A1 < 30 mg/g, A2 30–300 mg/g, A3 > 300 mg/g.'],
    used: [{ measurement: 'uacr', points: used }],
    confirm: ['Repeat ACR on an early-morning sample', 'Review RAS blockade and SGLT2 inhibitor use'],
    refute: ['ACR back in the earlier category on two repeat samples (exercise, infection and menstruation raise it)'],
    unrecorded: false,
    confidence: 'moderate',
  });
});

const creatinineRise = rule('creatinine-rise', 'Creatinine at 1.5 times its baseline or more on two results', (ctx) => {
  const points = within(ctx.view.points('creatinine'), YEAR);
  if (points.length < 3) return undefined;
  const tail = points.slice(-2);
  const baseline = Math.min(...points.slice(0, -2).map((p) => p.value));
  if (!lastAll(points, 2, (v) => v >= 1.5 * baseline)) return undefined;
  const ratio = last(tail).value / baseline;
  const base = points.find((p) => p.value === baseline)!;
  return buildSign(ctx, {
    id: 'creatinine-rise',
    kind: 'threshold',
    title: 'Creatinine risen to at least 1.5 times baseline',
    condition: { display: 'Acute kidney injury or acute kidney disease', snomed: '14669001', icd10: 'N17.9' },
    figure: { value: ratio, unit: '× baseline', text: `${n(ratio, 1)} × the baseline of ${n(baseline, 2)} mg/dL` },
    why: `Creatinine ${tail.map((p) => `${n(p.value, 2)}`).join(' then ')} mg/dL against a baseline of ${n(baseline, 2)} mg/dL in the past year.`,
    criterion: 'KDIGO AKI 2012: creatinine 1.5 times baseline or more is AKI stage 1 when it happened within 7 days; a slower rise is acute kidney disease.',
    cite: ['kdigoAki2012', 'AKI is an increase in serum creatinine to 1.5 times baseline or more, known or presumed to have occurred within the prior 7 days.'],
    used: [{ measurement: 'creatinine', points: [base, ...tail] }],
    confirm: ['Repeat creatinine within 48 hours', 'Urine output, urinalysis and volume status', 'Stop nephrotoxic drugs'],
    refute: ['Creatinine back to baseline on repeat', 'A change in creatinine assay or a muscle-mass change explaining it'],
    unrecorded: ctx.view.problems({ text: /kidney injury|renal failure|\baki\b/i, icd10: ['N17'] }).length === 0,
    confidence: 'moderate',
  });
});

// ─── Diabetes ─────────────────────────────────────────────────────────────────────────────

const diabetesUnrecorded = rule('diabetes-unrecorded', 'Two results in the diabetes range (HbA1c ≥ 6.5 %, fasting glucose ≥ 126 mg/dL) with no diabetes recorded', (ctx) => {
  const v = ctx.view;
  if (v.problems(PROBLEM.diabetes).length) return undefined;
  const a1c = v.points('hba1c', 3 * YEAR);
  const fpg = v.points('glucose-fasting', 3 * YEAR);
  const highA1c = a1c.filter((p) => p.value >= 6.5);
  const highFpg = fpg.filter((p) => p.value >= 126);
  // The latest result of each test used must still be in range: a value since back to normal is discordant.
  const a1cOk = a1c.length > 0 && last(a1c).value >= 6.5;
  const fpgOk = fpg.length > 0 && last(fpg).value >= 126;
  const usable = [...(a1cOk ? highA1c : []), ...(fpgOk ? highFpg : [])];
  const days = new Set(usable.map((p) => Math.floor(p.daysAgo)));
  const sameSample = a1cOk && fpgOk;
  if (!(days.size >= 2 || (sameSample && usable.length >= 2))) return undefined;
  const text = [a1cOk && highA1c.length ? `HbA1c ${highA1c.map((p) => `${n(p.value, 1)} %`).join(', ')}` : '', fpgOk && highFpg.length ? `fasting glucose ${highFpg.map((p) => `${n(p.value)} mg/dL`).join(', ')}` : ''].filter(Boolean).join('; ');
  return buildSign(ctx, {
    id: 'diabetes-unrecorded',
    kind: 'unrecorded',
    title: 'Results meet the criteria for diabetes; not on the problem list',
    condition: { display: 'Type 2 diabetes mellitus', snomed: '44054006', icd10: 'E11.9' },
    figure: { value: usable.length, unit: 'results', text: `${usable.length} results in the diabetes range` },
    why: `${text}: two abnormal results confirm the diagnosis, and no diabetes is recorded.`,
    criterion: 'ADA Standards of Care: diabetes is HbA1c ≥ 6.5 % or fasting plasma glucose ≥ 126 mg/dL (7.0 mmol/L), confirmed by two abnormal results from the same or separate samples.',
    cite: ['adaDiagnosis2026', 'In the absence of unequivocal hyperglycaemia, diagnosis requires two abnormal test results from the same sample or in two separate samples (HbA1c ≥ 6.5 %, FPG ≥ 126 mg/dL).'],
    used: [...(a1cOk && highA1c.length ? [{ measurement: 'hba1c' as const, points: highA1c }] : []), ...(fpgOk && highFpg.length ? [{ measurement: 'glucose-fasting' as const, points: highFpg }] : [])],
    confirm: ['Repeat HbA1c or fasting glucose if only one test type is abnormal', 'Check for conditions that make HbA1c unreliable (anaemia, haemoglobinopathy, pregnancy)'],
    refute: ['Repeat results below the thresholds (discordant results: repeat the abnormal test)'],
    unrecorded: true,
    confidence: 'high',
  });
});

const prediabetesUnrecorded = rule('prediabetes-unrecorded', 'HbA1c 5.7–6.4 % twice with no prediabetes or diabetes recorded', (ctx) => {
  const v = ctx.view;
  if (v.problems(PROBLEM.diabetes).length || v.problems(PROBLEM.prediabetes).length) return undefined;
  const a1c = v.points('hba1c', 3 * YEAR);
  const hits = confirmed(a1c, (x) => x >= 5.7 && x < 6.5);
  if (!hits) return undefined;
  return buildSign(ctx, {
    id: 'prediabetes-unrecorded',
    kind: 'unrecorded',
    title: 'HbA1c in the prediabetes range; not recorded',
    condition: { display: 'Prediabetes', snomed: '714628002', icd10: 'R73.03' },
    figure: { value: last(hits).value, unit: '%', text: `${hits.length} HbA1c results 5.7–6.4 %` },
    why: `HbA1c ${hits.map((p) => `${n(p.value, 1)} %`).join(', ')}, with the latest still in range.`,
    criterion: 'ADA Standards of Care: HbA1c 5.7–6.4 % is prediabetes (increased risk of diabetes).',
    cite: ['adaDiagnosis2026', 'Prediabetes: HbA1c 5.7–6.4 % (39–47 mmol/mol) or fasting plasma glucose 100–125 mg/dL.'],
    used: [{ measurement: 'hba1c', points: hits }],
    confirm: ['Fasting glucose', 'Yearly HbA1c'],
    refute: ['HbA1c below 5.7 % on repeat'],
    unrecorded: true,
    confidence: 'moderate',
  });
});

const hba1cRising = rule('hba1c-rising', 'HbA1c rising more than 0.2 % a year toward or past 6.5 %', (ctx) => {
  const points = ctx.view.points('hba1c', 5 * YEAR);
  if (points.length < 3 || spanYears(points) < 1) return undefined;
  const slope = theilSenPerYear(points);
  const base = points[0]!.value;
  if (slope === undefined || slope < 0.2 || last(points).value < 5.7 || !lastAll(points, 2, (v) => v > base)) return undefined;
  const latest = last(points);
  return buildSign(ctx, {
    id: 'hba1c-rising',
    kind: 'rate-of-change',
    title: 'HbA1c climbing',
    condition: { display: latest.value >= 6.5 ? 'Type 2 diabetes mellitus' : 'Prediabetes', snomed: latest.value >= 6.5 ? '44054006' : '714628002', icd10: latest.value >= 6.5 ? 'E11.9' : 'R73.03' },
    figure: { value: slope, unit: '%/year', text: `rising ${n(slope, 2)} % a year over ${span(points[0]!.daysAgo - latest.daysAgo)}` },
    why: `HbA1c went from ${n(base, 1)} % to ${n(latest.value, 1)} % across ${points.length} results (median slope ${n(slope, 2)} % a year).`,
    criterion: 'ADA Standards of Care: HbA1c 5.7–6.4 % is prediabetes and 6.5 % or more is diabetes; people with prediabetes are tested at least yearly.',
    cite: ['adaDiagnosis2026', 'In people with prediabetes, test for diabetes at least yearly; HbA1c ≥ 6.5 % meets the diagnostic threshold.'],
    used: [{ measurement: 'hba1c', points }],
    confirm: ['Repeat HbA1c or fasting glucose now'],
    refute: ['A stable or falling HbA1c on repeat'],
    unrecorded: false,
    confidence: 'moderate',
  });
});

const fastingGlucoseImpaired = rule('fasting-glucose-impaired', 'Fasting glucose 100–125 mg/dL twice with no prediabetes recorded', (ctx) => {
  const v = ctx.view;
  if (v.problems(PROBLEM.diabetes).length || v.problems(PROBLEM.prediabetes).length) return undefined;
  const hits = confirmed(v.points('glucose-fasting', 3 * YEAR), (x) => x >= 100 && x < 126);
  if (!hits) return undefined;
  return buildSign(ctx, {
    id: 'fasting-glucose-impaired',
    kind: 'unrecorded',
    title: 'Impaired fasting glucose; not recorded',
    condition: { display: 'Impaired fasting glucose', snomed: '390951007', icd10: 'R73.01' },
    figure: { value: hits.length, unit: 'results', text: `${hits.length} fasting glucose results 100–125 mg/dL` },
    why: `Fasting glucose ${hits.map((p) => n(p.value)).join(', ')} mg/dL.`,
    criterion: 'ADA Standards of Care: fasting plasma glucose 100–125 mg/dL (5.6–6.9 mmol/L) is impaired fasting glucose (prediabetes).',
    cite: ['adaDiagnosis2026', 'Prediabetes: fasting plasma glucose 100–125 mg/dL (5.6–6.9 mmol/L).'],
    used: [{ measurement: 'glucose-fasting', points: hits }],
    confirm: ['HbA1c'],
    refute: ['Fasting glucose below 100 mg/dL on repeat (check the sample was fasting)'],
    unrecorded: true,
    confidence: 'moderate',
  });
});

// ─── Blood pressure ───────────────────────────────────────────────────────────────────────

function raisedBpDays(ctx: SignContext): { days: ReturnType<typeof bloodPressureDays>; raised: ReturnType<typeof bloodPressureDays> } {
  const days = bloodPressureDays(ctx.view, 2 * YEAR);
  return { days, raised: days.filter((d) => d.systolic >= 130 || d.diastolic >= 80) };
}

const hypertensionUnrecorded = rule('hypertension-unrecorded', 'BP ≥ 130/80 at 3 or more visits, no hypertension recorded or treated', (ctx) => {
  const v = ctx.view;
  if ((v.age ?? 99) < 18 || v.problems(PROBLEM.hypertension).length || v.medications(DRUG.antihypertensive).length) return undefined;
  const { days, raised } = raisedBpDays(ctx);
  // Visits are oldest first; the latest visit must agree.
  if (raised.length < 3 || days.at(-1) !== raised.at(-1)) return undefined;
  const mean = (k: 'systolic' | 'diastolic'): number => raised.reduce((a, d) => a + d[k], 0) / raised.length;
  const stage2 = mean('systolic') >= 140 || mean('diastolic') >= 90;
  const points = [...v.points('systolic', 2 * YEAR), ...v.points('diastolic', 2 * YEAR)].filter((p) => raised.some((d) => d.ids.includes(p.id)));
  return buildSign(ctx, {
    id: 'hypertension-unrecorded',
    kind: 'persistent',
    title: `Blood pressure raised at ${raised.length} visits; no hypertension recorded`,
    condition: { display: `Hypertension${stage2 ? ' (stage 2 range)' : ' (stage 1 range)'}`, snomed: '59621000', icd10: 'I10' },
    figure: { value: raised.length, unit: 'visits', text: `${raised.length} of ${days.length} visits at 130/80 or above, mean ${n(mean('systolic'))}/${n(mean('diastolic'))} mmHg` },
    why: `Office BP ${raised.map(formatBp).join(', ')}; nothing on the problem list or medicine list addresses it.`,
    criterion: '2025 AHA/ACC: hypertension is BP ≥ 130/80 mmHg (stage 2 ≥ 140/90) based on the average of readings on two or more occasions, confirmed out of office.',
    cite: ['hypertension2025', 'Diagnose hypertension on an average of two or more readings obtained on two or more occasions; stage 1 is 130–139/80–89 mmHg and stage 2 is 140/90 mmHg or more. Confirm with out-of-office measurement.'],
    used: [{ measurement: 'systolic', points: points.filter((p) => v.points('systolic').includes(p)) }, { measurement: 'diastolic', points: points.filter((p) => v.points('diastolic').includes(p)) }],
    confirm: ['Home or ambulatory BP monitoring', 'Basic work-up: creatinine, potassium, urine ACR, lipids, glucose, ECG'],
    refute: ['Home or ambulatory BP below 130/80 (white-coat hypertension)'],
    unrecorded: true,
    confidence: raised.length >= 4 || stage2 ? 'high' : 'moderate',
  });
});

const bpAboveTarget = rule('bp-above-target', 'Treated or recorded hypertension with BP ≥ 130/80 at 3 of the last 4 visits', (ctx) => {
  const v = ctx.view;
  const listed = v.problems(PROBLEM.hypertension);
  const drugs = v.medications(DRUG.antihypertensive);
  if (!listed.length && !drugs.length) return undefined;
  if (pregnancy(v)) return undefined;
  const { days } = raisedBpDays(ctx);
  const recent = days.slice(-4);
  const raised = recent.filter((d) => d.systolic >= 130 || d.diastolic >= 80);
  if (raised.length < 3 || recent.at(-1) !== raised.at(-1)) return undefined;
  const ids = new Set(raised.flatMap((d) => d.ids));
  return buildSign(ctx, {
    id: 'bp-above-target',
    kind: 'persistent',
    title: 'Blood pressure above target at most recent visits',
    condition: { display: 'Uncontrolled hypertension', snomed: '59621000', icd10: 'I10' },
    figure: { value: raised.length, unit: 'visits', text: `${raised.length} of the last ${recent.length} visits at 130/80 or above` },
    why: `Office BP ${raised.map(formatBp).join(', ')} despite ${[...listed.map((p) => p.display), ...drugs.map((d) => d.display)].slice(0, 3).join(', ')}.`,
    criterion: '2025 AHA/ACC: treat most adults with hypertension to below 130/80 mmHg.',
    cite: ['hypertension2025', 'For adults with hypertension, a BP target of less than 130/80 mmHg is recommended.'],
    used: [{ measurement: 'systolic', points: v.points('systolic').filter((p) => ids.has(p.id)) }, { measurement: 'diastolic', points: v.points('diastolic').filter((p) => ids.has(p.id)) }],
    facts: [...listed.map((p) => p.id), ...drugs.map((d) => d.id)],
    confirm: ['Home BP readings', 'Adherence and technique check'],
    refute: ['Home BP below 130/80'],
    unrecorded: false,
    confidence: 'moderate',
  });
});

// ─── Blood ────────────────────────────────────────────────────────────────────────────────

function hbLimit(ctx: SignContext): number {
  const v = ctx.view;
  return haemoglobinLowerLimit(v.age, v.sex, pregnancy(v) !== undefined);
}

const anaemiaUnrecorded = rule('anaemia-unrecorded', 'Haemoglobin below the sex- and age-specific threshold twice, no anaemia recorded', (ctx) => {
  const v = ctx.view;
  if (v.problems(PROBLEM.anaemia).length) return undefined;
  const limit = hbLimit(ctx);
  const hits = confirmed(v.points('hemoglobin', YEAR), (x) => x < limit);
  if (!hits) return undefined;
  return buildSign(ctx, {
    id: 'anaemia-unrecorded',
    kind: 'unrecorded',
    title: 'Anaemia not on the problem list',
    condition: { display: 'Anaemia', snomed: '271737000', icd10: 'D64.9' },
    figure: { value: last(hits).value, unit: 'g/dL', text: `${hits.length} results below ${n(limit, 1)} g/dL` },
    why: `Haemoglobin ${hits.map((p) => n(p.value, 1)).join(', ')} g/dL, below ${n(limit, 1)} g/dL for ${v.person}${pregnancy(v) ? ' in pregnancy' : ''}.`,
    criterion: 'BSG 2021 (WHO thresholds): anaemia is haemoglobin below 13 g/dL in men, 12 g/dL in non-pregnant women and 11 g/dL in pregnancy.',
    cite: ['ironDeficiencyBsg2021', 'Anaemia is defined by the WHO as haemoglobin below 130 g/L in men and below 120 g/L in non-pregnant women.'],
    used: [{ measurement: 'hemoglobin', points: hits }],
    confirm: ['Ferritin and transferrin saturation', 'MCV, B12 and folate', 'Reticulocytes'],
    refute: ['Haemoglobin back above the threshold on repeat'],
    unrecorded: true,
    confidence: 'high',
  });
});

const haemoglobinFalling = rule('haemoglobin-falling', 'Haemoglobin fallen 2 g/dL or more within a year, sustained', (ctx) => {
  const points = ctx.view.points('hemoglobin', YEAR);
  if (points.length < 3) return undefined;
  const earlier = points.slice(0, -2);
  const peak = earlier.reduce((a, p) => (p.value > a.value ? p : a), earlier[0]!);
  if (!lastAll(points, 2, (x) => peak.value - x >= 2)) return undefined;
  const latest = last(points);
  return buildSign(ctx, {
    id: 'haemoglobin-falling',
    kind: 'rate-of-change',
    title: 'Haemoglobin falling',
    condition: { display: 'Falling haemoglobin (occult blood loss until shown otherwise)', snomed: '271737000', icd10: 'D64.9' },
    figure: { value: peak.value - latest.value, unit: 'g/dL', text: `down ${n(peak.value - latest.value, 1)} g/dL over ${span(peak.daysAgo - latest.daysAgo)}` },
    why: `Haemoglobin ${n(peak.value, 1)} g/dL ${span(peak.daysAgo)} ago, now ${n(latest.value, 1)} g/dL; the last two results both confirm the fall.`,
    criterion: 'BSG 2021: a falling haemoglobin with iron deficiency calls for investigation for blood loss, including the gastrointestinal tract in men and post-menopausal women.',
    cite: ['ironDeficiencyBsg2021', 'Men and post-menopausal women with iron deficiency anaemia should be investigated for gastrointestinal blood loss.'],
    used: [{ measurement: 'hemoglobin', points: [peak, ...points.slice(-2)] }],
    confirm: ['Ferritin, MCV, reticulocytes', 'Ask about bleeding (menstrual, GI); stool or endoscopic evaluation as indicated'],
    refute: ['Haemoglobin back to baseline on repeat (haemodilution, sample error)'],
    unrecorded: ctx.view.problems(PROBLEM.anaemia).length === 0,
    confidence: 'moderate',
  });
});

const ironDeficiency = rule('iron-deficiency-anaemia', 'Anaemia with ferritin below 45 ng/mL, iron-deficiency anaemia not recorded', (ctx) => {
  const v = ctx.view;
  if (v.problems({ codes: ['87522002', '234347009'], icd10: ['D50'], text: /iron.deficien/i }).length) return undefined;
  const limit = hbLimit(ctx);
  const hb = confirmed(v.points('hemoglobin', YEAR), (x) => x < limit);
  const ferritin = v.where('ferritin', (x) => x < 45, YEAR);
  const latestFerritin = v.latest('ferritin', YEAR);
  if (!hb || !ferritin.length || !latestFerritin || latestFerritin.value >= 45) return undefined;
  const mcv = v.latest('mcv', YEAR);
  return buildSign(ctx, {
    id: 'iron-deficiency-anaemia',
    kind: 'unrecorded',
    title: 'Iron-deficiency anaemia; not named on the problem list',
    condition: { display: 'Iron deficiency anaemia', snomed: '87522002', icd10: 'D50.9' },
    figure: { value: latestFerritin.value, unit: 'ng/mL', text: `ferritin ${n(latestFerritin.value)} ng/mL with haemoglobin ${n(last(hb).value, 1)} g/dL` },
    why: `Haemoglobin ${n(last(hb).value, 1)} g/dL (below ${n(limit, 1)}) with ferritin ${n(latestFerritin.value)} ng/mL${mcv && mcv.value < 80 ? ` and MCV ${n(mcv.value)} fL` : ''}.`,
    criterion: 'AGA 2020: in anaemia, a ferritin below 45 ng/mL indicates iron deficiency.',
    cite: ['ironDeficiencyAga2020', 'In patients with anaemia, use a ferritin cut-off of 45 ng/mL to diagnose iron deficiency.'],
    used: [{ measurement: 'hemoglobin', points: hb }, { measurement: 'ferritin', points: [latestFerritin] }, ...(mcv ? [{ measurement: 'mcv' as const, points: [mcv] }] : [])],
    confirm: ['Find the source: menstrual history, coeliac serology, GI evaluation by age and sex', 'Transferrin saturation'],
    refute: ['Ferritin above 100 ng/mL on repeat (inflammation raises ferritin; check CRP)'],
    unrecorded: true,
    confidence: 'high',
  });
});

// ─── Electrolytes, calcium ────────────────────────────────────────────────────────────────

const hyponatraemia = rule('hyponatraemia', 'Sodium below 135 mmol/L on two results with the latest low', (ctx) => {
  const v = ctx.view;
  const hits = confirmed(v.points('sodium', 90), (x) => x < 135);
  if (!hits) return undefined;
  const drugs = [...v.medications(DRUG.thiazide), ...v.medications(DRUG.ssri), ...v.medications(DRUG.antiepileptic)];
  const latest = last(hits);
  return buildSign(ctx, {
    id: 'hyponatraemia',
    kind: 'threshold',
    title: `Hyponatraemia${latest.value < 130 ? ', moderate to profound' : ''}`,
    condition: { display: 'Hyponatraemia', snomed: '89627008', icd10: 'E87.1' },
    figure: { value: latest.value, unit: 'mmol/L', text: `${hits.length} results below 135 mmol/L, latest ${n(latest.value)}` },
    why: `Sodium ${hits.map((p) => n(p.value)).join(', ')} mmol/L${drugs.length ? `, on ${drugs.map((d) => d.display).join(', ')}` : ''}.`,
    criterion: 'ESE/ESICM/ERBP 2014: hyponatraemia is sodium below 135 mmol/L; 130–134 mild, 125–129 moderate, below 125 profound.',
    cite: ['hyponatraemia2014', 'Hyponatraemia: serum sodium below 135 mmol/L; mild 130–135, moderate 125–129, profound below 125 mmol/L.'],
    used: [{ measurement: 'sodium', points: hits }],
    facts: drugs.map((d) => d.id),
    confirm: ['Serum osmolality, urine osmolality and urine sodium', 'Volume status; TSH and cortisol', 'Review thiazides, SSRIs and antiepileptics'],
    refute: ['Normal serum osmolality (pseudohyponatraemia) or hyperglycaemia explaining it'],
    unrecorded: v.problems({ text: /hyponat/i, icd10: ['E87.1'] }).length === 0,
    confidence: 'high',
  });
});

const hyperkalaemia = rule('hyperkalaemia', 'Potassium 5.5 mmol/L or more on two results, or rising on RAAS blockade', (ctx) => {
  const v = ctx.view;
  const points = v.points('potassium', 2 * YEAR);
  const hits = confirmed(within(points, 90), (x) => x >= 5.5);
  const raas = [...v.medications(DRUG.aceInhibitor), ...v.medications(DRUG.arb), ...v.medications(DRUG.mra)];
  const slope = points.length >= 3 && spanYears(points) >= 0.5 ? theilSenPerYear(points) : undefined;
  const rising = slope !== undefined && slope > 0.2 && raas.length > 0 && lastAll(points, 2, (x) => x >= 5.0);
  if (!hits && !rising) return undefined;
  const used = hits ?? points;
  return buildSign(ctx, {
    id: 'hyperkalaemia',
    kind: hits ? 'threshold' : 'rate-of-change',
    title: hits ? 'Hyperkalaemia' : 'Potassium rising on RAAS blockade',
    condition: { display: 'Hyperkalaemia', snomed: '14140009', icd10: 'E87.5' },
    figure: hits ? { value: last(hits).value, unit: 'mmol/L', text: `${hits.length} results ≥ 5.5 mmol/L` } : { value: slope!, unit: 'mmol/L/year', text: `rising ${n(slope!, 2)} mmol/L a year` },
    why: `Potassium ${used.slice(-4).map((p) => n(p.value, 1)).join(', ')} mmol/L${raas.length ? ` on ${raas.map((d) => d.display).join(', ')}` : ''}.`,
    criterion: 'KDIGO 2020 controversies conference: recurrent potassium above 5.5 mmol/L on RAAS inhibitors calls for dietary review, potassium binders or diuretics before stopping the RAAS inhibitor.',
    cite: ['kdigoPotassium2020', 'In hyperkalaemia on RAAS inhibitors, address modifiable causes and consider potassium binders so that RAAS inhibition can continue.'],
    used: [{ measurement: 'potassium', points: used }],
    facts: raas.map((d) => d.id),
    confirm: ['Repeat potassium without haemolysis', 'ECG if 6.0 mmol/L or more', 'Creatinine and bicarbonate'],
    refute: ['A non-haemolysed repeat below 5.0 mmol/L'],
    unrecorded: v.problems({ text: /hyperkal/i, icd10: ['E87.5'] }).length === 0,
    confidence: hits ? 'high' : 'moderate',
  });
});

const hypercalcaemia = rule('hypercalcaemia', 'Calcium above 10.5 mg/dL on two results with the latest high', (ctx) => {
  const v = ctx.view;
  const hits = confirmed(v.points('calcium', YEAR), (x) => x > 10.5);
  if (!hits) return undefined;
  return buildSign(ctx, {
    id: 'hypercalcaemia',
    kind: 'threshold',
    title: 'Hypercalcaemia',
    condition: { display: 'Hypercalcaemia', snomed: '66931009', icd10: 'E83.52' },
    figure: { value: last(hits).value, unit: 'mg/dL', text: `${hits.length} results above 10.5 mg/dL, latest ${n(last(hits).value, 1)}` },
    why: `Calcium ${hits.map((p) => n(p.value, 1)).join(', ')} mg/dL.`,
    criterion: 'IMWG 2014: calcium more than 1 mg/dL above the upper limit of normal, or above 11 mg/dL, is a myeloma-defining (CRAB) feature; hypercalcaemia needs a cause.',
    cite: ['myeloma2014', 'Hypercalcaemia: serum calcium > 0.25 mmol/L (> 1 mg/dL) higher than the upper limit of normal or > 2.75 mmol/L (> 11 mg/dL).'],
    used: [{ measurement: 'calcium', points: hits }],
    confirm: ['PTH (with albumin or ionised calcium)', 'Serum protein electrophoresis and free light chains', 'Vitamin D metabolites'],
    refute: ['Normal ionised or albumin-corrected calcium'],
    unrecorded: v.problems({ text: /hypercalc|hyperparathyroid/i, icd10: ['E83.52', 'E21'] }).length === 0,
    confidence: 'moderate',
  });
});

// ─── Rare and can't-miss patterns ─────────────────────────────────────────────────────────

const adrenalPattern = rule('adrenal-insufficiency-pattern', 'Low sodium with high potassium, plus low BP or low glucose (adrenal crisis)', (ctx) => {
  const v = ctx.view;
  if (v.problems({ text: /adrenal insufficien|addison/i, icd10: ['E27.1', 'E27.2', 'E27.4'] }).length) return undefined;
  const na = v.latest('sodium', 30);
  const k = v.latest('potassium', 30);
  if (!na || !k || na.value >= 135 || k.value <= 5.0) return undefined;
  const sbp = v.where('systolic', (x) => x < 100, 30);
  const glucose = [...v.where('glucose', (x) => x < 70, 30), ...v.where('glucose-fasting', (x) => x < 70, 30)];
  const cortisol = v.latest('cortisol', 30);
  const lowCortisol = cortisol && cortisol.value < 5 ? cortisol : undefined;
  const extras = [sbp.length ? `systolic BP ${n(Math.min(...sbp.map((p) => p.value)))} mmHg` : '', glucose.length ? `glucose ${n(glucose[0]!.value)} mg/dL` : '', lowCortisol ? `cortisol ${n(lowCortisol.value, 1)} µg/dL` : ''].filter(Boolean);
  // Sodium and potassium alone are common (kidney disease, drugs); the pattern needs a third, independent part.
  if (extras.length === 0) return undefined;
  return buildSign(ctx, {
    id: 'adrenal-insufficiency-pattern',
    kind: 'pattern',
    title: 'Pattern of adrenal insufficiency (rare, can’t miss)',
    condition: { display: 'Primary adrenal insufficiency', snomed: '363732003', icd10: 'E27.1' },
    figure: { value: extras.length + 2, unit: 'features', text: `sodium ${n(na.value)}, potassium ${n(k.value, 1)} mmol/L, ${extras.join(', ')}` },
    why: `Hyponatraemia (${n(na.value)} mmol/L) with hyperkalaemia (${n(k.value, 1)} mmol/L) and ${extras.join(', ')}: together they fit mineralocorticoid and glucocorticoid deficiency.`,
    criterion: 'Endocrine Society 2016: in unexplained hyponatraemia, hyperkalaemia, hypotension or hypoglycaemia, test for primary adrenal insufficiency; in suspected crisis, give hydrocortisone without waiting for results.',
    cite: ['adrenal2016', 'Consider primary adrenal insufficiency in acutely ill patients with otherwise unexplained symptoms such as volume depletion, hypotension, hyponatraemia, hyperkalaemia or hypoglycaemia; treat suspected adrenal crisis with hydrocortisone immediately.'],
    used: [{ measurement: 'sodium', points: [na] }, { measurement: 'potassium', points: [k] }, ...(sbp.length ? [{ measurement: 'systolic' as const, points: sbp }] : []), ...(lowCortisol ? [{ measurement: 'cortisol' as const, points: [lowCortisol] }] : [])],
    confirm: ['Morning cortisol with paired ACTH (discriminating: low cortisol with high ACTH)', 'Short Synacthen (cosyntropin) test', 'Renin and aldosterone'],
    refute: ['Cortisol above 18 µg/dL on a stimulation test', 'A drug or kidney cause explaining both sodium and potassium'],
    unrecorded: true,
    cantMiss: true,
    rarity: 'Rare: about 1 in 10,000 people (100–140 per million)',
    confidence: lowCortisol ? 'moderate' : 'low',
  });
});

const myelomaPattern = rule('myeloma-pattern', 'Two or more CRAB features (calcium, kidney, anaemia) with raised globulin', (ctx) => {
  const v = ctx.view;
  if (v.problems({ text: /myeloma|plasmacytoma|gammopathy/i, icd10: ['C90', 'D47.2'] }).length) return undefined;
  const calcium = v.where('calcium', (x) => x > 11, 90);
  const hb = v.where('hemoglobin', (x) => x < 10, 90);
  const creatinine = v.where('creatinine', (x) => x > 2, 90);
  const egfrLow = ctx.egfr.filter((p) => p.daysAgo <= 90 && p.value < 40);
  const globulin = v.where('globulin', (x) => x > 3.5, 90);
  const features = [calcium.length ? 'C' : '', creatinine.length || egfrLow.length ? 'R' : '', hb.length ? 'A' : ''].filter(Boolean);
  if (features.length < 2 || (features.length < 3 && !globulin.length)) return undefined;
  return buildSign(ctx, {
    id: 'myeloma-pattern',
    kind: 'pattern',
    title: 'CRAB pattern: screen for myeloma (rare)',
    condition: { display: 'Multiple myeloma', snomed: '109989006', icd10: 'C90.00' },
    figure: { value: features.length, unit: 'CRAB features', text: `${features.join(', ')} of CRAB${globulin.length ? ', with raised globulin' : ''}` },
    why: [
      calcium.length ? `calcium ${n(last(calcium).value, 1)} mg/dL` : '',
      creatinine.length ? `creatinine ${n(last(creatinine).value, 2)} mg/dL` : egfrLow.length ? `eGFR ${n(last(egfrLow).value)}` : '',
      hb.length ? `haemoglobin ${n(last(hb).value, 1)} g/dL` : '',
      globulin.length ? `globulin ${n(last(globulin).value, 1)} g/dL` : '',
    ].filter(Boolean).join(', ') + ': together these are the myeloma-defining end-organ features.',
    criterion: 'IMWG 2014: hypercalcaemia, renal insufficiency, anaemia and bone lesions (CRAB) are myeloma-defining events when attributable to a plasma-cell disorder.',
    cite: ['myeloma2014', 'Myeloma-defining events: hypercalcaemia (> 11 mg/dL), renal insufficiency (creatinine > 2 mg/dL or clearance < 40 mL/min), anaemia (haemoglobin < 10 g/dL or > 2 g/dL below normal) and bone lesions.'],
    used: [
      ...(calcium.length ? [{ measurement: 'calcium' as const, points: calcium }] : []),
      ...(creatinine.length ? [{ measurement: 'creatinine' as const, points: creatinine }] : []),
      ...(hb.length ? [{ measurement: 'hemoglobin' as const, points: hb }] : []),
      ...(globulin.length ? [{ measurement: 'globulin' as const, points: globulin }] : []),
    ],
    confirm: ['Serum protein electrophoresis with immunofixation (discriminating)', 'Serum free light chains', 'Skeletal survey or low-dose whole-body CT'],
    refute: ['No monoclonal protein on electrophoresis, immunofixation and free light chains'],
    unrecorded: true,
    cantMiss: true,
    rarity: 'Rare: about 7 new cases per 100,000 people a year, mostly over 60',
    confidence: features.length >= 3 && globulin.length ? 'moderate' : 'low',
  });
});

const ironOverload = rule('iron-overload', 'Ferritin raised with transferrin saturation ≥ 45 % (haemochromatosis)', (ctx) => {
  const v = ctx.view;
  if (v.problems({ text: /haemochromat|hemochromat|iron overload/i, icd10: ['E83.11'] }).length) return undefined;
  const limit = v.sex === 'female' ? 200 : 300;
  const ferritin = confirmed(v.points('ferritin', 2 * YEAR), (x) => x > limit);
  const tsat = v.latest('tsat', 2 * YEAR);
  if (!ferritin || !tsat || tsat.value < 45) return undefined;
  return buildSign(ctx, {
    id: 'iron-overload',
    kind: 'pattern',
    title: 'Iron overload pattern: consider haemochromatosis',
    condition: { display: 'Hereditary haemochromatosis', snomed: '399187006', icd10: 'E83.110' },
    figure: { value: tsat.value, unit: '%', text: `ferritin ${n(last(ferritin).value)} ng/mL with transferrin saturation ${n(tsat.value)} %` },
    why: `Ferritin above ${limit} ng/mL on ${ferritin.length} results and transferrin saturation ${n(tsat.value)} %.`,
    criterion: 'ACG 2019: raised ferritin with transferrin saturation of 45 % or more should prompt HFE genotyping.',
    cite: ['haemochromatosisAcg2019', 'Patients with abnormal iron studies (transferrin saturation ≥ 45 % and raised ferritin) should be evaluated for hemochromatosis with HFE mutation analysis.'],
    used: [{ measurement: 'ferritin', points: ferritin }, { measurement: 'tsat', points: [tsat] }],
    confirm: ['Fasting transferrin saturation', 'HFE genotyping (C282Y, H63D) — discriminating', 'Liver tests'],
    refute: ['Ferritin explained by inflammation, alcohol or liver disease with normal transferrin saturation'],
    unrecorded: true,
    rarity: 'Uncommon: HFE C282Y homozygosity affects about 1 in 200–300 people of northern European ancestry, and fewer develop iron overload',
    confidence: 'moderate',
  });
});

// ─── Thyroid, liver, lipids ───────────────────────────────────────────────────────────────

const thyroid = rule('tsh-persistent', 'TSH outside 0.4–4.5 mIU/L on two results with no thyroid disease recorded', (ctx) => {
  const v = ctx.view;
  const points = v.points('tsh', 2 * YEAR);
  const high = confirmed(points, (x) => x > 4.5);
  const low = confirmed(points, (x) => x < 0.4);
  if (high && (v.problems(PROBLEM.hypothyroidism).length || v.medications(DRUG.levothyroxine).length)) return undefined;
  if (low && (v.problems(PROBLEM.hyperthyroidism).length || v.medications(DRUG.levothyroxine).length || v.medications(DRUG.antithyroid).length)) return undefined;
  const hits = high ?? low;
  if (!hits) return undefined;
  return buildSign(ctx, {
    id: 'tsh-persistent',
    kind: 'unrecorded',
    title: high ? 'TSH persistently high' : 'TSH persistently suppressed',
    condition: high ? { display: 'Hypothyroidism', snomed: '40930008', icd10: 'E03.9' } : { display: 'Hyperthyroidism', snomed: '34486009', icd10: 'E05.90' },
    figure: { value: last(hits).value, unit: 'mIU/L', text: `${hits.length} TSH results ${high ? 'above 4.5' : 'below 0.4'} mIU/L` },
    why: `TSH ${hits.map((p) => n(p.value, 2)).join(', ')} mIU/L with no thyroid disease or treatment recorded.`,
    criterion: high ? 'ATA 2014: a raised TSH is confirmed with a repeat TSH and free T4 before treatment.' : 'ATA 2016: a suppressed TSH is evaluated with free T4 and T3 to establish the cause of thyrotoxicosis.',
    cite: high ? ['hypothyroidism2014', 'Diagnose hypothyroidism on a raised TSH confirmed on repeat, with free T4 to distinguish overt from subclinical disease.'] : ['hyperthyroidism2016', 'When TSH is low, measure free T4 and total or free T3 to assess the degree and cause of thyrotoxicosis.'],
    used: [{ measurement: 'tsh', points: hits }],
    confirm: ['Free T4 (and T3 if TSH is low)', high ? 'TPO antibodies' : 'TSH-receptor antibodies'],
    refute: ['Normal TSH on repeat in 6–8 weeks (non-thyroidal illness, recovery phase)'],
    unrecorded: true,
    confidence: 'moderate',
  });
});

const altPersistent = rule('alt-persistent', 'ALT above the upper limit for 6 months or more with no liver disease recorded', (ctx) => {
  const v = ctx.view;
  if (v.problems(PROBLEM.liverDisease).length || v.problems({ text: /hepatitis|liver/i, icd10: ['K7', 'B18'] }).length) return undefined;
  const uln = v.measurement('alt')?.referenceHigh ?? (v.sex === 'male' ? 40 : 35);
  const run = persistentFor(v.points('alt', 2 * YEAR), (x) => x > uln, 180);
  if (!run) return undefined;
  const bmi = v.latest('bmi', YEAR);
  const metabolic = (bmi && bmi.value >= 30) || v.problems(PROBLEM.diabetes).length > 0 || v.problems(PROBLEM.obesity).length > 0;
  return buildSign(ctx, {
    id: 'alt-persistent',
    kind: 'persistent',
    title: 'ALT raised for 6 months or more',
    condition: metabolic ? { display: 'Metabolic dysfunction-associated steatotic liver disease', snomed: '197321007', icd10: 'K76.0' } : { display: 'Chronic liver disease (cause to be found)' },
    figure: { value: run.length, unit: 'results', text: `${run.length} results above ${n(uln)} U/L over ${span(run[0]!.daysAgo - last(run).daysAgo)}` },
    why: `ALT ${run.map((p) => n(p.value)).join(', ')} U/L${metabolic ? ' with metabolic risk factors' : ''}.`,
    criterion: 'AASLD 2023: in people with metabolic risk factors and raised aminotransferases, assess for steatotic liver disease and stage fibrosis (FIB-4, then elastography).',
    cite: ['masld2023', 'Use FIB-4 as the initial risk assessment in people with NAFLD or risk factors, followed by elastography when indeterminate or high.'],
    used: [{ measurement: 'alt', points: run }, ...(bmi ? [{ measurement: 'bmi' as const, points: [bmi] }] : [])],
    confirm: ['FIB-4 (AST, ALT, platelets, age)', 'Liver ultrasound', 'Hepatitis B and C serology; alcohol history'],
    refute: ['ALT normal on repeat after a drug or alcohol cause is removed'],
    unrecorded: true,
    confidence: 'moderate',
  });
});

const ldlUntreated = rule('ldl-untreated', 'LDL 190 mg/dL or more on two results with no statin', (ctx) => {
  const v = ctx.view;
  if (v.medications(DRUG.statin).length) return undefined;
  const hits = confirmed(v.points('ldl', 3 * YEAR), (x) => x >= 190);
  if (!hits) return undefined;
  return buildSign(ctx, {
    id: 'ldl-untreated',
    kind: 'threshold',
    title: 'Severe hypercholesterolaemia without a statin',
    condition: { display: 'Hypercholesterolaemia', snomed: '13644009', icd10: 'E78.01' },
    figure: { value: last(hits).value, unit: 'mg/dL', text: `${hits.length} LDL results ≥ 190 mg/dL` },
    why: `LDL ${hits.map((p) => n(p.value)).join(', ')} mg/dL and no statin on the medicine list.`,
    criterion: '2018 AHA/ACC cholesterol guideline: adults aged 20–75 with LDL 190 mg/dL or more start a high-intensity statin without risk calculation.',
    cite: ['lipids2018', 'In patients 20 to 75 years of age with an LDL-C level of 190 mg/dL or higher, maximally tolerated statin therapy is recommended.'],
    used: [{ measurement: 'ldl', points: hits }],
    confirm: ['Exclude secondary causes: TSH, liver tests, urine protein', 'Family history (familial hypercholesterolaemia)'],
    refute: ['LDL below 190 on a fasting repeat'],
    unrecorded: v.problems(PROBLEM.hyperlipidaemia).length === 0,
    confidence: 'high',
  });
});

// ─── Acute ────────────────────────────────────────────────────────────────────────────────

const troponinRise = rule('troponin-rise', 'High-sensitivity troponin above the 99th percentile with a rise on serial samples', (ctx) => {
  const v = ctx.view;
  for (const id of ['troponin-hs-i', 'troponin-hs-t'] as const) {
    const points = v.points(id, 2);
    if (points.length < 2) continue;
    // The laboratory's 99th percentile when it sends one; otherwise a common assay's.
    const url = v.measurement(id)?.referenceHigh ?? (id === 'troponin-hs-i' ? 26 : 14);
    const first = points[0]!;
    const latest = last(points);
    const delta = latest.value - first.value;
    if (!lastAll(points, 2, (x) => x > url) && !(latest.value > url && points.length >= 2 && delta > 0)) continue;
    if (delta <= Math.max(5, first.value * 0.2)) continue;
    return buildSign(ctx, {
      id: 'troponin-rise',
      kind: 'threshold',
      title: 'Rising troponin above the 99th percentile',
      condition: { display: 'Acute myocardial injury (NSTEMI until shown otherwise)', snomed: '401314000', icd10: 'I21.4' },
      figure: { value: delta, unit: 'ng/L', text: `${n(first.value)} → ${n(latest.value)} ng/L (rise ${n(delta)} ng/L)` },
      why: `${v.measurement(id)!.def.display} ${points.map((p) => n(p.value)).join(' → ')} ng/L, above ${n(url)} ng/L and rising.`,
      criterion: 'ESC 2023: a rise and/or fall of high-sensitivity troponin with at least one value above the 99th percentile is acute myocardial injury; with ischaemic symptoms it is myocardial infarction.',
      cite: ['acsEsc2023', 'Acute myocardial injury is a rise and/or fall of cardiac troponin values with at least one value above the 99th percentile upper reference limit.'],
      used: [{ measurement: id, points }],
      confirm: ['12-lead ECG now and with symptoms', 'Repeat troponin per the 0/1 h or 0/2 h algorithm'],
      refute: ['Stable troponin on serial samples (chronic injury: kidney disease, heart failure)'],
      unrecorded: v.problems(PROBLEM.coronaryDisease).length === 0,
      cantMiss: true,
      confidence: 'high',
    });
  }
  return undefined;
});

const sepsisScreen = rule('qsofa', 'Two or more qSOFA criteria in the last day (respiratory rate ≥ 22, systolic ≤ 100, altered mentation)', (ctx) => {
  const v = ctx.view;
  const rr = v.where('respiratory-rate', (x) => x >= 22, 1);
  const sbp = v.where('systolic', (x) => x <= 100, 1);
  const mentation = v.mentions(/confus|disorient|altered mental|drowsy/i, 1);
  const count = (rr.length ? 1 : 0) + (sbp.length ? 1 : 0) + (mentation.length ? 1 : 0);
  if (count < 2 || (v.age ?? 99) < 18) return undefined;
  const lactate = v.where('lactate', (x) => x > 2, 1);
  const temp = v.where('temperature', (x) => x >= 38 || x < 36, 1);
  return buildSign(ctx, {
    id: 'qsofa',
    kind: 'pattern',
    title: 'qSOFA positive: screen for sepsis',
    condition: { display: 'Sepsis', snomed: '91302008', icd10: 'A41.9' },
    figure: { value: count, unit: 'of 3 qSOFA criteria', text: `qSOFA ${count}/3${lactate.length ? `, lactate ${n(last(lactate).value, 1)} mmol/L` : ''}` },
    why: [rr.length ? `respiratory rate ${n(last(rr).value)}/min` : '', sbp.length ? `systolic BP ${n(last(sbp).value)} mmHg` : '', mentation.length ? `"${mentation[0]!.phrase}" in the notes` : '', temp.length ? `temperature ${n(last(temp).value, 1)} °C` : '', lactate.length ? `lactate ${n(last(lactate).value, 1)} mmol/L` : ''].filter(Boolean).join(', ') + '.',
    criterion: 'Sepsis-3: two or more qSOFA criteria (respiratory rate ≥ 22/min, altered mentation, systolic BP ≤ 100 mmHg) identify infected patients at risk of a poor outcome.',
    cite: ['sepsis3', 'qSOFA: respiratory rate of 22/min or greater, altered mentation, or systolic blood pressure of 100 mm Hg or less; two or more suggest a greater risk of poor outcome in suspected infection.'],
    used: [...(rr.length ? [{ measurement: 'respiratory-rate' as const, points: rr }] : []), ...(sbp.length ? [{ measurement: 'systolic' as const, points: sbp }] : []), ...(lactate.length ? [{ measurement: 'lactate' as const, points: lactate }] : []), ...(temp.length ? [{ measurement: 'temperature' as const, points: temp }] : [])],
    facts: mentation.map((m) => m.id),
    confirm: ['Lactate, blood cultures before antibiotics', 'SOFA score (bilirubin, platelets, creatinine, PaO2/FiO2)'],
    refute: ['No source of infection and a non-infective cause of the vital-sign changes'],
    unrecorded: v.problems({ text: /sepsis|septic/i, icd10: ['A40', 'A41', 'R65.2'] }).length === 0,
    cantMiss: true,
    confidence: lactate.length ? 'high' : 'moderate',
  });
});

const pregnancyOnRasBlocker = rule('pregnancy-ras-blocker', 'A pregnancy in the results (hCG) or on the list while an ACE inhibitor, ARB or renin inhibitor is active', (ctx) => {
  const v = ctx.view;
  const p = pregnancy(v);
  const drugs = [...v.medications(DRUG.aceInhibitor), ...v.medications(DRUG.arb), ...v.medications(DRUG.reninInhibitor)];
  if (!p || !drugs.length) return undefined;
  const listed = v.problems(PROBLEM.pregnancy).length > 0;
  const hcg = v.where('hcg', (x) => x >= 25, 60);
  return buildSign(ctx, {
    id: 'pregnancy-ras-blocker',
    kind: listed ? 'pattern' : 'unrecorded',
    title: `Pregnancy${listed ? '' : ' (not on the problem list)'} while taking ${drugs[0]!.display}`,
    condition: { display: 'Pregnancy', snomed: '77386006', icd10: 'Z33.1' },
    figure: { value: p.weeks ?? 0, unit: 'weeks', text: p.weeks !== undefined ? `about ${p.weeks} weeks` : p.text },
    why: `${p.text[0]!.toUpperCase()}${p.text.slice(1)}, with ${drugs.map((d) => d.display).join(', ')} active.`,
    criterion: '2017 ACC/AHA: women with hypertension who become pregnant should not be treated with ACE inhibitors, ARBs or direct renin inhibitors.',
    cite: ['hypertension2017', 'Women with hypertension who become pregnant should not be treated with ACE inhibitors, ARBs or direct renin inhibitors, and should be transitioned to methyldopa, nifedipine and/or labetalol.'],
    used: hcg.length ? [{ measurement: 'hcg', points: hcg }] : [],
    facts: [...p.facts, ...drugs.map((d) => d.id)],
    confirm: ['Quantitative serum hCG and dating ultrasound', 'Switch to labetalol, nifedipine or methyldopa now'],
    refute: ['A negative serum hCG'],
    unrecorded: !listed,
    cantMiss: true,
    confidence: 'high',
  });
});

/** The run of results ending at the latest that all pass and span at least `minDays`. */
function persistentFor(points: readonly Point[], test: (value: number) => boolean, minDays: number): Point[] | undefined {
  const run: Point[] = [];
  for (let i = points.length - 1; i >= 0; i--) {
    if (!test(points[i]!.value)) break;
    run.unshift(points[i]!);
  }
  if (run.length < 2) return undefined;
  return run[0]!.daysAgo - last(run).daysAgo >= minDays ? run : undefined;
}

export const EARLY_SIGN_RULES: readonly EarlySignRule[] = [
  egfrRapidDecline,
  ckdUnrecorded,
  ckdStageOutdated,
  albuminuriaRising,
  creatinineRise,
  diabetesUnrecorded,
  prediabetesUnrecorded,
  hba1cRising,
  fastingGlucoseImpaired,
  hypertensionUnrecorded,
  bpAboveTarget,
  anaemiaUnrecorded,
  haemoglobinFalling,
  ironDeficiency,
  hyponatraemia,
  hyperkalaemia,
  hypercalcaemia,
  adrenalPattern,
  myelomaPattern,
  ironOverload,
  thyroid,
  altPersistent,
  ldlUntreated,
  troponinRise,
  sepsisScreen,
  pregnancyOnRasBlocker,
];

