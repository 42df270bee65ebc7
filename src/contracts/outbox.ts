import { z } from 'zod';
import { Instant } from './common.js';

// The catalogue of outbox messages (STYLE C20): every kind a module enqueues, with its payload. The
// outbox validates each message against it when it is written, so a misspelt kind or a payload that
// lost a field fails in the writing transaction (and in tests) instead of in a handler later.

const Uuid = z.string().min(1);

export const OutboxMessageSchema = z.discriminatedUnion('type', [
  // requests (docs/requests.md): notifications of the two sides, emergency escalation, reminders.
  z.object({ type: z.literal('request.notify'), payload: z.looseObject({ requestId: Uuid, event: z.string().min(1), side: z.string().optional(), position: z.number().int().optional() }) }),
  z.strictObject({ type: z.literal('request.escalate'), payload: z.strictObject({ requestId: Uuid, position: z.number().int().min(1) }) }),
  z.strictObject({ type: z.literal('request.reminder'), payload: z.strictObject({ appointmentId: Uuid, kind: z.enum(['reminder_24h', 'reminder_1h']) }) }),
  // consent: a withdrawn recording consent stops recordings at once (R-TM-25).
  z.strictObject({ type: z.literal('recording.consent_withdrawn'), payload: z.strictObject({ requestId: Uuid, consentId: Uuid }) }),
  // records: NHIS submission, Art. 17 deadline checks and notifications.
  z.strictObject({ type: z.literal('records.nhis_submit'), payload: z.strictObject({ submissionId: Uuid }) }),
  z.strictObject({ type: z.literal('records.deadline_check'), payload: z.strictObject({ requestId: Uuid, phase: z.enum(['escalate', 'due']) }) }),
  z.strictObject({ type: z.literal('records.deadline_notify'), payload: z.strictObject({ requestId: Uuid, event: z.enum(['missed', 'escalated']) }) }),
  // sick-leave: sick leaves and medical notices sent to the NHIS expertise register.
  z.strictObject({ type: z.literal('sick_leave.nhis'), payload: z.strictObject({ type: z.enum(['sick_leave', 'notice_issue', 'notice_cancel']), id: Uuid }) }),
  // sick-leave: an expertise deadline due by the next working day, or missed, e-mailed to the practice.
  z.strictObject({ type: z.literal('sick_leave.deadline_notify'), payload: z.strictObject({ deadlineId: Uuid, event: z.enum(['missed', 'escalated']) }) }),
  // registry: bring the facility's entry in the NHIS telemedicine database in line (Art. 24, R-TM-34).
  z.strictObject({ type: z.literal('registry.nhis_sync'), payload: z.strictObject({ facilityId: Uuid }) }),
  // insurance: the notice due for a foreigner's booking (R-PC-13).
  z.strictObject({ type: z.literal('insurance.notice_due'), payload: z.strictObject({ eventId: Uuid }) }),
  // referrals: e-referrals and e-prescriptions sent to (or cancelled in) the NHIS (R/P messages).
  z.strictObject({ type: z.literal('referrals.nhis'), payload: z.strictObject({ kind: z.enum(['referral', 'prescription']), id: Uuid, op: z.enum(['issue', 'cancel']) }) }),
  // backup: a failed backup or restore check mails the operators (Art. 28(1) items 6-7).
  z.strictObject({ type: z.literal('backup.alert'), payload: z.strictObject({ what: z.enum(['backup', 'restore_check']), reference: z.string().min(1), detail: z.string() }) }),
  // practice: the prophylaxis plan's reminders to a due patient and the GP's summary (W20, R-PRO-01).
  z.strictObject({
    type: z.literal('practice.prophylaxis_reminder'),
    payload: z.union([
      z.strictObject({ to: z.literal('patient'), facilityId: Uuid, practitionerId: Uuid, patientId: Uuid, month: z.string().regex(/^\d{4}-\d{2}$/) }),
      z.strictObject({ to: z.literal('gp'), facilityId: Uuid, practitionerId: Uuid, month: z.string().regex(/^\d{4}-\d{2}$/), count: z.number().int().min(1) }),
    ]),
  }),
  // access: supervision cases (Art. 21).
  z.strictObject({ type: z.literal('access.supervision_notify'), payload: z.strictObject({ caseId: Uuid, event: z.enum(['opened', 'closed']) }) }),
  // identity: mails with one-time links, and the notice of staff changes to a facility's administrators.
  z.strictObject({
    type: z.literal('auth.password_reset_mail'),
    payload: z.union([z.strictObject({ challengeId: Uuid, accountId: Uuid, tokenEnc: z.string().min(1) }), z.strictObject({ accountId: Uuid, noSecondFactor: z.literal(true) })]),
  }),
  z.strictObject({
    type: z.literal('auth.registration_mail'),
    payload: z.union([
      z.strictObject({ kind: z.literal('confirm'), accountId: Uuid, challengeId: Uuid, tokenEnc: z.string().min(1) }),
      z.strictObject({ kind: z.enum(['already_registered', 'identifier_used']), accountId: Uuid }),
    ]),
  }),
  z.strictObject({ type: z.literal('auth.activation_mail'), payload: z.strictObject({ challengeId: Uuid, accountId: Uuid, tokenEnc: z.string().min(1), reason: z.enum(['created', 'mfa_reset', 'email_changed', 'resent']) }) }),
  z.strictObject({
    type: z.literal('account.staff_change_notice'),
    payload: z.strictObject({ change: z.enum(['created', 'activated', 'email_changed', 'mfa_reset']), accountId: Uuid, actorId: Uuid.nullable(), facilityId: Uuid, at: Instant }),
  }),
]);
export type OutboxMessageInput = z.infer<typeof OutboxMessageSchema>;
export type OutboxKind = OutboxMessageInput['type'];
