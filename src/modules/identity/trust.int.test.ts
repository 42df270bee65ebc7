import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { readOutbox } from '../../test/mail-sink.js';
import { fixedClock, type FixedClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { pino } from 'pino';
import { loggerOptions } from '../../platform/logger.js';
import type { Role } from '../../contracts/identity.js';
import { enrolTotpForDemo } from '../../demo/enrol-totp.js';
import { DEVICE_COOKIE, totpCode } from './index.js';

// Regulatory: Art. 28(2)-(4) — only authorised persons reach patient data. One test per finding of the
// attacker's probe of the demo (docs/identity.md): the anonymous dev outbox, a reset that skipped the
// second factor, unthrottled anonymous writes, and a stranger locking the owner out.

const PASSWORD = 'Correct-Horse-Battery-Staple-7';
const START = '2026-11-25T08:00:00Z';
let seq = 0;

async function makeAccount(t: TestApp, role: Role, opts: { enrol: boolean }): Promise<{ id: string; email: string; secret?: string }> {
  seq += 1;
  const email = `trust${seq}.${role}@example.test`;
  return withTransaction(t.deps.db, async (tx) => {
    const id = await t.deps.identity.createAccount(tx, systemCtx('test'), { email, password: PASSWORD, role });
    if (!opts.enrol) return { id, email };
    return { id, email, secret: (await enrolTotpForDemo(t.deps, tx, systemCtx('test'), id)).secret };
  });
}

const login = (t: TestApp, email: string, password: string, opts: { ip?: string; device?: string } = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    ...(opts.ip ? { remoteAddress: opts.ip } : {}),
    ...(opts.device ? { cookies: { [DEVICE_COOKIE]: opts.device } } : {}),
  });

const cookie = (res: LightMyRequestResponse, name: string) => (res.cookies as { name: string; value: string; httpOnly?: boolean; path?: string }[]).find((c) => c.name === name);

describe('finding: the development mail sink answered anyone over HTTP', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    // The app's logger writes to a stream we read, to see what the sink logs.
    const log = pino(loggerOptions('info'), { write: (l: string) => void lines.push(l) });
    t = await createTestApp({ clock: fixedClock(START), env: { DEV_MAIL_SINK: 'true' }, log });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes messages to DATA_DIR/outbox as .eml files, logs only the file and channel, and serves nothing', async () => {
    const acct = await makeAccount(t, 'supervisor', { enrol: true });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: acct.email } })).statusCode).toBe(202);
    await t.deps.outbox.drain();
    const mails = await readOutbox(t.dataDir);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ channel: 'email', to: acct.email });
    expect(mails[0]?.file).toMatch(/\.eml$/);
    expect(mails[0]?.body).toMatch(/reset-password#token=[\w-]{20,}/);
    // Security: the log names the file, never the address or the link.
    const logged = lines.filter((l) => l.includes('development mail sink'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('.eml');
    expect(lines.join('\n')).not.toContain(acct.email);
    expect(lines.join('\n')).not.toContain('reset-password#token');
    // The HTTP route is gone, with or without a session.
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/dev/outbox' });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
  });
});

