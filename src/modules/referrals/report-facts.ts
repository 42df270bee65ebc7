import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

export interface IssuedReferralFacts {
  /** referrals recorded in the NHIS (issued or since used), with the local day they were issued */
  items: { id: string; form: string; issuedOn: string }[];
  /** the practice's quarterly regulatory standard per form in force on `standardOn` */
  standards: { form: string; perQuarter: number }[];
}

/**
 * What the practice's monthly NHIF report counts of referrals: the referrals the practice
 * issued between two days that the NHIS accepted (issued or used; pending, rejected, cancelled and
 * superseded ones do not count), and the standards they count against. Ids, forms and days only: no
 * content, so no patient data leaves this module. Runs in the caller's transaction.
 * @param from - first day, inclusive
 * @param to - last day, exclusive
 * @returns the facts
 */
export async function readIssuedReferralsIn(q: Queryable, facilityId: string, from: string, to: string, standardOn: string): Promise<IssuedReferralFacts> {
  const items = await q.execute<{ id: string; form: string; issued_on: string }>(sql`SELECT id, form, to_char(issued_on, 'YYYY-MM-DD') AS issued_on FROM referral
    WHERE facility_id = ${facilityId} AND issued_on >= ${from}::date AND issued_on < ${to}::date AND status IN ('issued', 'used') ORDER BY issued_on, id`);
  const standards = await q.execute<{ form: string; per_quarter: number }>(sql`SELECT DISTINCT ON (form) form, per_quarter FROM referral_standard
    WHERE facility_id = ${facilityId} AND valid_from <= ${standardOn}::date AND (valid_to IS NULL OR valid_to > ${standardOn}::date) ORDER BY form, valid_from DESC`);
  return { items: items.rows.map((r) => ({ id: r.id, form: r.form, issuedOn: r.issued_on })), standards: standards.rows.map((s) => ({ form: s.form, perQuarter: Number(s.per_quarter) })) };
}
