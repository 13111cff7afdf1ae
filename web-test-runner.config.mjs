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

export default {
  files: ['widgets/**/*.test.ts'],
  // The development export condition loads Lit's dev build, whose warnings the tests turn into failures.
  nodeResolve: { exportConditions: ['development'] },
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, tsconfig, target: 'es2022' })],
  middleware: [mswWorkerMiddleware],
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
