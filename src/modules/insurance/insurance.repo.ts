import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

export interface InsuranceCheckRow {
  id: string;
  answerEnc: Buffer;
  checkedAt: Date;
}

/** Today's cached answer for a person and a date asked about, if any. */
export async function findCheck(q: Queryable, patientId: string, on: string, checkedOn: string): Promise<InsuranceCheckRow | undefined> {
  const r = await q.execute<{ id: string; answer_enc: Buffer; checked_at: Date | string }>(
    sql`SELECT id, answer_enc, checked_at FROM insurance_status_check WHERE patient_id = ${patientId} AND on_date = ${on}::date AND checked_on = ${checkedOn}::date`,
  );
  const row = r.rows[0];
  return row ? { id: row.id, answerEnc: row.answer_enc, checkedAt: new Date(row.checked_at) } : undefined;
}

/**
 * Stores an answer; when another request stored today's answer first, keeps that one.
 * @returns true when this row was inserted
 */
export async function insertCheck(q: Queryable, row: { id: string; patientId: string; on: string; checkedOn: string; answerEnc: Buffer; checkedAt: Date }): Promise<boolean> {
  const r = await q.execute(sql`INSERT INTO insurance_status_check (id, patient_id, on_date, checked_on, answer_enc, checked_at)
    VALUES (${row.id}, ${row.patientId}, ${row.on}::date, ${row.checkedOn}::date, ${row.answerEnc}, ${row.checkedAt.toISOString()}::timestamptz)
    ON CONFLICT (patient_id, on_date, checked_on) DO NOTHING RETURNING id`);
  return r.rows.length > 0;
}
