import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the repository root: `vite build --config web/vite.config.ts`. Paths are anchored on this
// file so the command works from any working directory.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiServer = 'http://localhost:3000';

export default defineConfig({
  root: webRoot,
  plugins: [react()],
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
