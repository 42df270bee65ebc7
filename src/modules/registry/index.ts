export { createRegistryService, type RegistryService } from './registry.service.js';
