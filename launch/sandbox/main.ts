/**
 * `npm start`: the sandbox EHR with Curbside registered and served beside it.
 *   --app-dir <dir>   serve a built app (default when started by `npm start`: dist)
 *   --app-origin <o>  the app is served elsewhere (e.g. `npm run dev`'s Vite server)
 *   --ehr-port <n>    default 4000;  --app-port <n> default 4100
 *   --latency <ms>    added latency per FHIR request
 *   --fail <Type>=<status>  a resource type that always fails (repeatable)
 *   --token-lifetime <s>    access token lifetime
 *   --write-profile <p>     how the EHR accepts a note: standard (default), epic or oracle
 *   --no-synthea      skip the Synthea fixtures
 *   --quiet           no request log
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { PROJECT_ROOT, startSandbox } from './server.ts';
import { WRITE_PROFILES, isWriteProfile } from './write-profiles.ts';

const { values } = parseArgs({
  options: {
    'app-dir': { type: 'string' },
    'app-origin': { type: 'string' },
    'ehr-port': { type: 'string', default: process.env.CURBSIDE_EHR_PORT ?? '4000' },
    'app-port': { type: 'string', default: process.env.CURBSIDE_APP_PORT ?? '4100' },
    latency: { type: 'string', default: '0' },
    fail: { type: 'string', multiple: true, default: [] },
    'token-lifetime': { type: 'string', default: '3600' },
    'write-profile': { type: 'string', default: 'standard' },
    'no-synthea': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const appDir = values['app-dir'] ? resolve(PROJECT_ROOT, values['app-dir']) : undefined;
if (appDir && !existsSync(resolve(appDir, 'launch.html'))) {
  console.error(`No built app in ${appDir}. Run "npm run build" first (npm start does this for you).`);
  process.exit(1);
}
const failTypes: Record<string, number> = {};
for (const spec of values.fail) {
  const [type, status] = spec.split('=');
  if (!type || !status || !/^\d{3}$/.test(status)) {
    console.error(`--fail expects Type=status, e.g. --fail Observation=403 (got "${spec}")`);
    process.exit(1);
  }
  failTypes[type] = Number(status);
}

const writeProfile = values['write-profile'];
if (!isWriteProfile(writeProfile)) {
  console.error(`--write-profile expects one of ${WRITE_PROFILES.join(', ')} (got "${writeProfile}")`);
  process.exit(1);
}

const started = performance.now();
const sandbox = await startSandbox({
  ehrPort: Number(values['ehr-port']),
  appPort: Number(values['app-port']),
  ...(appDir ? { appDir } : {}),
  ...(values['app-origin'] ? { appOrigin: values['app-origin'] } : {}),
  loadSynthea: !values['no-synthea'],
  quiet: values.quiet,
  settings: { latencyMs: Number(values.latency), failTypes, tokenLifetimeSeconds: Number(values['token-lifetime']), writeProfile },
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`
Curbside sandbox EHR is running (${sandbox.patients.length} patients loaded in ${seconds} s).

  EHR shell (open this):  ${sandbox.ehrOrigin}/
  FHIR base (iss):        ${sandbox.fhirBase}
  Write profile:          ${sandbox.settings.writeProfile}
  Curbside app:           ${sandbox.appOrigin}/launch.html
  Standalone launch:      ${sandbox.launchUri}?iss=${encodeURIComponent(sandbox.fhirBase)}

Press Ctrl+C to stop.
`);

const stop = async (): Promise<void> => {
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
