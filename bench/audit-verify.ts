/**
 * Audit verification time (docs/decisions.md#d12): fills a fresh PostgreSQL database (at
 * DATABASE_URL, default 127.0.0.1:5432/test; dropped after) with N chained events through the real
 * chaining trigger, in multi-row INSERT batches, then times `verifyAuditTrail` over the whole trail.
 *
 *   npx tsx bench/audit-verify.ts [events=1000000] [batch=5000]
 */
import { systemIds } from '../src/platform/ids.js';
import { verifyAuditTrail } from '../src/platform/audit/audit-verify.js';
import { freshPostgres } from './audit-db.js';

const total = Number(process.argv[2] ?? 1_000_000);
const batch = Number(process.argv[3] ?? 5000);
const loaders = 2;

const { database, drop } = await freshPostgres(8);
try {
  const actors = Array.from({ length: 50 }, () => systemIds.uuid());
  const patients = Array.from({ length: 1000 }, () => systemIds.uuid());
  const t0 = performance.now();
  let next = 0;
  const base = Date.parse('2026-01-01T00:00:00Z');
  await Promise.all(
    Array.from({ length: loaders }, async () => {
      while (next < total) {
        const start = next;
        const n = Math.min(batch, total - start);
        next += n;
        const ids: string[] = [];
        const at: string[] = [];
        const actor: string[] = [];
        const patient: string[] = [];
        const data: string[] = [];
        for (let i = 0; i < n; i += 1) {
          const k = start + i;
          ids.push(systemIds.uuid());
          at.push(new Date(base + k * 100).toISOString());
          actor.push(actors[k % actors.length] as string);
          patient.push(patients[k % patients.length] as string);
          data.push(JSON.stringify({ k }));
        }
        // Each batch is one transaction: the trigger chains its rows on one chain.
        await database.pool.query(
          `INSERT INTO audit_event (id, recorded_at, action, outcome, actor_type, actor_id, actor_role, patient_id, subject_type, subject_id, reason, request_id, ip, user_agent, data)
           SELECT id, at::timestamptz, 'patient.read', 'success', 'user', actor, 'specialist', patient, 'patient', patient::text, 'request:bench', 'bench', '10.0.0.1', 'bench', data::jsonb
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[]) AS x(id, at, actor, patient, data)`,
          [ids, at, actor, patient, data],
        );
      }
    }),
  );
  const loadSeconds = (performance.now() - t0) / 1000;
  await database.pool.query('VACUUM ANALYZE audit_event');
  console.log(`loaded ${total} chained events in ${loadSeconds.toFixed(1)} s`);
  const t1 = performance.now();
  const result = await verifyAuditTrail({ pool: database.pool, exportedHeads: [], concurrency: 4 });
  const verifySeconds = (performance.now() - t1) / 1000;
  console.log(`audit verify: ${result.events} events in ${result.chains} chains verified in ${verifySeconds.toFixed(2)} s (${Math.round(result.events / verifySeconds)} events/s), ${result.problems.length} problem(s); rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`);
  if (result.problems.length || result.events !== total) process.exitCode = 1;
} finally {
  await drop();
}
