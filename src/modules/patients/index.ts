export { createPatientsService, assertValidIdentifier, piiContext, type PatientsService } from './patients.service.js';
export { patientsRoutes } from './patients.routes.js';
