import { fromDate, toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import type { AuditEntry } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { ChangePasswordBody, PasswordResetConfirmBody, PasswordResetRequestBody } from '../../contracts/identity.js';
import { hashToken, normaliseEmail } from './secrets.js';
import {
  MFA_TOKEN_MAX_FAILURES,
  PASSWORD_RESET,
  PASSWORD_RESET_MAIL,
  assertAcceptablePassword,
  assertUser,
  emailContext,
  identityCtx,
  minutes,
  resetTokenContext,
  type CreateAccountInput,
  type Failure,
} from './identity.policy.js';
import type { IdentityCore } from './identity.core.js';
import type { createEnrolmentUseCases } from './enrolment.js';
import * as repo from './identity.repo.js';
import type { AccountMail } from './activation.js';

type StepUp = Pick<ReturnType<typeof createEnrolmentUseCases>, 'confirmStepUp' | 'recordStepUpFailure'>;

/**
 * Accounts and passwords: creation, change, and the forgotten-password flow.
 * @param core - the shared identity machinery
 * @param stepUp - step-up confirmation (a password change needs a fresh second factor)
 * @returns the use cases
 */
export function createPasswordUseCases(core: IdentityCore, stepUp: StepUp) {
  const { db, clock, ids, keyring, audit, outbox, config, hasher, emailIndexOf, activeLock, lockFor, sessionDevice, lockedError, recordFailure, liveChallenge, spendSecondFactor, unwrap } = core;
  return {
    /**
     * Creates an account inside the caller's transaction (demo seeder, CLI, registration flows).
     * @param q - the transaction
     * @param ctx - who creates it (audited)
     * @param input - e-mail, password, role and links
     * @returns the new account id
     * @throws {AppError} `password.too_weak` with field errors; `resource.conflict` when the e-mail is taken
     */
    async createAccount(q: Queryable, ctx: RequestCtx, input: CreateAccountInput): Promise<string> {
      if (input.password !== undefined) assertAcceptablePassword(input.password, input.email, '#/password');
      const emailIndex = await emailIndexOf(input.email);
      if (await repo.findAccountByEmailIndex(q, emailIndex)) {
        throw new AppError('resource.conflict', { detail: 'An account with this e-mail exists', errors: [{ in: 'body', pointer: '#/email', detail: 'taken' }] });
      }
      const id = ids.uuid();
      const now = toDate(clock.now());
      // Without a password the account waits for its holder's activation link (activation.ts).
      const passwordHash = input.passwordHash ?? (input.password === undefined ? null : await hasher.hash(input.password));
      const emailEnc = await keyring.encrypt(q, 'registry', normaliseEmail(input.email), emailContext(id));
      await repo.insertAccount(
        q,
        {
          id,
          emailIndex,
          emailEnc,
          passwordHash,
          role: input.role,
          practitionerId: input.practitionerId ?? null,
          patientId: input.patientId ?? null,
          displayName: input.displayName ?? null,
          selfRegisteredAt: input.selfRegistered ? now : null,
          createdAt: now,
          updatedAt: now,
        },
        input.facilityIds ?? [],
      );
      const entry: AuditEntry = {
        action: 'account.created',
        subject: { type: 'user_account', id },
        data: { role: input.role, ...(input.selfRegistered ? { selfRegistered: true } : {}), facilityCount: input.facilityIds?.length ?? 0, linkedPractitioner: Boolean(input.practitionerId) },
        ...(input.patientId ? { patientId: input.patientId } : {}),
        ...(input.actingFacilityId ? { facilityId: input.actingFacilityId } : {}),
      };
      await audit.record(q, ctx, entry);
      return id;
    },

    /**
     * Checks the password policy and hashes a new account's password, outside any transaction (argon2
     * must not hold a connection; on PGlite it would hold the only one). Pass the result to `createAccount`.
     * @param password - the initial password
     * @param email - the account's e-mail (the policy refuses passwords that contain it)
     * @returns the argon2id hash
     * @throws {AppError} `password.too_weak` with field errors at `#/password`
     */
    async hashPassword(password: string, email: string): Promise<string> {
      assertAcceptablePassword(password, email, '#/password');
      return hasher.hash(password);
    },

    /**
     * Changes the signed-in user's password. It needs the current password and a fresh second factor
     * (a stolen session alone must not be enough to take the account over), and it ends every other
     * session of the account, so whoever knew the old password is signed out.
     * @param ctx - a signed-in user
     * @param body - the current password, the new one and a TOTP code
     * @returns how many other sessions were ended
     * @throws {AppError} `auth.invalid_credentials` (wrong current password; counts towards the lock),
     *   `password.too_weak`, `auth.mfa_invalid`, `auth.locked`, `auth.mfa_enrolment_required`
     */
    async changePassword(ctx: RequestCtx, body: ChangePasswordBody): Promise<{ sessionsEnded: number }> {
      const actor = assertUser(ctx);
      const now = clock.now();
      const account = await repo.findAccountById(db, actor.id);
      if (!account) throw new AppError('auth.unauthenticated');
      const lockedUntil = await lockFor(db, account.emailIndex, sessionDevice(actor.sessionId), now);
      if (lockedUntil) throw lockedError(lockedUntil, now);
      // argon2 runs outside any transaction, as at sign-in.
      const currentOk = account.passwordHash ? await hasher.verify(account.passwordHash, body.currentPassword).catch(() => false) : false;
      if (!currentOk) {
        const failure = await withTransaction(db, (tx) =>
          recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'password', reason: 'password_change_bad_password', error: new AppError('auth.invalid_credentials'), deviceHash: sessionDevice(actor.sessionId) }),
        );
        throw failure.error;
      }
      const email = (await keyring.decrypt(identityCtx, db, 'registry', account.emailEnc, emailContext(account.id))).toString('utf8');
      assertAcceptablePassword(body.newPassword, email, '#/newPassword', body.currentPassword);
      const passwordHash = await hasher.hash(body.newPassword);
      try {
        return await withTransaction(db, async (tx) => {
          await stepUp.confirmStepUp(tx, ctx, body.code, 'auth.password_change');
          await repo.setPasswordHash(tx, account.id, passwordHash, toDate(now));
          const sessionsEnded = await repo.revokeOtherSessions(tx, account.id, actor.sessionId, 'password_changed', toDate(now));
          await audit.record(tx, ctx, { action: 'auth.password_changed', subject: { type: 'user_account', id: account.id }, data: { sessionsEnded } });
          return { sessionsEnded };
        });
      } catch (err) {
        // Security: a wrong code counts towards the lock, recorded after the rollback.
        if (err instanceof AppError && err.code === 'auth.mfa_invalid' && err.meta?.stepUp === true) throw await stepUp.recordStepUpFailure(ctx);
        throw err;
      }
    },

    /**
     * Forgotten password, step 1. The answer is the same whether or not the e-mail has an account (no
     * enumeration); for an active account a 30-minute single-use link is e-mailed through the outbox.
     * The token travels in the outbox row encrypted, never in clear.
     * @param ctx - the (anonymous) request
     * @param body - the e-mail address
     */
    async requestPasswordReset(ctx: RequestCtx, body: PasswordResetRequestBody): Promise<void> {
      const now = clock.now();
      const emailIndex = await emailIndexOf(body.email);
      const account = await repo.findAccountByEmailIndex(db, emailIndex);
      await withTransaction(db, async (tx) => {
        if (!account || account.status !== 'active') {
          await audit.record(tx, ctx, { action: 'auth.password_reset_requested', outcome: 'failure', data: { reason: account ? 'disabled' : 'unknown_account' } });
          return;
        }
        const subject = { type: 'user_account', id: account.id };
        if (account.mfaEnrolledAt === null) {
          // Security: a reset must never bypass the second factor, so an account without one gets no
          // link: its holder is told (at their own address) to ask their administrator for a new
          // activation link. The HTTP answer stays the same, so this is no oracle.
          await outbox.enqueue(tx, PASSWORD_RESET_MAIL, { accountId: account.id, noSecondFactor: true });
          await audit.record(tx, ctx, { action: 'auth.password_reset_requested', outcome: 'denied', subject, data: { reason: 'no_second_factor' } });
          return;
        }
        const recent = await repo.countChallengesSince(tx, account.id, 'password_reset', toDate(now.subtract({ hours: 1 })));
        if (recent >= PASSWORD_RESET.maxPerHour) {
          await audit.record(tx, ctx, { action: 'auth.password_reset_requested', outcome: 'denied', subject, data: { reason: 'throttled' } });
          return;
        }
        const token = ids.token(32);
        const challengeId = ids.uuid();
        await repo.insertChallenge(tx, { id: challengeId, tokenHash: hashToken(token), accountId: account.id, purpose: 'password_reset', createdAt: toDate(now), expiresAt: toDate(now.add(minutes(PASSWORD_RESET.minutes))) });
        const tokenEnc = await keyring.encrypt(tx, 'registry', token, resetTokenContext(challengeId));
        await outbox.enqueue(tx, PASSWORD_RESET_MAIL, { challengeId, accountId: account.id, tokenEnc: tokenEnc.toString('base64') });
        await audit.record(tx, ctx, { action: 'auth.password_reset_requested', subject });
      });
    },

    /**
     * The outbox handler of the reset e-mail: sends the link while the token is still live.
     * @param msg - the outbox message written by `requestPasswordReset`
     * @param send - delivers an e-mail to the account (the notifications module)
     */
    async sendPasswordResetMail(msg: OutboxMessage, send: (mail: AccountMail) => Promise<void>): Promise<void> {
      const payload = msg.payload as { challengeId: string; accountId: string; tokenEnc: string } | { accountId: string; noSecondFactor: true };
      if ('noSecondFactor' in payload) {
        await send({
          accountId: payload.accountId,
          sourceId: msg.id,
          message: { kind: 'password_reset', link: null, minutes: PASSWORD_RESET.minutes },
        });
        return;
      }
      const challenge = await repo.findChallengeById(db, payload.challengeId);
      // A spent or expired link is not worth sending; the user asks again.
      if (!challenge || challenge.usedAt || fromDate(challenge.expiresAt).epochMilliseconds <= clock.now().epochMilliseconds) return;
      const token = (await keyring.decrypt(identityCtx, db, 'registry', Buffer.from(payload.tokenEnc, 'base64'), resetTokenContext(payload.challengeId))).toString('utf8');
      // Security: the link is built from configuration only, never from the request's Host header
      // (that would let anyone send a victim a link to their own site).
      const base = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : `http://localhost:${config.PORT}`;
      // The token rides in the fragment, which browsers do not send to servers or in Referer headers.
      const link = `${base}/reset-password#token=${token}`;
      await send({
        accountId: payload.accountId,
        sourceId: msg.id,
        message: { kind: 'password_reset', link, minutes: PASSWORD_RESET.minutes },
      });
    },

    /**
     * Forgotten password, step 2: a live link, the new password and the account's second factor (an
     * e-mail account alone must not be enough to take a medical account over). Ends every session.
     * @param ctx - the (anonymous) request
     * @param body - the token from the link, the new password and a TOTP or recovery code
     * @throws {AppError} `auth.reset_invalid`, `password.too_weak`, `auth.mfa_invalid` (counts towards the lock), `auth.locked`
     */
    async confirmPasswordReset(ctx: RequestCtx, body: PasswordResetConfirmBody): Promise<void> {
      const now = clock.now();
      const found = await liveChallenge(db, body.token, 'password_reset', now);
      if (!found) throw new AppError('auth.reset_invalid');
      const lockedUntil = await activeLock(db, found.account.emailIndex, now);
      if (lockedUntil) throw lockedError(lockedUntil, now);
      const email = (await keyring.decrypt(identityCtx, db, 'registry', found.account.emailEnc, emailContext(found.account.id))).toString('utf8');
      assertAcceptablePassword(body.newPassword, email, '#/newPassword');
      const passwordHash = await hasher.hash(body.newPassword);
      const result = await withTransaction(db, async (tx): Promise<{ ok: true } | Failure> => {
        const live = await liveChallenge(tx, body.token, 'password_reset', now);
        if (!live) return { error: new AppError('auth.reset_invalid') };
        const { challenge, account } = live;
        // Security: no reset without the second factor (Art. 28(2)): an account without one is
        // (re-)activated by its administrator's link instead.
        if (account.mfaEnrolledAt === null) {
          await repo.spendChallenge(tx, challenge.id, toDate(now));
          await audit.record(tx, ctx, { action: 'auth.password_reset', outcome: 'denied', subject: { type: 'user_account', id: account.id }, data: { reason: 'no_second_factor' } });
          return { error: new AppError('auth.activation_required') };
        }
        const method = body.code ? await spendSecondFactor(tx, ctx, account.id, body.code, now) : undefined;
        if (!method) {
          await repo.failChallenge(tx, challenge.id, MFA_TOKEN_MAX_FAILURES, toDate(now));
          return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'password_reset_bad_code', error: new AppError('auth.mfa_invalid') });
        }
        if (!(await repo.spendChallenge(tx, challenge.id, toDate(now)))) return { error: new AppError('auth.reset_invalid') };
        await repo.setPasswordHash(tx, account.id, passwordHash, toDate(now));
        const sessionsEnded = await repo.revokeOtherSessions(tx, account.id, null, 'password_reset', toDate(now));
        await audit.record(tx, ctx, { action: 'auth.password_reset', subject: { type: 'user_account', id: account.id }, data: { sessionsEnded } });
        return { ok: true };
      });
      unwrap(result);
    },
  };
}
