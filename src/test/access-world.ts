import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../platform/db/index.js';
import { systemCtx } from '../platform/auth/request-context.js';
import { makeEgn, makeFacilityNumber, makeUin } from '../platform/identifiers.js';
import type { Role } from '../contracts/identity.js';
import type { PatientDemographics } from '../contracts/patients.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, totpCode } from '../modules/identity/index.js';
import type { TestApp } from './app-harness.js';
import { enrolTotpForDemo } from '../demo/enrol-totp.js';

// A small clinic for access-control tests: two facilities, two patients (A and B), and one signed-in
// session per role the access matrix covers. Everything is created through the real services
// and routes, so encryption, audit and the policy apply as in production.

export type ActorName =
  | 'patientA'
  | 'patientB'
  | 'repOfA'
  | 'repOfNobody'
  | 'specialistWithCare'
  | 'specialistWithout'
  | 'specialistWithGrant'
  | 'facilityAdmin'
  | 'coordinator'
  | 'supervisor'
  | 'operator'
  | 'anonymous';

export const actorNames: readonly ActorName[] = [
  'patientA',
  'patientB',
  'repOfA',
  'repOfNobody',
  'specialistWithCare',
  'specialistWithout',
  'specialistWithGrant',
  'facilityAdmin',
  'coordinator',
  'supervisor',
  'operator',
  'anonymous',
];

export interface Session {
  accountId: string;
  email: string;
  /** Headers that carry the session cookie and the CSRF token. */
  headers: Record<string, string>;
  /** The enrolled TOTP secret (step-up confirmations in tests). */
  totpSecret: string;
}

export interface AccessWorld {
  facilityId: string;
  otherFacilityId: string;
  patientA: { id: string; demographics: PatientDemographics };
  patientB: { id: string; demographics: PatientDemographics };
  /** A representative-role account with no links, used as a neutral grantee. */
  friend: { accountId: string; email: string };
  sessions: Record<Exclude<ActorName, 'anonymous'>, Session>;
  /** The grant patient A gave to `specialistWithGrant`. */
  grantId: string;
  /** The link from `repOfA` to patient A. */
  linkId: string;
  /** Every plaintext value that must never appear in a database dump. */
  secrets: string[];
  /** Sends a request as one of the actors (anonymous: no cookies). */
  as(actor: ActorName, req: { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
}

/** The password of every account the world creates (tests that add accounts sign them in with `signIn`). */
export const WORLD_PASSWORD = 'Vitosha-Lipa-Mart-Zora-2026';
const PASSWORD = WORLD_PASSWORD;

function cookiesOf(res: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of res.cookies) out[c.name] = c.value;
  return out;
}

/**
 * A fresh step-up code for a signature: moves the test clock to the next 30-second TOTP step (a step is
 * claimed once, so a code of the sign-in's step would be a replay) and returns that step's code.
 * @param clock - the test clock
 * @param clock.advance - moves it
 * @param clock.now - reads it
 * @param totpSecret - the signer's enrolled secret
 * @returns six digits
 */
export async function freshStepUpCode(clock: { advance: (d: { seconds: number }) => void; now: () => Temporal.Instant }, totpSecret: string): Promise<string> {
  clock.advance({ seconds: 30 });
  return totpCode(totpSecret, Math.floor(clock.now().epochMilliseconds / 1000));
}

/**
 * Signs in through the real routes: password, then a TOTP code at the test clock's time.
 * @param app - the app
 * @param email - account e-mail
 * @param totpSecret - the enrolled secret
 * @param epochSeconds - the test clock
 * @returns cookie and CSRF headers for later requests
 */
export async function signIn(app: FastifyInstance, email: string, totpSecret: string, epochSeconds: number): Promise<Record<string, string>> {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
  if (login.statusCode !== 200) throw new Error(`login ${email}: ${login.statusCode} ${login.body}`);
  const { mfaToken } = login.json<{ mfaToken: string }>();
  const mfa = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken, code: await totpCode(totpSecret, epochSeconds) } });
  if (mfa.statusCode !== 200) throw new Error(`mfa ${email}: ${mfa.statusCode} ${mfa.body}`);
  const c = cookiesOf(mfa);
  const session = c[SESSION_COOKIE];
  const csrf = c[CSRF_COOKIE];
  if (!session || !csrf) throw new Error('sign-in set no session cookies');
  return { cookie: `${SESSION_COOKIE}=${session}; ${CSRF_COOKIE}=${csrf}`, [CSRF_HEADER]: csrf };
}

/**
 * Builds the access world on a test app.
 * @param t - from `createTestApp`
 * @returns facilities, patients, sessions and a request helper
 */
