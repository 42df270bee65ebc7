/**
 * Insurance (R-NHIF-01): the NRA insurance-status port, its simulator and the cached status check;
 * foreigners' mandatory medical insurance (R-INS-*); who pays for a booking (R-PC-13).
 */
export { createInsuranceService, type InsuranceService } from './insurance.service.js';
export { insuranceRoutes } from './insurance.routes.js';
export { createInsuranceRegistrySimulator, type InsuranceSimulatorControl, type SimulatedAnswer } from './insurance-simulator.js';
export { InsuranceRegistryError, type InsuranceRegistry, type InsuranceRegistryAnswer, type InsuranceRegistryRequest } from './insurance-registry.js';
export { nhifPays } from './insurance-rules.js';
export { NOTICE_DUE as INSURANCE_NOTICE_DUE } from './foreign-insurance.common.js';
export type { PaymentAssessment } from './assess-booking-payment.js';
