/** Infection: sepsis (Sepsis-3), urinary infection and pyelonephritis, pneumonia, fever in infants. */
import type { FactId } from '../../types.ts';
import { formatNumber, type CaseView } from '../case-view.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings, type EvidenceSource } from '../rules.ts';
import { DRUG, PROBLEM, SAYS } from '../vocabulary.ts';

const NITRITE = /nitrite/i;
const LEUKOCYTE_ESTERASE = /leu[ck]ocyte esterase|leukocytes/i;
const POSITIVE = /positive|present|detected|\b[1-4]\+|trace|large|moderate|small/i;
const URINARY_SYMPTOMS = /dysuria|frequency|urgency|burning (?:on|with) urination|suprapubic/i;
const UPPER_TRACT = /costovertebral|\bcva tender|flank pain|loin pain|renal angle/i;
const RESPIRATORY = /\bcough|sputum|pleuritic|crackles|crepitations|bronchial breathing|consolidation|infiltrate|opacity/i;

interface InfectionSource {
  readonly text: string;
  readonly facts: readonly FactId[];
  readonly source: EvidenceSource;
}

/** The clearest evidence that infection is suspected: a coded infection, an antibiotic, a positive urine. */
function suspectedInfection(v: CaseView): InfectionSource | undefined {
  const urine = v.textResults(NITRITE, POSITIVE, 2);
  if (urine.length) return { text: 'positive urine nitrite', facts: urine.map((r) => r.id), source: 'result' };
  const problems = [...v.problems(PROBLEM.uti), ...v.problems(PROBLEM.pneumonia), ...v.problems({ text: /infection|cellulitis|abscess|sepsis|pyelo|cholangitis|meningitis/i })].filter(
    (p) => p.onsetDaysAgo === undefined || p.onsetDaysAgo <= 14,
  );
  if (problems[0]) return { text: problems[0].display, facts: [problems[0].id], source: 'problem' };
  const antibiotics = v.medications(DRUG.antibiotic).filter((m) => m.startedDaysAgo === undefined || m.startedDaysAgo <= 2);
  if (antibiotics[0]) return { text: `antibiotic started: ${antibiotics[0].display}`, facts: [antibiotics[0].id], source: 'medication' };
  const words = v.mentions(/infection|sepsis|septic|pneumonia|cellulitis|urosepsis/i, 2);
  if (words[0]) return { text: `infection suspected in the notes (${words[0].phrase})`, facts: [words[0].id], source: 'note' };
  return undefined;
}

