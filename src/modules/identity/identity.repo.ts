import { and, count, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Db, Queryable } from '../../platform/db/index.js';
import {
  accountFacilityTable,
  authChallengeTable,
  loginAttemptTable,
  loginLockTable,
  recoveryCodeTable,
  totpCredentialTable,
  userAccountTable,
  userSessionTable,
  webauthnCredentialTable,
} from './identity.tables.js';

export type AccountRow = typeof userAccountTable.$inferSelect;
export type SessionRow = typeof userSessionTable.$inferSelect;
export type ChallengeRow = typeof authChallengeTable.$inferSelect;
export type WebauthnRow = typeof webauthnCredentialTable.$inferSelect;

// ---- accounts ----

export async function insertAccount(q: Queryable, row: typeof userAccountTable.$inferInsert, facilityIds: readonly string[]): Promise<void> {
  await q.insert(userAccountTable).values(row);
  if (facilityIds.length > 0) {
    await q.insert(accountFacilityTable).values(facilityIds.map((facilityId) => ({ accountId: row.id, facilityId, createdAt: row.createdAt })));
  }
}

export async function findAccountByEmailIndex(q: Queryable, emailIndex: string): Promise<AccountRow | undefined> {
  const [row] = await q.select().from(userAccountTable).where(eq(userAccountTable.emailIndex, emailIndex)).limit(1);
  return row;
}

export async function findAccountById(q: Queryable, id: string): Promise<AccountRow | undefined> {
  const [row] = await q.select().from(userAccountTable).where(eq(userAccountTable.id, id)).limit(1);
  return row;
}

/**
 * Facilities an account acts for: its `account_facility` links plus, for a specialist, the facilities
 * of the practitioner's active roles (so joining a facility in the registry needs no second write).
 */
export async function facilityIdsOf(q: Queryable, accountId: string): Promise<string[]> {
  const result = await q.execute<{ facility_id: string }>(sql`
    SELECT facility_id FROM account_facility WHERE account_id = ${accountId}
    UNION
    SELECT pr.facility_id FROM practitioner_role pr JOIN user_account a ON a.practitioner_id = pr.practitioner_id
     WHERE a.id = ${accountId} AND pr.active
    ORDER BY 1`);
  return result.rows.map((r) => r.facility_id);
}

