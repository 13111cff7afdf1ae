/**
 * The hidden-diagnosis evaluation: for each synthetic patient, remove every Condition in the
 * family their story is about (CKD for the CKD patient, anaemia for the anaemia patient…), keep
 * labs, vitals, medicines and notes, read the chart as the app does, and ask whether the early
 * signs or the reference engine's differential name the hidden diagnosis again.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Condition, Resource } from 'fhir/r4';
import { bundleCases } from '../../scripts/evaluate-cases.ts';
import { generateCohort, type ScenarioKey } from '../../launch/sandbox/cohort/index.ts';
import { loadChart } from '../../src/chart/index.ts';
import { detectEarlySigns } from '../../src/insight/early-signs/index.ts';
import { runReferenceEngine } from '../../src/insight/reference-engine/index.ts';
import { PROBLEM } from '../../src/insight/reference-engine/vocabulary.ts';
import type { Matcher } from '../../src/insight/reference-engine/case-view.ts';
import { buildCaseSummary } from '../../src/privacy/index.ts';
import type { FhirRequester, LaunchContext } from '../../src/smart/context.ts';
import { APP_SCOPES, IN_PROCESS_BASE, inProcessRequester, inProcessServer } from '../support/in-process-fhir.ts';

export const AS_OF = '2026-11-25';

/** The diagnosis family each story is about: removed from the chart, then looked for. */
export const HIDDEN: Readonly<Partial<Record<ScenarioKey, { readonly label: string; readonly family: readonly Matcher[] }>>> = {
  'ckd-progression': { label: 'chronic kidney disease', family: [PROBLEM.ckd] },
  'new-onset-diabetes': { label: 'type 2 diabetes', family: [PROBLEM.diabetes] },
  'iron-deficiency-anaemia': { label: 'anaemia / iron deficiency', family: [PROBLEM.anaemia, { text: /iron.deficien/i, icd10: ['D50'] }] },
  'chest-pain-troponin': { label: 'NSTEMI', family: [PROBLEM.coronaryDisease, { text: /myocardial (?:infarction|injury)|nstemi/i }] },
  sepsis: { label: 'sepsis / urinary infection', family: [PROBLEM.uti, { codes: ['91302008'], icd10: ['A40', 'A41'], text: /sepsis|septic/i }] },
  'thiazide-hyponatraemia': { label: 'hyponatraemia', family: [{ codes: ['89627008'], icd10: ['E87.1'], text: /hyponat/i }] },
  'paediatric-asthma': { label: 'asthma', family: [PROBLEM.asthma] },
  'nonagenarian-polypharmacy': { label: 'falls', family: [PROBLEM.falls] },
  'large-history': { label: 'heart failure / AF / diabetes', family: [PROBLEM.heartFailure, PROBLEM.atrialFibrillation, PROBLEM.diabetes] },
  'undiagnosed-hypertension': { label: 'hypertension', family: [PROBLEM.hypertension] },
  'adrenal-insufficiency-pattern': { label: 'adrenal insufficiency', family: [{ codes: ['363732003'], icd10: ['E27'], text: /adrenal insufficien|addison/i }] },
  pregnancy: { label: 'pregnancy', family: [PROBLEM.pregnancy] },
  'myeloma-pattern': { label: 'multiple myeloma', family: [{ codes: ['109989006'], icd10: ['C90'], text: /myeloma/i }] },
};

export interface HiddenResult {
  readonly key: ScenarioKey;
  readonly label: string;
  /** Conditions taken out of the chart. */
  readonly removed: number;
  readonly earlySigns: readonly string[];
  readonly bySigns: boolean;
  readonly byDifferential: boolean;
  /** Rank in the differential (0-based), or -1. */
  readonly differentialRank: number;
  /** References the early signs cite that are not facts of this chart (must be none). */
  readonly unknownReferences: readonly string[];
}

export interface HiddenReport {
  readonly results: readonly HiddenResult[];
  readonly recall: { readonly either: number; readonly signs: number; readonly differential: number };
}