export const sepsis = defineCondition({
  id: 'sepsis',
  name: 'Sepsis',
  snomed: '91302008',
  icd10: 'A41.9',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['91302008', '76571007'], icd10: ['A40', 'A41', 'R65.2'], text: /sepsis|septic/i },
  keywords: ['sepsis', 'septic shock', 'qsofa', 'sofa', 'lactate', 'sepsis-3', 'surviving sepsis', 'antibiotics within an hour'],
  keyFacts: [
    'Sepsis is life-threatening organ dysfunction (SOFA rise of 2 or more) caused by a dysregulated response to infection.',
    'qSOFA (respiratory rate ≥ 22, altered mentation, systolic BP ≤ 100) flags risk but should not be used alone to screen.',
    'For probable sepsis or shock: antimicrobials within 1 hour, lactate, cultures, and 30 mL/kg crystalloid for hypoperfusion.',
  ],
  citations: [
    cite('sepsis3', 'Sepsis is life-threatening organ dysfunction caused by a dysregulated host response to infection, identified by an acute rise in SOFA score of 2 points or more; qSOFA (respiratory rate ≥ 22/min, altered mentation, systolic BP ≤ 100 mmHg) identifies patients with suspected infection likely to do poorly.'),
    cite('survivingSepsis2021', 'Give antimicrobials immediately, ideally within 1 hour, when sepsis is probable or shock is present; measure lactate; give at least 30 mL/kg of crystalloid in the first 3 hours for sepsis-induced hypoperfusion; do not use qSOFA alone as a screening tool.'),
  ],
  assess(v) {
    if (!v.isAdult) return null;
    const infection = suspectedInfection(v);
    const f = new Findings();
    const rr = v.extreme('respiratory-rate', 'max', 1);
    const sbp = v.extreme('systolic', 'min', 1);
    const mentation = v.mentions(SAYS.confusion, 2);
    const temp = v.extreme('temperature', 'max', 1);
    const tempLow = v.extreme('temperature', 'min', 1);
    const hr = v.extreme('heart-rate', 'max', 1);
    const wbc = v.latest('wbc', 2);
    const lactate = v.extreme('lactate', 'max', 2);
    const fever = temp && temp.value >= 38 ? temp : tempLow && tempLow.value < 36 ? tempLow : undefined;
    const inflamed = fever || (wbc && (wbc.value > 12 || wbc.value < 4));
    if (!infection && !inflamed) return null;

    let qsofa = 0;
    const qsofaFacts: FactId[] = [];
    const qsofaParts: string[] = [];
    if (rr && rr.value >= 22) {
      qsofa++;
      qsofaFacts.push(rr.id);
      qsofaParts.push(`respiratory rate ${formatNumber(rr.value, 0)}`);
    }
    if (sbp && sbp.value <= 100) {
      qsofa++;
      qsofaFacts.push(sbp.id);
      qsofaParts.push(`systolic BP ${formatNumber(sbp.value, 0)}`);
    }
    if (mentation.length) {
      qsofa++;
      qsofaFacts.push(...mentation.map((m) => m.id));
      qsofaParts.push(`altered mentation (${mentation[0]!.phrase})`);
    }
    // Partial SOFA from what a summary can hold: MAP, creatinine, platelets, bilirubin.
    let sofa = 0;
    const sofaFacts: FactId[] = [];
    const sofaParts: string[] = [];
    // Systolic and diastolic arrive as separate series; readings pair up by position when the counts match.
    const systolics = v.points('systolic', 1);
    const diastolics = v.points('diastolic', 1);
    const dbp = sbp ? (diastolics.length === systolics.length ? diastolics[systolics.indexOf(sbp)] : v.extreme('diastolic', 'min', 1)) : undefined;
    if (sbp && dbp) {
      const map = (sbp.value + 2 * dbp.value) / 3;
      if (map < 70) {
        sofa += 1;
        sofaFacts.push(sbp.id, dbp.id);
        sofaParts.push(`MAP ${formatNumber(map, 0)} (1)`);
      }
    }
    const creatinine = v.latest('creatinine', 1);
    const baselineCreatinine = v.points('creatinine', 365).filter((p) => p.daysAgo > 2).at(-1);
    if (creatinine && creatinine.value >= 1.2 && (!baselineCreatinine || baselineCreatinine.value < 1.2)) {
      const points = creatinine.value >= 5 ? 4 : creatinine.value >= 3.5 ? 3 : creatinine.value >= 2 ? 2 : 1;
      sofa += points;
      sofaFacts.push(creatinine.id);
      sofaParts.push(`creatinine ${formatNumber(creatinine.value, 1)} (${points})`);
    }
    const platelets = v.latest('platelets', 1);
    if (platelets && platelets.value < 150) {
      const points = platelets.value < 20 ? 4 : platelets.value < 50 ? 3 : platelets.value < 100 ? 2 : 1;
      sofa += points;
      sofaFacts.push(platelets.id);
      sofaParts.push(`platelets ${formatNumber(platelets.value, 0)} (${points})`);
    }
    const bilirubin = v.latest('bilirubin', 1);
    if (bilirubin && bilirubin.value >= 1.2) {
      const points = bilirubin.value >= 12 ? 4 : bilirubin.value >= 6 ? 3 : bilirubin.value >= 2 ? 2 : 1;
      sofa += points;
      sofaFacts.push(bilirubin.id);
      sofaParts.push(`bilirubin ${formatNumber(bilirubin.value, 1)} (${points})`);
    }

    if (infection) f.support(1.5, `Suspected infection: ${infection.text}`, infection.facts, infection.source);
    if (fever) f.support(1, `Temperature ${v.format('temperature', fever.value)}`, [fever], 'vital');
    if (hr && hr.value > 90) f.support(0.5, `Heart rate ${v.format('heart-rate', hr.value)}`, [hr], 'vital');
    if (wbc && (wbc.value > 12 || wbc.value < 4)) f.support(1, `White cells ${v.format('wbc', wbc.value)}`, [wbc], 'result');
    if (qsofa > 0) f.support(qsofa * 1.5, `qSOFA ${qsofa}/3: ${qsofaParts.join(', ')}`, qsofaFacts, 'vital');
    if (lactate && lactate.value > 2) f.support(lactate.value >= 4 ? 3 : 2, `Lactate ${v.format('lactate', lactate.value)} ${ago(lactate.daysAgo)}`, [lactate], 'result', { novel: true });
    if (sofa >= 2 && infection) {
      f.support(2, `Organ dysfunction on the available SOFA items: ${sofaParts.join(', ')} = ${sofa}`, sofaFacts, 'result', { criterion: 0.85, novel: true });
    } else if (sofa === 1) {
      f.support(0.5, `One SOFA point from available results: ${sofaParts.join(', ')}`, sofaFacts, 'result');
    }
    const pct = v.latest('procalcitonin', 2);
    if (pct && pct.value >= 2) f.support(0.5, `Procalcitonin ${v.format('procalcitonin', pct.value)}`, [pct], 'result');
    if (qsofa === 0 && sofa === 0 && !(lactate && lactate.value > 2)) f.oppose(1.5, 'No organ dysfunction in the available vital signs and results', [rr?.id, sbp?.id, lactate?.id].filter((x): x is FactId => x !== undefined), 'vital');
    if (!f.triggered || (qsofa === 0 && sofa === 0 && !(lactate && lactate.value > 2) && !fever)) return null;
    if (sbp && sbp.value < 90 && lactate && lactate.value > 2) f.name = 'Sepsis with hypotension and raised lactate (assess for septic shock)';
    if (!lactate) f.lacks('No lactate in the last 2 days');
    f.lacks('GCS, urine output and oxygenation (PaO₂/FiO₂) are not in the summary, so SOFA is incomplete');
    f.step('test', 'Blood cultures (two sets) before antibiotics; repeat lactate within 2–4 hours if raised');
    f.step('treatment', 'Antimicrobials within 1 hour; 30 mL/kg crystalloid for hypotension or lactate ≥ 4 mmol/L; vasopressors if MAP stays below 65');
    f.step('treatment', 'Find and control the source; hold nephrotoxins and metformin');
    f.step('referral', 'Critical care review if hypotension or lactate persists');
    return f.result();
  },
});

