/**
 * Encounters (FHIR Encounter): remote consultations and the practice's in-person, phone and home visits.
 */
export { createEncountersService, type EncountersService } from './encounters.service.js';
export { encountersRoutes } from './encounters.routes.js';
export type { Encounter, EncounterKind } from '../../contracts/encounters.js';
