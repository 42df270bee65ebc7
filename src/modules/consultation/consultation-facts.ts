import type { Queryable } from '../../platform/db/index.js';
import { findConsultation, findConsultationByRequest, type ConsultationRow } from './consultation.repo.js';

// The read port of the consultation module: what another module (encounters) needs to know about a
// request's consultation, read in the caller's transaction (src/test/table-ownership.test.ts).

/** A request's consultation: who, where, and when it started and ended. */
export interface ConsultationFacts {
  id: string;
  requestId: string;
  patientId: string | null;
  facilityId: string;
  practitionerId: string;
  startedAt: Date | null;
  completedAt: Date | null;
}

/**
 * Reads the consultation of a request in the caller's transaction.
 * @returns the facts, or undefined when the request has no consultation
 */
export async function readConsultationFactsIn(q: Queryable, requestId: string): Promise<ConsultationFacts | undefined> {
  return factsOf(await findConsultationByRequest(q, requestId));
}

/**
 * Reads a consultation by its id in the caller's transaction (the records module's national-record panel).
 * @returns the facts, or undefined when there is no such consultation
 */
export async function readConsultationFactsByIdIn(q: Queryable, consultationId: string): Promise<ConsultationFacts | undefined> {
  return factsOf(await findConsultation(q, consultationId));
}

const factsOf = (c: ConsultationRow | undefined): ConsultationFacts | undefined =>
  c && { id: c.id, requestId: c.request_id, patientId: c.patient_id, facilityId: c.facility_id, practitionerId: c.practitioner_id, startedAt: c.started_at, completedAt: c.completed_at };
