import { loadavg } from 'node:os';
import { systemCtx, type RequestCtx } from '../src/platform/auth/request-context.js';
import { withTransaction } from '../src/platform/db/index.js';
import { signIn, WORLD_PASSWORD } from '../src/test/access-world.js';
import { benchPatient, createGpPractice, startBenchApp } from './gp-practice.js';
import { processCpuMs } from './postgres-cpu.js';

// GP patient list benchmark (НРД R-31; issue target: a page of a 2,500-patient list in under 20 ms p99
// server time on PostgreSQL). One GP practice, 2,500 patients registered through the real use case
// (encrypted forms, care relationships, audit), then N requests for random pages of 50 through the HTTP
// app (`inject`: auth hook, validation, service, serialisation; no network), one at a time.
//   PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/patient-list.ts
//   PGlite:     npx tsx bench/patient-list.ts
// Options (env): BENCH_PATIENTS (2500), BENCH_REQUESTS (2000), BENCH_PAGE_SIZE (50), BENCH_EXPLAIN (print the
// PostgreSQL plans of the page's statements).

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 2500);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const PAGE_SIZE = Number(process.env.BENCH_PAGE_SIZE ?? 50);

const { clock, database, deps, app, close } = await startBenchApp('2026-06-10T08:00:00Z');
try {
  const ctx = systemCtx('bench.patient-list');
  const t0 = performance.now();
  const { practice, gp, gpEmail, gpSecret, deskId } = await withTransaction(deps.db, async (tx) => {
    const p = await createGpPractice(deps, tx, ctx, 4242, 'gp.bench@distansia.bg');
    return { ...p, deskId: await deps.identity.createAccount(tx, ctx, { email: 'desk.bench@distansia.bg', password: WORLD_PASSWORD, role: 'coordinator', facilityIds: [p.practice] }) };
  });
  const desk: RequestCtx = { actor: { type: 'user', id: deskId, role: 'coordinator', sessionId: 'bench', facilityIds: [practice] }, requestId: 'bench', ip: '127.0.0.1', userAgent: 'bench', lang: 'bg' };
  for (let i = 0; i < PATIENTS; i += 1) {
    const d = benchPatient(i);
    const patientId = await withTransaction(deps.db, (tx) => deps.patients.createPatient(tx, ctx, d));
    const representative = { kind: 'representative' as const, representative: { basis: 'parent' as const, name: 'Родител Бенчев', documentRef: `УР ${i}` } };
    await deps.gp.registerGpChoice(desk, {
      kind: 'initial',
      patientId,
      practitionerId: gp,
      facilityId: practice,
      patient: { identifierKind: d.identifierKind, identifier: d.identifier, givenName: d.givenName, familyName: d.familyName, birthDate: d.birthDate },
      signer: representative,
      interdiction: 'none',
      documents: { healthInsuranceBooklet: true, initialFormCopy3: false, choiceForm: true },
    });
  }
  const seeded = (performance.now() - t0) / 1000;
  const headers = await signIn(app, gpEmail, gpSecret, Math.floor(clock.now().epochMilliseconds / 1000));
  const pages = Math.ceil(PATIENTS / PAGE_SIZE);
  const url = (p: number) => `/api/v1/practitioners/${gp}/patient-list?page=${p}&pageSize=${PAGE_SIZE}`;
  for (let i = 0; i < 100; i += 1) {
    const r = await app.inject({ method: 'GET', url: url((i % pages) + 1), headers });
    if (r.statusCode !== 200) throw new Error(`warm-up: ${r.statusCode} ${r.body}`);
  }
  // CPU per page (Node process + the database's backends, from /proc): less sensitive than wall time to
  // the other work sharing the two cores. Backends in another PID namespace (a containerised server) count 0.
  const backendPids = async () =>
    (await database.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map((r) => r.pid);
  const pgCpu = async (pids: number[]) => {
    let ms = 0;
    for (const pid of pids) ms += (await processCpuMs(pid)) ?? 0;
    return ms;
  };
  const pids = database.kind === 'postgres' ? await backendPids() : [];
  const pg0 = await pgCpu(pids);
  const node0 = process.cpuUsage();
  const times: number[] = [];
  let seed = 42;
  for (let i = 0; i < REQUESTS; i += 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const t = performance.now();
    const r = await app.inject({ method: 'GET', url: url((seed % pages) + 1), headers });
    times.push(performance.now() - t);
    if (r.statusCode !== 200 || r.json<{ items: unknown[] }>().items.length === 0) throw new Error(`page: ${r.statusCode}`);
  }
  const nodeCpu = process.cpuUsage(node0);
  if (process.env.BENCH_EXPLAIN && database.kind === 'postgres') {
    // The plans of the page's two statements (gp.repo.ts pageList), a middle page, on this database.
    const where = `r.practitioner_id = '${gp}' AND r.starts_on <= '2026-06-10' AND (r.ended_on IS NULL OR r.ended_on > '2026-06-10') AND (r.ends_on IS NULL OR r.ends_on >= '2026-06-10')`;
    for (const q of [`SELECT count(*)::int AS n FROM gp_registration r WHERE ${where}`, `SELECT r.id, r.patient_id, r.form_enc FROM (SELECT r.id FROM gp_registration r WHERE ${where} ORDER BY r.starts_on, r.id LIMIT ${PAGE_SIZE} OFFSET ${PAGE_SIZE * Math.floor(pages / 2)}) page JOIN gp_registration r ON r.id = page.id ORDER BY r.starts_on, r.id`]) {
      const plan = await database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q}`);
      process.stdout.write(`${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    }
  }
  const pgMs = (await pgCpu(pids)) - pg0;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]?.toFixed(2);
  process.stdout.write(
    `${database.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}: ${PATIENTS} listed patients (seeded in ${seeded.toFixed(1)} s), ${REQUESTS} sequential requests for random pages of ${PAGE_SIZE}\n` +
      `server time per page: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms\n` +
      `CPU per page: Node ${((nodeCpu.user + nodeCpu.system) / 1000 / REQUESTS).toFixed(2)} ms, PostgreSQL backends ${(pgMs / REQUESTS).toFixed(2)} ms (load average ${loadavg()[0]?.toFixed(1)})\n`,
  );
} finally {
  await close();
}
