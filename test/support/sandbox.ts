import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, startSandbox, type Sandbox, type SandboxOptions } from '../../launch/sandbox/server.ts';

export const DIST_DIR = join(PROJECT_ROOT, 'dist');

/** A sandbox on free ports serving the built app; end-to-end tests need `vite build` first (npm test does it). */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  if (!existsSync(join(DIST_DIR, 'launch.html'))) {
    throw new Error('No built app in dist/. Run "npm run build" (npm test builds before the end-to-end suite).');
  }
  return startSandbox({ appDir: DIST_DIR, quiet: true, largePatientObservations: 2000, ...options });
}
