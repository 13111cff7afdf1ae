/**
 * npm run evaluate -- [--provider <key>[,<key>…] | all] [--cases built-in | <folder of FHIR bundles>]
 *                     [--gold <file>] [--out <dir>] [--limit N] [--as-of YYYY-MM-DD] [--origin <url>]
 *                     [--fresh] [--keep-state] [--publish]
 *
 * Runs each case through the production pipeline with each provider side by side and writes
 * `<out>/latest.json`, `<out>/report.html` (`<out>` is evaluation-results/ by default) and dated copies. Providers are the reference engine
 * (`reference-engine`) and the models in public/curbside.config.json by key. A `{issOrigin}` model
 * (the sandbox's model server) is reached at `--origin`, or at a sandbox started for the run.
 * Progress is saved after every case: rerunning the same command resumes (`--fresh` starts over;
 * `--keep-state` keeps the state file after a finished run instead of removing it).
 * `--publish` also writes public/evaluation/latest.json, which "About this AI" shows.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox, type Sandbox } from '../launch/sandbox/server.ts';
import { createAzureFoundryProvider, createOpenAICompatibleProvider, InsightError, type InsightProvider } from '../src/insight/index.ts';
import { createReferenceEngineProvider } from '../src/insight/reference-engine/index.ts';
import { parseRuntimeConfig, type ModelConfig } from '../src/smart/config.ts';
import { evaluateCase, renderReportHtml, ResumeState, summarise, type CaseResult, type EvaluationReport, type ProviderReport } from '../src/evaluation/index.ts';
import { APP_SCOPES, IN_PROCESS_BASE, inProcessRequester } from '../test/support/in-process-fhir.ts';
import { builtInCases, bundleCases } from './evaluate-cases.ts';

const ROOT = resolve(import.meta.dirname, '..');

const { values } = parseArgs({
  options: {
    provider: { type: 'string', default: 'all' },
    cases: { type: 'string', default: 'built-in' },
    gold: { type: 'string' },
    out: { type: 'string', default: 'evaluation-results' },
    limit: { type: 'string' },
    'as-of': { type: 'string', default: '2026-11-25' },
    origin: { type: 'string' },
    'large-observations': { type: 'string', default: '2000' },
    fresh: { type: 'boolean', default: false },
    'keep-state': { type: 'boolean', default: false },
    publish: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`evaluate: ${message}\n`);
  process.exit(2);
}

const config = parseRuntimeConfig(JSON.parse(readFileSync(join(ROOT, 'public/curbside.config.json'), 'utf8')));
const available: Record<string, ModelConfig> = { 'reference-engine': { kind: 'reference-engine' }, ...config.models };
const wanted =
  values.provider === 'all'
    ? Object.keys(available).filter((key, _, keys) => !(key !== 'reference-engine' && available[key]!.kind === 'reference-engine' && keys.includes('reference-engine')))
    : values.provider.split(',').map((k) => k.trim()).filter(Boolean);
for (const key of wanted) if (!available[key]) fail(`no provider "${key}"; known: ${Object.keys(available).join(', ')}`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(values['as-of'])) fail('--as-of takes a day, YYYY-MM-DD');
const limit = values.limit === undefined ? Infinity : Number(values.limit);
if (!(limit > 0)) fail('--limit takes a positive number');

const log = (line: string): void => {
  if (!values.quiet) process.stderr.write(`${line}\n`);
};

let sandbox: Sandbox | undefined;
async function originFor(): Promise<string> {
  if (values.origin) return values.origin.replace(/\/+$/, '');
  // The sandbox's model server is the reference engine behind the real HTTP path (streaming, schema).
  sandbox ??= await startSandbox({ quiet: true, loadSynthea: false, largePatientObservations: 0 });
  return sandbox.ehrOrigin;
}

async function providerFor(key: string): Promise<InsightProvider | undefined> {
  const model = available[key]!;
  switch (model.kind) {
    case 'reference-engine':
      return createReferenceEngineProvider();
    case 'openai-compatible': {
      const endpoint = model.endpoint.includes('{issOrigin}') ? model.endpoint.replace('{issOrigin}', await originFor()) : model.endpoint;
      return createOpenAICompatibleProvider({
        endpoint,
        model: model.model,
        name: model.name,
        version: model.version,
        ...(model.apiKey ? { apiKey: model.apiKey } : {}),
        ...(model.apiKeyHeader ? { apiKeyHeader: model.apiKeyHeader } : {}),
        ...(model.stream === false ? { stream: false } : {}),
        ...(model.timeoutMs ? { timeoutMs: model.timeoutMs } : {}),
      });
    }
    case 'azure-foundry': {
      // No browser to sign in with: an Entra ID access token for the service comes from the environment.
      const token = process.env.CURBSIDE_EVAL_AZURE_TOKEN;
      if (!token) {
        log(`skipping ${key}: set CURBSIDE_EVAL_AZURE_TOKEN to an Entra ID access token for ${model.endpoint}`);
        return undefined;
      }
      const tokenSource = { getToken: () => Promise.resolve(token), refresh: () => Promise.reject(new InsightError('unauthorized', 'The token from CURBSIDE_EVAL_AZURE_TOKEN was refused.')) };
      return createAzureFoundryProvider({
        endpoint: model.endpoint,
        model: model.model,
        tokenSource,
        ...(model.name ? { name: model.name } : {}),
        ...(model.version ? { version: model.version } : {}),
        ...(model.timeoutMs ? { timeoutMs: model.timeoutMs } : {}),
      });
    }
  }
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

const pct = (value: number | null): string => (value === null ? '   —  ' : `${(value * 100).toFixed(1).padStart(5)}%`);

function printFigures(report: EvaluationReport): void {
  const rows: Array<[string, (p: ProviderReport) => string]> = [
    ['cases (scored)', (p) => `${p.figures.cases} (${p.figures.scoredCases})`],
    ['top-1', (p) => pct(p.figures.top1)],
    ['top-3', (p) => pct(p.figures.top3)],
    ['top-10', (p) => pct(p.figures.top10)],
    ["can't-miss recall", (p) => `${pct(p.figures.cantMissRecall)} of ${p.figures.cantMissCases}`],
    ['grounding rate', (p) => pct(p.figures.groundingRate)],
    ['unverified citations', (p) => pct(p.figures.unverifiedCitationRate)],
    ['schema failures', (p) => pct(p.figures.schemaFailureRate)],
    ['latency p50 / p95', (p) => `${Math.round(p.figures.latencyMs.p50)} / ${Math.round(p.figures.latencyMs.p95)} ms`],
    ['tokens sent (mean)', (p) => String(p.figures.tokensSent.mean)],
  ];
  const width = 26;
  const lines = [`Case set: ${report.caseSet.name} — ${report.caseSet.description}`, ['', ...report.providers.map((p) => p.key)].map((c) => c.padEnd(width)).join('')];
  for (const [label, pick] of rows) lines.push([label, ...report.providers.map(pick)].map((c) => c.padEnd(width)).join(''));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const loaded = values.cases === 'built-in' ? await builtInCases(values['as-of'], Number(values['large-observations'])) : await bundleCases(resolve(values.cases), values.gold && resolve(values.gold));
  const cases = loaded.set.cases.slice(0, limit);
  const providers: Array<{ key: string; provider: InsightProvider }> = [];
  for (const key of wanted) {
    const provider = await providerFor(key);
    if (provider) providers.push({ key, provider });
  }
  if (providers.length === 0) fail('no provider could be set up');

  const outDir = resolve(values.out);
  mkdirSync(outDir, { recursive: true });
  const runKey = createHash('sha256')
    .update(JSON.stringify([loaded.set.name, values['as-of'], cases.map((c) => [c.id, c.expected]), providers.map((p) => [p.key, p.provider.identity])]))
    .digest('hex')
    .slice(0, 16);
  const statePath = join(outDir, `.state-${runKey}.json`);
  const state = ResumeState.from(!values.fresh && existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : undefined, runKey);
  if (state.size > 0) log(`resuming: ${state.size} results already in ${statePath}`);

  const total = cases.length * providers.length;
  let done = 0;
  const reports: ProviderReport[] = [];
  for (const { key, provider } of providers) {
    const results: CaseResult[] = [];
    for (const evalCase of cases) {
      done += 1;
      const saved = state.get(key, evalCase.id);
      const result =
        saved ??
        (await evaluateCase(evalCase, {
          fhir: inProcessRequester(loaded.server, evalCase.patientId, APP_SCOPES),
          fhirBase: IN_PROCESS_BASE,
          grantedScopes: APP_SCOPES,
          provider,
          providerKey: key,
          asOf: new Date(`${values['as-of']}T20:00:00Z`),
        }));
      if (!saved) {
        state.set(result);
        writeAtomically(statePath, JSON.stringify(state));
      }
      results.push(result);
      const outcome = result.error ? `error (${result.error.kind})` : result.expected.length === 0 ? 'not scored' : result.rank >= 0 ? `expected at #${result.rank + 1}` : 'expected missed';
      log(`[${done}/${total}] ${key} ${evalCase.id}: ${outcome}, ${Math.round(result.latencyMs)} ms${saved ? ' (resumed)' : ''}`);
    }
    reports.push({ key, identity: provider.identity, figures: summarise(results), cases: results });
  }

  const report: EvaluationReport = {
    schema: 'curbside-evaluation/1',
    generatedAt: new Date().toISOString(),
    caseSet: { name: loaded.set.name, description: loaded.set.description, cases: cases.length },
    providers: reports,
  };
  const stamp = report.generatedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const html = renderReportHtml(report);
  writeAtomically(join(outDir, `report-${loaded.set.name}-${stamp}.json`), json);
  writeAtomically(join(outDir, `report-${loaded.set.name}-${stamp}.html`), html);
  writeAtomically(join(outDir, 'latest.json'), json);
  writeAtomically(join(outDir, 'report.html'), html);
  if (values.publish) {
    mkdirSync(join(ROOT, 'public/evaluation'), { recursive: true });
    writeAtomically(join(ROOT, 'public/evaluation/latest.json'), json);
  }
  // Finished: the next run starts fresh rather than replaying these results.
  if (!values['keep-state']) rmSync(statePath, { force: true });
  printFigures(report);
  log(`wrote ${join(outDir, 'latest.json')} and ${join(outDir, 'report.html')}${values.publish ? ' and public/evaluation/latest.json' : ''}`);
}

try {
  await main();
} finally {
  await sandbox?.close();
}
