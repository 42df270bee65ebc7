import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestApp } from './app-harness.js';
import type { FixedClock } from '../platform/clock.js';
import { withTransaction } from '../platform/db/index.js';
import { systemCtx } from '../platform/auth/request-context.js';
import type { Role } from '../contracts/identity.js';
import { totpCode } from '../modules/identity/index.js';
import { enrolTotpForDemo } from '../demo/enrol-totp.js';

// Accounts and sign-in steps shared by the identity module's integration tests.

export const PASSWORD = 'Correct-Horse-Battery-Staple-7';
export const START = '2026-11-25T08:00:00Z';

export interface TestAccount {
  id: string;
  email: string;
  secret?: string;
  recoveryCodes: string[];
}

export interface Signed {
  cookie: string;
  csrf: string;
  sessionId: string;
}

let seq = 0;

/** The number of accounts made so far (for unique e-mails). */
export function currentSeq(): number {
  return seq;
}

export async function makeAccount(t: TestApp, role: Role, opts: { enrol?: boolean } = {}): Promise<TestAccount> {
  seq += 1;
  const email = `user${seq}.${role}@example.test`;
  return withTransaction(t.deps.db, async (tx) => {
    const id = await t.deps.identity.createAccount(tx, systemCtx('test'), { email, password: PASSWORD, role });
    if (opts.enrol === false) return { id, email, recoveryCodes: [] };
    const { secret, recoveryCodes } = await enrolTotpForDemo(t.deps, tx, systemCtx('test'), id);
    return { id, email, secret, recoveryCodes };
  });
}

export function codeAt(clock: FixedClock, secret: string): Promise<string> {
  return totpCode(secret, Math.floor(clock.now().epochMilliseconds / 1000));
}

export function cookiesOf(res: LightMyRequestResponse): Record<string, { value: string; httpOnly?: boolean; sameSite?: string }> {
  const out: Record<string, { value: string; httpOnly?: boolean; sameSite?: string }> = {};
  for (const c of res.cookies as { name: string; value: string; httpOnly?: boolean; sameSite?: string }[]) out[c.name] = c;
  return out;
}

export async function login(t: TestApp, email: string, password = PASSWORD, remoteAddress?: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, ...(remoteAddress ? { remoteAddress } : {}) });
}

/** Password + TOTP; moves the clock to a fresh 30-second step first (a code is accepted once). */
export async function signIn(t: TestApp, clock: FixedClock, acct: TestAccount, remoteAddress?: string): Promise<Signed> {
  clock.advance({ seconds: 30 });
  const res = await login(t, acct.email, PASSWORD, remoteAddress);
  expect(res.statusCode).toBe(200);
  const { mfaToken } = res.json<{ mfaToken: string }>();
  const mfa = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/mfa',
    payload: { mfaToken, code: await codeAt(clock, acct.secret ?? '') },
    ...(remoteAddress ? { remoteAddress } : {}),
  });
  expect(mfa.statusCode).toBe(200);
  const c = cookiesOf(mfa);
  const session = c.distansia_session?.value ?? '';
  const csrf = c.csrf?.value ?? '';
  return { cookie: `distansia_session=${session}; csrf=${csrf}`, csrf, sessionId: mfa.json<{ me: { session: { id: string } } }>().me.session.id };
}

export async function auditActions(t: TestApp, subjectId: string): Promise<string[]> {
  const r = await t.deps.db.execute<{ action: string }>(sql`SELECT action FROM audit_event WHERE subject_id = ${subjectId} ORDER BY seq`);
  return r.rows.map((row) => row.action);
}
