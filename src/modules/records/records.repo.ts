import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { BreachCause } from './deadline-rules.js';
import type { Icd10Row } from './icd10.js';

// SQL only (STYLE C7). Reads of service_request, practitioner, facility and specialty are plain,
// read-only SQL against the registry and requests tables: a record snapshots them at signing, in the
// signing transaction.

// Tricky: depending on the driver path (pg or PGlite's adapter) timestamptz arrives as a Date or as text;
// every `*_at` / `at` column is normalised to a Date here so services see one type.
const INSTANT_COLUMN = /(^|_)at$/;
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) if (typeof v === 'string' && INSTANT_COLUMN.test(k)) row[k] = new Date(v);
  return row;
}
async function rows<T>(q: Queryable, query: SQL): Promise<T[]> {
  return (await q.execute(query)).rows.map((r) => normalise(r as Record<string, unknown>)) as T[];
}
async function one<T>(q: Queryable, query: SQL): Promise<T | undefined> {
  return (await rows<T>(q, query))[0];
}

// ---------------------------------------------------------------------------------------------------
// The service a record belongs to
// ---------------------------------------------------------------------------------------------------

export interface ServiceRow {
  id: string;
  status: string;
  urgency: 'planned' | 'emergency';
  mode: 'synchronous' | 'asynchronous';
  requester_kind: 'patient' | 'representative' | 'specialist';
  requester_practitioner_id: string | null;
  requester_facility_id: string | null;
  patient_id: string | null;
  provider_facility_id: string;
  practitioner_id: string | null;
  specialty_code: string;
  specialty_name_bg: string;
  specialty_nhif_code: string | null;
  facility_number: string;
  facility_name: string;
  time_zone: string;
  practitioner_uin: string | null;
  practitioner_given_name: string | null;
  practitioner_family_name: string | null;
}

export async function findService(q: Queryable, requestId: string, lock = false): Promise<ServiceRow | undefined> {
  return one<ServiceRow>(
    q,
    sql`SELECT r.id, r.status, r.urgency, r.mode, r.requester_kind, r.requester_practitioner_id, r.requester_facility_id, r.patient_id,
          r.provider_facility_id, r.practitioner_id, r.specialty_code, s.name_bg AS specialty_name_bg, s.nhif_code AS specialty_nhif_code,
          f.number AS facility_number, f.name AS facility_name, f.time_zone, p.uin AS practitioner_uin,
          p.given_name AS practitioner_given_name, p.family_name AS practitioner_family_name
        FROM service_request r
        JOIN facility f ON f.id = r.provider_facility_id
        JOIN specialty s ON s.code = r.specialty_code
        LEFT JOIN practitioner p ON p.id = r.practitioner_id
        WHERE r.id = ${requestId} ${lock ? sql`FOR UPDATE OF r` : sql``}`,
  );
}

/** R-TM-39: the completion instant is the request's `completed` transition. */
export async function completionOf(q: Queryable, requestId: string): Promise<Date | undefined> {
  const r = await one<{ at: Date }>(q, sql`SELECT at FROM service_request_event WHERE request_id = ${requestId} AND to_status = 'completed' ORDER BY at DESC LIMIT 1`);
  return r?.at;
}

