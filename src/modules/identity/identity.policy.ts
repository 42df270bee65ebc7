import type { Options as ArgonOptions } from '@node-rs/argon2';
import { Temporal, fromDate } from '../../platform/clock.js';
import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { systemCtx, type Actor, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { Role, SignedIn } from '../../contracts/identity.js';
import { checkPassword } from './password-policy.js';

// Identity's policy constants, shared types and guards; the use cases live in sign-in.ts, enrolment.ts,
// passwords.ts, sessions.ts and activation.ts, composed by identity.service.ts.

/** Security: OWASP Password Storage Cheat Sheet minimum for argon2id — m=19 MiB, t=2, p=1. */
// Tricky: `Algorithm` is an ambient const enum, which verbatimModuleSyntax cannot read; 2 is Argon2id.
export const ARGON2_OPTIONS: ArgonOptions = { algorithm: 2 as ArgonOptions['algorithm'] & number, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Lockout policy: 5 failures within 15 minutes lock sign-in for 15 minutes. */
export const LOCKOUT = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 } as const;
export const MFA_TOKEN_MINUTES = 5;
export const ENROLMENT_TOKEN_MINUTES = 15;
/** Wrong codes one MFA token survives before the user must enter the password again. */
export const MFA_TOKEN_MAX_FAILURES = 3;
/** A password-reset link lives 30 minutes; at most 3 are issued per account per hour. */
export const PASSWORD_RESET = { minutes: 30, maxPerHour: 3 } as const;
/** Outbox type of the password-reset e-mail. */
export const PASSWORD_RESET_MAIL = 'auth.password_reset_mail';
/** `last_seen_at` is written at most this often, so reads do not each cost a write. */
export const TOUCH_AFTER_SECONDS = 60;

/** A staff activation link lives 72 hours and is spent by the activation (docs/identity.md). */
export const ACTIVATION = { hours: 72 } as const;
/** Outbox type of the activation e-mail (new account, second-factor reset, e-mail change, resent link). */
export const ACTIVATION_MAIL = 'auth.activation_mail';
/** Outbox type of the notice to a facility's other administrators about a staff-account change. */
export const STAFF_CHANGE_NOTICE = 'account.staff_change_notice';
/** A registration's e-mail confirmation link lives 24 hours; at most 3 are sent per account per hour (docs/registration.md). */
export const EMAIL_CONFIRMATION = { hours: 24, maxPerHour: 3 } as const;
/** Outbox type of the registration e-mails: the confirmation link, or a notice to an existing holder. */
export const REGISTRATION_MAIL = 'auth.registration_mail';
/** The device cookie (OWASP device cookies): signed entries, one per account this browser signed in to. */
export const DEVICE_COOKIE = 'distansia_device';
export const DEVICE_COOKIE_MAX_ENTRIES = 8;
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 3600;

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
  config: Pick<Config, 'SESSION_IDLE_MINUTES' | 'SESSION_ABSOLUTE_HOURS' | 'STAFF_ALLOWED_NETWORKS' | 'AUTH_IP_MAX_FAILURES' | 'WEBAUTHN_RP_ID' | 'PUBLIC_URL' | 'PORT' | 'DEFAULT_TIME_ZONE'>;
}

/** Input of `createAccount` (demo seeder, CLI, later the registration flows). */
export interface CreateAccountInput {
  email: string;
  /** Absent for staff accounts: the holder sets it through the activation link (activation.ts). */
  password?: string;
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
  /** A patient's own registration: the account signs in only after the e-mail is confirmed. */
  selfRegistered?: boolean;
}

/** What the HTTP layer needs to start a session: the cookies' values and the body. */
export interface SessionGrant {
  sessionToken: string;
  csrfToken: string;
  /** Cookie lifetime in seconds (the absolute session lifetime). */
  maxAgeSeconds: number;
  /** A device-cookie entry for this account, added to the browser's device cookie (lockout by device). */
  deviceEntry: string;
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

export type Failure = { error: AppError };

/** Associated data of an account's encrypted e-mail (keyring context). */
export const emailContext = (accountId: string) => `account:${accountId}:email`;
export const totpContext = (accountId: string) => `account:${accountId}:totp`;
export const activationTokenContext = (challengeId: string) => `auth_challenge:${challengeId}:activation_token`;
export const confirmationTokenContext = (challengeId: string) => `auth_challenge:${challengeId}:confirmation_token`;
export const resetTokenContext = (challengeId: string) => `auth_challenge:${challengeId}:reset_token`;
// Security: identity decrypts its own secrets (TOTP, the account's e-mail) as a system actor; the
// keyring refuses the operator role, which must still be able to sign in with its own TOTP.
export const identityCtx = systemCtx('identity');

/**
 * The password policy as an error the user can act on.
 * @throws {AppError} `password.too_weak` with one field error per problem
 */
export function assertAcceptablePassword(password: string, email: string, pointer: string, current?: string): void {
  const problems = checkPassword(password, email);
  if (current !== undefined && password === current) problems.push('unchanged');
  if (problems.length === 0) return;
  throw new AppError('password.too_weak', {
    detail: `The password is not acceptable: ${problems.join(', ')}`,
    errors: problems.map((p) => ({ in: 'body' as const, pointer, detail: p })),
    meta: { problems },
  });
}

export function minutes(n: number): Temporal.Duration {
  return Temporal.Duration.from({ minutes: n });
}

export function isoOf(d: Date): string {
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
