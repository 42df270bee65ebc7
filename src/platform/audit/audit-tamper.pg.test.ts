import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, onPostgres, testDatabaseUrl } from '../db/testing.js';
import { withTransaction, type Database } from '../db/index.js';
import { fixedClock } from '../clock.js';
import { systemIds } from '../ids.js';
import { loadConfig } from '../config.js';
import type { RequestCtx } from '../auth/request-context.js';
import { fileKeyStore } from '../crypto/key-store.js';
import { createAuditLog, type AuditLog } from './audit-log.js';
import { chainTestEvents, type ChainTestEvent } from '../../test/chain-test-events.js';
import { auditKeysFrom, type AuditKeys } from './audit-keys.js';
import { configuredHeadExporters, createHeadExport, signHead, type AuditHeadExporter, type HeadExport } from './audit-heads.js';
import { verifyAuditTrail } from './audit-verify.js';

// Audit trail against a database superuser (docs/decisions.md#d12, Art. 28(2); docs/audit.md): each
// attack below runs as raw SQL on a separate connection with superuser rights, as an attacker who owns
// the database server would, and `audit verify` must name it. PostgreSQL only: the attacker is a second
// session, which PGlite (one connection) cannot have.

const clock = fixedClock('2026-11-25T08:00:00Z');
const PATIENT = '01900000-0000-7000-8000-0000000000bb';
const ctx: RequestCtx = {
  actor: { type: 'user', id: '01900000-0000-7000-8000-0000000000aa', role: 'specialist', sessionId: 's', facilityIds: [] },
  requestId: 'req-1',
  ip: '10.0.0.7',
  userAgent: 'test',
  lang: 'en',
};
const silent = pino({ level: 'silent' });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface World {
  database: Database;
  audit: AuditLog<ChainTestEvent>;
  keys: AuditKeys;
  /** The local head file (AUDIT_HEAD_EXPORT_DIR) and the second location (AUDIT_HEAD_EXPORT_DATABASE_URL), as the server configures them. */
  exporters: AuditHeadExporter[];
  localFile: string;
  heads: HeadExport;
  intervalMs: number;
  /** Runs statements as the attacker: a separate superuser connection; `replica` turns the triggers off. */
  attack(statements: string[], opts?: { replica?: boolean }): Promise<void>;
  verify(): ReturnType<typeof verifyAuditTrail>;
}

async function world(): Promise<World> {
  const database = await createTestDatabase();
  const second = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'distansia-audit-tamper-'));
  const config = loadConfig({ DATA_DIR: dir, AUDIT_HEAD_EXPORT_DATABASE_URL: testDatabaseUrl(second) });
  const keys = auditKeysFrom(fileKeyStore(config.KEY_DIR), { create: true });
  const exporters = configuredHeadExporters({ dir: config.AUDIT_HEAD_EXPORT_DIR, databaseUrl: config.AUDIT_HEAD_EXPORT_DATABASE_URL?.reveal() });
  const heads = createHeadExport({ pool: database.pool, clock, exporters, keys });
  cleanups.push(async () => {
    await heads.stop();
    await second.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  });
  const url = testDatabaseUrl(database);
  return {
    database,
    keys,
    exporters,
    heads,
    localFile: join(config.AUDIT_HEAD_EXPORT_DIR, 'audit-heads.jsonl'),
    intervalMs: config.AUDIT_HEAD_EXPORT_INTERVAL_SECONDS * 1000,
    audit: createAuditLog<ChainTestEvent>({ db: database.db, clock, ids: systemIds, keys, events: chainTestEvents }),
    async attack(statements, opts = {}) {
      const su = new pg.Client({ connectionString: url });
      await su.connect();
      try {
        const { rows } = await su.query<{ su: boolean }>('SELECT rolsuper AS su FROM pg_roles WHERE rolname = current_user');
        expect(rows[0]?.su).toBe(true);
        await su.query('BEGIN');
        if (opts.replica) await su.query('SET LOCAL session_replication_role = replica');
        for (const s of statements) await su.query(s);
        await su.query('COMMIT');
      } finally {
        await su.end();
      }
    },
    async verify() {
      const exportedHeads = (await Promise.all(exporters.map((e) => e.readAll()))).flat();
      return verifyAuditTrail({ pool: database.pool, keys, exportedHeads, concurrency: 4 });
    },
  };
}

