import { defineConfig } from 'vitest/config';

// Separate projects so the pyramid stays visible (STYLE C16): fast pure tests, integration tests
// against real SQL (PGlite in memory, or PostgreSQL when DATABASE_URL is set), and browser journeys.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', '**/*.pg.test.ts', 'node_modules/**'],
          environment: 'node',
          // The app loads the features' strings lazily; component tests get the whole catalogue up front.
          setupFiles: ['web/src/i18n/test-setup.ts'],
          retry: 0,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['src/**/*.int.test.ts', 'src/**/*.pg.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          retry: 0,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          // Prints the error of an attempt that its retry then hides.
          setupFiles: ['e2e/support/report-attempts.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          retry: 1,
        },
      },
    ],
  },
});
