import { hash as argonHash, verify as argonVerify, type Options as ArgonOptions } from '@node-rs/argon2';
import QRCode from 'qrcode';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { Temporal, fromDate, toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Config } from '../../platform/config.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Outbox, OutboxMessage } from '../../platform/outbox/outbox.js';
import type { AuditEntry, AuditLog } from '../../platform/audit/audit-log.js';
import { systemCtx, type Actor, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type {
  ChangePasswordBody,
  ConfirmTotpBody,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
  LoginBody,
  LoginResponse,
  Me,
  MfaBody,
  MfaMethod,
  Passkey,
  Role,
  Session,
  SignedIn,
  TotpEnrolment,
} from '../../contracts/identity.js';
import { checkPassword } from './password-policy.js';
import { createNetworkGateway } from './network-gateway.js';
import { generateRecoveryCode, hashToken, normaliseEmail, normaliseRecoveryCode, RECOVERY_CODE_COUNT, safeEqual } from './secrets.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';
import * as repo from './identity.repo.js';

/** Security: OWASP Password Storage Cheat Sheet minimum for argon2id — m=19 MiB, t=2, p=1. */
// Tricky: `Algorithm` is an ambient const enum, which verbatimModuleSyntax cannot read; 2 is Argon2id.
export const ARGON2_OPTIONS: ArgonOptions = { algorithm: 2 as ArgonOptions['algorithm'] & number, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Lockout policy: 5 failures within 15 minutes lock sign-in for 15 minutes. */
export const LOCKOUT = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 } as const;
const MFA_TOKEN_MINUTES = 5;
const ENROLMENT_TOKEN_MINUTES = 15;
/** Wrong codes one MFA token survives before the user must enter the password again. */
const MFA_TOKEN_MAX_FAILURES = 3;
/** A password-reset link lives 30 minutes; at most 3 are issued per account per hour. */
export const PASSWORD_RESET = { minutes: 30, maxPerHour: 3 } as const;
/** Outbox type of the password-reset e-mail. */
export const PASSWORD_RESET_MAIL = 'auth.password_reset_mail';
/** `last_seen_at` is written at most this often, so reads do not each cost a write. */
const TOUCH_AFTER_SECONDS = 60;

export const SESSION_COOKIE = 'distansia_session';
export const CSRF_COOKIE = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface IdentityDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  keyring: Keyring;
  audit: AuditLog;
  /** Carries the password-reset e-mail (sent after commit by `sendPasswordResetMail`). */
  outbox: Outbox;
  /** Password hashing; argon2id by default (tests may count calls). */
  hasher?: { hash(password: string): Promise<string>; verify(hash: string, password: string): Promise<boolean> };
  config: Pick<Config, 'SESSION_IDLE_MINUTES' | 'SESSION_ABSOLUTE_HOURS' | 'STAFF_ALLOWED_NETWORKS' | 'AUTH_IP_MAX_FAILURES' | 'WEBAUTHN_RP_ID' | 'PUBLIC_URL' | 'PORT'>;
}

/** Input of `createAccount` (demo seeder, CLI, later the registration flows). */
export interface CreateAccountInput {
  email: string;
  password: string;
  role: Role;
  practitionerId?: string;
  patientId?: string;
  facilityIds?: readonly string[];
  /** Administrators and coordinators: the name the staff list shows. */
  displayName?: string;
  /** The argon2id hash of `password`, computed outside the transaction by `hashPassword`. */
  passwordHash?: string;
  /** The facility on whose behalf the account is created (recorded in the audit row). */
  actingFacilityId?: string;
}

/** What the HTTP layer needs to start a session: the cookies' values and the body. */
export interface SessionGrant {
  sessionToken: string;
  csrfToken: string;
  /** Cookie lifetime in seconds (the absolute session lifetime). */
  maxAgeSeconds: number;
  body: SignedIn;
}

/** The request's session, resolved by the auth hook. */
export interface ResolvedSession {
  actor: Extract<Actor, { type: 'user' }>;
  csrfHash: string;
  expiresAt: Temporal.Instant;
  idleExpiresAt: Temporal.Instant;
}

