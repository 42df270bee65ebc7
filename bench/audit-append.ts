/**
 * Audit append throughput on PostgreSQL (docs/decisions.md#d12): W concurrent writers, each
 * appending E events per transaction (BEGIN; E × INSERT audit_event, chained by the trigger; COMMIT)
 * for a fixed time, in a fresh database at DATABASE_URL (default 127.0.0.1:5432/test) that is dropped
 * after. Every event counted is committed; the trail is verified afterwards.
 *
 *   npx tsx bench/audit-append.ts [seconds=10] [writers=32] [eventsPerTx=1] [client=drizzle|pipeline|pgbench]
 *
 * client=drizzle: the platform's own path, `AuditLog.record` inside `withTransaction` on the drizzle
 *   pool (three round trips per one-event transaction: BEGIN, INSERT, COMMIT).
 * client=pipeline: the same statement and parameters (`AUDIT_INSERT_SQL`, `auditInsertValues`), prepared
 *   by name on one pg connection per writer in pipeline mode, so BEGIN, the INSERTs and COMMIT leave in
 *   one round trip. It measures what the database sustains when the client is not the bottleneck; on a
 *   2-core machine the Node client still shares the cores with PostgreSQL (its CPU share is printed).
 * client=pgbench: PostgreSQL's own C load generator (pgbench -M prepared, on PATH) runs the same INSERT
 *   with constant values (id from gen_random_uuid(), recorded_at from now()): the lightest client there
 *   is, for the database's capacity. The trigger and the chains are the real ones; the trail is verified.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { AUDIT_INSERT_SQL, auditInsertValues, createAuditLog, type AuditEntry } from '../src/platform/audit/audit-log.js';
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
if (client !== 'drizzle' && client !== 'pipeline' && client !== 'pgbench') throw new Error(`client must be drizzle, pipeline or pgbench, not ${client}`);

/**
 * Runs pgbench with the append statement for `seconds`.
 * @returns the committed transactions
 */
async function runPgbench(url: string, values: readonly (string | number | null)[]): Promise<number> {
  const literal = (v: string | number | null, i: number) => (i === 0 ? 'gen_random_uuid()' : i === 1 ? 'now()' : v === null ? 'NULL' : pg.escapeLiteral(String(v)));
  const insert = AUDIT_INSERT_SQL.replace(/VALUES \(.*\)$/, `VALUES (${values.map(literal).join(', ')})`);
  const dir = await mkdtemp(join(tmpdir(), 'distansia-audit-pgbench-'));
  try {
    const script = join(dir, 'append.sql');
    await writeFile(script, ['BEGIN;', ...Array.from({ length: perTx }, () => `${insert};`), 'COMMIT;', ''].join('\n'));
    const { stdout } = await promisify(execFile)('pgbench', ['-n', '-M', 'prepared', '-c', String(writers), '-j', '2', '-T', String(seconds), '-f', script, url]);
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
const connections: pg.Client[] = [];
try {
  await monitor.connect();
  const audit = createAuditLog({ db: database.db, clock: systemClock, ids: systemIds });
  const ctx = (w: number): RequestCtx => ({
    actor: { type: 'user', id: systemIds.uuid(), role: 'specialist', sessionId: 's', facilityIds: [] },
    requestId: `bench-${w}`,
    ip: '10.0.0.1',
    userAgent: 'bench',
    lang: 'en',
  });
  const patientId = systemIds.uuid();
  const entry = (i: number): AuditEntry => ({ action: 'patient.read', patientId, subject: { type: 'patient', id: patientId }, reason: 'bench', data: { i } });

  let transact: (w: number, c: RequestCtx) => Promise<void>;
  if (client === 'pgbench') {
    transact = () => Promise.resolve();
  } else if (client === 'drizzle') {
    transact = (_w, c) =>
      withTransaction(database.db, async (tx) => {
        for (let i = 0; i < perTx; i += 1) await audit.record(tx, c, entry(i));
      });
  } else {
    for (let w = 0; w < writers; w += 1) {
      const conn = new pg.Client({ connectionString: url, pipeline: true } as pg.ClientConfig);
      await conn.connect();
      connections.push(conn);
    }
    const deps = { clock: systemClock, ids: systemIds };
    transact = async (w, c) => {
      const conn = connections[w] as pg.Client;
      const sent: Promise<unknown>[] = [conn.query('BEGIN')];
      for (let i = 0; i < perTx; i += 1) sent.push(conn.query({ name: 'audit_event_insert', text: AUDIT_INSERT_SQL, values: auditInsertValues(deps, c, entry(i)) }));
      sent.push(conn.query('COMMIT'));
      const results = await Promise.allSettled(sent);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      // A COMMIT of a failed transaction answers ROLLBACK: count only committed events.
      const commit = results.at(-1) as PromiseFulfilledResult<pg.QueryResult>;
      if (commit.value.command !== 'COMMIT') throw new Error(`transaction ended with ${commit.value.command}`);
    };
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
    events = (await runPgbench(url, auditInsertValues({ clock: systemClock, ids: systemIds }, ctx(0), entry(0)))) * perTx;
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
  const v = await verifyAuditTrail({ pool: database.pool, exportedHeads: [], concurrency: 4 });
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
  for (const conn of connections) await conn.end();
  await monitor.end().catch(() => undefined);
  await drop();
}
