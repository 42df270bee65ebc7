import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { systemCtx } from '../src/platform/auth/request-context.js';
import { withTransaction } from '../src/platform/db/index.js';
import { signIn } from '../src/test/access-world.js';
import { benchPatient, createGpPractice, startBenchApp } from './gp-practice.js';

// Monthly NHIF report benchmark (docs/practice.md; issue target: a practice of 2,500 patients and 1,500
// visits in the month builds in under 2 s on PostgreSQL). The patients are created through the patients
// use case; the month's visits, payments and phone calls are written as rows (the report reads only
// those tables). Then N requests for the report (JSON with the drill-down, and XML) through the HTTP app.
//   PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/nhif-report.ts
//   PGlite:     npx tsx bench/nhif-report.ts
// Options (env): BENCH_PATIENTS (2500), BENCH_VISITS (1500), BENCH_REQUESTS (20).

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 2500);
const VISITS = Number(process.env.BENCH_VISITS ?? 1500);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20);

const { clock, database, deps, app, close } = await startBenchApp('2026-04-02T08:00:00Z');
try {
  const ctx = systemCtx('bench.nhif-report');
  const at = clock.now().toString();
  const t0 = performance.now();
  const { practice, gp, gpAccount, gpEmail, gpSecret } = await withTransaction(deps.db, (tx) => createGpPractice(deps, tx, ctx, 4343, 'gp.report.bench@distansia.bg'));
  const patients: string[] = [];
  for (let i = 0; i < PATIENTS; i += 1) {
    patients.push(await withTransaction(deps.db, (tx) => deps.patients.createPatient(tx, ctx, benchPatient(i))));
  }
  const kinds = ['in_person', 'in_person', 'in_person', 'phone', 'home_visit'] as const;
  const groups = ['0-18', '18-65', '18-65', '65+'];
  await withTransaction(deps.db, async (tx) => {
    let receipt = 0;
    for (let i = 0; i < VISITS; i += 1) {
      const patient = patients[(i * 7) % patients.length] as string;
      const day = Temporal.PlainDate.from('2026-03-02').add({ days: i % 28 });
      const startedAt = day.toZonedDateTime({ timeZone: 'Europe/Sofia', plainTime: Temporal.PlainTime.from({ hour: 9 + (i % 8) }) }).toInstant().toString();
      const kind = kinds[i % kinds.length] as string;
      const id = deps.ids.uuid();
      const basis = kind === 'phone' ? 'none' : i % 11 === 0 ? 'price_list' : i % 4 === 0 ? 'exempt' : 'user_fee';
      await tx.execute(sql`INSERT INTO encounter (id, patient_id, facility_id, practitioner_id, kind, nhif_paid, started_at, recorded_by_account_id, created_at)
        VALUES (${id}, ${patient}, ${practice}, ${gp}, ${kind}, ${basis !== 'price_list'}, ${startedAt}::timestamptz, ${gpAccount}, ${at}::timestamptz)`);
      await tx.execute(sql`INSERT INTO practice_visit (encounter_id, facility_id, patient_id, practitioner_id, kind, visit_on, nhif_paid, purpose, age_group, fee_basis, fee_rule, exemption_code, fee_amount, fee_currency, created_at)
        VALUES (${id}, ${practice}, ${patient}, ${gp}, ${kind}, ${day.toString()}::date, ${basis !== 'price_list'}, ${i % 9 === 0 ? 'prophylaxis' : 'treatment'}, ${groups[i % groups.length]}, ${basis}, 'R-PC-12',
          ${basis === 'exempt' ? 'minor' : null}, ${basis === 'user_fee' ? '1.48' : basis === 'price_list' ? '16.00' : '0.00'}::numeric, 'EUR', ${at}::timestamptz)`);
      if (basis === 'user_fee' || basis === 'price_list') {
        receipt += 1;
        await tx.execute(sql`INSERT INTO practice_payment (id, facility_id, encounter_id, patient_id, purpose, amount, currency, method, receipt_number, paid_at, paid_on, created_at)
          VALUES (${deps.ids.uuid()}, ${practice}, ${id}, ${patient}, ${basis}, ${basis === 'user_fee' ? '1.48' : '16.00'}::numeric, 'EUR', 'cash', ${receipt}, ${startedAt}::timestamptz, ${day.toString()}::date, ${at}::timestamptz)`);
      }
    }
  });
  const seeded = (performance.now() - t0) / 1000;
  const headers = await signIn(app, gpEmail, gpSecret, Math.floor(clock.now().epochMilliseconds / 1000));
  const times: Record<string, number[]> = { json: [], xml: [] };
  for (let i = 0; i < REQUESTS; i += 1) {
    for (const format of ['json', 'xml'] as const) {
      const s = performance.now();
      const r = await app.inject({ method: 'GET', url: `/api/v1/practices/${practice}/reports/nhif-monthly?month=2026-03&format=${format}`, headers });
      const ms = performance.now() - s;
      if (r.statusCode !== 200) throw new Error(`${format}: ${r.statusCode} ${r.body}`);
      if (i === 0 && format === 'json' && (r.json() as { visits: { count: number } }).visits.count === 0) throw new Error('empty report');
      times[format]?.push(ms);
    }
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]?.toFixed(0);
  console.log(JSON.stringify({
    database: database.kind,
    patients: PATIENTS,
    visits: VISITS,
    seededSeconds: seeded.toFixed(1),
    load: loadavg()[0]?.toFixed(1),
    json: { p50ms: pct(times.json ?? [], 50), maxms: pct(times.json ?? [], 100) },
    xml: { p50ms: pct(times.xml ?? [], 50), maxms: pct(times.xml ?? [], 100) },
  }));
} finally {
  await close();
}
