/**
 * `npm test`: builds the app, then runs every suite — unit and sandbox tests (node:test), the
 * end-to-end launch tests (node:test driving Chromium), and the component tests
 * (@web/test-runner) — and ends with one `N passed, N failed` line over all of them.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function run(label: string, command: string, args: string[]): Promise<{ code: number; output: string }> {
  console.log(`\n=== ${label} ===`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let output = '';
    const take = (chunk: Buffer, to: NodeJS.WriteStream): void => {
      output += chunk.toString();
      to.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => take(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => take(c, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function nodeCounts(output: string): Counts {
  const grab = (name: string): number =>
    [...output.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  return { passed: grab('pass'), failed: grab('fail') + grab('cancelled'), skipped: grab('skipped') };
}

function wtrCounts(output: string): Counts {
  const m = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) } : { passed: 0, failed: 0, skipped: 0 };
}

const only = process.argv.slice(2);
const want = (suite: string): boolean => only.length === 0 || only.includes(suite);
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
let broken = false;
const add = (c: Counts, code: number, label: string): void => {
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
  if (code !== 0 && c.failed === 0) {
    broken = true;
    console.error(`${label} exited with code ${code} without reporting a failed test.`);
  }
};

/** Node 20 has no fs.glob: list `*.test.ts` files under the given folders. */
function testFiles(...dirs: string[]): string[] {
  return dirs
    .flatMap((dir) => (readdirSync(dir, { recursive: true }) as string[]).map((f) => `${dir}/${f}`))
    // `*.browser.test.ts` run in Chromium with the component tests.
    .filter((f) => f.endsWith('.test.ts') && !f.endsWith('.browser.test.ts') && !f.includes('node_modules'))
    .sort();
}

const unitFiles = testFiles('src', 'launch', 'test/sandbox', 'test/admin');
const e2eFiles = testFiles('test/e2e');

if (want('unit')) {
  const r = await run('unit and sandbox tests', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...unitFiles]);
  add(nodeCounts(r.output), r.code, 'unit');
}
if (want('components')) {
  const r = await run('component tests (Chromium)', process.execPath, ['node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs']);
  add(wtrCounts(r.output), r.code, 'components');
}
if (want('e2e')) {
  const build = await run('build', process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
  if (build.code !== 0) {
    broken = true;
    console.error('The app build failed; end-to-end tests cannot run.');
  } else {
    const r = await run('end-to-end tests (Chromium, sandbox EHR)', process.execPath, [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-concurrency=1',
      ...e2eFiles,
    ]);
    add(nodeCounts(r.output), r.code, 'e2e');
  }
}

console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 || broken ? 1 : 0);
