import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

// Staff accounts of a facility. An account "works for" a facility as identity's facilityIdsOf
// says: an account_facility link (administrators, coordinators) or, for a specialist, an active
// practitioner_role there. Only staff roles are ever read here: patients, representatives, supervisors
// and the operator never match.

export type StaffAccountRow = {
  id: string;
  role: 'specialist' | 'coordinator' | 'facility_admin';
  email_index: string;
  email_enc: Buffer;
  display_name: string | null;
  practitioner_id: string | null;
  given_name: string | null;
  family_name: string | null;
  status: string;
  mfa_enrolled_at: Date | null;
  created_at: Date;
  locked_until: Date | null;
  last_sign_in_at: Date | null;
};

const iso = (d: Date) => d.toISOString();

function staffQuery(facilityId: string, now: Date, extra: SQL): SQL {
  return sql`
    SELECT a.id, a.role, a.email_index, a.email_enc, a.display_name, a.practitioner_id, p.given_name, p.family_name,
           a.status, a.mfa_enrolled_at, a.created_at, l.locked_until,
           (SELECT max(s.created_at) FROM user_session s WHERE s.account_id = a.id) AS last_sign_in_at
      FROM user_account a
      LEFT JOIN practitioner p ON p.id = a.practitioner_id
      LEFT JOIN login_lock l ON l.email_index = a.email_index AND l.locked_until > ${iso(now)}::timestamptz
     WHERE a.role IN ('specialist', 'coordinator', 'facility_admin')
       AND (EXISTS (SELECT 1 FROM account_facility af WHERE af.account_id = a.id AND af.facility_id = ${facilityId})
            OR EXISTS (SELECT 1 FROM practitioner_role pr WHERE pr.practitioner_id = a.practitioner_id AND pr.facility_id = ${facilityId} AND pr.active))
       ${extra}`;
}

/** The facility's staff accounts, by name. */
export async function listStaff(q: Queryable, facilityId: string, now: Date): Promise<StaffAccountRow[]> {
  const r = await q.execute<StaffAccountRow>(
    sql`${staffQuery(facilityId, now, sql``)} ORDER BY coalesce(a.display_name, p.given_name || ' ' || p.family_name, ''), a.created_at, a.id`,
  );
  return r.rows;
}

/** One staff account of the facility; undefined when it does not exist or does not work there. */
export async function findStaff(q: Queryable, facilityId: string, accountId: string, now: Date): Promise<StaffAccountRow | undefined> {
  const r = await q.execute<StaffAccountRow>(staffQuery(facilityId, now, sql`AND a.id = ${accountId}`));
  return r.rows[0];
}

/** Practitioners working at the facility (active role) who have no account yet. */
export async function listUnlinkedPractitioners(q: Queryable, facilityId: string): Promise<{ id: string; given_name: string; family_name: string }[]> {
  const r = await q.execute<{ id: string; given_name: string; family_name: string }>(sql`
    SELECT p.id, p.given_name, p.family_name
      FROM practitioner p JOIN practitioner_role pr ON pr.practitioner_id = p.id
     WHERE pr.facility_id = ${facilityId} AND pr.active AND p.active
       AND NOT EXISTS (SELECT 1 FROM user_account a WHERE a.practitioner_id = p.id)
     ORDER BY p.family_name, p.given_name, p.id`);
  return r.rows;
}

/** The practitioner, if it works at the facility (active role), and whether it already has an account. */
export async function practitionerAtFacility(q: Queryable, facilityId: string, practitionerId: string): Promise<{ has_account: boolean } | undefined> {
  const r = await q.execute<{ has_account: boolean }>(sql`
    SELECT EXISTS (SELECT 1 FROM user_account a WHERE a.practitioner_id = p.id) AS has_account
      FROM practitioner p JOIN practitioner_role pr ON pr.practitioner_id = p.id
     WHERE p.id = ${practitionerId} AND pr.facility_id = ${facilityId} AND pr.active AND p.active`);
  return r.rows[0];
}

