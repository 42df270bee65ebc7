import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { DatedRule } from './dated-rules.js';

// SQL only (STYLE C7). Practitioner, facility and account tables belong to other modules; they are read
// here for names and the GP check, never written.

export type RegistrationRow = {
  id: string;
  patient_id: string;
  practitioner_id: string;
  facility_id: string;
  kind: 'initial' | 'permanent' | 'temporary';
  basis: 'first_choice' | 'change_window' | 'gp_unable' | 'address_change' | 'temporary_stay';
  starts_on: string;
  ends_on: string | null;
  ended_on: string | null;
  end_reason: 'changed_gp' | 'temporary_expired' | 'replaced_by_temporary' | null;
  signer: 'self' | 'representative';
  entered_by: string;
  entered_by_role: string;
  created_at: Date | string;
  form_enc: Buffer;
  practitioner_name: string;
  facility_name: string;
  rhif_code: string;
};

const SELECT_REGISTRATION = sql`SELECT r.id, r.patient_id, r.practitioner_id, r.facility_id, r.kind, r.basis,
    to_char(r.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(r.ends_on, 'YYYY-MM-DD') AS ends_on, to_char(r.ended_on, 'YYYY-MM-DD') AS ended_on,
    r.end_reason, r.signer, r.entered_by, r.entered_by_role, r.created_at, r.form_enc,
    p.given_name || ' ' || p.family_name AS practitioner_name, f.name AS facility_name, f.rhif_code
  FROM gp_registration r JOIN practitioner p ON p.id = r.practitioner_id JOIN facility f ON f.id = r.facility_id`;

/** Every row of the dated rule table (a few dozen). */
export async function loadRules(q: Queryable): Promise<DatedRule[]> {
  const r = await q.execute<{ key: string; rule_id: string; value: unknown; valid_from: string; valid_to: string | null }>(
    sql`SELECT key, rule_id, value, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM nhif_rule`,
  );
  return r.rows.map((x) => ({ key: x.key, ruleId: x.rule_id, value: typeof x.value === 'string' ? (JSON.parse(x.value) as unknown) : x.value, validFrom: x.valid_from, validTo: x.valid_to }));
}

/** The practice: type, region and zone, and whether the practitioner works there now. */
export async function findPractice(q: Queryable, facilityId: string, practitionerId: string) {
  const r = await q.execute<{ type_code: string; rhif_code: string; time_zone: string; status: string; name: string; works_there: boolean }>(sql`
    SELECT f.type_code, f.rhif_code, f.time_zone, f.status, f.name,
      EXISTS (SELECT 1 FROM practitioner_role pr WHERE pr.facility_id = f.id AND pr.practitioner_id = ${practitionerId} AND pr.active) AS works_there
    FROM facility f WHERE f.id = ${facilityId}`);
  return r.rows[0];
}

/** The patient's registrations, newest first. */
export async function listRegistrations(q: Queryable, patientId: string): Promise<RegistrationRow[]> {
  const r = await q.execute<RegistrationRow>(sql`${SELECT_REGISTRATION} WHERE r.patient_id = ${patientId} ORDER BY r.starts_on DESC, r.created_at DESC`);
  return r.rows;
}

/** The open permanent (or initial) and temporary registrations, locked against a concurrent change. */
export async function lockOpenRegistrations(q: Queryable, patientId: string): Promise<RegistrationRow[]> {
  const r = await q.execute<RegistrationRow>(sql`${SELECT_REGISTRATION} WHERE r.patient_id = ${patientId} AND r.ended_on IS NULL FOR UPDATE OF r`);
  return r.rows;
}

export async function insertRegistration(
  q: Queryable,
  row: { id: string; patientId: string; practitionerId: string; facilityId: string; kind: string; basis: string; startsOn: string; endsOn: string | null; signer: string; formEnc: Buffer; enteredBy: string; enteredByRole: string; createdAt: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO gp_registration (id, patient_id, practitioner_id, facility_id, kind, basis, starts_on, ends_on, signer, form_enc, entered_by, entered_by_role, created_at)
    VALUES (${row.id}, ${row.patientId}, ${row.practitionerId}, ${row.facilityId}, ${row.kind}, ${row.basis}, ${row.startsOn}::date, ${row.endsOn}::date, ${row.signer}, ${row.formEnc},
      ${row.enteredBy}, ${row.enteredByRole}, ${row.createdAt.toISOString()}::timestamptz)`);
}

/**
 * Ends an open registration (compare-and-swap on `ended_on IS NULL`).
 * @returns true when this call ended it
 */
export async function endRegistration(q: Queryable, r: { id: string; endedOn: string; reason: string; endedBy: string | null; at: Date }): Promise<boolean> {
  const res = await q.execute(sql`UPDATE gp_registration SET ended_on = ${r.endedOn}::date, end_reason = ${r.reason}, ended_by_registration = ${r.endedBy}, ended_at = ${r.at.toISOString()}::timestamptz
    WHERE id = ${r.id} AND ended_on IS NULL RETURNING id`);
  return res.rows.length > 0;
}

/** Temporary registrations whose last day is before `today` and that are still open (R-GP-05). */
export async function lockExpiredTemporary(q: Queryable, today: string, limit: number): Promise<{ id: string; patient_id: string; facility_id: string; ends_on: string }[]> {
  const r = await q.execute<{ id: string; patient_id: string; facility_id: string; ends_on: string }>(sql`
    SELECT id, patient_id, facility_id, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM gp_registration
    WHERE kind = 'temporary' AND ended_on IS NULL AND ends_on < ${today}::date
    ORDER BY ends_on, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`);
  return r.rows;
}

/** The practitioner an account signs in as (specialists), if any. */
export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | undefined> {
  const r = await q.execute<{ practitioner_id: string | null }>(sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`);
  return r.rows[0]?.practitioner_id ?? undefined;
}

