import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { SickLeave } from '../../contracts/sick-leave.js';
import { actingPractitioner, dataContext, EXPERTISE_NHIS, localDate, rulesOn, toSickLeave, type SickLeaveData, type SickLeaveDeps } from './sick-leave.deps.js';
import { checkDuplicate } from './sick-leave-rules.js';
import { ruleRefusal } from './issue-sick-leave.js';
import * as repo from './sick-leave.repo.js';

/**
 * `POST /sick-leaves/:id/duplicate`: the issuing facility issues a duplicate marked "дубликат" on a written
 * request with a reason (R-SL-17, R-SL-18), within 1 working day of the request (the deadline is recorded
 * met or late). The duplicate counts for no limit.
 * @param deps - see `SickLeaveDeps`
 * @returns the use case
 */
export function issueDuplicateUseCase(deps: SickLeaveDeps) {
  return async function issueDuplicate(ctx: RequestCtx, originalId: string, body: { requestedOn: string; requestedBy: 'patient' | 'employer' | 'other'; written: boolean; reason: string }): Promise<SickLeave> {
    return deps.policy.guard(ctx, async () => {
      try {
        return await withTransaction(deps.db, async (tx) => {
          const original = await repo.findSickLeave(tx, originalId);
          if (!original) throw new NotFoundError('sick_leave', originalId);
          await deps.policy.assertCanReadPatient(ctx, tx, original.patient_id, 'clinical', original.facility_id);
          const actor = ctx.actor.type === 'user' ? ctx.actor : null;
          const actorFacility = actor?.facilityIds.includes(original.facility_id) ? original.facility_id : (actor?.facilityIds[0] ?? '');
          const d = checkDuplicate({ originalFacilityId: original.facility_id, actorFacilityId: actorFacility, written: body.written, reason: body.reason, requestedBy: body.requestedBy });
          if (!d.ok) throw ruleRefusal(d.code, d.rule, d.detail);
          if (original.duplicate_of) throw new AppError('sick_leave.duplicate_refused', { detail: 'Issue the duplicate from the original', meta: { rule: 'R-SL-18' } });
          const me = await actingPractitioner(ctx, tx, original.facility_id);
          const now = deps.clock.now();
          const today = localDate(now, deps.zone);
          const rules = await rulesOn(tx, today);
          const data = await deps.keyring.decryptJson<SickLeaveData>(ctx, tx, facilityScope(original.facility_id), original.data_enc, dataContext('sick_leave', original.id));
          const id = deps.ids.uuid();
          const at = toDate(now);
          await repo.insertSickLeave(tx, {
            ...original,
            id,
            certificate_set: deps.ids.uuid(),
            duplicate_of: original.id,
            issued_on: today,
            late_issue_reason: null,
            data_enc: await deps.keyring.encryptJson(tx, facilityScope(original.facility_id), { ...data, duplicateReason: body.reason, duplicateRequestedBy: body.requestedBy }, dataContext('sick_leave', id)),
            issued_by: me.accountId,
            created_at: at,
          });
          await deps.outbox.enqueue(tx, EXPERTISE_NHIS, { type: 'sick_leave', id });
          // R-SL-17: within 1 working day of the written request.
          await repo.upsertDeadline(tx, { id: deps.ids.uuid(), facility_id: original.facility_id, patient_id: original.patient_id, kind: 'duplicate_leave', rule_id: 'R-SL-17', subject_id: id, started_on: body.requestedOn, due_on: deps.calendar.addWorkingDays(Temporal.PlainDate.from(body.requestedOn), rules.deadlines.duplicateWorkingDays).toString(), done_on: today, at });
          await deps.audit.record(tx, ctx, { action: 'sick_leave.duplicate_issued', patientId: original.patient_id, facilityId: original.facility_id, subject: { type: 'sick_leave', id }, data: { originalId: original.id, requestedBy: body.requestedBy } });
          const row = await repo.findSickLeave(tx, id);
          if (!row) throw new Error('duplicate vanished');
          return toSickLeave(deps, ctx, tx, row);
        });
      } catch (err) {
        const rule = err instanceof AppError && typeof err.meta?.['rule'] === 'string' ? err.meta['rule'] : undefined;
        if (rule) await deps.audit.recordStandalone(ctx, { action: 'sick_leave.refused', outcome: 'failure', data: { rule, code: (err as AppError).code, originalId } });
        throw err;
      }
    });
  };
}
