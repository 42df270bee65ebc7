import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { one, rows } from '../../platform/db/rows.js';

// SQL only (STYLE C7). A remote consultation's facts come through the consultation, requests and consent
// modules' ports (read-encounters.ts), never from their tables.

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

/** Whether the published service is paid by the NHIF (Art. 15), or undefined for an unknown service. */
export async function serviceNhifPaid(q: Queryable, serviceId: string): Promise<boolean | undefined> {
  return (await one<{ nhif_paid: boolean }>(q, sql`SELECT nhif_paid FROM facility_service WHERE id = ${serviceId}`))?.nhif_paid;
}

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
