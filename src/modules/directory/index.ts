export { createDirectoryService, type DirectoryService, type DirectorySearchFilters } from './directory.service.js';
export { createDirectoryCache, invalidateDirectoryAfterWrites, type DirectoryCache } from './directory-cache.js';
export { directoryRoutes } from './directory.routes.js';
export { createFhirDirectory, DIRECTORY_TYPES, type FhirDirectory, type DirectoryCriteria, type DirectoryResourceType } from './fhir-directory.service.js';