export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | undefined> {
  const r = await one<{ practitioner_id: string | null }>(q, sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`);
  return r?.practitioner_id ?? undefined;
}

export async function practitionerInfo(q: Queryable, practitionerId: string): Promise<{ uin: string; given_name: string; family_name: string } | undefined> {
  return one(q, sql`SELECT uin, given_name, family_name FROM practitioner WHERE id = ${practitionerId}`);
}

export async function facilityInfo(q: Queryable, facilityId: string): Promise<{ id: string; name: string; number: string; time_zone: string } | undefined> {
  return one(q, sql`SELECT id, name, number, time_zone FROM facility WHERE id = ${facilityId}`);
}

/** Active administrator and coordinator accounts of a facility (who is told about deadlines at risk). */
export async function facilityStaffAccounts(q: Queryable, facilityId: string): Promise<string[]> {
  const r = await rows<{ id: string }>(
    q,
    sql`SELECT u.id FROM user_account u JOIN account_facility af ON af.account_id = u.id
        WHERE af.facility_id = ${facilityId} AND u.role IN ('facility_admin', 'coordinator') AND u.status = 'active' ORDER BY u.id`,
  );
  return r.map((x) => x.id);
}

// ---------------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------------

export interface DocumentRow {
  id: string;
  kind: 'ambulatory_sheet' | 'consultation_report' | 'patient_information';
  request_id: string;
  patient_id: string | null;
  facility_id: string;
  author_practitioner_id: string;
  author_account_id: string;
  status: 'draft' | 'signed';
  revision: number;
  replaces_id: string | null;
  replaced_by_id: string | null;
  content_enc: Buffer;
  content_sha256: string | null;
  signature: string | null;
  signature_format: 'jws' | null;
  signing_key_id: string | null;
  signed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const DOC_COLS = sql`d.id, d.kind, d.request_id, d.patient_id, d.facility_id, d.author_practitioner_id, d.author_account_id, d.status, d.revision,
  d.replaces_id, (SELECT n.id FROM clinical_document n WHERE n.replaces_id = d.id) AS replaced_by_id, d.content_enc, d.content_sha256,
  d.signature, d.signature_format, d.signing_key_id, d.signed_at, d.created_at, d.updated_at, d.version`;

export async function insertDocument(
  q: Queryable,
  d: { id: string; kind: DocumentRow['kind']; requestId: string; patientId: string | null; facilityId: string; authorPractitionerId: string; authorAccountId: string; revision: number; replacesId: string | null; contentEnc: Buffer; now: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO clinical_document (id, kind, request_id, patient_id, facility_id, author_practitioner_id, author_account_id, status, revision, replaces_id, content_enc, created_at, updated_at)
    VALUES (${d.id}, ${d.kind}, ${d.requestId}, ${d.patientId}, ${d.facilityId}, ${d.authorPractitionerId}, ${d.authorAccountId}, 'draft', ${d.revision}, ${d.replacesId}, ${d.contentEnc}, ${d.now.toISOString()}, ${d.now.toISOString()})`);
}

export async function findDocument(q: Queryable, id: string): Promise<DocumentRow | undefined> {
  return one<DocumentRow>(q, sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.id = ${id}`);
}

export async function findDraft(q: Queryable, requestId: string, kind: DocumentRow['kind']): Promise<DocumentRow | undefined> {
  return one<DocumentRow>(q, sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.request_id = ${requestId} AND d.kind = ${kind} AND d.status = 'draft'`);
}

/** The newest signed revision of a request's document of a kind (the one no other revision replaces). */
export async function findCurrentSigned(q: Queryable, requestId: string, kind: DocumentRow['kind']): Promise<DocumentRow | undefined> {
  return one<DocumentRow>(
    q,
    sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.request_id = ${requestId} AND d.kind = ${kind} AND d.status = 'signed'
        AND NOT EXISTS (SELECT 1 FROM clinical_document n WHERE n.replaces_id = d.id AND n.status = 'signed') ORDER BY d.revision DESC LIMIT 1`,
  );
}

export async function hasAnyDocument(q: Queryable, requestId: string, kind: DocumentRow['kind']): Promise<boolean> {
  return (await one(q, sql`SELECT 1 AS one FROM clinical_document WHERE request_id = ${requestId} AND kind = ${kind} LIMIT 1`)) !== undefined;
}

export async function listRequestDocuments(q: Queryable, requestId: string): Promise<DocumentRow[]> {
  return rows<DocumentRow>(q, sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.request_id = ${requestId} ORDER BY d.kind, d.revision`);
}

export async function listPatientSigned(q: Queryable, patientId: string): Promise<DocumentRow[]> {
  return rows<DocumentRow>(q, sql`SELECT ${DOC_COLS} FROM clinical_document d WHERE d.patient_id = ${patientId} AND d.status = 'signed' ORDER BY d.signed_at DESC, d.revision DESC`);
}

/** Compare-and-swap of a draft's content (STYLE C9). */
export async function updateDraft(q: Queryable, id: string, version: number, contentEnc: Buffer, now: Date): Promise<boolean> {
  const r = await q.execute(sql`UPDATE clinical_document SET content_enc = ${contentEnc}, updated_at = ${now.toISOString()}, version = version + 1
    WHERE id = ${id} AND version = ${version} AND status = 'draft' RETURNING id`);
  return r.rows.length === 1;
}

/** Compare-and-swap draft → signed; the trigger keeps it so forever. */
export async function signDraft(q: Queryable, s: { id: string; version: number; contentEnc: Buffer; sha256: string; signature: string; keyId: string; signedAt: Date }): Promise<boolean> {
  const r = await q.execute(sql`UPDATE clinical_document SET status = 'signed', content_enc = ${s.contentEnc}, content_sha256 = ${s.sha256}, signature = ${s.signature},
      signature_format = 'jws', signing_key_id = ${s.keyId}, signed_at = ${s.signedAt.toISOString()}, updated_at = ${s.signedAt.toISOString()}, version = version + 1
    WHERE id = ${s.id} AND version = ${s.version} AND status = 'draft' RETURNING id`);
  return r.rows.length === 1;
}

