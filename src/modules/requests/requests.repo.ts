import { sql } from 'drizzle-orm';
import type { StatementRunner, Queryable } from '../../platform/db/index.js';
import { normaliseRow, rows } from '../../platform/db/rows.js';
import { AUDIT_INSERT_SQL } from '../../platform/audit/audit-log.js';
import type { AppointmentStatus, Mode, RequestStatus, Urgency } from '../../contracts/requests.js';

// SQL only (STYLE C7). Reads of facility, practitioner, specialty, facility_service, slot and
// emergency_contract are plain SQL against the registry and scheduling tables (migrations/0006): the
// booking must take the slot, check the published service and insert the request and its appointment
// in ONE statement (the hot path of the booking benchmark), which no cross-module call can do.

type Row = Record<string, unknown>;

const iso = (d: Date) => d.toISOString();

// ---------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------

export interface RequestRow {
  id: string;
  urgency: Urgency;
  mode: Mode;
  status: RequestStatus;
  version: number;
  requester_kind: 'patient' | 'representative' | 'specialist';
  requester_account_id: string;
  requester_practitioner_id: string | null;
  requester_practitioner_name: string | null;
  requester_facility_id: string | null;
  requester_facility_name: string | null;
  recipient_kind: 'patient' | 'specialist';
  recipient_practitioner_id: string | null;
  recipient_practitioner_name: string | null;
  recipient_facility_id: string | null;
  recipient_facility_name: string | null;
  patient_id: string | null;
  provider_facility_id: string;
  provider_facility_name: string;
  specialty_code: string;
  specialty_name_bg: string;
  specialty_name_en: string;
  service_id: string | null;
  service_name: string | null;
  practitioner_id: string | null;
  practitioner_name: string | null;
  slot_id: string | null;
  form_enc: Buffer;
  escalation_position: number | null;
  accepted_at: Date | null;
  accepted_by_account_id: string | null;
  created_at: Date;
  updated_at: Date;
  appointment_id: string | null;
  appointment_practitioner_id: string | null;
  appointment_facility_id: string | null;
  appointment_start: Date | null;
  appointment_end: Date | null;
  appointment_status: AppointmentStatus | null;
  appointment_version: number | null;
  /** The provider facility's change rules (request_policy); null when it has none (DEFAULT_POLICY applies). */
  requester_change_min_minutes: number | null;
  provider_change_min_minutes: number | null;
}

const pname = (alias: string) => sql.raw(`CASE WHEN ${alias}.id IS NULL THEN NULL ELSE ${alias}.given_name || ' ' || ${alias}.family_name END`);

const SELECT_REQUEST = sql`
  SELECT r.id, r.urgency, r.mode, r.status, r.version,
    r.requester_kind, r.requester_account_id, r.requester_practitioner_id, ${pname('rp')} AS requester_practitioner_name,
    r.requester_facility_id, rf.name AS requester_facility_name,
    r.recipient_kind, r.recipient_practitioner_id, ${pname('cp')} AS recipient_practitioner_name,
    r.recipient_facility_id, cf.name AS recipient_facility_name,
    r.patient_id, r.provider_facility_id, f.name AS provider_facility_name,
    r.specialty_code, sp.name_bg AS specialty_name_bg, sp.name_en AS specialty_name_en,
    r.service_id, fs.name AS service_name, r.practitioner_id, ${pname('p')} AS practitioner_name,
    r.slot_id, r.form_enc, r.escalation_position, r.accepted_at, r.accepted_by_account_id, r.created_at, r.updated_at,
    a.id AS appointment_id, a.practitioner_id AS appointment_practitioner_id, a.facility_id AS appointment_facility_id,
    a.start AS appointment_start, a."end" AS appointment_end, a.status AS appointment_status, a.version AS appointment_version,
    pol.requester_change_min_minutes, pol.provider_change_min_minutes
  FROM service_request r
  JOIN facility f ON f.id = r.provider_facility_id
  LEFT JOIN request_policy pol ON pol.facility_id = r.provider_facility_id
  JOIN specialty sp ON sp.code = r.specialty_code
  LEFT JOIN facility_service fs ON fs.id = r.service_id
  LEFT JOIN practitioner p ON p.id = r.practitioner_id
  LEFT JOIN practitioner rp ON rp.id = r.requester_practitioner_id
  LEFT JOIN facility rf ON rf.id = r.requester_facility_id
  LEFT JOIN practitioner cp ON cp.id = r.recipient_practitioner_id
  LEFT JOIN facility cf ON cf.id = r.recipient_facility_id
  LEFT JOIN LATERAL (
    SELECT * FROM appointment ap WHERE ap.request_id = r.id ORDER BY (ap.status IN ('cancelled', 'noshow', 'entered-in-error')), ap.created_at DESC LIMIT 1
  ) a ON true`;