/** Whether a practitioner works now at a GP practice (facility type `ipmp`, W8-W10). */
export async function worksAtGpPractice(q: Queryable, practitionerId: string): Promise<boolean> {
  const result = await q.execute<{ gp: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM practitioner_role pr JOIN facility f ON f.id = pr.facility_id
      WHERE pr.practitioner_id = ${practitionerId} AND pr.active AND f.type_code = 'ipmp') AS gp`);
  return result.rows[0]?.gp === true;
}

export async function markMfaEnrolled(q: Queryable, accountId: string, at: Date): Promise<void> {
  await q
    .update(userAccountTable)
    .set({ mfaEnrolledAt: sql`coalesce(${userAccountTable.mfaEnrolledAt}, ${at.toISOString()}::timestamptz)`, updatedAt: at, version: sql`${userAccountTable.version} + 1` })
    .where(eq(userAccountTable.id, accountId));
}

// ---- TOTP ----

export async function findTotp(q: Queryable, accountId: string) {
  const [row] = await q.select().from(totpCredentialTable).where(eq(totpCredentialTable.accountId, accountId)).limit(1);
  return row;
}

/** Stores a pending (unconfirmed) secret, replacing an earlier pending one; a confirmed one is kept. */
export async function upsertPendingTotp(q: Queryable, accountId: string, secretEnc: Buffer, at: Date): Promise<boolean> {
  const result = await q.execute(sql`
    INSERT INTO totp_credential (account_id, secret_enc, created_at) VALUES (${accountId}, ${secretEnc}, ${at.toISOString()}::timestamptz)
    ON CONFLICT (account_id) DO UPDATE SET secret_enc = EXCLUDED.secret_enc, created_at = EXCLUDED.created_at, last_step = NULL
     WHERE totp_credential.confirmed_at IS NULL`);
  return (result.rowCount ?? 0) > 0;
}

/**
 * Records an accepted time step. Concurrency: compare-and-swap, so two requests racing with the same
 * code cannot both win (replay protection, RFC 6238 §5.2).
 * @returns false when this step (or a later one) was already used
 */
export async function claimTotpStep(q: Queryable, accountId: string, step: number, confirmAt?: Date): Promise<boolean> {
  const rows = await q
    .update(totpCredentialTable)
    .set({ lastStep: step, ...(confirmAt ? { confirmedAt: confirmAt } : {}) })
    .where(and(eq(totpCredentialTable.accountId, accountId), sql`(${totpCredentialTable.lastStep} IS NULL OR ${totpCredentialTable.lastStep} < ${step})`))
    .returning({ accountId: totpCredentialTable.accountId });
  return rows.length > 0;
}

// ---- recovery codes ----

export async function replaceRecoveryCodes(q: Queryable, accountId: string, rows: { id: string; codeHash: string }[], at: Date): Promise<void> {
  await q.delete(recoveryCodeTable).where(eq(recoveryCodeTable.accountId, accountId));
  await q.insert(recoveryCodeTable).values(rows.map((r) => ({ ...r, accountId, createdAt: at })));
}

/** Spends a recovery code (compare-and-swap on `used_at`); false when unknown or already used. */
export async function useRecoveryCode(q: Queryable, accountId: string, codeHash: string, at: Date): Promise<boolean> {
  const rows = await q
    .update(recoveryCodeTable)
    .set({ usedAt: at })
    .where(and(eq(recoveryCodeTable.accountId, accountId), eq(recoveryCodeTable.codeHash, codeHash), isNull(recoveryCodeTable.usedAt)))
    .returning({ id: recoveryCodeTable.id });
  return rows.length > 0;
}

export async function countRecoveryCodesLeft(q: Queryable, accountId: string): Promise<number> {
  const [row] = await q.select({ n: count() }).from(recoveryCodeTable).where(and(eq(recoveryCodeTable.accountId, accountId), isNull(recoveryCodeTable.usedAt)));
  return row?.n ?? 0;
}

// ---- WebAuthn ----

export async function listWebauthn(q: Queryable, accountId: string): Promise<WebauthnRow[]> {
  return q.select().from(webauthnCredentialTable).where(eq(webauthnCredentialTable.accountId, accountId)).orderBy(webauthnCredentialTable.createdAt);
}

export async function insertWebauthn(q: Queryable, row: typeof webauthnCredentialTable.$inferInsert): Promise<void> {
  await q.insert(webauthnCredentialTable).values(row);
}

/** Stores the authenticator's new signature counter (only forwards; a clone would report an older one). */
export async function advanceWebauthnCounter(q: Queryable, id: string, counter: number, at: Date): Promise<boolean> {
  const rows = await q
    .update(webauthnCredentialTable)
    .set({ counter, lastUsedAt: at })
    .where(and(eq(webauthnCredentialTable.id, id), sql`(${webauthnCredentialTable.counter} = 0 OR ${webauthnCredentialTable.counter} < ${counter})`))
    .returning({ id: webauthnCredentialTable.id });
  return rows.length > 0;
}

export async function deleteWebauthn(q: Queryable, accountId: string, id: string): Promise<boolean> {
  const rows = await q
    .delete(webauthnCredentialTable)
    .where(and(eq(webauthnCredentialTable.accountId, accountId), eq(webauthnCredentialTable.id, id)))
    .returning({ id: webauthnCredentialTable.id });
  return rows.length > 0;
}

// ---- MFA / enrolment tokens ----

export async function insertChallenge(q: Queryable, row: typeof authChallengeTable.$inferInsert): Promise<void> {
  await q.insert(authChallengeTable).values(row);
}

/** A live token row, locked for the rest of the transaction so two requests cannot both spend it. */
export async function findLiveChallenge(q: Queryable, tokenHash: string, purpose: ChallengeRow['purpose'], now: Date): Promise<ChallengeRow | undefined> {
  const [row] = await q
    .select()
    .from(authChallengeTable)
    .where(and(eq(authChallengeTable.tokenHash, tokenHash), eq(authChallengeTable.purpose, purpose), isNull(authChallengeTable.usedAt), gt(authChallengeTable.expiresAt, now)))
    .limit(1)
    .for('update');
  return row;
}

/** Spends the token (compare-and-swap on `used_at`). */
export async function spendChallenge(q: Queryable, id: string, at: Date): Promise<boolean> {
  const rows = await q
    .update(authChallengeTable)
    .set({ usedAt: at })
    .where(and(eq(authChallengeTable.id, id), isNull(authChallengeTable.usedAt)))
    .returning({ id: authChallengeTable.id });
  return rows.length > 0;
}

/** Counts a wrong code against the token; it dies after `max` failures. */
export async function failChallenge(q: Queryable, id: string, max: number, at: Date): Promise<void> {
  await q
    .update(authChallengeTable)
    .set({ failures: sql`${authChallengeTable.failures} + 1`, usedAt: sql`CASE WHEN ${authChallengeTable.failures} + 1 >= ${max} THEN ${at.toISOString()}::timestamptz ELSE NULL END` })
    .where(eq(authChallengeTable.id, id));
}

export async function setChallengeWebauthn(q: Queryable, id: string, challenge: string): Promise<void> {
  await q.update(authChallengeTable).set({ webauthnChallenge: challenge }).where(eq(authChallengeTable.id, id));
}

// ---- attempts and locks ----

export async function insertAttempt(q: Queryable, row: typeof loginAttemptTable.$inferInsert): Promise<void> {
  await q.insert(loginAttemptTable).values(row);
}

/**
 * Failed attempts for an e-mail since `since`, not counting those before the last complete sign-in nor
 * those before the end of the last lock (a lock spends the failures that caused it, so an administrator's
 * unlock gives back the whole budget). Security: only a full sign-in (password and second factor) resets
 * the count, so knowing the password does not reset the budget for guessing the code.
 */
export async function countRecentFailuresByEmail(q: Queryable, emailIndex: string, since: Date): Promise<number> {
  const result = await q.execute<{ n: string }>(sql`
    SELECT count(*) AS n FROM login_attempt
     WHERE email_index = ${emailIndex} AND NOT succeeded AND device_hash IS NULL AND at > ${since.toISOString()}::timestamptz
       AND at > coalesce((SELECT max(at) FROM login_attempt WHERE email_index = ${emailIndex} AND succeeded AND step = 'mfa'), '-infinity'::timestamptz)
       AND at > coalesce((SELECT locked_until FROM login_lock WHERE email_index = ${emailIndex}), '-infinity'::timestamptz)`);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Failed attempts of one known device (device cookie) for an e-mail since `since`, not counting those
 * before that device's last complete sign-in; with the newest failure, from which its lock runs.
 */
export async function deviceFailureWindow(q: Queryable, emailIndex: string, deviceHash: string, since: Date): Promise<{ n: number; latest: Date | null }> {
  const result = await q.execute<{ n: string; latest: string | Date | null }>(sql`
    SELECT count(*) AS n, max(at) AS latest FROM login_attempt
     WHERE email_index = ${emailIndex} AND device_hash = ${deviceHash} AND NOT succeeded AND at > ${since.toISOString()}::timestamptz
       AND at > coalesce((SELECT max(at) FROM login_attempt WHERE email_index = ${emailIndex} AND device_hash = ${deviceHash} AND succeeded AND step = 'mfa'), '-infinity'::timestamptz)`);
  const row = result.rows[0];
  return { n: Number(row?.n ?? 0), latest: row?.latest ? new Date(row.latest) : null };
}

export async function countRecentDeviceFailures(q: Queryable, emailIndex: string, deviceHash: string, since: Date): Promise<number> {
  return (await deviceFailureWindow(q, emailIndex, deviceHash, since)).n;
}

export async function countRecentFailuresByIp(q: Queryable, ip: string, since: Date): Promise<{ n: number; oldest: Date | null }> {
  const result = await q.execute<{ n: string; oldest: string | Date | null }>(sql`
    SELECT count(*) AS n, min(at) AS oldest FROM login_attempt
     WHERE ip = ${ip}::inet AND NOT succeeded AND at > ${since.toISOString()}::timestamptz`);
  const row = result.rows[0];
  return { n: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
}

export async function findLock(q: Queryable, emailIndex: string) {
  const [row] = await q.select().from(loginLockTable).where(eq(loginLockTable.emailIndex, emailIndex)).limit(1);
  return row;
}

export async function upsertLock(q: Queryable, emailIndex: string, lockedAt: Date, lockedUntil: Date): Promise<void> {
  await q
    .insert(loginLockTable)
    .values({ emailIndex, lockedAt, lockedUntil })
    .onConflictDoUpdate({ target: loginLockTable.emailIndex, set: { lockedAt, lockedUntil } });
}

// ---- sessions ----

export async function insertSession(q: Queryable, row: typeof userSessionTable.$inferInsert): Promise<void> {
  await q.insert(userSessionTable).values(row);
}

/** The account's facility ids, as one array column (the same rule as `facilityIdsOf`). */
const facilityIdsColumn = sql<string[]>`ARRAY(
    SELECT facility_id FROM account_facility WHERE account_id = ${userAccountTable.id}
    UNION
    SELECT pr.facility_id FROM practitioner_role pr WHERE pr.practitioner_id = ${userAccountTable.practitionerId} AND pr.active
    ORDER BY 1)`;

function prepareSessionLookup(db: Db) {
  return db
    .select({ session: userSessionTable, account: userAccountTable, facilityIds: facilityIdsColumn.as('facility_ids') })
    .from(userSessionTable)
    .innerJoin(userAccountTable, eq(userAccountTable.id, userSessionTable.accountId))
    .where(eq(userSessionTable.tokenHash, sql.placeholder('tokenHash')))
    .limit(1)
    .prepare('identity_session_by_token');
}
const sessionLookups = new WeakMap<Db, ReturnType<typeof prepareSessionLookup>>();

/**
 * The session of a cookie with its account and facilities. It runs on every authenticated request, so
 * it is one named prepared statement (planned once per connection), not two planned each time.
 */
export async function findSessionByTokenHash(db: Db, tokenHash: string): Promise<{ session: SessionRow; account: AccountRow; facilityIds: string[] } | undefined> {
  let lookup = sessionLookups.get(db);
  if (!lookup) {
    lookup = prepareSessionLookup(db);
    sessionLookups.set(db, lookup);
  }
  const [row] = await lookup.execute({ tokenHash });
  return row;
}

/** Moves `last_seen_at` forward (never back, if requests race). */
export async function touchSession(q: Queryable, id: string, at: Date): Promise<void> {
  await q
    .update(userSessionTable)
    .set({ lastSeenAt: sql`greatest(${userSessionTable.lastSeenAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(userSessionTable.id, id));
}

export async function listLiveSessions(q: Queryable, accountId: string, now: Date, idleSince: Date): Promise<SessionRow[]> {
  return q
    .select()
    .from(userSessionTable)
    .where(and(eq(userSessionTable.accountId, accountId), isNull(userSessionTable.revokedAt), gt(userSessionTable.expiresAt, now), gt(userSessionTable.lastSeenAt, idleSince)))
    .orderBy(sql`${userSessionTable.lastSeenAt} DESC`);
}

/**
 * Sets an active account's notification language when it differs (compare-and-swap, STYLE C9): the row is
 * locked first, so the language it had is the one replaced.
 * @returns the previous language, or undefined when the account is not active or already had `to`
 */
export async function setNotificationLang(q: Queryable, accountId: string, to: 'bg' | 'en', at: Date): Promise<string | undefined> {
  const r = await q.execute(sql`
    UPDATE user_account u SET notification_lang = ${to}, version = u.version + 1, updated_at = ${at.toISOString()}::timestamptz
    FROM (SELECT id, notification_lang FROM user_account WHERE id = ${accountId} FOR UPDATE) old
    WHERE u.id = old.id AND u.status = 'active' AND old.notification_lang <> ${to}
    RETURNING old.notification_lang AS "from"`);
  return (r.rows[0] as { from: string } | undefined)?.from;
}

/** Ends a session of this account (compare-and-swap); false when unknown, foreign or already ended. */
export async function revokeSession(q: Queryable, accountId: string, id: string, reason: string, at: Date): Promise<boolean> {
  const rows = await q
    .update(userSessionTable)
    .set({ revokedAt: at, revokedReason: reason })
    .where(and(eq(userSessionTable.id, id), eq(userSessionTable.accountId, accountId), isNull(userSessionTable.revokedAt)))
    .returning({ id: userSessionTable.id });
  return rows.length > 0;
}

/** Marks a pending TOTP secret as confirmed (demo seeding; interactive enrolment uses claimTotpStep). */
export async function confirmTotp(q: Queryable, accountId: string, at: Date): Promise<void> {
  await q.update(totpCredentialTable).set({ confirmedAt: at }).where(eq(totpCredentialTable.accountId, accountId));
}

export async function liveRegistrationChallenges(q: Queryable, accountId: string, now: Date): Promise<ChallengeRow[]> {
  return q
    .select()
    .from(authChallengeTable)
    .where(and(eq(authChallengeTable.accountId, accountId), eq(authChallengeTable.purpose, 'passkey_registration'), isNull(authChallengeTable.usedAt), gt(authChallengeTable.expiresAt, now)));
}

/** Replaces the password hash (password change or reset). */
export async function setPasswordHash(q: Queryable, accountId: string, passwordHash: string, at: Date): Promise<void> {
  await q.update(userAccountTable).set({ passwordHash, updatedAt: at }).where(eq(userAccountTable.id, accountId));
}

/** Ends every live session of the account except `keepSessionId`; returns how many were ended. */
export async function revokeOtherSessions(q: Queryable, accountId: string, keepSessionId: string | null, reason: string, at: Date): Promise<number> {
  const rows = await q
    .update(userSessionTable)
    .set({ revokedAt: at, revokedReason: reason })
    .where(and(eq(userSessionTable.accountId, accountId), isNull(userSessionTable.revokedAt), keepSessionId ? ne(userSessionTable.id, keepSessionId) : undefined))
    .returning({ id: userSessionTable.id });
  return rows.length;
}

/** Challenges of a purpose created for the account since `since` (password-reset throttling). */
export async function countChallengesSince(q: Queryable, accountId: string, purpose: ChallengeRow['purpose'], since: Date): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(authChallengeTable)
    .where(and(eq(authChallengeTable.accountId, accountId), eq(authChallengeTable.purpose, purpose), gt(authChallengeTable.createdAt, since)));
  return row?.n ?? 0;
}

