/** Airways: asthma and COPD exacerbations. */
import type { CaseView } from '../case-view.ts';
import { cite } from '../references.ts';
import { defineCondition, Findings } from '../rules.ts';
import { DRUG, PROBLEM, SAYS } from '../vocabulary.ts';

/** Upper limits of respiratory and heart rate that signal a severe attack, by age. */
function distressLimits(v: CaseView): { rr: number; hr: number } {
  const age = v.age ?? 30;
  if (age < 6) return { rr: 40, hr: 140 };
  if (age < 12) return { rr: 30, hr: 125 };
  return { rr: 25, hr: 120 };
}

export const asthmaExacerbation = defineCondition({
  id: 'asthma-exacerbation',
  name: 'Asthma exacerbation',
  snomed: '281239006',
  icd10: 'J45.901',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['281239006'], icd10: ['J45.901', 'J45.21', 'J45.31', 'J45.41', 'J45.51'], text: /asthma (?:exacerbation|attack)|exacerbation of asthma|status asthmaticus/i },
  keywords: ['asthma', 'asthma exacerbation', 'asthma attack', 'wheeze', 'salbutamol', 'albuterol', 'gina', 'child asthma', 'oral corticosteroid'],
  keyFacts: [
    'In children, SpO2 below 92 % before treatment marks a severe attack and predicts the need for admission.',
    'Treat with repeated inhaled SABA through a spacer, early oral corticosteroid and controlled oxygen (target SpO2 94–98 % in children), then review controller therapy and technique.',
  ],
  citations: [
    cite('gina2025', 'For an exacerbation, give repeated inhaled SABA (by spacer in children), oral corticosteroid promptly (children 6–11: 1–2 mg/kg/day, maximum 40 mg, for 3–5 days) and controlled oxygen to SpO2 94–98 % in children; SpO2 below 92 % is a marker of severity; arrange follow-up and review controller treatment after any exacerbation.'),
  ],
  assess(v) {
    const asthma = v.problems(PROBLEM.asthma);
    const reliever = v.medications(DRUG.saba);
    if (!asthma.length && !reliever.length) return null;
    const spo2 = v.extreme('spo2', 'min', 1);
    const wheeze = v.mentions(/wheez|chest tightness|recession|retraction|accessory muscle|speaks in (?:short )?(?:sentences|words)/i, 3);
    const exacerbation = v.problems({ codes: ['281239006'], text: /exacerbation|attack/i }).filter((p) => p.onsetDaysAgo === undefined || p.onsetDaysAgo <= 7);
    if (!(spo2 && spo2.value < 95) && !wheeze.length && !exacerbation.length) return null;
    const f = new Findings();
    const limits = distressLimits(v);
    if (spo2 && spo2.value < 92) f.support(2.5, `SpO2 ${v.format('spo2', spo2.value)} (below 92 %: severe)`, [spo2], 'vital', { novel: true });
    else if (spo2 && spo2.value < 95) f.support(1, `SpO2 ${v.format('spo2', spo2.value)}`, [spo2], 'vital');
    const rr = v.extreme('respiratory-rate', 'max', 1);
    if (rr && rr.value > limits.rr) f.support(1, `Respiratory rate ${v.format('respiratory-rate', rr.value)} (above ${limits.rr} for age)`, [rr], 'vital');
    const hr = v.extreme('heart-rate', 'max', 1);
    if (hr && hr.value > limits.hr) f.support(0.5, `Heart rate ${v.format('heart-rate', hr.value)} (above ${limits.hr} for age; reliever use also raises it)`, [hr], 'vital');
    if (wheeze.length) f.support(1.5, `Signs in the notes (${wheeze.map((w) => w.phrase).join(', ')})`, wheeze, 'note');
    const frequent = v.mentions(/(?:albuterol|salbutamol|reliever|inhaler|puffs)[^.]{0,40}every (?:1|2|3|one|two|three)[- ]?(?:to[- ]\d )?hours?|every 2-3 hours/i, 3);
    if (frequent.length) f.support(1, 'Reliever needed every few hours', frequent, 'note');
    for (const p of exacerbation.slice(0, 1)) f.support(1, `Recorded: ${p.display}`, [p], 'problem');
    for (const p of asthma.filter((p) => !exacerbation.includes(p)).slice(0, 1)) f.support(1, `Known asthma: ${p.display}`, [p], 'problem');
    for (const m of v.medications(DRUG.glucocorticoid).filter((m) => (m.startedDaysAgo ?? 99) <= 2).slice(0, 1)) f.support(0.5, `Systemic corticosteroid started: ${m.display}`, [m], 'medication');
    if (v.age !== null && v.age < 18) f.name = 'Asthma exacerbation (child)';
    const viral = v.mentions(/cold symptoms|viral|coryza|runny nose|upper respiratory/i, 7);
    if (viral.length) f.support(0.5, 'Viral trigger described', viral, 'note');
    f.step('treatment', 'Repeated inhaled SABA by spacer and oral corticosteroid; controlled oxygen to SpO2 94–98 % in children');
    f.step('monitoring', 'Reassess SpO2, respiratory rate and work of breathing after the first hour; admit if SpO2 stays below 92 %');
    f.step('other', 'Check inhaler technique, adherence to the controller and the written action plan; follow up within days');
    if (!v.medications(DRUG.inhaledSteroid).length) f.step('treatment', 'Start or step up ICS-containing controller treatment');
    return f.result();
  },
});

