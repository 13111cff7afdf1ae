/** Pancreas, joints and bone, mood and cognition, and falls in older adults. */
import { formatNumber } from '../case-view.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings, lookBack } from '../rules.ts';
import { DRUG, PROBLEM, SAYS } from '../vocabulary.ts';
import { nonSpecificSymptoms } from './shared.ts';

export const acutePancreatitis = defineCondition({
  id: 'acute-pancreatitis',
  name: 'Acute pancreatitis',
  snomed: '197456007',
  icd10: 'K85.90',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['197456007'], icd10: ['K85'], text: /pancreatitis/i },
  keywords: ['pancreatitis', 'acute pancreatitis', 'lipase', 'amylase', 'epigastric pain', 'gallstones'],
  keyFacts: ['Acute pancreatitis needs two of: typical abdominal pain, lipase or amylase above three times the upper limit, and imaging findings; give moderate goal-directed fluids (lactated Ringer) and look for gallstones.'],
  citations: [
    cite('pancreatitis2024', 'Diagnose acute pancreatitis with two of three: characteristic abdominal pain, serum lipase or amylase more than three times the upper limit of normal, and characteristic imaging; use moderately aggressive fluid resuscitation with lactated Ringer solution and perform abdominal ultrasound to look for gallstones.'),
  ],
  assess(v) {
    const lipase = v.latest('lipase', 3);
    const upper = v.measurement('lipase')?.referenceHigh ?? 60;
    const pain = v.mentions(/epigastric pain|abdominal pain radiat\w* to the back|pain radiating to the back|upper abdominal pain/i, 3);
    if (!(lipase && lipase.value > 3 * upper) && !pain.length) return null;
    const f = new Findings();
    if (lipase && lipase.value > 3 * upper) f.support(4, `Lipase ${v.format('lipase', lipase.value)} (more than three times the upper limit of ${formatNumber(upper, 0)})`, [lipase], 'result', pain.length ? { criterion: 0.9 } : {});
    if (pain.length) f.support(2, `Typical pain described (${pain[0]!.phrase})`, pain, 'note');
    if (lipase && lipase.value <= 3 * upper) f.oppose(2.5, `Lipase ${v.format('lipase', lipase.value)} is not three times the upper limit`, [lipase], 'result');
    if (!lipase) f.lacks('No lipase in the last 3 days');
    const alcohol = v.mentions(/alcohol|etoh|binge/i, 30);
    if (alcohol.length) f.support(0.5, 'Alcohol mentioned in the notes', alcohol, 'note');
    const stones = v.mentions(/gallstone|cholelithiasis|biliary colic/i);
    if (stones.length) f.support(0.5, 'Gallstones mentioned', stones, 'note');
    f.step('test', 'Lipase if not done; right-upper-quadrant ultrasound for gallstones; triglycerides and calcium');
    f.step('treatment', 'Moderate goal-directed fluids with lactated Ringer solution; early oral feeding as tolerated');
    return f.result();
  },
});

export const gout = defineCondition({
  id: 'gout',
  name: 'Gout',
  snomed: '90560007',
  icd10: 'M10.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.gout,
  keywords: ['gout', 'uric acid', 'urate', 'allopurinol', 'podagra', 'treat to target'],
  keyFacts: ['Urate-lowering therapy is treat-to-target, aiming for serum urate below 6 mg/dL; allopurinol is first-line, started at 100 mg a day or less (lower in CKD) with flare prophylaxis.'],
  citations: [cite('gout2020', 'Use a treat-to-target strategy with urate-lowering therapy aiming for serum urate below 6 mg/dL; allopurinol is the preferred first-line agent, started at no more than 100 mg daily (less in CKD stage 3 or worse) with anti-inflammatory prophylaxis for 3–6 months.')],
  assess(v) {
    const urate = v.latest('urate', 365);
    const recorded = v.problems(PROBLEM.gout);
    const joint = v.mentions(/podagra|first mtp|big toe|great toe|hot swollen (?:joint|knee|ankle)|acute monoarthritis|tophus|tophi/i, 90);
    if (!recorded.length && !joint.length && !(urate && urate.value > 9)) return null;
    const f = new Findings();
    if (joint.length) f.support(2.5, `Typical joint presentation (${joint[0]!.phrase})`, joint, 'note');
    for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    const ult = v.medications(DRUG.allopurinol);
    if (urate && urate.value >= 6.8) f.support(urate.value > 9 ? 2 : 1.5, `Serum urate ${v.format('urate', urate.value)}${ult.length ? ' on urate-lowering therapy (above the < 6 mg/dL target)' : ''}`, [urate], 'result', { novel: ult.length > 0 });
    for (const m of [...v.medications(DRUG.thiazide), ...v.medications(DRUG.loopDiuretic)].slice(0, 1)) f.support(0.5, `Raises urate: ${m.display}`, [m], 'medication');
    if (!f.triggered) return null;
    if (!urate) f.lacks(`No serum urate ${lookBack(365)}`);
    f.step('test', 'Joint aspiration for crystals when the diagnosis is uncertain');
    f.step('treatment', ult.length ? 'Titrate urate-lowering therapy to urate below 6 mg/dL' : 'Urate-lowering therapy (allopurinol, low starting dose) if flares recur, tophi or CKD');
    return f.result();
  },
});

