import { fromDate, toDate } from '../../platform/clock.js';
import type { ErrorCode } from '../../platform/errors/catalog.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import { bookingRefusal, referralNeeded, secondaryVisitRefusal } from './referral-booking-rules.js';
import { primaryExamAt } from './secondary-visit.js';
import { localDate, rulesOn } from './referrals.deps.js';
import { decryptContent, type ReferralContent, type ReferralsDeps } from './referrals.deps.js';
import * as repo from './referrals.repo.js';

// Time zone: the practices are in Bulgaria; validity and R-REF-02 count their local dates (STYLE C11).
const ZONE = 'Europe/Sofia';

/** What the requests module asks before a patient's booking (docs/referrals.md#booking-with-a-referral). */
export interface BookingReferralQuery {
  /** The НРН the booking carries, if any. */
  nrn?: string | undefined;
  patientId: string;
  serviceId: string;
  slotId?: string | undefined;
  /** Who pays, as the booking settled it (R-NHIF-01, R-PC-13). */
  payer: 'nhif' | 'patient' | 'foreign_insurer' | null;
  /** The request the booking will create (its id is chosen before the booking statement). */
  requestId: string;
}

/**
 * Booking NHIF-paid specialist care with a referral (W14): reserve the referral before the booking
 * statement, give it back when the booking fails or the request ends before the visit.
 * @param deps - see ReferralsDeps
 * @returns reserveForBooking, releaseForRequest and releaseForRequestIn
 */
