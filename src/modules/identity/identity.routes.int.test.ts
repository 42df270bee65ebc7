import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { fixedClock, type FixedClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { hash, verify } from '@node-rs/argon2';
import { ARGON2_OPTIONS, createIdentityService } from './index.js';
import { PASSWORD, START, currentSeq, auditActions, codeAt, cookiesOf, login, makeAccount, signIn } from '../../test/identity-kit.js';

describe('identity: sign-in with password and second factor (docs/decisions.md#d14)', () => {
  let t: TestApp;
  let clock: FixedClock;

  beforeAll(async () => {
    clock = fixedClock(START);
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in with password then TOTP, sets a httpOnly SameSite=Strict cookie, serves /me, and signs out', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const res = await login(t, acct.email);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ status: string; mfaToken: string; methods: string[] }>();
    expect(body.status).toBe('mfa_required');
    expect(body.methods).toEqual(['totp', 'recovery_code']);
    expect(res.headers['set-cookie']).toBeUndefined();

    const mfa = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: body.mfaToken, code: await codeAt(clock, acct.secret ?? '') } });
    expect(mfa.statusCode).toBe(200);
    const cookies = cookiesOf(mfa);
    expect(cookies.distansia_session?.httpOnly).toBe(true);
    expect(cookies.distansia_session?.sameSite).toBe('Strict');
    expect(cookies.csrf?.httpOnly).toBeFalsy();
    const cookie = `distansia_session=${cookies.distansia_session?.value}; csrf=${cookies.csrf?.value}`;

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: acct.id, email: acct.email, role: 'supervisor', facilityIds: [], patientId: null, mfa: { totp: true, passkeys: 0, recoveryCodesLeft: 10 } });

    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': cookies.csrf?.value ?? '' } });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('auth.unauthenticated');
    expect(await auditActions(t, acct.id)).toEqual(expect.arrayContaining(['account.created', 'auth.mfa_enrolled', 'auth.password_verified']));
  });

  it('answers an unknown e-mail exactly like a wrong password, after the same argon2 work', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const wrong = await login(t, acct.email, 'Not-The-Password-123');
    const unknown = await login(t, `nobody${currentSeq()}@example.test`, 'Not-The-Password-123');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (r: LightMyRequestResponse) => {
      const { instance: _instance, ...rest } = r.json<Record<string, unknown>>();
      return rest;
    };
    expect(strip(unknown)).toEqual(strip(wrong));
    expect(strip(wrong).code).toBe('auth.invalid_credentials');
    const headerNames = (r: LightMyRequestResponse) => Object.keys(r.headers).filter((h) => !['x-request-id', 'date'].includes(h)).sort();
    expect(headerNames(unknown)).toEqual(headerNames(wrong));
    expect(unknown.headers['content-length']).toBe(wrong.headers['content-length']);

    // Timing: both paths run exactly one argon2id verify (the unknown e-mail against a dummy hash with
    // the same parameters), so they cost the same. Counted, not timed: wall-clock asserts are flaky.
    const calls: string[] = [];
    const counting = createIdentityService({
      ...t.deps,
      hasher: {
        hash: (p) => hash(p, ARGON2_OPTIONS),
        verify: (h, p) => {
          calls.push(h.slice(0, h.indexOf('$', 20)));
          return verify(h, p);
        },
      },
    });
    const anon = { actor: { type: 'anonymous' as const }, requestId: 'r', ip: '192.0.2.50', userAgent: undefined, lang: 'en' as const };
    await expect(counting.login(anon, { email: acct.email, password: 'Not-The-Password-456' })).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    await expect(counting.login(anon, { email: `ghost${currentSeq()}@example.test`, password: 'Not-The-Password-456' })).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    expect(calls).toEqual(['$argon2id$v=19$m=19456,t=2,p=1', '$argon2id$v=19$m=19456,t=2,p=1']);
  });

  it('locks sign-in for 15 minutes after 5 failures in 15 minutes, with 429 and Retry-After; unlocks after 15 minutes', async () => {
    const acct = await makeAccount(t, 'operator');
    for (let i = 1; i <= 4; i += 1) {
      const r = await login(t, acct.email, `Wrong-Password-${i}-abc`);
      expect(r.statusCode).toBe(401);
    }
    const fifth = await login(t, acct.email, 'Wrong-Password-5-abc');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().code).toBe('auth.locked');
    expect(fifth.headers['retry-after']).toBe('900');

    // The correct password does not help while locked.
    clock.advance({ minutes: 10 });
    const locked = await login(t, acct.email);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('auth.locked');
    expect(locked.headers['retry-after']).toBe('300');

    clock.advance({ minutes: 5 });
    const unlocked = await login(t, acct.email);
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json().status).toBe('mfa_required');
    expect(await auditActions(t, acct.id)).toContain('auth.locked_out');
  });

  it('locks an unknown e-mail the same way (no account enumeration through the lockout)', async () => {
    const email = `ghost-lock${currentSeq()}@example.test`;
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i += 1) statuses.push((await login(t, email, `Wrong-Password-${i}-abc`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    clock.advance({ minutes: 15 });
  });

  it('counts wrong second-factor codes towards the lockout', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const codes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await login(t, acct.email);
      const mfa = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: r.json().mfaToken, code: '000000' } });
      codes.push(mfa.json().code);
    }
    expect(codes).toEqual(['auth.mfa_invalid', 'auth.mfa_invalid', 'auth.mfa_invalid', 'auth.mfa_invalid', 'auth.locked']);
    expect((await login(t, acct.email)).statusCode).toBe(429);
    clock.advance({ minutes: 15 });
  });

  it('refuses a replayed TOTP code within its window, accepts the next step', async () => {
    const acct = await makeAccount(t, 'supervisor');
    await signIn(t, clock, acct);
    const again = await login(t, acct.email);
    const code = await codeAt(clock, acct.secret ?? '');
    const replay = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: again.json().mfaToken, code } });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('auth.mfa_invalid');
    await signIn(t, clock, acct);
  });

  it('accepts a recovery code once only', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const code = acct.recoveryCodes[0] ?? '';
    const first = await login(t, acct.email);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: first.json().mfaToken, code: code.toLowerCase() } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().me.mfa.recoveryCodesLeft).toBe(9);
    const second = await login(t, acct.email);
    const reused = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: second.json().mfaToken, code } });
    expect(reused.statusCode).toBe(401);
    expect(reused.json().code).toBe('auth.mfa_invalid');
    expect(await auditActions(t, acct.id)).toContain('auth.recovery_code_used');
  });

  it('makes the MFA token single-use and short-lived (5 minutes)', async () => {
    const acct = await makeAccount(t, 'supervisor');
    clock.advance({ seconds: 30 });
    const r = await login(t, acct.email);
    const mfaToken = r.json().mfaToken as string;
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken, code: await codeAt(clock, acct.secret ?? '') } });
    expect(ok.statusCode).toBe(200);
    clock.advance({ seconds: 30 });
    const reuse = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken, code: await codeAt(clock, acct.secret ?? '') } });
    expect(reuse.json().code).toBe('auth.mfa_expired');

    const r2 = await login(t, acct.email);
    clock.advance({ minutes: 5 });
    const late = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: r2.json().mfaToken, code: await codeAt(clock, acct.secret ?? '') } });
    expect(late.json().code).toBe('auth.mfa_expired');
  });

  it('refuses cookie-authenticated writes without the matching CSRF token', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const s = await signIn(t, clock, acct);
    const none = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } });
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('auth.csrf');
    const forged = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${s.sessionId}`, headers: { cookie: s.cookie, 'x-csrf-token': 'forged' } });
    expect(forged.json().code).toBe('auth.csrf');
    // Both cookie and header forged to the same value: still refused, the token is bound to the session.
    const cookieOnly = s.cookie.replace(/csrf=[^;]+/, 'csrf=attacker');
    const doubleForged = await t.app.inject({ method: 'POST', url: '/api/v1/me/recovery-codes', headers: { cookie: cookieOnly, 'x-csrf-token': 'attacker' } });
    expect(doubleForged.json().code).toBe('auth.csrf');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/me/recovery-codes', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().recoveryCodes).toHaveLength(10);
  });

  it('ends a session after the idle timeout (30 min) and after 12 hours whatever the activity', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const s = await signIn(t, clock, acct);
    const me = () => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } });
    clock.advance({ minutes: 29 });
    expect((await me()).statusCode).toBe(200);
    clock.advance({ minutes: 29 });
    expect((await me()).statusCode).toBe(200);
    clock.advance({ minutes: 30 });
    expect((await me()).statusCode).toBe(401);

    const s2 = await signIn(t, clock, acct);
    for (let m = 0; m < 12 * 60 - 25; m += 25) {
      clock.advance({ minutes: 25 });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s2.cookie } })).statusCode).toBe(200);
    }
    clock.advance({ minutes: 25 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s2.cookie } })).statusCode).toBe(401);
  });

  it('lists my sessions and ends one; an ended or foreign session is not found', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const a = await signIn(t, clock, acct);
    const b = await signIn(t, clock, acct);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: { cookie: a.cookie } });
    const items = list.json().items as { id: string; current: boolean }[];
    expect(items.map((i) => i.id).sort()).toEqual([a.sessionId, b.sessionId].sort());
    expect(items.find((i) => i.current)?.id).toBe(a.sessionId);

    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${b.sessionId}`, headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: b.cookie } })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${b.sessionId}`, headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
    expect(again.json().code).toBe('resource.not_found');

    const other = await makeAccount(t, 'supervisor');
    const o = await signIn(t, clock, other);
    const foreign = await t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${o.sessionId}`, headers: { cookie: a.cookie, 'x-csrf-token': a.csrf } });
    expect(foreign.json().code).toBe('resource.not_found');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: o.cookie } })).statusCode).toBe(200);
    expect(await auditActions(t, b.sessionId)).toContain('auth.session_revoked');
  });

  it('changes the password with the current one and a fresh code, ends the other sessions, and signs in with the new one', async () => {
    const acct = await makeAccount(t, 'facility_admin');
    const a = await signIn(t, clock, acct);
    const b = await signIn(t, clock, acct);
    const NEW = 'Lilac-Meadow-Thunder-42';
    const change = async (body: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: a.cookie, 'x-csrf-token': a.csrf }, payload: body });

    clock.advance({ seconds: 30 });
    const wrongCurrent = await change({ currentPassword: 'not-the-password-1', newPassword: NEW, code: await codeAt(clock, acct.secret ?? '') });
    expect(wrongCurrent.json().code).toBe('auth.invalid_credentials');
    const weak = await change({ currentPassword: PASSWORD, newPassword: 'password123', code: await codeAt(clock, acct.secret ?? '') });
    expect(weak.statusCode).toBe(422);
    expect(weak.json().code).toBe('password.too_weak');
    const same = await change({ currentPassword: PASSWORD, newPassword: PASSWORD, code: await codeAt(clock, acct.secret ?? '') });
    expect(same.json().meta.problems).toContain('unchanged');
    const badCode = await change({ currentPassword: PASSWORD, newPassword: NEW, code: '000000' });
    expect(badCode.json().code).toBe('auth.mfa_invalid');
    // Nothing changed so far: the old password still works.
    expect((await login(t, acct.email, PASSWORD)).statusCode).toBe(200);

    clock.advance({ seconds: 30 });
    const ok = await change({ currentPassword: PASSWORD, newPassword: NEW, code: await codeAt(clock, acct.secret ?? '') });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ sessionsEnded: 1 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: a.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: b.cookie } })).statusCode).toBe(401);
    expect((await login(t, acct.email, PASSWORD)).json().code).toBe('auth.invalid_credentials');
    expect((await login(t, acct.email, NEW)).statusCode).toBe(200);
    const actions = await auditActions(t, acct.id);
    expect(actions).toContain('auth.password_changed');
    // The failures above count towards the lock like failed sign-ins.
    expect(actions.filter((x) => x === 'auth.sign_in_failed').length).toBeGreaterThanOrEqual(2);
  });

  it('enrols TOTP on first sign-in: enrolment token, QR code, confirm, recovery codes shown once', async () => {
    const acct = await makeAccount(t, 'facility_admin', { enrol: false });
    const r = await login(t, acct.email);
    expect(r.json().status).toBe('mfa_enrolment_required');
    const enrolmentToken = r.json().enrolmentToken as string;
    // The enrolment token is not an MFA token.
    const misuse = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: enrolmentToken, code: '123456' } });
    expect(misuse.json().code).toBe('auth.mfa_expired');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);

    const start = await t.app.inject({ method: 'POST', url: '/api/v1/auth/enrolment/totp', payload: { enrolmentToken } });
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUri, qrDataUrl } = start.json<{ secret: string; otpauthUri: string; qrDataUrl: string }>();
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrDataUrl.startsWith('data:image/svg+xml;base64,')).toBe(true);

    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/enrolment/totp/confirm', payload: { enrolmentToken, code: '000000' } });
    expect(bad.json().code).toBe('auth.mfa_invalid');
    const good = await t.app.inject({ method: 'POST', url: '/api/v1/auth/enrolment/totp/confirm', payload: { enrolmentToken, code: await codeAt(clock, secret) } });
    expect(good.statusCode).toBe(200);
    expect(good.json().recoveryCodes).toHaveLength(10);
    expect(good.json().me.mfa.totp).toBe(true);
    expect(cookiesOf(good).distansia_session?.value).toBeTruthy();

    clock.advance({ seconds: 30 });
    const next = await login(t, acct.email);
    expect(next.json().status).toBe('mfa_required');
  });

  it('refuses a weak or common password when creating an account', async () => {
    await expect(
      withTransaction(t.deps.db, (tx) => t.deps.identity.createAccount(tx, systemCtx('test'), { email: 'weak@example.test', password: 'P@ssw0rd2024!', role: 'supervisor' })),
    ).rejects.toMatchObject({ code: 'password.too_weak' });
  });

  it('stores the password as argon2id with the OWASP parameters, and no e-mail in clear', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const r = await t.deps.db.execute<{ password_hash: string; email_enc: Buffer; email_index: string }>(sql`SELECT password_hash, email_enc, email_index FROM user_account WHERE id = ${acct.id}`);
    const row = r.rows[0];
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(Buffer.from(row?.email_enc ?? '').toString('latin1')).not.toContain(acct.email);
    expect(row?.email_index).not.toContain('@');
  });
});

