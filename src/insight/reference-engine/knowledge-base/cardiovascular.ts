/** Heart and vessels: acute coronary syndrome, angina, PE, aortic dissection, heart failure, AF, hypertension, stroke, DVT. */
import type { CaseProblem, FactId } from '../../types.ts';
import { formatNumber, type CaseView, type Point } from '../case-view.ts';
import type { MeasurementId } from '../measurements.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings, lookBack } from '../rules.ts';
import { DRUG, PROBLEM, SAYS } from '../vocabulary.ts';
import { bloodPressureDays, formatBp, pregnancy } from './shared.ts';

const ISCHAEMIC_ECG = /ST[- ](?:segment )?depression|T[- ]wave inversion|ST[- ](?:segment )?elevation|new (?:LBBB|left bundle)/i;
const ST_ELEVATION = /ST[- ](?:segment )?elevation/i;

interface TroponinReading {
  readonly id: MeasurementId;
  readonly label: string;
  readonly limit: number;
  readonly points: readonly Point[];
  /** Smallest absolute rise that counts as a change on this assay. */
  readonly delta: number;
}

/** The most recent troponin assay with results in the last two days, with its 99th-percentile limit. */
function recentTroponin(v: CaseView): TroponinReading | undefined {
  const assays: ReadonlyArray<{ id: MeasurementId; label: string; fallback: number; delta: number }> = [
    // Sex-specific 99th percentiles of a widely used hs-cTnI assay; the lab's own limit wins when sent.
    { id: 'troponin-hs-i', label: 'hs-troponin I', fallback: v.sex === 'female' ? 16 : 34, delta: 5 },
    { id: 'troponin-hs-t', label: 'hs-troponin T', fallback: 14, delta: 5 },
    { id: 'troponin-i', label: 'troponin I', fallback: 0.04, delta: 0.02 },
    { id: 'troponin-t', label: 'troponin T', fallback: 0.01, delta: 0.01 },
  ];
  for (const assay of assays) {
    const points = v.points(assay.id, 2);
    if (points.length === 0) continue;
    const limit = v.measurement(assay.id)?.referenceHigh ?? assay.fallback;
    return { id: assay.id, label: assay.label, limit, points, delta: assay.delta };
  }
  return undefined;
}

function troponinPattern(t: TroponinReading): 'rise' | 'fall' | 'flat' | 'single' {
  if (t.points.length < 2) return 'single';
  const first = t.points[0]!;
  const last = t.points.at(-1)!;
  const peak = t.points.reduce((a, b) => (b.value > a.value ? b : a));
  if (last.value - first.value >= t.delta && last.value >= first.value * 1.5) return 'rise';
  if (peak.value > t.limit && peak.value - last.value >= Math.max(t.delta, peak.value * 0.2)) return 'fall';
  return 'flat';
}

/** Chest pain as a current complaint: an active problem with recent onset, the encounter reason, or a recent note. */
function acuteChestPain(v: CaseView): FactId[] {
  const facts: FactId[] = [];
  for (const p of v.problems(PROBLEM.chestPain)) if (p.onsetDaysAgo === undefined || p.onsetDaysAgo <= 7) facts.push(p.id);
  for (const m of v.mentions(SAYS.chestPain, 3)) facts.push(m.id);
  return [...new Set(facts)];
}

function riskFactors(v: CaseView, f: Findings): void {
  const smoking = [...v.problems(PROBLEM.smoking), ...v.textResults(/smok|tobacco/i, /smokes|current|every day|daily/i, 2 * 365)];
  if (smoking[0]) f.support(0.5, 'Current smoker', [smoking[0].id], 'problem');
  const listed: Array<[readonly CaseProblem[], string]> = [
    [v.problems(PROBLEM.diabetes), 'Diabetes'],
    [v.problems(PROBLEM.hypertension), 'Hypertension'],
    [v.problems(PROBLEM.hyperlipidaemia), 'Hyperlipidaemia'],
    [v.problems(PROBLEM.coronaryDisease), 'Known coronary disease'],
  ];
  for (const [problems, label] of listed) if (problems[0]) f.support(0.3, `Risk factor: ${label.toLowerCase()} (${problems[0].display})`, [problems[0]], 'problem');
  const family = v.mentions(/family history of (?:premature )?(?:coronary|heart|mi\b|myocardial)|(?:father|mother|brother|sister) had an? (?:mi|heart attack|myocardial)/i);
  if (family[0]) f.support(0.3, 'Family history of premature coronary disease in the notes', [family[0]], 'note');
}

