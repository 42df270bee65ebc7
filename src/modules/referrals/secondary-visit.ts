import { fromDate, type Temporal } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import type { ReferralsDeps } from './referrals.deps.js';
import type { ReferralRow } from './referrals.repo.js';

/**
 * R-REF-02: when a used № 3's primary examination is or was. A referral reserved by a booking counts its
 * visit (the live appointment's start, after any reschedule); one the specialist used by its НРН, or a
 * booking without a time (store and forward), counts the moment of use.
 * @param deps - the requests module's read port
 * @param q - the caller's transaction
 * @param row - a used referral
 * @returns the instant, or null when the referral is not used
 */
export async function primaryExamAt(deps: Pick<ReferralsDeps, 'requests'>, q: Queryable, row: Pick<ReferralRow, 'used_at' | 'used_for_request_id'>): Promise<Temporal.Instant | null> {
  if (row.used_at === null) return null;
  const usedAt = fromDate(row.used_at instanceof Date ? row.used_at : new Date(row.used_at));
  if (!row.used_for_request_id) return usedAt;
  const visit = (await deps.requests.readRequestVisitsIn(q, [row.used_for_request_id])).get(row.used_for_request_id);
  return visit?.visitStart ? fromDate(visit.visitStart) : usedAt;
}
