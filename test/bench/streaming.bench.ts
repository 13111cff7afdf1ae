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
import { median } from './chart.bench.ts';

export interface StreamingBenchRow {
  tokens: number;
  runs: number;
  streamedMs: number;
  finalMs: number;
  /** Main-thread time of the token arrival loop alone, with nothing rendered. */
  arrivalOnlyMs: number;
  ratio: number;
  /** (streamed − arrival alone) / one render: the work the view adds while streaming. */
  renderRatio: number;
  longestTaskMs: number | '< 50';
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
  let longestTask = 0;
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
      longestTask = Math.max(longestTask, ...s.longTasks);
    }
    await context.close();
  } finally {
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
  const streamedMs = median(streamed);
  const finalMs = median(finals);
  return {
    tokens: tokens.length,
    runs,
    streamedMs: Math.round(streamedMs),
    finalMs: Math.round(finalMs),
    arrivalOnlyMs: Math.round(median(arrivals)),
    ratio: Math.round((streamedMs / finalMs) * 10) / 10,
    renderRatio: Math.round(((streamedMs - median(arrivals)) / finalMs) * 10) / 10,
    longestTaskMs: longestTask > 0 ? Math.round(longestTask) : '< 50',
  };
}
