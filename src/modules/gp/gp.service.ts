import type { GpDeps } from './gp.deps.js';
import { generateListReportUseCase } from './generate-list-report.js';
import { lookUpForRegistrationUseCase } from './look-up-for-registration.js';
import { readPatientGpUseCase } from './read-patient-gp.js';
import { readPatientListUseCases } from './read-patient-list.js';
import { registerGpChoiceUseCase } from './register-gp-choice.js';
import { restoreTemporaryChoicesUseCase } from './restore-temporary-choices.js';

/**
 * GP choice and patient lists (W8-W10, R-GP-*, НРД R-22..34): one use case per file, assembled here.
 * @param deps - see `GpDeps`
 * @returns the GP service
 */
export function createGpService(deps: GpDeps) {
  const lists = readPatientListUseCases(deps);
  return {
    registerGpChoice: registerGpChoiceUseCase(deps),
    lookUpForRegistration: lookUpForRegistrationUseCase(deps),
    readPatientGp: readPatientGpUseCase(deps),
    readPatientList: lists.readPatientList,
    readPatientListSummary: lists.readPatientListSummary,
    ...generateListReportUseCase(deps),
    restoreTemporaryChoices: restoreTemporaryChoicesUseCase(deps),
  };
}
export type GpService = ReturnType<typeof createGpService>;
