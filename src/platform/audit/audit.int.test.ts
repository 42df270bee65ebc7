import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, testDatabaseUrl } from '../db/testing.js';
import { withTransaction, type Database } from '../db/index.js';
import { fixedClock } from '../clock.js';
import { systemIds } from '../ids.js';
import { systemCtx, type RequestCtx } from '../auth/request-context.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import { verifyAuditTrail } from './audit-verify.js';
import { createHeadExport, databaseHeadExporter, directoryHeadExporter, type AuditHeadExporter } from './audit-heads.js';
import { AUDIT_CANONICAL_SQL, AUDIT_TEXT_COLUMNS, canonicalEncoding, eventHashOfFields, AUDIT_FIELD_ORDER, type AuditEventText } from './audit-chain.js';

const clock = fixedClock('2026-11-25T08:00:00Z');
const PATIENT = '01900000-0000-7000-8000-0000000000bb';
const ctx: RequestCtx = {
  actor: { type: 'user', id: '01900000-0000-7000-8000-0000000000aa', role: 'specialist', sessionId: 's', facilityIds: [] },
  requestId: 'req-1',
  ip: '10.0.0.7',
  userAgent: 'test',
  lang: 'en',
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ database: Database; audit: AuditLog; exporter: AuditHeadExporter; dir: string }> {
  const database = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'distansia-audit-heads-'));
  cleanups.push(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { database, audit: createAuditLog({ db: database.db, clock, ids: systemIds }), exporter: directoryHeadExporter(dir), dir };
}

async function seed(audit: AuditLog, database: Database, n: number): Promise<void> {
  // Five events per transaction: each transaction lands on one chain, so chains get several events.
  for (let i = 0; i < n; i += 5) {
    await withTransaction(database.db, async (tx) => {
      for (let j = i; j < Math.min(n, i + 5); j += 1) {
        clock.advance({ seconds: 1 });
        await audit.record(tx, ctx, { action: 'patient.read', patientId: PATIENT, reason: `request:${j}`, data: { j } });
      }
    });
  }
}

/** The chain with the most events, and its length. */
async function longestChain(pool: pg.Pool): Promise<{ chain: number; seq: number }> {
  const { rows } = await pool.query<{ chain: number; seq: string }>('SELECT chain, max(seq)::text AS seq FROM audit_event GROUP BY chain ORDER BY max(seq) DESC, chain LIMIT 1');
  return { chain: Number(rows[0]?.chain), seq: Number(rows[0]?.seq) };
}

