/**
 * Referrals (МЗ-НЗОК № 3, 3А, 4, 6, 7, МЗ 119а) and e-prescriptions issued from an encounter, signed,
 * recorded in the NHIS (R001/R007, P001/P007/P017) through the outbox; R-REF-01..15, R-PC-05/06,
 * НРД 2006 R-35..71 (docs/referrals.md).
 */
export { createReferralsService, type ReferralsService } from './referrals.service.js';
export { referralsRoutes } from './referrals.routes.js';
export { NHIS_DOCUMENT, type ReferralsDeps } from './referrals.deps.js';
// For the practice's monthly NHIF report: the referrals it issued and its standards.
export { readIssuedReferralsIn, type IssuedReferralFacts } from './report-facts.js';
export type { BookingReferralQuery } from './book-with-referral.js';
// The signed content's shape and encryption context: test fixtures write referrals as rows (src/test/referral-fixture.ts).
export { contentContext, type ReferralContent } from './referrals.deps.js';
