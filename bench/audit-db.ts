/** Shared by the audit benches: a fresh, migrated PostgreSQL database that is dropped afterwards. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/platform/db/index.js';
import { migrate } from '../src/platform/db/migrate.js';

export async function freshPostgres(poolSize: number): Promise<{ database: Database; url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const name = `distansia_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: u.toString(), poolSize });
  await migrate(database.pool);
  return {
    database,
    url: u.toString(),
    drop: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
