import type { Queryable } from '../../platform/db/index.js';
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
  return {
    id: r.id,
    status: r.status,
    urgency: r.urgency,
    mode: r.mode,
    requester_kind: r.requesterKind,
    requester_practitioner_id: r.requesterPractitionerId,
    requester_facility_id: r.requesterFacilityId,
    patient_id: r.patientId,
    provider_facility_id: r.providerFacilityId,
    practitioner_id: r.practitionerId,
    specialty_code: r.specialtyCode,
    ...c,
  };
}
