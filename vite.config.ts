import { defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';
import { generateManifest, manifestElements } from './scripts/custom-elements.ts';
import { metaCsp } from './scripts/meta-csp.ts';

const root = resolve(import.meta.dirname, 'launch');

/**
 * `virtual:curbside-elements`: the elements of `custom-elements.json`, generated from the JSDoc
 * whenever the app is built, so the docs page never depends on an earlier `build:lib`.
 */
function customElementsManifest(): Plugin {
  const id = 'virtual:curbside-elements';
  let source = '';
  return {
    name: 'curbside-custom-elements',
    // Once per build or dev server, before bundling starts.
    configResolved() {
      source = `export default ${JSON.stringify(manifestElements(generateManifest('node_modules/.cache/curbside-elements')))};`;
    },
    resolveId: (requested) => (requested === id ? `\0${id}` : undefined),
    load: (loaded) => (loaded === `\0${id}` ? source : undefined),
  };
}

export default defineConfig({
  root,
  publicDir: resolve(import.meta.dirname, 'public'),
  plugins: [customElementsManifest(), metaCsp()],
  // fhirclient ships polyfills for old browsers; the EHR browsers Curbside supports don't need them.
  define: { FHIRCLIENT_PURE: 'true' },
  server: { host: '127.0.0.1', port: 4100, strictPort: true },
  preview: { host: '127.0.0.1', port: 4100, strictPort: true },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      input: {
        launch: resolve(root, 'launch.html'),
        index: resolve(root, 'index.html'),
        // Sign-in pages for Azure AI Foundry: loaded only by the sign-in popup, never by the sidebar.
        'msal-relay': resolve(root, 'msal-relay.html'),
        'msal-redirect': resolve(root, 'msal-redirect.html'),
        // For developers: the elements' API with live examples, and two embedding examples.
        docs: resolve(root, 'docs.html'),
        'examples/plain-data': resolve(root, 'examples/plain-data.html'),
        'examples/own-client': resolve(root, 'examples/own-client.html'),
      },
    },
  },
});