/** A challenge by id, whatever its state (the reset-mail handler checks it is still live). */
export async function findChallengeById(q: Queryable, id: string): Promise<ChallengeRow | undefined> {
  const [row] = await q.select().from(authChallengeTable).where(eq(authChallengeTable.id, id)).limit(1);
  return row;
}

// ---- staff activation ----

/** Spends every live token of the account (sign-in, enrolment, reset, earlier activation links). */
export async function spendLiveChallengesOf(q: Queryable, accountId: string, at: Date): Promise<number> {
  const r = await q.execute(sql`UPDATE auth_challenge SET used_at = ${at.toISOString()}::timestamptz WHERE account_id = ${accountId} AND used_at IS NULL RETURNING id`);
  return r.rows.length;
}

/** Facilities a staff account works for: account_facility links, or a specialist's active practitioner roles. */
export async function staffFacilityIds(q: Queryable, accountId: string): Promise<string[]> {
  const r = await q.execute<{ facility_id: string }>(sql`
    SELECT af.facility_id FROM account_facility af WHERE af.account_id = ${accountId}
    UNION
    SELECT pr.facility_id FROM practitioner_role pr JOIN user_account a ON a.practitioner_id = pr.practitioner_id
     WHERE a.id = ${accountId} AND pr.active
    ORDER BY 1`);
  return r.rows.map((x) => x.facility_id);
}

