import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { ErrorCode } from '../../platform/errors/catalog.js';
import type { Referral } from '../../contracts/referrals.js';
import { usableAt } from './referral-rules.js';
import { decryptContent, localDate, rulesOn, type ReferralContent, type ReferralsDeps } from './referrals.deps.js';
import { secondaryVisitRefusal } from './referral-booking-rules.js';
import { primaryExamAt } from './secondary-visit.js';

// Time zone: validity and R-REF-02 count the practice's local dates (STYLE C11).
const ZONE = 'Europe/Sofia';
import * as repo from './referrals.repo.js';
import { referralView } from './views.js';

/**
 * `POST /referrals/by-nrn/:nrn/use`: the receiving specialist books or performs with a referral (W14). A
 * referral is used once: the status moves `issued` → `used` in one conditional update, so two concurrent
 * uses cannot both succeed. Refused when expired (R-REF-01/03/04/05, in the practice's zone), cancelled,
 * not acknowledged by the NHIS, or used — except a used № 3 at its primary examination's provider,
 * which records a secondary examination within R-REF-02's limit.
 * @param deps - see ReferralsDeps
 * @returns the use case
 */
export function useReferralUseCase(deps: ReferralsDeps) {
  const { db, clock, audit, policy } = deps;
  /**
   * R-REF-02: the specialist of the provider that did a № 3's primary examination records a secondary one
   * today, within the limit counted from the primary's local date; otherwise the referral stays used (W14).
   */
  type Refused = { refused: { code: ErrorCode; rule: string; detail: string; patientId: string; referralId: string } };

  /**
   * R-REF-02: the specialist of the provider that did a № 3's primary examination records a secondary one
   * today, within the limit counted from the primary's local date; otherwise the referral stays used (W14).
   */
  async function recordSecondary(tx: Queryable, ctx: RequestCtx, row: repo.ReferralRow, nrn: string, facilityId: string): Promise<Referral | Refused> {
    const now = clock.now();
    const primaryAt = await primaryExamAt(deps, tx, row);
    const c = await decryptContent<ReferralContent>(deps, ctx, tx, 'referral', row);
    const days = (await rulesOn(tx, localDate(now, ZONE).toString())).secondaryExamDays;
    const used = { code: 'referral.already_used' as const, rule: 'W14', detail: 'A referral is used once' };
    const rule = primaryAt ? secondaryVisitRefusal({ form: row.form, specialtyCode: c.specialtyCode, primaryFacilityId: row.used_by_facility_id, primaryAt, facilityId, bookedSpecialty: c.specialtyCode ?? '', secondaryAt: now, days, zone: ZONE }) : used;
    // Recorded now, not after the primary: the primary's own use again (a booked primary still ahead), not a secondary one.
    const refusal = rule?.code === 'referral.secondary_before_primary' ? used : rule;
    if (refusal || !primaryAt) {
      const r = refusal ?? { code: 'referral.already_used' as const, rule: 'W14', detail: '' };
      return { refused: { ...r, patientId: row.patient_id, referralId: row.id } };
    }
    const primaryOn = localDate(primaryAt, ZONE).toString();
    const visitOn = localDate(now, ZONE).toString();
    const practitionerId = ctx.actor.type === 'user' ? await repo.practitionerOfAccount(tx, ctx.actor.id) : null;
    await repo.insertSecondaryVisit(tx, { id: deps.ids.uuid(), referralId: row.id, patientId: row.patient_id, facilityId, requestId: null, practitionerId, visitOn, now: toDate(now) });
    await audit.record(tx, ctx, { action: 'referral.secondary_used', patientId: row.patient_id, facilityId, subject: { type: 'referral', id: row.id }, reason: `referral_nrn:${nrn}`, data: { form: '3', primaryOn, visitOn } });
    return referralView(row, c, ctx.lang);
  }

  return async function useReferral(ctx: RequestCtx, nrn: string, facilityId: string): Promise<Referral> {
    const result = await policy.guard(ctx, () =>
      withTransaction(db, async (tx): Promise<Referral | Refused> => {
        if (ctx.actor.type !== 'user' || ctx.actor.role !== 'specialist' || !ctx.actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Only a specialist of the receiving facility uses a referral');
        const found = await repo.findReferralByNrn(tx, nrn.toUpperCase());
        if (!found) throw new AppError('resource.not_found', { detail: 'No referral with this НРН', meta: { kind: 'referral' } });
        const row = (await repo.findReferral(tx, found.id, true)) as repo.ReferralRow;
        if (row.status === 'used') return recordSecondary(tx, ctx, row, nrn, facilityId);
        if (row.status === 'cancelled' || row.status === 'cancelling' || row.status === 'superseded') throw new AppError('referral.cancelled');
        if (row.status !== 'issued') throw new AppError('referral.not_issued');
        const facility = (await repo.facilityNames(tx, [row.facility_id])).get(row.facility_id);
        const zone = ZONE;
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
    if ('refused' in result) {
      const r = result.refused;
      // Audit: a refused secondary examination is recorded in its own short transaction, after the one that read (STYLE C13).
      await audit.recordStandalone(ctx, { action: 'referral.booking_refused', outcome: 'failure', patientId: r.patientId, facilityId, subject: { type: 'referral', id: r.referralId }, data: { code: r.code, rule: r.rule } });
      throw new AppError(r.code, { detail: r.detail, meta: { rule: r.rule } });
    }
    return result;
  };
}
