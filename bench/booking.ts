import { fork } from 'node:child_process';
import pg from 'pg';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import { Temporal } from 'temporal-polyfill';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { createDeps } from '../src/composition.js';
import { buildApp } from '../src/app.js';
import { createTestDatabase } from '../src/platform/db/testing.js';
import { systemCtx } from '../src/platform/auth/request-context.js';
import { withTransaction } from '../src/platform/db/index.js';
import { makeEgn } from '../src/platform/identifiers.js';
import { signIn } from '../src/test/access-world.js';
import { buildRequestsWorld, CARDIOLOGY } from '../src/test/requests-world.js';
import { postgresCpu, postgresCpuSince } from './postgres-cpu.js';
import { enrolTotpForDemo } from '../src/demo/enrol-totp.js';

// Booking benchmark, over HTTP with authenticated sessions, on loopback.
//   PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/booking.ts
//   PGlite:     npx tsx bench/booking.ts
// Env: BENCH_SECONDS (10) per throughput run, BENCH_MIXED_SECONDS (60), BENCH_CONNECTIONS (50),
// BENCH_SPECIALISTS (20), BENCH_PROFILE (a file: the server's CPU profile of the distinct run, for DevTools). A fresh database is created and dropped (PostgreSQL) or kept in memory (PGlite).
//   1. raw: committed single-row INSERTs/s from the same number of concurrent clients (the server's ceiling)
//   2. distinct: POST /api/v1/requests, each on a different free slot
//   3. contend: 200 concurrent attempts on one slot (expect 1 × 201 and 199 × 409)
//   4. mixed: random slots from a small pool with overlapping slots of two schedules, then an SQL check

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const mixedSeconds = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SPECIALISTS = Number(process.env.BENCH_SPECIALISTS ?? 20);

const database = await createTestDatabase();
const dataDir = await mkdtemp(join(tmpdir(), 'distansia-bench-'));
// One sign-in per connection from one address: the per-IP rate limits are raised for the measurement.
const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', OUTBOX_WORKER: 'false', WEB_DIST_DIR: join(dataDir, 'no-web'), RATE_LIMIT_AUTH_MAX: '1000000' });
const deps = await createDeps(config, createLogger(process.env.BENCH_LOG === 'error' ? 'error' : 'silent'), { database });
const app = await buildApp(deps);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const q = (text: string, values?: unknown[]) => database.pool.query(text, values);

// The world: the providing facility with its published real-time service; extra specialists share it.
const tomorrow = Temporal.Now.instant().add({ hours: 24 }).round({ smallestUnit: 'hour', roundingMode: 'ceil' }).toString();
const w = await buildRequestsWorld({ app, deps }, { slots: 1, from: tomorrow });
// The figures are the booking statement's (STYLE C8). The world's service is NHIF-paid, and an NHIF-paid
// specialist booking first reserves the patient's referral (W14, docs/referrals.md), a transaction of its
// own per booking with a referral made for each: here the service is a paid one, which needs none.
await q('UPDATE facility_service SET nhif_paid = false, price_eur_cents = 3000 WHERE id = $1', [w.syncServiceId]);
await q(`CREATE FUNCTION bench_uuid(text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$ SELECT overlay(overlay(md5($1) placing '4' from 13) placing '8' from 17)::uuid $$`);
await q(`INSERT INTO practitioner (id, uin, given_name, family_name, created_at)
  SELECT bench_uuid('bp' || i), lpad('9' || i::text, 10, '0'), 'Бенч', 'Специалист' || i, now() FROM generate_series(1, $1) i`, [SPECIALISTS]);
await q(`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) SELECT bench_uuid('br' || i), bench_uuid('bp' || i), $2, now() FROM generate_series(1, $1) i`, [SPECIALISTS, w.providerId]);
// Two schedules per specialist: "a" on the half hour, "b" shifted by 15 minutes, so the mixed run
// books overlapping slots and exercises the exclusion constraint.
await q(`INSERT INTO schedule (id, facility_id, practitioner_id, service_id, time_zone, slot_minutes, valid_from, created_at, updated_at)
  SELECT bench_uuid('bs' || s || i), $2, bench_uuid('bp' || i), $3, 'Europe/Sofia', 30, '2026-01-01', now(), now()
  FROM generate_series(1, $1) i, unnest(ARRAY['a', 'b']) s`, [SPECIALISTS, w.providerId, w.syncServiceId]);
