import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
} from '@simplewebauthn/server';
import { fromDate, toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { LoginBody, LoginResponse, MfaBody, MfaMethod } from '../../contracts/identity.js';
import { hashToken } from './secrets.js';
import { ENROLMENT_TOKEN_MINUTES, LOCKOUT, MFA_TOKEN_MAX_FAILURES, MFA_TOKEN_MINUTES, minutes, type Failure, type SessionGrant, type WebAuthnRp } from './identity.policy.js';
import type { IdentityCore } from './identity.core.js';
import * as repo from './identity.repo.js';

/**
 * Sign-in: the password step, then the second factor (TOTP, recovery code or passkey).
 * @param core - the shared identity machinery
 * @returns the use cases
 */
export function createSignInUseCases(core: IdentityCore) {
  const { db, clock, ids, audit, config, hasher, dummyHash, emailIndexOf, retryAfter, lockedError, lockFor, knownDevice, recordFailure, liveChallenge, spendSecondFactor, openSession, unwrap } = core;
  return {
    /**
     * The password step. Unknown e-mail and wrong password get the same answer after the same argon2
     * work; five failures in 15 minutes lock the e-mail for 15 minutes on devices that have not signed
     * in to it before. A known device (its device cookie) is locked only by its own failures, so a
     * stranger cannot lock the owner out (OWASP Authentication Cheat Sheet, device cookies). An account
     * waiting for activation has no password and answers like an unknown e-mail.
     * @param ctx - the (anonymous) request
     * @param body - e-mail and password
     * @param deviceCookie - the browser's `distansia_device` cookie, if any
     * @returns an MFA token, or an enrolment token for an account without a second factor
     * @throws {AppError} `auth.invalid_credentials`, `auth.locked` (Retry-After), `rate.limited` (per IP)
     */
    async login(ctx: RequestCtx, body: LoginBody, deviceCookie?: string): Promise<LoginResponse> {
      const now = clock.now();
      const emailIndex = await emailIndexOf(body.email);
      const deviceHash = await knownDevice(emailIndex, deviceCookie);
      // Reads before the hash, writes after it: argon2 must never run inside a transaction (it would
      // hold a connection, and on PGlite the only one, for its whole duration).
      const lockedUntil = await lockFor(db, emailIndex, deviceHash, now);
      if (lockedUntil) {
        await audit.recordStandalone(ctx, { action: 'auth.sign_in_failed', outcome: 'denied', data: { step: 'password', reason: 'locked', knownDevice: deviceHash !== null } });
        throw lockedError(lockedUntil, now);
      }
      const ipWindow = now.subtract(minutes(LOCKOUT.windowMinutes));
      const ipFailures = await repo.countRecentFailuresByIp(db, ctx.ip, toDate(ipWindow));
      if (ipFailures.n >= config.AUTH_IP_MAX_FAILURES) {
        const until = (ipFailures.oldest ? fromDate(ipFailures.oldest) : now).add(minutes(LOCKOUT.windowMinutes));
        await audit.recordStandalone(ctx, { action: 'auth.throttled', outcome: 'denied', data: { failures: ipFailures.n } });
        throw new AppError('rate.limited', { detail: 'Too many failed sign-ins from this network', headers: retryAfter(until, now) });
      }
      const account = await repo.findAccountByEmailIndex(db, emailIndex);
      const passwordOk = await hasher.verify(account?.passwordHash ?? (await dummyHash), body.password).catch(() => false);
      // A self-registered account whose e-mail is not confirmed answers like a wrong password (no oracle).
      const confirmed = !account?.selfRegisteredAt || account.emailConfirmedAt !== null;
      const ok = Boolean(account?.passwordHash && passwordOk && account.status === 'active' && confirmed);

      const result = await withTransaction(db, async (tx): Promise<LoginResponse | Failure> => {
        if (!ok || !account) {
          const reason = !account ? 'unknown_account' : account.status !== 'active' ? 'disabled' : !account.passwordHash ? 'not_activated' : !passwordOk ? 'bad_password' : 'email_unconfirmed';
          return recordFailure(tx, ctx, now, { emailIndex, ...(account ? { account } : {}), step: 'password', reason, error: new AppError('auth.invalid_credentials'), deviceHash });
        }
        await repo.insertAttempt(tx, { id: ids.uuid(), emailIndex, accountId: account.id, ip: ctx.ip, step: 'password', succeeded: true, at: toDate(now), deviceHash });
        const token = ids.token(32);
        const enrolled = account.mfaEnrolledAt !== null;
        const expires = now.add(minutes(enrolled ? MFA_TOKEN_MINUTES : ENROLMENT_TOKEN_MINUTES));
        await repo.insertChallenge(tx, {
          id: ids.uuid(),
          tokenHash: hashToken(token),
          accountId: account.id,
          purpose: enrolled ? 'mfa' : 'enrolment',
          deviceHash,
          createdAt: toDate(now),
          expiresAt: toDate(expires),
        });
        await audit.record(tx, ctx, { action: 'auth.password_verified', subject: { type: 'user_account', id: account.id }, data: { next: enrolled ? 'mfa' : 'enrolment' } });
        if (!enrolled) return { status: 'mfa_enrolment_required', enrolmentToken: token, expiresAt: expires.toString() };
        const totp = await repo.findTotp(tx, account.id);
        const passkeys = await repo.listWebauthn(tx, account.id);
        const codesLeft = await repo.countRecoveryCodesLeft(tx, account.id);
        const methods: MfaMethod[] = [];
        if (totp?.confirmedAt) methods.push('totp');
        if (passkeys.length > 0) methods.push('webauthn');
        if (codesLeft > 0) methods.push('recovery_code');
        return { status: 'mfa_required', mfaToken: token, expiresAt: expires.toString(), methods };
      });
      return unwrap(result);
    },

    /**
     * The second-factor step: a TOTP code (replay-protected) or a single-use recovery code.
     * @param ctx - the request
     * @param body - the MFA token and the code
     * @returns the session grant (the route sets the cookies)
     * @throws {AppError} `auth.mfa_expired`, `auth.mfa_invalid`, `auth.locked`, `auth.network_denied`
     */
    async verifyMfa(ctx: RequestCtx, body: MfaBody): Promise<SessionGrant> {
      const now = clock.now();
      const result = await withTransaction(db, async (tx): Promise<SessionGrant | Failure> => {
        const live = await liveChallenge(tx, body.mfaToken, 'mfa', now);
        if (!live) return { error: new AppError('auth.mfa_expired') };
        const { challenge, account } = live;
        const lockedUntil = await lockFor(tx, account.emailIndex, challenge.deviceHash, now);
        if (lockedUntil) return { error: lockedError(lockedUntil, now) };
        const method = await spendSecondFactor(tx, ctx, account.id, body.code, now);
        if (!method) {
          await repo.failChallenge(tx, challenge.id, MFA_TOKEN_MAX_FAILURES, toDate(now));
          return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'bad_code', error: new AppError('auth.mfa_invalid'), deviceHash: challenge.deviceHash });
        }
        return openSession(tx, ctx, now, account, challenge, method);
      });
      return unwrap(result);
    },

    /**
     * WebAuthn options for the second factor of an account that has passkeys.
     * @param ctx - the request
     * @param mfaToken - from the password step
     * @param rp - relying party id and origin
     * @returns PublicKeyCredentialRequestOptionsJSON
     */
    async passkeyAuthenticationOptions(_ctx: RequestCtx, mfaToken: string, rp: WebAuthnRp): Promise<Record<string, unknown>> {
      const now = clock.now();
      return withTransaction(db, async (tx) => {
        const live = await liveChallenge(tx, mfaToken, 'mfa', now);
        if (!live) throw new AppError('auth.mfa_expired');
        const creds = await repo.listWebauthn(tx, live.account.id);
        if (creds.length === 0) throw new AppError('auth.mfa_invalid', { detail: 'No passkey is registered for this account' });
        const options = await generateAuthenticationOptions({
          rpID: rp.rpId,
          allowCredentials: creds.map((c) => ({ id: c.id, transports: c.transports })),
          userVerification: 'preferred',
        });
        await repo.setChallengeWebauthn(tx, live.challenge.id, options.challenge);
        return options as unknown as Record<string, unknown>;
      });
    },

    /**
     * Verifies a passkey assertion as the second factor.
     * @param ctx - the request
     * @param body - MFA token and the browser's AuthenticationResponseJSON
     * @param rp - relying party id and origin
     * @returns the session grant
     * @throws {AppError} `auth.mfa_expired`, `auth.mfa_invalid`, `auth.locked`, `auth.network_denied`
     */
    async verifyPasskey(ctx: RequestCtx, body: { mfaToken: string; response: Record<string, unknown> }, rp: WebAuthnRp): Promise<SessionGrant> {
      const now = clock.now();
      const result = await withTransaction(db, async (tx): Promise<SessionGrant | Failure> => {
        const live = await liveChallenge(tx, body.mfaToken, 'mfa', now);
        if (!live?.challenge.webauthnChallenge) return { error: new AppError('auth.mfa_expired') };
        const { challenge, account } = live;
        const lockedUntil = await lockFor(tx, account.emailIndex, challenge.deviceHash, now);
        if (lockedUntil) return { error: lockedError(lockedUntil, now) };
        const response = body.response as unknown as AuthenticationResponseJSON;
        const cred = (await repo.listWebauthn(tx, account.id)).find((c) => c.id === response.id);
        let verified = false;
        if (cred) {
          try {
            const v = await verifyAuthenticationResponse({
              response,
              expectedChallenge: challenge.webauthnChallenge ?? '',
              expectedOrigin: rp.origin,
              expectedRPID: rp.rpId,
              credential: { id: cred.id, publicKey: new Uint8Array(cred.publicKey), counter: cred.counter, transports: cred.transports as never },
              requireUserVerification: false,
            });
            verified = v.verified && (await repo.advanceWebauthnCounter(tx, cred.id, v.authenticationInfo.newCounter, toDate(now)));
          } catch {
            verified = false;
          }
        }
        if (!verified) {
          await repo.failChallenge(tx, challenge.id, MFA_TOKEN_MAX_FAILURES, toDate(now));
          return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'bad_passkey', error: new AppError('auth.mfa_invalid'), deviceHash: challenge.deviceHash });
        }
        return openSession(tx, ctx, now, account, challenge, 'webauthn');
      });
      return unwrap(result);
    },
  };
}
