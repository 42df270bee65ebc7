import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { readOutbox } from '../../test/mail-sink.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { fixedClock, type FixedClock } from '../../platform/clock.js';
import { PASSWORD, START, auditActions, codeAt, login, makeAccount, signIn } from '../../test/identity-kit.js';

// The forgotten-password flow (docs/identity.md "Forgotten password"): an e-mailed link plus the second factor.

describe('identity: forgotten password (e-mailed link plus the second factor)', () => {
  let t: TestApp;
  let clock: FixedClock;
  beforeAll(async () => {
    clock = fixedClock(START);
    t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true', PUBLIC_URL: 'https://distansia.example.bg' } });
  });
  afterAll(async () => {
    await t.close();
  });

  const ask = (email: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } });
  const confirm = (payload: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload });

  /** Runs the outbox and returns the reset tokens e-mailed so far, newest last. */
  async function mailedTokens(): Promise<string[]> {
    await t.deps.outbox.drain();
    const mails = (await readOutbox(t.dataDir)).filter((m) => m.subject.startsWith('Distansia: смяна на паролата'));
    return mails.map((m) => /reset-password#token=([\w-]+)/.exec(m.body)?.[1] ?? '').filter(Boolean);
  }

  it('answers an unknown e-mail like a known one and sends nothing for it', async () => {
    const before = (await mailedTokens()).length;
    const res = await ask('nobody-here@example.test');
    expect(res.statusCode).toBe(202);
    expect((await mailedTokens()).length).toBe(before);
  });

  it('e-mails a link built from PUBLIC_URL, refuses it without the second factor, then resets and ends every session', async () => {
    const acct = await makeAccount(t, 'coordinator');
    const s = await signIn(t, clock, acct);
    expect((await ask(acct.email.toUpperCase())).statusCode).toBe(202);
    const tokens = await mailedTokens();
    const token = tokens.at(-1) ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect((await readOutbox(t.dataDir)).at(-1)?.body).toContain('https://distansia.example.bg/reset-password#token=');
    // The token is not stored in clear anywhere: the outbox row carries it encrypted.
    const leaked = await t.deps.db.execute(sql`SELECT 1 FROM outbox WHERE payload::text LIKE ${'%' + token + '%'}`);
    expect(leaked.rows.length).toBe(0);

    const NEW = 'Quartz-Orchard-Falcon-73';
    const noCode = await confirm({ token, newPassword: NEW });
    expect(noCode.json().code).toBe('auth.mfa_invalid');
    const weak = await confirm({ token, newPassword: 'qwerty123', code: '123456' });
    expect(weak.json().code).toBe('password.too_weak');
    clock.advance({ seconds: 30 });
    const ok = await confirm({ token, newPassword: NEW, code: await codeAt(clock, acct.secret ?? '') });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    expect((await login(t, acct.email, PASSWORD)).json().code).toBe('auth.invalid_credentials');
    expect((await login(t, acct.email, NEW)).statusCode).toBe(200);
    // Single use.
    clock.advance({ seconds: 30 });
    const again = await confirm({ token, newPassword: 'Another-Long-Password-99', code: await codeAt(clock, acct.secret ?? '') });
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('auth.reset_invalid');
    expect(await auditActions(t, acct.id)).toEqual(expect.arrayContaining(['auth.password_reset_requested', 'auth.password_reset']));
  });

  it('lets a link expire after 30 minutes and issues at most 3 links an hour', async () => {
    const acct = await makeAccount(t, 'supervisor');
    const before = (await mailedTokens()).length;
    for (let i = 0; i < 4; i += 1) expect((await ask(acct.email)).statusCode).toBe(202);
    const tokens = (await mailedTokens()).slice(before);
    expect(tokens.length).toBe(3);
    clock.advance({ minutes: 31 });
    const late = await confirm({ token: tokens[0]!, newPassword: 'Quartz-Orchard-Falcon-74', code: await codeAt(clock, acct.secret ?? '') });
    expect(late.json().code).toBe('auth.reset_invalid');
  });
});