export const acuteCoronarySyndrome = defineCondition({
  id: 'acs',
  name: 'Acute coronary syndrome (NSTEMI)',
  snomed: '401314000',
  icd10: 'I21.4',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['401314000', '401303003', '394659003', '4557003'], icd10: ['I21', 'I22', 'I24', 'I20.0'], text: /myocardial infarction|nstemi|stemi|acute coronary|unstable angina/i },
  keywords: ['acs', 'acute coronary syndrome', 'nstemi', 'stemi', 'myocardial infarction', 'troponin', 'chest pain', 'heart attack'],
  keyFacts: [
    'Myocardial infarction: a rise and/or fall of cardiac troponin with at least one value above the 99th percentile, with symptoms or ECG signs of ischaemia.',
    'High-sensitivity troponin with a 0/1-hour or 0/2-hour algorithm is the preferred test in acute chest pain.',
  ],
  citations: [
    cite('acs2025', 'NSTEMI is diagnosed by a rise and/or fall in cardiac troponin with at least one value above the 99th percentile upper reference limit in a patient with symptoms or ECG changes of ischaemia; treat with aspirin, a P2Y12 inhibitor, parenteral anticoagulation and high-intensity statin, and plan invasive evaluation by risk.'),
    cite('chestPain2021', 'In acute chest pain, obtain an ECG within 10 minutes and use high-sensitivity cardiac troponin with a clinical decision pathway to separate low, intermediate and high risk.'),
  ],
  assess(v) {
    const t = recentTroponin(v);
    const pain = acuteChestPain(v);
    const ecg = v.mentions(ISCHAEMIC_ECG, 2);
    if (!t && !(v.acuteSetting && pain.length)) return null;
    const f = new Findings();
    const symptomatic = pain.length > 0 || ecg.length > 0;
    if (t) {
      const pattern = troponinPattern(t);
      const above = t.points.filter((p) => p.value > t.limit);
      const series = t.points.map((p) => formatNumber(p.value, v.measurement(t.id)!.def.decimals)).join(' → ');
      if (above.length && (pattern === 'rise' || pattern === 'fall')) {
        f.support(5, `${t.label} ${pattern === 'rise' ? 'rising' : 'falling'}: ${series} ${v.measurement(t.id)!.def.label} (99th percentile ${formatNumber(t.limit, 3)})`, t.points, 'result', symptomatic ? { criterion: 0.85, novel: true } : { novel: true });
      } else if (above.length) {
        f.support(2.5, `${t.label} above the 99th percentile: ${series} ${v.measurement(t.id)!.def.label}`, above, 'result');
        f.lacks(pattern === 'single' ? 'A repeat troponin at 1–3 hours to show a rise or fall' : 'A dynamic change: serial values are raised but stable (consider chronic injury)');
      } else if (t.points.length >= 2) {
        f.oppose(4, `Serial ${t.label} within the reference limit: ${series}`, t.points, 'result');
      } else {
        f.lacks('A repeat troponin at 1–3 hours');
      }
    } else {
      f.lacks('No troponin result in the last 2 days');
    }
    if (pain.length) f.support(1.5, 'Acute chest pain (problem, encounter reason or notes)', pain, 'note');
    if (ecg.length) f.support(2, `Ischaemic ECG change described (${ecg.map((e) => e.phrase).join(', ')})`, ecg, 'note');
    if (!f.triggered) return null;
    riskFactors(v, f);
    if (v.isAdult && v.age !== null && v.age >= 55) f.context(0.5, v.person);
    const egfr = v.latest('egfr', 365);
    if (egfr && egfr.value < 30) f.oppose(1, `eGFR ${v.format('egfr', egfr.value)}: troponin is often chronically raised; the change matters more than the level`, [egfr], 'result');
    const stElevation = v.mentions(ST_ELEVATION, 2);
    if (stElevation.length) {
      f.name = 'Acute ST-elevation myocardial infarction';
      f.snomed = '401303003';
      f.icd10 = 'I21.3';
      f.step('referral', 'Activate the primary PCI pathway now');
    }
    f.step('test', 'Repeat 12-lead ECG with any recurrent pain, and serial troponin per the local 0/1-h or 0/2-h algorithm');
    f.step('treatment', 'Aspirin, a P2Y12 inhibitor and parenteral anticoagulation unless contraindicated; high-intensity statin');
    f.step('referral', 'Cardiology: timing of invasive coronary angiography by risk');
    f.step('test', 'Echocardiogram for wall motion and LV function');
    return f.result();
  },
});