export async function buildAccessWorld(t: TestApp): Promise<AccessWorld> {
  const { deps, app } = t;
  const ctx = systemCtx('test.access-world');
  const ids = deps.ids;
  const now = deps.clock.now();
  const epochSeconds = Math.floor(now.epochMilliseconds / 1000);
  const unique = ids.uuid().replace(/-/g, '');
  const seed = parseInt(unique.slice(-6), 16);

  const demographicsA: PatientDemographics = {
    identifierKind: 'egn',
    identifier: makeEgn(Temporal.PlainDate.from('1984-03-17'), 'female', (seed % 400) + 1),
    givenName: 'Радослава',
    familyName: 'Зографова',
    birthDate: '1984-03-17',
    sex: 'female',
    phone: '+359888123456',
    email: `radoslava.${unique}@example.bg`,
  };
  const demographicsB: PatientDemographics = {
    identifierKind: 'egn',
    identifier: makeEgn(Temporal.PlainDate.from('1979-11-02'), 'male', ((seed + 7) % 400) + 1),
    givenName: 'Светозар',
    familyName: 'Кантарджиев',
    birthDate: '1979-11-02',
    sex: 'male',
  };
  const email = (role: string) => `${role}.${unique}@test.distansia.bg`;

  const created = await withTransaction(deps.db, async (tx) => {
    const facility = async (n: number) => {
      const id = ids.uuid();
      await tx.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
        VALUES (${id}, ${makeFacilityNumber('22', seed + n)}, ${`Test centre ${n}`}, 'mc', '22', 'София', 'ул. Тестова 1', ${now.toString()}, ${now.toString()})`);
      return id;
    };
    const facilityId = await facility(1);
    const otherFacilityId = await facility(2);
    const practitioner = async (n: number, facilityIdOf: string) => {
      const id = ids.uuid();
      await tx.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at) VALUES (${id}, ${makeUin(seed * 10 + n)}, ${`Д-р ${n}`}, 'Тестов', ${now.toString()})`);
      await tx.execute(sql`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) VALUES (${ids.uuid()}, ${id}, ${facilityIdOf}, ${now.toString()})`);
      return id;
    };
    const pCare = await practitioner(1, facilityId);
    const pWithout = await practitioner(2, facilityId);
    const pGrant = await practitioner(3, otherFacilityId);
    const patientA = await deps.patients.createPatient(tx, ctx, demographicsA);
    const patientB = await deps.patients.createPatient(tx, ctx, demographicsB);

    const accounts: Partial<Record<Exclude<ActorName, 'anonymous'>, { id: string; email: string; secret: string }>> = {};
    const account = async (name: Exclude<ActorName, 'anonymous'>, role: Role, links: { practitionerId?: string; patientId?: string; facilityIds?: string[] }) => {
      const e = email(name.toLowerCase());
      const id = await deps.identity.createAccount(tx, ctx, { email: e, password: PASSWORD, role, ...links });
      const { secret } = await enrolTotpForDemo(deps, tx, ctx, id);
      accounts[name] = { id, email: e, secret };
    };
    await account('patientA', 'patient', { patientId: patientA });
    await account('patientB', 'patient', { patientId: patientB });
    await account('repOfA', 'representative', {});
    await account('repOfNobody', 'representative', {});
    await account('specialistWithCare', 'specialist', { practitionerId: pCare, facilityIds: [facilityId] });
    await account('specialistWithout', 'specialist', { practitionerId: pWithout, facilityIds: [facilityId] });
    await account('specialistWithGrant', 'specialist', { practitionerId: pGrant, facilityIds: [otherFacilityId] });
    await account('facilityAdmin', 'facility_admin', { facilityIds: [facilityId] });
    await account('coordinator', 'coordinator', { facilityIds: [facilityId] });
    await account('supervisor', 'supervisor', {});
    await account('operator', 'operator', {});
    const friendEmail = email('friend');
    const friendId = await deps.identity.createAccount(tx, ctx, { email: friendEmail, password: PASSWORD, role: 'representative' });

    // Art. 13: the requests module will open these; here the seam is used directly.
    await deps.access.openCareRelationship(tx, ctx, { patientId: patientA, practitionerId: pCare, facilityId, sourceType: 'request', sourceId: ids.uuid() });
    return { facilityId, otherFacilityId, patientA, patientB, accounts, friend: { accountId: friendId, email: friendEmail } };
  });

  const sessions = {} as Record<Exclude<ActorName, 'anonymous'>, Session>;
  for (const [name, a] of Object.entries(created.accounts) as [Exclude<ActorName, 'anonymous'>, { id: string; email: string; secret: string }][]) {
    sessions[name] = { accountId: a.id, email: a.email, totpSecret: a.secret, headers: await signIn(app, a.email, a.secret, epochSeconds) };
  }

  const as: AccessWorld['as'] = (actor, req) =>
    app.inject({
      method: req.method,
      url: req.url,
      headers: { ...(actor === 'anonymous' ? {} : sessions[actor].headers), ...req.headers },
      ...(req.payload === undefined ? {} : { payload: req.payload as Record<string, unknown> }),
    });

  const documentRef = `Удостоверение за раждане № ${seed}`;
  const link = await as('facilityAdmin', {
    method: 'POST',
    url: '/api/v1/admin/representative-links',
    payload: { facilityId: created.facilityId, representativeEmail: sessions.repOfA.email, patientIdentifierKind: 'egn', patientIdentifier: demographicsA.identifier, basis: 'parent', documentRef },
  });
  if (link.statusCode !== 201) throw new Error(`link: ${link.statusCode} ${link.body}`);
  const purpose = `Втора консултация при д-р Тестов ${seed}`;
  const grant = await as('patientA', {
    method: 'POST',
    url: `/api/v1/patients/${created.patientA}/access-grants`,
    payload: { granteeEmail: sessions.specialistWithGrant.email, purpose },
  });
  if (grant.statusCode !== 201) throw new Error(`grant: ${grant.statusCode} ${grant.body}`);

  return {
    facilityId: created.facilityId,
    otherFacilityId: created.otherFacilityId,
    patientA: { id: created.patientA, demographics: demographicsA },
    patientB: { id: created.patientB, demographics: demographicsB },
    friend: created.friend,
    sessions,
    grantId: grant.json<{ id: string }>().id,
    linkId: link.json<{ id: string }>().id,
    secrets: [
      demographicsA.givenName,
      demographicsA.familyName,
      demographicsA.identifier,
      demographicsA.phone ?? '',
      demographicsA.email ?? '',
      demographicsB.givenName,
      demographicsB.familyName,
      demographicsB.identifier,
      purpose,
      documentRef,
      sessions.patientA.email,
      sessions.specialistWithGrant.email,
    ],
    as,
  };
}
