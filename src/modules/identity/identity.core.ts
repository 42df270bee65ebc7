import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { Temporal, fromDate, toDate } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Me, MfaMethod, Role } from '../../contracts/identity.js';
import { createNetworkGateway } from './network-gateway.js';
import { generateRecoveryCode, hashToken, normaliseEmail, normaliseRecoveryCode, RECOVERY_CODE_COUNT, safeEqual } from './secrets.js';
import { checkTotp } from './totp.js';
import {
  ARGON2_OPTIONS,
  DEVICE_COOKIE_MAX_ENTRIES,
  LOCKOUT,
  emailContext,
  identityCtx,
  isoOf,
  minutes,
  totpContext,
  type Failure,
  type IdentityDeps,
  type SessionGrant,
} from './identity.policy.js';
import * as repo from './identity.repo.js';
import { anyIdentityVerifiedIn } from '../consent/index.js';
import { listPatientRequestIdsIn } from '../requests/index.js';

/**
 * Whether a specialist has recorded a successful identity check (R-TM-15) for any request of the
 * patient, through the owners' ports: the requests module knows the requests, consent the checks.
 */
async function patientIdentityVerified(q: Queryable, patientId: string): Promise<boolean> {
  return anyIdentityVerifiedIn(q, await listPatientRequestIdsIn(q, patientId));
}

/**
 * The machinery every identity use case shares: hashing, locks, sessions, second factors.
 * @param deps - database, clock, ids, keyring, audit, outbox and the identity settings
 * @returns the helpers and the dependencies, for the use-case factories
 */
