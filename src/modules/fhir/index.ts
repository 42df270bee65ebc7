export { fhirRoutes } from './fhir.routes.js';
export { createFhirPatients, patientResourceOf, type FhirPatients } from './patient-everything.js';