export const urinaryTractInfection = defineCondition({
  id: 'uti',
  name: 'Urinary tract infection',
  snomed: '68566005',
  icd10: 'N39.0',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['68566005', '197927001'], icd10: ['N39.0', 'N30'], text: /urinary tract infection|\buti\b|cystitis/i },
  keywords: ['uti', 'urinary tract infection', 'cystitis', 'nitrite', 'dysuria', 'nitrofurantoin', 'urine culture'],
  keyFacts: ['Acute uncomplicated cystitis in women: nitrofurantoin for 5 days, trimethoprim-sulfamethoxazole for 3 days where resistance is low, or single-dose fosfomycin.'],
  citations: [
    cite('utiIdsa2011', 'For acute uncomplicated cystitis in women, nitrofurantoin for 5 days, trimethoprim-sulfamethoxazole for 3 days (where resistance is below 20 %) or single-dose fosfomycin are first-line choices.'),
  ],
  assess(v) {
    const nitrite = v.textResults(NITRITE, POSITIVE, 7);
    const le = v.textResults(LEUKOCYTE_ESTERASE, POSITIVE, 7);
    const culture = v.textResults(/urine culture/i, /\d{2,}|growth|colonies|cfu|e\.? ?coli|klebsiella|proteus|enterococ/i, 7).filter((r) => !/no growth|no significant/i.test(r.text));
    const symptoms = v.mentions(URINARY_SYMPTOMS, 7);
    const recorded = v.problems({ codes: ['68566005', '197927001'], icd10: ['N39.0', 'N30'], text: /urinary tract infection|\buti\b|cystitis/i }).filter((p) => p.onsetDaysAgo === undefined || p.onsetDaysAgo <= 14 || p.category === 'encounter-diagnosis');
    if (!nitrite.length && !le.length && !culture.length && !symptoms.length && !recorded.length) return null;
    const f = new Findings();
    if (culture.length) f.support(3, 'Urine culture with growth', culture, 'result', { criterion: 0.9 });
    if (nitrite.length) f.support(2.5, 'Urine nitrite positive', nitrite, 'result');
    if (le.length) f.support(1.5, 'Urine leukocyte esterase positive', le, 'result');
    if (symptoms.length) f.support(1.5, `Urinary symptoms (${symptoms.map((s) => s.phrase).join(', ')})`, symptoms, 'note');
    for (const p of recorded.slice(0, 1)) f.support(1, `Recorded: ${p.display}`, [p], 'problem');
    for (const p of v.problems({ codes: ['197927001'], text: /recurrent (?:uti|urinary)/i }).slice(0, 1)) f.support(0.5, `Recurrent UTIs: ${p.display}`, [p], 'problem');
    if (!culture.length) f.lacks('No urine culture result yet');
    f.step('test', 'Urine culture and susceptibility');
    f.step('treatment', 'Antibiotic by local resistance and kidney function (avoid nitrofurantoin when creatinine clearance is below 30 mL/min)');
    return f.result();
  },
});

