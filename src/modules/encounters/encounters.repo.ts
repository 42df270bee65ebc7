import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { one, rows } from '../../platform/db/rows.js';

// SQL only (STYLE C7). The consultation, request and admissibility tables belong to their modules; they
// are read here to open a remote consultation's encounter, never written.

export type EncounterRow = {
  id: string;
  patient_id: string;
  facility_id: string;
  practitioner_id: string;
  kind: 'remote' | 'in_person' | 'phone' | 'home_visit';
  consultation_id: string | null;
  request_id: string | null;
  nhif_paid: boolean;
  remote_assessable: boolean | null;
  started_at: Date;
  ended_at: Date | null;
  reason_enc: Buffer | null;
};

const SELECT = sql`SELECT id, patient_id, facility_id, practitioner_id, kind, consultation_id, request_id, nhif_paid,
  remote_assessable, started_at, ended_at, reason_enc FROM encounter`;

export async function insertEncounter(q: Queryable, e: EncounterRow & { recordedBy: string; createdAt: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO encounter (id, patient_id, facility_id, practitioner_id, kind, consultation_id, request_id, nhif_paid,
      remote_assessable, started_at, ended_at, reason_enc, recorded_by_account_id, created_at)
    VALUES (${e.id}, ${e.patient_id}, ${e.facility_id}, ${e.practitioner_id}, ${e.kind}, ${e.consultation_id}, ${e.request_id}, ${e.nhif_paid},
      ${e.remote_assessable}, ${e.started_at}, ${e.ended_at}, ${e.reason_enc}, ${e.recordedBy}, ${e.createdAt})
    ON CONFLICT (consultation_id) DO NOTHING`);
}

export const findEncounter = (q: Queryable, id: string) => one<EncounterRow>(q, sql`${SELECT} WHERE id = ${id}`);

export const findByConsultation = (q: Queryable, consultationId: string) => one<EncounterRow>(q, sql`${SELECT} WHERE consultation_id = ${consultationId}`);

export const listForPatient = (q: Queryable, patientId: string, limit: number) =>
  rows<EncounterRow>(q, sql`${SELECT} WHERE patient_id = ${patientId} ORDER BY started_at DESC, id LIMIT ${limit}`);

export const listForPractitioner = (q: Queryable, practitionerId: string, since: Date, limit: number) =>
  rows<EncounterRow>(q, sql`${SELECT} WHERE practitioner_id = ${practitionerId} AND started_at >= ${since.toISOString()}::timestamptz ORDER BY started_at DESC, id LIMIT ${limit}`);

/** A remote consultation's facts: who, where, when it started, and the Art. 7(1) item 4 answer. */
export type ConsultationFacts = {
  consultation_id: string;
  request_id: string;
  patient_id: string | null;
  facility_id: string;
  practitioner_id: string;
  started_at: Date | null;
  completed_at: Date | null;
  no_direct_contact_needed: boolean | null;
  nhif_paid: boolean | null;
};

export const consultationFacts = (q: Queryable, requestId: string) =>
  one<ConsultationFacts>(q, sql`SELECT c.id AS consultation_id, c.request_id, c.patient_id, c.facility_id, c.practitioner_id, c.started_at,
      c.completed_at, d.no_direct_contact_needed, s.nhif_paid
    FROM consultation c JOIN service_request r ON r.id = c.request_id
    LEFT JOIN facility_service s ON s.id = r.service_id
    LEFT JOIN admissibility_decision d ON d.request_id = c.request_id AND d.outcome = 'accept'
    WHERE c.request_id = ${requestId}`);

/** Whether the practitioner works at the facility (an active role there). */
export async function practitionerWorksAt(q: Queryable, practitionerId: string, facilityId: string): Promise<boolean> {
  return Boolean(await one(q, sql`SELECT 1 FROM practitioner_role WHERE practitioner_id = ${practitionerId} AND facility_id = ${facilityId} AND active`));
}

export async function patientExists(q: Queryable, patientId: string): Promise<boolean> {
  return Boolean(await one(q, sql`SELECT 1 FROM patient WHERE id = ${patientId}`));
}

export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | undefined> {
  return (await one<{ practitioner_id: string | null }>(q, sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`))?.practitioner_id ?? undefined;
}
