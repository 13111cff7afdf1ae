/** Endocrine: adrenal insufficiency, hypothyroidism, hyperthyroidism. */
import { formatNumber } from '../case-view.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings, lookBack } from '../rules.ts';
import { DRUG, PROBLEM } from '../vocabulary.ts';
import { nonSpecificSymptoms } from './shared.ts';

export const adrenalInsufficiency = defineCondition({
  id: 'adrenal-insufficiency',
  name: 'Primary adrenal insufficiency (Addison disease)',
  snomed: '363732003',
  icd10: 'E27.1',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: 'Rare: about 1 in 10,000 people (100–140 per million)',
  prior: -1.5,
  recordedAs: { codes: ['363732003', '237751000'], icd10: ['E27.1', 'E27.2', 'E27.4'], text: /addison|adrenal insufficiency|hypoadrenal|adrenal crisis/i },
  keywords: ['adrenal insufficiency', 'addison', 'adrenal crisis', 'cortisol', 'hydrocortisone', 'hyponatraemia hyperkalaemia', 'synacthen', 'cosyntropin'],
  keyFacts: [
    'Suspect adrenal insufficiency with unexplained hypotension or collapse, hyponatraemia with hyperkalaemia, hypoglycaemia, weight loss and hyperpigmentation.',
    'In suspected adrenal crisis give hydrocortisone 100 mg IV at once, after drawing cortisol and ACTH if that causes no delay; confirm later with a cosyntropin test.',
  ],
  citations: [
    cite(
      'adrenal2016',
      'Test for primary adrenal insufficiency in acutely ill patients with unexplained volume depletion, hypotension, hyponatraemia, hyperkalaemia or hypoglycaemia; in suspected adrenal crisis give 100 mg hydrocortisone intravenously immediately, without waiting for results; confirm with the corticotropin stimulation test (peak cortisol below 18 µg/dL), or use a morning cortisol below 5 µg/dL with a raised ACTH as a preliminary test.',
    ),
  ],
  assess(v) {
    const sodium = v.latest('sodium', 30);
    const potassium = v.latest('potassium', 30);
    const cortisol = v.latest('cortisol', 30);
    const lowNa = sodium && sodium.value < 135 ? sodium : undefined;
    const highK = potassium && potassium.value > 5.0 ? potassium : undefined;
    const lowCortisol = cortisol && cortisol.value < 5 ? cortisol : undefined;
    const sbp = v.extreme('systolic', 'min', 2);
    const glucose = v.extreme('glucose', 'min', 30);
    const hypotension = sbp && sbp.value < 100 ? sbp : undefined;
    const hypoglycaemia = glucose && glucose.value < 70 ? glucose : undefined;
    if (!(lowNa && highK) && !lowCortisol && !(lowNa && hypotension && hypoglycaemia)) return null;
    const f = new Findings();
    if (lowNa) f.support(1.5, `Sodium ${v.format('sodium', lowNa.value)} ${ago(lowNa.daysAgo)}`, [lowNa], 'result');
    if (highK) f.support(1.5, `Potassium ${v.format('potassium', highK.value)} ${ago(highK.daysAgo)}`, [highK], 'result');
    if (lowNa && highK) f.support(1, 'Low sodium with high potassium together: the mineralocorticoid-deficiency pattern', [lowNa, highK], 'result', { novel: true });
    const naTrend = v.points('sodium', 365);
    const kTrend = v.points('potassium', 365);
    if (naTrend.length >= 3 && kTrend.length >= 3 && naTrend[0]!.value - naTrend.at(-1)!.value >= 5 && kTrend.at(-1)!.value - kTrend[0]!.value >= 0.8) {
      f.support(1, `Over months sodium fell ${formatNumber(naTrend[0]!.value, 0)} → ${formatNumber(naTrend.at(-1)!.value, 0)} while potassium rose ${formatNumber(kTrend[0]!.value, 1)} → ${formatNumber(kTrend.at(-1)!.value, 1)}`, [...naTrend, ...kTrend], 'result', { novel: true });
    }
    if (lowCortisol) f.support(4, `Cortisol ${v.format('cortisol', lowCortisol.value)} ${ago(lowCortisol.daysAgo)} (below 5 µg/dL; inappropriately low in an unwell patient)`, [lowCortisol], 'result', { novel: true });
    if (cortisol && cortisol.value >= 18) f.oppose(4, `Cortisol ${v.format('cortisol', cortisol.value)} makes adrenal insufficiency unlikely`, [cortisol], 'result');
    if (hypotension) f.support(1.5, `Systolic BP ${v.format('systolic', hypotension.value)}`, [hypotension], 'vital');
    const sbpDays = v.points('systolic', 365);
    if (sbpDays.length >= 3 && sbpDays[0]!.value - sbpDays.at(-1)!.value >= 15) {
      f.support(1, `Blood pressure falling over months (${formatNumber(sbpDays[0]!.value, 0)} → ${formatNumber(sbpDays.at(-1)!.value, 0)} mmHg systolic)`, [sbpDays[0], sbpDays.at(-1)], 'vital');
    }
    if (hypoglycaemia) f.support(1.5, `Glucose ${v.format('glucose', hypoglycaemia.value)}`, [hypoglycaemia], 'result');
    const weights = v.points('weight', 365);
    if (weights.length >= 2 && weights.at(-1)!.value <= weights[0]!.value * 0.95) {
      f.support(1, `Weight down ${formatNumber(weights[0]!.value - weights.at(-1)!.value, 1)} kg (${formatNumber(weights[0]!.value, 1)} → ${formatNumber(weights.at(-1)!.value, 1)})`, [weights[0], weights.at(-1)], 'vital');
    }
    const pigment = v.mentions(/hyperpigment|pigmented (?:buccal|knuckles|creases|palmar)|darker creases|tanned|bronzed|salt craving|craves salt/i);
    if (pigment.length) f.support(2, `Described in the notes: ${pigment.map((p) => p.phrase).join(', ')}`, pigment, 'note');
    const autoimmune = v.problems(PROBLEM.autoimmune).concat(v.problems(PROBLEM.hypothyroidism)).filter((p, i, all) => all.indexOf(p) === i);
    if (autoimmune.length) f.support(1, `Other autoimmune disease: ${autoimmune.map((p) => p.display).join(', ')}`, autoimmune, 'problem');
    const symptoms = [...v.problems(PROBLEM.fatigue), ...v.problems(PROBLEM.weightLoss)];
    if (symptoms.length) f.support(0.5, `Symptoms on the problem list: ${symptoms.map((p) => p.display).join(', ')}`, symptoms, 'problem');
    const gi = v.mentions(/vomit|abdominal pain|nausea|near-syncope|syncope|dizzy/i, 7);
    if (gi.length) f.support(0.5, `Acute symptoms (${gi.map((g) => g.phrase).join(', ')})`, gi, 'note');
    const steroids = v.medications(DRUG.glucocorticoid);
    if (steroids[0]) f.oppose(1, `On a glucocorticoid (${steroids[0].display}): a cortisol level is hard to read`, [steroids[0]], 'medication');
    const stoppedSteroid = v.medications(DRUG.glucocorticoid, true).filter((m) => (m.status ?? '').toLowerCase() === 'stopped');
    if (stoppedSteroid[0] && !lowNa) f.support(1, `Glucocorticoid recently stopped (${stoppedSteroid[0].display}): consider secondary adrenal insufficiency`, [stoppedSteroid[0]], 'medication');
    if (!cortisol) f.lacks(`No cortisol ${lookBack(30)}`);
    if (!v.has('acth', 30)) f.lacks('No ACTH result (it may be pending)');
    f.step('treatment', 'If unwell or hypotensive: hydrocortisone 100 mg IV now (after drawing cortisol and ACTH if no delay), with IV saline and dextrose');
    f.step('test', 'Paired cortisol and ACTH, then a cosyntropin (250 µg) stimulation test; renin and aldosterone');
    f.step('referral', 'Endocrinology');
    if (v.medications(DRUG.levothyroxine).length) f.step('other', 'Start glucocorticoid before any increase in thyroxine: thyroxine can precipitate crisis in untreated adrenal insufficiency');
    return f.result();
  },
});

