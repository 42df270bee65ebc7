import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { Temporal, fixedClock, type FixedClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { makeEgn } from '../../platform/identifiers.js';
import { enrolTotpForDemo } from '../../demo/enrol-totp.js';
import { PASSWORD, START, makeAccount, signIn, type Signed, type TestAccount } from '../../test/identity-kit.js';

// PATCH /api/v1/me: the account holder's choice of the language of their e-mail and SMS
// (user_account.notification_lang, migration 0042; docs/notifications.md#texts, docs/identity.md).
describe('identity: my notification language (PATCH /api/v1/me)', () => {
  let t: TestApp;
  let clock: FixedClock;

  beforeAll(async () => {
    clock = fixedClock(START);
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  let patients = 0;
  /** A patient's own account, linked to their patient record (the role most notifications go to). */
  const makePatient = async (): Promise<TestAccount> => {
    patients += 1;
    const n = patients;
    const email = `patient.settings.${n}@example.test`;
    return withTransaction(t.deps.db, async (tx) => {
      const ctx = systemCtx('test');
      const patientId = await t.deps.patients.createPatient(tx, ctx, {
        identifierKind: 'egn',
        identifier: makeEgn(Temporal.PlainDate.from('1984-03-17'), 'female', (n % 400) + 1),
        givenName: 'Радослава',
        familyName: 'Зографова',
        birthDate: '1984-03-17',
        sex: 'female',
      });
      const id = await t.deps.identity.createAccount(tx, ctx, { email, password: PASSWORD, role: 'patient', patientId });
      const { secret, recoveryCodes } = await enrolTotpForDemo(t.deps, tx, ctx, id);
      return { id, email, secret, recoveryCodes };
    });
  };

  const patch = (s: Signed, payload: unknown, csrf: string | null = s.csrf) =>
    t.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: s.cookie, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) }, payload: payload as Record<string, unknown> });
  const stored = async (accountId: string) =>
    (await t.deps.db.execute<{ notification_lang: string; version: number; updated_at: Date | string }>(sql`SELECT notification_lang, version, updated_at FROM user_account WHERE id = ${accountId}`)).rows[0];
  const changes = async (accountId: string) =>
    (await t.deps.db.execute<{ data: unknown; actor_id: string | null }>(sql`SELECT data, actor_id FROM audit_event WHERE subject_id = ${accountId} AND action = 'account.notification_lang_changed' ORDER BY seq`)).rows;

  it('a patient switches their e-mail and SMS to English and back; each change is audited with from and to', async () => {
    const acct = await makePatient();
    const s = await signIn(t, clock, acct);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } });
    expect(me.json()).toMatchObject({ id: acct.id, notificationLang: 'bg' });
    const before = await stored(acct.id);

    clock.advance({ minutes: 1 });
    const en = await patch(s, { notificationLang: 'en' });
    expect(en.statusCode).toBe(200);
    expect(en.json()).toMatchObject({ id: acct.id, role: 'patient', notificationLang: 'en', session: { id: s.sessionId } });
    const after = await stored(acct.id);
    expect(after?.notification_lang).toBe('en');
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    // The time of the injected clock, not the database server's.
    expect(new Date(after?.updated_at ?? 0).getTime()).toBe(clock.now().epochMilliseconds);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } })).json().notificationLang).toBe('en');

    const bg = await patch(s, { notificationLang: 'bg' });
    expect(bg.json().notificationLang).toBe('bg');
    const rows = await changes(acct.id);
    expect(rows.map((r) => r.data)).toEqual([{ from: 'bg', to: 'en' }, { from: 'en', to: 'bg' }]);
    expect(rows.every((r) => r.actor_id === acct.id)).toBe(true);
  });

  it('choosing the language the account already has changes nothing and records nothing', async () => {
    const acct = await makePatient();
    const s = await signIn(t, clock, acct);
    const version = (await stored(acct.id))?.version;
    const same = await patch(s, { notificationLang: 'bg' });
    expect(same.statusCode).toBe(200);
    expect(same.json().notificationLang).toBe('bg');
    expect((await stored(acct.id))?.version).toBe(version);
    expect(await changes(acct.id)).toEqual([]);
  });

  it('staff set their own language, and only their own: the body names no account and takes no other field', async () => {
    const staff = await makeAccount(t, 'operator');
    const other = await makeAccount(t, 'supervisor');
    const s = await signIn(t, clock, staff);
    expect((await patch(s, { notificationLang: 'en' })).json()).toMatchObject({ id: staff.id, role: 'operator', notificationLang: 'en' });
    expect((await stored(other.id))?.notification_lang).toBe('bg');

    // Security: a strict body, so the same request cannot smuggle in a role or another account's id.
    for (const payload of [{ notificationLang: 'en', role: 'operator' }, { notificationLang: 'en', id: other.id }]) {
      const res = await patch(s, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('request.invalid');
    }
    const roleNow = await t.deps.db.execute<{ role: string }>(sql`SELECT role FROM user_account WHERE id = ${staff.id}`);
    expect(roleNow.rows[0]?.role).toBe('operator');
  });

  it('refuses a language it does not write in, naming the field', async () => {
    const acct = await makePatient();
    const s = await signIn(t, clock, acct);
    for (const payload of [{ notificationLang: 'de' }, { notificationLang: '' }, {}]) {
      const res = await patch(s, payload);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'request.invalid', errors: [{ in: 'body', pointer: '#/notificationLang' }] });
    }
    expect((await stored(acct.id))?.notification_lang).toBe('bg');
  });

  it('needs a session and the CSRF token', async () => {
    const anonymous = await t.app.inject({ method: 'PATCH', url: '/api/v1/me', payload: { notificationLang: 'en' } });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('auth.unauthenticated');

    const acct = await makePatient();
    const s = await signIn(t, clock, acct);
    for (const csrf of [null, 'forged']) {
      const res = await patch(s, { notificationLang: 'en' }, csrf);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('auth.csrf');
    }
    expect((await stored(acct.id))?.notification_lang).toBe('bg');
    expect(await changes(acct.id)).toEqual([]);
  });

  it('a new session reads the stored language', async () => {
    const acct = await makePatient();
    const first = await signIn(t, clock, acct);
    await patch(first, { notificationLang: 'en' });
    const again = await signIn(t, clock, acct);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: again.cookie } });
    expect(me.json().notificationLang).toBe('en');
  });
});
