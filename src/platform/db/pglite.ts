import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
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
    extensions: { btree_gist },
    ...(snapshot ? { loadDataDir: snapshot } : {}),
  });
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  return {
    pool,
    pglite,
    close: async () => {
      await pool.end();
      await pglite.close();
    },
  };
}