/** The relying party for WebAuthn, derived by the route from config or the request. */
export interface WebAuthnRp {
  rpId: string;
  origin: string;
}

type Failure = { error: AppError };

/** Associated data of an account's encrypted e-mail (keyring context). */
export const emailContext = (accountId: string) => `account:${accountId}:email`;
const totpContext = (accountId: string) => `account:${accountId}:totp`;
const resetTokenContext = (challengeId: string) => `auth_challenge:${challengeId}:reset_token`;
// Security: identity decrypts its own secrets (TOTP, the account's e-mail) as a system actor; the
// keyring refuses the operator role, which must still be able to sign in with its own TOTP.
const identityCtx = systemCtx('identity');

/**
 * The password policy as an error the user can act on.
 * @throws {AppError} `password.too_weak` with one field error per problem
 */
function assertAcceptablePassword(password: string, email: string, pointer: string, current?: string): void {
  const problems = checkPassword(password, email);
  if (current !== undefined && password === current) problems.push('unchanged');
  if (problems.length === 0) return;
  throw new AppError('password.too_weak', {
    detail: `The password is not acceptable: ${problems.join(', ')}`,
    errors: problems.map((p) => ({ in: 'body' as const, pointer, detail: p })),
    meta: { problems },
  });
}

function minutes(n: number): Temporal.Duration {
  return Temporal.Duration.from({ minutes: n });
}

function isoOf(d: Date): string {
  return fromDate(d).toString();
}

/**
 * Fails unless a user is signed in.
 * @param ctx - the request context
 * @returns the user actor
 * @throws {AppError} `auth.unauthenticated` for anonymous and system actors
 */
