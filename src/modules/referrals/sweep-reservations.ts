import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import type { ReferralsDeps } from './referrals.deps.js';
import * as repo from './referrals.repo.js';

/**
 * How long a reservation may wait for its booking. The booking statement follows the reservation at once
 * (book-with-referral.ts, then the requests module's booking); only a process that died between the two
 * leaves one without a request, so anything older than this has no booking coming.
 */
export const RESERVATION_GRACE_MINUTES = 15;
/** How far back the sweep looks: it runs every few minutes, so older reservations were swept already. */
export const RESERVATION_LOOKBACK_DAYS = 7;
const BATCH = 500;

/**
 * W14, R-REF-02: gives back reservations whose booking never came to be. A booking reserves its referral
 * (marks it used for the request, or writes the secondary visit) in one transaction and takes the slot in
 * the next statement; a process that dies in between leaves the referral used with no request. Each
 * reservation older than the grace period whose request does not exist is released as a failed booking
 * would be, audited `referral.released` with `why: booking_orphaned` by the system actor. Idempotent and
 * safe across processes: the release is a conditional update (delete), and only the one that changed
 * the row audits it.
 * @param deps - database, clock, audit and the requests module's read port
 * @returns the sweep
 */
export function sweepReservationsUseCase(deps: Pick<ReferralsDeps, 'db' | 'clock' | 'audit' | 'requests'>) {
  const { db, clock, audit } = deps;
  return async function sweepOrphanedReservations(): Promise<{ released: number }> {
    const now = clock.now();
    const to = toDate(now.subtract({ minutes: RESERVATION_GRACE_MINUTES }));
    const from = toDate(now.subtract({ hours: 24 * RESERVATION_LOOKBACK_DAYS }));
    const ctx = systemCtx('referrals.sweep');
    const candidates = await repo.reservationsBetween(db, from, to, BATCH);
    if (candidates.length === 0) return { released: 0 };
    const existing = await deps.requests.readRequestVisitsIn(db, candidates.map((c) => c.request_id));
    let released = 0;
    for (const c of candidates) {
      if (existing.has(c.request_id)) continue;
      await withTransaction(db, async (tx) => {
        // Concurrency: a booking this late cannot be in flight (the grace period); a second sweeper finds the row gone.
        const row = c.use === 'primary' ? await repo.releaseReferralOf(tx, c.request_id) : await repo.releaseSecondaryOf(tx, c.request_id);
        if (!row) return;
        released += 1;
        await audit.record(tx, ctx, { action: 'referral.released', patientId: row.patient_id, facilityId: row.facility_id, subject: { type: 'referral', id: row.id }, data: { form: row.form, requestId: c.request_id, why: 'booking_orphaned', use: c.use } });
      });
    }
    return { released };
  };
}
