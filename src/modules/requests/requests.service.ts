import type { RequestAction } from '../../contracts/requests.js';
import type { RequestsDeps } from './request-common.js';
import { createRequestViews } from './request-view.js';
import { createFileRequest } from './file-request.js';
import { createTransitionRequest } from './transition-request.js';
import { createRequestReads } from './request-reads.js';
import { createRequestAttachments } from './request-attachments.js';
import { createEmergencyRota } from './emergency-rota.js';
import { createRequestNotificationHandlers } from './request-notifications.js';
import { createRequestPatientBanner } from './request-patient-banner.js';

export type { RequestsDeps } from './request-common.js';

/**
 * Telemedicine requests and booking: the Art. 18 form with the Art. 12 intake, planned and emergency
 * kinds (Art. 14), atomic booking of a published slot (STYLE C8), the lifecycle as compare-and-swap
 * transitions (STYLE C9), emergency routing along the facility's rota, and the notifications through
 * the outbox (STYLE C20). Each use case lives in its own file; this factory only assembles them.
 * @param deps - database, clock, ids, keyring, audit, outbox, the access policy and service, notifications
 * @returns the requests service
 */
export function createRequestsService(deps: RequestsDeps) {
  const views = createRequestViews(deps);
  return {
    ...createFileRequest(deps, views),
    ...createRequestReads(deps, views),
    ...createTransitionRequest(deps, views),
    ...createRequestAttachments(deps, views),
    ...createEmergencyRota(deps),
    ...createRequestNotificationHandlers(deps),
    ...createRequestPatientBanner(deps, views),
  };
}

export type RequestsService = ReturnType<typeof createRequestsService>;
export type { RequestAction };
