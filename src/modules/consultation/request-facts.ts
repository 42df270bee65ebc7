import type { Queryable } from '../../platform/db/index.js';
import { readRequestFactsIn } from '../requests/index.js';
import * as repo from './consultation.repo.js';

/**
 * The request with the accounts of its people: the providing specialist, the patient (a patient's
 * request only), the recipient specialist (emergencies and specialist consults) and the requester.
 * Read through the requests module's port.
 * @returns the facts, or undefined for an unknown id
 */
export async function findRequestFacts(q: Queryable, requestId: string): Promise<repo.RequestFacts | undefined> {
  const r = await readRequestFactsIn(q, requestId);
  if (!r) return undefined;
  const accounts = await repo.findAccountsOf(q, {
    practitionerId: r.practitionerId,
    patientId: r.recipientKind === 'patient' ? r.patientId : null,
    recipientPractitionerId: r.recipientPractitionerId,
  });
  return {
    id: r.id,
    status: r.status,
    mode: r.mode,
    provider_facility_id: r.providerFacilityId,
    practitioner_id: r.practitionerId,
    patient_id: r.patientId,
    requester_account_id: r.requesterAccountId,
    provider_account_id: accounts?.provider_account_id ?? null,
    patient_account_id: accounts?.patient_account_id ?? null,
    recipient_account_id: accounts?.recipient_account_id ?? null,
  };
}
