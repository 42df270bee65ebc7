import type { Logger } from 'pino';
import type { Config } from './platform/config.js';
import { systemClock, type Clock } from './platform/clock.js';
import { systemIds, type IdGen } from './platform/ids.js';
import { openDatabase, type Database, type DatabaseTarget } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { createOutbox, type Outbox } from './platform/outbox/outbox.js';
import { createOpsService } from './modules/ops/index.js';

export interface DepsOverrides {
  clock?: Clock;
  ids?: IdGen;
  /** A database opened by the caller (tests); it is not closed by `close()`. */
  database?: Database;
}

/**
 * The composition root: the only place that wires the database, clock, audit and services (STYLE C6).
 * @param config - parsed configuration
 * @param log - the process logger
 * @param overrides - test doubles
 * @returns every dependency the app needs, and `close()`
 */
export async function createDeps(config: Config, log: Logger, overrides: DepsOverrides = {}) {
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? systemIds;
  const target: DatabaseTarget = config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL.reveal() } : { kind: 'pglite', dataDir: config.DATA_DIR };
  const database = overrides.database ?? (await openDatabase(target, log));
  if (config.MIGRATE_ON_START && !overrides.database) {
    const applied = await migrate(database.pool);
    if (applied.length > 0) log.info({ applied }, 'migrations applied');
  }
  const db = database.db;
  const outbox: Outbox = createOutbox({ db, clock, ids, log });

  const ops = createOpsService({ database });

  return {
    config,
    log,
    clock,
    ids,
    database,
    db,
    outbox,
    ops,
    async close() {
      await outbox.stop();
      if (!overrides.database) await database.close();
    },
  };
}

export type Deps = Awaited<ReturnType<typeof createDeps>>;
