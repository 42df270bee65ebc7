import QRCode from 'qrcode';
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { toDate, type Temporal } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { assertUser } from './identity.policy.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { ConfirmTotpBody, Passkey, TotpEnrolment } from '../../contracts/identity.js';
import { hashToken, safeEqual } from './secrets.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';
import { LOCKOUT, MFA_TOKEN_MINUTES, emailContext, identityCtx, isoOf, minutes, totpContext, type Failure, type SessionGrant, type WebAuthnRp } from './identity.policy.js';
import type { IdentityCore } from './identity.core.js';
import * as repo from './identity.repo.js';

/**
 * Second factors: TOTP enrolment, passkeys, recovery codes and step-up confirmation.
 * @param core - the shared identity machinery
 * @returns the use cases
 */
export function createEnrolmentUseCases(core: IdentityCore) {
  const { db, clock, ids, keyring, audit, lockFor, lockedError, sessionDevice, recordFailure, liveChallenge, openSession, unwrap, issueRecoveryCodes, decryptTotp, epochSeconds } = core;
  return {
    /**
     * Starts TOTP enrolment with an enrolment token: a new secret, its URI and QR code.
     * @param ctx - the request
     * @param enrolmentToken - from the password step
     * @returns secret, otpauth URI and QR code
     * @throws {AppError} `auth.mfa_expired`; `resource.conflict` when TOTP is already confirmed
     */
    async startTotpEnrolment(ctx: RequestCtx, enrolmentToken: string): Promise<TotpEnrolment> {
      const now = clock.now();
      return withTransaction(db, async (tx) => {
        const live = await liveChallenge(tx, enrolmentToken, 'enrolment', now);
        if (!live) throw new AppError('auth.mfa_expired');
        const { account } = live;
        const secret = newTotpSecret();
        const stored = await repo.upsertPendingTotp(tx, account.id, await keyring.encrypt(tx, 'registry', secret, totpContext(account.id)), toDate(now));
        if (!stored) throw new AppError('resource.conflict', { detail: 'An authenticator is already enrolled' });
        const email = (await keyring.decrypt(identityCtx, tx, 'registry', account.emailEnc, emailContext(account.id))).toString('utf8');
        const otpauthUri = totpUri(secret, email);
        const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
        return { secret, otpauthUri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
      });
    },

    /**
     * Confirms TOTP enrolment with the first code; issues recovery codes (shown once) and a session.
     * @param ctx - the request
     * @param body - enrolment token and code
     * @returns the session grant with `recoveryCodes`
     * @throws {AppError} `auth.mfa_expired`, `auth.mfa_invalid`, `auth.locked`, `auth.network_denied`
     */
    async confirmTotpEnrolment(ctx: RequestCtx, body: ConfirmTotpBody): Promise<SessionGrant> {
      const now = clock.now();
      const result = await withTransaction(db, async (tx): Promise<SessionGrant | Failure> => {
        const live = await liveChallenge(tx, body.enrolmentToken, 'enrolment', now);
        if (!live) return { error: new AppError('auth.mfa_expired') };
        const { challenge, account } = live;
        const lockedUntil = await lockFor(tx, account.emailIndex, challenge.deviceHash, now);
        if (lockedUntil) return { error: lockedError(lockedUntil, now) };
        const totp = await repo.findTotp(tx, account.id);
        if (!totp || totp.confirmedAt) return { error: new AppError('auth.mfa_expired', { detail: 'Start the enrolment again' }) };
        const step = await checkTotp(await decryptTotp(tx, account.id, totp.secretEnc), body.code, epochSeconds(now), totp.lastStep);
        if (step === undefined || !(await repo.claimTotpStep(tx, account.id, step, toDate(now)))) {
          await repo.failChallenge(tx, challenge.id, LOCKOUT.maxFailures, toDate(now));
          return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'bad_enrolment_code', error: new AppError('auth.mfa_invalid'), deviceHash: challenge.deviceHash });
        }
        await repo.markMfaEnrolled(tx, account.id, toDate(now));
        const recoveryCodes = await issueRecoveryCodes(tx, account.id, now);
        await audit.record(tx, ctx, { action: 'auth.mfa_enrolled', subject: { type: 'user_account', id: account.id }, data: { method: 'totp' } });
        await audit.record(tx, ctx, { action: 'auth.recovery_codes_generated', subject: { type: 'user_account', id: account.id }, data: { count: recoveryCodes.length } });
        const grant = await openSession(tx, ctx, now, { ...account, mfaEnrolledAt: toDate(now) }, challenge, 'totp');
        if ('error' in grant) return grant;
        grant.body = { ...grant.body, me: { ...grant.body.me, mfa: { ...grant.body.me.mfa, totp: true } }, recoveryCodes };
        return grant;
      });
      return unwrap(result);
    },

    /**
     * Registration options for a new passkey of the signed-in user.
     * @param ctx - a signed-in user
     * @param rp - relying party id and origin
     * @returns PublicKeyCredentialCreationOptionsJSON
     */
    async passkeyRegistrationOptions(ctx: RequestCtx, rp: WebAuthnRp): Promise<Record<string, unknown>> {
      const actor = assertUser(ctx);
      const now = clock.now();
      return withTransaction(db, async (tx) => {
        const account = await repo.findAccountById(tx, actor.id);
        if (!account) throw new AppError('auth.unauthenticated');
        const creds = await repo.listWebauthn(tx, actor.id);
        const email = (await keyring.decrypt(identityCtx, tx, 'registry', account.emailEnc, emailContext(account.id))).toString('utf8');
        const options = await generateRegistrationOptions({
          rpName: 'Distansia',
          rpID: rp.rpId,
          userName: email,
          userID: Buffer.from(actor.id.replace(/-/g, ''), 'hex'),
          attestationType: 'none',
          excludeCredentials: creds.map((c) => ({ id: c.id, transports: c.transports })),
          authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
        });
        await repo.insertChallenge(tx, {
          id: ids.uuid(),
          tokenHash: hashToken(ids.token(32)),
          accountId: actor.id,
          purpose: 'passkey_registration',
          webauthnChallenge: options.challenge,
          createdAt: toDate(now),
          expiresAt: toDate(now.add(minutes(MFA_TOKEN_MINUTES))),
        });
        return options as unknown as Record<string, unknown>;
      });
    },

    /**
     * Stores a passkey after verifying the browser's attestation against a live challenge.
     * @param ctx - a signed-in user
     * @param body - RegistrationResponseJSON and a label
     * @param rp - relying party id and origin
     * @returns the passkey
     * @throws {AppError} `auth.mfa_invalid` when the attestation does not verify
     */
    async registerPasskey(ctx: RequestCtx, body: { response: Record<string, unknown>; label: string }, rp: WebAuthnRp): Promise<Passkey> {
      const actor = assertUser(ctx);
      const now = clock.now();
      return withTransaction(db, async (tx) => {
        const response = body.response as unknown as RegistrationResponseJSON;
        const challenges = await repo.liveRegistrationChallenges(tx, actor.id, toDate(now));
        let v;
        try {
          v = await verifyRegistrationResponse({
            response,
            expectedChallenge: (c) => challenges.some((row) => row.webauthnChallenge !== null && safeEqual(row.webauthnChallenge, c)),
            expectedOrigin: rp.origin,
            expectedRPID: rp.rpId,
            requireUserVerification: false,
          });
        } catch (cause) {
          throw new AppError('auth.mfa_invalid', { detail: 'The passkey could not be verified', cause });
        }
        if (!v.verified) throw new AppError('auth.mfa_invalid', { detail: 'The passkey could not be verified' });
        const info = v.registrationInfo;
        for (const row of challenges) await repo.spendChallenge(tx, row.id, toDate(now));
        await repo.insertWebauthn(tx, {
          id: info.credential.id,
          accountId: actor.id,
          publicKey: Buffer.from(info.credential.publicKey),
          counter: info.credential.counter,
          transports: info.credential.transports ?? [],
          deviceType: info.credentialDeviceType,
          backedUp: info.credentialBackedUp,
          label: body.label,
          createdAt: toDate(now),
        });
        await repo.markMfaEnrolled(tx, actor.id, toDate(now));
        await audit.record(tx, ctx, { action: 'auth.mfa_enrolled', subject: { type: 'user_account', id: actor.id }, data: { method: 'webauthn' } });
        return { id: info.credential.id, label: body.label, createdAt: now.toString(), lastUsedAt: null };
      });
    },

    /**
     * The signed-in user's passkeys.
     * @param ctx - a signed-in user
     * @returns passkeys, oldest first
     */
    async listPasskeys(ctx: RequestCtx): Promise<Passkey[]> {
      const actor = assertUser(ctx);
      const rows = await repo.listWebauthn(db, actor.id);
      return rows.map((r) => ({ id: r.id, label: r.label, createdAt: isoOf(r.createdAt), lastUsedAt: r.lastUsedAt ? isoOf(r.lastUsedAt) : null }));
    },

    /**
     * Removes one of the signed-in user's passkeys.
     * @param ctx - a signed-in user
     * @param id - credential id
     * @throws {NotFoundError} when it is not theirs
     */
    async deletePasskey(ctx: RequestCtx, id: string): Promise<void> {
      const actor = assertUser(ctx);
      await withTransaction(db, async (tx) => {
        if (!(await repo.deleteWebauthn(tx, actor.id, id))) throw new AppError('resource.not_found', { meta: { kind: 'passkey' } });
        await audit.record(tx, ctx, { action: 'auth.mfa_removed', subject: { type: 'user_account', id: actor.id }, data: { method: 'webauthn' } });
      });
    },

    /**
     * Replaces the signed-in user's recovery codes; the old ones stop working.
     * @param ctx - a signed-in user
     * @returns the new codes, shown once
     */
    async regenerateRecoveryCodes(ctx: RequestCtx): Promise<string[]> {
      const actor = assertUser(ctx);
      const now = clock.now();
      return withTransaction(db, async (tx) => {
        const codes = await issueRecoveryCodes(tx, actor.id, now);
        await audit.record(tx, ctx, { action: 'auth.recovery_codes_generated', subject: { type: 'user_account', id: actor.id }, data: { count: codes.length } });
        return codes;
      });
    },

    /**
     * Step-up: the signed-in user re-confirms the second factor with a fresh TOTP code, in the caller's
     * transaction, for actions that are signatures (consent, docs/decisions.md#d5). The code's time step
     * is claimed by compare-and-swap, so it cannot be replayed, and the confirmation is audited with the
     * subject `step_up:<id>` that the signed record keeps. On a wrong code call `recordStepUpFailure`
     * after the caller's transaction has rolled back.
     * @param tx - the caller's transaction (the signature commits with the confirmation or not at all)
     * @param ctx - a signed-in user
     * @param code - six digits from the authenticator app
     * @param purpose - what is confirmed, e.g. `consent.sign` (audit data)
     * @returns the step-up id, method and instant
     * @throws {AppError} `auth.mfa_invalid` (wrong or replayed code), `auth.locked`, `auth.mfa_enrolment_required`
     */
    async confirmStepUp(tx: Queryable, ctx: RequestCtx, code: string, purpose: string): Promise<{ stepUpId: string; method: 'totp-step-up'; at: Temporal.Instant }> {
      const actor = assertUser(ctx);
      const now = clock.now();
      const account = await repo.findAccountById(tx, actor.id);
      if (!account) throw new AppError('auth.unauthenticated');
      const lockedUntil = await lockFor(tx, account.emailIndex, sessionDevice(actor.sessionId), now);
      if (lockedUntil) throw lockedError(lockedUntil, now);
      const totp = await repo.findTotp(tx, account.id);
      if (!totp?.confirmedAt) throw new AppError('auth.mfa_enrolment_required', { detail: 'A confirmed authenticator app is needed to sign' });
      const clean = code.replace(/\s/g, '');
      const step = /^\d{6}$/.test(clean) ? await checkTotp(await decryptTotp(tx, account.id, totp.secretEnc), clean, epochSeconds(now), totp.lastStep) : undefined;
      // Concurrency: the step is claimed by compare-and-swap, as at sign-in; a replayed code loses.
      if (step === undefined || !(await repo.claimTotpStep(tx, account.id, step))) throw new AppError('auth.mfa_invalid', { meta: { stepUp: true } });
      const stepUpId = ids.uuid();
      await audit.record(tx, ctx, { action: 'auth.step_up_confirmed', subject: { type: 'step_up', id: stepUpId }, data: { method: 'totp', purpose } });
      return { stepUpId, method: 'totp-step-up', at: now };
    },

    /**
     * Records a failed step-up in its own transaction (it counts towards the sign-in lock, as a wrong
     * second factor at sign-in does) and returns the error to throw.
     * @param ctx - the signed-in user whose code was wrong
     * @returns `auth.mfa_invalid`, or `auth.locked` when this failure locked the account
     */
    async recordStepUpFailure(ctx: RequestCtx): Promise<AppError> {
      const actor = assertUser(ctx);
      const now = clock.now();
      const failure = await withTransaction(db, async (tx) => {
        const account = await repo.findAccountById(tx, actor.id);
        if (!account) return { error: new AppError('auth.unauthenticated') };
        return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'step_up_bad_code', error: new AppError('auth.mfa_invalid'), deviceHash: sessionDevice(actor.sessionId) });
      });
      return failure.error;
    },
  };
}
