import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from './index.js';
import { migrate, readMigrations } from './migrate.js';
import { openPglite } from './pglite.js';

/** True when the suite runs against a PostgreSQL server (CI's second pass). */
export const onPostgres = Boolean(process.env.DATABASE_URL);

async function pgliteSnapshot(): Promise<Blob> {
  // Tests: initdb plus migrations takes seconds; each test file starts from a dump of a migrated
  // database instead, cached on disk by the migrations' checksums.
  const files = await readMigrations();
  const key = createHash('sha256').update(files.map((f) => f.checksum).join(',')).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'distansia-test-snapshots');
  const file = join(dir, `pglite-${key}.tar.gz`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const { pool, pglite, close } = await openPglite(undefined);
    await migrate(pool);
    const dump = await pglite.dumpDataDir('gzip');
    await close();
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, file);
    return dump;
  }
}

/**
 * A fresh, migrated database for one test file: PGlite in memory, or a new PostgreSQL database on the
 * server in DATABASE_URL (dropped on close), so files can run in parallel without sharing state.
 * @returns the database; call `close()` in afterAll
 */
export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    return openDatabase({ kind: 'pglite-memory', snapshot: await pgliteSnapshot() });
  }
  const name = `distansia_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: u.toString(), poolSize: 10 });
  await migrate(database.pool);
  return {
    ...database,
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** The URL of a test database, for tests that start a second server process against it. */
export function testDatabaseUrl(database: Database): string | undefined {
  const opts = (database.pool as unknown as { options?: { connectionString?: string } }).options;
  return opts?.connectionString;
}
