/**
 * Sick leave (болничен лист), the medical advisory commission (ЛКК), TELK preparation and medical notices
 * (W15, W16, R-SL-*, R-TELK-*, R-EXP-*; docs/sick-leave.md).
 */
export { createSickLeaveService, type SickLeaveService } from './sick-leave.service.js';
export { sickLeaveRoutes } from './sick-leave.routes.js';
export { createExpertiseNhisHandler } from './expertise-nhis.js';
export { EXPERTISE_DEADLINE_NOTIFY, EXPERTISE_NHIS, type EncounterPort, type EncounterView } from './sick-leave.deps.js';
