import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../platform/db/index.js';
import { enrolTotpForDemo } from '../demo/enrol-totp.js';
import { systemCtx } from '../platform/auth/request-context.js';
import { makeEgn, makeFacilityNumber, makeUin } from '../platform/identifiers.js';
import type { PatientDemographics } from '../contracts/patients.js';
import type { Role } from '../contracts/identity.js';
import type { TestApp } from './app-harness.js';
import { buildAccessWorld, signIn, WORLD_PASSWORD, type AccessWorld } from './access-world.js';

// GP practices on top of the access world (W8-W10): two primary-care practices in different RHIF
// regions (Sofia 22, Plovdiv 16), a GP in each plus a second GP in Sofia, a front desk per practice and a
// child patient. Timestamps come from the injected clock, never the database's now().

export type GpActor = 'gp1' | 'gp2' | 'gp3' | 'desk1' | 'desk2';

export interface GpWorld {
  w: AccessWorld;
  practice1: string;
  practice2: string;
  gp1: string;
  gp2: string;
  gp3: string;
  child: { id: string; demographics: PatientDemographics };
  as(actor: GpActor | Parameters<AccessWorld['as']>[0], req: { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: unknown }): Promise<LightMyRequestResponse>;
  /** The enrolled TOTP secrets (step-up confirmations at signing in tests). */
  totpSecrets: Partial<Record<GpActor, string>>;
  /** Moves the test clock and signs every session in again (sessions expire when idle). */
  travel(iso: string): Promise<void>;
}

/**
 * Builds the GP world.
 * @param t - from `createTestApp` (its clock must be a FixedClock passed in by the test)
 * @param clock - the same clock, to travel
 * @returns practices, GPs, desks and a request helper
 */
export async function buildGpWorld(t: TestApp, clock: { set(iso: string): void; now(): Temporal.Instant }): Promise<GpWorld> {
  const w = await buildAccessWorld(t);
  const { deps, app } = t;
  const ctx = systemCtx('test.gp-world');
  const at = clock.now().toString();
  const seed = parseInt(deps.ids.uuid().replace(/-/g, '').slice(-6), 16);
  const childDemographics: PatientDemographics = {
    identifierKind: 'egn',
    identifier: makeEgn(Temporal.PlainDate.from('2018-04-12'), 'male', (seed % 300) + 1),
    givenName: 'Боян',
    familyName: 'Зографов',
    birthDate: '2018-04-12',
    sex: 'male',
  };
  const made = await withTransaction(deps.db, async (tx) => {
    const practice = async (n: number, rhif: string, name: string) => {
      const id = deps.ids.uuid();
      await tx.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
        VALUES (${id}, ${makeFacilityNumber(rhif, seed + 10 + n)}, ${name}, 'ipmp', ${rhif}, 'Град', 'ул. Лекарска 1', ${at}::timestamptz, ${at}::timestamptz)`);
      return id;
    };
    const practice1 = await practice(1, '22', 'АИППМП д-р Първанова');
    const practice2 = await practice(2, '16', 'АИППМП д-р Пловдивски');
    const gp = async (n: number, facilityId: string, family: string) => {
      const id = deps.ids.uuid();
      await tx.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at) VALUES (${id}, ${makeUin(seed * 10 + 5 + n)}, 'Д-р', ${family}, ${at}::timestamptz)`);
      await tx.execute(sql`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) VALUES (${deps.ids.uuid()}, ${id}, ${facilityId}, ${at}::timestamptz)`);
      return id;
    };
    const gp1 = await gp(1, practice1, 'Първанова');
    const gp2 = await gp(2, practice2, 'Пловдивски');
    const gp3 = await gp(3, practice1, 'Трети');
    const accounts: Partial<Record<GpActor, { email: string; secret: string }>> = {};
    const account = async (name: GpActor, role: Role, links: { practitionerId?: string; facilityIds?: string[] }) => {
      const email = `${name}.${seed}@gp.distansia.bg`;
      const id = await deps.identity.createAccount(tx, ctx, { email, password: WORLD_PASSWORD, role, ...links });
      accounts[name] = { email, secret: (await enrolTotpForDemo(deps, tx, ctx, id)).secret };
    };
    await account('gp1', 'specialist', { practitionerId: gp1, facilityIds: [practice1] });
    await account('gp2', 'specialist', { practitionerId: gp2, facilityIds: [practice2] });
    await account('gp3', 'specialist', { practitionerId: gp3, facilityIds: [practice1] });
    await account('desk1', 'coordinator', { facilityIds: [practice1] });
    await account('desk2', 'coordinator', { facilityIds: [practice2] });
    const child = await deps.patients.createPatient(tx, ctx, childDemographics);
    return { practice1, practice2, gp1, gp2, gp3, accounts, child };
  });
  const headers: Partial<Record<GpActor, Record<string, string>>> = {};
  // The access world's accounts used this TOTP step already (replay protection): they sign in again only after travel.
  const signAll = async (worldToo: boolean) => {
    const epoch = Math.floor(clock.now().epochMilliseconds / 1000);
    for (const [name, a] of Object.entries(made.accounts) as [GpActor, { email: string; secret: string }][]) headers[name] = await signIn(app, a.email, a.secret, epoch);
    if (worldToo) for (const s of Object.values(w.sessions)) s.headers = await signIn(app, s.email, s.totpSecret, epoch);
  };
  await signAll(false);
  return {
    w,
    practice1: made.practice1,
    practice2: made.practice2,
    gp1: made.gp1,
    gp2: made.gp2,
    gp3: made.gp3,
    child: { id: made.child, demographics: childDemographics },
    totpSecrets: Object.fromEntries(Object.entries(made.accounts).map(([k, v]) => [k, v.secret])),
    as: (actor, req) => {
      const h = headers[actor as GpActor];
      if (!h) return w.as(actor as Parameters<AccessWorld['as']>[0], req);
      return app.inject({ method: req.method, url: req.url, headers: h, ...(req.payload === undefined ? {} : { payload: req.payload as Record<string, unknown> }) });
    },
    travel: async (iso) => {
      clock.set(iso);
      await signAll(true);
    },
  };
}

/** The documents a desk sees for a GP choice (R-GP-08): the health insurance booklet and the signed choice form. */
export const GP_CHOICE_DOCUMENTS = { healthInsuranceBooklet: true, initialFormCopy3: false, choiceForm: true };

/** What the desk types from the presented document: identifier, names and birth date (the lookup and the registration). */
export const presentedDocument = (d: { identifierKind: 'egn' | 'lnch' | 'passport' | 'other'; identifier: string; givenName: string; familyName: string; birthDate: string }) => ({
  identifierKind: d.identifierKind,
  identifier: d.identifier,
  givenName: d.givenName,
  familyName: d.familyName,
  birthDate: d.birthDate,
});
