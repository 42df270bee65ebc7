/**
 * A facility's registered systems: OAuth 2.0 client credentials for the FHIR endpoint (docs/fhir.md#machine-clients).
 */
export { createApiClientsService, type ApiClientsService } from './api-clients.service.js';
export { apiClientsRoutes, oauthTokenRoutes } from './api-clients.routes.js';
