import { fromDate, toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { BookingPayment, InsuranceCheck } from '../../contracts/insurance.js';
import { coverageOn, decidePayment, isForeigner, noticeDueAt, type ForeignCoverage } from './foreign-insurance-rules.js';
import { findServiceForPayment, insertEvent, listPolicies, loadRuleValues, slotStart } from './foreign-insurance.repo.js';
import { coverageWire, localDay, NOTICE_DUE, stored, type ForeignInsuranceDeps } from './foreign-insurance.common.js';
import { selfPayPriceEurCents } from './self-pay-price.js';

/** What the booking checked, kept to record it once the booking exists. */
export interface PaymentAssessment extends BookingPayment {
  /** The policy that pays (foreign insurer), for the insured event. */
  policyId: string | null;
  facilityId: string;
}

/**
 * Who pays for a planned booking, asked by the booking screen before the patient books and enforced by
 * the booking itself (R-NHIF-01, R-PC-13, R-INS-01, R-INS-11). The NRA status goes through the cached
 * check (at most one round trip per person and day); a foreigner's policy is read from the platform.
 * @param deps - the insurance dependencies
 * @param checkStatus - the cached insurance-status use case
 * @returns assess (read), enforce (before booking) and record (after booking)
 */
export function createBookingPayment(deps: ForeignInsuranceDeps, checkStatus: (ctx: RequestCtx, patientId: string, on?: string) => Promise<InsuranceCheck>) {
  async function assess(ctx: RequestCtx, patientId: string, q: { serviceId: string; slotId?: string | undefined; on?: string | undefined }): Promise<PaymentAssessment> {
    const first = await deps.policy.guard(ctx, () =>
      withTransaction(deps.db, async (tx) => {
        const service = await findServiceForPayment(tx, q.serviceId);
        if (!service) throw new NotFoundError('facility_service', q.serviceId);
        let day = q.on ?? localDay(deps.clock, deps.zone);
        if (q.slotId) {
          const start = await slotStart(tx, q.slotId);
          if (!start) throw new NotFoundError('slot', q.slotId);
          day = localDay(deps.clock, deps.zone, fromDate(start));
        }
        // Reading the identifier kind is an audited patient read (`patient.read`), access-checked there.
        const patient = await deps.patients.readPatientIn(tx, ctx, patientId);
        const foreigner = isForeigner(patient.identifierKind);
        const coverage: ForeignCoverage = foreigner ? coverageOn(stored(await listPolicies(tx, patientId)), day) : { state: 'none' };
        const price = await selfPayPriceEurCents(tx, service, day);
        return { service, day, identifierKind: patient.identifierKind, foreigner, coverage, price };
      }),
    );
    const { service, day, foreigner, coverage, price } = first;
    let check: InsuranceCheck | null = null;
    // The NRA answers for an EGN or LNCh; it is asked only when the NHIF would pay.
    if (service.nhif_paid && (first.identifierKind === 'egn' || first.identifierKind === 'lnch')) check = await checkStatus(ctx, patientId, day);
    const d = decidePayment({ nhifPaidService: service.nhif_paid, emergency: false, foreigner, nraStatus: check?.status ?? null, coverage, selfPayPriceEurCents: price });
    const common = {
      patientId,
      serviceId: q.serviceId,
      on: day,
      facilityId: service.facility_id,
      insuranceStatus: check?.status ?? null,
      missingMonths: check?.missingMonths ?? [],
      coverage: foreigner ? coverageWire(coverage) : null,
    };
    if ('refused' in d) return { ...common, allowed: false, payer: null, rule: d.rule, priceEurCents: price, mustAccept: false, code: d.refused, detail: d.detail, policyId: null };
    return {
      ...common,
      allowed: true,
      payer: d.payer,
      rule: d.rule,
      priceEurCents: d.priceEurCents,
      mustAccept: d.mustAccept,
      code: null,
      detail: null,
      policyId: d.payer === 'foreign_insurer' && coverage.state === 'covered' ? coverage.policyId : null,
    };
  }

  return {
    /**
     * `GET /patients/:id/booking-payment`: the booking screen's notice (who pays, what price).
     * @returns the assessment without internal ids
     */
    async assessBookingPayment(ctx: RequestCtx, patientId: string, q: { serviceId: string; slotId?: string | undefined; on?: string | undefined }): Promise<BookingPayment> {
      const { policyId: _p, facilityId: _f, ...wire } = await assess(ctx, patientId, q);
      return wire;
    },

    /**
     * Before a patient's planned booking: refuses what the rules refuse, and NHIF-paid care the patient
     * would pay for unless the booking carries the price the patient was shown (R-PC-13).
     * @param accepted - the booking body's `acceptedPriceEurCents`
     * @returns the assessment, to record after the booking
     * @throws {AppError} `insurance.foreign_policy_required` (R-INS-01), `booking.self_pay_price_unknown` and
     *   `booking.payment_notice_required` (R-PC-13, with `meta.priceEurCents`)
     */
    async enforceBookingPayment(ctx: RequestCtx, patientId: string, q: { serviceId: string; slotId?: string | undefined }, accepted: number | undefined): Promise<PaymentAssessment> {
      const a = await assess(ctx, patientId, q);
      const refuse = async (code: 'insurance.foreign_policy_required' | 'booking.self_pay_price_unknown' | 'booking.payment_notice_required', detail: string) => {
        // Audit: a refused booking is recorded in its own short transaction (STYLE C13).
        await deps.audit.recordStandalone(ctx, { action: 'booking.payment_refused', outcome: 'failure', patientId, facilityId: a.facilityId, subject: { type: 'facility_service', id: q.serviceId }, data: { rule: a.rule, code, on: a.on } });
        return new AppError(code, { detail, meta: { rule: a.rule, priceEurCents: a.priceEurCents, insuranceStatus: a.insuranceStatus } });
      };
      if (!a.allowed) throw await refuse(a.code as 'insurance.foreign_policy_required' | 'booking.self_pay_price_unknown', a.detail ?? '');
      if (a.mustAccept && accepted !== a.priceEurCents) {
        throw await refuse('booking.payment_notice_required', `The NHIF does not pay for this patient on ${a.on}; the price is ${((a.priceEurCents ?? 0) / 100).toFixed(2)} EUR. Book again accepting it (acceptedPriceEurCents).`);
      }
      return a;
    },

    /**
     * After the booking exists: records who pays (audit `booking.payment_recorded`) and, when a foreign
     * policy pays, opens the insured event with its 24-hour insurer notice deadline (R-INS-07), escalated
     * through the outbox when it passes without a notice.
     * @param a - from `enforceBookingPayment`
     * @param requestId - the request just filed
     */
    async recordBookingPayment(ctx: RequestCtx, a: PaymentAssessment, requestId: string): Promise<void> {
      await withTransaction(deps.db, async (tx) => {
        await deps.audit.record(tx, ctx, {
          action: 'booking.payment_recorded',
          patientId: a.patientId,
          facilityId: a.facilityId,
          subject: { type: 'service_request', id: requestId },
          data: { payer: a.payer, rule: a.rule, priceEurCents: a.priceEurCents, accepted: a.mustAccept },
        });
        if (a.payer !== 'foreign_insurer' || !a.policyId) return;
        const values = await loadRuleValues(tx, a.on);
        const now = deps.clock.now();
        const due = noticeDueAt(now, values);
        const id = deps.ids.uuid();
        if (!(await insertEvent(tx, { id, policyId: a.policyId, patientId: a.patientId, facilityId: a.facilityId, requestId, occurredAt: toDate(now), noticeDueAt: toDate(due), at: toDate(now) }))) return;
        await deps.audit.record(tx, ctx, { action: 'insurance.event_opened', patientId: a.patientId, facilityId: a.facilityId, subject: { type: 'foreign_insurance_event', id }, data: { noticeDueAt: due.toString() } });
        await deps.outbox.enqueue(tx, NOTICE_DUE, { eventId: id }, due);
      });
    },
  };
}

