import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the repository root: `vite build --config web/vite.config.ts`. Paths are anchored on this
// file so the command works from any working directory.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiServer = 'http://localhost:3000';
// Absolute, so React Router (a dependency resolving `react` from its own folder) gets the same module.
const preact = dirname(createRequire(import.meta.url).resolve('preact/package.json'));

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  // Performance: the production bundle runs on Preact's React-compatible layer (preact/compat, ≈ 15 kB)
  // instead of react-dom (≈ 200 kB): the first load must stay under 250 kB (bench/README.md, `bench/lcp.ts`).
  // The code is written and type-checked against React; unit tests render with React itself.
  resolve: {
    alias: [
      { find: /^react\/jsx-runtime$/, replacement: `${preact}/compat/jsx-runtime.mjs` },
      { find: /^react\/jsx-dev-runtime$/, replacement: `${preact}/compat/jsx-dev-runtime.mjs` },
      { find: /^react-dom\/client$/, replacement: `${preact}/compat/client.mjs` },
      { find: /^react-dom$/, replacement: `${preact}/compat/dist/compat.mjs` },
      { find: /^react$/, replacement: `${preact}/compat/dist/compat.mjs` },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // The SPA and the API share one origin in production (the server serves web/dist), so the dev
    // server forwards API and health calls to a locally running `npm run dev`.
    proxy: {
      '/api': { target: apiServer, changeOrigin: false },
      '/health': { target: apiServer, changeOrigin: false },
    },
  },
});