export const stableAngina = defineCondition({
  id: 'stable-angina',
  name: 'Stable angina',
  snomed: '233819005',
  icd10: 'I20.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['233819005', '194828000'], icd10: ['I20'], text: /angina/i },
  keywords: ['stable angina', 'angina', 'exertional chest pain', 'chronic coronary', 'stress test', 'ccta'],
  keyFacts: ['For stable chest pain of possible ischaemic origin, choose coronary CT angiography or stress testing according to the pretest risk.'],
  citations: [cite('chestPain2021', 'For stable chest pain with intermediate-high risk of coronary disease, coronary CT angiography or stress imaging is recommended to diagnose obstructive disease and guide treatment.')],
  assess(v) {
    const exertional = v.mentions(/on exertion|exertional|climbing stairs|walking uphill|with exercise|relieved by rest/i, 365);
    const recorded = v.problems({ codes: ['233819005', '194828000'], text: /angina/i });
    const pain = v.problems(PROBLEM.chestPain);
    if (exertional.length === 0 && recorded.length === 0) return null;
    if (exertional.length === 0 && pain.length === 0 && recorded.length === 0) return null;
    const f = new Findings();
    if (exertional.length) f.support(2.5, `Exertional symptoms in the notes (${exertional[0]!.phrase})`, exertional, 'note');
    for (const p of recorded) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    for (const p of pain.slice(0, 1)) f.support(0.5, `Chest pain: ${p.display}`, [p], 'problem');
    riskFactors(v, f);
    const t = recentTroponin(v);
    if (t) {
      const pattern = troponinPattern(t);
      if ((pattern === 'rise' || pattern === 'fall') && t.points.some((p) => p.value > t.limit)) f.oppose(4, `Dynamic ${t.label} points to an acute coronary syndrome rather than stable angina`, t.points, 'result');
      else if (t.points.every((p) => p.value <= t.limit)) f.support(0.5, `${t.label} not raised`, t.points, 'result');
    }
    for (const m of v.medications({ text: /nitroglycerin|isosorbide|ranolazine/i })) f.support(0.5, `Anti-anginal: ${m.display}`, [m], 'medication');
    f.step('test', 'Coronary CT angiography or stress testing, chosen by pretest risk');
    f.step('treatment', 'Antiplatelet and statin therapy for coronary disease; sublingual nitrate for symptoms');
    return f.result();
  },
});

/** Age-adjusted D-dimer cut-off in ng/mL FEU for people over 50 (age × 10). */
function dDimerCutoff(v: CaseView): number {
  return v.age !== null && v.age > 50 ? v.age * 10 : 500;
}

export const pulmonaryEmbolism = defineCondition({
  id: 'pulmonary-embolism',
  name: 'Pulmonary embolism',
  snomed: '59282003',
  icd10: 'I26.99',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['59282003'], icd10: ['I26'], text: /pulmonary embol/i },
  keywords: ['pulmonary embolism', 'pe', 'd-dimer', 'wells', 'ctpa', 'venous thromboembolism', 'dyspnoea', 'hypoxia'],
  keyFacts: ['Assess clinical probability (Wells or Geneva); when it is not high, a D-dimer below the age-adjusted cut-off (age × 10 µg/L over 50) excludes PE; otherwise CT pulmonary angiography.'],
  citations: [
    cite('pulmonaryEmbolism2019', 'Base the work-up on clinical probability (Wells or revised Geneva); in patients without high probability, a normal D-dimer — using an age-adjusted cut-off over 50 — excludes PE, and CT pulmonary angiography is the imaging test otherwise.'),
  ],
  assess(v) {
    if (!v.isAdult || !v.acuteSetting) return null;
    const symptoms = [...v.mentions(SAYS.dyspnoea, 3), ...v.mentions(/syncope|collapse|haemoptysis|hemoptysis|pleuritic/i, 3)];
    const pain = acuteChestPain(v);
    if (symptoms.length === 0 && pain.length === 0) return null;
    const f = new Findings();
    if (symptoms.length) f.support(1, `Symptoms compatible with PE (${symptoms.map((s) => s.phrase).join(', ')})`, symptoms, 'note');
    else f.support(0.5, 'Acute chest pain', pain, 'note');
    const hr = v.extreme('heart-rate', 'max', 1);
    const spo2 = v.extreme('spo2', 'min', 1);
    if (hr && hr.value > 100) f.support(1.5, `Heart rate ${v.format('heart-rate', hr.value)}`, [hr], 'vital');
    if (spo2 && spo2.value < 94) f.support(1.5, `SpO2 ${v.format('spo2', spo2.value)}`, [spo2], 'vital');
    if (hr && hr.value <= 100 && spo2 && spo2.value >= 95) f.oppose(0.5, 'No tachycardia or hypoxia', [hr, spo2], 'vital');
    for (const p of v.problems(PROBLEM.vte, true).slice(0, 1)) f.support(1.5, `Previous venous thromboembolism: ${p.display}`, [p], 'problem');
    for (const p of v.problems(PROBLEM.cancer).slice(0, 1)) f.support(1, `Active cancer: ${p.display}`, [p], 'problem');
    const leg = v.mentions(/(?:calf|leg) (?:swelling|tenderness|pain)|swollen (?:calf|leg)/i, 7);
    if (leg.length) f.support(2, 'Leg swelling or calf tenderness in the notes', leg, 'note');
    const immobile = v.mentions(/immobili[sz]|bed-?bound|recent surgery|post-?operative|long[- ]haul flight/i, 30);
    if (immobile.length) f.support(1.5, `Recent immobility or surgery (${immobile[0]!.phrase})`, immobile, 'note');
    for (const m of v.medications(DRUG.oestrogen)) f.support(0.5, `Oestrogen-containing medicine: ${m.display}`, [m], 'medication');
    const preg = pregnancy(v);
    if (preg) f.support(0.5, `Pregnancy (${preg.text})`, preg.facts, 'result');
    const dimer = v.latest('d-dimer', 2);
    const cutoff = dDimerCutoff(v);
    if (dimer && dimer.value >= cutoff) f.support(2.5, `D-dimer ${v.format('d-dimer', dimer.value)} (cut-off ${cutoff})`, [dimer], 'result');
    if (dimer && dimer.value < cutoff) f.oppose(4, `D-dimer ${v.format('d-dimer', dimer.value)} is below the age-adjusted cut-off of ${cutoff}`, [dimer], 'result');
    const anticoagulated = [...v.medications(DRUG.apixaban), ...v.medications(DRUG.rivaroxaban), ...v.medications(DRUG.dabigatran), ...v.medications(DRUG.edoxaban), ...v.medications(DRUG.warfarin)];
    if (anticoagulated[0]) f.oppose(1, `Already anticoagulated: ${anticoagulated[0].display}`, [anticoagulated[0]], 'medication');
    if (!dimer) f.lacks('No D-dimer in the last 2 days');
    f.lacks('Wells or Geneva score is not recorded');
    f.step('test', 'Score clinical probability (Wells or revised Geneva); D-dimer with an age-adjusted cut-off if not high probability');
    f.step('test', 'CT pulmonary angiography if probability is high or the D-dimer is raised');
    return f.result();
  },
});

