export { createRegistryService, type RegistryService } from './registry.service.js';
export { registryRoutes } from './registry.routes.js';
export { assertCanManageFacility, canManageFacility, isCoordinator } from './registry-access.js';
export { parseCl006, type Cl006Entry } from './cl006.js';
export { createNhisRegistration, NHIS_FACILITY_SYNC, type NhisRegistrationService } from './nhis-registration.js';
export { createNhisDirectorySimulator, type NhisDirectory, type NhisDirectorySimulatorControl } from './nhis-directory.js';