function codeMatches(family: readonly Matcher[], codes: ReadonlyArray<{ code?: string | null | undefined; display?: string | null | undefined }>, text: string): boolean {
  return family.some(
    (m) =>
      (m.text?.test(text) ?? false) ||
      codes.some((c) => {
        const code = c.code ?? '';
        return (m.codes?.includes(code) ?? false) || (m.icd10?.some((p) => code.toUpperCase().startsWith(p)) ?? false) || (c.display ? (m.text?.test(c.display) ?? false) : false);
      }),
  );
}

function isHidden(resource: Resource, family: readonly Matcher[]): boolean {
  if (resource.resourceType !== 'Condition') return false;
  const code = (resource as Condition).code;
  const coding = code?.coding ?? [];
  return codeMatches(family, coding, code?.text ?? coding[0]?.display ?? '');
}

export async function evaluateHiddenDiagnoses(): Promise<HiddenReport> {
  const cohort = generateCohort({ asOf: AS_OF });
  const server = await inProcessServer();
  await server.load([...cohort.practitioners, cohort.organization] as Resource[]);
  const removed = new Map<string, number>();
  for (const patient of cohort.patients) {
    const hidden = HIDDEN[patient.key as ScenarioKey];
    const kept = hidden ? patient.resources.filter((r) => !isHidden(r, hidden.family)) : patient.resources;
    removed.set(patient.key, patient.resources.length - kept.length);
    await server.load(kept);
  }
  const results: HiddenResult[] = [];
  for (const patient of cohort.patients) {
    const key = patient.key as ScenarioKey;
    const hidden = HIDDEN[key];
    if (!hidden) continue;
    const context: LaunchContext = {
      fhirBase: IN_PROCESS_BASE,
      patientId: patient.patientId,
      ...(patient.encounterId ? { encounterId: patient.encounterId } : {}),
      needPatientBanner: false,
      grantedScopes: APP_SCOPES,
    };
    const { chart } = await loadChart(inProcessRequester(server, patient.patientId, APP_SCOPES), context, { asOf: new Date(`${AS_OF}T20:00:00Z`) });
    const signs = detectEarlySigns(chart);
    const output = runReferenceEngine({ task: { kind: 'differential' }, case: buildCaseSummary(chart).summary }, { now: AS_OF });
    const bySigns = signs.some((s) => codeMatches(hidden.family, s.condition.codes, s.condition.display));
    const facts = new Set([
      ...chart.problems.map((p) => p.reference),
      ...chart.medications.map((m) => m.reference),
      ...chart.allergies.map((a) => a.reference),
      ...chart.textResults.map((t) => t.reference),
      ...chart.notes.map((n) => n.reference),
      ...Object.values(chart.series).flatMap((series) => series.points.map((p) => p.reference)),
      ...(chart.encounter ? [chart.encounter.reference] : []),
    ]);
    const differentialRank = output.differential.findIndex((d) => codeMatches(hidden.family, [{ code: d.snomed }, { code: d.icd10 }], d.condition));
    results.push({
      key,
      label: hidden.label,
      removed: removed.get(key) ?? 0,
      earlySigns: signs.map((s) => s.title),
      bySigns,
      // The differential counts when the hidden diagnosis is in its top five.
      byDifferential: differentialRank >= 0 && differentialRank < 5,
      differentialRank,
      unknownReferences: signs.flatMap((sign) => sign.references.filter((r) => !facts.has(r))),
    });
  }
  const share = (f: (r: HiddenResult) => boolean): number => (results.length ? results.filter(f).length / results.length : 0);
  return { results, recall: { either: share((r) => r.bySigns || r.byDifferential), signs: share((r) => r.bySigns), differential: share((r) => r.byDifferential) } };
}