export function assertUser(ctx: RequestCtx): Extract<Actor, { type: 'user' }> {
  if (ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
  return ctx.actor;
}

/**
 * Fails unless a user with one of `roles` is signed in (deny by default).
 * @param ctx - the request context
 * @param roles - roles allowed
 * @returns the user actor
 * @throws {AppError} `auth.unauthenticated` when nobody is signed in, `auth.forbidden` for another role
 */
export function assertRole(ctx: RequestCtx, ...roles: Role[]): Extract<Actor, { type: 'user' }> {
  const actor = assertUser(ctx);
  if (!roles.includes(actor.role)) throw new AppError('auth.forbidden');
  return actor;
}

/**
 * Accounts, second factors and sessions.
 * @param deps - database, clock, ids, keyring, audit and the identity settings
 * @returns the identity service
 */
export function createIdentityService(deps: IdentityDeps) {
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
   * Records a failed attempt and locks the e-mail after the fifth failure in the window.
   * @returns the error to throw after commit: `auth.locked` when this failure locked sign-in
   */
  async function recordFailure(
    tx: Queryable,
    ctx: RequestCtx,
    now: Temporal.Instant,
    f: { emailIndex: string; account?: repo.AccountRow; step: 'password' | 'mfa'; reason: string; error: AppError },
  ): Promise<Failure> {
    await repo.insertAttempt(tx, { id: ids.uuid(), emailIndex: f.emailIndex, accountId: f.account?.id ?? null, ip: ctx.ip, step: f.step, succeeded: false, at: toDate(now) });
    const subject = f.account ? { type: 'user_account', id: f.account.id } : undefined;
    await audit.record(tx, ctx, { action: 'auth.sign_in_failed', outcome: 'failure', ...(subject ? { subject } : {}), data: { step: f.step, reason: f.reason } });
    const failures = await repo.countRecentFailuresByEmail(tx, f.emailIndex, toDate(now.subtract(minutes(LOCKOUT.windowMinutes))));
    if (failures >= LOCKOUT.maxFailures) {
      const until = now.add(minutes(LOCKOUT.lockMinutes));
      await repo.upsertLock(tx, f.emailIndex, toDate(now), toDate(until));
      await audit.record(tx, ctx, { action: 'auth.locked_out', outcome: 'denied', ...(subject ? { subject } : {}), data: { failures, lockMinutes: LOCKOUT.lockMinutes } });
      return { error: lockedError(until, now) };
    }
    return { error: f.error };
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
      mfa: { totp: Boolean(totp?.confirmedAt), passkeys: passkeys.length, recoveryCodesLeft },
      session: { id: session.id, expiresAt: isoOf(session.expiresAt), idleExpiresAt: fromDate(session.lastSeenAt).add(idle).toString() },
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
    await repo.insertAttempt(tx, { id: ids.uuid(), emailIndex: account.emailIndex, accountId: account.id, ip: ctx.ip, step: 'mfa', succeeded: true, at: toDate(now) });
    const userCtx = asUser(ctx, account, sessionId, facilityIds);
    await audit.record(tx, userCtx, { action: 'auth.signed_in', subject: { type: 'user_session', id: sessionId }, data: { method } });
    const me = await loadMe(tx, account, { id: sessionId, expiresAt, lastSeenAt: toDate(now) });
    return { sessionToken, csrfToken, maxAgeSeconds: Math.floor(absolute.total('seconds')), body: { status: 'signed_in', me } };
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

  const service = {
    /**
     * Creates an account inside the caller's transaction (demo seeder, CLI, registration flows).
     * @param q - the transaction
     * @param ctx - who creates it (audited)
     * @param input - e-mail, password, role and links
     * @returns the new account id
     * @throws {AppError} `password.too_weak` with field errors; `resource.conflict` when the e-mail is taken
     */
    async createAccount(q: Queryable, ctx: RequestCtx, input: CreateAccountInput): Promise<string> {
      assertAcceptablePassword(input.password, input.email, '#/password');
      const emailIndex = await emailIndexOf(input.email);
      if (await repo.findAccountByEmailIndex(q, emailIndex)) {
        throw new AppError('resource.conflict', { detail: 'An account with this e-mail exists', errors: [{ in: 'body', pointer: '#/email', detail: 'taken' }] });
      }
      const id = ids.uuid();
      const now = toDate(clock.now());
      const passwordHash = input.passwordHash ?? (await hasher.hash(input.password));
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
          createdAt: now,
          updatedAt: now,
        },
        input.facilityIds ?? [],
      );
      const entry: AuditEntry = {
        action: 'account.created',
        subject: { type: 'user_account', id },
        data: { role: input.role, facilityCount: input.facilityIds?.length ?? 0, linkedPractitioner: Boolean(input.practitionerId) },
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
     * Enrols a confirmed TOTP authenticator and recovery codes without the interactive steps; for the
     * demo seeder only (demo-accounts.json carries the secret).
     * @param q - the transaction
     * @param ctx - the seeding context (audited)
     * @param accountId - the account
     * @returns the base32 secret and the recovery codes
     */
    async enrolTotpForDemo(q: Queryable, ctx: RequestCtx, accountId: string): Promise<{ secret: string; recoveryCodes: string[] }> {
      const now = clock.now();
      const secret = newTotpSecret();
      await repo.upsertPendingTotp(q, accountId, await keyring.encrypt(q, 'registry', secret, totpContext(accountId)), toDate(now));
      await repo.confirmTotp(q, accountId, toDate(now));
      await repo.markMfaEnrolled(q, accountId, toDate(now));
      const recoveryCodes = await issueRecoveryCodes(q, accountId, now);
      await audit.record(q, ctx, { action: 'auth.mfa_enrolled', subject: { type: 'user_account', id: accountId }, data: { method: 'totp' } });
      return { secret, recoveryCodes };
    },

    /**
     * The password step. Unknown e-mail and wrong password get the same answer after the same argon2
     * work; five failures in 15 minutes lock the e-mail for 15 minutes.
     * @param ctx - the (anonymous) request
     * @param body - e-mail and password
     * @returns an MFA token, or an enrolment token for an account without a second factor
     * @throws {AppError} `auth.invalid_credentials`, `auth.locked` (Retry-After), `rate.limited` (per IP)
     */
    async login(ctx: RequestCtx, body: LoginBody): Promise<LoginResponse> {
      const now = clock.now();
      const emailIndex = await emailIndexOf(body.email);
      // Reads before the hash, writes after it: argon2 must never run inside a transaction (it would
      // hold a connection, and on PGlite the only one, for its whole duration).
      const lockedUntil = await activeLock(db, emailIndex, now);
      if (lockedUntil) {
        await audit.recordStandalone(ctx, { action: 'auth.sign_in_failed', outcome: 'denied', data: { step: 'password', reason: 'locked' } });
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
      const ok = Boolean(account && passwordOk && account.status === 'active');

      const result = await withTransaction(db, async (tx): Promise<LoginResponse | Failure> => {
        if (!ok || !account) {
          const reason = !account ? 'unknown_account' : account.status !== 'active' ? 'disabled' : 'bad_password';
          return recordFailure(tx, ctx, now, { emailIndex, ...(account ? { account } : {}), step: 'password', reason, error: new AppError('auth.invalid_credentials') });
        }
        await repo.insertAttempt(tx, { id: ids.uuid(), emailIndex, accountId: account.id, ip: ctx.ip, step: 'password', succeeded: true, at: toDate(now) });
        const token = ids.token(32);
        const enrolled = account.mfaEnrolledAt !== null;
        const expires = now.add(minutes(enrolled ? MFA_TOKEN_MINUTES : ENROLMENT_TOKEN_MINUTES));
        await repo.insertChallenge(tx, {
          id: ids.uuid(),
          tokenHash: hashToken(token),
          accountId: account.id,
          purpose: enrolled ? 'mfa' : 'enrolment',
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
        const lockedUntil = await activeLock(tx, account.emailIndex, now);
        if (lockedUntil) return { error: lockedError(lockedUntil, now) };
        const method = await spendSecondFactor(tx, ctx, account.id, body.code, now);
        if (!method) {
          await repo.failChallenge(tx, challenge.id, MFA_TOKEN_MAX_FAILURES, toDate(now));
          return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'bad_code', error: new AppError('auth.mfa_invalid') });
        }
        return openSession(tx, ctx, now, account, challenge, method);
      });
      return unwrap(result);
    },

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
        const lockedUntil = await activeLock(tx, account.emailIndex, now);
        if (lockedUntil) return { error: lockedError(lockedUntil, now) };
        const totp = await repo.findTotp(tx, account.id);
        if (!totp || totp.confirmedAt) return { error: new AppError('auth.mfa_expired', { detail: 'Start the enrolment again' }) };
        const step = await checkTotp(await decryptTotp(tx, account.id, totp.secretEnc), body.code, epochSeconds(now), totp.lastStep);
        if (step === undefined || !(await repo.claimTotpStep(tx, account.id, step, toDate(now)))) {
          await repo.failChallenge(tx, challenge.id, LOCKOUT.maxFailures, toDate(now));
          return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'bad_enrolment_code', error: new AppError('auth.mfa_invalid') });
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
        const lockedUntil = await activeLock(tx, account.emailIndex, now);
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
          return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'bad_passkey', error: new AppError('auth.mfa_invalid') });
        }
        return openSession(tx, ctx, now, account, challenge, 'webauthn');
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
      const lockedUntil = await activeLock(tx, account.emailIndex, now);
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
        return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'step_up_bad_code', error: new AppError('auth.mfa_invalid') });
      });
      return failure.error;
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
      const lockedUntil = await activeLock(db, account.emailIndex, now);
      if (lockedUntil) throw lockedError(lockedUntil, now);
      // argon2 runs outside any transaction, as at sign-in.
      const currentOk = await hasher.verify(account.passwordHash, body.currentPassword).catch(() => false);
      if (!currentOk) {
        const failure = await withTransaction(db, (tx) =>
          recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'password', reason: 'password_change_bad_password', error: new AppError('auth.invalid_credentials') }),
        );
        throw failure.error;
      }
      const email = (await keyring.decrypt(identityCtx, db, 'registry', account.emailEnc, emailContext(account.id))).toString('utf8');
      assertAcceptablePassword(body.newPassword, email, '#/newPassword', body.currentPassword);
      const passwordHash = await hasher.hash(body.newPassword);
      try {
        return await withTransaction(db, async (tx) => {
          await service.confirmStepUp(tx, ctx, body.code, 'auth.password_change');
          await repo.setPasswordHash(tx, account.id, passwordHash, toDate(now));
          const sessionsEnded = await repo.revokeOtherSessions(tx, account.id, actor.sessionId, 'password_changed', toDate(now));
          await audit.record(tx, ctx, { action: 'auth.password_changed', subject: { type: 'user_account', id: account.id }, data: { sessionsEnded } });
          return { sessionsEnded };
        });
      } catch (err) {
        // Security: a wrong code counts towards the lock, recorded after the rollback.
        if (err instanceof AppError && err.code === 'auth.mfa_invalid' && err.meta?.stepUp === true) throw await service.recordStepUpFailure(ctx);
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
    async sendPasswordResetMail(msg: OutboxMessage, send: (mail: { accountId: string; sourceId: string; subject: string; text: string }) => Promise<void>): Promise<void> {
      const payload = msg.payload as { challengeId: string; accountId: string; tokenEnc: string };
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
        subject: 'Distansia: смяна на паролата / password reset',
        text: [
          `За да смените паролата си, отворете ${link} до ${PASSWORD_RESET.minutes} минути. Ще ви трябва и код от приложението за удостоверяване. Ако не сте поискали смяна, не правете нищо.`,
          '',
          `To reset your password, open ${link} within ${PASSWORD_RESET.minutes} minutes. You will also need a code from your authenticator app. If you did not ask for this, do nothing.`,
        ].join('\n'),
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
        if (account.mfaEnrolledAt !== null) {
          const method = body.code ? await spendSecondFactor(tx, ctx, account.id, body.code, now) : undefined;
          if (!method) {
            await repo.failChallenge(tx, challenge.id, MFA_TOKEN_MAX_FAILURES, toDate(now));
            return recordFailure(tx, ctx, now, { emailIndex: account.emailIndex, account, step: 'mfa', reason: 'password_reset_bad_code', error: new AppError('auth.mfa_invalid') });
          }
        }
        if (!(await repo.spendChallenge(tx, challenge.id, toDate(now)))) return { error: new AppError('auth.reset_invalid') };
        await repo.setPasswordHash(tx, account.id, passwordHash, toDate(now));
        const sessionsEnded = await repo.revokeOtherSessions(tx, account.id, null, 'password_reset', toDate(now));
        await audit.record(tx, ctx, { action: 'auth.password_reset', subject: { type: 'user_account', id: account.id }, data: { sessionsEnded } });
        return { ok: true };
      });
      unwrap(result);
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
     * Resolves a session cookie into an actor (the auth hook); refreshes the idle timer at most once a minute.
     * @param token - the cookie value
     * @returns the session, or undefined when unknown, revoked, idle or expired
     */
    async resolveSession(token: string): Promise<ResolvedSession | undefined> {
      if (!token || token.length > 200) return undefined;
      const now = clock.now();
      const found = await repo.findSessionByTokenHash(db, hashToken(token));
      if (!found) return undefined;
      const { session, account } = found;
      const expiresAt = fromDate(session.expiresAt);
      const lastSeen = fromDate(session.lastSeenAt);
      if (session.revokedAt || account.status !== 'active') return undefined;
      if (Temporal.Instant.compare(expiresAt, now) <= 0 || Temporal.Instant.compare(lastSeen.add(idle), now) <= 0) return undefined;
      if (now.since(lastSeen).total('seconds') >= TOUCH_AFTER_SECONDS) await repo.touchSession(db, session.id, toDate(now));
      const { facilityIds } = found;
      const actor: ResolvedSession['actor'] = {
        type: 'user',
        id: account.id,
        role: account.role as Role,
        sessionId: session.id,
        facilityIds,
        ...(account.patientId ? { patientId: account.patientId } : {}),
      };
      return { actor, csrfHash: session.csrfHash, expiresAt, idleExpiresAt: now.add(idle) };
    },

    /**
     * Checks a double-submit CSRF token against the session's.
     * @param session - the resolved session
     * @param header - the `x-csrf-token` header
     * @param cookie - the `csrf` cookie
     * @returns true when both match the session's token
     */
    csrfMatches(session: ResolvedSession, header: string | undefined, cookie: string | undefined): boolean {
      if (!header || !cookie || !safeEqual(header, cookie)) return false;
      return safeEqual(hashToken(header), session.csrfHash);
    },

    /**
     * Whether the actor's role may work from this address (Art. 28(1)-(2)); audits a refusal.
     * @param ctx - the request with its resolved actor
     * @throws {AppError} `auth.network_denied`
     */
    async assertNetworkAllowed(ctx: RequestCtx): Promise<void> {
      if (ctx.actor.type !== 'user' || gateway.allows(ctx.actor.role, ctx.ip)) return;
      await audit.recordStandalone(ctx, { action: 'auth.network_denied', outcome: 'denied', subject: { type: 'user_account', id: ctx.actor.id } });
      throw new AppError('auth.network_denied');
    },

    /**
     * The signed-in account.
     * @param ctx - a signed-in user
     * @returns the account with its factors and current session
     * @throws {AppError} `auth.unauthenticated`
     */
    async getMe(ctx: RequestCtx): Promise<Me> {
      const actor = assertUser(ctx);
      const found = await repo.findAccountById(db, actor.id);
      const sessions = found ? await repo.listLiveSessions(db, actor.id, toDate(clock.now()), toDate(clock.now().subtract(idle))) : [];
      const session = sessions.find((s) => s.id === actor.sessionId);
      if (!found || !session) throw new AppError('auth.unauthenticated');
      return loadMe(db, found, session);
    },

    /**
     * The signed-in user's live sessions, most recently used first.
     * @param ctx - a signed-in user
     * @returns sessions, the current one marked
     */
    async listSessions(ctx: RequestCtx): Promise<Session[]> {
      const actor = assertUser(ctx);
      const now = clock.now();
      const rows = await repo.listLiveSessions(db, actor.id, toDate(now), toDate(now.subtract(idle)));
      return rows.map((s) => ({
        id: s.id,
        createdAt: isoOf(s.createdAt),
        lastSeenAt: isoOf(s.lastSeenAt),
        expiresAt: isoOf(s.expiresAt),
        idleExpiresAt: fromDate(s.lastSeenAt).add(idle).toString(),
        ip: s.ip,
        userAgent: s.userAgent,
        mfaMethod: s.mfaMethod,
        current: s.id === actor.sessionId,
      }));
    },

    /**
     * Ends one of the signed-in user's sessions.
     * @param ctx - a signed-in user
     * @param sessionId - the session to end (the current one signs the user out)
     * @throws {NotFoundError} when the session is not theirs or already ended
     */
    async revokeSession(ctx: RequestCtx, sessionId: string): Promise<void> {
      const actor = assertUser(ctx);
      const now = clock.now();
      await withTransaction(db, async (tx) => {
        if (!(await repo.revokeSession(tx, actor.id, sessionId, 'user', toDate(now)))) throw new AppError('resource.not_found', { meta: { kind: 'session' } });
        await audit.record(tx, ctx, { action: 'auth.session_revoked', subject: { type: 'user_session', id: sessionId }, data: { reason: 'user', current: sessionId === actor.sessionId } });
      });
    },

    /**
     * Ends the current session (sign-out). Anonymous callers get the same answer: there is nothing to end.
     * @param ctx - the request
     */
    async logout(ctx: RequestCtx): Promise<void> {
      if (ctx.actor.type !== 'user') return;
      const actor = ctx.actor;
      const now = clock.now();
      await withTransaction(db, async (tx) => {
        if (await repo.revokeSession(tx, actor.id, actor.sessionId, 'logout', toDate(now))) {
          await audit.record(tx, ctx, { action: 'auth.signed_out', subject: { type: 'user_session', id: actor.sessionId } });
        }
      });
    },

    /** The WebAuthn relying party from config (PUBLIC_URL, WEBAUTHN_RP_ID), else from the request host. */
    relyingParty(requestOrigin: string): WebAuthnRp {
      const origin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : requestOrigin;
      return { origin, rpId: config.WEBAUTHN_RP_ID ?? new URL(origin).hostname };
    },
  };
  return service;
}

export type IdentityService = ReturnType<typeof createIdentityService>;
