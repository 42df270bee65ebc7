import QRCode from 'qrcode';
import { fromDate, toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import type { NotificationMessage } from '../notifications/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { ActivationCompleteBody, ActivationStart, Role } from '../../contracts/identity.js';
import { hashToken } from './secrets.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';
import {
  ACTIVATION,
  ACTIVATION_MAIL,
  LOCKOUT,
  STAFF_CHANGE_NOTICE,
  activationTokenContext,
  assertAcceptablePassword,
  emailContext,
  identityCtx,
  totpContext,
  type Failure,
  type SessionGrant,
} from './identity.policy.js';
import type { IdentityCore } from './identity.core.js';
import * as repo from './identity.repo.js';

/** Why an activation link was sent (audit data and the e-mail's wording). */
export type ActivationReason = 'created' | 'mfa_reset' | 'email_changed' | 'resent';

/** A staff-account change the facility's other administrators are told about. */
export type StaffChange = 'created' | 'activated' | 'email_changed' | 'mfa_reset';

/** A mail to one account, delivered by the notifications module, which words it (its texts catalogue). */
export type AccountMail = { accountId: string; sourceId: string; message: NotificationMessage };


/**
 * Staff activation (docs/identity.md): nobody but the person sets or learns a staff account's password.
 * The account is created without one; a single-use link (72 h) e-mailed to the person lets them set the
 * password and enrol TOTP in one flow, which signs them in. Regulatory: Art. 28(2)-(3), only authorised
 * persons reach patient data, so an administrator must never be able to sign in as a specialist.
 * @param core - the shared identity machinery
 * @returns the activation use cases
 */
export function createActivationUseCases(core: IdentityCore) {
  const { db, clock, ids, keyring, audit, outbox, config, hasher, liveChallenge, openSession, unwrap, issueRecoveryCodes, decryptTotp, epochSeconds, recordFailure } = core;

  async function emailOf(q: Queryable, account: repo.AccountRow): Promise<string> {
    return (await keyring.decrypt(identityCtx, q, 'registry', account.emailEnc, emailContext(account.id))).toString('utf8');
  }

  // Security: links are built from configuration only, never from the request's Host header.
  const baseUrl = () => (config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : `http://localhost:${config.PORT}`);

  return {
    /**
     * Issues a new activation link in the caller's transaction and queues its e-mail: earlier links,
     * sign-in and reset tokens of the account stop working. Call it after creating an account without
     * a password, after clearing its password and factors (2FA reset, e-mail change), or to resend.
     * @param q - the caller's transaction
     * @param ctx - who caused it (audited)
     * @param accountId - the account
     * @param opts - why, and the facility acted for (audit)
     */
    async issueActivation(q: Queryable, ctx: RequestCtx, accountId: string, opts: { reason: ActivationReason; facilityId?: string }): Promise<void> {
      const now = clock.now();
      await repo.spendLiveChallengesOf(q, accountId, toDate(now));
      const token = ids.token(32);
      const challengeId = ids.uuid();
      await repo.insertChallenge(q, { id: challengeId, tokenHash: hashToken(token), accountId, purpose: 'activation', createdAt: toDate(now), expiresAt: toDate(now.add({ hours: ACTIVATION.hours })) });
      // Security: the token rides in the outbox row encrypted, never in clear.
      const tokenEnc = await keyring.encrypt(q, 'registry', token, activationTokenContext(challengeId));
      await outbox.enqueue(q, ACTIVATION_MAIL, { challengeId, accountId, tokenEnc: tokenEnc.toString('base64'), reason: opts.reason });
      await audit.record(q, ctx, {
        action: 'account.activation_sent',
        subject: { type: 'user_account', id: accountId },
        ...(opts.facilityId ? { facilityId: opts.facilityId } : {}),
        data: { reason: opts.reason, validHours: ACTIVATION.hours },
      });
    },

    /**
     * Queues the notice to the facility's other administrators (Art. 28(2): a change to who can reach
     * patient data is seen by more than one person). Sent after commit by `sendStaffChangeNotice`.
     * @param q - the caller's transaction
     * @param change - what happened
     * @param accountId - the staff account
     * @param actorId - the administrator who did it (not told again), or null
     * @param facilityIds - the facilities whose administrators are told; default: the account's own
     */
    async noticeStaffChange(q: Queryable, change: StaffChange, accountId: string, actorId: string | null, facilityIds?: readonly string[]): Promise<void> {
      const facilities = facilityIds ?? (await repo.staffFacilityIds(q, accountId));
      for (const facilityId of facilities) await outbox.enqueue(q, STAFF_CHANGE_NOTICE, { change, accountId, actorId, facilityId, at: clock.now().toString() });
    },

    /**
     * The outbox handler of the activation e-mail: sends the link while it is still live.
     * @param msg - written by `issueActivation`
     * @param send - delivers an e-mail to the account (the notifications module)
     */
    async sendActivationMail(msg: OutboxMessage, send: (mail: AccountMail) => Promise<void>): Promise<void> {
      const payload = msg.payload as { challengeId: string; accountId: string; tokenEnc: string; reason: ActivationReason };
      const challenge = await repo.findChallengeById(db, payload.challengeId);
      if (!challenge || challenge.usedAt || fromDate(challenge.expiresAt).epochMilliseconds <= clock.now().epochMilliseconds) return;
      const token = (await keyring.decrypt(identityCtx, db, 'registry', Buffer.from(payload.tokenEnc, 'base64'), activationTokenContext(payload.challengeId))).toString('utf8');
      // The token rides in the fragment, which browsers send neither to servers nor in Referer headers.
      const link = `${baseUrl()}/activate#token=${token}`;
      await send({
        accountId: payload.accountId,
        sourceId: msg.id,
        message: { kind: 'account_activation', link, hours: ACTIVATION.hours },
      });
    },

    /**
     * The outbox handler of the notice to a facility's other administrators (active, with a second factor).
     * @param msg - written by `noticeStaffChange`
     * @param send - delivers an e-mail to each administrator
     */
    async sendStaffChangeNotice(msg: OutboxMessage, send: (mail: AccountMail & { facilityId: string }) => Promise<void>): Promise<void> {
      const p = msg.payload as { change: StaffChange; accountId: string; actorId: string | null; facilityId: string; at: string };
      const admins = await repo.facilityAdministrators(db, p.facilityId);
      const account = await repo.findAccountById(db, p.accountId);
      const role = account?.role ?? 'staff';
      for (const adminId of admins) {
        if (adminId === p.actorId || adminId === p.accountId) continue;
        await send({
          accountId: adminId,
          facilityId: p.facilityId,
          sourceId: msg.id,
          message: { kind: 'staff_account_changed', change: p.change, role, accountId: p.accountId, when: { at: p.at, zone: config.DEFAULT_TIME_ZONE } },
        });
      }
    },

    /**
     * Activation, step 1: checks the link and starts a new authenticator (secret and QR code).
     * @param _ctx - the (anonymous) request
     * @param token - from the link
     * @returns the account's e-mail and role, and the authenticator to scan
     * @throws {AppError} `auth.activation_invalid`
     */
    async startActivation(_ctx: RequestCtx, token: string): Promise<ActivationStart> {
      const now = clock.now();
      return withTransaction(db, async (tx) => {
        const live = await liveChallenge(tx, token, 'activation', now);
        if (!live) throw new AppError('auth.activation_invalid');
        const { account } = live;
        const secret = newTotpSecret();
        // A confirmed authenticator cannot exist here: creation has none, and a reset removes it.
        const stored = await repo.upsertPendingTotp(tx, account.id, await keyring.encrypt(tx, 'registry', secret, totpContext(account.id)), toDate(now));
        if (!stored) throw new AppError('auth.activation_invalid');
        const email = await emailOf(tx, account);
        const otpauthUri = totpUri(secret, email);
        const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
        return { email, role: account.role as Role, totp: { secret, otpauthUri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` } };
      });
    },

    /**
     * Activation, step 2: the person's own password and the authenticator's first code, in one
     * transaction; spends the link, issues recovery codes (shown once) and signs the person in.
     * @param ctx - the (anonymous) request
     * @param body - token, password, TOTP code
     * @returns the session grant with `recoveryCodes`
     * @throws {AppError} `auth.activation_invalid`, `password.too_weak`, `auth.mfa_invalid` (five wrong codes end the link), `auth.network_denied`
     */
    async completeActivation(ctx: RequestCtx, body: ActivationCompleteBody): Promise<SessionGrant> {
      const now = clock.now();
      const found = await liveChallenge(db, body.token, 'activation', now);
      if (!found) throw new AppError('auth.activation_invalid');
      assertAcceptablePassword(body.password, await emailOf(db, found.account), '#/password');
      // argon2 runs before the transaction opens (on PGlite it would hold the only connection).
      const passwordHash = await hasher.hash(body.password);
      const result = await withTransaction(db, async (tx): Promise<SessionGrant | Failure> => {
        const live = await liveChallenge(tx, body.token, 'activation', now);
        if (!live) return { error: new AppError('auth.activation_invalid') };
        const { challenge, account } = live;
        const totp = await repo.findTotp(tx, account.id);
        if (!totp || totp.confirmedAt) return { error: new AppError('auth.activation_invalid', { detail: 'Open the link again' }) };
        const step = await checkTotp(await decryptTotp(tx, account.id, totp.secretEnc), body.code, epochSeconds(now), totp.lastStep);
        if (step === undefined || !(await repo.claimTotpStep(tx, account.id, step, toDate(now)))) {
          await repo.failChallenge(tx, challenge.id, LOCKOUT.maxFailures, toDate(now));
          return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'bad_activation_code', error: new AppError('auth.mfa_invalid', { errors: [{ in: 'body', pointer: '#/code', detail: 'invalid' }] }) });
        }
        await repo.setPasswordHash(tx, account.id, passwordHash, toDate(now));
        await repo.markMfaEnrolled(tx, account.id, toDate(now));
        const recoveryCodes = await issueRecoveryCodes(tx, account.id, now);
        const subject = { type: 'user_account', id: account.id };
        await audit.record(tx, ctx, { action: 'account.activated', subject, data: { role: account.role } });
        await audit.record(tx, ctx, { action: 'auth.mfa_enrolled', subject, data: { method: 'totp' } });
        await audit.record(tx, ctx, { action: 'auth.recovery_codes_generated', subject, data: { count: recoveryCodes.length } });
        const facilities = await repo.staffFacilityIds(tx, account.id);
        for (const facilityId of facilities) await outbox.enqueue(tx, STAFF_CHANGE_NOTICE, { change: 'activated', accountId: account.id, actorId: account.id, facilityId, at: now.toString() });
        const grant = await openSession(tx, ctx, now, { ...account, mfaEnrolledAt: toDate(now), passwordHash }, challenge, 'totp');
        if ('error' in grant) return grant;
        grant.body = { ...grant.body, me: { ...grant.body.me, mfa: { ...grant.body.me.mfa, totp: true } }, recoveryCodes };
        return grant;
      });
      return unwrap(result);
    },
  };
}
