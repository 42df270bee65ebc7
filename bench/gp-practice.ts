import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { fixedClock, type Clock } from '../src/platform/clock.js';
import { createDeps, type Deps } from '../src/composition.js';
import { buildApp } from '../src/app.js';
import { createTestDatabase } from '../src/platform/db/testing.js';
import type { RequestCtx } from '../src/platform/auth/request-context.js';
import { makeEgn, makeFacilityNumber, makeUin } from '../src/platform/identifiers.js';
import type { Database, Tx } from '../src/platform/db/index.js';
import { enrolTotpForDemo } from '../src/demo/enrol-totp.js';
import { WORLD_PASSWORD } from '../src/test/access-world.js';
import type { PatientDemographics } from '../src/contracts/patients.js';

// What the GP practice benchmarks (nhif-report.ts, patient-list.ts) share: the whole app on a fresh
// database at a fixed instant, one practice with its GP (TOTP enrolled, to sign in over HTTP), and the
// synthetic patients' demographics.

/** The app on a fresh database (PGlite, or DATABASE_URL) with the clock fixed at `at`; `close` removes it all. */
export async function startBenchApp(at: string): Promise<{ clock: Clock; database: Database; deps: Deps; app: Awaited<ReturnType<typeof buildApp>>; close: () => Promise<void> }> {
  const clock = fixedClock(at);
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'distansia-bench-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', OUTBOX_WORKER: 'false', DATA_DIR: dataDir, WEB_DIST_DIR: 'web/dist' });
  const deps = await createDeps(config, createLogger('silent'), { database, clock });
  const app = await buildApp(deps);
  await app.ready();
  return {
    clock,
    database,
    deps,
    app,
    async close() {
      await app.close();
      await deps.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A GP practice (`ipmp`) with one GP and the GP's account, created in the caller's transaction.
 * @param n - a number that makes the practice's and GP's identifiers unique per bench
 */
export async function createGpPractice(deps: Deps, tx: Tx, ctx: RequestCtx, n: number, gpEmail: string): Promise<{ practice: string; gp: string; gpAccount: string; gpEmail: string; gpSecret: string }> {
  const at = deps.clock.now().toString();
  const practice = deps.ids.uuid();
  await tx.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
    VALUES (${practice}, ${makeFacilityNumber('22', n)}, 'АИППМП Бенч', 'ipmp', '22', 'София', 'ул. Бенч 1', ${at}::timestamptz, ${at}::timestamptz)`);
  const gp = deps.ids.uuid();
  await tx.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at) VALUES (${gp}, ${makeUin(n)}, 'Д-р', 'Бенчева', ${at}::timestamptz)`);
  await tx.execute(sql`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) VALUES (${deps.ids.uuid()}, ${gp}, ${practice}, ${at}::timestamptz)`);
  const gpAccount = await deps.identity.createAccount(tx, ctx, { email: gpEmail, password: WORLD_PASSWORD, role: 'specialist', practitionerId: gp, facilityIds: [practice] });
  const gpSecret = (await enrolTotpForDemo(deps, tx, ctx, gpAccount)).secret;
  return { practice, gp, gpAccount, gpEmail, gpSecret };
}

const FIRST_BIRTH = Temporal.PlainDate.from('1940-01-01');

/** The i-th synthetic patient: a valid EGN, births spread over 80 years, alternating sex. */
export function benchPatient(i: number): PatientDemographics {
  const birth = FIRST_BIRTH.add({ days: (i * 37) % 30000 });
  const sex = i % 2 ? 'female' : 'male';
  return { identifierKind: 'egn', identifier: makeEgn(birth, sex, (i % 499) + 1), givenName: `Име${i}`, familyName: `Фамилия${i}`, birthDate: birth.toString(), sex };
}