export const osteoporosis = defineCondition({
  id: 'osteoporosis',
  name: 'Osteoporosis (fracture risk)',
  snomed: '64859006',
  icd10: 'M81.0',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.osteoporosis,
  keywords: ['osteoporosis', 'fracture risk', 'dxa', 'frax', 'bisphosphonate', 'alendronate', 'drug holiday', 'fragility fracture'],
  keyFacts: [
    'Osteoporosis is a T-score of −2.5 or less, a low-trauma hip or vertebral fracture, or osteopenia with high FRAX risk.',
    'Reassess bisphosphonate treatment after 3–5 years (a drug holiday if risk has fallen).',
  ],
  citations: [
    cite('osteoporosisAace2020', 'Diagnose osteoporosis by a T-score of −2.5 or below, a low-trauma hip or spine fracture, or osteopenia with a high FRAX probability; measure bone density in women 65 and older.'),
    cite('osteoporosisEndocrine2019', 'Treat high-risk postmenopausal women with a bisphosphonate and reassess fracture risk after 3–5 years to decide on a drug holiday.'),
  ],
  assess(v) {
    const recorded = v.problems(PROBLEM.osteoporosis);
    const fracture = v.mentions(/fragility fracture|low[- ]trauma fracture|vertebral (?:compression )?fracture|hip fracture|wrist fracture|pathological fracture/i);
    const steroid = v.medications(DRUG.glucocorticoid).filter((m) => (m.startedDaysAgo ?? 0) >= 90);
    const olderWoman = v.sex === 'female' && v.age !== null && v.age >= 65;
    const falls = v.problems(PROBLEM.falls);
    if (!recorded.length && !fracture.length && !steroid.length && !(olderWoman && falls.length)) return null;
    const f = new Findings();
    if (fracture.length) f.support(3, `Fracture described (${fracture[0]!.phrase})`, fracture, 'note');
    for (const p of recorded.slice(0, 1)) f.support(1.5, `On the problem list: ${p.display}`, [p], 'problem');
    for (const m of steroid.slice(0, 1)) f.support(1, `Long-term glucocorticoid: ${m.display}`, [m], 'medication');
    if (olderWoman && falls[0]) f.support(0.5, `Falls in a ${v.person}: fracture risk`, [falls[0]], 'problem');
    const bisphosphonate = v.medications(DRUG.bisphosphonate);
    for (const m of bisphosphonate) {
      const years = (m.startedDaysAgo ?? 0) / 365.25;
      if (years >= 5) {
        f.support(0.5, `${m.display} for about ${formatNumber(years, 0)} years`, [m], 'medication', { novel: true });
        f.step('other', 'Reassess fracture risk after 3–5 years of bisphosphonate: consider a drug holiday if risk is no longer high');
      }
    }
    if (!v.mentions(/dxa|dexa|bone density|t-score/i).length) f.lacks('No bone density (DXA) result in the chart');
    f.step('test', 'DXA with FRAX; calcium, vitamin D, renal function');
    if (!bisphosphonate.length && (recorded.length || fracture.length)) f.step('treatment', 'Start osteoporosis treatment (a bisphosphonate first-line if kidney function allows)');
    return f.result();
  },
});

