import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { rows } from '../../platform/db/rows.js';

// SQL only (STYLE C7): a request's history of events, its encrypted attachments, and the facility's
// change policy (migrations/0007). Re-exported by requests.repo.ts.

const iso = (d: Date) => d.toISOString();

// ---------------------------------------------------------------------------------------------------
// History, attachments, policy
// ---------------------------------------------------------------------------------------------------

export async function insertEvent(
  q: Queryable,
  e: { id: string; requestId: string; action: string; fromStatus: string | null; toStatus: string; side: 'requester' | 'provider' | 'system'; actorAccountId: string | null; reasonEnc: Buffer | null; at: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO service_request_event (id, request_id, action, from_status, to_status, side, actor_account_id, reason_enc, at)
    VALUES (${e.id}, ${e.requestId}, ${e.action}, ${e.fromStatus}, ${e.toStatus}, ${e.side}, ${e.actorAccountId}, ${e.reasonEnc}, ${iso(e.at)}::timestamptz)`);
}

export interface EventRow {
  id: string;
  action: string;
  from_status: string | null;
  to_status: string;
  side: 'requester' | 'provider' | 'system';
  reason_enc: Buffer | null;
  at: Date;
}

export async function listEvents(q: Queryable, requestId: string): Promise<EventRow[]> {
  return rows<EventRow>(q, sql`SELECT id, action, from_status, to_status, side, reason_enc, at FROM service_request_event WHERE request_id = ${requestId} ORDER BY at, id`);
}

export async function insertAttachment(
  q: Queryable,
  a: { id: string; requestId: string; nameEnc: Buffer; contentType: string; sizeBytes: number; contentEnc: Buffer; createdBy: string; at: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO request_attachment (id, request_id, name_enc, content_type, size_bytes, content_enc, created_by, created_at)
    VALUES (${a.id}, ${a.requestId}, ${a.nameEnc}, ${a.contentType}, ${a.sizeBytes}, ${a.contentEnc}, ${a.createdBy}, ${iso(a.at)}::timestamptz)`);
}

export interface AttachmentRow {
  id: string;
  name_enc: Buffer;
  content_type: string;
  size_bytes: number;
  created_at: Date;
}

export async function listAttachments(q: Queryable, requestId: string): Promise<AttachmentRow[]> {
  return rows<AttachmentRow>(q, sql`SELECT id, name_enc, content_type, size_bytes, created_at FROM request_attachment WHERE request_id = ${requestId} ORDER BY created_at, id`);
}

export async function findAttachmentContent(q: Queryable, requestId: string, id: string): Promise<(AttachmentRow & { content_enc: Buffer }) | undefined> {
  const [row] = await rows<AttachmentRow & { content_enc: Buffer }>(
    q,
    sql`SELECT id, name_enc, content_type, size_bytes, created_at, content_enc FROM request_attachment WHERE request_id = ${requestId} AND id = ${id}`,
  );
  return row;
}

export interface PolicyRow {
  requester_change_min_minutes: number;
  provider_change_min_minutes: number;
  emergency_ack_minutes: number;
}

export const DEFAULT_POLICY: PolicyRow = { requester_change_min_minutes: 1440, provider_change_min_minutes: 60, emergency_ack_minutes: 3 };

export async function findPolicy(q: Queryable, facilityId: string): Promise<PolicyRow> {
  const [row] = await rows<PolicyRow>(q, sql`SELECT requester_change_min_minutes, provider_change_min_minutes, emergency_ack_minutes FROM request_policy WHERE facility_id = ${facilityId}`);
  return row ?? DEFAULT_POLICY;
}

export async function upsertPolicy(q: Queryable, facilityId: string, p: PolicyRow, now: Date): Promise<void> {
  await q.execute(sql`INSERT INTO request_policy (facility_id, requester_change_min_minutes, provider_change_min_minutes, emergency_ack_minutes, updated_at)
    VALUES (${facilityId}, ${p.requester_change_min_minutes}, ${p.provider_change_min_minutes}, ${p.emergency_ack_minutes}, ${iso(now)}::timestamptz)
    ON CONFLICT (facility_id) DO UPDATE SET requester_change_min_minutes = EXCLUDED.requester_change_min_minutes,
      provider_change_min_minutes = EXCLUDED.provider_change_min_minutes, emergency_ack_minutes = EXCLUDED.emergency_ack_minutes,
      updated_at = EXCLUDED.updated_at, version = request_policy.version + 1`);
}