export const hypothyroidism = defineCondition({
  id: 'hypothyroidism',
  name: 'Hypothyroidism',
  snomed: '40930008',
  icd10: 'E03.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.hypothyroidism,
  keywords: ['hypothyroidism', 'underactive thyroid', 'tsh', 'levothyroxine', 'thyroid', 'hashimoto', 'fatigue'],
  keyFacts: ['Levothyroxine is the treatment of choice, titrated to a TSH in the reference range; a raised TSH with low free T4 confirms primary hypothyroidism.'],
  citations: [cite('hypothyroidism2014', 'Levothyroxine monotherapy is the treatment of choice for hypothyroidism, with the dose adjusted to bring TSH into the reference range and rechecked 4–8 weeks after each change.')],
  assess(v) {
    const tsh = v.latest('tsh', 365);
    const ft4 = v.latest('free-t4', 365);
    const recorded = v.problems(PROBLEM.hypothyroidism);
    const treated = v.medications(DRUG.levothyroxine);
    const symptoms = nonSpecificSymptoms(v);
    const f = new Findings();
    if (tsh && tsh.value > 10) f.support(4, `TSH ${v.format('tsh', tsh.value)} ${ago(tsh.daysAgo)}`, [tsh], 'result', ft4 && ft4.value < 0.8 ? { criterion: 0.95, novel: !recorded.length } : { novel: !recorded.length });
    else if (tsh && tsh.value > 4.5) f.support(1.5, `TSH ${v.format('tsh', tsh.value)} (mildly raised)`, [tsh], 'result');
    if (ft4 && ft4.value < 0.8) f.support(2, `Free T4 ${v.format('free-t4', ft4.value)}`, [ft4], 'result');
    if (!tsh && symptoms) {
      f.support(0.5, `Non-specific symptoms (${symptoms.text}) without a recent TSH`, symptoms.facts, 'problem');
      f.lacks(`No TSH ${lookBack(365)}`);
    }
    if (!f.triggered && !recorded.length) return null;
    for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    for (const m of treated.slice(0, 1)) f.support(0.5, `Treated: ${m.display}`, [m], 'medication');
    if (tsh && tsh.value > 4.5 && treated.length) f.name = 'Hypothyroidism, under-replaced';
    if (tsh && tsh.value >= 0.4 && tsh.value <= 4.5 && !recorded.length) f.oppose(3, `TSH ${v.format('tsh', tsh.value)} is normal`, [tsh], 'result');
    for (const m of [...v.medications(DRUG.amiodarone), ...v.medications(DRUG.lithium)]) f.support(0.5, `Can cause hypothyroidism: ${m.display}`, [m], 'medication');
    f.step('test', tsh ? 'Repeat TSH with free T4 (and TPO antibodies if mildly raised)' : 'TSH with free T4');
    if (tsh && tsh.value > 10) f.step('treatment', 'Levothyroxine, titrated to TSH every 6–8 weeks');
    return f.result();
  },
});

