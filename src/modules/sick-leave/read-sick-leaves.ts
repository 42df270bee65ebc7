import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { LimitCountersView, SickLeave } from '../../contracts/sick-leave.js';
import { localDate, rulesOn, toSickLeave, type SickLeaveDeps } from './sick-leave.deps.js';
import { checkLimits, type SickLeaveKind } from './sick-leave-rules.js';
import * as repo from './sick-leave.repo.js';

/**
 * A patient's certificates (`GET /patients/:id/sick-leaves`) and the counters a doctor sees before issuing
 * (R-SL-01, R-SL-02, DECISIONS.md item 18). Access-checked and audited in the same transaction.
 * @param deps - see `SickLeaveDeps`
 * @returns the use cases
 */
export function readSickLeavesUseCases(deps: SickLeaveDeps) {
  return {
    async listPatientSickLeaves(ctx: RequestCtx, patientId: string): Promise<{ items: SickLeave[] }> {
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const rows = (await repo.listSickLeaves(tx, patientId)).filter((r) => !access.facilityScope || access.facilityScope.includes(r.facility_id));
          const items = await Promise.all(rows.map((r) => toSickLeave(deps, ctx, tx, r)));
          await deps.audit.record(tx, ctx, { action: 'sick_leave.read', patientId, ...(access.facilityId ? { facilityId: access.facilityId } : {}), reason: access.reason, data: { count: items.length } });
          return { items };
        }),
      );
    },

    async readCounters(ctx: RequestCtx, patientId: string, q: { practitionerId: string; kind: SickLeaveKind; startOn: string; endOn: string }): Promise<{ ok: boolean; rule: string | null; counters: LimitCountersView }> {
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'clinical');
          const rules = await rulesOn(tx, localDate(deps.clock.now(), deps.zone));
          const r = checkLimits(q, await repo.priorLeaves(tx, patientId), q.practitionerId, rules.limits);
          await deps.audit.record(tx, ctx, { action: 'sick_leave.read', patientId, ...(access.facilityId ? { facilityId: access.facilityId } : {}), reason: access.reason, data: { counters: true } });
          return { ok: r.ok, rule: r.ok ? null : r.rule, counters: r.counters };
        }),
      );
    },
  };
}
