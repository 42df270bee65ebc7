/**
 * Audit append throughput on PostgreSQL (issue 3; DECISIONS.md item 12): W concurrent writers, each
 * appending one event per transaction (BEGIN; INSERT audit_event (chained by trigger); COMMIT) for a
 * fixed time, in a fresh database at DATABASE_URL (default 127.0.0.1:5432/test) that is dropped after.
 *
 *   npx tsx bench/audit-append.ts [seconds=10] [writers=32] [eventsPerTx=1]
 */
import { createAuditLog } from '../src/platform/audit/audit-log.js';
import { verifyAuditTrail } from '../src/platform/audit/audit-verify.js';
import { withTransaction } from '../src/platform/db/index.js';
import { systemClock } from '../src/platform/clock.js';
import { systemIds } from '../src/platform/ids.js';
import type { RequestCtx } from '../src/platform/auth/request-context.js';
import { freshPostgres } from './audit-db.js';

const seconds = Number(process.argv[2] ?? 10);
const writers = Number(process.argv[3] ?? 32);
const perTx = Number(process.argv[4] ?? 1);

const { database, drop } = await freshPostgres(writers);
try {
  const audit = createAuditLog({ db: database.db, clock: systemClock, ids: systemIds });
  const ctx = (w: number): RequestCtx => ({
    actor: { type: 'user', id: systemIds.uuid(), role: 'specialist', sessionId: 's', facilityIds: [] },
    requestId: `bench-${w}`,
    ip: '10.0.0.1',
    userAgent: 'bench',
    lang: 'en',
  });
  const patientId = systemIds.uuid();
  // warm-up: open every pool connection
  await Promise.all(Array.from({ length: writers }, (_, w) => withTransaction(database.db, (tx) => audit.record(tx, ctx(w), { action: 'patient.read', patientId }))));
  let events = 0;
  let stop = false;
  const t0 = performance.now();
  const timer = setTimeout(() => (stop = true), seconds * 1000);
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const c = ctx(w);
      while (!stop) {
        await withTransaction(database.db, async (tx) => {
          for (let i = 0; i < perTx; i += 1) await audit.record(tx, c, { action: 'patient.read', patientId, subject: { type: 'patient', id: patientId }, reason: 'bench', data: { i } });
        });
        events += perTx;
      }
    }),
  );
  clearTimeout(timer);
  const elapsed = (performance.now() - t0) / 1000;
  const v = await verifyAuditTrail({ pool: database.pool, exportedHeads: [], concurrency: 4 });
  console.log(`audit append: ${writers} writers, ${perTx} event(s) per transaction, ${elapsed.toFixed(1)} s: ${events} events, ${Math.round(events / elapsed)} events/s`);
  console.log(`chain check afterwards: ${v.events} events verified, ${v.problems.length} problem(s)`);
  if (v.problems.length) process.exitCode = 1;
} finally {
  await drop();
}