export const aorticDissection = defineCondition({
  id: 'aortic-dissection',
  name: 'Acute aortic dissection',
  snomed: '308546005',
  icd10: 'I71.00',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: 'Rare: about 3–4 cases per 100,000 people a year',
  prior: -2,
  recordedAs: { codes: ['308546005'], icd10: ['I71.0'], text: /dissection/i },
  keywords: ['aortic dissection', 'dissection', 'tearing chest pain', 'acute aortic syndrome', 'ct angiography'],
  keyFacts: ['Suspect acute aortic syndrome with abrupt severe or tearing chest or back pain, a pulse or blood-pressure difference between arms, or a widened mediastinum; CT angiography is the first imaging test.'],
  citations: [cite('chestPain2021', 'In acute chest pain with suspected acute aortic syndrome, CT angiography is the recommended imaging test to establish the diagnosis.')],
  assess(v) {
    if (!v.isAdult || !v.acuteSetting) return null;
    const pain = acuteChestPain(v);
    const features = v.mentions(/tearing|ripping|radiat\w* (?:to|into|through) the back|interscapular|pulse deficit|(?:blood pressure|bp) (?:difference|differential)|widened mediastinum|marfan/i, 3);
    if (pain.length === 0 && features.length === 0) return null;
    const f = new Findings();
    if (pain.length) f.support(1, 'Acute chest pain', pain, 'note');
    if (features.length) f.support(3, `High-risk feature in the notes (${features.map((x) => x.phrase).join(', ')})`, features, 'note');
    else f.lacks('No high-risk features documented either way (pain quality, radiation to the back, pulse or BP difference between arms)');
    const sbp = v.extreme('systolic', 'max', 1);
    if (sbp && sbp.value >= 180) f.support(1, `Systolic BP ${v.format('systolic', sbp.value)}`, [sbp], 'vital');
    for (const p of v.problems(PROBLEM.hypertension).slice(0, 1)) f.support(0.5, `Hypertension: ${p.display}`, [p], 'problem');
    for (const p of v.problems({ text: /aortic aneurysm|marfan|bicuspid aortic/i }).slice(0, 1)) f.support(2, `Aortic risk: ${p.display}`, [p], 'problem');
    f.step('test', 'If features suggest it: CT angiography of the aorta before any antithrombotic therapy is escalated');
    return f.result();
  },
});

