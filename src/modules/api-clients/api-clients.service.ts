import type { ApiClientsDeps } from './api-clients.deps.js';
import { tokenUseCases } from './issue-token.js';
import { manageApiClientsUseCases } from './manage-api-clients.js';

/**
 * A facility's registered systems and their OAuth 2.0 client-credentials tokens (docs/fhir.md#machine-clients).
 * @param deps - see `ApiClientsDeps`
 * @returns the service
 */
export function createApiClientsService(deps: ApiClientsDeps) {
  return { ...manageApiClientsUseCases(deps), ...tokenUseCases(deps) };
}
export type ApiClientsService = ReturnType<typeof createApiClientsService>;
