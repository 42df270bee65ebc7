/**
 * Backups, restore and failover, measured (docs/operations.md#what-an-operator-can-promise, Art. 28(1)
 * items 5-7). Starts its own primary and asynchronous streaming standby (two PostgreSQL clusters on free
 * ports, src/test/pg-replica-pair.ts; the shared cluster on 5432 is not touched), then:
 *
 *  1. seeds the demo data through the real use cases, takes `distansia backup` (pg_dump + age, two
 *     directory destinations) and restores it into a new database (`distansia restore`);
 *  2. grows the database with generated audit events and slots (server-side copies of real rows; their
 *     seals are not valid, so the restore check would refuse them: only sizes and times are measured),
 *     sampling the standby's replay lag while the load runs, then backs up and restores again;
 *  3. crashes the primary, promotes the standby (`distansia failover`) and times until a pool over the
 *     two-host DATABASE_URL commits a write again.
 *
 *   npx tsx bench/backup.ts [auditEvents=1000000] [slots=1000000]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { openDatabase } from '../src/platform/db/index.js';
import { createDeps } from '../src/composition.js';
import { seedDemo } from '../src/demo/index.js';
import { configuredTargets, findBackup, readIdentity, restoreInto } from '../src/modules/backup/index.js';
import { promoteStandby } from '../src/modules/ops/index.js';
import { startReplicaPair } from '../src/test/pg-replica-pair.js';

const auditEvents = Number(process.argv[2] ?? 1_000_000);
const slots = Number(process.argv[3] ?? 1_000_000);
const rows: [string, string][] = [];
const note = (what: string, figure: string) => {
  rows.push([what, figure]);
  process.stdout.write(`${what}: ${figure}\n`);
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const pair = await startReplicaPair({ synchronous: false, database: 'distansia' });
const work = await mkdtemp(join(tmpdir(), 'distansia-bench-backup-'));
try {
  const identity = await generateX25519Identity();
  await writeFile(join(work, 'backup.key'), `${identity}\n`, { mode: 0o600 });
  const destinations = [join(work, 'site-a'), join(work, 'site-b')];
  const config = loadConfig({ DEV_MAIL_SINK: 'true',
    DATA_DIR: join(work, 'data'), DATABASE_URL: pair.primaryUrl, LOG_LEVEL: 'warn', OUTBOX_WORKER: 'false',
    BACKUP_DESTINATIONS: destinations.join(','), BACKUP_RECIPIENTS: await identityToRecipient(identity), BACKUP_IDENTITY_FILE: join(work, 'backup.key'),
  });
  const deps = await createDeps(config, createLogger(config.LOG_LEVEL));
  try {
    let t = performance.now();
    await seedDemo(deps);
    process.stdout.write(`demo seeded in ${secs(performance.now() - t)}\n`);

    const backupAndRestore = async (label: string) => {
      const size = await deps.database.pool.query<{ b: string }>('SELECT pg_database_size(current_database())::text AS b');
      const t0 = performance.now();
      const b = await deps.backup.backupNow();
      const backupMs = performance.now() - t0;
      if (b.status !== 'ok') throw new Error(`backup ${b.status}: ${b.error ?? JSON.stringify(b.destinations)}`);
      const { copies } = await findBackup(configuredTargets(destinations), b.id);
      const copy = copies[0];
      if (!copy) throw new Error('backup not found at the destinations');
      const into = pair.primaryUrl.replace(/\/distansia$/, `/restored_${label}`);
      const t1 = performance.now();
      const { database } = await restoreInto(copy, await readIdentity(config.BACKUP_IDENTITY_FILE), { postgresUrl: into });
      const restoreMs = performance.now() - t1;
      await database.close();
      const total = Object.values(copy.manifest.rowCounts).reduce((a, c) => a + c, 0);
      note(`${label}: database size / rows`, `${mb(Number(size.rows[0]?.b))} / ${total.toLocaleString('en')} rows`);
      note(`${label}: backup (pg_dump, age, 2 destinations)`, `${secs(backupMs)}, ${mb(b.sizeBytes ?? 0)} encrypted`);
      note(`${label}: restore into a new database (age, pg_restore)`, secs(restoreMs));
      const admin = new pg.Client({ connectionString: pair.primaryUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE restored_${label} WITH (FORCE)`);
      await admin.end();
    };

    await backupAndRestore('demo');

    // Growth: copies of real rows, made on the server; triggers off (session_replication_role) because
    // the copies do not continue the audit chains, which only the restore check would notice.
    const c = new pg.Client({ connectionString: pair.primaryUrl });
    await c.connect();
    let maxLagBytes = 0;
    let maxLagSeconds = 0;
    const lagClient = new pg.Client({ connectionString: pair.primaryUrl });
    await lagClient.connect();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const r = await lagClient.query<{ bytes: string | null; s: string | null }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text AS bytes, EXTRACT(EPOCH FROM replay_lag)::text AS s FROM pg_stat_replication`);
        maxLagBytes = Math.max(maxLagBytes, Number(r.rows[0]?.bytes ?? 0));
        maxLagSeconds = Math.max(maxLagSeconds, Number(r.rows[0]?.s ?? 0));
        await new Promise((res) => setTimeout(res, 200));
      }
    })();
    t = performance.now();
    await c.query('SET session_replication_role = replica');
    const cols = (await c.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_event' AND table_schema = 'public' ORDER BY ordinal_position`)).rows.map((r) => r.column_name);
    const expr = (col: string) => ({ chain: '(1000 + (g % 64))::smallint', seq: '(g / 64 + 1)::bigint', id: 'gen_random_uuid()' })[col] ?? `e.${pg.escapeIdentifier(col)}`;
    for (let done = 0; done < auditEvents; done += 100_000) {
      const n = Math.min(100_000, auditEvents - done);
      await c.query(`INSERT INTO audit_event (${cols.map((x) => pg.escapeIdentifier(x)).join(', ')}) SELECT ${cols.map(expr).join(', ')} FROM (SELECT * FROM audit_event ORDER BY recorded_at LIMIT 1) e, generate_series(${done}, ${done + n - 1}) g`);
    }
    for (let done = 0; done < slots; done += 100_000) {
      const n = Math.min(100_000, slots - done);
      await c.query(`INSERT INTO slot (id, schedule_id, practitioner_id, facility_id, service_id, specialty_code, start, "end", status)
        SELECT gen_random_uuid(), s.schedule_id, s.practitioner_id, s.facility_id, s.service_id, s.specialty_code,
               timestamptz '2040-01-01 08:00Z' + g * interval '30 minutes', timestamptz '2040-01-01 08:30Z' + g * interval '30 minutes', 'free'
          FROM (SELECT * FROM slot LIMIT 1) s, generate_series(${done}, ${done + n - 1}) g`);
    }
    await c.query('ANALYZE');
    const loadMs = performance.now() - t;
    // The standby catches up: wait for it, then stop sampling.
    for (let i = 0; i < 600; i += 1) {
      const r = await c.query<{ bytes: string | null }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text AS bytes FROM pg_stat_replication`);
      if (Number(r.rows[0]?.bytes ?? 1) === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    sampling = false;
    await sampler;
    await lagClient.end();
    await c.end();
    note(`bulk load of ${auditEvents.toLocaleString('en')} audit events + ${slots.toLocaleString('en')} slots`, `${secs(loadMs)}; asynchronous standby's replay lag at most ${maxLagSeconds.toFixed(2)} s / ${mb(maxLagBytes)} behind`);

    await backupAndRestore('large');
  } finally {
    await deps.close();
  }

  // Failover: what RTO is made of once the operator decides to fail over.
  const multi = await openDatabase({ kind: 'postgres', url: pair.multiHostUrl, poolSize: 2 });
  await multi.pool.query('CREATE TABLE IF NOT EXISTS bench_failover (n int)');
  await pair.crashPrimary();
  const t0 = performance.now();
  const promoted = await promoteStandby(pair.standbyUrl);
  let writes = false;
  while (!writes) {
    try {
      await multi.pool.query('INSERT INTO bench_failover VALUES (1)');
      writes = true;
    } catch {
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  note('failover: pg_promote until the standby accepts writes', `${promoted.seconds.toFixed(2)} s`);
  note('failover: promote until the app\'s pool (two-host DATABASE_URL) commits again', secs(performance.now() - t0));
  await multi.close();
} finally {
  await pair.destroy();
  await rm(work, { recursive: true, force: true });
}

process.stdout.write(`\n| what | figure |\n|---|---|\n${rows.map(([w, f]) => `| ${w} | ${f} |`).join('\n')}\n`);
