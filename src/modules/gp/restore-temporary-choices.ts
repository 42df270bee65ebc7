import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { GP_CARE_SOURCE, type GpDeps } from './gp.deps.js';
import { endRegistration, lockExpiredTemporary } from './gp.repo.js';

const BATCH = 200;

/**
 * Ends one expired temporary choice: the permanent choice, never ended by a temporary one, is in
 * charge again (R-GP-05, НРД R-25). The temporary GP's care relationship ends with the stay.
 * @param deps - clock, audit and the access seam
 * @param q - the caller's transaction
 * @param ctx - who acts (the daily job, or a registration that found it expired)
 * @param row - the registration and its last day
 * @returns true when this call ended it
 */
export async function endExpiredTemporary(
  deps: Pick<GpDeps, 'clock' | 'audit' | 'access'>,
  q: Queryable,
  ctx: RequestCtx,
  row: { id: string; patient_id: string; facility_id: string; ends_on: string },
): Promise<boolean> {
  const endedOn = Temporal.PlainDate.from(row.ends_on).add({ days: 1 }).toString();
  const at = toDate(deps.clock.now());
  if (!(await endRegistration(q, { id: row.id, endedOn, reason: 'temporary_expired', endedBy: null, at }))) return false;
  await deps.access.closeCareRelationship(q, ctx, { sourceType: GP_CARE_SOURCE, sourceId: row.id, at });
  await deps.audit.record(q, ctx, {
    action: 'gp.registration_ended',
    patientId: row.patient_id,
    facilityId: row.facility_id,
    subject: { type: 'gp_registration', id: row.id },
    data: { reason: 'temporary_expired', endedOn },
  });
  return true;
}

/**
 * The daily R-GP-05 run: every temporary choice whose last day is before `today` ends, in batches, each
 * batch one transaction (rows locked with SKIP LOCKED, so two processes never end the same one).
 * @param deps - database, clock, audit, access
 * @returns the use case
 */
export function restoreTemporaryChoicesUseCase(deps: GpDeps) {
  return async function restoreTemporaryChoices(ctx: RequestCtx, today: string): Promise<{ restored: number }> {
    let restored = 0;
    for (;;) {
      const n = await withTransaction(deps.db, async (tx) => {
        const rows = await lockExpiredTemporary(tx, today, BATCH);
        let ended = 0;
        for (const r of rows) if (await endExpiredTemporary(deps, tx, ctx, r)) ended += 1;
        return { seen: rows.length, ended };
      });
      restored += n.ended;
      if (n.seen < BATCH) return { restored };
    }
  };
}