describe('identity: staff network gateway (Art. 28(1)-(2), docs/decisions.md#d14)', () => {
  let t: TestApp;
  let clock: FixedClock;
  beforeAll(async () => {
    clock = fixedClock(START);
    t = await createTestApp({ clock, env: { STAFF_ALLOWED_NETWORKS: '10.20.0.0/16, 2001:db8::/32' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses staff outside the allowed networks after both factors, allows them inside; patients anywhere', async () => {
    const op = await makeAccount(t, 'operator');
    clock.advance({ seconds: 30 });
    const r = await login(t, op.email, PASSWORD, '192.0.2.7');
    const outside = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', remoteAddress: '192.0.2.7', payload: { mfaToken: r.json().mfaToken, code: await codeAt(clock, op.secret ?? '') } });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('auth.network_denied');
    expect(outside.headers['set-cookie']).toBeUndefined();

    const inside = await signIn(t, clock, op, '10.20.3.4');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: '10.20.3.4', headers: { cookie: inside.cookie } })).statusCode).toBe(200);
    // The same session used from outside the gateway is refused.
    const moved = await t.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: '198.51.100.1', headers: { cookie: inside.cookie } });
    expect(moved.json().code).toBe('auth.network_denied');

    const rep = await makeAccount(t, 'representative');
    const s = await signIn(t, clock, rep, '198.51.100.1');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: '198.51.100.1', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    expect(await auditActions(t, op.id)).toContain('auth.network_denied');
  });
});

describe('identity: per-IP throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: fixedClock(START), env: { AUTH_IP_MAX_FAILURES: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('throttles a client IP after its failed-attempt budget, across different e-mails', async () => {
    for (let i = 0; i < 3; i += 1) expect((await login(t, `spray${i}@example.test`, 'Wrong-Password-xyz', '203.0.113.9')).statusCode).toBe(401);
    const blocked = await login(t, 'spray-next@example.test', 'Wrong-Password-xyz', '203.0.113.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('rate.limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(t, 'spray-next@example.test', 'Wrong-Password-xyz', '203.0.113.10')).statusCode).toBe(401);
  });
});
