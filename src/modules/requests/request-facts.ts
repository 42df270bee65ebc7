import type { Queryable } from '../../platform/db/index.js';
import { camelRow, type Camel } from '../../platform/db/rows.js';
import * as repo from './request-facts.repo.js';

// The read port of the requests module: what other modules (consent, consultation, records) need to
// know about a service request, read in the caller's transaction. They never query service_request,
// service_request_event or request_attachment themselves (src/test/table-ownership.test.ts).

/** A service request's facts: who asked whom, for which patient, in which facility and specialty. */
export type RequestFacts = Camel<repo.RequestFactsRow>;

/**
 * Reads a request's facts in the caller's transaction.
 * @param q - the caller's transaction (or the database)
 * @param requestId - the request
 * @param lock - `share` keeps the row stable for the transaction; `update` serialises with transitions
 * @returns the facts, or undefined for an unknown id
 */
export async function readRequestFactsIn(q: Queryable, requestId: string, lock?: 'share' | 'update'): Promise<RequestFacts | undefined> {
  const row = await repo.findRequestFacts(q, requestId, lock);
  return row ? camelRow(row) : undefined;
}

/**
 * R-TM-39: the instant of the request's latest `completed` transition.
 * @returns the instant, or undefined when the request was never completed
 */
export function readCompletedAtIn(q: Queryable, requestId: string): Promise<Date | undefined> {
  return repo.findCompletedAt(q, requestId);
}

/** Metadata (never content) of the attachments of a patient's requests, newest first, at most 500. */
export async function listPatientAttachmentsIn(q: Queryable, patientId: string): Promise<{ id: string; requestId: string; facilityId: string; contentType: string; sizeBytes: number; createdAt: Date }[]> {
  return (await repo.listPatientAttachmentFacts(q, patientId)).map((r) => camelRow(r));
}

/** The ids of a patient's requests (identity's "identity verified" flag asks consent about them). */
export function listPatientRequestIdsIn(q: Queryable, patientId: string): Promise<string[]> {
  return repo.findPatientRequestIds(q, patientId);
}

/** A request as another module sees its visit: status, provider, and the live appointment's start. */
export interface RequestVisit {
  status: RequestFacts['status'];
  providerFacilityId: string;
  /** The start of the live appointment; null without one (store and forward, or none left). */
  visitStart: Date | null;
}

/**
 * The visits of these requests, by id; an id with no request is absent (referrals: the primary visit of
 * a № 3 for R-REF-02, and the sweep of reservations whose booking never came to be).
 * @param q - the caller's transaction (or the database)
 * @param requestIds - the requests
 * @returns the existing ones
 */
export async function readRequestVisitsIn(q: Queryable, requestIds: readonly string[]): Promise<Map<string, RequestVisit>> {
  const found = await repo.findRequestVisits(q, requestIds);
  return new Map(found.map((r) => [r.id, { status: r.status, providerFacilityId: r.provider_facility_id, visitStart: r.visit_start === null ? null : new Date(r.visit_start) }]));
}
