/**
 * `npm run build:lib`: the elements as ES modules for other apps to bundle. One entry per
 * element so a host can import a single element; modules are kept as files so shared code is
 * loaded once whichever entries the host imports.
 */
import { defineConfig } from 'vite';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const here = import.meta.dirname;

/** `widgets/<name>/<name>.ts` is each element's module. */
const elementEntries = Object.fromEntries(
  readdirSync(resolve(here, 'widgets'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
    .map((entry) => [`widgets/${entry.name}/${entry.name}`, resolve(here, 'widgets', entry.name, `${entry.name}.ts`)]),
);

// Left to the host's bundler, so its copy is the only one on the page.
const PEERS = ['lit', '@lit/context', '@lit/task', 'marked', 'dompurify', 'fhirclient'];
const isPeer = (id: string): boolean => PEERS.some((name) => id === name || id.startsWith(`${name}/`));

export default defineConfig({
  publicDir: false,
  build: {
    outDir: resolve(here, 'dist-lib'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    minify: false,
    lib: {
      entry: { 'widgets/index': resolve(here, 'widgets/index.ts'), ...elementEntries },
      formats: ['es'],
    },
    rolldownOptions: {
      external: isPeer,
      output: {
        preserveModules: true,
        preserveModulesRoot: here,
        entryFileNames: '[name].js',
      },
    },
  },
});
