import type { Queryable } from '../../platform/db/index.js';
import * as repo from './gp.repo.js';

// The read port of the gp module: what other modules (sick-leave, practice, referrals) need to know
// about GP choices and contracts, read in the caller's transaction. They never query gp_registration
// or gp_contract themselves (src/test/table-ownership.test.ts). Dates are local `YYYY-MM-DD`.

/** R-SL-07: the practitioner of the patient's GP on a date (a temporary choice first), or null. */
export function readPatientGpOn(q: Queryable, patientId: string, on: string): Promise<string | null> {
  return repo.findGpOfPatientOn(q, patientId, on);
}

/** W8-W10: whether the patient is on one of the practice's lists on the day. */
export function isListedAtIn(q: Queryable, patientId: string, facilityId: string, on: string): Promise<boolean> {
  return repo.isListedAtFacility(q, patientId, facilityId, on);
}

/** The patients on a GP's list at a practice on a day, in the order they registered. */
export function listListedPatientsIn(q: Queryable, facilityId: string, practitionerId: string, on: string): Promise<string[]> {
  return repo.listedPatientIds(q, facilityId, practitionerId, on);
}

/** W20: every practice and GP holding a list on a day (the prophylaxis reminders go through each). */
export function listGpListsIn(q: Queryable, on: string): Promise<{ facilityId: string; practitionerId: string }[]> {
  return repo.gpListsOn(q, on);
}

/** Whether a GP contract of the practitioner at the facility is in force on the date. */
export function hasGpContractIn(q: Queryable, practitionerId: string, facilityId: string, on: string): Promise<boolean> {
  return repo.gpContractInForce(q, practitionerId, facilityId, on);
}
