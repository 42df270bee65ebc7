import type { Actor } from '../../platform/auth/request-context.js';
import type { AccessBasis } from '../../contracts/access.js';

/**
 * What is being read, recorded with every decision. `demographics` is who the patient is; `clinical` is
 * requests, consultations, records, attachments and recordings. Every basis that opens one opens the
 * other (a grant is "see my data"); administrators and the operator get neither (Art. 28(3)).
 */
export type ReadPurpose = 'demographics' | 'clinical';

/** The relationships that can open a patient's data to an actor, as loaded for one decision. */
export interface AccessFacts {
  /** An active representative link from the actor's account to the patient. */
  representativeLinkId?: string;
  /** An active care relationship of the actor's practitioner, in one of the actor's facilities. */
  care?: { id: string; sourceType: string; sourceId: string; facilityId: string };
  /** An active, unrevoked grant naming the actor's account. */
  grantId?: string;
  /** An open supervision case of the actor covering the patient (one the patient had care at). */
  supervisionCase?: { id: string; facilityId: string };
  /**
   * Every facility named by the actor's open cases that cover the patient: a supervisor reaches only
   * the data those facilities recorded (Art. 21; docs/access.md "Supervision").
   */
  supervisionFacilityIds?: readonly string[];
  /** A facility system: an active care relationship of the patient at the system's facility. */
  facilityCare?: { sourceType: string; sourceId: string };
}

export type AccessDecision =
  | {
      allow: true;
      basis: AccessBasis;
      reason: string;
      facilityId?: string;
      /** Set when the basis reaches only the data some facilities recorded (supervision). */
      facilityScope?: readonly string[];
    }
  | { allow: false; why: 'unauthenticated' | 'no_relationship' | 'role_excluded' | 'outside_scope' };

/** Which facts are worth loading for this actor (the policy loads only these). */
export interface FactNeeds {
  representativeLink: boolean;
  care: boolean;
  grant: boolean;
  supervision: boolean;
  facilityCare: boolean;
}

/**
 * The facts a decision for this actor could use; everything else is never queried.
 * @param actor - who asks
 * @param patientId - whose data
 * @returns which relationships to look up
 */
export function factsNeeded(actor: Actor, patientId: string): FactNeeds {
  const none: FactNeeds = { representativeLink: false, care: false, grant: false, supervision: false, facilityCare: false };
  if (actor.type === 'client') return { ...none, facilityCare: true };
  if (actor.type !== 'user') return none;
  switch (actor.role) {
    case 'patient':
      return { ...none, grant: actor.patientId !== patientId };
    case 'representative':
      return { ...none, representativeLink: true, grant: true };
    case 'specialist':
      return { ...none, care: true, grant: true };
    case 'supervisor':
      return { ...none, supervision: true };
    case 'facility_admin':
    case 'coordinator':
    case 'operator':
      return none;
    default:
      return none;
  }
}

/**
 * Decides a read of one patient's data. Deny by default: only the branches below open anything.
 * Regulatory: Art. 13 (care relationship), Art. 28(3) (operator never), Art. 28(4) (named persons),
 * Art. 21 (supervision inside a case), Health Act Art. 87 (representatives).
 * @param actor - who asks
 * @param patientId - whose data
 * @param facts - the relationships loaded for this actor
 * @param recordedBy - the facility that recorded the data being read, when it is one facility's record
 * @returns allow with a basis and an audit reason, or deny with a code
 */
export function decideRead(actor: Actor, patientId: string, facts: AccessFacts, recordedBy?: string): AccessDecision {
  if (actor.type === 'anonymous') return { allow: false, why: 'unauthenticated' };
  if (actor.type === 'client') {
    // Security: a facility's system reads only what its facility recorded, for a patient under care there
    // (Art. 13: the facility's own care; docs/fhir.md#machine-clients).
    if (!facts.facilityCare) return { allow: false, why: 'no_relationship' };
    if (recordedBy !== undefined && recordedBy !== actor.facilityId) return { allow: false, why: 'outside_scope' };
    return { allow: true, basis: 'facility_system', reason: `api_client:${actor.id}`, facilityId: actor.facilityId, facilityScope: [actor.facilityId] };
  }
  // Security: background jobs read through their own code paths, never through a user-facing policy.
  if (actor.type !== 'user') return { allow: false, why: 'role_excluded' };
  const viaGrant = (): AccessDecision =>
    facts.grantId ? { allow: true, basis: 'grant', reason: `access_grant:${facts.grantId}` } : { allow: false, why: 'no_relationship' };
  switch (actor.role) {
    case 'patient':
      if (actor.patientId !== undefined && actor.patientId === patientId) return { allow: true, basis: 'self', reason: 'self' };
      return viaGrant();
    case 'representative':
      if (facts.representativeLinkId) return { allow: true, basis: 'representative', reason: `representative_link:${facts.representativeLinkId}` };
      return viaGrant();
    case 'specialist':
      if (facts.care) {
        return { allow: true, basis: 'care', reason: `${facts.care.sourceType}:${facts.care.sourceId}`, facilityId: facts.care.facilityId };
      }
      return viaGrant();
    case 'supervisor':
      // Regulatory: Art. 21 — compliance data needs no case; patient data (either purpose) only inside an
      // open case, and only what the case's facility recorded (docs/access.md "Supervision").
      if (facts.supervisionCase) {
        const scope = facts.supervisionFacilityIds ?? [facts.supervisionCase.facilityId];
        if (recordedBy !== undefined && !scope.includes(recordedBy)) return { allow: false, why: 'outside_scope' };
        return {
          allow: true,
          basis: 'supervision',
          reason: `supervision_case:${facts.supervisionCase.id}`,
          facilityId: recordedBy ?? facts.supervisionCase.facilityId,
          facilityScope: scope,
        };
      }
      return { allow: false, why: 'no_relationship' };
    case 'facility_admin':
    case 'coordinator':
      // Administrators run their facility's operational data, never clinical content or a patient's identity.
      return { allow: false, why: 'role_excluded' };
    case 'operator':
      // Regulatory: Art. 28(3): the platform operator never sees patient data.
      return { allow: false, why: 'role_excluded' };
    default:
      return { allow: false, why: 'role_excluded' };
  }
}

/**
 * Decides a write on a patient's behalf (grants, requests, consents): only the patient or a linked
 * representative acts for a patient; a grant is read-only.
 * @param actor - who asks
 * @param patientId - for whom
 * @param facts - `representativeLinkId` when the actor is a representative
 * @returns allow (self or representative) or deny
 */
export function decideAct(actor: Actor, patientId: string, facts: Pick<AccessFacts, 'representativeLinkId'>): AccessDecision {
  if (actor.type === 'anonymous') return { allow: false, why: 'unauthenticated' };
  if (actor.type !== 'user') return { allow: false, why: 'role_excluded' };
  if (actor.role === 'patient' && actor.patientId !== undefined && actor.patientId === patientId) {
    return { allow: true, basis: 'self', reason: 'self' };
  }
  if (actor.role === 'representative' && facts.representativeLinkId) {
    return { allow: true, basis: 'representative', reason: `representative_link:${facts.representativeLinkId}` };
  }
  return { allow: false, why: actor.role === 'patient' || actor.role === 'representative' ? 'no_relationship' : 'role_excluded' };
}