/** The contract in force for a GP on a date (list capacity, R-11). */
export async function findContract(q: Queryable, practitionerId: string, on: string): Promise<{ max_list_size: number | null } | undefined> {
  const r = await q.execute<{ max_list_size: number | null }>(sql`SELECT max_list_size FROM gp_contract
    WHERE practitioner_id = ${practitionerId} AND valid_from <= ${on}::date AND (valid_to IS NULL OR valid_to > ${on}::date)
    ORDER BY valid_from DESC LIMIT 1`);
  return r.rows[0];
}

// On the list on date D: started on or before D, not ended by D, and for a temporary choice D is
// within the stay.
const LISTED_ON = (on: string) =>
  sql`r.starts_on <= ${on}::date AND (r.ended_on IS NULL OR r.ended_on > ${on}::date) AND (r.ends_on IS NULL OR r.ends_on >= ${on}::date)`;
const LEFT_BY = (on: string) => sql`r.ended_on IS NOT NULL AND r.ended_on <= ${on}::date`;

/** How many patients are on a GP's list on a date. */
export async function countListed(q: Queryable, practitionerId: string, on: string): Promise<number> {
  const r = await q.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM gp_registration r WHERE r.practitioner_id = ${practitionerId} AND ${LISTED_ON(on)}`);
  return r.rows[0]?.n ?? 0;
}

export type ListRow = {
  id: string;
  patient_id: string;
  facility_id: string;
  kind: RegistrationRow['kind'];
  starts_on: string;
  ends_on: string | null;
  ended_on: string | null;
  end_reason: RegistrationRow['end_reason'];
  form_enc: Buffer;
};

/**
 * One page of a GP's list (listed on, or left by, a date), in registration order, and the total.
 * Performance: the total is a separate count that never reads the encrypted forms (a window count
 * would carry every row's form through the sort).
 */
export async function pageList(q: Queryable, practitionerId: string, on: string, status: 'listed' | 'left', limit: number, offset: number): Promise<{ rows: ListRow[]; total: number }> {
  const where = sql`r.practitioner_id = ${practitionerId} AND ${status === 'listed' ? LISTED_ON(on) : LEFT_BY(on)}`;
  const total = await q.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM gp_registration r WHERE ${where}`);
  // Performance: the page's ids are chosen first over narrow rows (the encrypted forms never go through
  // the sort: with a bitmap scan the whole list was sorted with its forms), then only those 50 are read.
  const r = await q.execute<ListRow>(sql`SELECT r.id, r.patient_id, r.facility_id, r.kind, to_char(r.starts_on, 'YYYY-MM-DD') AS starts_on,
      to_char(r.ends_on, 'YYYY-MM-DD') AS ends_on, to_char(r.ended_on, 'YYYY-MM-DD') AS ended_on, r.end_reason, r.form_enc
    FROM (SELECT r.id FROM gp_registration r WHERE ${where} ORDER BY r.starts_on, r.id LIMIT ${limit} OFFSET ${offset}) page
    JOIN gp_registration r ON r.id = page.id
    ORDER BY r.starts_on, r.id`);
  return { rows: r.rows, total: total.rows[0]?.n ?? 0 };
}

/** Every registration of a GP that touches [from, toExclusive): for summaries and the monthly report. */
export async function listForPeriod(q: Queryable, practitionerId: string, from: string, toExclusive: string): Promise<ListRow[]> {
  const r = await q.execute<ListRow>(sql`SELECT r.id, r.patient_id, r.facility_id, r.kind, to_char(r.starts_on, 'YYYY-MM-DD') AS starts_on,
      to_char(r.ends_on, 'YYYY-MM-DD') AS ends_on, to_char(r.ended_on, 'YYYY-MM-DD') AS ended_on, r.end_reason, r.form_enc
    FROM gp_registration r WHERE r.practitioner_id = ${practitionerId} AND r.starts_on < ${toExclusive}::date AND (r.ended_on IS NULL OR r.ended_on >= ${from}::date)
    ORDER BY r.starts_on, r.id`);
  return r.rows;
}