export async function deleteDraft(q: Queryable, id: string, version: number): Promise<boolean> {
  const r = await q.execute(sql`DELETE FROM clinical_document WHERE id = ${id} AND version = ${version} AND status = 'draft' RETURNING id`);
  return r.rows.length === 1;
}

// ---------------------------------------------------------------------------------------------------
// Signing keys
// ---------------------------------------------------------------------------------------------------

export interface KeyRow {
  id: string;
  practitioner_id: string;
  facility_id: string;
  alg: 'EdDSA' | 'ES256';
  level: 'advanced' | 'qualified';
  public_jwk: Record<string, unknown>;
  private_key_enc: Buffer | null;
  created_at: Date;
  retired_at: Date | null;
}

export async function findActiveKey(q: Queryable, practitionerId: string, facilityId: string): Promise<KeyRow | undefined> {
  return one<KeyRow>(q, sql`SELECT * FROM practitioner_signing_key WHERE practitioner_id = ${practitionerId} AND facility_id = ${facilityId} AND retired_at IS NULL`);
}

export async function findKey(q: Queryable, id: string): Promise<KeyRow | undefined> {
  return one<KeyRow>(q, sql`SELECT * FROM practitioner_signing_key WHERE id = ${id}`);
}

export async function insertKey(q: Queryable, k: { id: string; practitionerId: string; facilityId: string; alg: string; publicJwk: unknown; privateKeyEnc: Buffer; now: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO practitioner_signing_key (id, practitioner_id, facility_id, alg, level, public_jwk, private_key_enc, created_at)
    VALUES (${k.id}, ${k.practitionerId}, ${k.facilityId}, ${k.alg}, 'advanced', ${JSON.stringify(k.publicJwk)}::jsonb, ${k.privateKeyEnc}, ${k.now.toISOString()})`);
}

// ---------------------------------------------------------------------------------------------------
// NHIS submissions
// ---------------------------------------------------------------------------------------------------

export interface SubmissionRow {
  id: string;
  document_id: string;
  request_id: string;
  facility_id: string;
  operation: 'open_close' | 'correct';
  lrn: string;
  status: 'pending' | 'opened' | 'acknowledged' | 'rejected';
  nrn: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  acknowledged_at: Date | null;
}

export async function insertSubmission(q: Queryable, s: { id: string; documentId: string; requestId: string; facilityId: string; operation: SubmissionRow['operation']; nrn: string | null; now: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO nhis_submission (id, document_id, request_id, facility_id, operation, lrn, status, nrn, created_at)
    VALUES (${s.id}, ${s.documentId}, ${s.requestId}, ${s.facilityId}, ${s.operation}, ${s.id}, ${s.nrn ? 'opened' : 'pending'}, ${s.nrn}, ${s.now.toISOString()})`);
}

export async function findSubmission(q: Queryable, id: string): Promise<SubmissionRow | undefined> {
  return one<SubmissionRow>(q, sql`SELECT * FROM nhis_submission WHERE id = ${id}`);
}

export async function findSubmissionByDocument(q: Queryable, documentId: string): Promise<SubmissionRow | undefined> {
  return one<SubmissionRow>(q, sql`SELECT * FROM nhis_submission WHERE document_id = ${documentId}`);
}

/** The NRN of the request's examination, from its first acknowledged or opened submission. */
export async function examinationNrn(q: Queryable, requestId: string, acknowledgedOnly = false): Promise<string | undefined> {
  const r = await one<{ nrn: string }>(
    q,
    sql`SELECT nrn FROM nhis_submission WHERE request_id = ${requestId} AND operation = 'open_close' AND nrn IS NOT NULL ${acknowledgedOnly ? sql`AND status = 'acknowledged'` : sql``} ORDER BY created_at LIMIT 1`,
  );
  return r?.nrn;
}

export async function updateSubmission(q: Queryable, id: string, s: { status: SubmissionRow['status']; nrn?: string | null; lastError?: string | null; acknowledgedAt?: Date | null; addAttempts: number }): Promise<void> {
  await q.execute(sql`UPDATE nhis_submission SET status = ${s.status}, nrn = COALESCE(${s.nrn ?? null}, nrn), last_error = ${s.lastError ?? null},
      acknowledged_at = ${s.acknowledgedAt ? s.acknowledgedAt.toISOString() : null}, attempts = attempts + ${s.addAttempts}
    WHERE id = ${id}`);
}

