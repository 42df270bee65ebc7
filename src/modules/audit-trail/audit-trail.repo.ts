import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

/** One audit event joined with what may be shown about its actor and facility. */
export interface AccessLogRow {
  id: string;
  recorded_at: string;
  action: string;
  outcome: 'success' | 'denied' | 'failure';
  actor_type: 'user' | 'system' | 'anonymous' | 'client';
  actor_id: string | null;
  actor_role: string | null;
  practitioner_given_name: string | null;
  practitioner_family_name: string | null;
  facility_id: string | null;
  facility_name: string | null;
  reason: string | null;
  /** The legal basis of the supervision case the event was done under, if any (Art. 21). */
  supervision_legal_basis: string | null;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
/** Events done under a supervision case carry the reason `supervision_case:<uuid>` (17 characters, then the id). */
const SUPERVISION_REASON = '^supervision_case:[0-9a-f-]{36}$';

/**
 * Events about one patient, newest first, keyset-paginated on recorded_at.
 * Security: the practitioner's name comes only through the actor's account (public directory data).
 */
export async function listPatientEvents(q: Queryable, patientId: string, before: { at: string; id: string } | undefined, limit: number): Promise<AccessLogRow[]> {
  const result = await q.execute<AccessLogRow & Record<string, unknown>>(sql`
    SELECT e.id::text AS id, to_char(e.recorded_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS recorded_at, e.action, e.outcome,
      e.actor_type, e.actor_id, e.actor_role, p.given_name AS practitioner_given_name, p.family_name AS practitioner_family_name,
      e.facility_id::text AS facility_id, f.name AS facility_name, e.reason, sc.legal_basis AS supervision_legal_basis
    FROM audit_event e
    LEFT JOIN user_account ua ON e.actor_type = 'user' AND ua.id = (CASE WHEN e.actor_type = 'user' THEN e.actor_id::uuid END)
    LEFT JOIN practitioner p ON p.id = ua.practitioner_id
    LEFT JOIN facility f ON f.id = e.facility_id
    LEFT JOIN supervision_case sc ON sc.id = (CASE WHEN e.reason ~ ${SUPERVISION_REASON} THEN substr(e.reason, 18)::uuid END)
    WHERE e.patient_id = ${patientId} ${before ? sql`AND (e.recorded_at, e.id) < (${before.at}::timestamptz, ${before.id}::uuid)` : sql``}
    ORDER BY e.recorded_at DESC, e.id DESC
    LIMIT ${limit}`);
  return result.rows;
}

/** One audit event as exported: every column except the clinical content it never holds. */
export interface ExportRow {
  id: string;
  chain: number;
  seq: string;
  recorded_at: string;
  action: string;
  outcome: 'success' | 'denied' | 'failure';
  actor_type: string;
  actor_id: string | null;
  actor_role: string | null;
  on_behalf_of: string | null;
  patient_id: string | null;
  facility_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  reason: string | null;
  request_id: string;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown> | null;
  hash: string;
}

/**
 * Events of one facility in [from, to), oldest first, at most `limit` rows.
 */
export async function listFacilityEvents(q: Queryable, facilityId: string, from: string, to: string, limit: number): Promise<ExportRow[]> {
  const result = await q.execute<ExportRow & Record<string, unknown>>(sql`
    SELECT e.id::text AS id, e.chain, e.seq::text AS seq, to_char(e.recorded_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS recorded_at,
      e.action, e.outcome, e.actor_type, e.actor_id, e.actor_role, e.on_behalf_of::text AS on_behalf_of, e.patient_id::text AS patient_id,
      e.facility_id::text AS facility_id, e.subject_type, e.subject_id, e.reason, e.request_id, e.ip, e.user_agent, e.data,
      encode(e.hash, 'hex') AS hash
    FROM audit_event e
    WHERE e.facility_id = ${facilityId} AND e.recorded_at >= ${from}::timestamptz AND e.recorded_at < ${to}::timestamptz
    ORDER BY e.recorded_at, e.chain, e.seq
    LIMIT ${limit}`);
  return result.rows;
}

/** Whether the facility exists (the export names an unknown facility as not found). */
export async function facilityExists(q: Queryable, facilityId: string): Promise<boolean> {
  const result = await q.execute(sql`SELECT 1 FROM facility WHERE id = ${facilityId}`);
  return result.rows.length > 0;
}

/** Whether the supervisor has an open case about this facility (the export is then not pseudonymised, Art. 21). */
export async function hasOpenSupervisionCase(q: Queryable, accountId: string, facilityId: string): Promise<boolean> {
  const result = await q.execute(sql`SELECT 1 FROM supervision_case WHERE opened_by = ${accountId} AND facility_id = ${facilityId} AND closed_at IS NULL LIMIT 1`);
  return result.rows.length > 0;
}
