/**
 * Streaming render cost: a 4,000-token markdown answer streamed over HTTP by a model server
 * (one SSE event per token), through the app's chat-completions provider and model-stream worker,
 * into `<curbside-evidence>`, vs the same answer rendered once, in real Chromium. The same stream
 * read on the page's main thread is measured beside it. Main-thread time is CDP's TaskDuration.
 */
import { build } from 'vite';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import type { Browser } from 'playwright-core';
import { wireOutput } from '../msw/insight-fixtures.ts';
import { PROJECT_ROOT } from '../../launch/sandbox/server.ts';
import { median, stat, type Stat } from './stats.ts';
import type { StreamRun } from './streaming-page.ts';

export interface StreamingBenchRow {
  tokens: number;
  /** Tokens a second the bench's model server streams at. */
  tokensPerSecond: number;
  /** Main-thread time, ms: the answer streamed through the app's provider and rendered as it arrives … */
  streamed: Stat;
  /** … the same with the request made on the page's main thread instead of the model-stream worker (first rate only) … */
  streamedOnPage: Stat | undefined;
  /** … and the finished answer rendered once … */
  final: Stat;
  /** … and the element waiting for its first words as long as the stream lasts (its spinner turning), nothing arriving. */
  waiting: Stat;
  /** waiting / one render, per run: what the spinner would cost if it turned for the whole answer. */
  waitingRatio: Stat;
  /** streamed / one render, per run. */
  ratio: Stat;
  /** streamedOnPage / one render, per run. */
  ratioOnPage: Stat | undefined;
  /**
   * The same number of renders as the worker's batches, given to the element directly (no
   * network) over the stream's duration and over the fast stream's 4 s (slow rate only): what
   * the renders cost depending on how long they are spread over.
   */
  replayed: { readonly updates: number; readonly overStream: Stat; readonly overFast: Stat; readonly fastMs: number } | undefined;
  /** Longest task while streaming through the worker, per run; 0 when no task reached 50 ms (the long-task threshold). */
  longestTask: Stat;
  /** Reads of the answer stream that carried text on the main thread: through the worker, and on the page. */
  deliveries: Stat;
  deliveriesOnPage: Stat | undefined;
}

/** About 4,000 tokens of the markdown a model writes: headings, lists, emphasis, code, a table. */
export function sampleAnswer(targetTokens = 4000): string[] {
  const tokens: string[] = [];
  const words = 'eGFR decline over three years meets the KDIGO definition of progression; metformin should be reduced below 45 and stopped below 30 while SGLT2 inhibitors keep renal benefit'.split(' ');
  let n = 0;
  while (tokens.length < targetTokens) {
    n += 1;
    tokens.push(`\n\n### Point ${n}\n\n`);
    for (let i = 0; i < 40; i++) tokens.push(`${i % 13 === 0 ? '**' : ''}${words[(n + i) % words.length]}${i % 13 === 0 ? '**' : ''} `);
    tokens.push('\n\n- first consideration ', 'with `code` ', 'and [a source](https://doi.org/10.1016/j.kint.2023.10.018)\n', '- second consideration\n');
    if (n % 5 === 0) tokens.push('\n\n| test | value |\n', '|---|---|\n', '| eGFR | 28 |\n', '| K | 5.4 |\n');
  }
  return tokens.slice(0, targetTokens);
}

async function taskDuration(session: { send(method: 'Performance.getMetrics'): Promise<{ metrics: Array<{ name: string; value: number }> }> }): Promise<number> {
  const { metrics } = await session.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
}

/** The answer on the wire: a schema-valid model output whose summary is the markdown, in one delta per token. */
function answerDeltas(tokens: readonly string[]): string[] {
  const marker = '\u0000SUMMARY\u0000';
  const whole = JSON.stringify({ ...wireOutput(), summary: marker });
  const [before, after] = whole.split(JSON.stringify(marker));
  return [`${before}"`, ...tokens.map((t) => JSON.stringify(t).slice(1, -1)), `"${after}`];
}

/**
 * A model server streaming chat-completion chunks as Azure OpenAI does (one SSE event per token,
 * then the finish reason, the usage and [DONE]), `tokensPerSecond` of them a second.
 */
function streamCompletion(res: ServerResponse, deltas: readonly string[], tokensPerSecond: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (body: unknown): string => `data: ${JSON.stringify(body)}\n\n`;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    event({ id: 'bench', object: 'chat.completion.chunk', model: 'bench', choices: [{ index: 0, delta, finish_reason: finish }] });
  res.write(chunk({ role: 'assistant', content: '' }));
  const started = performance.now();
  let sent = 0;
  const tick = (): void => {
    if (res.destroyed) return;
    const due = Math.min(deltas.length, Math.floor(((performance.now() - started) * tokensPerSecond) / 1000) + 1);
    // One write per token, as a model server flushes each; several may share a packet.
    for (; sent < due; sent++) res.write(chunk({ content: deltas[sent] }));
    if (sent < deltas.length) {
      setTimeout(tick, 1);
      return;
    }
    res.write(chunk({}, 'stop'));
    res.write(event({ id: 'bench', object: 'chat.completion.chunk', model: 'bench', choices: [], usage: { prompt_tokens: 1000, completion_tokens: deltas.length, total_tokens: 1000 + deltas.length } }));
    res.end('data: [DONE]\n\n');
  };
  tick();
}

/**
 * The rates measured: a fast model (as many runs as asked) and a typical one (at most three
 * runs; each streams for 40 s, twice). The request made on the page is measured at the first.
 */
export const STREAM_RATES: ReadonlyArray<{ readonly tokensPerSecond: number; readonly maxRuns: number; readonly onPage: boolean; readonly replay: boolean }> = [
  { tokensPerSecond: 1000, maxRuns: Infinity, onPage: true, replay: false },
  { tokensPerSecond: 100, maxRuns: 3, onPage: false, replay: true },
];

