import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { fixedClock } from '../src/platform/clock.js';
import { createDeps } from '../src/composition.js';
import { buildApp } from '../src/app.js';
import { createTestDatabase } from '../src/platform/db/testing.js';
import { systemCtx, type RequestCtx } from '../src/platform/auth/request-context.js';
import { makeEgn, makeFacilityNumber, makeUin } from '../src/platform/identifiers.js';
import { withTransaction } from '../src/platform/db/index.js';
import { enrolTotpForDemo } from '../src/demo/enrol-totp.js';
import { totpCode } from '../src/modules/identity/index.js';
import { signIn, WORLD_PASSWORD } from '../src/test/access-world.js';
import { insertRequestFixture } from '../src/test/consultation-world.js';
import { Temporal } from 'temporal-polyfill';
import { postgresCpu, postgresCpuSince } from './postgres-cpu.js';

// Issuing a referral at 20 concurrent issuers (issue "Referrals and e-prescriptions", Performance: under
// 50 ms p99 server time on PostgreSQL). Each issuer is a GP at their own practice with a started remote
// consultation; every round, all issuers POST /api/v1/referrals at once (the rules, the insurance check,
// the quarterly-standard lock, a fresh TOTP step-up, the signature, encryption, audit and the outbox row),
// through the HTTP app in process (app.inject: server time without a network). The clock moves 31 s
// between rounds, because each account's TOTP step is accepted once.
//   PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/referral-issue.ts
//   PGlite:     npx tsx bench/referral-issue.ts
// Options (env): BENCH_ISSUERS (20), BENCH_ROUNDS (10).