export const heartFailure = defineCondition({
  id: 'heart-failure',
  name: 'Heart failure',
  snomed: '84114007',
  icd10: 'I50.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.heartFailure,
  keywords: ['heart failure', 'hfref', 'hfpef', 'nt-probnp', 'bnp', 'natriuretic peptide', 'oedema', 'edema', 'gdmt', 'sglt2'],
  keyFacts: [
    'Natriuretic peptides support or exclude heart failure: NT-proBNP below 125 pg/mL (outpatients) or 300 pg/mL (acute) makes it unlikely.',
    'HFrEF treatment has four pillars: ARNI/ACE inhibitor/ARB, an evidence-based beta-blocker, an MRA and an SGLT2 inhibitor.',
  ],
  citations: [
    cite('heartFailure2022', 'BNP or NT-proBNP is useful to support or exclude heart failure in patients with dyspnoea; in HFrEF, use an ARNI (or ACE inhibitor/ARB), an evidence-based beta-blocker, a mineralocorticoid receptor antagonist and an SGLT2 inhibitor to reduce morbidity and mortality.'),
  ],
  assess(v) {
    const f = new Findings();
    const acute = v.acuteSetting;
    const nt = v.latest('ntprobnp', 365);
    const bnp = v.latest('bnp', 365);
    const ntLimit = acute ? 300 : 125;
    const bnpLimit = acute ? 100 : 35;
    if (nt && nt.value >= ntLimit) f.support(nt.value > 900 ? 3.5 : 2.5, `NT-proBNP ${v.format('ntprobnp', nt.value)} ${ago(nt.daysAgo)}`, [nt], 'result');
    else if (bnp && bnp.value >= bnpLimit) f.support(bnp.value > 400 ? 3.5 : 2.5, `BNP ${v.format('bnp', bnp.value)} ${ago(bnp.daysAgo)}`, [bnp], 'result');
    const weights = v.points('weight', 14);
    const gain = weights.length >= 2 ? weights.at(-1)!.value - Math.min(...weights.slice(0, -1).map((p) => p.value)) : 0;
    if (gain >= 2) f.support(1.5, `Weight up ${formatNumber(gain, 1)} kg in two weeks`, [weights.reduce((a, b) => (b.value < a.value ? b : a)), weights.at(-1)], 'vital');
    const congestion = v.mentions(/oedema|edema|orthopno|paroxysmal nocturnal|crackles|raised jvp|jvp raised|elevated jvp|ankle swelling/i, 30);
    if (congestion.length) f.support(1.5, `Congestion described (${congestion.map((c) => c.phrase).join(', ')})`, congestion, 'note');
    const recorded = v.problems(PROBLEM.heartFailure);
    if (!f.triggered && recorded.length === 0) return null;
    for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    for (const m of v.medications(DRUG.loopDiuretic).slice(0, 1)) f.support(0.5, `Loop diuretic: ${m.display}`, [m], 'medication');
    if (nt && nt.value < ntLimit && recorded.length === 0) f.oppose(3, `NT-proBNP ${v.format('ntprobnp', nt.value)} makes heart failure unlikely`, [nt], 'result');
    if (!nt && !bnp) f.lacks(`No NT-proBNP or BNP ${lookBack(365)}`);
    f.lacks('Ejection fraction is not in the coded data');
    const hfref = recorded.some((p) => /systolic|reduced ejection|hfref/i.test(p.display) || p.codes.some((c) => c.code === '441481004' || c.code?.startsWith('I50.2')));
    if (hfref) {
      const missing: string[] = [];
      if (![...v.medications(DRUG.aceInhibitor), ...v.medications(DRUG.arb)].length) missing.push('ARNI/ACE inhibitor/ARB');
      if (!v.medications(DRUG.hfBetaBlocker).length) missing.push('evidence-based beta-blocker');
      if (!v.medications(DRUG.mra).length) missing.push('MRA');
      if (!v.medications(DRUG.sglt2).length) missing.push('SGLT2 inhibitor');
      if (missing.length) f.step('treatment', `Guideline-directed therapy for HFrEF not on the list: ${missing.join(', ')}`);
    }
    f.step('test', 'Echocardiogram if no recent ejection fraction');
    f.step('monitoring', 'Daily weights, renal function and potassium with diuretic or RAAS changes');
    return f.result();
  },
});

