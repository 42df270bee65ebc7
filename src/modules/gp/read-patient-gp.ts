import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { PatientGp } from '../../contracts/gp.js';
import { ruleOn } from './dated-rules.js';
import { changeWindowInfo, localDate } from './gp-rules.js';
import { toRegistration, type GpDeps } from './gp.deps.js';
import * as repo from './gp.repo.js';

/**
 * `GET /patients/:id/gp`: the GP in charge today, the permanent and temporary choices, the full history
 * and the change window explained (R-GP-02). Access-checked and audited (`gp.choice_read`).
 * @param deps - see `GpDeps`
 * @returns the use case
 */
export function readPatientGpUseCase(deps: GpDeps) {
  return async function readPatientGp(ctx: RequestCtx, patientId: string): Promise<PatientGp> {
    return deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const access = await deps.policy.assertCanReadPatient(ctx, tx, patientId, 'demographics');
        const rows = await repo.listRegistrations(tx, patientId);
        const today = localDate(deps.clock.now(), deps.zone).toString();
        // R-GP-05: whatever the daily job has done yet, a temporary choice is in charge only within its stay.
        const isOpen = (r: repo.RegistrationRow) => r.starts_on <= today && (r.ended_on === null || r.ended_on > today);
        const permanent = rows.find((r) => r.kind !== 'temporary' && isOpen(r));
        const temporary = rows.find((r) => r.kind === 'temporary' && isOpen(r) && r.ends_on !== null && r.ends_on >= today);
        const current = temporary ?? permanent;
        const windows = ruleOn(await repo.loadRules(tx), 'gp.change_windows', today);
        await deps.audit.record(tx, ctx, {
          action: 'gp.choice_read',
          patientId,
          subject: { type: 'patient', id: patientId },
          reason: access.reason,
          ...(access.facilityId ? { facilityId: access.facilityId } : {}),
          ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
          data: { count: rows.length },
        });
        return {
          patientId,
          current: current ? toRegistration(current) : null,
          permanent: permanent ? toRegistration(permanent) : null,
          temporary: temporary ? toRegistration(temporary) : null,
          history: rows.map(toRegistration),
          changeWindow: { today, windows, ...changeWindowInfo(localDate(deps.clock.now(), deps.zone), windows) },
        };
      }),
    );
  };
}
