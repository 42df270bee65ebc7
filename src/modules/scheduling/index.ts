export { createSchedulingService, type SchedulingService } from './scheduling.service.js';
export { schedulingRoutes } from './scheduling.routes.js';