export async function findRequest(q: Queryable, id: string): Promise<RequestRow | undefined> {
  const [row] = await rows<RequestRow>(q, sql`${SELECT_REQUEST} WHERE r.id = ${id}`);
  return row;
}

export async function findRequestByIdempotencyKey(q: Queryable, accountId: string, key: string): Promise<(RequestRow & { idempotency_hash: string | null }) | undefined> {
  const [row] = await rows<RequestRow & { idempotency_hash: string | null }>(
    q,
    sql`SELECT x.*, r2.idempotency_hash FROM (${SELECT_REQUEST} WHERE r.requester_account_id = ${accountId} AND r.idempotency_key = ${key}) x
        JOIN service_request r2 ON r2.id = x.id`,
  );
  return row;
}

/** Requests filed by an account, or about the given patients. */
export async function listRequestsForRequester(q: Queryable, accountId: string, patientIds: readonly string[], limit = 200): Promise<RequestRow[]> {
  const patients = patientIds.length > 0 ? sql`OR r.patient_id IN (${sql.join(patientIds.map((p) => sql`${p}`), sql`, `)})` : sql``;
  return rows<RequestRow>(q, sql`${SELECT_REQUEST} WHERE (r.requester_account_id = ${accountId} ${patients}) ORDER BY COALESCE(a.start, r.created_at) DESC LIMIT ${limit}`);
}

/**
 * The provider side's open requests: the specialist's own planned ones and the emergencies routed to a
 * rota the specialist is on (still unacknowledged) or acknowledged by the specialist.
 */
