import { withTransaction, type Queryable, type Tx } from '../../platform/db/index.js';
import { createCentreUseCases } from './centres.js';
import { createCertificateUseCases } from './certificates.js';
import { createEmergencyContractUseCases } from './emergency-contracts.js';
import { createFacilityUseCases } from './facilities.js';
import { createPractitionerUseCases } from './practitioners.js';
import { createServiceUseCases } from './services.js';
import { registryCore, type RegistryCore, type RegistryDeps } from './registry-shared.js';
import * as repo from './registry.repo.js';

/**
 * The register of facilities, specialists, published services, telemedicine centres and emergency
 * contracts (Art. 4, 5, 14(3), 15, 24-26). Every change is audited in its own transaction. One file per
 * group of use cases; who may manage what is `registry-access.ts` (docs/access.md "Coordinators").
 * @param deps - database, clock, ids and audit
 * @returns the registry service
 */
export function createRegistryService(deps: RegistryDeps) {
  return buildRegistryService(registryCore(deps, (fn) => withTransaction(deps.db, fn), deps.db));
}

function buildRegistryService(core: RegistryCore) {
  const service = {
    ...createFacilityUseCases(core),
    ...createCertificateUseCases(core),
    ...createPractitionerUseCases(core),
    ...createServiceUseCases(core),
    ...createCentreUseCases(core),
    ...createEmergencyContractUseCases(core),

    countFacilities: (q: Queryable) => repo.countFacilities(q),

    /**
     * The same use cases inside the caller's transaction (demo seeding, tests).
     * @param tx - the open transaction
     * @returns a service bound to `tx`
     */
    within(tx: Tx) {
      return buildRegistryService(registryCore(core.deps, (fn) => fn(tx), tx));
    },
  };
  return service;
}
export type RegistryService = ReturnType<typeof createRegistryService>;