const SLOTS_PER = 4000;
await q(`INSERT INTO slot (id, schedule_id, practitioner_id, facility_id, service_id, specialty_code, start, "end", status)
  SELECT bench_uuid('sl' || s || i || '-' || k), bench_uuid('bs' || s || i), bench_uuid('bp' || i), $2, $3, $4,
         $5::timestamptz + (k * interval '30 minutes') + CASE WHEN s = 'b' THEN interval '15 minutes' ELSE interval '0' END,
         $5::timestamptz + ((k + 1) * interval '30 minutes') + CASE WHEN s = 'b' THEN interval '15 minutes' ELSE interval '0' END, 'free'
  FROM generate_series(1, $1) i, unnest(ARRAY['a', 'b']) s, generate_series(0, ${SLOTS_PER - 1}) k`, [SPECIALISTS, w.providerId, w.syncServiceId, CARDIOLOGY, tomorrow]);
await q('ANALYZE');

// One patient account (and one session) per connection, signed in through the real routes.
const ctx = systemCtx('bench.booking');
const creds: { email: string; secret: string }[] = [];
await withTransaction(deps.db, async (tx) => {
  for (let i = 0; i < connections; i += 1) {
    const patientId = await deps.patients.createPatient(tx, ctx, { identifierKind: 'egn', identifier: makeEgn(Temporal.PlainDate.from('1980-01-01'), 'male', i + 1), givenName: 'Бенч', familyName: `Пациент${i}`, birthDate: '1980-01-01', sex: 'male' });
    const email = `bench.${i}@bench.distansia.bg`;
    const id = await deps.identity.createAccount(tx, ctx, { email, password: 'Vitosha-Lipa-Mart-Zora-2026', role: 'patient', patientId });
    creds.push({ email, secret: (await enrolTotpForDemo(deps, tx, ctx, id)).secret });
  }
});
const epoch = Math.floor(Date.now() / 1000);
const sessions: Record<string, string>[] = [];
for (const c of creds) sessions.push(await signIn(app, c.email, c.secret, epoch));
const body = { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, phone: '+359 88 000 0000', intake: { anamnesis: 'бенчмарк' } };

async function slotIds(where: string, limit: number, order: 'ASC' | 'DESC' = 'ASC'): Promise<string[]> {
  const r = await q(`SELECT id FROM slot WHERE status = 'free' AND practitioner_id <> $1 AND ${where} ORDER BY start ${order}, practitioner_id LIMIT ${limit}`, [w.cardiologistId]);
  return r.rows.map((x: { id: string }) => x.id);
}

type Result = { cpuMs: number; requests: number; ok: number; okPerSecond: number; statuses: Record<string, number>; codes: Record<string, number>; p50: number; p99: number; max: number; usedSlots: number };
async function load(mode: 'distinct' | 'contend' | 'mixed', slots: string[], conns: number, durationMs: number): Promise<Result> {
  const child = fork(fileURLToPath(new URL('./booking-load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  child.send({ origin, mode, connections: conns, warmupMs: mode === 'distinct' ? 2000 : 0, durationMs, slots, sessions, body });
  return new Promise<Result>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Result));
    child.once('error', reject);
  });
}

console.log(`machine  ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other work on the machine lowers every figure below)`);
// 1. The raw commit rate of single-row inserts, same server, same concurrency.
await q('CREATE TABLE bench_raw (id uuid PRIMARY KEY, at timestamptz NOT NULL)');
let rawRate = 0;
{
  const end = performance.now() + seconds * 1000;
  let n = 0;
  let k = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        await q('INSERT INTO bench_raw (id, at) VALUES (bench_uuid($1), now())', [`raw${k++}`]);
        n += 1;
      }
    }),
  );
  console.log(`raw      ${String(Math.round(n / seconds)).padStart(6)} committed single-row inserts/s (${connections} concurrent clients over the server's pool, ${database.kind}, ${seconds} s)`);
  rawRate = n / seconds;
}

