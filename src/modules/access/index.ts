export { createAccessPolicy, AccessDeniedError, type AccessPolicy, type AccessGranted } from './access-policy.js';
export { createAccessService, type AccessService, type CareRelationshipInput } from './access.service.js';
export { SUPERVISION_NOTIFY } from './supervision-cases.js';
export type { ReadPurpose } from './access-rules.js';
export { accessRoutes } from './access.routes.js';