export function createIdentityCore(deps: IdentityDeps) {
  const { db, clock, ids, keyring, audit, outbox, config } = deps;
  const hasher = deps.hasher ?? { hash: (p: string) => argonHash(p, ARGON2_OPTIONS), verify: (h: string, p: string) => argonVerify(h, p) };
  const gateway = createNetworkGateway(config.STAFF_ALLOWED_NETWORKS);
  const idle = minutes(config.SESSION_IDLE_MINUTES);
  const absolute = Temporal.Duration.from({ hours: config.SESSION_ABSOLUTE_HOURS });
  // Security: an unknown e-mail is verified against this hash, so it costs the same argon2 work as a
  // wrong password and the two cannot be told apart by timing (OWASP Authentication Cheat Sheet).
  const dummyHash = hasher.hash(`distansia-dummy-${ids.token(16)}`);
  void dummyHash.catch(() => undefined);

  const emailIndexOf = (email: string) => keyring.blindIndex('registry', normaliseEmail(email));

  function retryAfter(until: Temporal.Instant, now: Temporal.Instant): Record<string, string> {
    return { 'Retry-After': String(Math.max(1, Math.ceil(until.since(now).total('seconds')))) };
  }

  function lockedError(until: Temporal.Instant, now: Temporal.Instant): AppError {
    const headers = retryAfter(until, now);
    return new AppError('auth.locked', { detail: 'Sign-in is locked after repeated failures', headers, meta: { retryAfterSeconds: Number(headers['Retry-After']) } });
  }

  /** A context acting as the account (the request is still anonymous until the session exists). */
  function asUser(ctx: RequestCtx, account: repo.AccountRow, sessionId: string, facilityIds: readonly string[]): RequestCtx {
    return {
      ...ctx,
      actor: { type: 'user', id: account.id, role: account.role as Role, sessionId, facilityIds, ...(account.patientId ? { patientId: account.patientId } : {}) },
    };
  }

  /**
   * Records a failed attempt. An unknown device's fifth failure in the window locks the e-mail for
   * unknown devices; a known device (device cookie) counts its own failures and locks only itself, so a
   * stranger cannot lock the owner out (OWASP Authentication Cheat Sheet, device cookies).
   * @returns the error to throw after commit: `auth.locked` when this failure locked sign-in
   */
  async function recordFailure(
    tx: Queryable,
    ctx: RequestCtx,
    now: Temporal.Instant,
    f: { emailIndex: string; account?: repo.AccountRow; step: 'password' | 'mfa'; reason: string; error: AppError; deviceHash?: string | null },
  ): Promise<Failure> {
    const deviceHash = f.deviceHash ?? null;
    await repo.insertAttempt(tx, { id: ids.uuid(), emailIndex: f.emailIndex, accountId: f.account?.id ?? null, ip: ctx.ip, step: f.step, succeeded: false, at: toDate(now), deviceHash });
    const subject = f.account ? { type: 'user_account', id: f.account.id } : undefined;
    await audit.record(tx, ctx, { action: 'auth.sign_in_failed', outcome: 'failure', ...(subject ? { subject } : {}), data: { step: f.step, reason: f.reason, knownDevice: deviceHash !== null } });
    const since = toDate(now.subtract(minutes(LOCKOUT.windowMinutes)));
    if (deviceHash !== null) {
      const failures = await repo.countRecentDeviceFailures(tx, f.emailIndex, deviceHash, since);
      if (failures < LOCKOUT.maxFailures) return { error: f.error };
      await audit.record(tx, ctx, { action: 'auth.locked_out', outcome: 'denied', ...(subject ? { subject } : {}), data: { failures, lockMinutes: LOCKOUT.lockMinutes, knownDevice: true } });
      return { error: lockedError(now.add(minutes(LOCKOUT.lockMinutes)), now) };
    }
    const failures = await repo.countRecentFailuresByEmail(tx, f.emailIndex, since);
    if (failures >= LOCKOUT.maxFailures) {
      const until = now.add(minutes(LOCKOUT.lockMinutes));
      await repo.upsertLock(tx, f.emailIndex, toDate(now), toDate(until));
      await audit.record(tx, ctx, { action: 'auth.locked_out', outcome: 'denied', ...(subject ? { subject } : {}), data: { failures, lockMinutes: LOCKOUT.lockMinutes } });
      return { error: lockedError(until, now) };
    }
    return { error: f.error };
  }

  /**
   * The lock that applies to this device: its own (a known device) or the e-mail's lock for unknown devices.
   * @returns the instant it ends, or undefined when sign-in may proceed
   */
  async function lockFor(q: Queryable, emailIndex: string, deviceHash: string | null | undefined, now: Temporal.Instant): Promise<Temporal.Instant | undefined> {
    if (!deviceHash) return activeLock(q, emailIndex, now);
    const since = toDate(now.subtract(minutes(LOCKOUT.windowMinutes)));
    const { n, latest } = await repo.deviceFailureWindow(q, emailIndex, deviceHash, since);
    if (n < LOCKOUT.maxFailures || !latest) return undefined;
    const until = fromDate(latest).add(minutes(LOCKOUT.lockMinutes));
    return Temporal.Instant.compare(until, now) > 0 ? until : undefined;
  }

  /**
   * Whether the request's device cookie holds a valid entry for this e-mail.
   * @param deviceCookie - the raw `distansia_device` cookie
   * @returns the entry's hash (recorded with attempts), or null for an unknown device
   */
  async function knownDevice(emailIndex: string, deviceCookie: string | undefined): Promise<string | null> {
    for (const entry of parseDeviceCookie(deviceCookie)) {
      const [nonce, mac] = entry.split(':');
      if (!nonce || !mac) continue;
      if (safeEqual(mac, await keyring.blindIndex('registry', `device:${emailIndex}:${nonce}`))) return hashToken(nonce);
    }
    return null;
  }

  /** A new device-cookie entry for an account (set after a complete sign-in). */
  async function newDeviceEntry(emailIndex: string): Promise<string> {
    const nonce = ids.token(16);
    return `${nonce}:${await keyring.blindIndex('registry', `device:${emailIndex}:${nonce}`)}`;
  }

  async function activeLock(q: Queryable, emailIndex: string, now: Temporal.Instant): Promise<Temporal.Instant | undefined> {
    const lock = await repo.findLock(q, emailIndex);
    if (!lock) return undefined;
    const until = fromDate(lock.lockedUntil);
    return Temporal.Instant.compare(until, now) > 0 ? until : undefined;
  }

  async function loadMe(q: Queryable, account: repo.AccountRow, session: { id: string; expiresAt: Date; lastSeenAt: Date }): Promise<Me> {
    // Sequential on purpose: inside a transaction all queries share one connection.
    const facilityIds = await repo.facilityIdsOf(q, account.id);
    const isGp = account.practitionerId ? await repo.worksAtGpPractice(q, account.practitionerId) : false;
    const totp = await repo.findTotp(q, account.id);
    const passkeys = await repo.listWebauthn(q, account.id);
    const recoveryCodesLeft = await repo.countRecoveryCodesLeft(q, account.id);
    const email = (await keyring.decrypt(identityCtx, q, 'registry', account.emailEnc, emailContext(account.id))).toString('utf8');
    return {
      id: account.id,
      email,
      role: account.role as Role,
      facilityIds,
      patientId: account.patientId,
      practitionerId: account.practitionerId,
      isGp,
      mfa: { totp: Boolean(totp?.confirmedAt), passkeys: passkeys.length, recoveryCodesLeft },
      session: { id: session.id, expiresAt: isoOf(session.expiresAt), idleExpiresAt: fromDate(session.lastSeenAt).add(idle).toString() },
      ...(account.selfRegisteredAt && account.patientId ? { identityVerified: await patientIdentityVerified(q, account.patientId) } : {}),
      notificationLang: account.notificationLang === 'en' ? 'en' : 'bg',
    };
  }

  /**
   * Opens a session after both factors, in the caller's transaction; refuses staff outside the gateway.
   * @returns the grant, or the network denial to throw after commit
   */
  async function openSession(
    tx: Queryable,
    ctx: RequestCtx,
    now: Temporal.Instant,
    account: repo.AccountRow,
    challenge: repo.ChallengeRow,
    method: MfaMethod,
  ): Promise<SessionGrant | Failure> {
    await repo.spendChallenge(tx, challenge.id, toDate(now));
    const facilityIds = await repo.facilityIdsOf(tx, account.id);
    if (!gateway.allows(account.role as Role, ctx.ip)) {
      // Regulatory: Art. 28(1)-(2) — staff work only through the facility gateway. Checked after both
      // factors, so the answer tells an outsider nothing about the password.
      await audit.record(tx, ctx, { action: 'auth.network_denied', outcome: 'denied', subject: { type: 'user_account', id: account.id } });
      return { error: new AppError('auth.network_denied') };
    }
    const sessionId = ids.uuid();
    const sessionToken = ids.token(32);
    const csrfToken = ids.token(32);
    const expiresAt = toDate(now.add(absolute));
    await repo.insertSession(tx, {
      id: sessionId,
      tokenHash: hashToken(sessionToken),
      csrfHash: hashToken(csrfToken),
      accountId: account.id,
      mfaMethod: method,
      ip: ctx.ip,
      userAgent: ctx.userAgent?.slice(0, 512) ?? null,
      createdAt: toDate(now),
      lastSeenAt: toDate(now),
      expiresAt,
    });
    await repo.insertAttempt(tx, { id: ids.uuid(), emailIndex: account.emailIndex, accountId: account.id, ip: ctx.ip, step: 'mfa', succeeded: true, at: toDate(now), deviceHash: challenge.deviceHash ?? null });
    const userCtx = asUser(ctx, account, sessionId, facilityIds);
    await audit.record(tx, userCtx, { action: 'auth.signed_in', subject: { type: 'user_session', id: sessionId }, data: { method } });
    const me = await loadMe(tx, account, { id: sessionId, expiresAt, lastSeenAt: toDate(now) });
    return { sessionToken, csrfToken, maxAgeSeconds: Math.floor(absolute.total('seconds')), deviceEntry: await newDeviceEntry(account.emailIndex), body: { status: 'signed_in', me } };
  }

  function unwrap<T>(result: T | Failure): T {
    if (result && typeof result === 'object' && 'error' in result && result.error instanceof AppError) throw result.error;
    return result as T;
  }

  /** Loads the live token and its account, or explains why not. */
  async function liveChallenge(tx: Queryable, token: string, purpose: repo.ChallengeRow['purpose'], now: Temporal.Instant) {
    const challenge = await repo.findLiveChallenge(tx, hashToken(token), purpose, toDate(now));
    if (!challenge) return undefined;
    const account = await repo.findAccountById(tx, challenge.accountId);
    if (!account || account.status !== 'active') return undefined;
    return { challenge, account };
  }

  /**
   * Checks and spends a TOTP code (replay-protected) or a single-use recovery code.
   * @returns the method that matched, or undefined when the code is wrong or already used
   */
  async function spendSecondFactor(tx: Queryable, ctx: RequestCtx, accountId: string, rawCode: string, now: Temporal.Instant): Promise<'totp' | 'recovery_code' | undefined> {
    const code = rawCode.replace(/\s/g, '');
    if (/^\d{6}$/.test(code)) {
      const totp = await repo.findTotp(tx, accountId);
      if (!totp?.confirmedAt) return undefined;
      const step = await checkTotp(await decryptTotp(tx, accountId, totp.secretEnc), code, epochSeconds(now), totp.lastStep);
      // Concurrency: the step is claimed by compare-and-swap, so a replayed code loses even when
      // two requests carry it at the same moment.
      return step !== undefined && (await repo.claimTotpStep(tx, accountId, step)) ? 'totp' : undefined;
    }
    const recovery = normaliseRecoveryCode(code);
    if (!recovery || !(await repo.useRecoveryCode(tx, accountId, hashToken(recovery), toDate(now)))) return undefined;
    await audit.record(tx, ctx, { action: 'auth.recovery_code_used', subject: { type: 'user_account', id: accountId } });
    return 'recovery_code';
  }

  async function issueRecoveryCodes(tx: Queryable, accountId: string, now: Temporal.Instant): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    await repo.replaceRecoveryCodes(tx, accountId, codes.map((c) => ({ id: ids.uuid(), codeHash: hashToken(c) })), toDate(now));
    return codes;
  }

  async function decryptTotp(q: Queryable, accountId: string, secretEnc: Buffer): Promise<string> {
    return (await keyring.decrypt(identityCtx, q, 'registry', secretEnc, totpContext(accountId))).toString('utf8');
  }

  const epochSeconds = (now: Temporal.Instant) => Math.floor(now.epochMilliseconds / 1000);

  /**
   * A signed-in session is a known device: step-up confirmations and password changes count their
   * failures per session and are never blocked by the e-mail-wide lock that strangers can trigger
   * (OWASP Authentication Cheat Sheet, device cookies; docs/identity.md#sign-in).
   * @param sessionId - the session of the signed-in user
   * @returns the device hash recorded with that session's attempts
   */
  const sessionDevice = (sessionId: string) => hashToken(`session:${sessionId}`);

  return {
    db, clock, ids, keyring, audit, outbox, config, hasher, gateway, idle, absolute, dummyHash, emailIndexOf, retryAfter, lockedError,
    asUser, recordFailure, activeLock, lockFor, knownDevice, newDeviceEntry, loadMe, openSession, unwrap, liveChallenge, spendSecondFactor,
    issueRecoveryCodes, decryptTotp, epochSeconds, sessionDevice,
  };
}

/** The shared machinery of identity's use cases. */
export type IdentityCore = ReturnType<typeof createIdentityCore>;

/**
 * Entries of the device cookie: `nonce:mac`, newest first, at most DEVICE_COOKIE_MAX_ENTRIES.
 * @param raw - the cookie value
 * @returns the entries
 */
export function parseDeviceCookie(raw: string | undefined): string[] {
  if (!raw || raw.length > 2000) return [];
  return raw.split('~').filter(Boolean).slice(0, DEVICE_COOKIE_MAX_ENTRIES);
}
