import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { rows } from '../../platform/db/rows.js';
import type { Mode, RequestStatus, Urgency } from '../../contracts/requests.js';

// SQL only (STYLE C7): the facts other modules read, published through request-facts.ts and index.ts.

export type RequestFactsRow = {
  id: string;
  status: RequestStatus;
  urgency: Urgency;
  mode: Mode;
  requester_kind: 'patient' | 'representative' | 'specialist';
  requester_account_id: string;
  requester_practitioner_id: string | null;
  requester_facility_id: string | null;
  recipient_kind: 'patient' | 'specialist';
  recipient_practitioner_id: string | null;
  patient_id: string | null;
  provider_facility_id: string;
  practitioner_id: string | null;
  specialty_code: string;
  service_id: string | null;
};

export async function findRequestFacts(q: Queryable, requestId: string, lock?: 'share' | 'update'): Promise<RequestFactsRow | undefined> {
  const r = await rows<RequestFactsRow>(
    q,
    sql`SELECT r.id, r.status, r.urgency, r.mode, r.requester_kind, r.requester_account_id, r.requester_practitioner_id, r.requester_facility_id,
          r.recipient_kind, r.recipient_practitioner_id, r.patient_id, r.provider_facility_id, r.practitioner_id, r.specialty_code, r.service_id
        FROM service_request r WHERE r.id = ${requestId}
        ${lock === 'update' ? sql`FOR UPDATE OF r` : lock === 'share' ? sql`FOR SHARE OF r` : sql``}`,
  );
  return r[0];
}

/** R-TM-39: the completion instant is the request's latest `completed` transition. */
export async function findCompletedAt(q: Queryable, requestId: string): Promise<Date | undefined> {
  const r = await rows<{ at: Date }>(q, sql`SELECT at FROM service_request_event WHERE request_id = ${requestId} AND to_status = 'completed' ORDER BY at DESC LIMIT 1`);
  return r[0]?.at;
}

export async function listPatientAttachmentFacts(q: Queryable, patientId: string): Promise<{ id: string; request_id: string; facility_id: string; content_type: string; size_bytes: number; created_at: Date }[]> {
  return rows(
    q,
    sql`SELECT a.id, a.request_id, r.provider_facility_id AS facility_id, a.content_type, a.size_bytes, a.created_at FROM request_attachment a JOIN service_request r ON r.id = a.request_id
        WHERE r.patient_id = ${patientId} ORDER BY a.created_at DESC LIMIT 500`,
  );
}

/** The ids of a patient's requests. */
export async function findPatientRequestIds(q: Queryable, patientId: string): Promise<string[]> {
  return (await rows<{ id: string }>(q, sql`SELECT id FROM service_request WHERE patient_id = ${patientId}`)).map((r) => r.id);
}

/** Which of these requests exist, with their status and the start of their live appointment (if any). */
export async function findRequestVisits(q: Queryable, requestIds: readonly string[]): Promise<{ id: string; status: RequestStatus; provider_facility_id: string; visit_start: Date | null }[]> {
  if (requestIds.length === 0) return [];
  return rows(
    q,
    sql`SELECT r.id, r.status, r.provider_facility_id,
          (SELECT a.start FROM appointment a WHERE a.request_id = r.id AND a.status NOT IN ('cancelled', 'noshow', 'entered-in-error')) AS visit_start
        FROM service_request r WHERE r.id IN (${sql.join(requestIds.map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
}
