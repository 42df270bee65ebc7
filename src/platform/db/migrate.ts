import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** Committed SQL migrations, applied in file-name order on PGlite and PostgreSQL alike. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

// Concurrency: two processes starting at once must not both migrate; an advisory lock serialises them.
const MIGRATION_LOCK = 7_270_001;

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(`${dir}${file}`, 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migration (
  version text PRIMARY KEY,
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Applies every migration not yet recorded, each in its own transaction.
 * @param pool - the node-postgres pool of the database
 * @param dir - the migrations folder
 * @returns the names of the migrations applied now
 * @throws when an applied migration's file was edited afterwards (checksum differs)
 */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    await client.query(CREATE_LEDGER);
    const { rows } = await client.query<{ version: string; checksum: string; name: string }>('SELECT version, name, checksum FROM schema_migration');
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const file of files) {
      const prior = done.get(file.version);
      if (prior) {
        if (prior.checksum !== file.checksum) {
          throw new Error(`Migration ${file.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [file.version, file.name, file.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file.name} failed`, { cause: err });
      }
      applied.push(file.name);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`).catch(() => undefined);
    client.release();
  }
  return applied;
}

/**
 * Lists migrations present on disk but not applied (readiness: ready only when this is empty).
 * @param pool - the database pool
 * @param dir - the migrations folder
 * @returns names of pending migrations
 */
export async function pendingMigrations(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = await readMigrations(dir);
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migration')::text AS t");
  if (!exists.rows[0]?.t) return files.map((f) => f.name);
  const { rows } = await pool.query<{ version: string }>('SELECT version FROM schema_migration');
  const done = new Set(rows.map((r) => r.version));
  return files.filter((f) => !done.has(f.version)).map((f) => f.name);
}
