import { checkInsuranceStatusUseCase, type InsuranceDeps } from './check-insurance-status.js';

/**
 * Insurance status (R-NHIF-01): the NRA registry behind a port, cached per person and day.
 * @param deps - see `InsuranceDeps`
 * @returns the insurance service
 */
export function createInsuranceService(deps: InsuranceDeps) {
  return {
    /** See `checkInsuranceStatusUseCase`. */
    checkInsuranceStatus: checkInsuranceStatusUseCase(deps),
  };
}
export type InsuranceService = ReturnType<typeof createInsuranceService>;
