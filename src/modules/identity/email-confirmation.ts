import { fromDate, toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { LoginResponse } from '../../contracts/identity.js';
import { hashToken } from './secrets.js';
import { EMAIL_CONFIRMATION, ENROLMENT_TOKEN_MINUTES, REGISTRATION_MAIL, confirmationTokenContext, identityCtx, minutes, type Failure } from './identity.policy.js';
import type { IdentityCore } from './identity.core.js';
import type { AccountMail } from './activation.js';
import * as repo from './identity.repo.js';

/** What a registration e-mail says (docs/registration.md). */
type RegistrationMail =
  | { kind: 'confirm'; accountId: string; challengeId: string; tokenEnc: string }
  | { kind: 'already_registered'; accountId: string }
  | { kind: 'identifier_used'; accountId: string };

/**
 * E-mail confirmation of a patient's own registration, and the notices that keep the registration
 * answer the same for existing e-mails and identifiers (docs/registration.md#abuse).
 * @param core - the shared identity machinery
 * @returns the use cases
 */
export function createEmailConfirmationUseCases(core: IdentityCore) {
  const { db, clock, ids, keyring, audit, outbox, config, liveChallenge, unwrap } = core;
  // Security: links are built from configuration only, never from the request's Host header.
  const baseUrl = () => (config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : `http://localhost:${config.PORT}`);

  return {
    /**
     * The account id of an e-mail address, if any (registration decides what to send; never answered over HTTP).
     * @param q - the caller's transaction
     * @param email - the address
     * @returns the account's id and whether its e-mail is still unconfirmed
     */
    async accountByEmail(q: Queryable, email: string): Promise<{ id: string; unconfirmed: boolean } | undefined> {
      const account = await repo.findAccountByEmailIndex(q, await core.emailIndexOf(email));
      return account ? { id: account.id, unconfirmed: account.selfRegisteredAt !== null && account.emailConfirmedAt === null } : undefined;
    },

    /**
     * The account of a patient record, if any.
     * @param q - the caller's transaction
     * @param patientId - the patient
     * @returns the account id
     */
    async accountIdOfPatient(q: Queryable, patientId: string): Promise<string | undefined> {
      return (await repo.findAccountByPatientId(q, patientId))?.id;
    },

    /**
     * Sends a new confirmation link (24 h, at most 3 an hour per account) in the caller's transaction.
     * @param q - the caller's transaction
     * @param ctx - the request (audited)
     * @param accountId - a self-registered account
     * @returns false when the hourly limit held it back
     */
    async issueEmailConfirmation(q: Queryable, ctx: RequestCtx, accountId: string): Promise<boolean> {
      const now = clock.now();
      const recent = await repo.countChallengesSince(q, accountId, 'email_confirmation', toDate(now.subtract({ hours: 1 })));
      if (recent >= EMAIL_CONFIRMATION.maxPerHour) {
        await audit.record(q, ctx, { action: 'account.confirmation_sent', outcome: 'denied', subject: { type: 'user_account', id: accountId }, data: { reason: 'throttled' } });
        return false;
      }
      const token = ids.token(32);
      const challengeId = ids.uuid();
      await repo.insertChallenge(q, { id: challengeId, tokenHash: hashToken(token), accountId, purpose: 'email_confirmation', createdAt: toDate(now), expiresAt: toDate(now.add({ hours: EMAIL_CONFIRMATION.hours })) });
      // Security: the token rides in the outbox row encrypted, never in clear.
      const tokenEnc = await keyring.encrypt(q, 'registry', token, confirmationTokenContext(challengeId));
      const mail: RegistrationMail = { kind: 'confirm', accountId, challengeId, tokenEnc: tokenEnc.toString('base64') };
      await outbox.enqueue(q, REGISTRATION_MAIL, mail);
      await audit.record(q, ctx, { action: 'account.confirmation_sent', subject: { type: 'user_account', id: accountId }, data: { validHours: EMAIL_CONFIRMATION.hours } });
      return true;
    },

    /**
     * Tells an existing holder, at their own address, that someone tried to register with their e-mail
     * or their identifier (the HTTP answer to the registrant is the same as for a new account).
     * @param q - the caller's transaction
     * @param accountId - the holder's account
     * @param kind - which detail was already registered
     */
    async noticeRegistrationAttempt(q: Queryable, accountId: string, kind: 'already_registered' | 'identifier_used'): Promise<void> {
      const mail: RegistrationMail = { kind, accountId };
      await outbox.enqueue(q, REGISTRATION_MAIL, mail);
    },

    /**
     * The outbox handler of the registration e-mails.
     * @param msg - written by `issueEmailConfirmation` or `noticeRegistrationAttempt`
     * @param send - delivers an e-mail to the account (the notifications module)
     */
    async sendRegistrationMail(msg: OutboxMessage, send: (mail: AccountMail) => Promise<void>): Promise<void> {
      const p = msg.payload as RegistrationMail;
      if (p.kind === 'already_registered' || p.kind === 'identifier_used') {
        await send({ accountId: p.accountId, sourceId: msg.id, message: { kind: 'account_registration', attempt: p.kind === 'already_registered' ? 'email' : 'identifier', loginUrl: `${baseUrl()}/login` } });
        return;
      }
      const challenge = await repo.findChallengeById(db, p.challengeId);
      if (!challenge || challenge.usedAt || fromDate(challenge.expiresAt).epochMilliseconds <= clock.now().epochMilliseconds) return;
      const token = (await keyring.decrypt(identityCtx, db, 'registry', Buffer.from(p.tokenEnc, 'base64'), confirmationTokenContext(p.challengeId))).toString('utf8');
      // The token rides in the fragment, which browsers send neither to servers nor in Referer headers.
      const link = `${baseUrl()}/register/confirm#token=${token}`;
      await send({
        accountId: p.accountId,
        sourceId: msg.id,
        message: { kind: 'account_registration', link, hours: EMAIL_CONFIRMATION.hours },
      });
    },

    /**
     * Confirms the e-mail with the link's token (single use) and hands over an enrolment token, so the
     * person goes straight on to the second factor (`/auth/enrolment/totp`), which signs them in.
     * @param ctx - the (anonymous) request
     * @param token - from the link
     * @returns an enrolment token
     * @throws {AppError} `auth.confirmation_invalid`
     */
    async confirmEmail(ctx: RequestCtx, token: string): Promise<Extract<LoginResponse, { status: 'mfa_enrolment_required' }>> {
      const now = clock.now();
      type Confirmed = Extract<LoginResponse, { status: 'mfa_enrolment_required' }>;
      const result = await withTransaction(db, async (tx): Promise<Confirmed | Failure> => {
        const live = await liveChallenge(tx, token, 'email_confirmation', now);
        if (!live) return { error: new AppError('auth.confirmation_invalid') };
        const { challenge, account } = live;
        if (!(await repo.spendChallenge(tx, challenge.id, toDate(now)))) return { error: new AppError('auth.confirmation_invalid') };
        await repo.markEmailConfirmed(tx, account.id, toDate(now));
        await audit.record(tx, ctx, { action: 'account.email_confirmed', subject: { type: 'user_account', id: account.id } });
        const enrolmentToken = ids.token(32);
        const expires = now.add(minutes(ENROLMENT_TOKEN_MINUTES));
        await repo.insertChallenge(tx, { id: ids.uuid(), tokenHash: hashToken(enrolmentToken), accountId: account.id, purpose: 'enrolment', createdAt: toDate(now), expiresAt: toDate(expires) });
        return { status: 'mfa_enrolment_required' as const, enrolmentToken, expiresAt: expires.toString() };
      });
      return unwrap(result);
    },
  };
}
