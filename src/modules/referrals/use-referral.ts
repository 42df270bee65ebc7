import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { Referral } from '../../contracts/referrals.js';
import { usableAt } from './referral-rules.js';
import { decryptContent, type ReferralContent, type ReferralsDeps } from './referrals.deps.js';
import * as repo from './referrals.repo.js';
import { referralView } from './views.js';

/**
 * `POST /referrals/by-nrn/:nrn/use`: the receiving specialist books or performs with a referral (W14). A
 * referral is used once: the status moves `issued` → `used` in one conditional update, so two concurrent
 * uses cannot both succeed. Refused when expired (R-REF-01/03/04/05, in the practice's zone), cancelled,
 * not acknowledged by the NHIS, or used.
 * @param deps - see ReferralsDeps
 * @returns the use case
 */
export function useReferralUseCase(deps: ReferralsDeps) {
  const { db, clock, audit, policy } = deps;
  return async function useReferral(ctx: RequestCtx, nrn: string, facilityId: string): Promise<Referral> {
    return policy.guard(ctx, () =>
      withTransaction(db, async (tx) => {
        if (ctx.actor.type !== 'user' || ctx.actor.role !== 'specialist' || !ctx.actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Only a specialist of the receiving facility uses a referral');
        const found = await repo.findReferralByNrn(tx, nrn.toUpperCase());
        if (!found) throw new AppError('resource.not_found', { detail: 'No referral with this НРН', meta: { kind: 'referral' } });
        const row = (await repo.findReferral(tx, found.id, true)) as repo.ReferralRow;
        if (row.status === 'used') throw new AppError('referral.already_used', { meta: { rule: 'W14' } });
        if (row.status === 'cancelled' || row.status === 'cancelling' || row.status === 'superseded') throw new AppError('referral.cancelled');
        if (row.status !== 'issued') throw new AppError('referral.not_issued');
        const facility = (await repo.facilityNames(tx, [row.facility_id])).get(row.facility_id);
        const zone = 'Europe/Sofia';
        const now = clock.now();
        const expired = usableAt(row.valid_until ? Temporal.PlainDate.from(row.valid_until) : null, now, zone);
        if (expired) throw new AppError(expired.code, { detail: expired.detail, meta: { rule: row.form === '3A' ? 'R-REF-04' : row.form === '4' ? 'R-REF-03' : row.form === '7' ? 'R-REF-05' : 'R-REF-01' } });
        const practitionerId = await repo.practitionerOfAccount(tx, ctx.actor.id);
        if (!(await repo.moveStatus(tx, 'referral', row.id, ['issued'], { status: 'used', usedAt: toDate(now), usedByFacilityId: facilityId, ...(practitionerId ? { usedByPractitionerId: practitionerId } : {}) }))) {
          throw new AppError('referral.already_used');
        }
        const c = await decryptContent<ReferralContent>(deps, ctx, tx, 'referral', row);
        await audit.record(tx, ctx, { action: 'referral.used', patientId: row.patient_id, facilityId, subject: { type: 'referral', id: row.id }, reason: `referral_nrn:${nrn}`, data: { form: row.form, issuerFacility: facility?.number ?? null } });
        return referralView((await repo.findReferral(tx, row.id)) as repo.ReferralRow, c, ctx.lang);
      }),
    );
  };
}
