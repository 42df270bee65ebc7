import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/index.js';
import { migrate } from '../db/migrate.js';
import { createTestDatabase, onPostgres, testDatabaseUrl } from '../db/testing.js';
import { fixedClock } from '../clock.js';
import { systemIds } from '../ids.js';
import { systemCtx } from '../auth/request-context.js';
import { createAuditLog } from './audit-log.js';
import { chainTestEvents, type ChainTestEvent } from '../../test/chain-test-events.js';
import { auditKeysFrom } from './audit-keys.js';
import { fileKeyStore } from '../crypto/key-store.js';

// `distansia audit verify` as the operator runs it: a separate process against the configured database.
let dir: string;
let pgDatabase: Database | undefined;
let env: Record<string, string>;

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Opens the database the CLI uses (PGlite is one process at a time, so close before running the CLI). */
async function withDb<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  if (pgDatabase) return fn(pgDatabase);
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'distansia-audit-cli-'));
  env = { DATA_DIR: dir, LOG_LEVEL: 'silent', AUDIT_HEAD_EXPORT_DIR: join(dir, 'heads'), DATABASE_URL: '' };
  if (onPostgres) {
    pgDatabase = await createTestDatabase();
    env.DATABASE_URL = testDatabaseUrl(pgDatabase) ?? '';
  }
  await withDb(async (database) => {
    await migrate(database.pool);
    const keys = auditKeysFrom(fileKeyStore(join(dir, 'keys')), { create: true });
    const audit = createAuditLog<ChainTestEvent>({ db: database.db, clock: fixedClock('2026-11-25T08:00:00Z'), ids: systemIds, keys, events: chainTestEvents });
    for (let i = 0; i < 12; i += 1) await audit.recordStandalone(systemCtx('test'), { action: 'demo.seeded', data: { i } });
  });
});

afterAll(async () => {
  await pgDatabase?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('distansia audit verify (docs/decisions.md#d12, Art. 28(2))', () => {
  it('prints "verified N events" and exits 0 on an intact trail; export-heads writes the second location', async () => {
    const exported = await run('audit', 'export-heads');
    expect(exported.code).toBe(0);
    const ok = await run('audit', 'verify');
    expect(ok.stdout).toContain('verified 12 events');
    expect(ok.code).toBe(0);
  });

  it('names the first broken event and exits non-zero after a superuser tampers with a row', async () => {
    const target = await withDb(async (database) => {
      const { rows } = await database.pool.query<{ chain: number; seq: string }>('SELECT chain, seq::text AS seq FROM audit_event ORDER BY chain, seq LIMIT 1');
      const row = rows[0];
      if (!row) throw new Error('no events');
      const client = await database.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL session_replication_role = replica');
        await client.query(`UPDATE audit_event SET data = '{"i": 99}' WHERE chain = $1 AND seq = $2`, [row.chain, row.seq]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      return `${row.chain}/${row.seq}`;
    });
    const broken = await run('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`event ${target} `);
    expect(broken.stderr).toContain('was modified');
    expect(broken.stdout).not.toContain('verified 12 events');
  });
});