describe('finding: a password reset skipped the second factor of an account without one', () => {
  let t: TestApp;
  let clock: FixedClock;
  beforeAll(async () => {
    clock = fixedClock(START);
    t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an account without a second factor gets no reset link, only the advice to ask for an activation link; the answer is the same', async () => {
    const bare = await makeAccount(t, 'coordinator', { enrol: false });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: 'nobody@example.test' } });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: bare.email } });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe(unknown.body);
    await t.deps.outbox.drain();
    const mails = (await readOutbox(t.dataDir)).filter((m) => m.to === bare.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body).not.toContain('#token=');
    expect(mails[0]?.body).toContain('нова връзка за активиране');
    const r = await t.deps.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM auth_challenge WHERE account_id = ${bare.id} AND purpose = 'password_reset'`);
    expect(Number(r.rows[0]?.n)).toBe(0);
  });

  it('a live reset link of an account whose factor is gone is refused, and the password stays', async () => {
    const acct = await makeAccount(t, 'coordinator', { enrol: true });
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: acct.email } });
    await t.deps.outbox.drain();
    const token = /reset-password#token=([\w-]+)/.exec((await readOutbox(t.dataDir)).filter((m) => m.to === acct.email).at(-1)?.body ?? '')?.[1] ?? '';
    expect(token).not.toBe('');
    // Fixture: the factor vanished without the token being spent (an older database, a manual repair).
    await t.deps.db.execute(sql`UPDATE user_account SET mfa_enrolled_at = NULL WHERE id = ${acct.id}`);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword: 'Vitosha-Zimna-Pesen-2027' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('auth.activation_required');
    clock.advance({ seconds: 30 });
    expect((await login(t, acct.email, 'Vitosha-Zimna-Pesen-2027')).statusCode).toBe(401);
    // The link is spent: it cannot be retried.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, newPassword: 'Vitosha-Zimna-Pesen-2027', code: '123456' } })).json().code).toBe('auth.reset_invalid');
  });
});

describe('finding: anonymous writes and password resets were unthrottled', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ clock: fixedClock(START), env: { RATE_LIMIT_AUTH_MAX: '3', RATE_LIMIT_ANONYMOUS_WRITE_MAX: '2', RATE_LIMIT_WINDOW_SECONDS: '60' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the fourth reset request from one address with 429 rate.limited, problem+json and Retry-After; another address is not affected', async () => {
    const ask = (ip: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: 'someone@example.test' }, remoteAddress: ip });
    for (let i = 0; i < 3; i += 1) expect((await ask('203.0.113.40')).statusCode).toBe(202);
    const limited = await ask('203.0.113.40');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json()).toMatchObject({ code: 'rate.limited', status: 429 });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await ask('203.0.113.41')).statusCode).toBe(202);
    // The refused requests left no audit rows behind (each reset request writes one).
    const r = await t.deps.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM audit_event WHERE action = 'auth.password_reset_requested'`);
    expect(Number(r.rows[0]?.n)).toBe(4);
  });

  it('limits sign-in, the second factor and activation per address too', async () => {
    for (const url of ['/api/v1/auth/login', '/api/v1/auth/mfa', '/api/v1/auth/activation/start']) {
      const codes: number[] = [];
      for (let i = 0; i < 4; i += 1) codes.push((await t.app.inject({ method: 'POST', url, payload: {}, remoteAddress: '203.0.113.50' })).statusCode);
      expect(codes.slice(0, 3), url).not.toContain(429);
      expect(codes[3], url).toBe(429);
    }
  });

  it('limits any other anonymous write, but not a signed-in caller', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 3; i += 1) codes.push((await t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: {}, remoteAddress: '203.0.113.60' })).statusCode);
    expect(codes.slice(0, 2)).not.toContain(429);
    expect(codes[2]).toBe(429);
    // Signed in (from the same address), the same route answers on its merits.
    const acct = await makeAccount(t, 'supervisor', { enrol: true });
    const first = await login(t, acct.email, PASSWORD, { ip: '203.0.113.61' });
    const mfa = await t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: first.json().mfaToken, code: await totpCode(acct.secret ?? '', Math.floor(Date.parse(START) / 1000)) }, remoteAddress: '203.0.113.61' });
    expect(mfa.statusCode).toBe(200);
    const session = cookie(mfa, 'distansia_session')?.value ?? '';
    const csrf = cookie(mfa, 'csrf')?.value ?? '';
    for (let i = 0; i < 3; i += 1) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/requests', payload: {}, remoteAddress: '203.0.113.60', cookies: { distansia_session: session, csrf }, headers: { 'x-csrf-token': csrf } });
      expect(res.statusCode).not.toBe(429);
    }
  });
});

