/**
 * Audit append throughput on PostgreSQL (docs/decisions.md#d12, docs/audit.md): W concurrent writers,
 * each appending E events per transaction (BEGIN; E × INSERT audit_event, sealed by the application and
 * checked by the trigger; COMMIT) for a fixed time, in a fresh database at DATABASE_URL (default
 * 127.0.0.1:5432/test) that is dropped after. Every event counted is committed; the trail is verified
 * afterwards with the audit key.
 *
 *   npx tsx bench/audit-append.ts [seconds=10] [writers=32] [eventsPerTx=1] [client=drizzle|pgbench]
 *
 * client=drizzle: the platform's own path, `AuditLog.record` inside `withTransaction` on the drizzle
 *   pool (three round trips per one-event transaction: BEGIN, INSERT, COMMIT), seal computed in Node.
 * client=pgbench: PostgreSQL's own C load generator (pgbench -M prepared, on PATH), for the database's
 *   capacity. pgbench cannot compute seals, so the events are sealed beforehand by the application's own
 *   code (`AuditLog.appendWith`, one chain per pgbench client) into an unlogged feed table, and each
 *   INSERT copies the client's next event from it (one extra primary-key probe per event). The trigger
 *   and its position check are the real ones; the trail is verified.
 * (client=pipeline, which sent the old unsealed row in pipeline mode, is gone: a sealed row needs the
 *   connection's chain tail, which `AuditLog` keeps per connection.)
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { AUDIT_INSERT_SQL, createAuditLog, type AuditEntry, type AuditRowValues } from '../src/platform/audit/audit-log.js';
import { auditKeysFrom } from '../src/platform/audit/audit-keys.js';
import { memoryKeyStore } from '../src/platform/crypto/key-store.js';
import { verifyAuditTrail } from '../src/platform/audit/audit-verify.js';
import { withTransaction } from '../src/platform/db/index.js';
import { systemClock } from '../src/platform/clock.js';
import { systemIds } from '../src/platform/ids.js';
import type { RequestCtx } from '../src/platform/auth/request-context.js';
import { freshPostgres } from './audit-db.js';
import { processCpuMs } from './postgres-cpu.js';

const seconds = Number(process.argv[2] ?? 10);
const writers = Number(process.argv[3] ?? 32);
const perTx = Number(process.argv[4] ?? 1);
const client = process.argv[5] ?? 'drizzle';
if (client !== 'drizzle' && client !== 'pgbench') throw new Error(`client must be drizzle or pgbench, not ${client}`);

const FEED_COLUMNS = AUDIT_INSERT_SQL.replace(/^INSERT INTO audit_event \(([a-z_, ]+)\) VALUES.*$/s, '$1');

/**
 * Seals `perClient` events for each pgbench client (chain = client id) with the application's code and
 * stores them in the unlogged table audit_feed(client, n, <the row>).
 */
async function fillFeed(url: string, log: ReturnType<typeof createAuditLog>, c: (w: number) => RequestCtx, entry: (i: number) => AuditEntry, perClient: number): Promise<void> {
  const feed = new pg.Client({ connectionString: url });
  await feed.connect();
  try {
    await feed.query(`CREATE UNLOGGED TABLE audit_feed AS SELECT 0 AS client, 0 AS n, ${FEED_COLUMNS} FROM audit_event WITH NO DATA`);
    for (let w = 0; w < writers; w += 1) {
      // A stand-in connection that owns chain w, empty: appendWith seals exactly as the server would.
      const fake = { query: async () => ({ rows: [{ chain_no: w, last_seq: '0', last_hash: Buffer.alloc(32) }] }), release: () => undefined } as unknown as pg.PoolClient;
      const rows: AuditRowValues[] = [];
      for (let i = 0; i < perClient; i += 1) {
        await log.appendWith(fake, c(w), entry(i), async (values) => {
          rows.push(values);
          return { inserted: true, result: undefined };
        });
      }
      for (let from = 0; from < rows.length; from += 400) {
        const chunk = rows.slice(from, from + 400);
        const width = (chunk[0]?.length ?? 0) + 2;
        await feed.query(
          `INSERT INTO audit_feed VALUES ${chunk.map((_, r) => `(${Array.from({ length: width }, (__, k) => `$${r * width + k + 1}`).join(', ')})`).join(', ')}`,
          chunk.flatMap((values, r) => [w, from + r + 1, ...values]),
        );
      }
    }
    await feed.query('ALTER TABLE audit_feed ADD PRIMARY KEY (client, n)');
    await feed.query('VACUUM ANALYZE audit_feed');
  } finally {
    await feed.end();
  }
}

/**
 * Runs pgbench, each client copying its next sealed event from the feed, for `seconds`.
 * @returns the committed transactions
 */
