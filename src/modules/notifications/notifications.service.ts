import { fromDate, toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { NotificationList } from '../../contracts/notifications.js';
import type { Notifier } from './notifier.js';
import { renderNotification, type Lang, type NotificationMessage } from './texts.js';
import * as repo from './notifications.repo.js';

/**
 * Who gets a message on which channel. The phone comes from the caller (decrypted at send time, never
 * stored). The language is the account's (`user_account.notification_lang`); a bare phone number gets the
 * caller's `lang`, Bulgarian by default.
 */
export type NotificationRecipient = { channel: 'email'; accountId: string } | { channel: 'sms'; accountId: string | null; phone: string; lang?: Lang };

export interface Delivery {
  /** The outbox message that caused it: with the recipient and channel it makes the delivery idempotent. */
  sourceId: string;
  requestId: string | null;
  facilityId: string | null;
  recipients: readonly NotificationRecipient[];
  /** The facts; the catalogue (texts.ts) words them per channel and recipient language. Never clinical content. */
  message: NotificationMessage;
}

/** Same as the outbox's attempt limit: after this many failures a notification is `failed`. */
const FAIL_AFTER = 8;
const emailContext = (accountId: string) => `account:${accountId}:email`;
// Security: the worker reads contact addresses as a system actor; the keyring refuses only the operator.
const workerCtx = systemCtx('notifications');

/**
 * Notifications: delivery with per-recipient idempotency and the administrators' view.
 * @param deps - database, clock, ids, keyring and the notifier
 * @returns the notifications service
 */
export function createNotificationsService(deps: { db: Db; clock: Clock; ids: IdGen; keyring: Keyring; notifier: Notifier }) {
  const { db, clock, ids, keyring } = deps;

  async function addressOf(r: NotificationRecipient): Promise<string | undefined> {
    if (r.channel === 'sms') return r.phone;
    const enc = await repo.accountEmailEnc(db, r.accountId);
    if (!enc) return undefined;
    return (await keyring.decrypt(workerCtx, db, 'registry', enc, emailContext(r.accountId))).toString('utf8');
  }

  return {
    /**
     * Sends a message to each recipient once. Called by outbox handlers after commit; a failure is
     * recorded on the notification and rethrown so the outbox retries with backoff (STYLE C20).
     * @param d - what to send to whom
     * @returns how many were sent now
     * @throws when any recipient failed (the others are not sent again on retry)
     */
    async deliver(d: Delivery): Promise<number> {
      let sent = 0;
      const failures: string[] = [];
      for (const r of d.recipients) {
        const now = toDate(clock.now());
        const key = `${d.sourceId}:${r.accountId ?? 'phone'}:${r.channel}`;
        const n = await repo.upsertNotification(db, {
          id: ids.uuid(),
          dedupeKey: key,
          kind: d.message.kind,
          channel: r.channel,
          requestId: d.requestId,
          recipientAccountId: r.accountId,
          facilityId: d.facilityId,
          at: now,
        });
        if (n.status === 'sent') continue;
        try {
          const to = await addressOf(r);
          if (!to) throw new Error('recipient has no address');
          const lang = r.accountId ? await repo.accountLanguage(db, r.accountId) : r.channel === 'sms' ? (r.lang ?? 'bg') : 'bg';
          const { subject, text } = renderNotification(d.message, r.channel, lang);
          await deps.notifier.send({ channel: r.channel, to, subject, text }, n.id);
          await repo.markSent(db, n.id, toDate(clock.now()));
          sent += 1;
        } catch (err) {
          const message = err instanceof Error ? err.message : 'send failed';
          await repo.markFailed(db, n.id, message, FAIL_AFTER);
          failures.push(message);
        }
      }
      if (failures.length > 0) throw new Error(`${failures.length} notification(s) failed: ${failures[0] ?? ''}`);
      return sent;
    },

    /**
     * Delivery status for administrators: a facility administrator sees the facility's messages, the
     * operator sees all (no clinical content, no addresses).
     * @param ctx - a facility administrator or the operator
     * @param status - optional filter
     * @returns the newest notifications
     * @throws {ForbiddenError} for other roles
     */
    async listNotifications(ctx: RequestCtx, status?: 'pending' | 'sent' | 'failed'): Promise<NotificationList> {
      const actor = ctx.actor;
      if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
      let facilityIds: readonly string[] | undefined;
      if (actor.role === 'facility_admin' || actor.role === 'coordinator') facilityIds = actor.facilityIds;
      else if (actor.role !== 'operator') throw new ForbiddenError('Only administrators see message delivery');
      const rows = await repo.listNotifications(db, { ...(facilityIds ? { facilityIds } : {}), ...(status ? { status } : {}) });
      return {
        items: rows.map((n) => ({
          id: n.id,
          kind: n.kind,
          channel: n.channel,
          status: n.status,
          attempts: n.attempts,
          lastError: n.last_error,
          requestId: n.request_id,
          facilityId: n.facility_id,
          createdAt: fromDate(n.created_at).toString(),
          sentAt: n.sent_at ? fromDate(n.sent_at).toString() : null,
        })),
      };
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
