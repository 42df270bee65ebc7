/**
 * The practice's day (W17-W21, W24-W25, R-PC-*, НРД R-72..75, R-127): price lists and fees, visits,
 * payments, the phone register, the queue, complaints, data breaches, out of hours, the NHIF report.
 */
export { createPracticeService, type PracticeService } from './practice.service.js';
export { practiceRoutes } from './practice.routes.js';
export { manualPaymentProvider, type PaymentProvider } from './payment-provider.js';
export { PROPHYLAXIS_REMINDER } from './prophylaxis-reminders.js';
export { createProphylaxisReminderJob, type ProphylaxisReminderJob } from './prophylaxis-reminder.job.js';
// For the booking flow (R-PC-13): the price a patient with interrupted rights is told before the visit.
export { practicePriceOn } from './price-list.js';
export { EXAM_ITEM, HOME_VISIT_ITEM } from './fee-rules.js';
// For the referral and prescription flows (R-PC-06): what may not be done in a phone encounter.
export { allowedInEncounter, PHONE_PROHIBITED } from './desk-rules.js';
// For the demo's imported history: the same pure fee rule and age groups the visits use.
export { assessVisitFee, type DatedRule, type PriceListVersion } from './fee-rules.js';
export { ageGroupOf } from './record-visit.js';
