import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startServer as start } from '../../src/main.js';
import type { Deps, DepsOverrides } from '../../src/composition.js';

export interface E2eServer {
  baseUrl: string;
  /** The server's DATA_DIR; with DEV_MAIL_SINK its messages are in `outbox/` (see support/outbox.ts). */
  dataDir: string;
  deps: Deps;
  close(): Promise<void>;
}

/**
 * Starts the real platform on an ephemeral port with a fresh database (embedded PGlite in a temporary
 * directory, or a fresh PostgreSQL database when DATABASE_URL is set), serving the built SPA.
 * @param opts - extra environment and a hook that runs before listening (seeding)
 * @returns the base URL and `close()`
 */
export async function startServer(opts: { env?: Record<string, string>; seed?: (deps: Deps) => Promise<void>; overrides?: Omit<DepsOverrides, 'database'> } = {}): Promise<E2eServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'distansia-e2e-'));
  let dbUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const { createTestDatabase, testDatabaseUrl } = await import('../../src/platform/db/testing.js');
    const database = await createTestDatabase();
    dbUrl = testDatabaseUrl(database);
    await database.pool.end();
    dropDb = async () => {
      const pg = await import('pg');
      const admin = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${new URL(dbUrl ?? '').pathname.slice(1)} WITH (FORCE)`);
      await admin.end();
    };
  }
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // A journey signs in several times from one address; the limits have their own integration test.
    RATE_LIMIT_AUTH_MAX: '10000',
    RATE_LIMIT_ANONYMOUS_WRITE_MAX: '10000',
    ...(dbUrl ? { DATABASE_URL: dbUrl } : {}),
    ...opts.env,
  });
  const server = await start(config, createLogger(config.LOG_LEVEL), opts.seed, opts.overrides);
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    deps: server.deps,
    close: async () => {
      await server.close();
      await dropDb?.();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
