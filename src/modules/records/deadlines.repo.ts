import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { BreachCause } from './deadline-rules.js';
import { one, rows } from './records-rows.js';

// SQL only (STYLE C7): the documentation deadlines of completed services (Art. 17) and the facility's
// compliance report. Re-exported by records.repo.ts.

// ---------------------------------------------------------------------------------------------------
// Deadlines
// ---------------------------------------------------------------------------------------------------

export interface DeadlineRow {
  request_id: string;
  facility_id: string;
  practitioner_id: string | null;
  urgency: 'planned' | 'emergency';
  mode: 'synchronous' | 'asynchronous';
  document_kind: 'ambulatory_sheet' | 'consultation_report';
  time_zone: string;
  completed_at: Date;
  base_due_at: Date;
  due_at: Date;
  escalate_at: Date;
  complex: boolean;
  complex_kind: 'complex_case' | 'image_processing' | 'mutual_consultation' | null;
  complex_reason_enc: Buffer | null;
  complex_set_at: Date | null;
  complex_set_by: string | null;
  status: 'open' | 'met' | 'missed';
  recorded_at: Date | null;
  nrn: string | null;
  escalated_at: Date | null;
  breached_at: Date | null;
  breach_cause: BreachCause | null;
  created_at: Date;
  version: number;
}

/** Inserts once per service; a second completion hook (or the backstop scan) finds it there. */
export async function insertDeadline(
  q: Queryable,
  d: { requestId: string; facilityId: string; practitionerId: string | null; urgency: string; mode: string; documentKind: string; timeZone: string; completedAt: Date; baseDueAt: Date; dueAt: Date; escalateAt: Date; now: Date },
): Promise<boolean> {
  const r = await q.execute(sql`INSERT INTO documentation_deadline (request_id, facility_id, practitioner_id, urgency, mode, document_kind, time_zone, completed_at, base_due_at, due_at, escalate_at, created_at)
    VALUES (${d.requestId}, ${d.facilityId}, ${d.practitionerId}, ${d.urgency}, ${d.mode}, ${d.documentKind}, ${d.timeZone}, ${d.completedAt.toISOString()}, ${d.baseDueAt.toISOString()},
      ${d.dueAt.toISOString()}, ${d.escalateAt.toISOString()}, ${d.now.toISOString()})
    ON CONFLICT (request_id) DO NOTHING RETURNING request_id`);
  return r.rows.length === 1;
}

export async function findDeadline(q: Queryable, requestId: string, lock = false): Promise<DeadlineRow | undefined> {
  return one<DeadlineRow>(q, sql`SELECT * FROM documentation_deadline WHERE request_id = ${requestId} ${lock ? sql`FOR UPDATE` : sql``}`);
}

/** R-TM-43 as a compare-and-swap: still open, not complex, and before the base deadline. */
export async function setComplex(q: Queryable, s: { requestId: string; version: number; kind: string; reasonEnc: Buffer; dueAt: Date; escalateAt: Date; by: string; now: Date }): Promise<boolean> {
  const r = await q.execute(sql`UPDATE documentation_deadline SET complex = true, complex_kind = ${s.kind}, complex_reason_enc = ${s.reasonEnc}, complex_set_at = ${s.now.toISOString()},
      complex_set_by = ${s.by}, due_at = ${s.dueAt.toISOString()}, escalate_at = ${s.escalateAt.toISOString()}, version = version + 1
    WHERE request_id = ${s.requestId} AND version = ${s.version} AND status = 'open' AND NOT complex AND base_due_at > ${s.now.toISOString()} RETURNING request_id`);
  return r.rows.length === 1;
}

/** The NHIS acknowledged: met when in time, missed (recorded late) otherwise. A missed row keeps its breach. */
export async function markRecorded(q: Queryable, requestId: string, recordedAt: Date, nrn: string): Promise<DeadlineRow | undefined> {
  return one<DeadlineRow>(
    q,
    sql`UPDATE documentation_deadline SET recorded_at = ${recordedAt.toISOString()}, nrn = ${nrn},
          status = CASE WHEN ${recordedAt.toISOString()}::timestamptz <= due_at THEN 'met' ELSE 'missed' END,
          breached_at = CASE WHEN ${recordedAt.toISOString()}::timestamptz <= due_at THEN NULL ELSE COALESCE(breached_at, ${recordedAt.toISOString()}) END,
          breach_cause = CASE WHEN ${recordedAt.toISOString()}::timestamptz <= due_at THEN NULL ELSE COALESCE(breach_cause, 'recorded_late') END,
          version = version + 1
        WHERE request_id = ${requestId} AND recorded_at IS NULL RETURNING *`,
  );
}

/** The scan: open deadlines already past due (breaches), oldest first. Uses documentation_deadline_open_due_idx. */
export async function listBreached(q: Queryable, now: Date, limit: number): Promise<{ request_id: string; facility_id: string; due_at: Date }[]> {
  return rows(q, sql`SELECT request_id, facility_id, due_at FROM documentation_deadline WHERE status = 'open' AND due_at < ${now.toISOString()} ORDER BY due_at LIMIT ${limit}`);
}