export const depression = defineCondition({
  id: 'depression',
  name: 'Depression',
  snomed: '35489007',
  icd10: 'F32.A',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.depression,
  keywords: ['depression', 'depressive disorder', 'phq-9', 'low mood', 'suicide', 'screening'],
  keyFacts: ['Screen all adults for depression; a PHQ-9 of 10 or more warrants full assessment, and any suicidal thoughts need same-day risk assessment.'],
  citations: [cite('depression2023', 'Screen all adults, including pregnant and postpartum people and older adults, for depression (grade B), with systems in place for accurate diagnosis, treatment and follow-up.')],
  assess(v) {
    const phq = v.latest('phq9', 365);
    const mood = v.mentions(/low mood|depressed mood|anhedonia|tearful|hopeless|worthless|suicid/i, 365);
    const recorded = v.problems(PROBLEM.depression);
    const f = new Findings();
    const symptoms = nonSpecificSymptoms(v);
    if (!(phq && phq.value >= 10) && !mood.length && !recorded.length) {
      if (!symptoms || phq || !v.isAdult) return null;
      f.support(0.5, `Non-specific symptoms (${symptoms.text}) without a depression screen`, symptoms.facts, 'problem');
      f.lacks(`No PHQ-9 ${lookBack(365)}`);
      f.step('test', 'PHQ-9 depression screen');
      return f.result();
    }
    if (phq && phq.value >= 10) f.support(phq.value >= 20 ? 4 : 3, `PHQ-9 ${formatNumber(phq.value, 0)} ${ago(phq.daysAgo)}`, [phq], 'result');
    if (mood.length) f.support(1.5, `Mood symptoms in the notes (${mood.map((m) => m.phrase).join(', ')})`, mood, 'note');
    for (const p of recorded.slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    for (const m of v.medications(DRUG.ssri).slice(0, 1)) f.support(0.5, `Antidepressant: ${m.display}`, [m], 'medication');
    if (phq && phq.value < 5) f.oppose(2, `PHQ-9 ${formatNumber(phq.value, 0)} is in the minimal range`, [phq], 'result');
    const suicidal = mood.filter((m) => /suicid/i.test(m.phrase));
    if (suicidal.length) f.step('referral', 'Same-day suicide risk assessment');
    if (!phq) f.lacks(`No PHQ-9 ${lookBack(365)}`);
    f.step('test', 'PHQ-9 (and suicide risk questions); TSH and other medical causes if new');
    f.step('treatment', 'Psychotherapy and/or antidepressant by severity and preference');
    return f.result();
  },
});

export const delirium = defineCondition({
  id: 'delirium',
  name: 'Delirium (acute confusion)',
  snomed: '2776000',
  icd10: 'F05',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['2776000'], icd10: ['F05', 'R41.0'], text: /delirium|acute confusion/i },
  keywords: ['delirium', 'confusion', 'acute confusion', 'altered mental status', 'anticholinergic'],
  keyFacts: ['New confusion in an older or acutely ill person is delirium until shown otherwise: look for infection, electrolytes, glucose, drugs (anticholinergics, sedatives) and retention.'],
  citations: [cite('beers2023', 'In older adults with or at high risk of delirium, avoid anticholinergic drugs, antipsychotics (unless needed), benzodiazepines, systemic corticosteroids, H2-receptor antagonists, meperidine and non-benzodiazepine hypnotics.')],
  assess(v) {
    const confusion = v.mentions(SAYS.confusion, 7);
    if (!confusion.length) return null;
    if (!(v.age !== null && v.age >= 65) && !v.acuteSetting) return null;
    const f = new Findings();
    f.support(2.5, `New confusion described (${confusion.map((c) => c.phrase).join(', ')})`, confusion, 'note');
    if (v.age !== null && v.age >= 65) f.context(0.5, v.person);
    const na = v.latest('sodium', 7);
    if (na && na.value < 130) f.support(1, `Possible cause: sodium ${v.format('sodium', na.value)}`, [na], 'result');
    const glucose = v.extreme('glucose', 'min', 7);
    if (glucose && glucose.value < 70) f.support(1, `Possible cause: glucose ${v.format('glucose', glucose.value)}`, [glucose], 'result');
    const temp = v.extreme('temperature', 'max', 2);
    if (temp && temp.value >= 38) f.support(0.5, `Possible cause: fever ${v.format('temperature', temp.value)}`, [temp], 'vital');
    const drugs = [...v.medications(DRUG.firstGenAntihistamine), ...v.medications(DRUG.benzodiazepine), ...v.medications(DRUG.zDrug), ...v.medications(DRUG.opioid), ...v.medications(DRUG.antipsychotic), ...v.medications(DRUG.tricyclic)];
    for (const m of drugs) f.support(0.5, `Deliriogenic drug: ${m.display}`, [m], 'medication');
    for (const p of v.problems(PROBLEM.dementia).slice(0, 1)) f.support(0.5, `Dementia raises the risk: ${p.display}`, [p], 'problem');
    f.step('test', 'Structured delirium screen (4AT or CAM)');
    f.step('test', 'Look for the cause: infection, sodium, calcium, glucose, kidney function, urinary retention, constipation');
    if (drugs.length) f.step('treatment', 'Stop or reduce deliriogenic drugs');
    return f.result();
  },
});