export const pyelonephritis = defineCondition({
  id: 'pyelonephritis',
  name: 'Acute pyelonephritis',
  snomed: '45816000',
  icd10: 'N10',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['45816000', '36689008'], icd10: ['N10', 'N11', 'N12'], text: /pyelonephritis/i },
  keywords: ['pyelonephritis', 'upper urinary tract infection', 'flank pain', 'complicated uti', 'urosepsis'],
  keyFacts: ['Fever, flank or costovertebral-angle pain with a urinary infection means pyelonephritis: send a urine culture, treat for 7–14 days depending on the agent, and image if there is no response in 48–72 hours.'],
  citations: [
    cite('utiIdsa2011', 'In acute pyelonephritis, always obtain a urine culture with susceptibility testing and tailor empirical therapy to it; an oral fluoroquinolone for 7 days is appropriate where resistance is low.'),
    cite('cutiIdsa2025', 'Complicated urinary tract infections, which include pyelonephritis and infection with systemic features, warrant cultures before treatment and empirical therapy chosen by illness severity and the risk of resistant organisms.'),
  ],
  assess(v) {
    const urine = [...v.textResults(NITRITE, POSITIVE, 7), ...v.textResults(LEUKOCYTE_ESTERASE, POSITIVE, 7)];
    const uti = v.problems(PROBLEM.uti).filter((p) => p.onsetDaysAgo === undefined || p.onsetDaysAgo <= 14 || p.category === 'encounter-diagnosis');
    if (!urine.length && !uti.length && !v.mentions(URINARY_SYMPTOMS, 7).length) return null;
    const flank = v.mentions(UPPER_TRACT, 7);
    const temp = v.extreme('temperature', 'max', 2);
    const fever = temp && temp.value >= 38 ? temp : undefined;
    if (!flank.length && !fever) return null;
    const f = new Findings();
    if (urine.length) f.support(2, 'Urinalysis positive (nitrite or leukocyte esterase)', urine, 'result');
    for (const p of uti.slice(0, 1)) f.support(1, `Urinary infection recorded: ${p.display}`, [p], 'problem');
    if (flank.length) f.support(2.5, `Upper-tract sign (${flank.map((x) => x.phrase).join(', ')})`, flank, 'note', { novel: true });
    if (fever) f.support(1.5, `Fever ${v.format('temperature', fever.value)}`, [fever], 'vital');
    const wbc = v.latest('wbc', 2);
    if (wbc && wbc.value > 12) f.support(0.5, `White cells ${v.format('wbc', wbc.value)}`, [wbc], 'result');
    f.step('test', 'Urine culture (and blood cultures if septic) before antibiotics');
    f.step('treatment', 'Treat as pyelonephritis (complicated UTI): agent and route by severity and resistance risk');
    f.step('test', 'Renal ultrasound or CT if no improvement within 48–72 hours or obstruction is suspected');
    return f.result();
  },
});

