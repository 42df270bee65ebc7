import type { EncountersDeps } from './encounters.deps.js';
import { readEncountersUseCases } from './read-encounters.js';
import { recordVisitInUseCase, recordVisitUseCase } from './record-visit.js';

/**
 * Encounters: remote consultations and the practice's visits, which referrals, prescriptions, sick leave
 * and fees are issued on (docs/encounters.md).
 * @param deps - see `EncountersDeps`
 * @returns the encounters service
 */
export function createEncountersService(deps: EncountersDeps) {
  return {
    /** See `recordVisitUseCase`. */
    recordVisit: recordVisitUseCase(deps),
    /** See `recordVisitInUseCase`: inside the caller's transaction. */
    recordVisitIn: recordVisitInUseCase(deps),
    ...readEncountersUseCases(deps),
  };
}
export type EncountersService = ReturnType<typeof createEncountersService>;