export const atrialFibrillation = defineCondition({
  id: 'atrial-fibrillation',
  name: 'Atrial fibrillation',
  snomed: '49436004',
  icd10: 'I48.91',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.atrialFibrillation,
  keywords: ['atrial fibrillation', 'af', 'afib', 'anticoagulation', 'cha2ds2-vasc', 'doac', 'stroke prevention'],
  keyFacts: ['Anticoagulate AF when the annual stroke risk is 2 % or more (CHA₂DS₂-VASc ≥ 2 in men, ≥ 3 in women), preferring a DOAC over warfarin.'],
  citations: [
    cite('atrialFibrillation2023', 'Oral anticoagulation is recommended for AF with an estimated annual thromboembolic risk of 2 % or more (CHA₂DS₂-VASc ≥ 2 in men or ≥ 3 in women), with DOACs preferred over warfarin except in mechanical valves or moderate-severe mitral stenosis.'),
  ],
  assess(v) {
    const recorded = v.problems(PROBLEM.atrialFibrillation);
    const seen = v.mentions(/atrial fibrillation|\bAF\b(?! clinic)|irregularly irregular|a-?fib/i, 365);
    if (recorded.length === 0 && seen.length === 0) return null;
    const f = new Findings();
    if (seen.length) f.support(2.5, `Atrial fibrillation described in the notes${seen[0]!.daysAgo !== undefined ? ` ${ago(seen[0]!.daysAgo)}` : ''}`, seen.slice(0, 3), 'note', { novel: recorded.length === 0 });
    for (const p of recorded.slice(0, 1)) f.support(1.5, `On the problem list: ${p.display}`, [p], 'problem');
    const anticoagulants = [...v.medications(DRUG.apixaban), ...v.medications(DRUG.rivaroxaban), ...v.medications(DRUG.dabigatran), ...v.medications(DRUG.edoxaban), ...v.medications(DRUG.warfarin)];
    for (const m of anticoagulants.slice(0, 1)) f.support(0.5, `Anticoagulated: ${m.display}`, [m], 'medication');
    const score = chadsVasc(v);
    if (score.value >= (v.sex === 'female' ? 3 : 2) && anticoagulants.length === 0) {
      f.support(2.5, `CHA₂DS₂-VASc about ${score.value} (${score.parts.join(', ')}) and no anticoagulant on the list`, [...(recorded[0] ? [recorded[0].id] : seen.map((s) => s.id)), ...score.facts], 'problem', { novel: true });
      f.step('treatment', 'Offer oral anticoagulation (a DOAC unless contraindicated), weighing bleeding risk');
    }
    if (!v.has('tsh', 2 * 365)) f.lacks('No TSH in the last 2 years');
    f.step('monitoring', 'Rate control target and symptoms; annual renal function for DOAC dosing');
    return f.result();
  },
});

/** CHA₂DS₂-VASc from the problem list and age; a lower bound, since the chart may omit items. */
function chadsVasc(v: CaseView): { value: number; parts: string[]; facts: FactId[] } {
  let value = 0;
  const parts: string[] = [];
  const facts: FactId[] = [];
  const add = (points: number, label: string, problems: readonly CaseProblem[]): void => {
    if (!problems[0]) return;
    value += points;
    parts.push(label);
    facts.push(problems[0].id);
  };
  add(1, 'heart failure', v.problems(PROBLEM.heartFailure));
  add(1, 'hypertension', v.problems(PROBLEM.hypertension));
  add(1, 'diabetes', v.problems(PROBLEM.diabetes));
  add(2, 'stroke/TIA', v.problems(PROBLEM.strokeOrTia, true));
  add(1, 'vascular disease', [...v.problems(PROBLEM.coronaryDisease), ...v.problems(PROBLEM.vascularDisease)]);
  if (v.age !== null && v.age >= 75) {
    value += 2;
    parts.push('age ≥ 75');
  } else if (v.age !== null && v.age >= 65) {
    value += 1;
    parts.push('age 65–74');
  }
  if (v.sex === 'female') {
    value += 1;
    parts.push('female');
  }
  return { value, parts, facts };
}