async function append(w: World, n: number, tag = 'app'): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    clock.advance({ seconds: 1 });
    await withTransaction(w.database.db, (tx) => w.audit.record(tx, { ...ctx, requestId: tag }, { action: 'patient.read', patientId: PATIENT, reason: `request:${i}`, data: { i } }));
  }
}

async function lastEvent(w: World): Promise<{ chain: number; seq: number }> {
  const { rows } = await w.database.pool.query<{ chain: number; seq: string }>('SELECT chain, max(seq)::text AS seq FROM audit_event GROUP BY chain ORDER BY max(seq) DESC LIMIT 1');
  return { chain: Number(rows[0]?.chain), seq: Number(rows[0]?.seq) };
}

/** The periodic export as the server runs it (src/main.ts), on the configured interval, with the timer driven by the test. */
async function runExportTicks(w: World, ticks: number): Promise<void> {
  for (let i = 0; i < ticks; i += 1) {
    await vi.advanceTimersByTimeAsync(w.intervalMs);
    await w.heads.settled();
  }
}

// The old unkeyed chain, as an attacker recomputes it: sha256(prev || the row's text) from `from` on.
const rehash = (chain: number, from: number) => `DO $$
DECLARE r record; p bytea;
BEGIN
  SELECT hash INTO p FROM audit_event WHERE chain = ${chain} AND seq = ${from - 1};
  FOR r IN SELECT * FROM audit_event WHERE chain = ${chain} AND seq >= ${from} ORDER BY seq LOOP
    UPDATE audit_event SET prev_hash = p, hash = sha256(p || convert_to(r.id::text || r.action || coalesce(r.data::text, ''), 'UTF8')) WHERE chain = ${chain} AND seq = r.seq;
    SELECT hash INTO p FROM audit_event WHERE chain = ${chain} AND seq = r.seq;
  END LOOP;
END $$`;