export const pneumonia = defineCondition({
  id: 'pneumonia',
  name: 'Community-acquired pneumonia',
  snomed: '385093006',
  icd10: 'J18.9',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: PROBLEM.pneumonia,
  keywords: ['pneumonia', 'community-acquired pneumonia', 'cap', 'chest x-ray', 'cough', 'psi', 'curb-65'],
  keyFacts: ['Pneumonia needs a compatible illness and a new infiltrate on imaging; decide site of care with a severity score (PSI preferred over CURB-65) and clinical judgement.'],
  citations: [
    cite('cap2019', 'Diagnose community-acquired pneumonia with clinical features and chest imaging; use a validated prognostic rule (the Pneumonia Severity Index preferred over CURB-65) with clinical judgement to decide outpatient or inpatient care; obtain blood and sputum cultures in severe disease.'),
  ],
  assess(v) {
    const respiratory = v.mentions(RESPIRATORY, 7);
    const recorded = v.problems(PROBLEM.pneumonia).filter((p) => p.onsetDaysAgo === undefined || p.onsetDaysAgo <= 14);
    if (!respiratory.length && !recorded.length) return null;
    const f = new Findings();
    const imaging = respiratory.filter((r) => /consolidation|infiltrate|opacity/i.test(r.phrase));
    if (imaging.length) f.support(3, `Imaging finding (${imaging[0]!.phrase})`, imaging, 'note', { criterion: 0.8 });
    const symptoms = respiratory.filter((r) => !imaging.includes(r));
    if (symptoms.length) f.support(1.5, `Respiratory symptoms or signs (${symptoms.map((s) => s.phrase).join(', ')})`, symptoms, 'note');
    for (const p of recorded.slice(0, 1)) f.support(1, `Recorded: ${p.display}`, [p], 'problem');
    const temp = v.extreme('temperature', 'max', 2);
    if (temp && temp.value >= 38) f.support(1, `Fever ${v.format('temperature', temp.value)}`, [temp], 'vital');
    const spo2 = v.extreme('spo2', 'min', 1);
    if (spo2 && spo2.value < 94) f.support(1, `SpO2 ${v.format('spo2', spo2.value)}`, [spo2], 'vital');
    const wbc = v.latest('wbc', 2);
    if (wbc && wbc.value > 12) f.support(0.5, `White cells ${v.format('wbc', wbc.value)}`, [wbc], 'result');
    const clear = v.mentions(/chest (?:is )?clear|lungs (?:are )?clear|clear (?:lung fields|chest)/i, 3);
    if (clear.length) f.oppose(2, 'Chest described as clear', clear, 'note');
    const wheeze = v.mentions(/wheez/i, 3);
    const airway = [...v.problems(PROBLEM.asthma), ...v.problems(PROBLEM.copd)];
    if (wheeze.length && airway[0]) f.oppose(1.5, `Wheeze with known ${airway[0].display}: airway disease explains cough and low saturation`, [wheeze[0], airway[0]], 'note');
    if (!f.triggered) return null;
    if (!imaging.length) f.lacks('No chest imaging result in the chart');
    f.step('test', 'Chest radiograph');
    f.step('test', 'Severity assessment (PSI or CURB-65) to decide the site of care');
    f.step('treatment', 'Empirical antibiotics by severity and risk factors for resistant organisms');
    return f.result();
  },
});

export const febrileInfant = defineCondition({
  id: 'febrile-infant',
  name: 'Fever in a young infant (serious bacterial infection risk)',
  snomed: '386661006',
  icd10: 'R50.9',
  kind: 'diagnosis',
  cantMiss: true,
  rarity: null,
  prior: 0,
  keywords: ['febrile infant', 'fever infant', 'neonatal fever', 'serious bacterial infection', 'aap febrile infant'],
  keyFacts: ['Well-appearing febrile infants 8–60 days old need urinalysis, blood culture and inflammatory markers, with lumbar puncture and admission decided by age band and results.'],
  citations: [
    cite('febrileInfant2021', 'For well-appearing infants 8–60 days old with temperature of 38.0 °C or more, obtain urinalysis, blood culture and inflammatory markers (procalcitonin, CRP, neutrophil count); age band and results decide lumbar puncture, antibiotics and admission.'),
  ],
  assess(v) {
    if (v.age === null || v.age >= 1) return null;
    const temp = v.extreme('temperature', 'max', 1);
    if (!temp || temp.value < 38) return null;
    const f = new Findings();
    f.support(4, `Temperature ${v.format('temperature', temp.value)} in an infant under 1 year`, [temp], 'vital');
    f.lacks('Age in days is not in the summary: the AAP pathway applies to infants 8–60 days old');
    f.step('test', 'Urinalysis and urine culture, blood culture, procalcitonin, CRP and neutrophil count');
    f.step('referral', 'Paediatric assessment now; lumbar puncture and admission by age band and results');
    return f.result();
  },
});

export const INFECTION = [sepsis, urinaryTractInfection, pyelonephritis, pneumonia, febrileInfant];
