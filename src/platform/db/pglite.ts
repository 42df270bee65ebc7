import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

/**
 * Starts embedded PostgreSQL (PGlite) and exposes it as a node-postgres pool of one connection.
 * @param dataDir - directory for the files, or undefined for memory
 * @param snapshot - a data directory dump to start from (tests: skips initdb and migrations)
 * @returns the pool and a close function that also shuts PGlite down
 */
export async function openPglite(dataDir: string | undefined, snapshot?: Blob): Promise<{ pool: pg.Pool; close: () => Promise<void>; pglite: PGlite }> {
  const pglite = await PGlite.create({
    dataDir: dataDir ?? 'memory://',
    // pg_trgm: ICD-10 search as you type (migrations/0010_records.sql).
    extensions: { btree_gist, pg_trgm },
    ...(snapshot ? { loadDataDir: snapshot } : {}),
  });
  const config = createPgConfig(pglite);
  // Tricky: pg passes a query's `types` (drizzle sends a TypeOverrides object for its parsers) to the
  // connection's parse(); PGlite's serializer expects an array of parameter oids and throws on anything
  // else, which broke every parameterised drizzle query on PGlite. Parameter types are not used here.
  const parse = config.connection.parse.bind(config.connection);
  config.connection.parse = (query: Parameters<typeof parse>[0]) => parse(Array.isArray(query.types) ? query : { ...query, types: undefined });
  const pool = new pg.Pool(config as unknown as pg.PoolConfig);
  // Tricky: pool.query() releases its client with the query's error, which destroys the client; on
  // PGlite every client shares the one in-process connection, so one failed statement (a constraint or
  // trigger refusal) ended the database for every later query. A server error leaves the connection
  // healthy, so only errors without a SQLSTATE severity still destroy the client.
  const internals = pool as unknown as { _release(client: unknown, idleListener: unknown, err?: unknown): void };
  const release = internals._release.bind(pool);
  internals._release = (client, idleListener, err) =>
    release(client, idleListener, err && typeof err === 'object' && 'severity' in err ? undefined : err);
  return {
    pool,
    pglite,
    close: async () => {
      await pool.end();
      await pglite.close();
    },
  };
}