/** Active administrators of a facility who have a second factor (the ones who can act on a notice). */
export async function facilityAdministrators(q: Queryable, facilityId: string): Promise<string[]> {
  const r = await q.execute<{ id: string }>(sql`
    SELECT a.id FROM user_account a JOIN account_facility af ON af.account_id = a.id
     WHERE af.facility_id = ${facilityId} AND a.role = 'facility_admin' AND a.status = 'active' AND a.mfa_enrolled_at IS NOT NULL
     ORDER BY a.id`);
  return r.rows.map((x) => x.id);
}

// ---- registration ----

export async function markEmailConfirmed(q: Queryable, accountId: string, at: Date): Promise<void> {
  await q.execute(sql`UPDATE user_account SET email_confirmed_at = ${at.toISOString()}::timestamptz, updated_at = ${at.toISOString()}::timestamptz, version = version + 1 WHERE id = ${accountId} AND email_confirmed_at IS NULL`);
}

export async function findAccountByPatientId(q: Queryable, patientId: string): Promise<AccountRow | undefined> {
  const [row] = await q.select().from(userAccountTable).where(eq(userAccountTable.patientId, patientId)).limit(1);
  return row;
}

// ---- calendar feed ----

export async function replaceCalendarFeed(q: Queryable, accountId: string, tokenHash: string, at: Date): Promise<void> {
  await q.execute(sql`INSERT INTO calendar_feed (account_id, token_hash, created_at) VALUES (${accountId}, ${tokenHash}, ${at.toISOString()}::timestamptz)
    ON CONFLICT (account_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at`);
}

export async function deleteCalendarFeed(q: Queryable, accountId: string): Promise<boolean> {
  const r = await q.execute(sql`DELETE FROM calendar_feed WHERE account_id = ${accountId} RETURNING account_id`);
  return r.rows.length > 0;
}

export async function findCalendarFeed(q: Queryable, accountId: string): Promise<{ createdAt: Date } | undefined> {
  const r = await q.execute<{ created_at: Date | string }>(sql`SELECT created_at FROM calendar_feed WHERE account_id = ${accountId}`);
  const row = r.rows[0];
  return row ? { createdAt: new Date(row.created_at) } : undefined;
}

export async function accountOfCalendarToken(q: Queryable, tokenHash: string): Promise<AccountRow | undefined> {
  const r = await q.execute<{ account_id: string }>(sql`SELECT account_id FROM calendar_feed WHERE token_hash = ${tokenHash}`);
  const id = r.rows[0]?.account_id;
  return id ? findAccountById(q, id) : undefined;
}
