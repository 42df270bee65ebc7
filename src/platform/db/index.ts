import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Logger } from 'pino';
import { openPglite } from './pglite.js';
import { isRetryable } from './pg-errors.js';
import { createFailoverPool, parseMultiHostUrl } from './multi-host.js';

export type Db = NodePgDatabase;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Repositories take either the database or a transaction handle (STYLE C7). */
export type Queryable = Db | Tx;

/** The raw pool, for hot paths that run named prepared statements without drizzle's query building. */
export type StatementRunner = Pick<pg.Pool, 'query'>;

export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** The node-postgres pool behind `db` (on PGlite, a pool of one in-process connection). */
  readonly pool: pg.Pool;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** PGlite only: its data directory as a gzipped tarball (backups, docs/operations.md). */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; snapshot?: Blob };

/**
 * Opens the configured database behind one interface: PostgreSQL through `pg`, or embedded PGlite
 * through its node-postgres adapter, so every module runs the same Drizzle code on both.
 * @param target - where the data lives
 * @param log - for pool errors
 * @returns the open database
 */
export async function openDatabase(target: DatabaseTarget, log?: Logger): Promise<Database> {
  if (target.kind === 'postgres') {
    const options = { max: target.poolSize ?? 20, idleTimeoutMillis: 30_000 };
    // Second site: `postgres://…@site-a,site-b/db` follows the writable server (docs/operations.md#second-site).
    const multi = parseMultiHostUrl(target.url);
    const pool = multi ? createFailoverPool(multi, options) : new pg.Pool({ connectionString: target.url, ...options });
    // An idle client error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', (err) => log?.error({ err }, 'database pool error'));
    return wrap(pool, 'postgres', async () => pool.end());
  }
  let dataDir: string | undefined;
  if (target.kind === 'pglite') {
    dataDir = resolve(target.dataDir, 'pg');
    await mkdir(resolve(target.dataDir), { recursive: true });
  }
  const { pool, close, pglite } = await openPglite(dataDir, target.kind === 'pglite-memory' ? target.snapshot : undefined);
  return { ...wrap(pool, 'pglite', close), dumpDataDir: () => pglite.dumpDataDir('gzip') };
}

function wrap(pool: pg.Pool, kind: Database['kind'], close: () => Promise<void>): Database {
  const db = drizzle({ client: pool });
  return {
    db,
    kind,
    pool,
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close,
  };
}

export interface TxOptions {
  isolationLevel?: 'read committed' | 'repeatable read' | 'serializable';
}

/**
 * Runs `fn` in one transaction, retrying once on a serialization failure or deadlock (STYLE C7).
 * Concurrency: `fn` must use only `tx`; on PGlite touching `db` inside would wait forever.
 * @param db - the database
 * @param fn - the unit of work
 * @param opts - isolation level
 * @returns what `fn` returns
 */
export async function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, opts: TxOptions = {}): Promise<T> {
  const attempt = async () => {
    let handle: Tx | undefined;
    try {
      return await db.transaction(
        (tx) => {
          handle = tx;
          return fn(tx);
        },
        opts.isolationLevel ? { isolationLevel: opts.isolationLevel } : undefined,
      );
    } catch (err) {
      if (handle) for (const listener of rollbackListeners) listener(handle);
      throw err;
    }
  };
  try {
    return await attempt();
  } catch (err) {
    if (!isRetryable(err)) throw err;
    return attempt();
  }
}

const rollbackListeners = new Set<(tx: Tx) => void>();

/**
 * Tells `listener` about every transaction of `withTransaction` that did not commit (the audit log
 * forgets the chain tail it remembered for that connection, src/platform/audit/audit-log.ts).
 * @param listener - called synchronously with the rolled-back transaction's handle
 */
export function onTransactionRollback(listener: (tx: Tx) => void): void {
  rollbackListeners.add(listener);
}

/**
 * Maps over items one at a time. Use it instead of Promise.all when `f` queries through a
 * transaction: its one connection runs one query at a time, and node-postgres deprecates queueing.
 * @returns the results in the items' order
 */
export async function mapInOrder<T, R>(items: readonly T[], f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await f(item));
  return out;
}