export async function insertAttempt(q: Queryable, a: { id: string; submissionId: string; messageType: string; messageId: string; at: string; outcome: string; error: string | null; durationMs: number }): Promise<void> {
  await q.execute(sql`INSERT INTO nhis_attempt (id, submission_id, message_type, message_id, at, outcome, error, duration_ms)
    VALUES (${a.id}, ${a.submissionId}, ${a.messageType}, ${a.messageId}, ${a.at}, ${a.outcome}, ${a.error}, ${a.durationMs})`);
}

export async function listAttempts(q: Queryable, submissionId: string): Promise<{ message_type: string; outcome: string; error: string | null; at: Date }[]> {
  return rows(q, sql`SELECT message_type, outcome, error, at FROM nhis_attempt WHERE submission_id = ${submissionId} ORDER BY at, id`);
}

export async function failedAttempts(q: Queryable, requestId: string): Promise<number> {
  const r = await one<{ n: string }>(q, sql`SELECT count(*) AS n FROM nhis_attempt a JOIN nhis_submission s ON s.id = a.submission_id WHERE s.request_id = ${requestId} AND a.outcome <> 'ok'`);
  return Number(r?.n ?? 0);
}

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
// ICD-10
// ---------------------------------------------------------------------------------------------------

export async function upsertIcd10(q: Queryable, rowsIn: readonly (Icd10Row & { searchText: string })[], source: 'demo' | 'cl011', now: Date): Promise<number> {
  let n = 0;
  for (let i = 0; i < rowsIn.length; i += 500) {
    const chunk = rowsIn.slice(i, i + 500);
    await q.execute(sql`INSERT INTO icd10_code (code, title_bg, title_en, is_chronic, source, search_text, updated_at) VALUES
      ${sql.join(chunk.map((r) => sql`(${r.code}, ${r.titleBg}, ${r.titleEn}, ${r.isChronic}, ${source}, ${r.searchText}, ${now.toISOString()})`), sql`, `)}
      ON CONFLICT (code) DO UPDATE SET title_bg = EXCLUDED.title_bg, title_en = EXCLUDED.title_en, is_chronic = EXCLUDED.is_chronic,
        source = EXCLUDED.source, search_text = EXCLUDED.search_text, updated_at = EXCLUDED.updated_at`);
    n += chunk.length;
  }
  return n;
}

export interface Icd10DbRow {
  code: string;
  title_bg: string;
  title_en: string | null;
  is_chronic: boolean | null;
  source: 'demo' | 'cl011';
}

export async function listIcd10(q: Queryable): Promise<(Icd10DbRow & { search_text: string })[]> {
  return rows(q, sql`SELECT code, title_bg, title_en, is_chronic, source, search_text FROM icd10_code`);
}

// ---------------------------------------------------------------------------------------------------
// Health record: attachments of the patient's requests (metadata only; the requests module serves files)
// ---------------------------------------------------------------------------------------------------

export async function listPatientAttachments(q: Queryable, patientId: string): Promise<{ id: string; request_id: string; facility_id: string; content_type: string; size_bytes: number; created_at: Date }[]> {
  return rows(
    q,
    sql`SELECT a.id, a.request_id, r.provider_facility_id AS facility_id, a.content_type, a.size_bytes, a.created_at FROM request_attachment a JOIN service_request r ON r.id = a.request_id
        WHERE r.patient_id = ${patientId} ORDER BY a.created_at DESC LIMIT 500`,
  );
}

/** Whether a table has a column (for reports that read other modules' tables when installed). */
export async function columnExists(q: Queryable, table: string, column: string): Promise<boolean> {
  return (await one(q, sql`SELECT 1 AS one FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table} AND column_name = ${column}`)) !== undefined;
}

/** Completed services of the period with an informed consent on file (the consent module's table, keyed by request). */
export async function consentsOnFile(q: Queryable, facilityId: string, from: Date, to: Date): Promise<number> {
  const r = await one<{ n: string }>(
    q,
    sql`SELECT count(*) AS n FROM documentation_deadline d WHERE d.facility_id = ${facilityId} AND d.completed_at >= ${from.toISOString()} AND d.completed_at < ${to.toISOString()}
        AND EXISTS (SELECT 1 FROM consent c WHERE c.request_id = d.request_id AND c.kind = 'treatment')`,
  );
  return Number(r?.n ?? 0);
}
