import { eq } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import { patientTable } from './patients.tables.js';

export type PatientRow = typeof patientTable.$inferSelect;

export async function insertPatient(q: Queryable, row: typeof patientTable.$inferInsert): Promise<void> {
  await q.insert(patientTable).values(row);
}

export async function findPatientById(q: Queryable, id: string): Promise<PatientRow | undefined> {
  const [row] = await q.select().from(patientTable).where(eq(patientTable.id, id)).limit(1);
  return row;
}

export async function findPatientByIndex(q: Queryable, identifierIndex: string): Promise<PatientRow | undefined> {
  const [row] = await q.select().from(patientTable).where(eq(patientTable.identifierIndex, identifierIndex)).limit(1);
  return row;
}
