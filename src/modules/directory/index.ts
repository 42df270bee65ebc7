export { createDirectoryService, type DirectoryService, type DirectorySearchFilters } from './directory.service.js';
export { createDirectoryCache, invalidateDirectoryAfterWrites, type DirectoryCache } from './directory-cache.js';
export { directoryRoutes } from './directory.routes.js';