const ISSUERS = Number(process.env.BENCH_ISSUERS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

const clock = fixedClock('2026-12-07T08:00:00Z');
const database = await createTestDatabase();
const dataDir = await mkdtemp(join(tmpdir(), 'distansia-bench-'));
const config = loadConfig({ LOG_LEVEL: 'silent', OUTBOX_WORKER: 'false', DATA_DIR: dataDir, WEB_DIST_DIR: 'web/dist' });
const deps = await createDeps(config, createLogger('silent'), { database, clock });
const app = await buildApp(deps);
await app.ready();
try {
  const ctx = systemCtx('bench.referral-issue');
  const at = clock.now().toString();
  const seed = Date.now() % 100_000;
  const issuers: { email: string; secret: string; requestId: string; headers: Record<string, string> }[] = [];
  for (let i = 0; i < ISSUERS; i += 1) {
    const made = await withTransaction(deps.db, async (tx) => {
      const practice = deps.ids.uuid();
      await tx.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
        VALUES (${practice}, ${makeFacilityNumber('22', 6000 + ((seed + i) % 3000))}, ${`АИППМП Бенч ${i}`}, 'ipmp', '22', 'София', 'ул. Бенч 1', ${at}::timestamptz, ${at}::timestamptz)`);
      const gp = deps.ids.uuid();
      await tx.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at) VALUES (${gp}, ${makeUin(60_000 + ((seed + i) % 30_000))}, 'Д-р', ${`Бенчев ${i}`}, ${at}::timestamptz)`);
      await tx.execute(sql`INSERT INTO practitioner_specialty (practitioner_id, specialty_code) VALUES (${gp}, '0000')`);
      await tx.execute(sql`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) VALUES (${deps.ids.uuid()}, ${gp}, ${practice}, ${at}::timestamptz)`);
      await tx.execute(sql`INSERT INTO rhif_outpatient_contract (id, practitioner_id, facility_id, kind, contract_number, valid_from, created_at) VALUES (${deps.ids.uuid()}, ${gp}, ${practice}, 'pimp', ${`B-${i}`}, '2026-01-01', ${at})`);
      await tx.execute(sql`INSERT INTO referral_standard (facility_id, form, per_quarter, valid_from, source) VALUES (${practice}, '3', 100000, '2026-01-01', 'bench')`);
      const email = `gpbench${seed}n${i}@distansia.bg`;
      const account = await deps.identity.createAccount(tx, ctx, { email, password: WORLD_PASSWORD, role: 'specialist', practitionerId: gp, facilityIds: [practice] });
      const secret = (await enrolTotpForDemo(deps, tx, ctx, account)).secret;
      const birth = Temporal.PlainDate.from('1970-01-01').add({ days: i * 97 });
      const patientId = await deps.patients.createPatient(tx, ctx, { identifierKind: 'egn', identifier: makeEgn(birth, 'female', (i % 499) + 1), givenName: `Пациент${i}`, familyName: 'Бенчова', birthDate: birth.toString(), sex: 'female' });
      const patientAccount = await deps.identity.createAccount(tx, ctx, { email: `ptbench${seed}n${i}@distansia.bg`, password: WORLD_PASSWORD, role: 'patient', patientId });
      const requestId = await insertRequestFixture(tx, deps, { facilityId: practice, practitionerId: gp, patientId, requesterAccountId: patientAccount, status: 'in_progress', start: '2026-12-07T07:30:00Z' });
      await tx.execute(sql`INSERT INTO consultation (id, request_id, facility_id, patient_id, practitioner_id, mode, status, started_at, created_at, updated_at)
        VALUES (${deps.ids.uuid()}, ${requestId}, ${practice}, ${patientId}, ${gp}, 'synchronous', 'in-progress', '2026-12-07T07:31:00Z', ${at}, ${at})`);
      const gpCtx: RequestCtx = { actor: { type: 'user', id: account, role: 'specialist', sessionId: 'bench', facilityIds: [practice] }, requestId: 'bench', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' };
      await deps.access.openCareRelationship(tx, gpCtx, { patientId, practitionerId: gp, facilityId: practice, sourceType: 'request', sourceId: requestId });
      return { email, secret, requestId };
    });
    issuers.push({ ...made, headers: await signIn(app, made.email, made.secret, Math.floor(clock.now().epochMilliseconds / 1000)) });
  }

  const times: number[] = [];
  // CPU per referral of each party: Node (the app and this in-process load generator) and the local
  // PostgreSQL processes; on 2 cores their sum bounds the throughput (see bench/README.md).
  const pg0 = await postgresCpu();
  const node0 = process.cpuUsage();
  const t0 = performance.now();
  for (let round = 0; round < ROUNDS; round += 1) {
    clock.set(clock.now().add({ seconds: 31 }).toString());
    const step = Math.floor(clock.now().epochMilliseconds / 1000);
    const results = await Promise.all(
      issuers.map(async (s) => {
        const payload = { requestId: s.requestId, form: '3', purpose: 'consultation', diagnosisCode: 'I10', specialtyCode: '1020', request: 'Консултация с кардиолог: ЕКГ и ехокардиография', code: await totpCode(s.secret, step) };
        const start = performance.now();
        const r = await app.inject({ method: 'POST', url: '/api/v1/referrals', payload, headers: s.headers });
        const ms = performance.now() - start;
        if (r.statusCode !== 201) throw new Error(`issue: ${r.statusCode} ${r.body}`);
        return ms;
      }),
    );
    times.push(...results);
  }
  const wall = (performance.now() - t0) / 1000;
  const node = process.cpuUsage(node0);
  const pgMs = postgresCpuSince(pg0, await postgresCpu());
  const pct = (p: number) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor((times.length * p) / 100))]?.toFixed(1);
  console.log(JSON.stringify({ database: database.kind, issuers: ISSUERS, issued: times.length, load: loadavg()[0]?.toFixed(1), p50ms: pct(50), p99ms: pct(99), maxms: pct(100), perSecond: (times.length / wall).toFixed(0), nodeCpuMsPerReferral: ((node.user + node.system) / 1000 / times.length).toFixed(2), postgresCpuMsPerReferral: (pgMs / times.length).toFixed(2) }));
} finally {
  await app.close();
  await deps.close();
  await database.close();
  await rm(dataDir, { recursive: true, force: true });
}
