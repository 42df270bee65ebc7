import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

// SQL of the practice's records for patients (document requests, the processing register, data-subject
// requests, reminders); every function takes the caller's executor.

export type DocumentRequestRow = {
  id: string;
  facility_id: string;
  patient_id: string;
  category: 'current_consultation' | 'past_circumstance' | 'other' | 'past_without_request' | 'admin_contract_phone';
  received_on: string;
  due_on: string | null;
  fee: 'free' | 'price_list' | 'urgent_fee' | 'contract';
  rule_id: string | null;
  what_enc: Buffer;
  answer_enc: Buffer | null;
  status: 'requested' | 'issued' | 'refused';
  issued_on: string | null;
};
const SELECT_DOC = sql`SELECT id, facility_id, patient_id, category, to_char(received_on, 'YYYY-MM-DD') AS received_on, to_char(due_on, 'YYYY-MM-DD') AS due_on,
  fee, rule_id, what_enc, answer_enc, status, to_char(issued_on, 'YYYY-MM-DD') AS issued_on FROM practice_document_request`;

export async function insertDocumentRequest(
  q: Queryable,
  d: { id: string; facilityId: string; patientId: string; category: string; receivedOn: string; dueOn: string | null; fee: string; ruleId: string; whatEnc: Buffer; requestedBy: string; createdAt: string },
): Promise<void> {
  await q.execute(sql`INSERT INTO practice_document_request (id, facility_id, patient_id, category, received_on, due_on, fee, rule_id, what_enc, requested_by, created_at)
    VALUES (${d.id}, ${d.facilityId}, ${d.patientId}, ${d.category}, ${d.receivedOn}::date, ${d.dueOn}::date, ${d.fee}, ${d.ruleId}, ${d.whatEnc}, ${d.requestedBy}, ${d.createdAt}::timestamptz)`);
}

export async function findDocumentRequest(q: Queryable, id: string): Promise<DocumentRequestRow | undefined> {
  return (await q.execute<DocumentRequestRow>(sql`${SELECT_DOC} WHERE id = ${id}`)).rows[0];
}

/** The practice's requests, open ones first by deadline. */
export async function listDocumentRequests(q: Queryable, facilityId: string, openOnly: boolean): Promise<DocumentRequestRow[]> {
  const open = openOnly ? sql`AND status = 'requested'` : sql``;
  return (await q.execute<DocumentRequestRow>(sql`${SELECT_DOC} WHERE facility_id = ${facilityId} ${open} ORDER BY status = 'requested' DESC, due_on NULLS FIRST, received_on, id`)).rows;
}

export async function listDocumentRequestsOfPatient(q: Queryable, patientId: string): Promise<DocumentRequestRow[]> {
  return (await q.execute<DocumentRequestRow>(sql`${SELECT_DOC} WHERE patient_id = ${patientId} ORDER BY received_on DESC, id`)).rows;
}

/** Compare-and-set: only an open request is completed. @returns true when it moved now */
export async function completeDocumentRequest(q: Queryable, id: string, c: { status: 'issued' | 'refused'; on: string; answerEnc: Buffer | null; by: string }): Promise<boolean> {
  const r = await q.execute(sql`UPDATE practice_document_request SET status = ${c.status}, issued_on = ${c.status === 'issued' ? c.on : null}::date, answer_enc = ${c.answerEnc}, handled_by = ${c.by}
    WHERE id = ${id} AND status = 'requested' RETURNING id`);
  return r.rows.length === 1;
}

// ---- The register of processing activities (GDPR Art. 30) ----

export type ProcessingActivityRow = {
  id: string;
  facility_id: string;
  name: string;
  purpose: string;
  legal_basis: 'legal_obligation' | 'health_care' | 'contract' | 'consent' | 'vital_interest' | 'public_interest' | 'legitimate_interest';
  subject_categories: string[] | string;
  data_categories: string[] | string;
  recipients: string[] | string;
  transfers_outside_eu: string | null;
  retention: string;
  retention_rule: string | null;
  security_measures: string;
  valid_from: string;
  retired_on: string | null;
};