describe('finding: anyone who knew an e-mail could lock its owner out, again and again', () => {
  let t: TestApp;
  let clock: FixedClock;
  beforeAll(async () => {
    clock = fixedClock(START);
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  async function signInFully(email: string, secret: string, device?: string) {
    clock.advance({ seconds: 30 });
    const first = await login(t, email, PASSWORD, { ip: '192.0.2.10', ...(device ? { device } : {}) });
    expect(first.statusCode).toBe(200);
    const code = await totpCode(secret, Math.floor(clock.now().epochMilliseconds / 1000));
    return t.app.inject({ method: 'POST', url: '/api/v1/auth/mfa', payload: { mfaToken: first.json().mfaToken, code }, remoteAddress: '192.0.2.10' });
  }

  it("a stranger's failures lock unknown devices, while the owner's known browser still signs in", async () => {
    const owner = await makeAccount(t, 'coordinator', { enrol: true });
    const mfa = await signInFully(owner.email, owner.secret ?? '');
    expect(mfa.statusCode).toBe(200);
    const device = cookie(mfa, DEVICE_COOKIE);
    expect(device?.httpOnly).toBe(true);
    expect(device?.path).toBe('/api/v1/auth');
    clock.advance({ seconds: 1 });

    const codes: number[] = [];
    for (let i = 0; i < 5; i += 1) codes.push((await login(t, owner.email, 'Wrong-Password-xyz', { ip: '198.51.100.99' })).statusCode);
    // The fifth failure locks.
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const stranger = await login(t, owner.email, PASSWORD, { ip: '198.51.100.99' });
    expect(stranger.statusCode).toBe(429);
    expect(stranger.json().code).toBe('auth.locked');
    // A browser without the cookie is locked even with the right password …
    expect((await login(t, owner.email, PASSWORD, { ip: '192.0.2.10' })).json().code).toBe('auth.locked');
    // … the owner's browser signs in, both steps.
    const again = await signInFully(owner.email, owner.secret ?? '', device?.value);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('signed_in');
  });

  it("a stranger's lock does not block the signed-in owner's step-up (password change needs a fresh code); the session's own failures lock only it", async () => {
    const owner = await makeAccount(t, 'coordinator', { enrol: true });
    const mfa = await signInFully(owner.email, owner.secret ?? '');
    const session = cookie(mfa, 'distansia_session')?.value ?? '';
    const csrf = cookie(mfa, 'csrf')?.value ?? '';
    expect(session).not.toBe('');
    const change = async (currentPassword: string, newPassword: string) => {
      clock.advance({ seconds: 30 });
      const code = await totpCode(owner.secret ?? '', Math.floor(clock.now().epochMilliseconds / 1000));
      return t.app.inject({ method: 'POST', url: '/api/v1/me/password', headers: { cookie: `distansia_session=${session}; csrf=${csrf}`, 'x-csrf-token': csrf }, payload: { currentPassword, newPassword, code }, remoteAddress: '192.0.2.10' });
    };
    clock.advance({ seconds: 1 });
    const strangerCodes: number[] = [];
    for (let i = 0; i < 5; i += 1) strangerCodes.push((await login(t, owner.email, 'Wrong-Password-xyz', { ip: '198.51.100.97' })).statusCode);
    const locked = await login(t, owner.email, PASSWORD, { ip: '198.51.100.97' });
    expect([strangerCodes, locked.statusCode, locked.body]).toEqual([[401, 401, 401, 401, 429], 429, expect.stringContaining('auth.locked')]);
    // Before, the e-mail-wide lock refused the owner's own session here for 15 minutes.
    const ok = await change(PASSWORD, 'Another-Horse-Battery-Staple-8');
    expect(ok.statusCode).toBe(200);
    // The session guessing the current password wrong locks that session's attempts only.
    const wrong: number[] = [];
    for (let i = 0; i < 5; i += 1) wrong.push((await change('Wrong-Password-xyz', 'Third-Horse-Battery-Staple-9')).statusCode);
    expect(wrong).toEqual([401, 401, 401, 401, 429]);
    expect((await change('Another-Horse-Battery-Staple-8', 'Third-Horse-Battery-Staple-9')).json().code).toBe('auth.locked');
  });

  it('a forged or foreign device cookie counts as an unknown device, and a known device that keeps failing locks itself', async () => {
    const a = await makeAccount(t, 'coordinator', { enrol: true });
    const b = await makeAccount(t, 'coordinator', { enrol: true });
    const deviceOfA = cookie(await signInFully(a.email, a.secret ?? ''), DEVICE_COOKIE)?.value ?? '';
    clock.advance({ seconds: 1 });
    for (let i = 0; i < 5; i += 1) await login(t, b.email, 'Wrong-Password-xyz', { ip: '198.51.100.98' });
    // A's cookie says nothing about B; a made-up entry neither.
    expect((await login(t, b.email, PASSWORD, { device: deviceOfA })).json().code).toBe('auth.locked');
    expect((await login(t, b.email, PASSWORD, { device: 'abc:def' })).json().code).toBe('auth.locked');
    // The owner's own device guessing wrong locks that device only.
    for (let i = 0; i < 5; i += 1) await login(t, a.email, 'Wrong-Password-xyz', { device: deviceOfA });
    const self = await login(t, a.email, PASSWORD, { device: deviceOfA });
    expect(self.statusCode).toBe(429);
    expect(self.json().code).toBe('auth.locked');
    expect(Number(self.headers['retry-after'])).toBeGreaterThan(0);
    // … and unknown devices still have their own budget (the e-mail lock was not touched).
    expect((await login(t, a.email, PASSWORD, { ip: '192.0.2.77' })).statusCode).toBe(200);
  });
});
