import type { SickLeaveDeps } from './sick-leave.deps.js';
import { examinationsUseCase } from './examinations.js';
import { expertiseDeadlineUseCases } from './expertise-deadlines.js';
import { issueDuplicateUseCase } from './issue-duplicate.js';
import { issueSickLeaveUseCase } from './issue-sick-leave.js';
import { lkkUseCases } from './lkk.js';
import { lkkReportUseCases } from './lkk-report.js';
import { printUseCases } from './print-documents.js';
import { medicalNoticeUseCases } from './medical-notices.js';
import { readSickLeavesUseCases } from './read-sick-leaves.js';
import { telkUseCases } from './telk-cases.js';

/**
 * Sick leave, the ЛКК, TELK preparation and medical notices (W15, W16, E18-E23, E37): one use case per
 * file, assembled here.
 * @param deps - see `SickLeaveDeps`
 * @returns the service
 */
export function createSickLeaveService(deps: SickLeaveDeps) {
  const lkk = lkkUseCases(deps);
  const telk = telkUseCases(deps);
  return {
    issueSickLeave: issueSickLeaveUseCase(deps),
    listExaminations: examinationsUseCase(deps),
    issueDuplicate: issueDuplicateUseCase(deps),
    ...readSickLeavesUseCases(deps),
    ...lkk,
    ...lkkReportUseCases(deps),
    ...printUseCases(deps, lkk.readCase, telk.readTelkCase),
    ...telk,
    ...medicalNoticeUseCases(deps),
    ...expertiseDeadlineUseCases(deps),
  };
}
export type SickLeaveService = ReturnType<typeof createSickLeaveService>;
