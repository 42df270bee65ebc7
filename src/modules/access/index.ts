export { createAccessPolicy, AccessDeniedError, type AccessPolicy, type AccessGranted } from './access-policy.js';
export { createAccessService, type AccessService, type CareRelationshipInput } from './access.service.js';
export { SUPERVISION_NOTIFY } from './supervision-cases.js';
// For reminders to a patient (W20): the patient's own accounts and active representatives, to address mail.
export { accountsSpeakingForIn } from './representative-links.js';
export type { ReadPurpose } from './access-rules.js';
export { accessRoutes } from './access.routes.js';