export function bookingReferralUseCases(deps: ReferralsDeps) {
  const { db, clock, audit, policy } = deps;

  async function releaseIn(tx: Queryable, ctx: RequestCtx, requestId: string, why: 'booking_failed' | 'request_ended'): Promise<void> {
    const primary = await repo.releaseReferralOf(tx, requestId);
    if (primary) await audit.record(tx, ctx, { action: 'referral.released', patientId: primary.patient_id, facilityId: primary.facility_id, subject: { type: 'referral', id: primary.id }, data: { form: primary.form, requestId, why, use: 'primary' } });
    // R-REF-02: a secondary visit's booking gives back only its own row; the referral stays used by its primary.
    const secondary = await repo.releaseSecondaryOf(tx, requestId);
    if (secondary) await audit.record(tx, ctx, { action: 'referral.released', patientId: secondary.patient_id, facilityId: secondary.facility_id, subject: { type: 'referral', id: secondary.id }, data: { form: secondary.form, requestId, why, use: 'secondary' } });
  }

  return {
    /**
     * Before a patient's booking: when the NHIF pays for a specialist (`referralNeeded`), the booking must
     * carry a referral of this patient, issued in the NHIS, unused, to this specialty and valid for the
     * visit (R-REF-01/04, W14); it is then marked used for the request in one conditional update (a
     * referral is used once). A № 3 already used for its primary examination books a secondary one with
     * the same provider within R-REF-02's limit (a `referral_secondary_visit` row for the request). A
     * refusal is audited and thrown.
     * @returns the referral reserved, or null when none is needed
     * @throws {AppError} `booking.referral_required`, `booking.referral_not_found`, `booking.referral_wrong_form`,
     *   `booking.referral_wrong_specialty`, `referral.expired`, `referral.already_used`, `referral.cancelled`,
     *   `referral.not_issued`, `referral.secondary_exam_late`, `referral.secondary_before_primary` — each with `meta.rule`
     */
    async reserveForBooking(ctx: RequestCtx, q: BookingReferralQuery): Promise<{ referralId: string } | null> {
      const refused = async (code: ErrorCode, rule: string, detail: string, facilityId: string) => {
        // Audit: a refused booking is recorded in its own short transaction (STYLE C13).
        await audit.recordStandalone(ctx, { action: 'referral.booking_refused', outcome: 'failure', patientId: q.patientId, facilityId, subject: { type: 'facility_service', id: q.serviceId }, data: { code, rule } });
        return new AppError(code, { detail, meta: { rule } });
      };
      const result = await policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const service = await repo.serviceForBooking(tx, q.serviceId, q.slotId ?? null);
          if (!service) throw new NotFoundError('facility_service', q.serviceId);
          if (!referralNeeded({ nhifPaid: service.nhif_paid, specialtyCode: service.specialty_code, payer: q.payer })) return { reserved: null };
          if (!q.nrn) return { refusal: { code: 'booking.referral_required' as ErrorCode, rule: 'W14', detail: 'The NHIF pays for a specialist on a referral: give its НРН, or choose a paid service' }, facilityId: service.facility_id };
          // Security: the patient's own documents only; the policy audits a denial.
          await policy.assertCanReadPatient(ctx, tx, q.patientId, 'clinical');
          const row = await repo.findReferralByNrn(tx, q.nrn.toUpperCase());
          const content = row && row.patient_id === q.patientId ? await decryptContent<ReferralContent>(deps, ctx, tx, 'referral', row) : null;
          const refusal = bookingRefusal({
            referral: row && content ? { form: row.form, status: row.status, patientId: row.patient_id, specialtyCode: content.specialtyCode, validUntil: row.valid_until } : null,
            patientId: q.patientId,
            specialtyCode: service.specialty_code,
            bookedAt: clock.now(),
            visitAt: service.slot_start ? fromDate(new Date(service.slot_start)) : null,
            zone: ZONE,
          });
          if (refusal?.code === 'referral.already_used' && row && content) {
            // R-REF-02: a used № 3 books the secondary examination with its primary's provider, within the limit.
            // Concurrency: the row lock orders this with a release of the primary (its request ending).
            const locked = (await repo.findReferral(tx, row.id, true)) as repo.ReferralRow;
            const secondaryAt = service.slot_start ? fromDate(new Date(service.slot_start)) : clock.now();
            const primaryAt = locked.status === 'used' ? await primaryExamAt(deps, tx, locked) : null;
            const days = (await rulesOn(tx, localDate(secondaryAt, ZONE).toString())).secondaryExamDays;
            const second = primaryAt
              ? secondaryVisitRefusal({ form: locked.form, specialtyCode: content.specialtyCode, primaryFacilityId: locked.used_by_facility_id, primaryAt, facilityId: service.facility_id, bookedSpecialty: service.specialty_code, secondaryAt, days, zone: ZONE })
              : refusal;
            if (second || !primaryAt) return { refusal: second ?? refusal, facilityId: service.facility_id };
            const primaryOn = localDate(primaryAt, ZONE).toString();
            const visitOn = localDate(secondaryAt, ZONE).toString();
            await repo.insertSecondaryVisit(tx, { id: deps.ids.uuid(), referralId: row.id, patientId: q.patientId, facilityId: service.facility_id, requestId: q.requestId, practitionerId: null, visitOn, now: toDate(clock.now()) });
            await audit.record(tx, ctx, { action: 'referral.secondary_booked', patientId: q.patientId, facilityId: service.facility_id, subject: { type: 'referral', id: row.id }, data: { form: '3', requestId: q.requestId, primaryOn, visitOn } });
            return { reserved: { referralId: row.id } };
          }
          if (refusal || !row) return { refusal: refusal ?? { code: 'booking.referral_not_found' as ErrorCode, rule: 'W14', detail: '' }, facilityId: service.facility_id };
          // Concurrency: issued → used in one conditional update; a second booking with it finds it used.
          if (!(await repo.moveStatus(tx, 'referral', row.id, ['issued'], { status: 'used', usedAt: toDate(clock.now()), usedByFacilityId: service.facility_id, usedForRequestId: q.requestId }))) {
            return { refusal: { code: 'referral.already_used' as ErrorCode, rule: 'W14', detail: 'A referral is used once' }, facilityId: service.facility_id };
          }
          await audit.record(tx, ctx, { action: 'referral.booked', patientId: q.patientId, facilityId: service.facility_id, subject: { type: 'referral', id: row.id }, data: { form: row.form, requestId: q.requestId } });
          return { reserved: { referralId: row.id } };
        }),
      );
      if ('refusal' in result && result.refusal) throw await refused(result.refusal.code, result.refusal.rule, result.refusal.detail, result.facilityId);
      return 'reserved' in result ? (result.reserved ?? null) : null;
    },

    /** The booking failed after the referral was reserved: give it back (its own transaction). */
    async releaseForRequest(ctx: RequestCtx, requestId: string): Promise<void> {
      await withTransaction(db, (tx) => releaseIn(tx, ctx, requestId, 'booking_failed'));
    },

    /** The request ended before the visit (cancelled, declined, expired): the referral can be booked again. */
    releaseForRequestIn(tx: Queryable, ctx: RequestCtx, requestId: string): Promise<void> {
      return releaseIn(tx, ctx, requestId, 'request_ended');
    },
  };
}