async function runPgbench(url: string): Promise<number> {
  const insert = `INSERT INTO audit_event (${FEED_COLUMNS}) SELECT ${FEED_COLUMNS} FROM audit_feed WHERE client = :client_id AND n = :n;`;
  const dir = await mkdtemp(join(tmpdir(), 'distansia-audit-pgbench-'));
  try {
    const script = join(dir, 'append.sql');
    await writeFile(script, ['BEGIN;', ...Array.from({ length: perTx }, () => ['\\set n :n + 1', insert]).flat(), 'COMMIT;', ''].join('\n'));
    const { stdout } = await promisify(execFile)('pgbench', ['-n', '-M', 'prepared', '-D', 'n=0', '-c', String(writers), '-j', '2', '-T', String(seconds), '-f', script, url]);
    const m = /number of transactions actually processed: (\d+)/.exec(stdout);
    if (!m) throw new Error(`unexpected pgbench output:\n${stdout}`);
    return Number(m[1]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * CPU seconds used so far by the server processes of the bench database, read from /proc: only when
 * PostgreSQL runs on this machine (as here). Less sensitive to other load on the machine than events/s.
 */
async function serverCpuSeconds(monitor: pg.Client): Promise<number | undefined> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  let ms = 0;
  for (const { pid } of rows) {
    const cpu = await processCpuMs(pid);
    if (cpu === undefined) return undefined;
    ms += cpu;
  }
  return ms / 1000;
}

const { database, url, drop } = await freshPostgres(writers);
const monitor = new pg.Client({ connectionString: url });
try {
  await monitor.connect();
  const keys = auditKeysFrom(memoryKeyStore(), { create: true });
  const audit = createAuditLog({ db: database.db, clock: systemClock, ids: systemIds, keys });
  const ctx = (w: number): RequestCtx => ({
    actor: { type: 'user', id: systemIds.uuid(), role: 'specialist', sessionId: 's', facilityIds: [] },
    requestId: `bench-${w}`,
    ip: '10.0.0.1',
    userAgent: 'bench',
    lang: 'en',
  });
  const patientId = systemIds.uuid();
  const entry = (i: number): AuditEntry => ({ action: 'patient.read', patientId, subject: { type: 'patient', id: patientId }, reason: 'bench', data: { basis: 'care', fields: `bench-${i}` } });

  let transact: (w: number, c: RequestCtx) => Promise<void>;
  if (client === 'pgbench') {
    // 600 events/s per client: 19,200/s for 32 clients, well above what this 2-core machine sustains
    await fillFeed(url, audit, ctx, entry, Math.max(1000, Math.ceil(600 * seconds * perTx)));
    transact = () => Promise.resolve();
  } else {
    transact = (_w, c) =>
      withTransaction(database.db, async (tx) => {
        for (let i = 0; i < perTx; i += 1) await audit.record(tx, c, entry(i));
      });
  }

  // warm-up: open every connection and prepare the statement
  await Promise.all(Array.from({ length: writers }, (_, w) => transact(w, ctx(w))));
  const warm = client === 'pgbench' ? 0 : writers * perTx;
  let events = 0;
  let stop = false;
  const server0 = await serverCpuSeconds(monitor);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const timer = setTimeout(() => (stop = true), seconds * 1000);
  if (client === 'pgbench') {
    await runPgbench(url);
    // Counted in the table: a client that ran out of feed would insert nothing.
    events = Number((await monitor.query<{ n: string }>('SELECT count(*)::text AS n FROM audit_event')).rows[0]?.n);
    const feedLeft = await monitor.query<{ ok: boolean }>('SELECT bool_and(seq < (SELECT max(n) FROM audit_feed)) AS ok FROM (SELECT max(seq) AS seq FROM audit_event GROUP BY chain) c');
    if (!feedLeft.rows[0]?.ok) console.log('warning: a pgbench client ran out of sealed events; the figure is a lower bound');
  } else {
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const c = ctx(w);
        while (!stop) {
          await transact(w, c);
          events += perTx;
        }
      }),
    );
  }
  clearTimeout(timer);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server1 = await serverCpuSeconds(monitor);
  const clientCores = (cpu.user + cpu.system) / 1e6 / elapsed;
  const perEventUs = (s: number) => Math.round((s * 1e6) / events);
  const v = await verifyAuditTrail({ pool: database.pool, keys, exportedHeads: [], concurrency: 4 });
  console.log(
    `audit append (client=${client}): ${writers} writers, ${perTx} event(s) per transaction, ${elapsed.toFixed(1)} s: ${events} events, ` +
      `${Math.round(events / elapsed)} events/s (${Math.round(events / perTx / elapsed)} transactions/s)` +
      (client === 'pgbench' ? '' : `; bench client used ${clientCores.toFixed(2)} of the machine's cores`),
  );
  console.log(
    `CPU per event: bench client ${client === 'pgbench' ? 'not counted (pgbench)' : `${perEventUs((cpu.user + cpu.system) / 1e6)} µs`}` +
      // pgbench's own connections come and go inside the run: not measurable from here
      (client !== 'pgbench' && server0 !== undefined && server1 !== undefined ? `, PostgreSQL backends ${perEventUs(server1 - server0)} µs` : '') +
      `; load average ${(await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ')[0]} at the end (other work on the machine lowers events/s)`,
  );
  console.log(`chain check afterwards: ${v.events} events verified (${events + warm} expected), ${v.chains} chains, ${v.problems.length} problem(s)`);
  if (v.problems.length || v.events !== events + warm) process.exitCode = 1;
} finally {
  await monitor.end().catch(() => undefined);
  await drop();
}
