import { z } from 'zod';
import { Instant } from './common.js';

// Notifications (STYLE C20): the administrators' delivery view and the development sink.


/** What a message is about. Messages carry no clinical content. */
export const NotificationKindSchema = z.enum([
  'request_received', // the requester's confirmation that the request was filed (and the slot held)
  'request_new', // the providing specialist has a new request
  'request_changed', // accepted, declined, scheduled, rescheduled, cancelled, …
  'reminder_24h', // 24 hours before the appointment
  'reminder_1h', // 1 hour before the appointment
  'emergency_alert', // an emergency consultation waits for the specialist on the rota
  'emergency_accepted', // the requester: a specialist acknowledged the emergency
  'password_reset', // the account holder: a password-reset link
  'account_activation', // the account holder: a staff activation link (docs/identity.md)
  'account_registration', // the registrant: the e-mail confirmation link, or a notice about a registration attempt (docs/registration.md)
  'staff_account_changed', // a facility's other administrators: a staff account was created, activated, re-addressed or its 2FA reset
  'deadline_escalated', // the facility: 80% of an Art. 17 documentation deadline has passed
  'deadline_missed', // the facility: an Art. 17 documentation deadline was breached
  'expertise_deadline_escalated', // the practice: an expertise deadline (TELK protocol, lent dossier, R-SL-16/17) is due by the next working day
  'expertise_deadline_missed', // the practice: an expertise deadline was breached
  'supervision_opened', // the facility and the patient: the supervisory agency opened a case (Art. 21)
  'supervision_closed', // the facility and the patient: the supervision case was closed
  'backup_failed', // the operator: a backup missed a destination, or a restore check failed (docs/operations.md)
  'prophylaxis_due', // the patient (and representatives): a prophylactic exam is due this month (W20, R-PRO-01)
  'prophylaxis_worklist', // the GP: how many listed patients are due this month and were invited (W20)
]);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

export const NotificationSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  channel: z.enum(['email', 'sms']),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  requestId: z.uuid().nullable(),
  facilityId: z.uuid().nullable(),
  createdAt: Instant,
  sentAt: Instant.nullable(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export const NotificationListSchema = z.object({ items: z.array(NotificationSchema) });
export type NotificationList = z.infer<typeof NotificationListSchema>;
export const NotificationQuerySchema = z.object({ status: z.enum(['pending', 'sent', 'failed']).optional() });