export const hypertension = defineCondition({
  id: 'hypertension',
  name: 'Hypertension',
  snomed: '59621000',
  icd10: 'I10',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.hypertension,
  keywords: ['hypertension', 'high blood pressure', 'blood pressure', 'bp', 'antihypertensive', 'home blood pressure'],
  keyFacts: [
    'Stage 1 hypertension is 130–139/80–89 mmHg and stage 2 is 140/90 mmHg or higher, based on the average of readings on two or more occasions.',
    'Confirm office readings with home or ambulatory monitoring; start two first-line agents (ideally one pill) for stage 2.',
  ],
  citations: [
    cite('hypertension2025', 'Blood pressure of 130–139/80–89 mmHg is stage 1 and 140/90 mmHg or more is stage 2 hypertension, based on an average of at least two readings on at least two occasions, confirmed with out-of-office measurement; most adults with stage 2 hypertension should start two first-line drugs, preferably as a single-pill combination.'),
    cite('hypertension2017', 'Use the average of two or more readings obtained on two or more occasions to estimate blood pressure, and confirm the diagnosis with home or ambulatory monitoring.'),
  ],
  assess(v) {
    if (!v.isAdult || pregnancy(v)) return null;
    const days = bloodPressureDays(v, 2 * 365);
    const recorded = v.problems(PROBLEM.hypertension);
    const treated = v.medications(DRUG.antihypertensive);
    const stage2 = days.filter((d) => d.systolic >= 140 || d.diastolic >= 90);
    const stage1 = days.filter((d) => d.systolic >= 130 || d.diastolic >= 80);
    const f = new Findings();
    const listReadings = (list: typeof days): string => list.slice(-4).map((d) => `${formatBp(d)} ${ago(d.day)}`).join(', ');
    const ids = (list: typeof days): FactId[] => list.flatMap((d) => d.ids);
    if (recorded.length === 0 && treated.length === 0) {
      if (stage2.length >= 2) {
        f.support(4.5, `BP 140/90 mmHg or higher on ${stage2.length} days: ${listReadings(stage2)}`, ids(stage2), 'vital', { novel: true });
        f.name = 'Hypertension, stage 2 (not on the problem list)';
        const span = stage2[0]!.day - stage2.at(-1)!.day;
        if (stage2.length >= 3 && span >= 90) f.support(1, `Persistent across ${stage2.length} visits over ${Math.round(span / 30.4)} months`, [...stage2[0]!.ids, ...stage2.at(-1)!.ids], 'vital');
      } else if (stage1.length >= 2) {
        f.support(3, `BP 130/80 mmHg or higher on ${stage1.length} days: ${listReadings(stage1)}`, ids(stage1), 'vital', { novel: true });
        f.name = 'Hypertension, stage 1 (not on the problem list)';
      } else if (stage1.length === 1) {
        f.support(1.5, `One raised reading: ${listReadings(stage1)}`, ids(stage1), 'vital');
        f.lacks('Readings on a second occasion');
      }
    } else {
      const recent = days.filter((d) => d.day <= 365).slice(-3);
      const mean = recent.length ? { sys: avg(recent.map((d) => d.systolic)), dia: avg(recent.map((d) => d.diastolic)) } : undefined;
      const last = recent.at(-1);
      // Judged on the latest visit as well as the average: a controlled latest reading ends the question.
      if (mean && last && (mean.sys >= 130 || mean.dia >= 80) && (last.systolic >= 130 || last.diastolic >= 80)) {
        f.support(mean.sys >= 140 || mean.dia >= 90 ? 3.5 : 2.5, `Average of the last ${recent.length} visit days ${formatNumber(mean.sys, 0)}/${formatNumber(mean.dia, 0)} mmHg (${listReadings(recent)})`, ids(recent), 'vital', { novel: true });
        f.name = 'Hypertension above target';
      }
      for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
      for (const m of treated.slice(0, 1)) f.support(0.5, `Treated: ${m.display}`, [m], 'medication');
    }
    if (!f.triggered) return null;
    const latest = days.at(-1);
    if (recorded.length === 0 && treated.length === 0 && latest && latest.day <= 30 && latest.systolic < 130 && latest.diastolic < 80) {
      f.oppose(2, `Latest reading ${formatBp(latest)} is normal`, latest.ids, 'vital');
    }
    const nsaids = v.medications(DRUG.nsaid);
    for (const m of nsaids) f.support(0.5, `Raises blood pressure: ${m.display}`, [m], 'medication');
    const acr = v.latest('uacr', 2 * 365);
    if (acr && acr.value >= 30) f.support(0.5, `Albuminuria (ACR ${v.format('uacr', acr.value)}): target-organ damage`, [acr], 'result');
    f.lacks('Out-of-office readings (home or ambulatory) are not in the coded data');
    f.step('test', 'Confirm with home or ambulatory blood pressure monitoring');
    if (recorded.length === 0) f.step('test', 'Basic metabolic panel, lipids, HbA1c, urine ACR and ECG');
    if (nsaids.length) f.step('treatment', 'Stop or limit the NSAID');
    f.step('treatment', stage2.length >= 2 && treated.length === 0 ? 'Start two first-line agents, ideally as a single-pill combination, with lifestyle changes' : 'Adjust treatment to a target below 130/80 mmHg');
    return f.result();
  },
});

