import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { MedicineRow } from './medicines.js';

// SQL only (STYLE C7). Practitioner, facility, contract and account tables belong to other modules; they
// are read here for the issuer's facts and names, never written.

export type DocKind = 'referral' | 'prescription';
export type DocStatus = 'pending' | 'issued' | 'rejected' | 'cancelling' | 'cancelled' | 'superseded' | 'used' | 'dispensed';

/** The columns a referral and a prescription share. */
export interface DocRowBase {
  id: string;
  replaces_id: string | null;
  revision: number;
  patient_id: string;
  facility_id: string;
  practitioner_id: string;
  encounter_id: string;
  issued_on: string;
  content_enc: Buffer;
  content_sha256: string;
  signature: string;
  signing_key_id: string;
  signed_at: Date | string;
  lrn: string;
  status: DocStatus;
  nrn: string | null;
  acknowledged_at: Date | string | null;
  nhis_error: string | null;
  nhis_attempts: number;
  cancel_reason: string | null;
  created_at: Date | string;
}
export interface ReferralRow extends DocRowBase {
  form: '3' | '3A' | '4' | '6' | '7' | '119a';
  valid_until: string | null;
  used_at: Date | string | null;
  used_by_facility_id: string | null;
  /** The booking the referral was reserved for (0041), null when the specialist used it by НРН. */
  used_for_request_id: string | null;
}
export interface PrescriptionRow extends DocRowBase {
  kind: 'nhif' | 'ordinary';
  dispensation_enc: Buffer | null;
}

const DATES = sql`to_char(issued_on, 'YYYY-MM-DD') AS issued_on`;

async function one<T>(q: Queryable, query: ReturnType<typeof sql>): Promise<T | undefined> {
  const r = await q.execute<T & Record<string, unknown>>(query);
  return r.rows[0] as T | undefined;
}

export async function loadRules(q: Queryable): Promise<{ key: string; value: unknown; valid_from: string; valid_to: string | null }[]> {
  const r = await q.execute<{ key: string; value: unknown; valid_from: string; valid_to: string | null }>(
    sql`SELECT key, value, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM nhif_rule WHERE key LIKE 'referral.%' OR key LIKE 'prescription.%'`,
  );
  return r.rows.map((x) => ({ ...x, value: typeof x.value === 'string' ? (JSON.parse(x.value) as unknown) : x.value }));
}