/** The scan: open deadlines past 80% and not yet escalated. Uses documentation_deadline_escalate_idx. */
export async function listToEscalate(q: Queryable, now: Date, limit: number): Promise<{ request_id: string; facility_id: string; due_at: Date }[]> {
  return rows(q, sql`SELECT request_id, facility_id, due_at FROM documentation_deadline WHERE status = 'open' AND escalated_at IS NULL AND escalate_at <= ${now.toISOString()} ORDER BY escalate_at LIMIT ${limit}`);
}

export async function markMissed(q: Queryable, requestId: string, cause: BreachCause, now: Date): Promise<boolean> {
  const r = await q.execute(sql`UPDATE documentation_deadline SET status = 'missed', breached_at = ${now.toISOString()}, breach_cause = ${cause}, version = version + 1
    WHERE request_id = ${requestId} AND status = 'open' AND due_at < ${now.toISOString()} RETURNING request_id`);
  return r.rows.length === 1;
}

export async function markEscalated(q: Queryable, requestId: string, now: Date): Promise<boolean> {
  const r = await q.execute(sql`UPDATE documentation_deadline SET escalated_at = ${now.toISOString()}, version = version + 1
    WHERE request_id = ${requestId} AND status = 'open' AND escalated_at IS NULL AND escalate_at <= ${now.toISOString()} RETURNING request_id`);
  return r.rows.length === 1;
}

export type DeadlineWithDoc = DeadlineRow & { document_status: 'none' | 'draft' | 'signed' };

const DOC_STATUS = sql`CASE WHEN EXISTS (SELECT 1 FROM clinical_document c WHERE c.request_id = d.request_id AND c.kind = d.document_kind AND c.status = 'signed') THEN 'signed'
  WHEN EXISTS (SELECT 1 FROM clinical_document c WHERE c.request_id = d.request_id AND c.kind = d.document_kind) THEN 'draft' ELSE 'none' END AS document_status`;

/** The specialist's worklist: their open deadlines and the ones missed in the last week, soonest first. */
export async function listWorklist(q: Queryable, practitionerId: string, since: Date, limit = 300): Promise<DeadlineWithDoc[]> {
  return rows(
    q,
    sql`SELECT d.*, ${DOC_STATUS} FROM documentation_deadline d
        WHERE d.practitioner_id = ${practitionerId} AND (d.status = 'open' OR (d.status = 'missed' AND d.recorded_at IS NULL) OR d.completed_at >= ${since.toISOString()})
        ORDER BY (d.status = 'open') DESC, d.due_at LIMIT ${limit}`,
  );
}

/** The facility's escalated, still-open deadlines (the facility alert list). */
export async function listFacilityEscalated(q: Queryable, facilityIds: readonly string[], limit = 300): Promise<DeadlineWithDoc[]> {
  if (facilityIds.length === 0) return [];
  return rows(
    q,
    sql`SELECT d.*, ${DOC_STATUS} FROM documentation_deadline d
        WHERE d.facility_id IN (${sql.join(facilityIds.map((f) => sql`${f}`), sql`, `)}) AND d.recorded_at IS NULL AND (d.escalated_at IS NOT NULL OR d.status = 'missed')
        ORDER BY d.due_at LIMIT ${limit}`,
  );
}