export const strokeOrTia = defineCondition({
  id: 'stroke-tia',
  name: 'Stroke (cerebral infarction)',
  snomed: '230690007',
  icd10: 'I63.9',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.strokeOrTia,
  keywords: ['stroke', 'tia', 'transient ischaemic attack', 'transient ischemic attack', 'facial droop', 'hemiparesis', 'aphasia', 'secondary prevention'],
  keyFacts: ['After stroke or TIA with atrial fibrillation, oral anticoagulation prevents recurrence; without AF, antiplatelet therapy and risk-factor control.'],
  citations: [cite('stroke2021', 'After ischaemic stroke or TIA, patients with atrial fibrillation should receive oral anticoagulation; others need antiplatelet therapy with blood pressure, lipid and glucose control to prevent recurrence.')],
  assess(v) {
    if (!v.isAdult) return null;
    const deficits = v.mentions(/facial droop|slurred speech|dysarthria|aphasia|hemiparesis|hemiplegia|(?:arm|leg|sided) weakness|weakness (?:of|in) the (?:left|right)|visual field|sudden (?:loss of vision|vision loss)|neglect/i, 3);
    if (deficits.length === 0) return null;
    const f = new Findings();
    f.support(4, `Focal neurological deficit described (${deficits.map((d) => d.phrase).join(', ')})`, deficits, 'note');
    const transient = v.mentions(/resolved|transient|lasted (?:a few )?minutes|fully recovered/i, 3);
    if (transient.length) {
      f.name = 'Transient ischaemic attack';
      f.snomed = '266257000';
      f.icd10 = 'G45.9';
      f.support(0.5, 'Symptoms described as resolved', transient, 'note');
    }
    for (const p of v.problems(PROBLEM.atrialFibrillation).slice(0, 1)) f.support(1, `Atrial fibrillation: ${p.display}`, [p], 'problem');
    for (const p of v.problems(PROBLEM.strokeOrTia, true).slice(0, 1)) f.support(1, `Previous stroke or TIA: ${p.display}`, [p], 'problem');
    const sbp = v.extreme('systolic', 'max', 1);
    if (sbp && sbp.value >= 160) f.support(0.5, `Systolic BP ${v.format('systolic', sbp.value)}`, [sbp], 'vital');
    const glucose = v.latest('glucose', 1);
    if (glucose && glucose.value < 60) f.oppose(2, `Glucose ${v.format('glucose', glucose.value)}: hypoglycaemia mimics stroke`, [glucose], 'result');
    f.step('referral', 'Emergency stroke pathway: brain imaging now; time of onset decides reperfusion options');
    f.step('treatment', 'Secondary prevention: anticoagulation if AF, otherwise antiplatelet therapy; blood pressure and lipid control');
    return f.result();
  },
});

export const deepVeinThrombosis = defineCondition({
  id: 'dvt',
  name: 'Deep vein thrombosis',
  snomed: '128053003',
  icd10: 'I82.409',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['128053003'], icd10: ['I82.4'], text: /deep vein|deep venous|\bdvt\b/i },
  keywords: ['dvt', 'deep vein thrombosis', 'leg swelling', 'compression ultrasound', 'anticoagulation', 'vte'],
  keyFacts: ['Treat acute DVT with a DOAC rather than warfarin for at least 3 months when there is no contraindication.'],
  citations: [
    cite('vteChest2021', 'For acute DVT or PE, a DOAC (apixaban, dabigatran, edoxaban or rivaroxaban) is recommended over a vitamin K antagonist, for a primary treatment phase of at least 3 months.'),
    cite('vteAsh2020', 'ASH suggests DOACs over vitamin K antagonists for DVT and PE, and home treatment over hospital treatment for uncomplicated DVT.'),
  ],
  assess(v) {
    if (!v.isAdult) return null;
    const leg = v.mentions(/(?:calf|leg) (?:swelling|tenderness|pain)|swollen (?:left |right )?(?:calf|leg)|unilateral (?:leg )?(?:oedema|edema|swelling)/i, 7);
    if (leg.length === 0) return null;
    const f = new Findings();
    f.support(2.5, `Leg swelling or calf pain in the notes (${leg[0]!.phrase})`, leg, 'note');
    const dimer = v.latest('d-dimer', 3);
    const cutoff = dDimerCutoff(v);
    if (dimer && dimer.value >= cutoff) f.support(2, `D-dimer ${v.format('d-dimer', dimer.value)}`, [dimer], 'result');
    if (dimer && dimer.value < cutoff) f.oppose(3, `D-dimer ${v.format('d-dimer', dimer.value)} below ${cutoff}`, [dimer], 'result');
    for (const p of v.problems(PROBLEM.vte, true).slice(0, 1)) f.support(1, `Previous VTE: ${p.display}`, [p], 'problem');
    for (const p of v.problems(PROBLEM.cancer).slice(0, 1)) f.support(1, `Active cancer: ${p.display}`, [p], 'problem');
    const immobile = v.mentions(/immobili[sz]|bed-?bound|recent surgery|post-?operative|plaster cast|long[- ]haul flight/i, 30);
    if (immobile.length) f.support(1, `Recent immobility or surgery (${immobile[0]!.phrase})`, immobile, 'note');
    for (const m of v.medications(DRUG.oestrogen)) f.support(0.5, `Oestrogen-containing medicine: ${m.display}`, [m], 'medication');
    f.step('test', 'Wells DVT score; D-dimer if unlikely, proximal compression ultrasound if likely or D-dimer raised');
    f.step('treatment', 'If confirmed: a DOAC for at least 3 months');
    return f.result();
  },
});

function avg(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export const CARDIOVASCULAR = [acuteCoronarySyndrome, stableAngina, pulmonaryEmbolism, aorticDissection, heartFailure, atrialFibrillation, hypertension, strokeOrTia, deepVeinThrombosis];
