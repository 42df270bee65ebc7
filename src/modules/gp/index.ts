/**
 * GP choice and patient lists (W8-W10, R-GP-*, НРД 2006 R-22..34).
 */
export { createGpService, type GpService } from './gp.service.js';
export { gpRoutes } from './gp.routes.js';
export { readPatientGpOn, isListedAtIn, listListedPatientsIn, listGpListsIn, hasGpContractIn } from './gp-facts.js';
export { createGpRestoreJob, GP_RESTORE_JOB, type GpRestoreJob } from './gp-restore.job.js';