/** Security test double: an attacker with database superuser rights, bypassing the application and the triggers. */
async function asSuperuser(pool: pg.Pool, ...statements: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for (const s of statements) await client.query(s);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

async function verify(database: Database, exporter?: AuditHeadExporter) {
  return verifyAuditTrail({ pool: database.pool, exportedHeads: exporter ? await exporter.readAll() : [], concurrency: database.kind === 'postgres' ? 4 : 1, pageSize: 3 });
}

describe('audit log append (docs/decisions.md#d12, Art. 28(2); STYLE C13)', () => {
  it('records in the caller transaction: a rolled-back transaction leaves no audit row', async () => {
    const { database, audit } = await setup();
    await expect(
      withTransaction(database.db, async (tx) => {
        await audit.record(tx, ctx, { action: 'patient.read', patientId: PATIENT });
        throw new Error('business failure');
      }),
    ).rejects.toThrow('business failure');
    await withTransaction(database.db, (tx) => audit.record(tx, ctx, { action: 'patient.read', patientId: PATIENT }));
    const { rows } = await database.pool.query('SELECT actor_id, actor_role, patient_id::text AS patient_id, request_id, ip, outcome FROM audit_event');
    expect(rows).toEqual([{ actor_id: ctx.actor.type === 'user' ? ctx.actor.id : null, actor_role: 'specialist', patient_id: PATIENT, request_id: 'req-1', ip: '10.0.0.7', outcome: 'success' }]);
  });

  it('an audit failure fails the business operation (no fire-and-forget)', async () => {
    const { database, audit } = await setup();
    // jsonb refuses \u0000: the database rejects the audit row, so the business write must roll back too.
    await expect(
      withTransaction(database.db, async (tx) => {
        await tx.execute(sql`INSERT INTO calendar_decision (date, kind, source) VALUES ('2030-01-02', 'day_off', 'test')`);
        await audit.record(tx, ctx, { action: 'patient.read', data: { bad: 'a\u0000b' } });
      }),
    ).rejects.toThrow();
    await expect(withTransaction(database.db, (tx) => audit.record(tx, ctx, { action: 'patient.read', patientId: 'not-a-uuid' }))).rejects.toThrow(/uuid/);
    const { rows } = await database.pool.query(`SELECT count(*)::int AS n FROM calendar_decision WHERE date = '2030-01-02'`);
    expect(rows[0].n).toBe(0);
    expect((await database.pool.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(0);
  });

  it('the database trigger, the verifier SQL and the TypeScript encoding hash identically (unicode, NULLs, jsonb)', async () => {
    const { database, audit } = await setup();
    await audit.recordStandalone({ ...ctx, userAgent: 'Мозила "ж" \\ \n' }, { action: 'patient.read', patientId: PATIENT, reason: 'причина: 1', data: { b: 1.5, a: ['ж', null, { z: true }] } });
    await audit.recordStandalone(systemCtx('outbox'), { action: 'demo.seeded' });
    const { rows } = await database.pool.query<(string | null)[]>({ text: `SELECT ${AUDIT_TEXT_COLUMNS}, ${AUDIT_CANONICAL_SQL}, audit_event_canonical(audit_event) FROM audit_event`, rowMode: 'array' });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const text = Object.fromEntries(AUDIT_FIELD_ORDER.map((k, i) => [k, row[i]])) as unknown as AuditEventText;
      expect(row[22]).toBe(canonicalEncoding(text));
      expect(row[23]).toBe(canonicalEncoding(text));
      expect(eventHashOfFields(Buffer.from(row[20] ?? '', 'hex'), row.slice(0, 20)).toString('hex')).toBe(row[21]);
    }
  });

  it('puts every event of one transaction on one chain, in consecutive order', async () => {
    const { database, audit } = await setup();
    await withTransaction(database.db, async (tx) => {
      for (let i = 0; i < 3; i += 1) await audit.record(tx, ctx, { action: 'patient.read', patientId: PATIENT, data: { i } });
    });
    const { rows } = await database.pool.query<{ chain: number; seq: string }>('SELECT chain, seq::text AS seq FROM audit_event ORDER BY seq');
    expect(new Set(rows.map((r) => r.chain)).size).toBe(1);
    expect(rows.map((r) => r.seq)).toEqual(['1', '2', '3']);
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE of audit rows, even for the table owner', async () => {
    const { database, audit } = await setup();
    await seed(audit, database, 2);
    for (const statement of [`UPDATE audit_event SET action = 'x'`, `UPDATE audit_event SET seq = seq + 5`, 'DELETE FROM audit_event', 'TRUNCATE audit_event']) {
      await expect(database.pool.query(statement), statement).rejects.toMatchObject({ code: '42501' });
    }
    expect((await database.pool.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(2);
  });

  it('chains an insert that names its own chain, seq and hashes (no code path inserts an unchained event)', async () => {
    const { database, audit } = await setup();
    await seed(audit, database, 3);
    await database.pool.query(`INSERT INTO audit_event (chain, seq, id, recorded_at, action, outcome, actor_type, request_id, prev_hash, hash)
      VALUES (63, 1000, gen_random_uuid(), now(), 'demo.seeded', 'success', 'system', 'forged', '\\x01', '\\x02')`);
    const { rows } = await database.pool.query<{ seq: string; hash_len: number }>(`SELECT seq::text AS seq, octet_length(hash) AS hash_len FROM audit_event WHERE request_id = 'forged'`);
    expect(rows[0]?.seq).not.toBe('1000');
    expect(rows[0]?.hash_len).toBe(32);
    expect((await verify(database)).problems).toEqual([]);
  });

  it('a rolled-back savepoint leaves no gap: the next event follows the last kept one', async () => {
    const { database, audit } = await setup();
    await withTransaction(database.db, async (tx) => {
      await audit.record(tx, ctx, { action: 'patient.read', patientId: PATIENT, data: { n: 1 } });
      await expect(
        tx.transaction(async (sp) => {
          await audit.record(sp, ctx, { action: 'patient.read', patientId: PATIENT, data: { n: 2 } });
          throw new Error('inner failure');
        }),
      ).rejects.toThrow('inner failure');
      await audit.record(tx, ctx, { action: 'patient.read', patientId: PATIENT, data: { n: 3 } });
    });
    // A savepoint that takes the chain first and rolls back releases it with its rows.
    await withTransaction(database.db, async (tx) => {
      await expect(
        tx.transaction(async (sp) => {
          await audit.record(sp, ctx, { action: 'patient.read', patientId: PATIENT, data: { n: 4 } });
          throw new Error('inner failure');
        }),
      ).rejects.toThrow('inner failure');
      await audit.record(tx, ctx, { action: 'patient.read', patientId: PATIENT, data: { n: 5 } });
    });
    const { rows } = await database.pool.query<{ n: number }>(`SELECT (data->>'n')::int AS n FROM audit_event ORDER BY chain, seq`);
    expect(rows.map((r) => r.n).sort()).toEqual([1, 3, 5]);
    const result = await verify(database);
    expect(result.problems).toEqual([]);
    expect(result.events).toBe(3);
  });
});

describe('audit verification (docs/decisions.md#d12, Art. 28(2))', () => {
  it('verifies an intact trail across chains and pages', async () => {
    const { database, audit, exporter } = await setup();
    await seed(audit, database, 40);
    await createHeadExport({ pool: database.pool, clock, exporters: [exporter] }).exportNow();
    const result = await verify(database, exporter);
    expect(result.problems).toEqual([]);
    expect(result.events).toBe(40);
    expect(result.exportedHeadsChecked).toBeGreaterThan(1);
  });

  it('detects a row modified by a database superuser and names it', async () => {
    const { database, audit, exporter } = await setup();
    await seed(audit, database, 40);
    const { chain } = await longestChain(database.pool);
    await asSuperuser(database.pool, `UPDATE audit_event SET reason = 'forged' WHERE chain = ${chain} AND seq = 2`);
    const result = await verify(database, exporter);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'modified', chain, seq: 2 });
  });

  it('detects a row deleted from the middle of a chain', async () => {
    const { database, audit, exporter } = await setup();
    await seed(audit, database, 40);
    const { chain } = await longestChain(database.pool);
    await asSuperuser(database.pool, `DELETE FROM audit_event WHERE chain = ${chain} AND seq = 2`);
    const result = await verify(database, exporter);
    expect(result.problems[0]).toMatchObject({ kind: 'missing', chain, seq: 2 });
  });

  it('detects a truncated tail through the heads exported to the second location', async () => {
    const { database, audit, exporter } = await setup();
    await seed(audit, database, 40);
    await createHeadExport({ pool: database.pool, clock, exporters: [exporter] }).exportNow();
    const { chain, seq } = await longestChain(database.pool);
    await asSuperuser(database.pool, `DELETE FROM audit_event WHERE chain = ${chain} AND seq >= ${seq - 1}`);
    // Without the second location a deleted tail is invisible: that is why heads are exported.
    expect((await verify(database)).problems).toEqual([]);
    const result = await verify(database, exporter);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'missing', chain, seq: seq - 1 });
  });

  it('detects a rewritten chain through the exported heads, even when every link is recomputed', async () => {
    const { database, audit, exporter } = await setup();
    await seed(audit, database, 40);
    await createHeadExport({ pool: database.pool, clock, exporters: [exporter] }).exportNow();
    const { chain, seq } = await longestChain(database.pool);
    // The attacker deletes the chain's last event and appends a forged one through the trigger (a valid link).
    await asSuperuser(database.pool, `DELETE FROM audit_event WHERE chain = ${chain} AND seq = ${seq}`);
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('distansia.audit_chain', '${chain}', true)`);
      await client.query(`INSERT INTO audit_event (id, recorded_at, action, outcome, actor_type, request_id) VALUES (gen_random_uuid(), now(), 'demo.seeded', 'success', 'system', 'forged')`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    expect((await verify(database)).problems).toEqual([]);
    const result = await verify(database, exporter);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'export_mismatch', chain, seq });
  });

  it('detects TRUNCATE of the whole table through the exported heads', async () => {
    const { database, audit, exporter } = await setup();
    await seed(audit, database, 10);
    await createHeadExport({ pool: database.pool, clock, exporters: [exporter] }).exportNow();
    await asSuperuser(database.pool, 'TRUNCATE audit_event');
    const result = await verify(database, exporter);
    expect(result.events).toBe(0);
    expect(result.problems.length).toBeGreaterThan(0);
    expect(result.problems.every((p) => p.kind === 'missing' && p.seq === 1)).toBe(true);
  });

  it.runIf(onPostgres)('32 concurrent transactions on PostgreSQL produce valid chains without serialising on one head', async () => {
    const { database, audit } = await setup();
    await Promise.all(
      Array.from({ length: 32 }, (_, w) =>
        withTransaction(database.db, async (tx) => {
          for (let i = 0; i < 3; i += 1) await audit.record(tx, { ...ctx, requestId: `w${w}` }, { action: 'patient.read', patientId: PATIENT, data: { i } });
        }),
      ),
    );
    const result = await verify(database);
    expect(result.problems).toEqual([]);
    expect(result.events).toBe(96);
    const { rows } = await database.pool.query<{ chains: number; used: number }>('SELECT max(c)::int AS chains, count(DISTINCT chain)::int AS used FROM (SELECT request_id, count(DISTINCT chain) AS c, min(chain) AS chain FROM audit_event GROUP BY request_id) x');
    expect(rows[0]?.chains).toBe(1);
    expect(rows[0]?.used).toBeGreaterThan(1);
  });

  it.runIf(onPostgres)('writers that share one chain wait for each other and never fork it', async () => {
    const { database, audit } = await setup();
    // Test double: one chain, so every transaction below meets the others on it.
    await database.pool.query('CREATE OR REPLACE FUNCTION audit_chain_count() RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$');
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        withTransaction(database.db, async (tx) => {
          for (let i = 0; i < 3; i += 1) {
            await audit.record(tx, { ...ctx, requestId: `w${w}` }, { action: 'patient.read', patientId: PATIENT, data: { i } });
            await tx.execute(sql`SELECT pg_sleep(0.002)`);
          }
        }),
      ),
    );
    const { rows } = await database.pool.query<{ chains: number; n: number; max: string }>('SELECT count(DISTINCT chain)::int AS chains, count(*)::int AS n, max(seq)::text AS max FROM audit_event');
    expect(rows[0]).toEqual({ chains: 1, n: 24, max: '24' });
    // every transaction's events are consecutive: the chain lock is held to commit
    const runs = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM (SELECT request_id, max(seq) - min(seq) AS span FROM audit_event GROUP BY request_id) x WHERE span = 2');
    expect(runs.rows[0]?.n).toBe(8);
    expect((await verify(database)).problems).toEqual([]);
  });

  it.runIf(onPostgres)('exports heads to a second database that refuses to change them', async () => {
    const { database, audit } = await setup();
    const second = await createTestDatabase();
    cleanups.push(() => second.close());
    const url = testDatabaseUrl(second);
    if (!url) throw new Error('no url');
    const exporter = databaseHeadExporter(url);
    cleanups.push(() => exporter.close());
    await seed(audit, database, 5);
    const n = await createHeadExport({ pool: database.pool, clock, exporters: [exporter] }).exportNow();
    expect(n).toBeGreaterThan(0);
    expect(await exporter.readAll()).toHaveLength(n);
    await expect(second.pool.query('DELETE FROM audit_head_export')).rejects.toMatchObject({ code: '42501' });
    const { chain, seq } = await longestChain(database.pool);
    await asSuperuser(database.pool, `DELETE FROM audit_event WHERE chain = ${chain} AND seq = ${seq}`);
    expect((await verify(database, exporter)).problems[0]).toMatchObject({ kind: 'missing', chain, seq });
  });
});