/** One-shot renders measured per run; the run's baseline is their median. */
const FINAL_RENDERS_PER_RUN = 3;

export async function benchStreaming(browser: Browser, runs: number): Promise<StreamingBenchRow[]> {
  // Production build of the page, as clinicians get it (Lit's production mode, minified, the worker a file of its own).
  const outDir = mkdtempSync(join(tmpdir(), 'curbside-stream-bench-'));
  await build({
    root: join(PROJECT_ROOT, 'test/bench'),
    configFile: false,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'es2022', rolldownOptions: { input: join(PROJECT_ROOT, 'test/bench/streaming-page.html') } },
  });
  const tokens = sampleAnswer();
  const deltas = answerDeltas(tokens);
  const text = tokens.join('');
  const serve = sirv(outDir, { dev: false });
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://bench');
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
      req.resume();
      req.on('end', () => streamCompletion(res, deltas, Number(url.searchParams.get('rate'))));
      return;
    }
    serve(req, res, () => void res.writeHead(404).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address() as AddressInfo;
  const rows: StreamingBenchRow[] = [];
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${address.port}/streaming-page.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
    await page.evaluate(`window.benchSetAnswer(${JSON.stringify(text)})`);
    const session = await context.newCDPSession(page);
    await session.send('Performance.enable');
    const mainThread = async (work: () => Promise<unknown>): Promise<number> => {
      const before = await taskDuration(session);
      await work();
      return (await taskDuration(session)) - before;
    };
    for (const { tokensPerSecond, maxRuns, onPage, replay } of STREAM_RATES) {
      const endpoint = `http://127.0.0.1:${address.port}/v1/chat/completions?rate=${tokensPerSecond}`;
      const stream = async (transport: 'worker' | 'page'): Promise<StreamRun> => {
        const run = (await page.evaluate(`window.benchModelStream(${JSON.stringify(endpoint)}, ${JSON.stringify(transport)})`)) as StreamRun;
        if (run.error) throw new Error(`streaming through the ${transport} failed: ${run.error}`);
        if (run.textLength !== text.length) throw new Error(`streaming through the ${transport} rendered ${run.textLength} characters of ${text.length}`);
        if (transport === 'worker' && run.transport !== 'worker') throw new Error(`the model-stream worker did not run (${run.transport})`);
        // Chromium has shared workers, which the sidebar prefers; a dedicated one here would measure a path it doesn't take.
        if (transport === 'worker' && run.workerKind !== 'shared') throw new Error(`the model-stream worker ran as a ${run.workerKind} worker, not a shared one`);
        return run;
      };
      const streamMs = (deltas.length / tokensPerSecond) * 1000;
      const fastMs = (deltas.length / STREAM_RATES[0]!.tokensPerSecond) * 1000;
      const samples = { streamed: [] as number[], onPage: [] as number[], finals: [] as number[], waiting: [] as number[], longest: [] as number[], deliveries: [] as number[], deliveriesOnPage: [] as number[], replayUpdates: [] as number[], replayOverStream: [] as number[], replayOverFast: [] as number[] };
      // One warm-up of each at the first rate, so all measure steady-state code (and the worker has started).
      if (rows.length === 0) {
        await page.evaluate('window.benchFinal()');
        await stream('worker');
        await stream('page');
      }
      for (let i = 0; i < Math.min(runs, maxRuns); i++) {
        let run: StreamRun | undefined;
        samples.streamed.push(await mainThread(async () => (run = await stream('worker'))));
        samples.deliveries.push(run!.deliveries);
        // Long tasks only count while streaming: a one-shot render is the baseline, not the budget.
        samples.longest.push(Math.max(0, ...run!.longTasks));
        // The baseline is one render of tens of milliseconds, noisier than a stream of seconds: each run's is the median of three.
        const finals: number[] = [];
        for (let j = 0; j < FINAL_RENDERS_PER_RUN; j++) finals.push(await mainThread(() => page.evaluate('window.benchFinal()')));
        samples.finals.push(median(finals));
        samples.waiting.push(await mainThread(() => page.evaluate(`window.benchWaiting(${Math.round(streamMs)})`)));
        if (replay) {
          const updates = run!.deliveries;
          samples.replayUpdates.push(updates);
          samples.replayOverStream.push(await mainThread(() => page.evaluate(`window.benchReplay(${updates}, ${Math.round(streamMs)})`)));
          samples.replayOverFast.push(await mainThread(() => page.evaluate(`window.benchReplay(${updates}, ${Math.round(fastMs)})`)));
        }
        if (onPage) {
          samples.onPage.push(await mainThread(async () => (run = await stream('page'))));
          samples.deliveriesOnPage.push(run!.deliveries);
        }
      }
      const over = (values: readonly number[]): Stat => stat(values.map((ms, i) => ms / samples.finals[i]!), 1);
      rows.push({
        tokens: tokens.length,
        tokensPerSecond,
        streamed: stat(samples.streamed),
        streamedOnPage: onPage ? stat(samples.onPage) : undefined,
        final: stat(samples.finals),
        waiting: stat(samples.waiting),
        ratio: over(samples.streamed),
        ratioOnPage: onPage ? over(samples.onPage) : undefined,
        waitingRatio: over(samples.waiting),
        longestTask: stat(samples.longest),
        deliveries: stat(samples.deliveries),
        deliveriesOnPage: onPage ? stat(samples.deliveriesOnPage) : undefined,
        replayed: replay ? { updates: median(samples.replayUpdates), overStream: stat(samples.replayOverStream), overFast: stat(samples.replayOverFast), fastMs } : undefined,
      });
    }
    await context.close();
  } finally {
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return rows;
}
