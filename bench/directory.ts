import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { createDeps } from '../src/composition.js';
import { buildApp } from '../src/app.js';
import { createTestDatabase } from '../src/platform/db/testing.js';
import { practitionerRoleId } from '../src/platform/fhir/uuid.js';

// Directory benchmark. 1,000 facilities, 5,000 specialists, 1,000,000 future free slots; the
// public search and free-slot endpoints, and the FHIR Slot search (`/fhir/R4/Slot?schedule.actor=…`),
// under 32 keep-alive connections on loopback. BENCH_RUNS (search,slots,fhir) picks the runs.
//   PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/directory.ts
//   PGlite:     npx tsx bench/directory.ts
// Options (env): BENCH_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_SLOTS_PER_SPECIALIST (200), and
// DIRECTORY_CACHE_SECONDS (the server's default: 15 on PostgreSQL, 60 on PGlite; 0 measures every request
// against the database).
// A fresh database is created and dropped (PostgreSQL) or held in memory (PGlite).

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const slotsPer = Number(process.env.BENCH_SLOTS_PER_SPECIALIST ?? 200);
const FACILITIES = 1000;
const SPECIALISTS = 5000;
const specialties = ['1020', '1004', '1046', '1001', '1043', '1018', '1038', '1030', '1050', '1051', '1048', '1005', '1039', '1045', '1059'];

const database = await createTestDatabase();
const dataDir = await mkdtemp(join(tmpdir(), 'distansia-bench-'));
const q = (text: string) => database.pool.query(text);
const t0 = performance.now();
// Deterministic ids that are valid RFC 9562 UUIDs (version 4 nibble, variant 8), as the contracts require.
await q(`CREATE FUNCTION bench_uuid(text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$ SELECT overlay(overlay(md5($1) placing '4' from 13) placing '8' from 17)::uuid $$`);
const specArray = `ARRAY[${specialties.map((s) => `'${s}'`).join(',')}]`;
await q(`INSERT INTO facility (id, number, name, type_code, rhif_code, ekatte, settlement, address, created_at, updated_at)
  SELECT bench_uuid('f' || i), lpad(((i % 28) + 1)::text, 2, '0') || lpad(i::text, 8, '0'), 'Бенч център ' || i, 'mc', lpad(((i % 28) + 1)::text, 2, '0'),
         '68134', 'София', 'ул. Тестова ' || i, now(), now()
    FROM generate_series(0, ${FACILITIES - 1}) i`);
await q(`INSERT INTO practitioner (id, uin, given_name, family_name, created_at)
  SELECT bench_uuid('p' || i), lpad(((i % 28) + 1)::text, 2, '0') || lpad(i::text, 8, '0'), 'Иван', 'Бенчев' || i, now() FROM generate_series(0, ${SPECIALISTS - 1}) i`);
await q(`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at)
  SELECT bench_uuid('r' || i), bench_uuid('p' || i), bench_uuid('f' || (i % ${FACILITIES})), now() FROM generate_series(0, ${SPECIALISTS - 1}) i`);
await q(`INSERT INTO practitioner_specialty (practitioner_id, specialty_code)
  SELECT bench_uuid('p' || i), (${specArray})[1 + ((i % ${FACILITIES}) + (i / ${FACILITIES}) * 3) % 15] FROM generate_series(0, ${SPECIALISTS - 1}) i`);
await q(`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, nhif_paid, status, published_at, created_at, updated_at)
  SELECT bench_uuid('s' || i), bench_uuid('f' || (i % ${FACILITIES})), (${specArray})[1 + ((i % ${FACILITIES}) + (i / ${FACILITIES}) * 3) % 15], 'consultation',
         'Видеоконсултация', 'Консултация по видео', CASE WHEN i % 5 = 4 THEN 'asynchronous' ELSE 'synchronous' END, 30, 3500, false, 'published', now(), now(), now()
    FROM generate_series(0, ${SPECIALISTS - 1}) i`);
await q(`INSERT INTO schedule (id, facility_id, practitioner_id, service_id, time_zone, slot_minutes, valid_from, created_at, updated_at)
  SELECT bench_uuid('sc' || i), bench_uuid('f' || (i % ${FACILITIES})), bench_uuid('p' || i), bench_uuid('s' || i), 'Europe/Sofia', 30, current_date, now(), now()
    FROM generate_series(0, ${SPECIALISTS - 1}) i`);
await q(`INSERT INTO schedule_rule (id, schedule_id, weekday, start_time, end_time)
  SELECT bench_uuid('ru' || i || '-' || d), bench_uuid('sc' || i), d, '09:00', '11:00' FROM generate_series(0, ${SPECIALISTS - 1}) i, generate_series(1, 5) d`);
// Slots: every specialist (asynchronous services included, to reach the volume) gets `slotsPer` future
// free slots, four a day from tomorrow, staggered by specialist.
await q(`INSERT INTO slot (id, schedule_id, practitioner_id, facility_id, service_id, specialty_code, start, "end", status)
  SELECT bench_uuid('sl' || i || '-' || n), bench_uuid('sc' || i), bench_uuid('p' || i), bench_uuid('f' || (i % ${FACILITIES})), bench_uuid('s' || i),
         (${specArray})[1 + ((i % ${FACILITIES}) + (i / ${FACILITIES}) * 3) % 15],
         date_trunc('day', now()) + make_interval(days => 1 + n / 4, mins => 360 + (n % 4) * 30 + (i % 12) * 60),
         date_trunc('day', now()) + make_interval(days => 1 + n / 4, mins => 390 + (n % 4) * 30 + (i % 12) * 60), 'free'
    FROM generate_series(0, ${SPECIALISTS - 1}) i, generate_series(0, ${slotsPer - 1}) n`);