/** Facilities by id (all of them when `ids` is undefined), by name. */
export async function listFacilities(q: Queryable, ids: readonly string[] | undefined): Promise<{ id: string; name: string; number: string }[]> {
  if (ids?.length === 0) return [];
  const where = ids ? sql`WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const r = await q.execute<{ id: string; name: string; number: string }>(sql`SELECT id, name, trim(number) AS number FROM facility ${where} ORDER BY name, id`);
  return r.rows;
}

/**
 * Moves an account between `active` and `disabled` (compare-and-swap on the status).
 * @returns false when the account was not in `from`
 */
export async function setAccountStatus(q: Queryable, accountId: string, from: 'active' | 'disabled', to: 'active' | 'disabled', at: Date): Promise<boolean> {
  const r = await q.execute(sql`
    UPDATE user_account SET status = ${to}, updated_at = ${iso(at)}::timestamptz, version = version + 1
     WHERE id = ${accountId} AND status = ${from} RETURNING id`);
  return r.rows.length > 0;
}

/**
 * Removes every second factor of the account (TOTP, recovery codes, passkeys) and clears its enrolment,
 * so the next sign-in asks for enrolment again.
 */
export async function removeSecondFactors(q: Queryable, accountId: string, at: Date): Promise<void> {
  await q.execute(sql`DELETE FROM totp_credential WHERE account_id = ${accountId}`);
  await q.execute(sql`DELETE FROM recovery_code WHERE account_id = ${accountId}`);
  await q.execute(sql`DELETE FROM webauthn_credential WHERE account_id = ${accountId}`);
  await q.execute(sql`UPDATE user_account SET mfa_enrolled_at = NULL, updated_at = ${iso(at)}::timestamptz, version = version + 1 WHERE id = ${accountId}`);
}

/**
 * Spends every live token of the account (second-factor, enrolment, passkey and password-reset tokens),
 * so nothing issued before an administrator's change can still complete.
 * @returns how many were spent
 */
export async function spendLiveChallenges(q: Queryable, accountId: string, at: Date): Promise<number> {
  const r = await q.execute(sql`UPDATE auth_challenge SET used_at = ${iso(at)}::timestamptz WHERE account_id = ${accountId} AND used_at IS NULL RETURNING id`);
  return r.rows.length;
}

/**
 * Ends a live sign-in lock now (compare-and-swap); the failures before it no longer count
 * (`countRecentFailuresByEmail`).
 * @returns false when the e-mail was not locked
 */
export async function endLock(q: Queryable, emailIndex: string, at: Date): Promise<boolean> {
  const r = await q.execute(sql`
    UPDATE login_lock SET locked_until = ${iso(at)}::timestamptz
     WHERE email_index = ${emailIndex} AND locked_until > ${iso(at)}::timestamptz RETURNING email_index`);
  return r.rows.length > 0;
}

/** Clears the account's password: nobody signs in with it again until the person activates the account. */
export async function clearPassword(q: Queryable, accountId: string, at: Date): Promise<void> {
  await q.execute(sql`UPDATE user_account SET password_hash = NULL, updated_at = ${iso(at)}::timestamptz, version = version + 1 WHERE id = ${accountId}`);
}

/** Replaces the account's e-mail (blind index and ciphertext). */
export async function setEmail(q: Queryable, accountId: string, emailIndex: string, emailEnc: Buffer, at: Date): Promise<void> {
  await q.execute(sql`UPDATE user_account SET email_index = ${emailIndex}, email_enc = ${emailEnc}, updated_at = ${iso(at)}::timestamptz, version = version + 1 WHERE id = ${accountId}`);
}

/** Whether any account already uses this e-mail (blind index). */
export async function emailIndexTaken(q: Queryable, emailIndex: string): Promise<boolean> {
  const r = await q.execute(sql`SELECT 1 FROM user_account WHERE email_index = ${emailIndex}`);
  return r.rows.length > 0;
}
