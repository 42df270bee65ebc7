export { createSchedulingService, PAST_FREE_SLOT_RETENTION_DAYS, type SchedulingService, type SlotRollResult } from './scheduling.service.js';
export { createSlotRollForward, SLOT_ROLL_JOB, type SlotRollForward } from './slot-roll.service.js';
export { schedulingRoutes } from './scheduling.routes.js';
