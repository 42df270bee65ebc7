import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import { accountsSpeakingForIn } from '../access/index.js';
import { listGpListsIn, listListedPatientsIn } from '../gp/index.js';
import type { Delivery } from '../notifications/index.js';
import { prophylaxisDue } from './desk-rules.js';
import { ruleOn } from './fee-rules.js';
import type { PracticeDeps } from './practice.deps.js';
import * as repo from './practice.repo.js';

/** The outbox message of one reminder: to a patient (and representatives), or the GP's summary. */
export const PROPHYLAXIS_REMINDER = 'practice.prophylaxis_reminder';
export const PROPHYLAXIS_REMINDER_JOB = 'practice.prophylaxis_reminders';
/** Reminders leave at this local hour, not at the minute the job first runs after midnight. */
const SEND_AT = Temporal.PlainTime.from('09:00');

type ReminderPayload =
  | { to: 'patient'; facilityId: string; practitionerId: string; patientId: string; month: string }
  | { to: 'gp'; facilityId: string; practitionerId: string; month: string; count: number };

/**
 * The prophylaxis plan's reminders (W20 step 1, R-PRO-01): on the first working day of each month (the
 * Bulgarian calendar: holidays, moved days, Council of Ministers decisions), every GP's listed patients due a
 * prophylactic exam that month are invited by e-mail (their accounts and representatives), and the GP is told
 * how many were invited. Idempotent: the job runs once per local day, and each delivery is keyed by month and
 * patient.
 * @returns the planning use case and the outbox handler
 */
export function prophylaxisReminderUseCases(deps: PracticeDeps) {
  const ctx = systemCtx(PROPHYLAXIS_REMINDER_JOB);

  /** W20: reminders go out on the month's first working day; weekends and holidays before it wait for it. */
  function reminderDayOf(day: Temporal.PlainDate): Temporal.PlainDate {
    const first = day.with({ day: 1 });
    return deps.calendar.isWorkingDay(first) ? first : deps.calendar.nextWorkingDay(first);
  }

  return {
    /**
     * Plans the month's reminders when `today` is its first working day; any other day plans nothing.
     * @param today - the local date (`YYYY-MM-DD`) of the injected clock
     * @returns how many patients and GPs will be reminded, or why none
     */
    async planProphylaxisReminders(today: string): Promise<{ month: string; patients: number; gps: number } | { skipped: 'not_first_working_day' }> {
      const day = Temporal.PlainDate.from(today);
      if (!day.equals(reminderDayOf(day))) return { skipped: 'not_first_working_day' };
      const month = day.toPlainYearMonth().toString();
      const now = deps.clock.now();
      const sendAt = day.toZonedDateTime({ timeZone: deps.zone, plainTime: SEND_AT }).toInstant();
      const at = Temporal.Instant.compare(sendAt, now) > 0 ? sendAt : now;
      return withTransaction(deps.db, async (tx) => {
        const first = day.with({ day: 1 }).toString();
        const next = day.with({ day: 1 }).add({ months: 1 }).toString();
        const bands = ruleOn(await repo.loadRules(tx), 'pro.frequency', first);
        let patients = 0;
        let gps = 0;
        for (const list of await listGpListsIn(tx, first)) {
          const listed = await listListedPatientsIn(tx, list.facilityId, list.practitionerId, first);
          const lastExams = await repo.lastProphylaxisExams(tx, list.facilityId, listed, next);
          const births = await deps.patients.birthDatesForPlanIn(tx, ctx, listed, list.facilityId);
          let due = 0;
          for (const patientId of listed) {
            const birthDate = births.get(patientId);
            if (!birthDate || !prophylaxisDue(birthDate, lastExams.get(patientId) ?? null, month, bands).due) continue;
            await deps.outbox.enqueue(tx, PROPHYLAXIS_REMINDER, { to: 'patient', facilityId: list.facilityId, practitionerId: list.practitionerId, patientId, month } satisfies ReminderPayload, at);
            due += 1;
          }
          if (due === 0) continue;
          await deps.outbox.enqueue(tx, PROPHYLAXIS_REMINDER, { to: 'gp', facilityId: list.facilityId, practitionerId: list.practitionerId, month, count: due } satisfies ReminderPayload, at);
          await deps.audit.record(tx, ctx, { action: 'practice.prophylaxis_reminders_planned', facilityId: list.facilityId, subject: { type: 'practitioner', id: list.practitionerId }, data: { month, count: due, rule: 'R-PRO-01' } });
          patients += due;
          gps += 1;
        }
        return { month, patients, gps };
      });
    },

    /**
     * Outbox handler of PROPHYLAXIS_REMINDER: words nothing itself (the notifications catalogue does) and
     * names no diagnosis — only that a prophylactic exam is due, with whom, and the practice's phone.
     * @param msg - the planned reminder
     * @param deliver - the notifications module's delivery
     */
    async handleProphylaxisReminder(msg: OutboxMessage, deliver: (d: Delivery) => Promise<number>): Promise<void> {
      const p = msg.payload as ReminderPayload;
      const contacts = await repo.planContacts(deps.db, p.facilityId, p.practitionerId);
      if (!contacts) return;
      if (p.to === 'gp') {
        if (!contacts.gpAccountId) return;
        await deliver({ sourceId: `prophylaxis:${p.month}:${p.practitionerId}:gp`, requestId: null, facilityId: p.facilityId, recipients: [{ channel: 'email', accountId: contacts.gpAccountId }], message: { kind: 'prophylaxis_worklist', practice: contacts.practice, month: p.month, count: p.count } });
        return;
      }
      const accounts = await accountsSpeakingForIn(deps.db, p.patientId, new Date(deps.clock.now().epochMilliseconds));
      if (accounts.length === 0) return;
      await deliver({
        sourceId: `prophylaxis:${p.month}:${p.patientId}`,
        requestId: null,
        facilityId: p.facilityId,
        recipients: accounts.map((accountId) => ({ channel: 'email' as const, accountId })),
        message: { kind: 'prophylaxis_due', practice: contacts.practice, gp: contacts.gp, month: p.month, phone: contacts.phone },
      });
    },
  };
}
