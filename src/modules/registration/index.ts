/**
 * Patients' own registration: the form, the e-mail confirmation and the hand-over to second-factor
 * enrolment (docs/registration.md).
 */
export { createRegistrationService, type RegistrationService } from './registration.service.js';
export { registrationRoutes } from './registration.routes.js';
export { checkRegistrant } from './registration-rules.js';