// Cost per booking that does not depend on how busy the machine is: the statements the server sends
// (every pg.Client#query, BEGIN and COMMIT included; one statement is one round trip) and the server
// process's CPU time, over the whole distinct run (warm-up included) divided by the bookings it made.
let statements = 0;
let counting = false;
const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: unknown, ...args: unknown[]) {
  if (counting) statements += 1;
  return clientQuery.apply(this, args);
};
const appointments = async () => ((await q('SELECT count(*)::int AS n FROM appointment')).rows[0] as { n: number }).n;

const f = (x: number) => x.toFixed(1);
// 2. Distinct slots.
const distinctSlots = await slotIds(`(extract(minute FROM start)::int % 30) = 0`, 200_000);
const booked0 = await appointments();
const profiler = process.env.BENCH_PROFILE ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
const cpu0 = process.cpuUsage();
const pgCpu0 = await postgresCpu();
counting = true;
const d = await load('distinct', distinctSlots, connections, seconds * 1000);
counting = false;
if (profiler && process.env.BENCH_PROFILE) {
  const { profile } = await profiler.post('Profiler.stop');
  await writeFile(process.env.BENCH_PROFILE, JSON.stringify(profile));
  profiler.disconnect();
}
const cpu = process.cpuUsage(cpu0);
const pgCpu = postgresCpuSince(pgCpu0, await postgresCpu());
const booked = (await appointments()) - booked0;
console.log(`distinct ${String(Math.round(d.okPerSecond)).padStart(6)} bookings/s  p50 ${f(d.p50)} ms  p99 ${f(d.p99)} ms  max ${f(d.max)} ms  statuses ${JSON.stringify(d.statuses)} ${JSON.stringify(d.codes)}  = ${((100 * d.okPerSecond) / rawRate).toFixed(0)}% of raw`);
console.log(`         per booking: ${(statements / booked).toFixed(2)} statements from the server, ${((cpu.user + cpu.system) / 1000 / booked).toFixed(2)} ms server CPU (${(cpu.system / 1000 / booked).toFixed(2)} in the kernel), ${(d.cpuMs / booked).toFixed(2)} ms load-generator CPU, ${database.kind === 'postgres' ? `${(pgCpu / booked).toFixed(2)} ms PostgreSQL CPU (local processes)` : 'PGlite runs in the server'} (${booked} bookings incl. warm-up; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);

// 3. Contention: 200 concurrent attempts on one slot.
// From the far end of the calendar: untouched by the distinct run (whose slots the shifted ones overlap).
const [one] = await slotIds('true', 1, 'DESC');
const c = await load('contend', [one ?? ''], 200, 0);
console.log(`contend  200 attempts on one slot: ${JSON.stringify(c.statuses)} ${JSON.stringify(c.codes)}`);

// 4. Mixed: 60 s of random picks from 400 slots (200 pairs that overlap by 15 minutes).
const pool = await slotIds(`start > (SELECT max(start) FROM slot) - interval '5 hours' AND start < (SELECT max(start) FROM slot) - interval '1 hour'`, 400, 'DESC');
const m = await load('mixed', pool, connections, mixedSeconds * 1000);
const overlaps = await q(`SELECT count(*)::int AS n FROM appointment a JOIN appointment b
    ON a.practitioner_id = b.practitioner_id AND a.id < b.id AND tstzrange(a.block_start, a.block_end, '[)') && tstzrange(b.block_start, b.block_end, '[)')
  WHERE a.status NOT IN ('cancelled', 'noshow', 'entered-in-error') AND b.status NOT IN ('cancelled', 'noshow', 'entered-in-error')`);
const busyWithoutAppointment = await q(`SELECT count(*)::int AS n FROM slot s WHERE s.status = 'busy' AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id)`);
console.log(`mixed    ${mixedSeconds} s over ${pool.length} slots: ${JSON.stringify(m.statuses)} ${JSON.stringify(m.codes)}  overlapping live appointments: ${overlaps.rows[0].n}  busy slots without appointment: ${busyWithoutAppointment.rows[0].n}`);

await app.close();
await deps.close();
await database.close();
await rm(dataDir, { recursive: true, force: true });