export function formatHiddenReport(report: HiddenReport): string {
  const pct = (x: number): string => `${Math.round(x * 100)} %`;
  const yes = (b: boolean): string => (b ? 'yes' : 'no');
  const lines = [
    'Hidden-diagnosis evaluation (synthetic cohort, the story’s Conditions removed)',
    '',
    `${'scenario'.padEnd(28)} ${'hidden'.padEnd(30)} ${'removed'.padStart(7)}  ${'early signs'.padEnd(11)}  ${'differential'.padEnd(12)}  found`,
    ...report.results.map(
      (r) =>
        `${r.key.padEnd(28)} ${r.label.padEnd(30)} ${String(r.removed).padStart(7)}  ${yes(r.bySigns).padEnd(11)}  ${(r.differentialRank >= 0 ? `#${r.differentialRank + 1}` : 'no').padEnd(12)}  ${yes(r.bySigns || r.byDifferential)}`,
    ),
    '',
    `Recall: ${pct(report.recall.either)} overall (early signs or differential top 5), early signs alone ${pct(report.recall.signs)}, differential alone ${pct(report.recall.differential)} — ${report.results.length} scenarios`,
  ];
  return lines.join('\n');
}

/** The Synthea fixtures beside the checkout, and the gold file that says which Conditions to withhold. */
export const SYNTHEA_DIR = fileURLToPath(new URL('../../../shared/fixtures/synthea/', import.meta.url));
const SYNTHEA_GOLD = fileURLToPath(new URL('../../scripts/gold/synthea.json', import.meta.url));

export interface SyntheaResult {
  readonly id: string;
  readonly label: string;
  readonly bySigns: boolean;
  readonly differentialRank: number;
  readonly earlySigns: readonly string[];
}

/** A gold code matches itself, or every code it prefixes when it ends in `*` (`E11*`). */
function goldMatch(expected: readonly string[], code: string | null | undefined): boolean {
  if (!code) return false;
  return expected.some((e) => (e.endsWith('*') ? code.startsWith(e.slice(0, -1)) : e === code));
}

/**
 * The Synthea records whose withheld diagnosis their own data should point to (the shared gold
 * file, as `npm run evaluate` uses it), each read as of the day after its last encounter.
 * Undefined when the fixtures folder is absent.
 */
export async function evaluateSyntheaHidden(): Promise<readonly SyntheaResult[] | undefined> {
  if (!existsSync(SYNTHEA_DIR)) return undefined;
  const { server, set } = await bundleCases(SYNTHEA_DIR, SYNTHEA_GOLD);
  const results: SyntheaResult[] = [];
  for (const c of set.cases) {
    if (!c.expected.length) continue;
    const context: LaunchContext = { fhirBase: IN_PROCESS_BASE, patientId: c.patientId, ...(c.encounterId ? { encounterId: c.encounterId } : {}), needPatientBanner: false, grantedScopes: APP_SCOPES };
    const asOf = new Date(`${c.asOf ?? AS_OF}T20:00:00Z`);
    const fhir: FhirRequester = inProcessRequester(server, c.patientId, APP_SCOPES);
    const { chart } = await loadChart(fhir, context, { asOf });
    const signs = detectEarlySigns(chart);
    const output = runReferenceEngine({ task: { kind: 'differential' }, case: buildCaseSummary(chart, { now: asOf }).summary }, { now: asOf });
    results.push({
      id: c.id,
      label: c.label,
      bySigns: signs.some((s) => s.condition.codes.some((code) => goldMatch(c.expected, code.code))),
      differentialRank: output.differential.findIndex((d) => goldMatch(c.expected, d.snomed) || goldMatch(c.expected, d.icd10)),
      earlySigns: signs.map((s) => s.title),
    });
  }
  return results;
}

export function formatSyntheaReport(results: readonly SyntheaResult[] | undefined): string {
  if (!results) return 'Synthea fixtures: skipped (../shared/fixtures/synthea not found)';
  const found = results.filter((r) => r.bySigns || (r.differentialRank >= 0 && r.differentialRank < 5)).length;
  return [
    'Synthea fixtures (withheld Conditions from scripts/gold/synthea.json)',
    ...results.map((r) => `${r.id.slice(0, 28).padEnd(28)} ${r.label.padEnd(50)} early signs ${r.bySigns ? 'yes' : 'no '}  differential ${r.differentialRank >= 0 ? `#${r.differentialRank + 1}` : 'no'}`),
    `Recall: ${found}/${results.length} (early signs or differential top 5)`,
  ].join('\n');
}