// ---- facts other modules read (gp-facts.ts) ----

/** The practitioner of the patient's open GP registration on a date, a temporary one first (R-SL-07). */
export async function findGpOfPatientOn(q: Queryable, patientId: string, on: string): Promise<string | null> {
  const r = await q.execute<{ practitioner_id: string }>(sql`SELECT practitioner_id FROM gp_registration
    WHERE patient_id = ${patientId} AND starts_on <= ${on}::date AND (ended_on IS NULL OR ended_on > ${on}::date)
    ORDER BY (kind = 'temporary') DESC, starts_on DESC LIMIT 1`);
  return r.rows[0]?.practitioner_id ?? null;
}

/** The patient is on one of the practice's lists on the day (an open registration, W8-W10). */
export async function isListedAtFacility(q: Queryable, patientId: string, facilityId: string, on: string): Promise<boolean> {
  const r = await q.execute<{ ok: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM gp_registration WHERE patient_id = ${patientId} AND facility_id = ${facilityId}
    AND starts_on <= ${on}::date AND (ended_on IS NULL OR ended_on > ${on}::date) AND (ends_on IS NULL OR ends_on >= ${on}::date)) AS ok`);
  return Boolean(r.rows[0]?.ok);
}

/** The patients on a GP's list at a practice on a day, in the order they registered. */
export async function listedPatientIds(q: Queryable, facilityId: string, practitionerId: string, on: string): Promise<string[]> {
  const r = await q.execute<{ patient_id: string }>(sql`SELECT r.patient_id FROM gp_registration r WHERE r.facility_id = ${facilityId} AND r.practitioner_id = ${practitionerId}
      AND r.starts_on <= ${on}::date AND (r.ended_on IS NULL OR r.ended_on > ${on}::date) ORDER BY r.starts_on, r.id`);
  return r.rows.map((x) => x.patient_id);
}

/** The (practice, GP) pairs that hold a list on a day: each has at least one listed patient. */
export async function gpListsOn(q: Queryable, on: string): Promise<{ facilityId: string; practitionerId: string }[]> {
  const r = await q.execute<{ facility_id: string; practitioner_id: string }>(sql`SELECT DISTINCT r.facility_id, r.practitioner_id FROM gp_registration r
    WHERE r.starts_on <= ${on}::date AND (r.ended_on IS NULL OR r.ended_on > ${on}::date) ORDER BY r.facility_id, r.practitioner_id`);
  return r.rows.map((x) => ({ facilityId: x.facility_id, practitionerId: x.practitioner_id }));
}

/** A GP contract of the practitioner at the facility is in force on the date. */
export async function gpContractInForce(q: Queryable, practitionerId: string, facilityId: string, on: string): Promise<boolean> {
  const r = await q.execute<{ ok: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM gp_contract g WHERE g.practitioner_id = ${practitionerId} AND g.facility_id = ${facilityId}
    AND g.valid_from <= ${on}::date AND (g.valid_to IS NULL OR g.valid_to > ${on}::date)) AS ok`);
  return Boolean(r.rows[0]?.ok);
}

/** The practitioners working at a practice with their list size on a date and contract cap. */
export async function listPracticeGps(q: Queryable, facilityId: string, on: string): Promise<{ practitioner_id: string; name: string; listed: number; max_list_size: number | null }[]> {
  const r = await q.execute<{ practitioner_id: string; name: string; listed: number; max_list_size: number | null }>(sql`
    SELECT p.id AS practitioner_id, p.given_name || ' ' || p.family_name AS name,
      (SELECT count(*)::int FROM gp_registration r WHERE r.practitioner_id = p.id AND ${LISTED_ON(on)}) AS listed,
      (SELECT c.max_list_size FROM gp_contract c WHERE c.practitioner_id = p.id AND c.valid_from <= ${on}::date AND (c.valid_to IS NULL OR c.valid_to > ${on}::date)
        ORDER BY c.valid_from DESC LIMIT 1) AS max_list_size
    FROM practitioner_role pr JOIN practitioner p ON p.id = pr.practitioner_id
    WHERE pr.facility_id = ${facilityId} AND pr.active
    ORDER BY p.family_name, p.given_name, p.id`);
  return r.rows;
}

/** A facility's type, status and zone. */
export async function findFacility(q: Queryable, facilityId: string): Promise<{ type_code: string; status: string; time_zone: string } | undefined> {
  const r = await q.execute<{ type_code: string; status: string; time_zone: string }>(sql`SELECT type_code, status, time_zone FROM facility WHERE id = ${facilityId}`);
  return r.rows[0];
}
