import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defaultReporter } from '@web/test-runner';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { summaryLineReporter } from './test/wtr-summary-reporter.mjs';

const require = createRequire(import.meta.url);
const mswWorkerPath = require.resolve('msw/mockServiceWorker.js');
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

/** msw's browser worker must be served from the site root to control the test page. */
function mswWorkerMiddleware(context, next) {
  if (context.path !== '/mockServiceWorker.js') return next();
  return readFile(mswWorkerPath, 'utf8').then((body) => {
    context.type = 'application/javascript';
    context.body = body;
  });
}

/**
 * A slow streamed body for the model-stream worker's tests: `n` small chunks `gap` ms apart
 * (`/__stream?n=…&gap=…&status=…`), each `chunk <i>\n` as text/plain, or with `sse=1` each a
 * chat-completion chunk carrying `t<i> ` as an event stream ending in [DONE]; a status other than
 * 200 answers at once with a JSON error body and a `retry-after` header.
 */
function slowStreamMiddleware(context, next) {
  if (context.path !== '/__stream') return next();
  const n = Number(context.query.n ?? 10);
  const gap = Number(context.query.gap ?? 5);
  const status = Number(context.query.status ?? 200);
  const res = context.res;
  context.respond = false;
  if (status !== 200) {
    res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '7' });
    res.end(JSON.stringify({ error: { code: 'busy' } }));
    return Promise.resolve();
  }
  const sse = context.query.sse === '1';
  res.writeHead(200, { 'content-type': sse ? 'text/event-stream' : 'text/plain', 'cache-control': 'no-cache' });
  return (async () => {
    for (let i = 0; i < n && !res.destroyed; i++) {
      res.write(sse ? `data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content: `t${i} ` }, finish_reason: null }] })}\n\n` : `chunk ${i}\n`);
      await new Promise((resolve) => setTimeout(resolve, gap));
    }
    res.end(sse ? 'data: [DONE]\n\n' : undefined);
  })();
}

export default {
  files: ['widgets/**/*.test.ts', 'launch/**/*.browser.test.ts'],
  // The development export condition loads Lit's dev build, whose warnings the tests turn into failures.
  nodeResolve: { exportConditions: ['development'] },
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsconfig, target: 'es2022' })],
  middleware: [mswWorkerMiddleware, slowStreamMiddleware],
  browsers: [
    playwrightLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1', '--log-level=3'],
      },
    }),
  ],
  testFramework: {
    config: { ui: 'bdd', timeout: 5000 },
  },
  testsFinishTimeout: 120_000,
  reporters: [defaultReporter(), summaryLineReporter()],
};
