import type { PracticeDeps } from './practice.deps.js';
import { deskRegisterUseCases } from './desk-registers.js';
import { homeVisitAndPlanUseCases } from './home-visits.js';
import { nhifReportUseCase } from './nhif-report.js';
import { paymentUseCases } from './record-payment.js';
import { phoneRegisterUseCases } from './phone-register.js';
import { priceListUseCases } from './price-list.js';
import { visitUseCases } from './record-visit.js';
import { documentRequestUseCases } from './document-requests.js';
import { personalDataUseCases } from './personal-data.js';
import { prophylaxisReminderUseCases } from './prophylaxis-reminders.js';

/**
 * The practice's day (docs/practice.md): price lists, visits and their fees, payments and receipts, the
 * phone register, the walk-in queue, complaints, data breaches, out of hours and the monthly NHIF report.
 * @param deps - see `PracticeDeps`
 * @returns the practice service
 */
export function createPracticeService(deps: PracticeDeps) {
  return {
    ...priceListUseCases(deps),
    ...visitUseCases(deps),
    ...paymentUseCases(deps),
    ...phoneRegisterUseCases(deps),
    ...deskRegisterUseCases(deps),
    ...homeVisitAndPlanUseCases(deps),
    ...nhifReportUseCase(deps),
    ...documentRequestUseCases(deps),
    ...personalDataUseCases(deps),
    ...prophylaxisReminderUseCases(deps),
  };
}
export type PracticeService = ReturnType<typeof createPracticeService>;
