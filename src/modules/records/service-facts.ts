import type { Queryable } from '../../platform/db/index.js';
import { snakeRow } from '../../platform/db/rows.js';
import { readRequestFactsIn } from '../requests/index.js';
import * as repo from './records.repo.js';

/**
 * The service a record belongs to: the requests module's facts with what a record snapshots of its
 * facility, specialty and practitioner.
 * @param lock - serialise with the request's transitions (signing)
 * @returns the service, or undefined for an unknown id
 */
export async function findService(q: Queryable, requestId: string, lock = false): Promise<repo.ServiceRow | undefined> {
  const r = await readRequestFactsIn(q, requestId, lock ? 'update' : undefined);
  if (!r) return undefined;
  const c = await repo.serviceContext(q, r.providerFacilityId, r.specialtyCode, r.practitionerId);
  if (!c) return undefined;
  return { ...snakeRow(r), ...c };
}
