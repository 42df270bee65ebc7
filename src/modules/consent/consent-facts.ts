import type { Queryable } from '../../platform/db/index.js';
import { anyVerifiedIdentity, findActiveConsent, findDecision } from './consent.repo.js';

// The read port of the consent module: what other modules (encounters, identity) need to know about a
// request's admissibility and identity checks, read in the caller's transaction
// (src/test/table-ownership.test.ts).

/**
 * Art. 9 with Art. 7(1) item 4: the accepting specialist's answer that the case needs no direct contact.
 * @returns the answer, or undefined when the request was not accepted
 */
export async function readAcceptedNoDirectContactIn(q: Queryable, requestId: string): Promise<boolean | undefined> {
  const d = await findDecision(q, requestId);
  return d?.outcome === 'accept' ? d.no_direct_contact_needed : undefined;
}

/** R-TM-15: whether a specialist recorded a successful identity check on any of the requests. */
export function anyIdentityVerifiedIn(q: Queryable, requestIds: readonly string[]): Promise<boolean> {
  return requestIds.length === 0 ? Promise.resolve(false) : anyVerifiedIdentity(q, requestIds);
}

/**
 * Art. 10-11: the request's written treatment consent in force (signed and not withdrawn), the consent under
 * which the specialist reads the patient's national record into the consultation (Art. 13, R-TM-29).
 * @returns its id and signing time, or undefined when there is none in force
 */
export async function readTreatmentConsentIn(q: Queryable, requestId: string): Promise<{ id: string; signedAt: Date } | undefined> {
  const c = await findActiveConsent(q, requestId, 'treatment');
  return c && { id: c.id, signedAt: c.signed_at };
}
