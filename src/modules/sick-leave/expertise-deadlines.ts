import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import { localDate, type SickLeaveDeps } from './sick-leave.deps.js';
import * as repo from './sick-leave.repo.js';

type State = 'open' | 'due_today' | 'breached' | 'met' | 'late';
const stateOf = (d: repo.DeadlineRow, today: string): State => (d.done_on ? (d.done_on <= d.due_on ? 'met' : 'late') : d.due_on < today ? 'breached' : d.due_on === today ? 'due_today' : 'open');

/**
 * The expertise deadlines (R-SL-16, R-SL-17, R-TELK-01, R-TELK-05) on the working-day calendar: the
 * facility's compliance view and the daily check that escalates on the due day and records a breach
 * after it (audited; the facility's dashboard lists them).
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

    /** The daily check: escalates the deadlines due today, records the breached ones. Idempotent. */
    async checkDeadlines(): Promise<{ escalated: number; breached: number }> {
      const ctx = systemCtx('sick_leave.deadlines');
      const now = deps.clock.now();
      const today = localDate(now, deps.zone);
      return withTransaction(deps.db, async (tx) => {
        let escalated = 0;
        let breached = 0;
        for (const d of await repo.openDeadlinesDueBy(tx, today)) {
          const what = d.due_on < today ? 'breached' : 'escalated';
          if (await repo.markDeadline(tx, d.id, what, toDate(now))) {
            if (what === 'breached') breached += 1;
            else escalated += 1;
            await deps.audit.record(tx, ctx, { action: what === 'breached' ? 'expertise.deadline_missed' : 'expertise.deadline_escalated', facilityId: d.facility_id, patientId: d.patient_id, subject: { type: 'expertise_deadline', id: d.id }, data: { kind: d.kind, rule: d.rule_id, dueOn: d.due_on } });
          }
        }
        return { escalated, breached };
      });
    },
  };
}