export const copdExacerbation = defineCondition({
  id: 'copd-exacerbation',
  name: 'COPD exacerbation',
  snomed: '195951007',
  icd10: 'J44.1',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['195951007'], icd10: ['J44.1', 'J44.0'], text: /exacerbation of (?:copd|chronic obstructive)|copd exacerbation/i },
  keywords: ['copd', 'copd exacerbation', 'chronic obstructive pulmonary disease', 'gold', 'emphysema', 'sputum', 'spirometry'],
  keyFacts: ['A COPD exacerbation is worsening dyspnoea and/or cough and sputum over less than 14 days; treat with short-acting bronchodilators, 5 days of oral prednisone 40 mg, antibiotics when sputum is purulent, and oxygen to SpO2 88–92 %.'],
  citations: [
    cite('goldSummary2023', 'An exacerbation is an event of increased dyspnoea and/or cough and sputum that worsens over less than 14 days; manage with short-acting bronchodilators, systemic corticosteroids (prednisone 40 mg for 5 days) and antibiotics when indicated.'),
    cite('gold2026', 'Target SpO2 of 88–92 % during exacerbations, with blood gases to detect hypercapnia; review maintenance therapy after the event.'),
  ],
  assess(v) {
    const copd = v.problems(PROBLEM.copd);
    const inhalers = v.medications(DRUG.copdInhaler);
    if (!copd.length && !inhalers.length) return null;
    const symptoms = v.mentions(new RegExp(`${SAYS.dyspnoea.source}|sputum|purulent|cough`, 'i'), 7);
    const spo2 = v.extreme('spo2', 'min', 1);
    const rr = v.extreme('respiratory-rate', 'max', 1);
    if (!symptoms.length && !(spo2 && spo2.value < 92) && !(rr && rr.value >= 24)) return null;
    const f = new Findings();
    if (symptoms.length) f.support(2, `Worsening symptoms in the notes (${symptoms.map((s) => s.phrase).join(', ')})`, symptoms, 'note');
    if (spo2 && spo2.value < 92) f.support(1.5, `SpO2 ${v.format('spo2', spo2.value)}`, [spo2], 'vital');
    if (rr && rr.value >= 24) f.support(1, `Respiratory rate ${v.format('respiratory-rate', rr.value)}`, [rr], 'vital');
    for (const p of copd.slice(0, 1)) f.support(1, `Known COPD: ${p.display}`, [p], 'problem');
    for (const m of inhalers.slice(0, 1)) f.support(0.5, `COPD inhaler: ${m.display}`, [m], 'medication');
    f.step('treatment', 'Short-acting bronchodilators; prednisone 40 mg daily for 5 days; antibiotics if sputum is purulent');
    f.step('test', 'Blood gas if hypercapnia is possible; chest radiograph to exclude pneumonia');
    f.step('monitoring', 'Oxygen to SpO2 88–92 %');
    return f.result();
  },
});

export const RESPIRATORY = [asthmaExacerbation, copdExacerbation];
