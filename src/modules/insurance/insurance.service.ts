import { checkInsuranceStatusUseCase, checkPresentedInsuranceUseCase } from './check-insurance-status.js';
import type { ForeignInsuranceDeps } from './foreign-insurance.common.js';
import { recordForeignPolicyUseCase } from './record-foreign-policy.js';
import { readForeignInsuranceUseCase } from './read-foreign-insurance.js';
import { createBookingPayment } from './assess-booking-payment.js';
import { createInsuredEvents } from './insured-events.js';

/**
 * Insurance status (R-NHIF-01): the NRA registry behind a port, cached per person and day; foreigners'
 * mandatory medical insurance (W22-W23, R-INS-*); who pays for a booking (R-PC-13).
 * @param deps - see `ForeignInsuranceDeps`
 * @returns the insurance service
 */
export function createInsuranceService(deps: ForeignInsuranceDeps) {
  const checkInsuranceStatus = checkInsuranceStatusUseCase(deps);
  return {
    /** See `checkInsuranceStatusUseCase`. */
    checkInsuranceStatus,
    /** See `checkPresentedInsuranceUseCase`. */
    checkPresentedInsurance: checkPresentedInsuranceUseCase(deps),
    /** See `recordForeignPolicyUseCase`. */
    recordForeignPolicy: recordForeignPolicyUseCase(deps),
    /** See `readForeignInsuranceUseCase`. */
    readForeignInsurance: readForeignInsuranceUseCase(deps),
    ...createBookingPayment(deps, checkInsuranceStatus),
    ...createInsuredEvents(deps),
  };
}
export type InsuranceService = ReturnType<typeof createInsuranceService>;