/** Backstop: completed requests without a deadline row (a completion hook that did not run). */
export async function listCompletedWithoutDeadline(q: Queryable, limit: number): Promise<{ request_id: string; at: Date }[]> {
  return rows(
    q,
    sql`SELECT e.request_id, max(e.at) AS at FROM service_request_event e JOIN service_request r ON r.id = e.request_id
        WHERE e.to_status = 'completed' AND r.status IN ('completed', 'documented')
          AND NOT EXISTS (SELECT 1 FROM documentation_deadline d WHERE d.request_id = e.request_id)
        GROUP BY e.request_id LIMIT ${limit}`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Compliance
// ---------------------------------------------------------------------------------------------------

export interface ComplianceAggRow {
  urgency: 'planned' | 'emergency';
  mode: 'synchronous' | 'asynchronous';
  document_kind: 'ambulatory_sheet' | 'consultation_report';
  services: string;
  met: string;
  missed: string;
  open: string;
  complex: string;
  escalated: string;
  median_s: number | null;
  worst_s: number | null;
}

/** Deadlines of services completed in [from, to), grouped by kind; "open" ones past due count as missed. */
export async function complianceByKind(q: Queryable, facilityId: string, from: Date, to: Date, now: Date): Promise<ComplianceAggRow[]> {
  return rows(
    q,
    sql`SELECT urgency, mode, document_kind, count(*) AS services,
          count(*) FILTER (WHERE status = 'met') AS met,
          count(*) FILTER (WHERE status = 'missed' OR (status = 'open' AND due_at < ${now.toISOString()})) AS missed,
          count(*) FILTER (WHERE status = 'open' AND due_at >= ${now.toISOString()}) AS open,
          count(*) FILTER (WHERE complex) AS complex,
          count(*) FILTER (WHERE escalated_at IS NOT NULL) AS escalated,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - completed_at)) FILTER (WHERE recorded_at IS NOT NULL) AS median_s,
          max(extract(epoch FROM recorded_at - completed_at)) FILTER (WHERE recorded_at IS NOT NULL) AS worst_s
        FROM documentation_deadline
        WHERE facility_id = ${facilityId} AND completed_at >= ${from.toISOString()} AND completed_at < ${to.toISOString()}
        GROUP BY urgency, mode, document_kind ORDER BY urgency DESC, mode, document_kind`,
  );
}

export async function complianceTotals(q: Queryable, facilityId: string, from: Date, to: Date): Promise<{ median_s: number | null; worst_s: number | null }> {
  const r = await one<{ median_s: number | null; worst_s: number | null }>(
    q,
    sql`SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM recorded_at - completed_at)) AS median_s, max(extract(epoch FROM recorded_at - completed_at)) AS worst_s
        FROM documentation_deadline WHERE facility_id = ${facilityId} AND completed_at >= ${from.toISOString()} AND completed_at < ${to.toISOString()} AND recorded_at IS NOT NULL`,
  );
  return r ?? { median_s: null, worst_s: null };
}

export async function complianceBreaches(q: Queryable, facilityId: string, from: Date, to: Date, now: Date, limit = 1000): Promise<{ request_id: string; due_at: Date; recorded_at: Date | null; breach_cause: BreachCause | null }[]> {
  return rows(
    q,
    sql`SELECT request_id, due_at, recorded_at, breach_cause FROM documentation_deadline
        WHERE facility_id = ${facilityId} AND completed_at >= ${from.toISOString()} AND completed_at < ${to.toISOString()}
          AND (status = 'missed' OR (status = 'open' AND due_at < ${now.toISOString()})) ORDER BY due_at LIMIT ${limit}`,
  );
}

/** Whether a table exists (other modules' migrations may not be installed yet). */
export async function tableExists(q: Queryable, table: string): Promise<boolean> {
  const r = await one<{ t: string | null }>(q, sql`SELECT to_regclass(${table})::text AS t`);
  return Boolean(r?.t);
}

/** Calls of the facility's services completed in the period whose quality samples broke Art. 28(1) items 8-9. */
export async function qualityBreaches(q: Queryable, facilityId: string, from: Date, to: Date): Promise<number> {
  const r = await one<{ n: string }>(
    q,
    sql`SELECT count(*) AS n FROM consultation c WHERE c.facility_id = ${facilityId} AND c.completed_at >= ${from.toISOString()} AND c.completed_at < ${to.toISOString()}
        AND (c.latency_breach_count > 0 OR c.av_sync_breach_count > 0)`,
  );
  return Number(r?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------------
// Records waiting for the NHIS (docs/nhis.md#offline)
// ---------------------------------------------------------------------------------------------------

export interface PendingSubmissionRow {
  id: string;
  request_id: string;
  document_id: string;
  facility_id: string;
  operation: 'open_close' | 'correct';
  status: 'pending' | 'opened' | 'rejected';
  attempts: number;
  last_error: string | null;
  created_at: Date;
  last_at: Date | null;
  last_type: string | null;
  due_at: Date | null;
  /** The document's patient (null for a document about no patient). */
  patient_id: string | null;
}

/** Submissions not acknowledged, of one specialist's services or of some facilities, oldest first. */
export async function listPendingSubmissions(q: Queryable, who: { practitionerId: string } | { facilityIds: readonly string[] }, limit = 300): Promise<PendingSubmissionRow[]> {
  if ('facilityIds' in who && who.facilityIds.length === 0) return [];
  const scope = 'practitionerId' in who ? sql`d.practitioner_id = ${who.practitionerId}` : sql`s.facility_id IN (${sql.join(who.facilityIds.map((f) => sql`${f}`), sql`, `)})`;
  return rows<PendingSubmissionRow>(
    q,
    sql`SELECT s.id, s.request_id, s.document_id, s.facility_id, s.operation, s.status, s.attempts, s.last_error, s.created_at,
               a.at AS last_at, a.message_type AS last_type, d.due_at, cd.patient_id
          FROM nhis_submission s
          LEFT JOIN documentation_deadline d ON d.request_id = s.request_id
          LEFT JOIN clinical_document cd ON cd.id = s.document_id
          LEFT JOIN LATERAL (SELECT at, message_type FROM nhis_attempt WHERE submission_id = s.id ORDER BY at DESC LIMIT 1) a ON true
         WHERE s.status <> 'acknowledged' AND ${scope}
         ORDER BY s.created_at LIMIT ${limit}`,
  );
}