describe.skipIf(!onPostgres)('audit trail against a database superuser — PostgreSQL only (skipped on PGlite: set DATABASE_URL to run it)', () => {
  it('(a) a plain INSERT of a forged event is named by verify', async () => {
    const w = await world();
    await append(w, 5);
    expect((await w.verify()).problems).toEqual([]);
    // Into an unclaimed chain, following its (empty) tail: the trigger accepts the position, only the
    // audit key could make the seal.
    await w.attack([
      `INSERT INTO audit_event (chain, seq, prev_hash, hash, key_version, schema_version, id, recorded_at, action, outcome, actor_type, actor_id, actor_role, patient_id, reason, request_id)
       VALUES (60, 1, '\\x${'00'.repeat(32)}', sha256('forged'), 1, 2, gen_random_uuid(), '2026-11-25T08:00:03Z', 'patient.read', 'success', 'user', '01900000-0000-7000-8000-0000000000cc', 'specialist', '${PATIENT}', 'request:9', 'forged')`,
    ]);
    const result = await w.verify();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'modified', chain: 60, seq: 1 });
    expect(result.problems[0]?.message).toMatch(/modified or forged/);
  });

  it('(b) an event rewritten and re-hashed after the last exported head is named by verify', async () => {
    const w = await world();
    await append(w, 4);
    await w.heads.exportNow();
    await append(w, 4);
    const { chain, seq } = await lastEvent(w);
    // Rewrite the second-to-last event (after the last head) and recompute every later link.
    await w.attack([`UPDATE audit_event SET reason = 'request:forged' WHERE chain = ${chain} AND seq = ${seq - 1}`, rehash(chain, seq - 1)], { replica: true });
    const { rows } = await w.database.pool.query<{ ok: boolean }>(`SELECT bool_and(e.prev_hash = p.hash) AS ok FROM audit_event e JOIN audit_event p ON p.chain = e.chain AND p.seq = e.seq - 1 WHERE e.chain = ${chain}`);
    expect(rows[0]?.ok).toBe(true); // the links are consistent again: only the key tells
    const result = await w.verify();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'modified', chain, seq: seq - 1 });
  });

  it('(c) a tail truncated once it is older than the export interval is named by verify', async () => {
    const w = await world();
    expect(w.intervalMs).toBeLessThanOrEqual(10_000);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    w.heads.start(w.intervalMs, silent);
    await w.heads.settled();
    await append(w, 6);
    await runExportTicks(w, 1);
    const { chain, seq } = await lastEvent(w);
    await w.attack([`DELETE FROM audit_event WHERE chain = ${chain} AND seq >= ${seq - 2}`], { replica: true });
    const result = await w.verify();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'missing', chain, seq: seq - 2 });
  });

  it('(d) events deleted together with the local head file lines are named through the signed heads at the second location', async () => {
    const w = await world();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    w.heads.start(w.intervalMs, silent);
    await w.heads.settled();
    await append(w, 3);
    await runExportTicks(w, 1);
    await append(w, 3);
    await runExportTicks(w, 1);
    const { chain, seq } = await lastEvent(w);
    await w.attack([`DELETE FROM audit_event WHERE chain = ${chain} AND seq > ${seq - 3}`], { replica: true });
    // The local file loses every line naming the deleted events, and gains one naming the new tail,
    // signed with a key the attacker made (the audit signing key never leaves the key store).
    const lines = (await readFile(w.localFile, 'utf8')).split('\n').filter((l) => l && Number((JSON.parse(l) as { seq: string }).seq) <= seq - 3);
    const { rows } = await w.database.pool.query<{ hash: string }>(`SELECT encode(hash, 'hex') AS hash FROM audit_event WHERE chain = ${chain} AND seq = ${seq - 3}`);
    const forged = signHead(generateKeyPairSync('ed25519').privateKey, 1, { chain, seq: String(seq - 3), hash: rows[0]?.hash ?? '', exportedAt: '2026-11-25T08:00:30.000000Z' });
    await writeFile(w.localFile, [...lines, JSON.stringify(forged), ''].join('\n'));
    // The local file alone no longer shows the deletion.
    const localOnly = await verifyAuditTrail({ pool: w.database.pool, keys: w.keys, exportedHeads: (await w.exporters[0]?.readAll()) ?? [], concurrency: 4 });
    expect(localOnly.problems.filter((p) => p.kind !== 'bad_head')).toEqual([]);
    const result = await w.verify();
    expect(result.problems).toContainEqual(expect.objectContaining({ kind: 'missing', chain, seq: seq - 2 }));
    expect(result.problems).toContainEqual(expect.objectContaining({ kind: 'bad_head', chain, seq: seq - 3 }));
  });

  it('(e) a replaced canonical function and chaining trigger do not let a rewrite or a forged event through', async () => {
    const w = await world();
    await append(w, 3);
    // The attacker takes over the database's own sealing: a canonical function that renders a forged
    // `data` for the next event, and a trigger that chains whatever it is given with it.
    await w.attack([
      `CREATE OR REPLACE FUNCTION audit_event_canonical(e audit_event) RETURNS text LANGUAGE sql AS $$ SELECT e.id::text || e.action || '{"i": 99}' $$`,
      `CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN NEW.hash := sha256(NEW.prev_hash || convert_to(audit_event_canonical(NEW), 'UTF8')); RETURN NEW; END $$`,
    ]);
    await append(w, 1, 'after');
    const { chain, seq } = await lastEvent(w);
    await w.attack([`UPDATE audit_event SET data = '{"i": 99}' WHERE chain = ${chain} AND seq = ${seq}`], { replica: true });
    const result = await w.verify();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ kind: 'modified', chain, seq });
  });
});
