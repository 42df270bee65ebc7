import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { RegistrationDeps } from './registration.deps.js';
import { createRegisterPatient } from './register-patient.js';

/**
 * Patients' own registration (docs/registration.md): the form, then the e-mail confirmation, then the
 * second factor through identity's enrolment endpoints.
 * @param deps - identity, patients, database and audit
 * @returns the registration service
 */
export function createRegistrationService(deps: RegistrationDeps) {
  return {
    register: createRegisterPatient(deps),
    confirmEmail: (ctx: RequestCtx, token: string) => deps.identity.confirmEmail(ctx, token),
  };
}
export type RegistrationService = ReturnType<typeof createRegistrationService>;
