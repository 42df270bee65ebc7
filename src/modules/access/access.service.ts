import { createGrantUseCases } from './access-grants.js';
import { createCareUseCases } from './care-relationships.js';
import { createRepresentativeLinkUseCases } from './representative-links.js';
import { createSupervisionUseCases } from './supervision-cases.js';
import type { AccessDeps } from './access-shared.js';

export type { CareRelationshipInput } from './care-relationships.js';

/**
 * Access grants, representative links, care relationships and supervision cases (docs/access.md). One
 * file per group of use cases; this is the module's one service object.
 * @param deps - database, clock, ids, keyring, audit, the access policy, the patient registry and the outbox
 * @returns the access service
 */
export function createAccessService(deps: AccessDeps) {
  return {
    ...createGrantUseCases(deps),
    ...createRepresentativeLinkUseCases(deps),
    ...createSupervisionUseCases(deps),
    ...createCareUseCases(deps),
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
