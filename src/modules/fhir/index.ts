export { fhirRoutes } from './fhir.routes.js';
export { createFhirPatients, patientResourceOf, type FhirPatients } from './patient-everything.js';
export { createFhirClinical, CLINICAL_TYPES, type FhirClinical } from './clinical-resources.js';