export async function listWorklist(q: Queryable, practitionerId: string, facilityIds: readonly string[], limit = 300): Promise<RequestRow[]> {
  if (facilityIds.length === 0) return [];
  const facilities = sql.join(facilityIds.map((f) => sql`${f}`), sql`, `);
  return rows<RequestRow>(
    q,
    sql`${SELECT_REQUEST}
      WHERE r.status IN ('requested', 'accepted', 'scheduled', 'in_progress', 'completed')
        AND (r.practitioner_id = ${practitionerId}
          OR (r.urgency = 'emergency' AND r.status = 'requested' AND r.provider_facility_id IN (${facilities})
              AND EXISTS (SELECT 1 FROM emergency_rota er WHERE er.facility_id = r.provider_facility_id
                          AND er.specialty_code = r.specialty_code AND er.practitioner_id = ${practitionerId})))
      ORDER BY (r.urgency = 'emergency') DESC, COALESCE(a.start, r.created_at) ASC
      LIMIT ${limit}`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Booking (the hot path)
// ---------------------------------------------------------------------------------------------------

export interface NewRequest {
  id: string;
  urgency: Urgency;
  mode: Mode;
  requesterKind: 'patient' | 'representative' | 'specialist';
  requesterAccountId: string;
  requesterPractitionerId: string | null;
  requesterFacilityId: string | null;
  recipientKind: 'patient' | 'specialist';
  recipientPractitionerId: string | null;
  recipientFacilityId: string | null;
  patientId: string | null;
  providerFacilityId: string;
  specialtyCode: string;
  serviceId: string | null;
  practitionerId: string | null;
  formEnc: Buffer;
  idempotencyKey: string | null;
  idempotencyHash: string | null;
  escalationPosition: number | null;
  now: Date;
}

export interface BookedRow {
  slot_id: string;
  practitioner_id: string;
  practitioner_name: string;
  service_id: string;
  service_name: string;
  provider_facility_name: string;
  specialty_name_bg: string;
  specialty_name_en: string;
  start: Date;
  end: Date;
  /** The facility's change rules (request_policy), null without a policy row. */
  requester_change_min_minutes: number | null;
  provider_change_min_minutes: number | null;
}

/** Runs one named (prepared) statement on a pool connection, outside any transaction of the caller. */

// The platform's append statement names the columns `AuditLog.appendWith` fills, in that order; the
// booking statement appends the same row, sealed by the application (docs/audit.md).
const AUDIT_COLUMNS = /^INSERT INTO audit_event \(([a-z_, ]+)\) VALUES \(/.exec(AUDIT_INSERT_SQL)?.[1];
if (!AUDIT_COLUMNS) throw new Error('requests.repo: AUDIT_INSERT_SQL is not an INSERT INTO audit_event (…) VALUES (…)');
const AUDIT_COLUMN_COUNT = AUDIT_COLUMNS.split(',').length;
// The booking's own parameters are $1..$22 (see `bookSlot`); the audit row's follow.
const AUDIT_PARAM_BASE = 22;
const AUDIT_PARAMS = Array.from({ length: AUDIT_COLUMN_COUNT }, (_, i) => `$${AUDIT_PARAM_BASE + i + 1}`).join(', ');

// Performance (bench/booking.ts): a booking is this one statement and one round trip; as a
// single statement it is its own transaction, so the slot, the request, its appointment, its history
// row, the audit event and the outbox message commit together or not at all (STYLE C7, C13, C20).
// Named (a prepared statement): each pool connection parses it once and, after a few executions,
// reuses one generic plan instead of planning this statement for every booking.
const BOOK_SQL = `WITH s AS (
    UPDATE slot SET status = 'busy'
    WHERE id = $1 AND status = 'free' AND facility_id = $2 AND specialty_code = $3 AND start > $4::timestamptz
      AND ($5::uuid IS NULL OR service_id = $5::uuid)
      AND ($6::uuid IS NULL OR practitioner_id = $6::uuid)
      AND EXISTS (SELECT 1 FROM facility_service fs WHERE fs.id = slot.service_id AND fs.status = 'published' AND fs.mode = 'synchronous')
    RETURNING id, practitioner_id, service_id, start, "end"
  ), ins AS (
    INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, requester_practitioner_id,
      requester_facility_id, recipient_kind, recipient_practitioner_id, recipient_facility_id, patient_id, provider_facility_id,
      specialty_code, service_id, practitioner_id, slot_id, form_enc, idempotency_key, idempotency_hash, created_at, updated_at)
    SELECT $7::uuid, 'planned', 'synchronous', 'requested', $8::text, $9::uuid, $10::uuid,
      $11::uuid, $12::text, $13::uuid, $14::uuid, $15::uuid, $2::uuid,
      $3::text, s.service_id, s.practitioner_id, s.id, $16::bytea, $17::text, $18::text, $4::timestamptz, $4::timestamptz
    FROM s
    RETURNING id
  ), appt AS (
    INSERT INTO appointment (id, request_id, practitioner_id, facility_id, slot_id, start, "end", block_start, block_end, status, created_at, updated_at)
    SELECT $19::uuid, ins.id, s.practitioner_id, $2::uuid, s.id, s.start, s."end", s.start, s."end", 'pending', $4::timestamptz, $4::timestamptz
    FROM s, ins
    RETURNING id
  ), ev AS (
    INSERT INTO service_request_event (id, request_id, action, from_status, to_status, side, actor_account_id, at)
    SELECT $20::uuid, ins.id, 'file', NULL, 'requested', 'requester', $9::uuid, $4::timestamptz FROM ins
    RETURNING id
  ), ob AS (
    INSERT INTO outbox (id, type, payload, available_at, created_at)
    SELECT $21::uuid, 'request.notify', $22::jsonb, $4::timestamptz, $4::timestamptz FROM ins
    RETURNING id
  ), au AS (
    INSERT INTO audit_event (${AUDIT_COLUMNS}) SELECT ${AUDIT_PARAMS} FROM ins
    RETURNING seq
  )
  SELECT s.id AS slot_id, s.practitioner_id, p.given_name || ' ' || p.family_name AS practitioner_name, s.service_id, fs.name AS service_name,
    f.name AS provider_facility_name, sp.name_bg AS specialty_name_bg, sp.name_en AS specialty_name_en, s.start, s."end",
    pol.requester_change_min_minutes, pol.provider_change_min_minutes
  FROM s JOIN appt ON true JOIN ev ON true JOIN ob ON true JOIN au ON true
    JOIN practitioner p ON p.id = s.practitioner_id JOIN facility_service fs ON fs.id = s.service_id
    JOIN facility f ON f.id = $2::uuid JOIN specialty sp ON sp.code = $3::text
    LEFT JOIN request_policy pol ON pol.facility_id = $2::uuid`;

/**
 * Books a planned real-time request in one statement: takes the free slot and inserts the request,
 * its pending appointment, its first history row, the outbox message and the audit event.
 * Concurrency: the `UPDATE … WHERE status = 'free'` row lock makes a second booking of the same slot
 * wait and then find it busy (no row, nothing written); a booking of another slot that overlaps the
 * specialist's time fails on the exclusion constraint (23P01) and writes nothing. Either way the
 * caller answers appointment.slot_taken.
 * @param db - a pool: the statement runs as its own transaction (never inside the caller's)
 * @param r - the request, the slot, the new ids, the outbox payload and the audit row's parameters
 * @returns the taken slot, or undefined when the slot was not free or did not match the form
 */
export async function bookSlot(
  db: StatementRunner,
  r: NewRequest & { slotId: string; appointmentId: string; eventId: string; practitionerFilter: string | null; outboxId: string; outboxPayload: Record<string, unknown>; audit: readonly unknown[] },
): Promise<BookedRow | undefined> {
  // Fail loudly: a changed audit row must not shift the parameters silently.
  if (r.audit.length !== AUDIT_COLUMN_COUNT) throw new Error(`requests.repo: ${r.audit.length} audit values for ${AUDIT_COLUMN_COUNT} columns`);
  const res = await db.query({
    name: 'requests.book_slot',
    text: BOOK_SQL,
    values: [
      r.slotId, r.providerFacilityId, r.specialtyCode, iso(r.now), r.serviceId, r.practitionerFilter,
      r.id, r.requesterKind, r.requesterAccountId, r.requesterPractitionerId, r.requesterFacilityId,
      r.recipientKind, r.recipientPractitionerId, r.recipientFacilityId, r.patientId, r.formEnc, r.idempotencyKey, r.idempotencyHash,
      r.appointmentId, r.eventId, r.outboxId, JSON.stringify(r.outboxPayload),
      ...r.audit,
    ],
  });
  const [row] = (res.rows as Row[]).map(normaliseRow) as unknown as BookedRow[];
  return row;
}

export interface SlotInfo {
  id: string;
  status: string;
  facility_id: string;
  specialty_code: string;
  practitioner_id: string;
  service_id: string;
  start: Date;
  end: Date;
  service_status: string;
  service_mode: string;
}

/** The slot and its service, to explain a failed booking. */
export async function findSlot(q: Queryable, slotId: string): Promise<SlotInfo | undefined> {
  const [row] = await rows<SlotInfo>(
    q,
    sql`SELECT s.id, s.status, s.facility_id, s.specialty_code, s.practitioner_id, s.service_id, s.start, s."end",
          fs.status AS service_status, fs.mode AS service_mode
        FROM slot s JOIN facility_service fs ON fs.id = s.service_id WHERE s.id = ${slotId}`,
  );
  return row;
}

export interface ServiceInfo {
  id: string;
  facility_id: string;
  specialty_code: string;
  mode: Mode;
  status: string;
}

export async function findService(q: Queryable, serviceId: string): Promise<ServiceInfo | undefined> {
  const [row] = await rows<ServiceInfo>(q, sql`SELECT id, facility_id, specialty_code, mode, status FROM facility_service WHERE id = ${serviceId}`);
  return row;
}

/** Whether the practitioner works (active role) at the facility and holds the specialty. */
export async function practitionerServes(q: Queryable, practitionerId: string, facilityId: string, specialtyCode: string): Promise<boolean> {
  const r = await rows(
    q,
    sql`SELECT 1 FROM practitioner_role pr JOIN practitioner_specialty ps ON ps.practitioner_id = pr.practitioner_id
        WHERE pr.practitioner_id = ${practitionerId} AND pr.facility_id = ${facilityId} AND pr.active AND ps.specialty_code = ${specialtyCode}`,
  );
  return r.length > 0;
}

/** Inserts a request without a slot (store and forward, emergencies). */
export async function insertRequest(q: Queryable, r: NewRequest): Promise<void> {
  const now = iso(r.now);
  await q.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, requester_practitioner_id,
      requester_facility_id, recipient_kind, recipient_practitioner_id, recipient_facility_id, patient_id, provider_facility_id,
      specialty_code, service_id, practitioner_id, slot_id, form_enc, idempotency_key, idempotency_hash, escalation_position, created_at, updated_at)
    VALUES (${r.id}, ${r.urgency}, ${r.mode}, 'requested', ${r.requesterKind}, ${r.requesterAccountId}, ${r.requesterPractitionerId},
      ${r.requesterFacilityId}, ${r.recipientKind}, ${r.recipientPractitionerId}, ${r.recipientFacilityId}, ${r.patientId}, ${r.providerFacilityId},
      ${r.specialtyCode}, ${r.serviceId}, ${r.practitionerId}, NULL, ${r.formEnc}, ${r.idempotencyKey}, ${r.idempotencyHash}, ${r.escalationPosition},
      ${now}::timestamptz, ${now}::timestamptz)`);
}

// ---------------------------------------------------------------------------------------------------
// Transitions (compare-and-swap, STYLE C9)
// ---------------------------------------------------------------------------------------------------

/**
 * Moves a request to `to` only if it is still in one of `from` (and at `version`, when given).
 * @returns the new version, or undefined when nothing matched
 */
export async function casRequestStatus(
  q: Queryable,
  id: string,
  from: readonly RequestStatus[],
  to: RequestStatus,
  now: Date,
  extra: { version?: number; acceptedBy?: { accountId: string; practitionerId: string } } = {},
): Promise<{ version: number; status: RequestStatus } | undefined> {
  const fromList = sql.join(from.map((s) => sql`${s}`), sql`, `);
  const accept = extra.acceptedBy
    ? sql`, accepted_at = ${iso(now)}::timestamptz, accepted_by_account_id = ${extra.acceptedBy.accountId}, practitioner_id = COALESCE(practitioner_id, ${extra.acceptedBy.practitionerId})`
    : sql``;
  const version = extra.version === undefined ? sql`` : sql` AND version = ${extra.version}`;
  const [row] = await rows<{ version: number; status: RequestStatus }>(
    q,
    sql`UPDATE service_request SET status = ${to}, version = version + 1, updated_at = ${iso(now)}::timestamptz ${accept}
        WHERE id = ${id} AND status IN (${fromList})${version}
        RETURNING version, status`,
  );
  return row;
}

/** Sets a live appointment's status (compare-and-swap on its current status). */
export async function casAppointmentStatus(q: Queryable, id: string, from: AppointmentStatus, to: AppointmentStatus, now: Date): Promise<boolean> {
  if (from === to) return true;
  const r = await rows(q, sql`UPDATE appointment SET status = ${to}, version = version + 1, updated_at = ${iso(now)}::timestamptz WHERE id = ${id} AND status = ${from} RETURNING id`);
  return r.length > 0;
}

/** Frees a slot again (cancellation, decline, reschedule): only a busy slot becomes free. */
export async function releaseSlot(q: Queryable, slotId: string): Promise<void> {
  await q.execute(sql`UPDATE slot SET status = 'free' WHERE id = ${slotId} AND status = 'busy'`);
}

/**
 * Takes another free slot of the same specialist and service for a request (reschedule): the slot
 * becomes busy and a new pending/booked appointment is inserted; the exclusion constraint guards overlaps.
 */
export async function takeSlotForReschedule(
  q: Queryable,
  p: { slotId: string; requestId: string; appointmentId: string; practitionerId: string; serviceId: string; facilityId: string; status: AppointmentStatus; now: Date },
): Promise<{ start: Date; end: Date } | undefined> {
  const now = iso(p.now);
  const [row] = await rows<{ start: Date; end: Date }>(
    q,
    sql`WITH s AS (
        UPDATE slot SET status = 'busy'
        WHERE id = ${p.slotId} AND status = 'free' AND practitioner_id = ${p.practitionerId} AND service_id = ${p.serviceId} AND start > ${now}::timestamptz
        RETURNING id, start, "end"
      ), appt AS (
        INSERT INTO appointment (id, request_id, practitioner_id, facility_id, slot_id, start, "end", block_start, block_end, status, created_at, updated_at)
        SELECT ${p.appointmentId}, ${p.requestId}, ${p.practitionerId}, ${p.facilityId}, s.id, s.start, s."end", s.start, s."end", ${p.status}, ${now}::timestamptz, ${now}::timestamptz
        FROM s RETURNING id
      )
      SELECT s.start, s."end" FROM s, appt`,
  );
  return row;
}

export async function setRequestSlot(q: Queryable, requestId: string, slotId: string): Promise<void> {
  await q.execute(sql`UPDATE service_request SET slot_id = ${slotId} WHERE id = ${requestId}`);
}

// ---------------------------------------------------------------------------------------------------
// Accounts and emergency routing
// ---------------------------------------------------------------------------------------------------

/** The practitioner a specialist account signs in as. */
export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | undefined> {
  const [row] = await rows<{ practitioner_id: string | null }>(q, sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`);
  return row?.practitioner_id ?? undefined;
}

/** The specialist account of a practitioner (for notifications). */
export async function accountOfPractitioner(q: Queryable, practitionerId: string): Promise<string | undefined> {
  const [row] = await rows<{ id: string }>(q, sql`SELECT id FROM user_account WHERE practitioner_id = ${practitionerId} AND status = 'active'`);
  return row?.id;
}

export async function practitionerName(q: Queryable, practitionerId: string): Promise<string | undefined> {
  const [row] = await rows<{ name: string }>(q, sql`SELECT given_name || ' ' || family_name AS name FROM practitioner WHERE id = ${practitionerId}`);
  return row?.name;
}

export async function facilityTimeZone(q: Queryable, facilityId: string): Promise<string | undefined> {
  const [row] = await rows<{ time_zone: string }>(q, sql`SELECT time_zone FROM facility WHERE id = ${facilityId} AND status = 'active'`);
  return row?.time_zone;
}

export async function findAppointment(q: Queryable, id: string): Promise<{ request_id: string; status: AppointmentStatus } | undefined> {
  const [row] = await rows<{ request_id: string; status: AppointmentStatus }>(q, sql`SELECT request_id, status FROM appointment WHERE id = ${id}`);
  return row;
}

// The history, attachments and change policy of a request; emergencies between facilities (Art. 14(3)).
export * from './request-history.repo.js';
export * from './emergency.repo.js';
