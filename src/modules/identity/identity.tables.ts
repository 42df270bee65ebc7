import { bigint, boolean, customType, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const inet = customType<{ data: string; driverData: string }>({ dataType: () => 'inet' });
const tstz = (name: string) => timestamp(name, { withTimezone: true });

export const userAccountTable = pgTable('user_account', {
  id: uuid('id').primaryKey(),
  emailIndex: text('email_index').notNull(),
  emailEnc: bytea('email_enc').notNull(),
  passwordHash: text('password_hash'),
  role: text('role').notNull(),
  practitionerId: uuid('practitioner_id'),
  patientId: uuid('patient_id'),
  status: text('status').notNull().default('active'),
  /** Administrators and coordinators; a specialist is named by the practitioner record. */
  displayName: text('display_name'),
  mfaEnrolledAt: tstz('mfa_enrolled_at'),
  /** Set for accounts a patient created themself (registration); they sign in once the e-mail is confirmed. */
  selfRegisteredAt: tstz('self_registered_at'),
  emailConfirmedAt: tstz('email_confirmed_at'),
  /** The language of the account's e-mail and SMS (docs/notifications.md#texts). */
  notificationLang: text('notification_lang').notNull().default('bg'),
  createdAt: tstz('created_at').notNull(),
  updatedAt: tstz('updated_at').notNull(),
  version: integer('version').notNull().default(1),
});

export const accountFacilityTable = pgTable(
  'account_facility',
  {
    accountId: uuid('account_id').notNull(),
    facilityId: uuid('facility_id').notNull(),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.facilityId] })],
);

export const totpCredentialTable = pgTable('totp_credential', {
  accountId: uuid('account_id').primaryKey(),
  secretEnc: bytea('secret_enc').notNull(),
  lastStep: bigint('last_step', { mode: 'number' }),
  confirmedAt: tstz('confirmed_at'),
  createdAt: tstz('created_at').notNull(),
});

export const recoveryCodeTable = pgTable('recovery_code', {
  id: uuid('id').primaryKey(),
  accountId: uuid('account_id').notNull(),
  codeHash: text('code_hash').notNull(),
  createdAt: tstz('created_at').notNull(),
  usedAt: tstz('used_at'),
});

export const webauthnCredentialTable = pgTable('webauthn_credential', {
  id: text('id').primaryKey(),
  accountId: uuid('account_id').notNull(),
  publicKey: bytea('public_key').notNull(),
  counter: bigint('counter', { mode: 'number' }).notNull().default(0),
  transports: text('transports').array().notNull().default([]),
  deviceType: text('device_type').notNull(),
  backedUp: boolean('backed_up').notNull(),
  label: text('label').notNull(),
  createdAt: tstz('created_at').notNull(),
  lastUsedAt: tstz('last_used_at'),
});

export const authChallengeTable = pgTable('auth_challenge', {
  id: uuid('id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  accountId: uuid('account_id').notNull(),
  purpose: text('purpose').notNull().$type<'mfa' | 'enrolment' | 'passkey_registration' | 'password_reset' | 'activation' | 'email_confirmation'>(),
  deviceHash: text('device_hash'),
  webauthnChallenge: text('webauthn_challenge'),
  failures: integer('failures').notNull().default(0),
  createdAt: tstz('created_at').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  usedAt: tstz('used_at'),
});

export const loginAttemptTable = pgTable('login_attempt', {
  id: uuid('id').primaryKey(),
  emailIndex: text('email_index').notNull(),
  accountId: uuid('account_id'),
  ip: inet('ip').notNull(),
  step: text('step').notNull().$type<'password' | 'mfa'>(),
  succeeded: boolean('succeeded').notNull(),
  deviceHash: text('device_hash'),
  at: tstz('at').notNull(),
});

export const loginLockTable = pgTable('login_lock', {
  emailIndex: text('email_index').primaryKey(),
  lockedUntil: tstz('locked_until').notNull(),
  lockedAt: tstz('locked_at').notNull(),
});

export const userSessionTable = pgTable('user_session', {
  id: uuid('id').primaryKey(),
  tokenHash: text('token_hash').notNull(),
  csrfHash: text('csrf_hash').notNull(),
  accountId: uuid('account_id').notNull(),
  mfaMethod: text('mfa_method').notNull().$type<'totp' | 'recovery_code' | 'webauthn'>(),
  ip: inet('ip').notNull(),
  userAgent: text('user_agent'),
  createdAt: tstz('created_at').notNull(),
  lastSeenAt: tstz('last_seen_at').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  revokedAt: tstz('revoked_at'),
  revokedReason: text('revoked_reason'),
});
