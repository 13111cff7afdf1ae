/**
 * Streaming render cost: a 4,000-token markdown answer streamed into `<curbside-evidence>` vs
 * the same answer rendered once, in real Chromium. Main-thread time is CDP's TaskDuration.
 */
import { build } from 'vite';
import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import type { Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../../launch/sandbox/server.ts';
import { stat, type Stat } from './stats.ts';

export interface StreamingBenchRow {
  tokens: number;
  /** Main-thread time, ms: the whole stream rendered as it arrives, and the answer rendered once. */
  streamed: Stat;
  final: Stat;
  /** Main-thread time of the token arrival loop alone, with nothing rendered. */
  arrivalOnly: Stat;
  /** Streamed / one render, per run. */
  ratio: Stat;
  /** (streamed − arrival alone) / one render, per run: the work the view adds while streaming. */
  renderRatio: Stat;
  /** Longest task while streaming, per run; 0 when no task reached 50 ms (the long-task threshold). */
  longestTask: Stat;
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

export async function benchStreaming(browser: Browser, runs: number): Promise<StreamingBenchRow> {
  // Production build of the page, as clinicians get it (Lit's production mode, minified).
  const outDir = mkdtempSync(join(tmpdir(), 'curbside-stream-bench-'));
  await build({
    root: join(PROJECT_ROOT, 'test/bench'),
    configFile: false,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'es2022', rolldownOptions: { input: join(PROJECT_ROOT, 'test/bench/streaming-page.html') } },
  });
  const serve = sirv(outDir, { dev: false });
  const server = createHttpServer((req, res) => serve(req, res, () => void res.writeHead(404).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address() as AddressInfo;
  const tokens = sampleAnswer();
  const text = tokens.join('');
  const streamed: number[] = [];
  const finals: number[] = [];
  const arrivals: number[] = [];
  const longest: number[] = [];
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${address.port}/streaming-page.html`);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 60_000 });
    const session = await context.newCDPSession(page);
    await session.send('Performance.enable');
    // One warm-up of each, so both measure steady-state code.
    await page.evaluate(`window.benchFinal(${JSON.stringify(text)})`);
    await page.evaluate(`window.benchStream(${JSON.stringify(tokens)}, 4)`);
    for (let i = 0; i < runs; i++) {
      let before = await taskDuration(session);
      const s = (await page.evaluate(`window.benchStream(${JSON.stringify(tokens)}, 4)`)) as { longTasks: number[] };
      streamed.push((await taskDuration(session)) - before);
      before = await taskDuration(session);
      await page.evaluate(`window.benchFinal(${JSON.stringify(text)})`);
      finals.push((await taskDuration(session)) - before);
      before = await taskDuration(session);
      await page.evaluate(`window.benchArrivalOnly(${JSON.stringify(tokens)}, 4)`);
      arrivals.push((await taskDuration(session)) - before);
      // Long tasks only count while streaming: a one-shot render is the baseline, not the budget.
      longest.push(Math.max(0, ...s.longTasks));
    }
    await context.close();
  } finally {
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  return {
    tokens: tokens.length,
    streamed: stat(streamed),
    final: stat(finals),
    arrivalOnly: stat(arrivals),
    ratio: stat(
      streamed.map((ms, i) => ms / finals[i]!),
      1,
    ),
    renderRatio: stat(
      streamed.map((ms, i) => (ms - arrivals[i]!) / finals[i]!),
      1,
    ),
    longestTask: stat(longest),
  };
}