/** The account's practitioner (specialists). */
export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | null> {
  const r = await one<{ practitioner_id: string | null }>(q, sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`);
  return r?.practitioner_id ?? null;
}

export interface IssuerRow {
  practitioner_id: string;
  uin: string;
  given_name: string;
  family_name: string;
  facility_id: string;
  facility_name: string;
  facility_number: string;
  facility_type: string;
  time_zone: string;
  works_there: boolean;
  is_gp: boolean;
  specialty_code: string | null;
  rhif_contract: boolean;
}

/** What `issuerFacts` (issue-common.ts) adds from the gp module's port. */
export type IssuerSqlRow = Omit<IssuerRow, 'is_gp' | 'rhif_contract'> & { gp_specialty: boolean; rhif_outpatient: boolean };

/**
 * The issuer's own facts on a date: the GP specialty, first specialty, and whether an RHIF outpatient
 * contract is in force (R-REF-06); a GP contract comes from the gp module.
 */
export async function issuerRow(q: Queryable, practitionerId: string, facilityId: string, on: string): Promise<IssuerSqlRow | undefined> {
  return one<IssuerSqlRow>(
    q,
    sql`SELECT p.id AS practitioner_id, trim(p.uin) AS uin, p.given_name, p.family_name, f.id AS facility_id, f.name AS facility_name, trim(f.number) AS facility_number,
        f.type_code AS facility_type, f.time_zone,
        EXISTS (SELECT 1 FROM practitioner_role r WHERE r.practitioner_id = p.id AND r.facility_id = f.id AND r.active) AS works_there,
        EXISTS (SELECT 1 FROM practitioner_specialty s WHERE s.practitioner_id = p.id AND s.specialty_code = '0000') AS gp_specialty,
        (SELECT s.specialty_code FROM practitioner_specialty s WHERE s.practitioner_id = p.id ORDER BY s.specialty_code LIMIT 1) AS specialty_code,
        EXISTS (SELECT 1 FROM rhif_outpatient_contract c WHERE c.practitioner_id = p.id AND c.facility_id = f.id AND c.valid_from <= ${on}::date AND (c.valid_to IS NULL OR c.valid_to > ${on}::date)) AS rhif_outpatient
      FROM practitioner p, facility f WHERE p.id = ${practitionerId} AND f.id = ${facilityId}`,
  );
}

/** R-REF-07: the hospital has a contract for the clinical pathway on the date. */
export async function hospitalContracted(q: Queryable, facilityId: string, pathway: string, on: string): Promise<boolean> {
  const r = await one<{ ok: boolean }>(
    q,
    sql`SELECT EXISTS (SELECT 1 FROM hospital_pathway_contract h JOIN facility f ON f.id = h.facility_id
      WHERE h.facility_id = ${facilityId} AND f.type_code IN ('hospital', 'complex_onco') AND h.pathway_code = ${pathway}
        AND h.valid_from <= ${on}::date AND (h.valid_to IS NULL OR h.valid_to > ${on}::date)) AS ok`,
  );
  return Boolean(r?.ok);
}

/** R-48: the quarter's standard for a form and how many count against it (not rejected, cancelled or superseded). */
export async function budgetOf(q: Queryable, facilityId: string, form: string, on: string, quarterFrom: string, quarterTo: string): Promise<{ limit: number | null; used: number }> {
  const r = await one<{ per_quarter: number | null; used: string | number }>(
    q,
    sql`SELECT (SELECT per_quarter FROM referral_standard WHERE facility_id = ${facilityId} AND form = ${form} AND valid_from <= ${on}::date AND (valid_to IS NULL OR valid_to > ${on}::date) ORDER BY valid_from DESC LIMIT 1) AS per_quarter,
      (SELECT count(*) FROM referral WHERE facility_id = ${facilityId} AND form = ${form} AND issued_on >= ${quarterFrom}::date AND issued_on < ${quarterTo}::date
        AND status NOT IN ('rejected', 'cancelled', 'superseded')) AS used`,
  );
  return { limit: r?.per_quarter ?? null, used: Number(r?.used ?? 0) };
}

/** Serialises issuing per practice and form, so two doctors cannot both take the last unit of a budget. */
export async function lockBudget(q: Queryable, facilityId: string, form: string): Promise<void> {
  await q.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`referral_budget:${facilityId}:${form}`}))`);
}

export async function insertReferral(q: Queryable, r: Omit<ReferralRow, 'nrn' | 'acknowledged_at' | 'nhis_error' | 'nhis_attempts' | 'cancel_reason' | 'used_at' | 'used_by_facility_id' | 'used_for_request_id' | 'created_at' | 'status'> & { createdBy: string; stepUpId: string; now: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO referral (id, replaces_id, revision, patient_id, facility_id, practitioner_id, encounter_id, form, issued_on, valid_until, content_enc, content_sha256,
      signature, signing_key_id, step_up_id, signed_at, lrn, status, created_by_account_id, created_at)
    VALUES (${r.id}, ${r.replaces_id}, ${r.revision}, ${r.patient_id}, ${r.facility_id}, ${r.practitioner_id}, ${r.encounter_id}, ${r.form}, ${r.issued_on}::date, ${r.valid_until}::date,
      ${r.content_enc}, ${r.content_sha256}, ${r.signature}, ${r.signing_key_id}, ${r.stepUpId}, ${(r.signed_at as Date).toISOString()}, ${r.lrn}, 'pending', ${r.createdBy}, ${r.now.toISOString()})`);
}

export async function insertPrescription(q: Queryable, r: Omit<PrescriptionRow, 'nrn' | 'acknowledged_at' | 'nhis_error' | 'nhis_attempts' | 'cancel_reason' | 'dispensation_enc' | 'created_at' | 'status'> & { createdBy: string; stepUpId: string; now: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO prescription (id, replaces_id, revision, patient_id, facility_id, practitioner_id, encounter_id, kind, issued_on, content_enc, content_sha256,
      signature, signing_key_id, step_up_id, signed_at, lrn, status, created_by_account_id, created_at)
    VALUES (${r.id}, ${r.replaces_id}, ${r.revision}, ${r.patient_id}, ${r.facility_id}, ${r.practitioner_id}, ${r.encounter_id}, ${r.kind}, ${r.issued_on}::date,
      ${r.content_enc}, ${r.content_sha256}, ${r.signature}, ${r.signing_key_id}, ${r.stepUpId}, ${(r.signed_at as Date).toISOString()}, ${r.lrn}, 'pending', ${r.createdBy}, ${r.now.toISOString()})`);
}

