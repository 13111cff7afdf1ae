import { defineConfig } from 'vite';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, 'launch');

export default defineConfig({
  root,
  publicDir: resolve(import.meta.dirname, 'public'),
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
      },
    },
  },
});
