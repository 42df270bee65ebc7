import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../platform/config.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { fixedClock, type Clock } from '../platform/clock.js';
import { createTestDatabase } from '../platform/db/testing.js';
import { createDeps, type Deps, type DepsOverrides } from '../composition.js';
import { buildApp } from '../app.js';

export interface TestApp {
  app: FastifyInstance;
  /** The app's DATA_DIR (with DEV_MAIL_SINK, messages are in `outbox/`; see mail-sink.ts). */
  dataDir: string;
  deps: Deps;
  close(): Promise<void>;
}

/**
 * Builds the real app over a fresh test database and an injected clock, for `app.inject()` tests.
 * @param opts - clock and environment overrides, and a logger to read what the app logs
 * @returns the app, its dependencies and `close()`
 */
export async function createTestApp(opts: { clock?: Clock; env?: Record<string, string>; overrides?: Omit<DepsOverrides, 'database' | 'clock'>; log?: Logger } = {}): Promise<TestApp> {
  // Each test app gets its own data directory: master keys and exports never land in the work tree.
  const dataDir = await mkdtemp(join(tmpdir(), 'distansia-test-'));
  // Rate limits are raised: a test file signs in many times from one address (rate-limits.int.test.ts
  // sets its own low limits).
  const config = loadConfig({ LOG_LEVEL: 'silent', OUTBOX_WORKER: 'false', WEB_DIST_DIR: 'web/dist', DATA_DIR: dataDir, RATE_LIMIT_AUTH_MAX: '100000', RATE_LIMIT_ANONYMOUS_WRITE_MAX: '100000', ...opts.env });
  const database = await createTestDatabase();
  const deps = await createDeps(config, opts.log ?? createLogger(config.LOG_LEVEL), { ...opts.overrides, database, clock: opts.clock ?? fixedClock('2026-11-25T08:00:00Z') });
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    dataDir,
    deps,
    close: async () => {
      await app.close();
      await deps.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Builds the real app the way `distansia serve` does, over the database the environment names
 * (`DATABASE_URL`, or PGlite in `DATA_DIR`; migrated at start): for tests that bring their own database,
 * such as the second-site failover test and the restore journey.
 * @param env - DATABASE_URL (one host or several) or DATA_DIR, and e.g. KEY_DIR
 * @param opts - the clock
 * @returns the app; `close()` leaves the database in place
 */
export async function createTestAppAt(env: Record<string, string>, opts: { clock?: Clock } = {}): Promise<TestApp> {
  const ownDir = env.DATA_DIR ? undefined : await mkdtemp(join(tmpdir(), 'distansia-test-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', OUTBOX_WORKER: 'false', WEB_DIST_DIR: 'web/dist', RATE_LIMIT_AUTH_MAX: '100000', RATE_LIMIT_ANONYMOUS_WRITE_MAX: '100000', ...(ownDir ? { DATA_DIR: ownDir } : {}), ...env });
  const deps = await createDeps(config, createLogger(config.LOG_LEVEL), { clock: opts.clock ?? fixedClock('2026-11-25T08:00:00Z') });
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    dataDir: config.DATA_DIR,
    deps,
    close: async () => {
      await app.close();
      await deps.close();
      if (ownDir) await rm(ownDir, { recursive: true, force: true });
    },
  };
}