export async function findReferral(q: Queryable, id: string, forUpdate = false): Promise<ReferralRow | undefined> {
  return one<ReferralRow>(q, sql`SELECT *, ${DATES}, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM referral WHERE id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}
export async function findReferralByNrn(q: Queryable, nrn: string): Promise<ReferralRow | undefined> {
  return one<ReferralRow>(q, sql`SELECT *, ${DATES}, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM referral WHERE nrn = ${nrn}`);
}
export async function listReferrals(q: Queryable, patientId: string): Promise<ReferralRow[]> {
  const r = await q.execute<ReferralRow & Record<string, unknown>>(sql`SELECT *, ${DATES}, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM referral r WHERE patient_id = ${patientId} ORDER BY r.issued_on DESC, r.created_at DESC`);
  return r.rows;
}
export async function findPrescription(q: Queryable, id: string, forUpdate = false): Promise<PrescriptionRow | undefined> {
  return one<PrescriptionRow>(q, sql`SELECT *, ${DATES} FROM prescription WHERE id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`);
}
export async function listPrescriptions(q: Queryable, patientId: string): Promise<PrescriptionRow[]> {
  const r = await q.execute<PrescriptionRow & Record<string, unknown>>(sql`SELECT *, ${DATES} FROM prescription p WHERE patient_id = ${patientId} ORDER BY p.issued_on DESC, p.created_at DESC`);
  return r.rows;
}

/** The latest documents a doctor issued (their own list), newest first. */
export async function listIssuedBy(q: Queryable, practitionerId: string, limit: number): Promise<{ referrals: ReferralRow[]; prescriptions: PrescriptionRow[] }> {
  const r = await q.execute<ReferralRow & Record<string, unknown>>(sql`SELECT *, ${DATES}, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM referral WHERE practitioner_id = ${practitionerId} ORDER BY created_at DESC LIMIT ${limit}`);
  const p = await q.execute<PrescriptionRow & Record<string, unknown>>(sql`SELECT *, ${DATES} FROM prescription WHERE practitioner_id = ${practitionerId} ORDER BY created_at DESC LIMIT ${limit}`);
  return { referrals: r.rows, prescriptions: p.rows };
}

/** Hospitals contracted for a clinical pathway on a date (R-REF-07), by name. */
export async function hospitalsForPathway(q: Queryable, pathway: string, on: string): Promise<{ facility_id: string; name: string; settlement: string }[]> {
  const r = await q.execute<{ facility_id: string; name: string; settlement: string }>(sql`
    SELECT DISTINCT f.id AS facility_id, f.name, f.settlement FROM hospital_pathway_contract h JOIN facility f ON f.id = h.facility_id
    WHERE h.pathway_code = ${pathway} AND h.valid_from <= ${on}::date AND (h.valid_to IS NULL OR ${on}::date < h.valid_to) ORDER BY f.name LIMIT 50`);
  return r.rows;
}

const table = (kind: DocKind) => (kind === 'referral' ? sql`referral` : sql`prescription`);

/**
 * Moves a document's NHIS state, only from the expected status (idempotent handlers, concurrent use).
 * @returns whether the row moved
 */
export async function moveStatus(
  q: Queryable,
  kind: DocKind,
  id: string,
  from: readonly DocStatus[],
  to: { status: DocStatus; nrn?: string; acknowledgedAt?: Date; nhisError?: string | null; addAttempts?: number; cancelReason?: string; usedAt?: Date; usedByFacilityId?: string; usedByPractitionerId?: string; usedForRequestId?: string; dispensationEnc?: Buffer },
): Promise<boolean> {
  const sets = [sql`status = ${to.status}`];
  if (to.nrn !== undefined) sets.push(sql`nrn = ${to.nrn}`);
  if (to.acknowledgedAt) sets.push(sql`acknowledged_at = ${to.acknowledgedAt.toISOString()}`);
  if (to.nhisError !== undefined) sets.push(sql`nhis_error = ${to.nhisError}`);
  if (to.addAttempts) sets.push(sql`nhis_attempts = nhis_attempts + ${to.addAttempts}`);
  if (to.cancelReason !== undefined) sets.push(sql`cancel_reason = ${to.cancelReason}`);
  if (to.usedAt) sets.push(sql`used_at = ${to.usedAt.toISOString()}, used_by_facility_id = ${to.usedByFacilityId ?? null}, used_by_practitioner_id = ${to.usedByPractitionerId ?? null}`);
  if (to.usedForRequestId) sets.push(sql`used_for_request_id = ${to.usedForRequestId}`);
  if (to.dispensationEnc) sets.push(sql`dispensation_enc = ${to.dispensationEnc}`);
  const r = await q.execute(sql`UPDATE ${table(kind)} SET ${sql.join(sets, sql`, `)} WHERE id = ${id} AND status IN (${sql.join(from.map((s) => sql`${s}`), sql`, `)}) RETURNING id`);
  return r.rows.length === 1;
}

export async function isReplaced(q: Queryable, kind: DocKind, id: string): Promise<boolean> {
  const r = await q.execute(sql`SELECT 1 FROM ${table(kind)} WHERE replaces_id = ${id}`);
  return r.rows.length > 0;
}

export async function recordAttemptError(q: Queryable, kind: DocKind, id: string, error: string): Promise<void> {
  await q.execute(sql`UPDATE ${table(kind)} SET nhis_attempts = nhis_attempts + 1, nhis_error = ${error} WHERE id = ${id}`);
}

export async function insertAttempt(q: Queryable, a: { id: string; kind: DocKind; documentId: string; messageType: string; messageId: string; at: string; outcome: string; error: string | null; durationMs: number }): Promise<void> {
  await q.execute(sql`INSERT INTO nhis_document_attempt (id, document_kind, document_id, message_type, message_id, at, outcome, error, duration_ms)
    VALUES (${a.id}, ${a.kind}, ${a.documentId}, ${a.messageType}, ${a.messageId}, ${a.at}, ${a.outcome}, ${a.error}, ${a.durationMs})`);
}

export async function facilityNames(q: Queryable, ids: readonly string[]): Promise<Map<string, { name: string; number: string; type: string }>> {
  if (ids.length === 0) return new Map();
  const r = await q.execute<{ id: string; name: string; number: string; type_code: string }>(sql`SELECT id, name, trim(number) AS number, type_code FROM facility WHERE id IN (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
  return new Map(r.rows.map((x) => [x.id, { name: x.name, number: x.number, type: x.type_code }]));
}

// Medicines nomenclature

export async function findMedicines(q: Queryable, codes: readonly string[]): Promise<MedicineRow[]> {
  if (codes.length === 0) return [];
  const r = await q.execute<MedicineRow & Record<string, unknown>>(sql`SELECT code, name, inn, dosage_form, strength, pack, atc, nhif_reimbursed, protocol_required, source FROM medicine WHERE code IN (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})`);
  return r.rows;
}

export async function searchMedicines(q: Queryable, text: string, limit: number): Promise<MedicineRow[]> {
  const like = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const r = await q.execute<MedicineRow & Record<string, unknown>>(
    sql`SELECT code, name, inn, dosage_form, strength, pack, atc, nhif_reimbursed, protocol_required, source FROM medicine
      WHERE lower(name) LIKE ${like} OR lower(inn) LIKE ${like} OR lower(code) LIKE ${like} ORDER BY name LIMIT ${limit}`,
  );
  return r.rows;
}

export async function upsertMedicines(q: Queryable, rows: readonly MedicineRow[], now: Date): Promise<number> {
  for (const m of rows) {
    await q.execute(sql`INSERT INTO medicine (code, name, inn, dosage_form, strength, pack, atc, nhif_reimbursed, protocol_required, source, updated_at)
      VALUES (${m.code}, ${m.name}, ${m.inn}, ${m.dosage_form}, ${m.strength}, ${m.pack}, ${m.atc}, ${m.nhif_reimbursed}, ${m.protocol_required}, ${m.source}, ${now.toISOString()})
      ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, inn = EXCLUDED.inn, dosage_form = EXCLUDED.dosage_form, strength = EXCLUDED.strength, pack = EXCLUDED.pack,
        atc = EXCLUDED.atc, nhif_reimbursed = EXCLUDED.nhif_reimbursed, protocol_required = EXCLUDED.protocol_required, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at`);
  }
  return rows.length;
}

/** The booked service's facts a referral is checked against (W14): registry rows, read only. */
export async function serviceForBooking(q: Queryable, serviceId: string, slotId: string | null): Promise<{ facility_id: string; specialty_code: string; nhif_paid: boolean; slot_start: Date | string | null } | undefined> {
  return one(
    q,
    sql`SELECT fs.facility_id, fs.specialty_code, fs.nhif_paid, (SELECT s.start FROM slot s WHERE s.id = ${slotId} AND s.service_id = fs.id) AS slot_start
      FROM facility_service fs WHERE fs.id = ${serviceId}`,
  );
}

/** Gives back the referral a booking reserved (the booking failed, or the request ended before the visit). */
export async function releaseReferralOf(q: Queryable, requestId: string): Promise<{ id: string; patient_id: string; facility_id: string; form: ReferralRow['form'] } | undefined> {
  return one(
    q,
    sql`UPDATE referral SET status = 'issued', used_at = NULL, used_by_facility_id = NULL, used_by_practitioner_id = NULL, used_for_request_id = NULL
      WHERE used_for_request_id = ${requestId} AND status = 'used' RETURNING id, patient_id, facility_id, form`,
  );
}

/** R-REF-02: a secondary examination on a used № 3 (a booking's, or the specialist's record). */
export async function insertSecondaryVisit(q: Queryable, v: { id: string; referralId: string; patientId: string; facilityId: string; requestId: string | null; practitionerId: string | null; visitOn: string; now: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO referral_secondary_visit (id, referral_id, patient_id, facility_id, request_id, practitioner_id, visit_on, created_at)
    VALUES (${v.id}, ${v.referralId}, ${v.patientId}, ${v.facilityId}, ${v.requestId}, ${v.practitionerId}, ${v.visitOn}::date, ${v.now.toISOString()}::timestamptz)`);
}

/** Gives back a booking's secondary visit (the booking failed, or its request ended before the visit). */
export async function releaseSecondaryOf(q: Queryable, requestId: string): Promise<{ id: string; patient_id: string; facility_id: string; form: ReferralRow['form'] } | undefined> {
  return one(
    q,
    sql`WITH d AS (DELETE FROM referral_secondary_visit WHERE request_id = ${requestId} RETURNING referral_id)
      SELECT r.id, r.patient_id, r.facility_id, r.form FROM d JOIN referral r ON r.id = d.referral_id`,
  );
}

/**
 * Reservations a booking made between two instants: referrals marked used for a request, and secondary
 * visits written for one (the sweep checks whether each booking exists).
 */
export async function reservationsBetween(q: Queryable, from: Date, to: Date, limit: number): Promise<{ request_id: string; use: 'primary' | 'secondary' }[]> {
  const r = await q.execute<{ request_id: string; use: 'primary' | 'secondary' }>(
    sql`(SELECT used_for_request_id AS request_id, 'primary' AS use FROM referral
          WHERE status = 'used' AND used_for_request_id IS NOT NULL AND used_at >= ${from.toISOString()}::timestamptz AND used_at < ${to.toISOString()}::timestamptz
          ORDER BY used_at LIMIT ${limit})
        UNION ALL
        (SELECT request_id, 'secondary' AS use FROM referral_secondary_visit
          WHERE request_id IS NOT NULL AND created_at >= ${from.toISOString()}::timestamptz AND created_at < ${to.toISOString()}::timestamptz
          ORDER BY created_at LIMIT ${limit})`,
  );
  return r.rows;
}
