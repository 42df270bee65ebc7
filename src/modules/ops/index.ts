export { createOpsService, type OpsService } from './ops.service.js';
export { opsRoutes } from './ops.routes.js';
export { promoteStandby, type PromotionResult } from './promote-standby.js';
