import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { normaliseRow } from '../../platform/db/rows.js';

// SQL only (STYLE C7). `user_account.email_enc` is read here to address e-mails: the identity module
// exposes no contact lookup yet.

type Row = Record<string, unknown>;
// Timestamps arrive as text from the driver; rows get Date values through the one platform parser.
const dates = <T>(list: unknown[]): T[] => list.map((r) => normaliseRow<T>(r as Row));
const iso = (d: Date) => d.toISOString();

export interface NotificationRow {
  id: string;
  dedupe_key: string;
  kind: string;
  channel: 'email' | 'sms';
  request_id: string | null;
  recipient_account_id: string | null;
  facility_id: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** Inserts the notification unless its dedupe key exists; returns the row either way. */
export async function upsertNotification(
  q: Queryable,
  n: { id: string; dedupeKey: string; kind: string; channel: 'email' | 'sms'; requestId: string | null; recipientAccountId: string | null; facilityId: string | null; at: Date },
): Promise<NotificationRow> {
  await q.execute(sql`INSERT INTO notification (id, dedupe_key, kind, channel, request_id, recipient_account_id, facility_id, created_at)
    VALUES (${n.id}, ${n.dedupeKey}, ${n.kind}, ${n.channel}, ${n.requestId}, ${n.recipientAccountId}, ${n.facilityId}, ${iso(n.at)}::timestamptz)
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const r = await q.execute(sql`SELECT * FROM notification WHERE dedupe_key = ${n.dedupeKey}`);
  return dates<NotificationRow>(r.rows)[0] as NotificationRow;
}

export async function markSent(q: Queryable, id: string, at: Date): Promise<void> {
  await q.execute(sql`UPDATE notification SET status = 'sent', sent_at = ${iso(at)}::timestamptz, attempts = attempts + 1, last_error = NULL WHERE id = ${id}`);
}

export async function markFailed(q: Queryable, id: string, error: string, failAfter: number): Promise<void> {
  await q.execute(sql`UPDATE notification SET attempts = attempts + 1, last_error = ${error.slice(0, 500)},
    status = CASE WHEN attempts + 1 >= ${failAfter} THEN 'failed' ELSE 'pending' END WHERE id = ${id} AND status <> 'sent'`);
}

export async function listNotifications(q: Queryable, where: { facilityIds?: readonly string[]; status?: string }, limit = 200): Promise<NotificationRow[]> {
  const facility = where.facilityIds ? sql`AND facility_id IN (${sql.join(where.facilityIds.map((f) => sql`${f}`), sql`, `)})` : sql``;
  const status = where.status ? sql`AND status = ${where.status}` : sql``;
  const r = await q.execute(sql`SELECT * FROM notification WHERE true ${facility} ${status} ORDER BY created_at DESC LIMIT ${limit}`);
  return dates<NotificationRow>(r.rows);
}

export async function accountEmailEnc(q: Queryable, accountId: string): Promise<Buffer | undefined> {
  const r = await q.execute(sql`SELECT email_enc FROM user_account WHERE id = ${accountId} AND status = 'active'`);
  return (r.rows[0] as Row | undefined)?.email_enc as Buffer | undefined;
}


/** The language an account reads its messages in (docs/notifications.md#texts); Bulgarian unless set. */
export async function accountLanguage(q: Queryable, accountId: string): Promise<'bg' | 'en'> {
  const r = await q.execute(sql`SELECT notification_lang FROM user_account WHERE id = ${accountId}`);
  return (r.rows[0] as Row | undefined)?.notification_lang === 'en' ? 'en' : 'bg';
}
