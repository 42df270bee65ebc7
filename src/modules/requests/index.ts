/**
 * Telemedicine requests and booking: the Art. 18 form and Art. 12 intake, planned and
 * emergency requests (Art. 14), atomic booking (STYLE C8), the lifecycle (STYLE C9), emergency routing.
 */
export { createRequestsService, type RequestsService, type RequestsDeps } from './requests.service.js';
export type { BookingReferrals } from './request-common.js';
export { requestsRoutes } from './requests.routes.js';
export { TRANSITIONS, nextStatus, allowedActions, type Side } from './request-status.js';
export { readRequestFactsIn, readCompletedAtIn, listPatientAttachmentsIn, listPatientRequestIdsIn, readRequestVisitsIn, type RequestFacts, type RequestVisit } from './request-facts.js';
