import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import { EXPERTISE_DEADLINE_NOTIFY, localDate, type SickLeaveDeps } from './sick-leave.deps.js';
import * as repo from './sick-leave.repo.js';

type State = 'open' | 'due_today' | 'breached' | 'met' | 'late';
const stateOf = (d: repo.DeadlineRow, today: string): State => (d.done_on ? (d.done_on <= d.due_on ? 'met' : 'late') : d.due_on < today ? 'breached' : d.due_on === today ? 'due_today' : 'open');

/** What each deadline is, in the e-mail's words (no patient, no clinical content). */

/**
 * The expertise deadlines (R-SL-16, R-SL-17, R-TELK-01, R-TELK-05) on the working-day calendar: the
 * facility's compliance view and the periodic check that escalates a deadline from the last working day
 * before it is due (so the practice has a working day to act, holidays skipped), records a breach after
 * it, and e-mails the practice about each through the outbox (audited; the compliance view lists them).
 * @param deps - see `SickLeaveDeps`
 * @returns the use cases
 */
export function expertiseDeadlineUseCases(deps: SickLeaveDeps) {
  return {
    async listDeadlines(ctx: RequestCtx, facilityId: string) {
      const a = ctx.actor;
      if (a.type === 'anonymous') throw new AppError('auth.unauthenticated');
      if (a.type !== 'user' || !['facility_admin', 'coordinator', 'specialist'].includes(a.role) || !a.facilityIds.includes(facilityId)) throw new ForbiddenError('Only the facility sees its deadlines');
      const today = localDate(deps.clock.now(), deps.zone);
      const rows = await repo.listDeadlines(deps.db, facilityId);
      const iso = (x: Date | string | null) => (x ? new Date(x).toISOString() : null);
      return {
        items: rows.map((d) => ({ id: d.id, facilityId: d.facility_id, patientId: d.patient_id, kind: d.kind, ruleId: d.rule_id, subjectId: d.subject_id, startedOn: d.started_on, dueOn: d.due_on, doneOn: d.done_on, state: stateOf(d, today), escalatedAt: iso(d.escalated_at), breachedAt: iso(d.breached_at) })),
      };
    },

    /** The periodic check: escalates the deadlines due by the next working day, records the breached ones. Idempotent. */
    async checkDeadlines(): Promise<{ escalated: number; breached: number }> {
      const ctx = systemCtx('sick_leave.deadlines');
      const now = deps.clock.now();
      const today = localDate(now, deps.zone);
      // Due on or before the next working day ⇔ today is on or after the last working day before the due day.
      const horizon = deps.calendar.addWorkingDays(Temporal.PlainDate.from(today), 1).toString();
      return withTransaction(deps.db, async (tx) => {
        let escalated = 0;
        let breached = 0;
        for (const d of await repo.openDeadlinesDueBy(tx, horizon)) {
          const what = d.due_on < today ? 'breached' : 'escalated';
          if (await repo.markDeadline(tx, d.id, what, toDate(now))) {
            if (what === 'breached') breached += 1;
            else escalated += 1;
            await deps.audit.record(tx, ctx, { action: what === 'breached' ? 'expertise.deadline_missed' : 'expertise.deadline_escalated', facilityId: d.facility_id, patientId: d.patient_id, subject: { type: 'expertise_deadline', id: d.id }, data: { kind: d.kind, rule: d.rule_id, dueOn: d.due_on } });
            await deps.outbox.enqueue(tx, EXPERTISE_DEADLINE_NOTIFY, { deadlineId: d.id, event: what === 'breached' ? 'missed' : 'escalated' });
          }
        }
        return { escalated, breached };
      });
    },

    /**
     * Outbox handler of EXPERTISE_DEADLINE_NOTIFY: e-mails the practice's administrators and coordinators and
     * the doctor the deadline belongs to. Idempotent per deadline, event and recipient; an escalation whose
     * deadline was met before the message ran is not sent.
     * @param msg - `{ deadlineId, event: 'escalated' | 'missed' }`
     */
    async handleDeadlineNotify(msg: OutboxMessage): Promise<void> {
      const p = msg.payload as { deadlineId?: unknown; event?: unknown };
      if (typeof p.deadlineId !== 'string' || (p.event !== 'escalated' && p.event !== 'missed')) throw new Error('expertise deadline notification without deadlineId or event');
      const d = await repo.findDeadline(deps.db, p.deadlineId);
      if (!d || (p.event === 'escalated' && d.done_on)) return;
      const facility = (await repo.facilityName(deps.db, d.facility_id)) ?? '';
      const ref = d.id.slice(-8).toUpperCase();
      const recipients = (await repo.deadlineRecipients(deps.db, d.facility_id, d.subject_id)).map((accountId) => ({ channel: 'email' as const, accountId }));
      // Security: operational text only — what, the reference, the facility, the due day; never the patient.
      await deps.notifications.deliver({
        sourceId: `expertise_deadline:${d.id}:${p.event}`,
        requestId: null,
        facilityId: d.facility_id,
        recipients,
        message: { kind: p.event === 'escalated' ? 'expertise_deadline_escalated' : 'expertise_deadline_missed', what: d.kind, ref, facility, dueOn: d.due_on },
      });
    },
  };
}
