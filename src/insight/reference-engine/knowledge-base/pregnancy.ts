/** Pregnancy: confirming it from results, and pre-existing hypertension in pregnancy. */
import type { FactId } from '../../types.ts';
import { cite } from '../references.ts';
import { ago, defineCondition, Findings } from '../rules.ts';
import { DRUG, PROBLEM } from '../vocabulary.ts';
import { bloodPressureDays, formatBp, pregnancy } from './shared.ts';

export const pregnancyCondition = defineCondition({
  id: 'pregnancy',
  name: 'Pregnancy',
  snomed: '77386006',
  icd10: 'Z33.1',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['77386006'], icd10: ['Z33', 'Z34'], text: /\bpregnan/i },
  keywords: ['pregnancy', 'pregnant', 'hcg', 'prenatal', 'first trimester', 'teratogen'],
  keyFacts: ['At the first prenatal visit, review every medicine for fetal risk and test for undiagnosed diabetes when there are risk factors.'],
  citations: [
    cite('adaDiagnosis2026', 'Test for undiagnosed diabetes at the first prenatal visit in people with risk factors, using standard diagnostic criteria.'),
    cite('hypertension2017', 'Women with hypertension who become pregnant should not be treated with ACE inhibitors, ARBs or direct renin inhibitors.'),
  ],
  assess(v) {
    const evidence = pregnancy(v);
    if (!evidence) return null;
    const f = new Findings();
    const hcg = v.where('hcg', (x) => x >= 25, 60);
    const tests = v.textResults(/hcg|chorionic|pregnancy/i, /positive|pregnant|detected/i, 90).filter((r) => !/not pregnant|negative|not detected/i.test(r.text));
    if (hcg.length) f.support(3, `Serum hCG ${v.format('hcg', hcg.at(-1)!.value)} ${ago(hcg.at(-1)!.daysAgo)}`, hcg, 'result', { criterion: 0.95 });
    if (tests.length) f.support(2.5, 'Positive pregnancy test or status', tests, 'result');
    const ga = v.latest('gestational-age', 60);
    if (ga) f.support(1, `Gestational age recorded (about ${evidence.weeks ?? Math.round(ga.value)} weeks)`, [ga], 'result');
    for (const p of v.problems(PROBLEM.pregnancy).filter((p) => evidence.facts.includes(p.id)).slice(0, 1)) f.support(1, `On the problem list: ${p.display}`, [p], 'problem');
    if (evidence.weeks !== undefined) f.name = `Pregnancy, about ${evidence.weeks} weeks`;
    const teratogens = v.medications(DRUG.teratogen);
    if (teratogens.length) f.step('treatment', `Review medicines with fetal risk now: ${teratogens.map((m) => m.display).join(', ')}`);
    f.step('treatment', 'Folic acid supplementation; prenatal care and dating ultrasound');
    f.step('test', 'Early screening for undiagnosed diabetes if risk factors');
    return f.result();
  },
});

/** ICD-10-CM O10.01x by trimester from completed weeks. */
function trimesterCode(weeks: number | undefined): string {
  if (weeks === undefined) return 'O10.019';
  if (weeks < 14) return 'O10.011';
  if (weeks < 28) return 'O10.012';
  return 'O10.013';
}

export const hypertensionInPregnancy = defineCondition({
  id: 'hypertension-in-pregnancy',
  name: 'Pre-existing hypertension complicating pregnancy',
  snomed: '78808002',
  icd10: 'O10.019',
  kind: 'diagnosis',
  cantMiss: false,
  rarity: null,
  prior: 0,
  recordedAs: { codes: ['78808002'], icd10: ['O10', 'O11', 'O13', 'O16'], text: /hypertension (?:in|complicating) pregnancy|gestational hypertension|pre-?eclampsia/i },
  keywords: ['hypertension in pregnancy', 'chronic hypertension pregnancy', 'preeclampsia', 'labetalol', 'nifedipine', 'methyldopa'],
  keyFacts: ['Pregnant women with hypertension should switch from ACE inhibitors or ARBs to labetalol, nifedipine or methyldopa.'],
  citations: [
    cite('hypertension2017', 'Women with hypertension who become pregnant, or are planning to, should be transitioned to methyldopa, nifedipine and/or labetalol during pregnancy and should not be treated with ACE inhibitors, ARBs or direct renin inhibitors.'),
  ],
  assess(v) {
    const evidence = pregnancy(v);
    if (!evidence) return null;
    const recorded = v.problems(PROBLEM.hypertension).filter((p) => !/pregnan/i.test(p.display));
    const treated = v.medications(DRUG.antihypertensive);
    const days = bloodPressureDays(v, 60);
    const raised = days.filter((d) => d.systolic >= 130 || d.diastolic >= 80);
    if (!recorded.length && !treated.length && raised.filter((d) => d.systolic >= 140 || d.diastolic >= 90).length < 2) return null;
    const f = new Findings();
    f.support(2, `Pregnant (${evidence.text})`, evidence.facts, 'result');
    for (const p of recorded.slice(0, 1)) f.support(2, `Hypertension before pregnancy: ${p.display}`, [p], 'problem', { novel: true });
    for (const m of treated.slice(0, 1)) f.support(0.5, `On antihypertensive treatment: ${m.display}`, [m], 'medication');
    if (raised.length) {
      const ids: FactId[] = raised.flatMap((d) => d.ids);
      f.support(raised.some((d) => d.systolic >= 140 || d.diastolic >= 90) ? 2 : 1.5, `BP during pregnancy: ${raised.map((d) => `${formatBp(d)} ${ago(d.day)}`).join(', ')}`, ids, 'vital');
    }
    f.icd10 = trimesterCode(evidence.weeks);
    const unsafe = [...v.medications(DRUG.aceInhibitor), ...v.medications(DRUG.arb), ...v.medications(DRUG.reninInhibitor)];
    if (unsafe.length) f.step('treatment', `Switch ${unsafe.map((m) => m.display).join(', ')} to labetalol, nifedipine or methyldopa`);
    f.step('test', 'Baseline pre-eclampsia labs: urine protein/creatinine ratio, creatinine, liver enzymes, platelets');
    f.step('referral', 'Obstetric care for a high-risk pregnancy; discuss low-dose aspirin from 12 weeks');
    f.step('monitoring', 'Blood pressure at every visit and home monitoring');
    return f.result();
  },
});

export const PREGNANCY = [pregnancyCondition, hypertensionInPregnancy];
