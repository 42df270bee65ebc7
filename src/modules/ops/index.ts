export { createOpsService, type OpsService } from './ops.service.js';
export { opsRoutes } from './ops.routes.js';
