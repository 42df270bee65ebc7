/**
 * Performance: the deadline scan over 1,000,000 open services on PostgreSQL finds every breached
 * (`due_at < now`) and every due-for-escalation (80% passed, not escalated) row in under 1 s.
 * Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/deadline-scan.ts [rows]
 */
import { performance } from 'node:perf_hooks';
import { freshPostgres } from './audit-db.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const NOW = '2026-11-30T12:00:00Z';

const { database, drop } = await freshPostgres(4);
const pool = database.pool;
try {
  // A throwaway database: the foreign keys to service_request/facility are dropped so the bench can
  // generate the deadline rows alone (the scan reads only documentation_deadline).
  await pool.query(`ALTER TABLE documentation_deadline DROP CONSTRAINT documentation_deadline_request_id_fkey,
    DROP CONSTRAINT documentation_deadline_facility_id_fkey, DROP CONSTRAINT documentation_deadline_practitioner_id_fkey`);
  const t0 = performance.now();
  // 1% past due, 2% past 80% but not due, the rest in the future; all open.
  await pool.query(`INSERT INTO documentation_deadline (request_id, facility_id, practitioner_id, urgency, mode, document_kind, time_zone,
      completed_at, base_due_at, due_at, escalate_at, created_at)
    SELECT gen_random_uuid(), gen_random_uuid(), NULL, 'planned', 'asynchronous', 'ambulatory_sheet', 'Europe/Sofia',
      c, c + interval '30 hours', c + interval '30 hours', c + interval '24 hours', c
    FROM (SELECT CASE WHEN i % 100 = 0 THEN timestamptz '${NOW}' - interval '31 hours'
                      WHEN i % 100 IN (1, 2) THEN timestamptz '${NOW}' - interval '25 hours'
                      ELSE timestamptz '${NOW}' - ((i % 1200) || ' minutes')::interval END AS c
          FROM generate_series(1, ${ROWS}) AS i) s`);
  await pool.query('ANALYZE documentation_deadline');
  console.log(`inserted ${ROWS} open deadlines in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const times: number[] = [];
  let breached = 0;
  let toEscalate = 0;
  for (let run = 0; run < 7; run += 1) {
    const s = performance.now();
    const b = await pool.query(`SELECT request_id, facility_id, due_at FROM documentation_deadline WHERE status = 'open' AND due_at < $1 ORDER BY due_at`, [NOW]);
    const e = await pool.query(`SELECT request_id, facility_id, due_at FROM documentation_deadline WHERE status = 'open' AND escalated_at IS NULL AND escalate_at <= $1 ORDER BY escalate_at`, [NOW]);
    times.push(performance.now() - s);
    breached = b.rowCount ?? 0;
    toEscalate = e.rowCount ?? 0;
  }
  times.sort((a, b) => a - b);
  const plan = await pool.query(`EXPLAIN SELECT request_id FROM documentation_deadline WHERE status = 'open' AND due_at < '${NOW}'`);
  console.log(`plan: ${String((plan.rows[0] as Record<string, string>)['QUERY PLAN'])}`);
  console.log(`scan of ${ROWS} open deadlines: ${breached} breached + ${toEscalate} to escalate (80%); median ${times[3]?.toFixed(1)} ms, worst ${times[6]?.toFixed(1)} ms over 7 runs`);
  if (breached !== ROWS / 100 || toEscalate !== (ROWS / 100) * 3) throw new Error('the scan missed rows');
  if ((times[6] ?? Infinity) >= 1000) throw new Error('the scan took 1 s or more');
} finally {
  await drop();
}