// A steady state: statistics and the visibility map (index-only scans), and no autovacuum of the fresh
// rows running during the measurement.
await q('VACUUM ANALYZE');
const counts = await q(`SELECT (SELECT count(*) FROM facility) AS facilities, (SELECT count(*) FROM practitioner) AS specialists, (SELECT count(*) FROM slot WHERE start > now()) AS future_slots`);
console.log(`data (${database.kind}): ${JSON.stringify(counts.rows[0])} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const config = loadConfig({
  HOST: '127.0.0.1',
  PORT: '0',
  DATA_DIR: dataDir,
  LOG_LEVEL: process.env.BENCH_LOG ?? 'silent',
  OUTBOX_WORKER: 'false',
  WEB_DIST_DIR: join(dataDir, 'no-web'),
  ...(process.env.DIRECTORY_CACHE_SECONDS ? { DIRECTORY_CACHE_SECONDS: process.env.DIRECTORY_CACHE_SECONDS } : {}),
});
const deps = await createDeps(config, createLogger(process.env.BENCH_LOG === 'error' ? 'error' : 'silent'), { database });
const app = await buildApp(deps);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

// Request mixes: deterministic pseudo-random filters.
const rnd = (() => {
  let s = 42;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
})();
const endOfWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
const searchPaths = Array.from({ length: 2000 }, (_, i) => {
  const p = new URLSearchParams({ specialty: specialties[Math.floor(rnd() * 15)] as string });
  if (i % 2 === 0) p.set('region', String(1 + Math.floor(rnd() * 28)).padStart(2, '0'));
  if (i % 3 === 0) p.set('mode', 'synchronous');
  if (i % 4 === 0) p.set('freeBefore', endOfWeek);
  if (i % 10 === 0) p.set('q', `Бенч център ${Math.floor(rnd() * 100)}`);
  return `/api/v1/directory/facilities?${p.toString()}`;
});
const md5Ids = await q(`SELECT i, bench_uuid('p' || i) AS p, bench_uuid('s' || i) AS s, bench_uuid('f' || (i % ${FACILITIES})) AS f FROM generate_series(0, ${SPECIALISTS - 1}) i`);
const from = new Date().toISOString();
const to = new Date(Date.now() + 7 * 86_400_000).toISOString();
const slotPaths = Array.from({ length: 2000 }, () => {
  const row = md5Ids.rows[Math.floor(rnd() * SPECIALISTS)] as { p: string; s: string };
  return `/api/v1/directory/slots?${new URLSearchParams({ specialistId: row.p, serviceId: row.s, from, to }).toString()}`;
});

// The FHIR directory client's question: a specialist's free slots from today, a page of 20.
const startDay = new Date().toISOString().slice(0, 10);
const fhirPaths = Array.from({ length: 2000 }, () => {
  const row = md5Ids.rows[Math.floor(rnd() * SPECIALISTS)] as { p: string; f: string };
  return `/fhir/R4/Slot?${new URLSearchParams({ 'schedule.actor': `PractitionerRole/${practitionerRoleId(row.f, row.p)}`, status: 'free', start: `ge${startDay}`, _count: '20' }).toString()}`;
});
const runs = new Set((process.env.BENCH_RUNS ?? 'search,slots,fhir').split(','));

async function run(name: string, paths: string[]) {
  const child = fork(fileURLToPath(new URL('./load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  child.send({ origin, connections, warmupMs: 2000, durationMs: seconds * 1000, paths });
  const result = await new Promise<Record<string, number>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Record<string, number>));
    child.once('error', reject);
  });
  const f = (x: number | undefined) => (x ?? NaN).toFixed(2);
  // The machine is shared: the 1-minute load average when the run ended goes with the figures.
  const load = loadavg()[0]?.toFixed(2) ?? '?';
  console.log(`${name.padEnd(8)} ${String(Math.round(result.rps ?? 0)).padStart(6)} req/s  p50 ${f(result.p50)} ms  p90 ${f(result.p90)} ms  p99 ${f(result.p99)} ms  max ${f(result.max)} ms  errors ${result.errors}  (${connections} connections, ${seconds} s, load ${load})`);
}

for (const path of [searchPaths[1] as string, slotPaths[0] as string, fhirPaths[0] as string]) {
  const res = await fetch(`${origin}${path}`);
  const body = (await res.json()) as { items?: unknown[]; entry?: unknown[] };
  // A benchmark of error responses measures nothing: fail loudly.
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  console.log(`sample ${path.split('?')[0] ?? ''}: ${(body.items ?? body.entry)?.length ?? 0} items`);
}
console.log(`directory cache: ${deps.directory.cacheStats().ttlSeconds} s`);
if (runs.has('search')) await run('search', searchPaths);
if (runs.has('slots')) await run('slots', slotPaths);
if (runs.has('fhir')) await run('fhir', fhirPaths);
console.log(`cache hits/misses: ${JSON.stringify(deps.directory.cacheStats())}`);
await app.close();
await deps.close();
await database.close();
await rm(dataDir, { recursive: true, force: true });
