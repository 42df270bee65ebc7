import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, signIn, WORLD_PASSWORD, type AccessWorld, type ActorName } from '../../test/access-world.js';
import { fixedClock, type FixedClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { makeUin } from '../../platform/identifiers.js';
import type { StaffAccount, StaffList } from '../../contracts/identity.js';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, totpCode } from './index.js';
import { readOutbox } from '../../test/mail-sink.js';
import { enrolTotpForDemo } from '../../demo/enrol-totp.js';

// Staff accounts (docs/identity.md): an administrator manages their facility's accounts, the operator may list,
// unlock and deactivate, everyone else is refused; all audited. Holders activate via the e-mailed .eml link.

const NEW_PASSWORD = 'Kamchia-Pyasak-Vyatar-2026';

type Who = ActorName | 'otherAdmin';

type AuditRow = {
  action: string;
  outcome: string;
  actor_id: string | null;
  facility_id: string | null;
  subject_id: string | null;
  data: Record<string, unknown> | null;
};

describe('staff accounts: routes, role matrix and audit', () => {
  let t: TestApp;
  let clock: FixedClock;
  let w: AccessWorld;
  let F1: string;
  let F2: string;
  let otherAdmin: { id: string; headers: Record<string, string> };
  /** Practitioners without an account: one at F1, one at F2. */
  let freeAtF1: string;
  let freeAtF2: string;
  let seq = 0;

  const epoch = () => Math.floor(clock.now().epochMilliseconds / 1000);

  function as(who: Who, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
    const headers = who === 'otherAdmin' ? otherAdmin.headers : who === 'anonymous' ? {} : w.sessions[who].headers;
    return t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  }

  async function auditRows(action: string, where: { subjectId?: string; actorId?: string } = {}): Promise<AuditRow[]> {
    const r = await t.deps.db.execute<AuditRow>(sql`
      SELECT action, outcome, actor_id, facility_id, subject_id, data FROM audit_event
       WHERE action = ${action}
         ${where.subjectId ? sql`AND subject_id = ${where.subjectId}` : sql``}
         ${where.actorId ? sql`AND actor_id = ${where.actorId}` : sql``}
       ORDER BY recorded_at, chain, seq`);
    return r.rows;
  }

  async function practitionerAt(facilityId: string): Promise<string> {
    seq += 1;
    const id = t.deps.ids.uuid();
    // Time comes from the injected clock, never the database's clock (the app runs on the fixed clock).
    const at = clock.now().toString();
    await t.deps.db.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at) VALUES (${id}, ${makeUin(700_000 + seq)}, 'Мила', ${`Нова${seq}`}, ${at}::timestamptz)`);
    await t.deps.db.execute(sql`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) VALUES (${t.deps.ids.uuid()}, ${id}, ${facilityId}, ${at}::timestamptz)`);
    return id;
  }

  const login = (email: string, password = NEW_PASSWORD, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });

  /** The newest activation token e-mailed to `email` (the outbox is drained first). */
  async function activationToken(email: string): Promise<string> {
    await t.deps.outbox.drain(200);
    const mails = (await readOutbox(t.dataDir)).filter((m) => m.to === email && m.body.includes('/activate#token='));
    const token = /\/activate#token=([\w-]+)/.exec(mails.at(-1)?.body ?? '')?.[1];
    if (!token) throw new Error(`no activation link for ${email}`);
    return token;
  }

  /** The holder opens the e-mailed link, chooses the password and enrols TOTP (the only way in); returns the session. */
  async function activateAndSignIn(email: string, password = NEW_PASSWORD): Promise<{ headers: Record<string, string>; secret: string }> {
    clock.advance({ seconds: 30 });
    const token = await activationToken(email);
    const start = await t.app.inject({ method: 'POST', url: '/api/v1/auth/activation/start', payload: { token } });
    expect(start.statusCode).toBe(200);
    expect(start.json().email).toBe(email);
    const { secret } = start.json<{ totp: { secret: string } }>().totp;
    const confirm = await t.app.inject({ method: 'POST', url: '/api/v1/auth/activation/complete', payload: { token, password, code: await totpCode(secret, epoch()) } });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().recoveryCodes).toHaveLength(10);
    const c = Object.fromEntries(confirm.cookies.map((k) => [k.name, k.value]));
    return { secret, headers: { cookie: `${SESSION_COOKIE}=${c[SESSION_COOKIE]}; ${CSRF_COOKIE}=${c[CSRF_COOKIE]}`, [CSRF_HEADER]: c[CSRF_COOKIE] ?? '' } };
  }

  async function createSpecialist(practitionerId: string): Promise<StaffAccount & { email: string }> {
    seq += 1;
    const email = `new.specialist${seq}@test.distansia.bg`;
    const res = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff`, { role: 'specialist', email, practitionerId });
    expect(res.statusCode).toBe(201);
    return res.json<StaffAccount & { email: string }>();
  }

  beforeAll(async () => {
    clock = fixedClock('2026-11-25T08:00:00Z');
    t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true' } });
    w = await buildAccessWorld(t);
    F1 = w.facilityId;
    F2 = w.otherFacilityId;
    const other = await withTransaction(t.deps.db, async (tx) => {
      const email = `other.admin.${t.deps.ids.uuid()}@test.distansia.bg`;
      const id = await t.deps.identity.createAccount(tx, systemCtx('test'), { email, password: WORLD_PASSWORD, role: 'facility_admin', facilityIds: [F2] });
      const { secret } = await enrolTotpForDemo(t.deps, tx, systemCtx('test'), id);
      return { id, email, secret };
    });
    otherAdmin = { id: other.id, headers: await signIn(t.app, other.email, other.secret, epoch()) };
    freeAtF1 = await practitionerAt(F1);
    freeAtF2 = await practitionerAt(F2);
  });

  afterAll(async () => {
    await t?.close();
  });

  it("lists only the facility's staff accounts to its administrator, with 2FA, status and last sign-in, and audits the read", async () => {
    const res = await as('facilityAdmin', 'GET', `/admin/facilities/${F1}/staff`);
    expect(res.statusCode).toBe(200);
    const list = res.json<StaffList>();
    const ids = list.items.map((a) => a.id);
    const s = w.sessions;
    expect(ids).toEqual(expect.arrayContaining([s.facilityAdmin.accountId, s.coordinator.accountId, s.specialistWithCare.accountId, s.specialistWithout.accountId]));
    // Never patients, representatives, supervisors, the operator, or another facility's staff.
    for (const outsider of [s.patientA, s.patientB, s.repOfA, s.supervisor, s.operator, s.specialistWithGrant]) expect(ids).not.toContain(outsider.accountId);
    expect(ids).not.toContain(otherAdmin.id);
    const admin = list.items.find((a) => a.id === s.facilityAdmin.accountId);
    expect(admin).toMatchObject({ email: s.facilityAdmin.email, role: 'facility_admin', mfaEnrolled: true, status: 'active', lockedUntil: null });
    expect(admin?.lastSignInAt).toBe('2026-11-25T08:00:00Z');
    expect(list.items.find((a) => a.id === s.specialistWithCare.accountId)?.name).toBe('Д-р 1 Тестов');
    expect(list.unlinkedPractitioners.map((p) => p.id)).toContain(freeAtF1);
    expect(list.unlinkedPractitioners.map((p) => p.id)).not.toContain(freeAtF2);

    expect(await auditRows('account.staff_listed', { actorId: s.facilityAdmin.accountId })).toEqual([
      expect.objectContaining({ outcome: 'success', facility_id: F1, subject_id: F1, data: { count: list.items.length } }),
    ]);
  });

  it('refuses the list to patients, specialists, coordinators, supervisors and another facility’s administrator (audited), and asks the anonymous to sign in', async () => {
    for (const who of ['patientA', 'repOfA', 'specialistWithCare', 'coordinator', 'supervisor', 'otherAdmin'] as const) {
      const res = await as(who, 'GET', `/admin/facilities/${F1}/staff`);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().code).toBe('auth.forbidden');
      const actorId = who === 'otherAdmin' ? otherAdmin.id : w.sessions[who].accountId;
      expect(await auditRows('account.staff_listed', { actorId }), who).toEqual([expect.objectContaining({ outcome: 'denied', facility_id: F1, data: { code: 'auth.forbidden' } })]);
    }
    const anonymous = await as('anonymous', 'GET', `/admin/facilities/${F1}/staff`);
    expect(anonymous.statusCode).toBe(401);
    // The operator runs the system: staff accounts are not patient data.
    expect((await as('operator', 'GET', `/admin/facilities/${F1}/staff`)).statusCode).toBe(200);
  });

  it("names the facilities each caller manages and what they may do there", async () => {
    const admin = await as('facilityAdmin', 'GET', '/admin/staff/facilities');
    expect(admin.statusCode).toBe(200);
    expect(admin.json()).toMatchObject({ items: [{ id: F1 }], can: { create: true, reactivate: true, resetMfa: true } });
    const operator = await as('operator', 'GET', '/admin/staff/facilities');
    expect(operator.json<{ items: { id: string }[] }>().items.map((f) => f.id)).toEqual(expect.arrayContaining([F1, F2]));
    expect(operator.json()).toMatchObject({ can: { create: false, reactivate: false, resetMfa: false } });
    expect((await as('patientA', 'GET', '/admin/staff/facilities')).statusCode).toBe(403);
    expect((await as('coordinator', 'GET', '/admin/staff/facilities')).statusCode).toBe(403);
  });

  it('creates a specialist account that its holder activates (own password and TOTP); the creation is audited for the facility', async () => {
    const created = await createSpecialist(freeAtF1);
    expect(created).toMatchObject({ role: 'specialist', practitionerId: freeAtF1, mfaEnrolled: false, status: 'active', lastSignInAt: null });
    expect(created.name).toMatch(/^Мила Нова\d+$/);
    const [row] = await auditRows('account.created', { subjectId: created.id });
    expect(row).toMatchObject({ outcome: 'success', actor_id: w.sessions.facilityAdmin.accountId, facility_id: F1 });
    expect(JSON.stringify(row?.data)).not.toContain(created.email);

    const { headers } = await activateAndSignIn(created.email);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: created.id, role: 'specialist', facilityIds: [F1], practitionerId: freeAtF1, mfa: { totp: true } });

    const list = (await as('facilityAdmin', 'GET', `/admin/facilities/${F1}/staff`)).json<StaffList>();
    expect(list.items.find((a) => a.id === created.id)).toMatchObject({ mfaEnrolled: true, lastSignInAt: clock.now().toString() });
    expect(list.unlinkedPractitioners.map((p) => p.id)).not.toContain(freeAtF1);
  });

  it('the administrator who creates a specialist account cannot get into it (finding: admin reads clinical content, Art. 28(2)-(3))', async () => {
    const created = await createSpecialist(await practitionerAt(F1));
    const adminId = w.sessions.facilityAdmin.accountId;
    // The answer carries no token, no password, no link.
    expect(JSON.stringify(created)).not.toMatch(/token|password|activate/i);
    // No password the administrator could have chosen or guessed works: there is none yet.
    clock.advance({ seconds: 30 });
    for (const guess of [NEW_PASSWORD, WORLD_PASSWORD, 'Parola-Na-Administratora-2026']) {
      const res = await login(created.email, guess);
      expect(res.statusCode).toBe(401);
      expect(res.json()).not.toHaveProperty('enrolmentToken');
    }
    // A reset by e-mail gives nothing either: no second factor, no link.
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: created.email } });
    await t.deps.outbox.drain(200);
    const mails = await readOutbox(t.dataDir);
    expect(mails.filter((m) => m.to === created.email && m.body.includes('#token=')).map((m) => m.body.includes('/activate#token='))).toEqual([true]);
    // The activation link went to the specialist's address only, never to the administrator's.
    expect(mails.filter((m) => m.to === w.sessions.facilityAdmin.email && m.body.includes('#token='))).toEqual([]);
    const r = await t.deps.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM user_session WHERE account_id = ${created.id}`);
    expect(Number(r.rows[0]?.n)).toBe(0);
    expect((await auditRows('account.activation_sent', { subjectId: created.id }))[0]).toMatchObject({ actor_id: adminId, facility_id: F1, data: { reason: 'created', validHours: 72 } });
  });

  it('creates coordinator and administrator accounts under a display name; before activation nobody signs in', async () => {
    const res = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff`, { role: 'coordinator', email: 'new.coordinator@test.distansia.bg', displayName: 'Ирина Колева' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ role: 'coordinator', name: 'Ирина Колева', practitionerId: null, mfaEnrolled: false });
    // Behaviour changed deliberately: there is no initial password, so there is nothing to sign in with.
    const login1 = await login('new.coordinator@test.distansia.bg');
    expect(login1.statusCode).toBe(401);
    expect(login1.json().code).toBe('auth.invalid_credentials');
    expect(await activationToken('new.coordinator@test.distansia.bg')).toMatch(/^[\w-]{20,}$/);
  });

  it('refuses a practitioner of another facility, one that already has an account, a taken e-mail, a password field and a weak password at activation', async () => {
    const foreign = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff`, { role: 'specialist', email: 'foreign@test.distansia.bg', practitionerId: freeAtF2 });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json()).toMatchObject({ code: 'account.practitioner_not_in_facility', errors: [{ pointer: '#/practitionerId' }] });

    const careId = (await as('facilityAdmin', 'GET', `/admin/facilities/${F1}/staff`)).json<StaffList>().items.find((a) => a.id === w.sessions.specialistWithCare.accountId)?.practitionerId;
    const twice = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff`, { role: 'specialist', email: 'twice@test.distansia.bg', practitionerId: careId });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'resource.conflict', errors: [{ pointer: '#/practitionerId' }] });

    const taken = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff`, { role: 'facility_admin', email: w.sessions.coordinator.email, displayName: 'Двойник' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'resource.conflict', errors: [{ pointer: '#/email' }] });

    // The administrator cannot choose a password at all (the contract has no such field).
    const chosen = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff`, { role: 'facility_admin', email: 'weak@test.distansia.bg', password: 'password1', displayName: 'Слаба Парола' });
    expect(chosen.statusCode).toBe(201);
    expect((await login('weak@test.distansia.bg', 'password1')).statusCode).toBe(401);
    // The holder's own password still follows the policy.
    const token = await activationToken('weak@test.distansia.bg');
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/activation/start', payload: { token } });
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/auth/activation/complete', payload: { token, password: 'password1', code: '123456' } });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().code).toBe('password.too_weak');

    // The facility's own records in the registry are untouched by the refusals.
    const r = await t.deps.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM user_account WHERE practitioner_id = ${freeAtF2}`);
    expect(Number(r.rows[0]?.n)).toBe(0);
  });

  it('refuses creation to another facility’s administrator, the operator, a coordinator and a patient, and audits it', async () => {
    const body = { role: 'facility_admin', email: 'intruder@test.distansia.bg', displayName: 'Натрапник' };
    for (const who of ['otherAdmin', 'operator', 'coordinator', 'patientA'] as const) {
      const res = await as(who, 'POST', `/admin/facilities/${F1}/staff`, body);
      expect(res.statusCode, who).toBe(403);
      const actorId = who === 'otherAdmin' ? otherAdmin.id : w.sessions[who].accountId;
      expect(await auditRows('account.created', { actorId }), who).toEqual([expect.objectContaining({ outcome: 'denied', facility_id: F1, data: { code: 'auth.forbidden' } })]);
    }
    expect((await login('intruder@test.distansia.bg')).statusCode).toBe(401);
  });

  it('deactivation ends the account’s sessions and sign-in; reactivation lets it sign in again; both audited', async () => {
    const created = await createSpecialist(await practitionerAt(F1));
    const { headers, secret } = await activateAndSignIn(created.email);

    const off = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${created.id}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ id: created.id, status: 'deactivated' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(401);
    const refused = await login(created.email);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('auth.invalid_credentials');
    expect((await auditRows('account.deactivated', { subjectId: created.id }))[0]).toMatchObject({ outcome: 'success', actor_id: w.sessions.facilityAdmin.accountId, facility_id: F1, data: { role: 'specialist', sessionsEnded: 1 } });

    const again = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${created.id}/deactivate`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('state.bad_transition');

    // The operator may not undo a facility's decision.
    expect((await as('operator', 'POST', `/admin/facilities/${F1}/staff/${created.id}/reactivate`)).statusCode).toBe(403);
    const on = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${created.id}/reactivate`);
    expect(on.statusCode).toBe(200);
    expect(on.json().status).toBe('active');
    // Rows of one action are compared as a set: `seq` orders events within one audit chain only.
    const reactivated = await auditRows('account.reactivated', { subjectId: created.id });
    expect(reactivated.map((r) => `${r.outcome} ${r.actor_id}`).sort()).toEqual([`denied ${w.sessions.operator.accountId}`, `success ${w.sessions.facilityAdmin.accountId}`]);
    clock.advance({ seconds: 30 });
    const back = await login(created.email);
    expect(back.json().status).toBe('mfa_required');
    const mfa = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: back.json().mfaToken, code: await totpCode(secret, epoch()) } });
    expect(mfa.statusCode).toBe(200);
  });

  it('the operator may deactivate (an incident), but not reset a second factor', async () => {
    const created = await createSpecialist(await practitionerAt(F1));
    expect((await as('operator', 'POST', `/admin/facilities/${F1}/staff/${created.id}/reset-mfa`)).statusCode).toBe(403);
    const off = await as('operator', 'POST', `/admin/facilities/${F1}/staff/${created.id}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect((await auditRows('account.deactivated', { subjectId: created.id }))[0]).toMatchObject({ outcome: 'success', actor_id: w.sessions.operator.accountId });
  });

  it('an administrator cannot deactivate themselves or reset their own second factor (audited)', async () => {
    const me = w.sessions.facilityAdmin.accountId;
    for (const action of ['deactivate', 'reset-mfa']) {
      const res = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${me}/${action}`);
      expect(res.statusCode, action).toBe(409);
      expect(res.json().code).toBe('account.self_action');
    }
    expect((await auditRows('account.deactivated', { subjectId: me }))[0]).toMatchObject({ outcome: 'denied', data: { code: 'account.self_action' } });
    expect((await as('facilityAdmin', 'GET', '/me')).statusCode).toBe(200);
  });

  it('no IDOR: another facility’s staff, patients’ accounts and unknown ids are not found; another facility is forbidden', async () => {
    const foreignStaff = w.sessions.specialistWithGrant.accountId;
    for (const [accountId, why] of [
      [foreignStaff, 'staff of F2'],
      [w.sessions.patientA.accountId, 'a patient'],
      [w.sessions.repOfA.accountId, 'a representative'],
      [w.sessions.operator.accountId, 'the operator'],
      [t.deps.ids.uuid(), 'unknown'],
    ] as const) {
      for (const action of ['deactivate', 'reset-mfa', 'unlock', 'reactivate']) {
        const res = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${accountId}/${action}`);
        expect(res.statusCode, `${why} ${action}`).toBe(404);
      }
    }
    expect((await auditRows('account.deactivated', { subjectId: w.sessions.patientA.accountId }))[0]).toMatchObject({ outcome: 'denied', data: { code: 'resource.not_found' } });
    // Through the other facility's path the administrator has no say at all.
    const viaF2 = await as('facilityAdmin', 'POST', `/admin/facilities/${F2}/staff/${foreignStaff}/deactivate`);
    expect(viaF2.statusCode).toBe(403);
    // And the other facility's administrator cannot touch F1's accounts.
    const cross = await as('otherAdmin', 'POST', `/admin/facilities/${F1}/staff/${w.sessions.specialistWithCare.accountId}/deactivate`);
    expect(cross.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: w.sessions.specialistWithCare.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: w.sessions.patientA.headers })).statusCode).toBe(200);
  });

  it('resetting the second factor ends the sessions and sends the person a re-enrolment link; the old password lets nobody in (finding: takeover after reset-mfa, Art. 28(2)-(3))', async () => {
    const created = await createSpecialist(await practitionerAt(F1));
    const { headers } = await activateAndSignIn(created.email);
    const res = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${created.id}/reset-mfa`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ mfaEnrolled: false, status: 'active' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(401);
    expect((await auditRows('account.mfa_reset', { subjectId: created.id }))[0]).toMatchObject({ outcome: 'success', facility_id: F1, data: { wasEnrolled: true, sessionsEnded: 1 } });
    // Behaviour changed deliberately: whoever holds the old password (the administrator who knew an
    // initial one, or a thief) gets no enrolment token; it answers like a wrong password.
    clock.advance({ seconds: 30 });
    const old = await login(created.email, NEW_PASSWORD);
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('auth.invalid_credentials');
    expect(JSON.stringify(old.json())).not.toContain('enrolmentToken');
    // Nor can a reset by e-mail get around it: the account has no second factor now.
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: created.email } });
    await t.deps.outbox.drain(200);
    expect((await readOutbox(t.dataDir)).filter((m) => m.to === created.email && m.body.includes('reset-password#token='))).toEqual([]);
    expect(await auditRows('account.activation_sent', { subjectId: created.id })).toEqual(expect.arrayContaining([expect.objectContaining({ data: { reason: 'mfa_reset', validHours: 72 } })]));
    // The person re-enrols through the link sent to them, with a new password.
    await activateAndSignIn(created.email, 'Strandzha-Nova-Parola-2027');
  });

  it('the other administrators of the facility are told of each creation, activation and 2FA reset', async () => {
    const second = await withTransaction(t.deps.db, async (tx) => {
      const email = `second.admin.${t.deps.ids.uuid()}@test.distansia.bg`;
      const id = await t.deps.identity.createAccount(tx, systemCtx('test'), { email, password: WORLD_PASSWORD, role: 'facility_admin', facilityIds: [F1] });
      await enrolTotpForDemo(t.deps, tx, systemCtx('test'), id);
      return email;
    });
    const created = await createSpecialist(await practitionerAt(F1));
    await activateAndSignIn(created.email);
    expect((await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${created.id}/reset-mfa`)).statusCode).toBe(200);
    await t.deps.outbox.drain(200);
    const notices = (await readOutbox(t.dataDir)).filter((m) => m.to === second && m.body.includes(created.id));
    // In words: the role as a word, never its code (docs/notifications.md#texts).
    expect(notices.map((m) => /лекар [^\n]*\(номер [\w-]+\) (?:беше )?(създаден|активиран|загуби)/.exec(m.body)?.[1])).toEqual(['създаден', 'активиран', 'загуби']);
    // The administrator who acted is not told about their own action.
    expect((await readOutbox(t.dataDir)).filter((m) => m.to === w.sessions.facilityAdmin.email && m.body.includes(created.id) && m.body.includes('създаден'))).toEqual([]);
  });

  it("changing a staff account's e-mail needs re-activation at the new address; the old password and factors stop working", async () => {
    const created = await createSpecialist(await practitionerAt(F1));
    const { headers } = await activateAndSignIn(created.email);
    const moved = `moved.${created.email}`;
    const res = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${created.id}/email`, { email: moved });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ email: moved, mfaEnrolled: false });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(401);
    clock.advance({ seconds: 30 });
    expect((await login(moved)).statusCode).toBe(401);
    expect((await auditRows('account.email_changed', { subjectId: created.id }))[0]).toMatchObject({ outcome: 'success', facility_id: F1, data: { role: 'specialist', sessionsEnded: 1 } });
    expect(JSON.stringify((await auditRows('account.email_changed', { subjectId: created.id }))[0]?.data)).not.toContain(moved);
    await activateAndSignIn(moved);
    // A taken address is refused; so is the operator.
    expect((await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${created.id}/email`, { email: w.sessions.coordinator.email })).statusCode).toBe(409);
    expect((await as('operator', 'POST', `/admin/facilities/${F1}/staff/${created.id}/email`, { email: 'op@test.distansia.bg' })).statusCode).toBe(403);
  });

  it('unlocks a locked account: sign-in works again with a fresh failure budget; the operator may unlock', async () => {
    const created = await createSpecialist(await practitionerAt(F1));
    await activateAndSignIn(created.email);
    // A complete sign-in restarts the failure count, so the failures come after it.
    clock.advance({ seconds: 1 });
    const ip = '198.51.100.7';
    for (let i = 0; i < 5; i += 1) await login(created.email, 'Wrong-Password-0000', ip);
    expect((await login(created.email, NEW_PASSWORD, ip)).statusCode).toBe(429);
    const listed = (await as('facilityAdmin', 'GET', `/admin/facilities/${F1}/staff`)).json<StaffList>().items.find((a) => a.id === created.id);
    expect(listed).toMatchObject({ status: 'locked', lockedUntil: clock.now().add({ minutes: 15 }).toString() });

    const res = await as('operator', 'POST', `/admin/facilities/${F1}/staff/${created.id}/unlock`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', lockedUntil: null });
    expect((await auditRows('account.unlocked', { subjectId: created.id }))[0]).toMatchObject({ outcome: 'success', actor_id: w.sessions.operator.accountId, facility_id: F1 });
    // The failures that caused the lock are spent: one more mistake does not lock again.
    expect((await login(created.email, 'Wrong-Password-0000', ip)).statusCode).toBe(401);
    const ok = await login(created.email, NEW_PASSWORD, ip);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('mfa_required');

    const twice = await as('facilityAdmin', 'POST', `/admin/facilities/${F1}/staff/${created.id}/unlock`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('state.bad_transition');
  });
  // Runs last: it deactivates the other facility's administrator to leave that facility without one.
  it('the first administrator of a facility comes from the command line, and only while it has none', async () => {
    const svc = t.deps.staffAccounts;
    const body = { email: `first.admin.${seq}@test.distansia.bg`, displayName: 'Първи Администратор' };
    // Not from a web session, whoever holds it (the operator included).
    const asUser = { ...systemCtx('test'), actor: { type: 'user' as const, id: t.deps.ids.uuid(), role: 'operator' as const, sessionId: 's', facilityIds: [] } };
    await expect(svc.createFirstAdministrator(asUser, F2, body)).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(svc.createFirstAdministrator(systemCtx('cli.accounts'), F1, body)).rejects.toMatchObject({ code: 'resource.conflict' });
    await expect(svc.createFirstAdministrator(systemCtx('cli.accounts'), t.deps.ids.uuid(), body)).rejects.toMatchObject({ code: 'resource.not_found' });

    await t.deps.db.execute(sql`UPDATE user_account SET status = 'disabled' WHERE id = ${otherAdmin.id}`);
    const created = await svc.createFirstAdministrator(systemCtx('cli.accounts'), F2, body);
    expect(created).toMatchObject({ role: 'facility_admin', name: 'Първи Администратор', mfaEnrolled: false, status: 'active' });
    expect((await auditRows('account.created', { subjectId: created.id })).map((r) => r.facility_id)).toEqual([F2]);
    // The new administrator activates through the e-mailed link and manages the facility's staff.
    const session = await activateAndSignIn(body.email);
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/admin/facilities/${F2}/staff`, headers: session.headers });
    expect(list.statusCode).toBe(200);
    // Once there is one, the command refuses.
    await expect(svc.createFirstAdministrator(systemCtx('cli.accounts'), F2, { ...body, email: `second.${body.email}` })).rejects.toMatchObject({ code: 'resource.conflict' });
  });
});
