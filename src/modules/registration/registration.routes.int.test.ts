import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { sql } from 'drizzle-orm';
import { readOutbox } from '../../test/mail-sink.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { fixedClock, type FixedClock } from '../../platform/clock.js';
import { makeEgn, makeLnch } from '../../platform/identifiers.js';
import { totpCode } from '../identity/index.js';
import { auditActions, cookiesOf, login } from '../../test/identity-kit.js';
import { buildAccessWorld } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';

// A patient's own registration (docs/registration.md): form → e-mailed link → second factor → signed in,
// unverified until a specialist's identity check (R-TM-15); the same answer for what is already registered.

const PASSWORD = 'Linden-Harbour-Violet-58';
let serial = 100;

function form(over: Record<string, unknown> = {}) {
  serial += 1;
  const birth = Temporal.PlainDate.from('1991-06-02');
  return { email: `reg${serial}@example.test`, password: PASSWORD, phone: '+359 888 123 456', identifierKind: 'egn', identifier: makeEgn(birth, 'male', serial), givenName: 'Иван', familyName: 'Петров', birthDate: '1991-06-02', ...over };
}

describe('registration: a patient creates an account', () => {
  let t: TestApp;
  let clock: FixedClock;
  beforeAll(async () => {
    clock = fixedClock('2026-11-25T08:00:00Z');
    t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true', PUBLIC_URL: 'https://distansia.example.bg' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const register = (payload: Record<string, unknown>, remoteAddress?: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload, ...(remoteAddress ? { remoteAddress } : {}) });
  const confirm = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/register/confirm', payload: { token } });

  async function mailsTo(email: string) {
    await t.deps.outbox.drain();
    return (await readOutbox(t.dataDir)).filter((m) => m.to === email);
  }
  const tokenIn = (body: string) => /register\/confirm#token=([\w-]+)/.exec(body)?.[1] ?? '';

  async function registerAndConfirm(payload: ReturnType<typeof form>) {
    expect((await register(payload)).statusCode).toBe(202);
    const mail = (await mailsTo(payload.email)).at(-1);
    const res = await confirm(tokenIn(mail?.body ?? ''));
    expect(res.statusCode).toBe(200);
    const { enrolmentToken } = res.json<{ enrolmentToken: string }>();
    const start = await t.app.inject({ method: 'POST', url: '/api/v1/auth/enrolment/totp', payload: { enrolmentToken } });
    const { secret } = start.json<{ secret: string }>();
    clock.advance({ seconds: 30 });
    const code = await totpCode(secret, Math.floor(clock.now().epochMilliseconds / 1000));
    const signed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/enrolment/totp/confirm', payload: { enrolmentToken, code } });
    expect(signed.statusCode).toBe(200);
    const c = cookiesOf(signed);
    return { body: signed.json<{ me: { id: string; patientId: string; identityVerified?: boolean }; recoveryCodes: string[] }>(), cookie: `distansia_session=${c.distansia_session?.value}; csrf=${c.csrf?.value}`, secret };
  }

  it('registers, confirms the e-mail, enrols TOTP and is signed in as an unverified patient (R-TM-15)', async () => {
    const f = form();
    // Before the e-mail is confirmed the password does not sign in (same answer as a wrong one).
    expect((await register(f)).statusCode).toBe(202);
    expect((await login(t, f.email, PASSWORD)).json().code).toBe('auth.invalid_credentials');
    const mails = await mailsTo(f.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.body).toContain('https://distansia.example.bg/register/confirm#token=');
    const token = tokenIn(mails[0]?.body ?? '');
    // The token is not stored in clear anywhere.
    expect((await t.deps.db.execute(sql`SELECT 1 FROM outbox WHERE payload::text LIKE ${'%' + token + '%'}`)).rows).toHaveLength(0);
    const res = await confirm(token);
    expect(res.json()).toMatchObject({ status: 'mfa_enrolment_required' });
    // Single use.
    expect((await confirm(token)).json().code).toBe('auth.confirmation_invalid');
    const { enrolmentToken } = res.json<{ enrolmentToken: string }>();
    const { secret } = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/enrolment/totp', payload: { enrolmentToken } })).json<{ secret: string }>();
    clock.advance({ seconds: 30 });
    const code = await totpCode(secret, Math.floor(clock.now().epochMilliseconds / 1000));
    const signed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/enrolment/totp/confirm', payload: { enrolmentToken, code } });
    expect(signed.statusCode).toBe(200);
    const me = signed.json<{ me: { role: string; patientId: string; identityVerified: boolean }; recoveryCodes: string[] }>();
    expect(me.me).toMatchObject({ role: 'patient', identityVerified: false });
    expect(me.recoveryCodes.length).toBeGreaterThan(0);
    // The patient record holds what was typed, encrypted; the account reads its own record.
    const c = cookiesOf(signed);
    const own = await t.app.inject({ method: 'GET', url: `/api/v1/patients/${me.me.patientId}`, headers: { cookie: `distansia_session=${c.distansia_session?.value}` } });
    expect(own.json()).toMatchObject({ identifier: f.identifier, givenName: 'Иван', familyName: 'Петров', birthDate: '1991-06-02', sex: 'male', phone: '+359 888 123 456' });
    // Now the password signs in (second factor required).
    expect((await login(t, f.email, PASSWORD)).json()).toMatchObject({ status: 'mfa_required' });
  });

  it('R-TM-15: a specialist\'s successful identity check marks the account verified', async () => {
    const { body, cookie } = await registerAndConfirm(form());
    expect(body.me.identityVerified).toBe(false);
    const w = await buildAccessWorld(t);
    const specialist = w.sessions.specialistWithCare.accountId;
    const practitionerId = (await t.deps.db.execute<{ p: string }>(sql`SELECT practitioner_id AS p FROM user_account WHERE id = ${specialist}`)).rows[0]?.p ?? '';
    const requestId = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: body.me.patientId, requesterAccountId: body.me.id, status: 'accepted' });
    const meNow = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json<{ identityVerified: boolean }>().identityVerified;
    const failed = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/requests/${requestId}/identity-verifications`, payload: { method: 'video_document_check', outcome: 'failed' } });
    expect(failed.statusCode, failed.body).toBe(201);
    expect(await meNow()).toBe(false);
    const ok = await w.as('specialistWithCare', { method: 'POST', url: `/api/v1/requests/${requestId}/identity-verifications`, payload: { method: 'video_document_check', outcome: 'verified' } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await meNow()).toBe(true);
  });

  it('answers 202 for an e-mail that already has an account, creates nothing and tells its holder', async () => {
    const first = form();
    await registerAndConfirm(first);
    const before = (await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM user_account`)).rows[0]?.n;
    const again = await register(form({ email: first.email }));
    expect(again.statusCode).toBe(202);
    expect(again.body).toBe((await register(form())).body);
    const after = (await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM user_account`)).rows[0]?.n;
    expect(after).toBe((before ?? 0) + 1);
    const mails = await mailsTo(first.email);
    expect(mails.at(-1)?.subject).toContain('опит за регистрация');
    expect(mails.at(-1)?.body).not.toContain('#token=');
  });

  it('is no EGN oracle: an identifier already registered gets the same 202, no account, and its holder is told', async () => {
    const holder = form();
    await registerAndConfirm(holder);
    const probe = form({ identifier: holder.identifier, birthDate: holder.birthDate });
    const res = await register(probe);
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe((await register(form())).body);
    expect(await mailsTo(probe.email)).toHaveLength(0);
    expect((await mailsTo(holder.email)).at(-1)?.body).toContain('ЕГН/ЛНЧ');
    expect((await login(t, probe.email, PASSWORD)).json().code).toBe('auth.invalid_credentials');
  });

  it('§1.1: refuses a wrong EGN checksum and a date of birth the EGN contradicts, on the field', async () => {
    const f = form();
    const bad = f.identifier.slice(0, 9) + String((Number(f.identifier[9]) + 1) % 10);
    const r1 = await register({ ...f, identifier: bad });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().errors[0].pointer).toBe('#/identifier');
    const r2 = await register({ ...f, birthDate: '1991-06-03' });
    expect(r2.statusCode).toBe(422);
    expect(r2.json()).toMatchObject({ code: 'registration.birth_date_mismatch', errors: [{ pointer: '#/birthDate' }] });
    const r3 = await register({ ...f, password: 'password1' });
    expect(r3.json().code).toBe('password.too_weak');
  });

  it('§1.2: registers a foreigner with an LNCh and a stated sex', async () => {
    const f = form({ identifierKind: 'lnch', identifier: makeLnch(serial + 5000), sex: 'female', birthDate: '1985-01-20' });
    const { body } = await registerAndConfirm(f);
    expect(body.me.identityVerified).toBe(false);
  });

  it('a second registration of an unconfirmed e-mail re-sends the link, at most 3 an hour', async () => {
    const f = form();
    for (let i = 0; i < 5; i += 1) expect((await register({ ...f, identifier: makeEgn(Temporal.PlainDate.from('1991-06-02'), 'male', 450 + i) })).statusCode).toBe(202);
    expect((await mailsTo(f.email)).filter((m) => tokenIn(m.body))).toHaveLength(3);
    const acct = (await t.deps.db.execute<{ id: string }>(sql`SELECT subject_id AS id FROM audit_event WHERE action = 'account.confirmation_sent' ORDER BY seq DESC LIMIT 1`)).rows[0];
    expect(await auditActions(t, acct?.id ?? '')).toEqual(expect.arrayContaining(['account.registration_requested', 'account.confirmation_sent']));
  });
});

describe('registration: rate limited per IP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { DEV_MAIL_SINK: 'true', RATE_LIMIT_AUTH_MAX: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 rate.limited with Retry-After after the auth limit', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i += 1) codes.push((await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: form(), remoteAddress: '203.0.113.9' })).statusCode);
    expect(codes).toEqual([202, 202, 202, 429]);
  });
});
