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
import { chainTestEvents, type ChainTestEvent } from '../../test/chain-test-events.js';
import { verifyAuditTrail } from './audit-verify.js';
import { createHeadExport, databaseHeadExporter, directoryHeadExporter, type AuditHeadExporter } from './audit-heads.js';
import { auditKeysFrom, type AuditKeys } from './audit-keys.js';
import { fileKeyStore } from '../crypto/key-store.js';
import { GENESIS_HASH, eventHashOfFields } from './audit-chain.js';

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

let keys: AuditKeys;

async function setup(): Promise<{ database: Database; audit: AuditLog<ChainTestEvent>; exporter: AuditHeadExporter; dir: string }> {
  const database = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'distansia-audit-heads-'));
  cleanups.push(async () => {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });
  keys = auditKeysFrom(fileKeyStore(join(dir, 'keys')), { create: true });
  return { database, audit: createAuditLog<ChainTestEvent>({ db: database.db, clock, ids: systemIds, keys, events: chainTestEvents }), exporter: directoryHeadExporter(join(dir, 'heads')), dir };
}

async function seed(audit: AuditLog<ChainTestEvent>, database: Database, n: number): Promise<void> {
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
  return verifyAuditTrail({ pool: database.pool, keys, exportedHeads: exporter ? await exporter.readAll() : [], concurrency: database.kind === 'postgres' ? 4 : 1, pageSize: 3 });
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

  it('checks every entry against the application catalogue (STYLE C13, src/contracts/audit-events.ts)', async () => {
    const { database } = await setup();
    const app = createAuditLog({ db: database.db, clock, ids: systemIds, keys });
    const loose = app as unknown as AuditLog<{ action: string; data?: unknown }>;
    await expect(loose.recordStandalone(ctx, { action: 'patient.readd', patientId: PATIENT })).rejects.toThrow(/unknown audit action/);
    await expect(loose.recordStandalone(ctx, { action: 'patient.read', patientId: PATIENT, data: { basis: 'care', fields: 'demographics', note: 'free text' } })).rejects.toThrow(/does not match the catalogue/);
    await expect(loose.recordStandalone(ctx, { action: 'patient.read', patientId: PATIENT })).rejects.toThrow(/does not match the catalogue/);
    expect((await database.pool.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(0);
    await app.recordStandalone(ctx, { action: 'patient.read', patientId: PATIENT, data: { basis: 'care', fields: 'demographics' } });
    expect((await database.pool.query('SELECT count(*)::int AS n FROM audit_event')).rows[0].n).toBe(1);
  });

  // Behaviour changed deliberately (docs/audit.md): the seal is computed by the application, not by a
  // database trigger, so what is checked is that the stored columns render back to exactly what was sealed.
  it('the seal the application computes verifies from the stored columns (unicode, NULLs, json, microseconds)', async () => {
    const { database, audit } = await setup();
    clock.set('2026-11-25T08:00:00.123456789Z');
    await audit.recordStandalone({ ...ctx, userAgent: 'Мозила "ж" \\ \n' }, { action: 'patient.read', patientId: PATIENT.toUpperCase(), reason: 'причина: 1', data: { b: 1.5, a: ['ж', null, { z: true }], e: 1e-7, big: 1e21 } });
    await audit.recordStandalone(systemCtx('outbox'), { action: 'demo.seeded' });
    const { rows } = await database.pool.query<{ data: string | null; schema_version: number; key_version: number | null; micros: string }>(
      'SELECT data::text AS data, schema_version, key_version, ((extract(epoch FROM recorded_at) * 1000000)::bigint)::text AS micros FROM audit_event ORDER BY seq',
    );
    expect(rows.map((r) => [r.schema_version, r.key_version])).toEqual([[2, 1], [2, 1]]);
    // json keeps the text the seal covers (jsonb would re-order keys and re-render 1e-7)
    expect(rows[0]?.data).toBe(JSON.stringify({ b: 1.5, a: ['ж', null, { z: true }], e: 1e-7, big: 1e21 }));
    expect(rows[0]?.micros).toBe(String(Date.parse('2026-11-25T08:00:00Z') * 1000 + 123456));
    const result = await verify(database);
    expect(result.problems).toEqual([]);
    expect(result.events).toBe(2);
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

  // Behaviour changed deliberately (docs/audit.md): the trigger no longer chains what it is given (that
  // let anyone with INSERT forge events); it refuses rows that do not follow their chain, and the
  // unkeyed schema 1 shape.
  it('the database refuses an insert that does not follow its chain, and an unsealed (schema 1) row', async () => {
    const { database, audit } = await setup();
    await seed(audit, database, 3);
    const { chain, seq } = await longestChain(database.pool);
    const insert = (chainNo: number, seqNo: number, schema: number) =>
      database.pool.query(`INSERT INTO audit_event (chain, seq, id, recorded_at, action, outcome, actor_type, request_id, prev_hash, hash, key_version, schema_version)
        VALUES (${chainNo}, ${seqNo}, '01900000-0000-7000-8000-000000000099', '2026-11-25T08:00:00Z', 'demo.seeded', 'success', 'system', 'forged', '\\x01', '\\x02', 1, ${schema})`);
    await expect(insert(chain, seq + 5, 2)).rejects.toMatchObject({ code: expect.stringMatching(/^(55P03|40001)$/) });
    await expect(insert(63, 1, 1)).rejects.toMatchObject({ code: '42501' });
    await expect(insert(63, 7, 2)).rejects.toMatchObject({ code: '40001' });
    expect((await database.pool.query(`SELECT count(*)::int AS n FROM audit_event WHERE request_id = 'forged'`)).rows[0].n).toBe(0);
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
    // A connection appends to the chain it claimed: concurrent transactions (PostgreSQL) use several.
    if (database.kind === 'postgres') await Promise.all([seed(audit, database, 10), seed(audit, database, 10)]);
    await createHeadExport({ pool: database.pool, clock, exporters: [exporter], keys }).exportNow();
    const result = await verify(database, exporter);
    expect(result.problems).toEqual([]);
    expect(result.events).toBe(database.kind === 'postgres' ? 60 : 40);
    expect(result.exportedHeadsChecked).toBe(result.chains);
    if (database.kind === 'postgres') expect(result.chains).toBeGreaterThan(1);
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
    await createHeadExport({ pool: database.pool, clock, exporters: [exporter], keys }).exportNow();
    const { chain, seq } = await longestChain(database.pool);
    await asSuperuser(database.pool, `DELETE FROM audit_event WHERE chain = ${chain} AND seq >= ${seq - 1}`);
    // Without the second location a deleted tail is invisible: that is why heads are exported.
    expect((await verify(database)).problems).toEqual([]);
    const result = await verify(database, exporter);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'missing', chain, seq: seq - 1 });
  });

  // Behaviour changed deliberately: without the audit key a replacement event no longer verifies even
  // where no head was exported (it was accepted before); the exported head names it too.
  it('detects a replaced last event, with its link recomputed, by its seal and through the exported heads', async () => {
    const { database, audit, exporter } = await setup();
    await seed(audit, database, 40);
    await createHeadExport({ pool: database.pool, clock, exporters: [exporter], keys }).exportNow();
    const { chain, seq } = await longestChain(database.pool);
    // The attacker replaces the chain's last event with a forged one that links to its predecessor.
    await asSuperuser(
      database.pool,
      `DELETE FROM audit_event WHERE chain = ${chain} AND seq = ${seq}`,
      `INSERT INTO audit_event (chain, seq, id, recorded_at, action, outcome, actor_type, request_id, prev_hash, hash, key_version, schema_version)
       SELECT ${chain}, ${seq}, gen_random_uuid(), '2026-11-25T09:00:00Z', 'demo.seeded', 'success', 'system', 'forged', p.hash, sha256(p.hash), 1, 2
       FROM audit_event p WHERE p.chain = ${chain} AND p.seq = ${seq - 1}`,
    );
    expect((await verify(database)).problems[0]).toMatchObject({ kind: 'modified', chain, seq });
    const result = await verify(database, exporter);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'modified', chain, seq });
  });

  it('rows from before seals (schema 1) count only before the first sealed row of their chain', async () => {
    const { database, audit } = await setup();
    // Test double: one default chain, so the application appends to the chain that holds the old rows.
    await database.pool.query('CREATE OR REPLACE FUNCTION audit_chain_count() RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT 1 $$');
    let prev = GENESIS_HASH;
    const legacy = (seq: number) => {
      const fields = ['0', String(seq), `01900000-0000-7000-8000-00000000010${seq}`, String(Date.parse('2026-11-25T07:00:00Z') * 1000), 'demo.seeded', 'success', 'system', 'cli.demo', null, null, null, null, null, null, null, 'system:cli.demo', null, null, `{"n": ${seq}}`, '1'];
      const hash = eventHashOfFields(prev, fields);
      const sql = `INSERT INTO audit_event (chain, seq, id, recorded_at, action, outcome, actor_type, actor_id, request_id, data, schema_version, prev_hash, hash)
        VALUES (0, ${seq}, '${fields[2]}', '2026-11-25T07:00:00Z', 'demo.seeded', 'success', 'system', 'cli.demo', 'system:cli.demo', '{"n": ${seq}}', 1, '\\x${prev.toString('hex')}', '\\x${hash.toString('hex')}')`;
      prev = hash;
      return sql;
    };
    await asSuperuser(database.pool, legacy(1), legacy(2));
    // Nothing vouches for them yet: anyone could have written an unkeyed row.
    expect((await verify(database)).problems[0]).toMatchObject({ kind: 'unsealed', chain: 0, seq: 1 });
    await audit.recordStandalone(ctx, { action: 'patient.read', patientId: PATIENT });
    const anchored = await verify(database);
    expect(anchored.problems).toEqual([]);
    expect([anchored.events, anchored.legacyEvents]).toEqual([3, 2]);
    // An unkeyed row after a sealed one is a forgery, however well its old-style hash is computed.
    const tail = await database.pool.query<{ hash: Buffer }>('SELECT hash FROM audit_event WHERE chain = 0 AND seq = 3');
    prev = Buffer.from(tail.rows[0]?.hash ?? []);
    await asSuperuser(database.pool, legacy(4));
    expect((await verify(database)).problems[0]).toMatchObject({ kind: 'modified', chain: 0, seq: 4 });
  });

  it('detects TRUNCATE of the whole table through the exported heads', async () => {
    const { database, audit, exporter } = await setup();
    await seed(audit, database, 10);
    await createHeadExport({ pool: database.pool, clock, exporters: [exporter], keys }).exportNow();
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

  // Behaviour changed deliberately (migrations/0018_audit_mac.sql): a connection claims its own chain,
  // past audit_chain_count() when all are claimed, so writers no longer share and wait on one chain.
  it.runIf(onPostgres)('with fewer chains than writers, each connection claims its own chain and none forks', async () => {
    const { database, audit } = await setup();
    // Test double: one chain by default, so the writers below need the chains beyond it.
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
    const { rows } = await database.pool.query<{ chains: number; n: number; max: string }>('SELECT count(DISTINCT chain)::int AS chains, count(*)::int AS n, sum(seq)::text AS max FROM (SELECT chain, max(seq) AS seq FROM audit_event GROUP BY chain) c');
    expect(rows[0]?.chains).toBeGreaterThan(1);
    // every chain is gapless: the last seqs add up to the number of events
    expect(rows[0]?.max).toBe('24');
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
    const n = await createHeadExport({ pool: database.pool, clock, exporters: [exporter], keys }).exportNow();
    expect(n).toBeGreaterThan(0);
    expect(await exporter.readAll()).toHaveLength(n);
    await expect(second.pool.query('DELETE FROM audit_head_export')).rejects.toMatchObject({ code: '42501' });
    const { chain, seq } = await longestChain(database.pool);
    await asSuperuser(database.pool, `DELETE FROM audit_event WHERE chain = ${chain} AND seq = ${seq}`);
    expect((await verify(database, exporter)).problems[0]).toMatchObject({ kind: 'missing', chain, seq });
  });
});
