import { fromDate, toDate, Temporal } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import type { RequestForm } from '../../contracts/requests.js';
import type { NotificationRecipient, RequestChange } from '../notifications/index.js';
import type { Side } from './request-status.js';
import * as repo from './requests.repo.js';
import { formContext, workerCtx, type RequestsDeps } from './request-common.js';

/**
 * The requests module's outbox handlers, run after commit (STYLE C20): notifications of each change,
 * appointment reminders, and the escalation of an unacknowledged emergency along the rota.
 * @param deps - the requests dependencies
 * @returns registerOutboxHandlers
 */
export function createRequestNotificationHandlers(deps: RequestsDeps) {
  const { db, clock, ids, keyring, audit, outbox } = deps;

  async function requesterRecipients(row: repo.RequestRow): Promise<NotificationRecipient[]> {
    const out: NotificationRecipient[] = [{ channel: 'email', accountId: row.requester_account_id }];
    if (row.recipient_kind === 'patient') {
      // Art. 18 item 4: the recipient's phone from the form; decrypted only to send, never stored or logged.
      const form = await keyring.decryptJson<RequestForm>(workerCtx, db, facilityScope(row.provider_facility_id), row.form_enc, formContext(row.id));
      out.push({ channel: 'sms', accountId: null, phone: form.phone });
    }
    return out;
  }

  async function providerRecipients(row: repo.RequestRow): Promise<NotificationRecipient[]> {
    if (!row.practitioner_id) return [];
    const account = await repo.accountOfPractitioner(db, row.practitioner_id);
    return account ? [{ channel: 'email', accountId: account }] : [];
  }

  const ref = (id: string) => id.slice(-8).toUpperCase();
  const CHANGES: ReadonlySet<string> = new Set<RequestChange>(['accept', 'decline', 'schedule', 'start', 'complete', 'document', 'cancel', 'no_show', 'reschedule']);
  const isRequestChange = (e: string): e is RequestChange => CHANGES.has(e);

  async function handleNotify(msg: OutboxMessage): Promise<void> {
    const p = msg.payload as { requestId: string; event: string; side?: Side; position?: number };
    const row = await repo.findRequest(db, p.requestId);
    if (!row) return;
    const zone = (await repo.facilityTimeZone(db, row.provider_facility_id)) ?? 'Europe/Sofia';
    const when = row.appointment_start ? { at: row.appointment_start.toISOString(), zone } : null;
    const base = { sourceId: msg.id, requestId: row.id, facilityId: row.provider_facility_id };
    const facility = row.provider_facility_name;
    // Security: operational text only — reference, facility, time, status; never specialty or content.
    if (p.event === 'created') {
      await deps.notifications.deliver({
        ...base,
        recipients: await requesterRecipients(row),
        message: { kind: 'request_received', ref: ref(row.id), facility, when },
      });
      await deps.notifications.deliver({
        ...base,
        sourceId: `${msg.id}:provider`,
        recipients: await providerRecipients(row),
        message: { kind: 'request_new', ref: ref(row.id), when },
      });
      if (row.appointment_id && row.appointment_start) await scheduleReminders(row.appointment_id, row.appointment_start);
      return;
    }
    if (p.event === 'emergency_alert') {
      const alerts = await repo.listAlerts(db, row.id);
      const targets = p.position === 0 ? alerts : alerts.filter((a) => a.position === p.position);
      const recipients: NotificationRecipient[] = [];
      for (const a of targets) {
        const account = await repo.accountOfPractitioner(db, a.practitioner_id);
        if (account) recipients.push({ channel: 'email', accountId: account });
      }
      await deps.notifications.deliver({
        ...base,
        recipients,
        message: { kind: 'emergency_alert', ref: ref(row.id), fromFacility: row.requester_facility_name ?? '' },
      });
      return;
    }
    if (p.event === 'emergency_accepted') {
      await deps.notifications.deliver({
        ...base,
        recipients: [{ channel: 'email', accountId: row.requester_account_id }],
        message: { kind: 'emergency_accepted', ref: ref(row.id), specialist: row.practitioner_name ?? '', facility },
      });
      return;
    }
    // Any other transition: tell the other side, in words (never the action or status codes).
    if (!isRequestChange(p.event)) throw new Error(`request notification for an unknown event`);
    const recipients = p.side === 'provider' ? await requesterRecipients(row) : await providerRecipients(row);
    await deps.notifications.deliver({
      ...base,
      recipients,
      message: { kind: 'request_changed', ref: ref(row.id), facility, when, change: p.event },
    });
    if (p.event === 'reschedule' && row.appointment_id && row.appointment_start) await scheduleReminders(row.appointment_id, row.appointment_start);
  }

  async function scheduleReminders(appointmentId: string, start: Date): Promise<void> {
    const startAt = fromDate(start);
    const now = clock.now();
    for (const [kind, hours] of [['reminder_24h', 24], ['reminder_1h', 1]] as const) {
      const due = startAt.subtract({ hours });
      if (Temporal.Instant.compare(due, now) <= 0) continue;
      // Idempotency: a duplicate reminder row sends nothing twice (the notification key is per appointment).
      await outbox.enqueue(db, 'request.reminder', { appointmentId, kind }, due);
    }
  }

  async function handleReminder(msg: OutboxMessage): Promise<void> {
    const p = msg.payload as { appointmentId: string; kind: 'reminder_24h' | 'reminder_1h' };
    // Tricky: the appointment may have been cancelled or moved since; only a live one is reminded.
    const appt = await repo.findAppointment(db, p.appointmentId);
    if (!appt || !['pending', 'booked'].includes(appt.status)) return;
    const row = await repo.findRequest(db, appt.request_id);
    if (!row?.appointment_start || row.appointment_id !== p.appointmentId) return;
    const zone = (await repo.facilityTimeZone(db, row.provider_facility_id)) ?? 'Europe/Sofia';
    await deps.notifications.deliver({
      sourceId: `${p.appointmentId}:${p.kind}`,
      requestId: row.id,
      facilityId: row.provider_facility_id,
      recipients: [...(await requesterRecipients(row)), ...(await providerRecipients(row))],
      message: { kind: p.kind, ref: ref(row.id), facility: row.provider_facility_name, when: { at: row.appointment_start.toISOString(), zone } },
    });
  }

  async function handleEscalate(msg: OutboxMessage): Promise<void> {
    const p = msg.payload as { requestId: string; position: number };
    const ctx = systemCtx('requests.escalation');
    await withTransaction(db, async (tx) => {
      const row = await repo.findRequest(tx, p.requestId);
      if (!row || row.status !== 'requested' || row.escalation_position !== p.position) return;
      const rota = await repo.listRota(tx, row.provider_facility_id, row.specialty_code);
      const now = clock.now();
      const nextMember = rota.find((m) => m.position > p.position);
      // Past the end of the rota everyone on it is alerted at once (position 0 = all), and escalation stops.
      const next = nextMember ? nextMember.position : 0;
      if (p.position === 0 || !(await repo.casEscalation(tx, row.id, p.position, next, toDate(now)))) return;
      if (nextMember) await repo.insertAlert(tx, { requestId: row.id, position: nextMember.position, practitionerId: nextMember.practitioner_id, at: toDate(now) });
      await audit.record(tx, ctx, {
        action: 'request.emergency_escalated',
        facilityId: row.provider_facility_id,
        subject: { type: 'service_request', id: row.id },
        data: { from: p.position, to: next },
      });
      await repo.insertEvent(tx, { id: ids.uuid(), requestId: row.id, action: 'escalate', fromStatus: 'requested', toStatus: 'requested', side: 'system', actorAccountId: null, reasonEnc: null, at: toDate(now) });
      await outbox.enqueue(tx, 'request.notify', { requestId: row.id, event: 'emergency_alert', position: next });
      if (nextMember) {
        const rules = await repo.findPolicy(tx, row.provider_facility_id);
        await outbox.enqueue(tx, 'request.escalate', { requestId: row.id, position: next }, now.add({ minutes: rules.emergency_ack_minutes }));
      }
    });
  }

  return {
    /** Registers the outbox handlers (notifications, reminders, emergency escalation). */
    registerOutboxHandlers(): void {
      outbox.on('request.notify', handleNotify);
      outbox.on('request.reminder', handleReminder);
      outbox.on('request.escalate', handleEscalate);
    },
  };
}