export const hyperthyroidism = defineCondition({
  id: 'hyperthyroidism',
  name: 'Hyperthyroidism',
  snomed: '34486009',
  icd10: 'E05.90',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.hyperthyroidism,
  keywords: ['hyperthyroidism', 'thyrotoxicosis', 'graves', 'low tsh', 'overactive thyroid', 'palpitations'],
  keyFacts: ['A suppressed TSH needs free T4 and T3 to grade it and a cause found (TRAb, radioiodine uptake); beta-blockers relieve symptoms meanwhile.'],
  citations: [cite('hyperthyroidism2016', 'With a suppressed TSH, measure free T4 and total or free T3 to assess severity, determine the cause (TSH-receptor antibodies, radioactive iodine uptake or thyroid ultrasound), and give a beta-blocker to symptomatic patients.')],
  assess(v) {
    const tsh = v.latest('tsh', 365);
    const ft4 = v.latest('free-t4', 365);
    const recorded = v.problems(PROBLEM.hyperthyroidism);
    const f = new Findings();
    if (tsh && tsh.value < 0.1) f.support(3, `TSH ${v.format('tsh', tsh.value)} ${ago(tsh.daysAgo)} (suppressed)`, [tsh], 'result');
    else if (tsh && tsh.value < 0.4) f.support(1, `TSH ${v.format('tsh', tsh.value)} (low)`, [tsh], 'result');
    if (ft4 && ft4.value > 1.8) f.support(2.5, `Free T4 ${v.format('free-t4', ft4.value)}`, [ft4], 'result', tsh && tsh.value < 0.1 ? { criterion: 0.95 } : {});
    if (!f.triggered && !recorded.length) return null;
    for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    const hr = v.latest('heart-rate', 30);
    if (hr && hr.value > 100) f.support(0.5, `Heart rate ${v.format('heart-rate', hr.value)}`, [hr], 'vital');
    for (const p of v.problems(PROBLEM.atrialFibrillation).slice(0, 1)) f.support(0.5, `Atrial fibrillation: ${p.display}`, [p], 'problem');
    const thyroxine = v.medications(DRUG.levothyroxine);
    if (thyroxine[0] && tsh && tsh.value < 0.4) {
      f.name = 'Excess thyroid hormone replacement';
      f.oppose(1, `Taking ${thyroxine[0].display}: over-replacement is the likelier cause`, [thyroxine[0]], 'medication');
      f.step('treatment', 'Reduce the levothyroxine dose and recheck TSH in 6–8 weeks');
    }
    for (const m of v.medications(DRUG.amiodarone)) f.support(0.5, `Can cause thyrotoxicosis: ${m.display}`, [m], 'medication');
    f.step('test', 'Free T4 and T3; TSH-receptor antibodies; radioiodine uptake or ultrasound if the cause is unclear');
    f.step('treatment', 'Beta-blocker for symptoms');
    return f.result();
  },
});

export const ENDOCRINE = [adrenalInsufficiency, hypothyroidism, hyperthyroidism];
