/**
 * Where evaluation cases come from, each loaded into an in-process copy of the sandbox's FHIR
 * engine and read back with the app's own scopes: the sandbox's synthetic cohort with its scenario
 * labels, or a folder of FHIR R4 patient bundles with a gold file.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Bundle, Condition, Encounter, Resource } from 'fhir/r4';
import { generateCohort, SCENARIO_FACTS, type ScenarioKey } from '../launch/sandbox/cohort/index.ts';
import { CONDITION } from '../launch/sandbox/cohort/terminology.ts';
import type { FhirServer } from '../launch/sandbox/fhir/index.ts';
import { parseGold, type GoldFile } from '../src/evaluation/gold.ts';
import type { CaseSet, EvaluationCase } from '../src/evaluation/types.ts';
import { inProcessServer } from '../test/support/in-process-fhir.ts';

export interface LoadedCases {
  readonly set: CaseSet;
  readonly server: FhirServer;
}

/** Diagnoses that kill when missed; a scenario holding one scores for can't-miss recall. */
const CANT_MISS: ReadonlySet<ScenarioKey> = new Set(['chest-pain-troponin', 'sepsis', 'adrenal-insufficiency-pattern']);

/** The ICD-10-CM code the cohort's terminology pairs with a SNOMED CT code, so either counts. */
function withIcd10(snomed: readonly string[]): string[] {
  const icd = Object.values(CONDITION)
    .filter((c) => snomed.includes(c.snomed.code))
    .map((c) => c.icd10.code);
  return [...snomed, ...icd];
}

/**
 * The sandbox cohort. Each scenario's label is its deliberately undiagnosed condition
 * (`SCENARIO_FACTS.undiagnosed`); scenarios without one count for grounding, schema and latency only.
 */
export async function builtInCases(asOf: string, largePatientObservations: number): Promise<LoadedCases> {
  const cohort = generateCohort({ asOf, largePatientObservations });
  const server = await inProcessServer();
  await server.load([...cohort.practitioners, cohort.organization] as Resource[]);
  const cases: EvaluationCase[] = [];
  for (const patient of cohort.patients) {
    await server.load(patient.resources);
    const key = patient.key as ScenarioKey;
    const facts = SCENARIO_FACTS[key];
    const expected = withIcd10(facts.undiagnosed);
    cases.push({
      id: key,
      label: facts.undiagnosed.length ? `undiagnosed ${facts.undiagnosed.map((code) => Object.values(CONDITION).find((c) => c.snomed.code === code)?.snomed.display ?? code).join(', ')}` : 'nothing undiagnosed',
      patientId: patient.patientId,
      ...(patient.encounterId ? { encounterId: patient.encounterId } : {}),
      expected,
      ...(CANT_MISS.has(key) ? { cantMiss: expected } : {}),
    });
  }
  return {
    server,
    set: { name: 'built-in', description: `the sandbox's ${cases.length} synthetic scenarios as of ${asOf}, labelled by their deliberately undiagnosed condition`, cases },
  };
}

function conditionCodes(condition: Condition): string[] {
  return (condition.code?.coding ?? []).map((c) => c.code).filter((c): c is string => Boolean(c));
}

/** The day after the record's latest encounter, so look-back windows see a record that ended long ago. */
async function asOfFor(server: FhirServer, patientId: string): Promise<{ asOf?: string; encounterId?: string }> {
  const [latest] = await server.searchUnchecked<Encounter>('Encounter', `patient=${patientId}&_sort=-date&_count=1`);
  const end = latest?.period?.end ?? latest?.period?.start;
  if (!end) return {};
  const day = new Date(new Date(end).getTime() + 86_400_000).toISOString().slice(0, 10);
  return { asOf: day, ...(latest?.id ? { encounterId: latest.id } : {}) };
}

/**
 * Every bundle the gold file lists (or, without one, every `.json` bundle in the folder, scored for
 * grounding only), with the gold's withheld Conditions taken out before loading.
 */
export async function bundleCases(dir: string, goldPath: string | undefined): Promise<LoadedCases> {
  const goldFile = goldPath ?? (existsSync(join(dir, 'gold.json')) ? join(dir, 'gold.json') : undefined);
  const gold: GoldFile = goldFile
    ? parseGold(JSON.parse(readFileSync(goldFile, 'utf8')))
    : {
        description: 'no gold file: grounding, schema and latency only',
        cases: readdirSync(dir)
          .filter((f) => f.endsWith('.json') && f !== 'gold.json')
          .sort()
          .map((file) => ({ file, label: file, expected: [], withhold: [], cantMiss: [] })),
      };
  const server = await inProcessServer();
  const cases: EvaluationCase[] = [];
  for (const entry of gold.cases) {
    const bundle = JSON.parse(readFileSync(join(dir, entry.file), 'utf8')) as Bundle;
    const kept = (bundle.entry ?? []).filter((e) => e.resource?.resourceType !== 'Condition' || !conditionCodes(e.resource as Condition).some((code) => entry.withhold.includes(code)));
    const { patientIds } = await server.loadTransaction({ ...bundle, entry: kept });
    const patientId = patientIds[0];
    if (!patientId) throw new Error(`${entry.file} holds no Patient.`);
    const { asOf, encounterId } = await asOfFor(server, patientId);
    cases.push({
      id: basename(entry.file, '.json'),
      label: entry.label,
      patientId,
      ...(encounterId ? { encounterId } : {}),
      expected: entry.expected,
      ...(entry.cantMiss.length ? { cantMiss: entry.cantMiss } : {}),
      ...(asOf ? { asOf } : {}),
    });
  }
  return { server, set: { name: basename(dir), description: gold.description || `${cases.length} FHIR R4 bundles from ${basename(dir)}`, cases } };
}