export async function insertProcessingActivity(q: Queryable, a: Omit<ProcessingActivityRow, 'retired_on'> & { recordedBy: string; createdAt: string }): Promise<void> {
  await q.execute(sql`INSERT INTO processing_activity (id, facility_id, name, purpose, legal_basis, subject_categories, data_categories, recipients, transfers_outside_eu, retention, retention_rule, security_measures, valid_from, recorded_by, created_at)
    VALUES (${a.id}, ${a.facility_id}, ${a.name}, ${a.purpose}, ${a.legal_basis}, ${JSON.stringify(a.subject_categories)}::jsonb, ${JSON.stringify(a.data_categories)}::jsonb, ${JSON.stringify(a.recipients)}::jsonb,
      ${a.transfers_outside_eu}, ${a.retention}, ${a.retention_rule}, ${a.security_measures}, ${a.valid_from}::date, ${a.recordedBy}, ${a.createdAt}::timestamptz)`);
}

export async function listProcessingActivities(q: Queryable, facilityId: string): Promise<ProcessingActivityRow[]> {
  return (
    await q.execute<ProcessingActivityRow>(sql`SELECT id, facility_id, name, purpose, legal_basis, subject_categories, data_categories, recipients, transfers_outside_eu, retention, retention_rule, security_measures,
      to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(retired_on, 'YYYY-MM-DD') AS retired_on FROM processing_activity WHERE facility_id = ${facilityId} ORDER BY valid_from, name, id`)
  ).rows;
}

// ---- Data-subject requests (GDPR Art. 12(3), 15-21) ----

export type SubjectRequestRow = {
  id: string;
  facility_id: string;
  patient_id: string;
  subject_right: 'access' | 'rectification' | 'erasure' | 'restriction' | 'portability' | 'objection';
  received_on: string;
  due_on: string;
  extended_to: string | null;
  status: 'received' | 'extended' | 'completed' | 'refused';
  details_enc: Buffer;
  answer_enc: Buffer | null;
  closed_on: string | null;
  version: number;
};
const SELECT_DSR = sql`SELECT id, facility_id, patient_id, subject_right, to_char(received_on, 'YYYY-MM-DD') AS received_on, to_char(due_on, 'YYYY-MM-DD') AS due_on,
  to_char(extended_to, 'YYYY-MM-DD') AS extended_to, status, details_enc, answer_enc, to_char(closed_on, 'YYYY-MM-DD') AS closed_on, version FROM data_subject_request`;

export async function insertSubjectRequest(q: Queryable, r: { id: string; facilityId: string; patientId: string; right: string; receivedOn: string; dueOn: string; detailsEnc: Buffer; filedBy: string; createdAt: string }): Promise<void> {
  await q.execute(sql`INSERT INTO data_subject_request (id, facility_id, patient_id, subject_right, received_on, due_on, status, details_enc, filed_by, created_at)
    VALUES (${r.id}, ${r.facilityId}, ${r.patientId}, ${r.right}, ${r.receivedOn}::date, ${r.dueOn}::date, 'received', ${r.detailsEnc}, ${r.filedBy}, ${r.createdAt}::timestamptz)`);
}

export async function findSubjectRequest(q: Queryable, id: string): Promise<SubjectRequestRow | undefined> {
  return (await q.execute<SubjectRequestRow>(sql`${SELECT_DSR} WHERE id = ${id}`)).rows[0];
}

export async function listSubjectRequests(q: Queryable, facilityId: string): Promise<SubjectRequestRow[]> {
  return (await q.execute<SubjectRequestRow>(sql`${SELECT_DSR} WHERE facility_id = ${facilityId} ORDER BY closed_on IS NOT NULL, COALESCE(extended_to, due_on), id`)).rows;
}

export async function listSubjectRequestsOfPatient(q: Queryable, patientId: string): Promise<SubjectRequestRow[]> {
  return (await q.execute<SubjectRequestRow>(sql`${SELECT_DSR} WHERE patient_id = ${patientId} ORDER BY received_on DESC, id`)).rows;
}

/** Compare-and-swap on the version: an open request moves once. @returns true when it moved now */
export async function moveSubjectRequest(q: Queryable, id: string, version: number, m: { status: 'extended' | 'completed' | 'refused'; extendedTo: string | null; closedOn: string | null; answerEnc: Buffer; by: string }): Promise<boolean> {
  const r = await q.execute(sql`UPDATE data_subject_request SET status = ${m.status}, extended_to = COALESCE(${m.extendedTo}::date, extended_to), closed_on = ${m.closedOn}::date, answer_enc = ${m.answerEnc},
    handled_by = ${m.by}, version = version + 1 WHERE id = ${id} AND version = ${version} AND status IN ('received', 'extended') RETURNING id`);
  return r.rows.length === 1;
}