const FALL_RISK_DRUGS = [DRUG.zDrug, DRUG.benzodiazepine, DRUG.firstGenAntihistamine, DRUG.antipsychotic, DRUG.opioid, DRUG.ssri, DRUG.tricyclic, DRUG.antiepileptic, DRUG.sulfonylurea, DRUG.muscleRelaxant];

export const falls = defineCondition({
  id: 'falls',
  name: 'Recurrent falls with modifiable risks',
  snomed: '161898004',
  icd10: 'R29.6',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.falls,
  keywords: ['falls', 'fall risk', 'beers', 'deprescribing', 'polypharmacy', 'older adult', 'sedatives'],
  keyFacts: [
    'In older adults with falls, avoid drugs that raise fall risk (benzodiazepines, Z-drugs, antipsychotics, antidepressants, antiepileptics, opioids) unless safer alternatives are unavailable.',
    'A fall is a prompt for a medication review, orthostatic blood pressure, vision, gait and home-safety assessment.',
  ],
  citations: [
    cite('beers2023', 'For older adults with a history of falls or fractures, avoid antiepileptics, antipsychotics, benzodiazepines, Z-drug hypnotics, antidepressants (TCAs, SSRIs, SNRIs) and opioids unless safer alternatives are not available; first-generation antihistamines are strongly anticholinergic and should be avoided.'),
  ],
  assess(v) {
    const recorded = v.problems(PROBLEM.falls);
    const told = v.mentions(SAYS.fall, 365);
    if (!recorded.length && !told.length) return null;
    if (!(v.age !== null && v.age >= 65)) return null;
    const f = new Findings();
    for (const p of recorded.slice(0, 1)) f.support(1.5, `On the problem list: ${p.display}`, [p], 'problem');
    if (told.length) f.support(1.5, `Falls described in the notes (${told.map((t) => t.phrase).slice(0, 3).join(', ')})`, told, 'note');
    f.context(0.5, v.person);
    const drugs = FALL_RISK_DRUGS.flatMap((d) => v.medications(d));
    for (const m of [...new Set(drugs)]) f.support(1, `Raises fall risk: ${m.display}`, [m], 'medication', { novel: true });
    const glucose = v.extreme('glucose', 'min', 180);
    if (glucose && glucose.value < 70) f.support(1, `Hypoglycaemia: glucose ${v.format('glucose', glucose.value)} ${ago(glucose.daysAgo)}`, [glucose], 'result', { novel: true });
    const na = v.latest('sodium', 30);
    if (na && na.value < 130) f.support(1, `Hyponatraemia: sodium ${v.format('sodium', na.value)}`, [na], 'result', { novel: true });
    const hr = v.latest('heart-rate', 90);
    if (hr && hr.value < 50) f.support(0.5, `Bradycardia ${v.format('heart-rate', hr.value)}`, [hr], 'vital');
    const sbp = v.latest('systolic', 90);
    if (sbp && sbp.value < 110 && v.medications(DRUG.antihypertensive).length >= 2) f.support(0.5, `Systolic BP ${v.format('systolic', sbp.value)} on ${v.medications(DRUG.antihypertensive).length} BP-lowering drugs`, [sbp], 'vital');
    if (v.activeMedications.length >= 10) f.support(0.5, `${v.activeMedications.length} active medicines (polypharmacy)`, v.activeMedications.map((m) => m.id), 'medication');
    for (const p of v.problems(PROBLEM.dementia).slice(0, 1)) f.support(0.5, `Cognitive impairment: ${p.display}`, [p], 'problem');
    f.lacks('Orthostatic blood pressure is not recorded');
    if (drugs.length) f.step('treatment', 'Deprescribe fall-risk drugs (Beers Criteria), tapering where needed');
    f.step('test', 'Lying and standing blood pressure, vision, gait and balance assessment');
    f.step('referral', 'Falls prevention programme: strength and balance exercise, home-safety review');
    f.step('test', 'Bone health: fracture risk assessment and vitamin D');
    return f.result();
  },
});

export const GENERAL = [acutePancreatitis, gout, osteoporosis, depression, delirium, falls];
