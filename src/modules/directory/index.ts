export { createDirectoryService, type DirectoryService } from './directory.service.js';
export { directoryRoutes } from './directory.routes.js';
