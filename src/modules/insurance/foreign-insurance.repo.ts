import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { ForeignInsuranceRuleValues } from './foreign-insurance-rules.js';

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

/**
 * The rule values these use cases read, in force on a date (DECISIONS.md item 17).
 * @param on - `YYYY-MM-DD`
 * @returns every `ins.*` key and the conversion rate
 * @throws Error when a key has no version on that date: a missing rule is a configuration fault
 */
export async function loadRuleValues(q: Queryable, on: string): Promise<ForeignInsuranceRuleValues> {
  const r = await q.execute<{ key: string; value: unknown }>(sql`
    SELECT DISTINCT ON (key) key, value FROM nhif_rule
    WHERE (key LIKE 'ins.%' OR key = 'money.bgn_per_eur') AND valid_from <= ${on}::date AND (valid_to IS NULL OR ${on}::date < valid_to)
    ORDER BY key, valid_from DESC`);
  const out: Record<string, unknown> = {};
  for (const row of r.rows) out[row.key] = typeof row.value === 'string' ? (JSON.parse(row.value) as unknown) : row.value;
  for (const key of ['ins.min_sum', 'ins.max_term_days', 'ins.notice_hours', 'ins.payout_days', 'ins.claim_documents', 'ins.covered', 'ins.exclusions', 'money.bgn_per_eur', 'ins.claim_limitation']) {
    if (!(key in out)) throw new Error(`no ${key} rule in force on ${on}`);
  }
  return out as unknown as ForeignInsuranceRuleValues;
}

export type PolicyRow = {
  id: string;
  patient_id: string;
  stay_kind: 'short' | 'transit' | 'long';
  concluded_on: string;
  starts_on: string;
  ends_on: string;
  sum_insured_cents: string | number;
  sum_currency: 'BGN' | 'EUR';
  renews_policy_id: string | null;
  details_enc: Buffer;
  created_at: Date | string;
};

const policyCols = sql`id, patient_id, stay_kind, to_char(concluded_on, 'YYYY-MM-DD') AS concluded_on, to_char(starts_on, 'YYYY-MM-DD') AS starts_on,
  to_char(ends_on, 'YYYY-MM-DD') AS ends_on, sum_insured_cents, sum_currency, renews_policy_id, details_enc, created_at`;

/** A patient's policies, oldest first. */
export async function listPolicies(q: Queryable, patientId: string): Promise<PolicyRow[]> {
  const r = await q.execute<PolicyRow>(sql`SELECT ${policyCols} FROM foreign_insurance_policy WHERE patient_id = ${patientId} ORDER BY starts_on, created_at`);
  return r.rows;
}

export async function insertPolicy(
  q: Queryable,
  p: { id: string; patientId: string; stayKind: string; concludedOn: string; startsOn: string; endsOn: string; sumInsuredCents: number; sumCurrency: string; renewsPolicyId: string | null; detailsEnc: Buffer; recordedBy: string; recordedByRole: string; at: Date },
): Promise<void> {
  await q.execute(sql`INSERT INTO foreign_insurance_policy (id, patient_id, stay_kind, concluded_on, starts_on, ends_on, sum_insured_cents, sum_currency, premium_payment, renews_policy_id, details_enc, recorded_by, recorded_by_role, created_at)
    VALUES (${p.id}, ${p.patientId}, ${p.stayKind}, ${p.concludedOn}::date, ${p.startsOn}::date, ${p.endsOn}::date, ${p.sumInsuredCents}, ${p.sumCurrency}, 'single', ${p.renewsPolicyId}, ${p.detailsEnc}, ${p.recordedBy}, ${p.recordedByRole}, ${iso(p.at)}::timestamptz)`);
}

/** What a booking needs to know about a service. */
export type ServiceForPayment = {
  facility_id: string;
  specialty_code: string;
  kind_code: string;
  nhif_paid: boolean;
  price_eur_cents: number | null;
};

export async function findServiceForPayment(q: Queryable, serviceId: string): Promise<ServiceForPayment | undefined> {
  const r = await q.execute<ServiceForPayment>(sql`SELECT facility_id, specialty_code, kind_code, nhif_paid, price_eur_cents FROM facility_service WHERE id = ${serviceId}`);
  return r.rows[0];
}

/** The lowest price the facility publishes for the same specialty and kind of service, paid by the patient. */
export async function facilityPaidPrice(q: Queryable, s: Pick<ServiceForPayment, 'facility_id' | 'specialty_code' | 'kind_code'>): Promise<number | null> {
  const r = await q.execute<{ price: number | null }>(sql`SELECT min(price_eur_cents) AS price FROM facility_service
    WHERE facility_id = ${s.facility_id} AND specialty_code = ${s.specialty_code} AND kind_code = ${s.kind_code} AND NOT nhif_paid AND status = 'published'`);
  const p = r.rows[0]?.price;
  return p === null || p === undefined ? null : Number(p);
}

/** A slot's start, for the day of care. */
export async function slotStart(q: Queryable, slotId: string): Promise<Date | undefined> {
  const r = await q.execute<{ start: Date | string }>(sql`SELECT start FROM slot WHERE id = ${slotId}`);
  const s = r.rows[0]?.start;
  return s === undefined ? undefined : new Date(s);
}

export type EventRow = {
  id: string;
  policy_id: string;
  patient_id: string;
  facility_id: string;
  request_id: string | null;
  occurred_at: Date | string;
  notice_due_at: Date | string;
  notified_at: Date | string | null;
  notice_channel: 'letter' | 'phone' | 'fax' | 'other' | null;
  notice_overdue_at: Date | string | null;
  documents: Record<string, string> | string;
  documents_complete_on: string | null;
  payout_due_on: string | null;
  paid_on: string | null;
  payout_cents: string | number | null;
  payout_currency: 'EUR' | 'BGN' | null;
  payout_to: 'provider' | 'insured' | null;
  abroad_currency: string | null;
  abroad_rate: string | null;
  abroad_cents: string | number | null;
};

const eventCols = sql`id, policy_id, patient_id, facility_id, request_id, occurred_at, notice_due_at, notified_at, notice_channel, notice_overdue_at, documents,
  to_char(documents_complete_on, 'YYYY-MM-DD') AS documents_complete_on, to_char(payout_due_on, 'YYYY-MM-DD') AS payout_due_on,
  to_char(paid_on, 'YYYY-MM-DD') AS paid_on, payout_cents, payout_currency, payout_to, abroad_currency, abroad_rate::text AS abroad_rate, abroad_cents`;

/**
 * Opens an insured event; one per request (a retried booking keeps the first).
 * @returns true when inserted
 */
export async function insertEvent(q: Queryable, e: { id: string; policyId: string; patientId: string; facilityId: string; requestId: string | null; occurredAt: Date; noticeDueAt: Date; at: Date }): Promise<boolean> {
  const r = await q.execute(sql`INSERT INTO foreign_insurance_event (id, policy_id, patient_id, facility_id, request_id, occurred_at, notice_due_at, created_at)
    VALUES (${e.id}, ${e.policyId}, ${e.patientId}, ${e.facilityId}, ${e.requestId}, ${iso(e.occurredAt)}::timestamptz, ${iso(e.noticeDueAt)}::timestamptz, ${iso(e.at)}::timestamptz)
    ON CONFLICT (request_id) WHERE request_id IS NOT NULL DO NOTHING RETURNING id`);
  return r.rows.length > 0;
}

export async function listEvents(q: Queryable, patientId: string): Promise<EventRow[]> {
  const r = await q.execute<EventRow>(sql`SELECT ${eventCols} FROM foreign_insurance_event WHERE patient_id = ${patientId} ORDER BY occurred_at DESC`);
  return r.rows;
}

/** An event, locked for a change. */
export async function findEventForUpdate(q: Queryable, id: string): Promise<EventRow | undefined> {
  const r = await q.execute<EventRow>(sql`SELECT ${eventCols} FROM foreign_insurance_event WHERE id = ${id} FOR UPDATE`);
  return r.rows[0];
}

export async function setNotice(q: Queryable, id: string, channel: string, by: string, at: Date): Promise<void> {
  await q.execute(sql`UPDATE foreign_insurance_event SET notified_at = ${iso(at)}::timestamptz, notice_channel = ${channel}, notified_by = ${by} WHERE id = ${id}`);
}

export async function setDocuments(q: Queryable, id: string, documents: Record<string, string>, completeOn: string | null, payoutDueOn: string | null): Promise<void> {
  await q.execute(sql`UPDATE foreign_insurance_event SET documents = ${JSON.stringify(documents)}::jsonb, documents_complete_on = ${completeOn}::date, payout_due_on = ${payoutDueOn}::date WHERE id = ${id}`);
}

/** R-INS-08/09: the payout, once (compare-and-set on `paid_on`). @returns true when recorded now */
export async function setPayout(
  q: Queryable,
  id: string,
  p: { paidOn: string; cents: number; currency: 'EUR' | 'BGN'; to: 'provider' | 'insured'; abroad: { currency: string; rate: string; cents: number } | null; by: string },
): Promise<boolean> {
  const r = await q.execute(sql`UPDATE foreign_insurance_event SET paid_on = ${p.paidOn}::date, payout_cents = ${p.cents}, payout_currency = ${p.currency}, payout_to = ${p.to},
    abroad_currency = ${p.abroad?.currency ?? null}, abroad_rate = ${p.abroad?.rate ?? null}::numeric, abroad_rate_on = ${p.abroad ? p.paidOn : null}::date, abroad_cents = ${p.abroad?.cents ?? null}, payout_recorded_by = ${p.by}
    WHERE id = ${id} AND paid_on IS NULL RETURNING id`);
  return r.rows.length === 1;
}

/**
 * Marks the notice overdue when it still has not been given (compare-and-set: a notice recorded meanwhile wins).
 * @returns the event's patient and facility when it was marked now
 */
export async function markNoticeOverdue(q: Queryable, id: string, at: Date): Promise<{ patient_id: string; facility_id: string } | undefined> {
  const r = await q.execute<{ patient_id: string; facility_id: string }>(sql`UPDATE foreign_insurance_event SET notice_overdue_at = ${iso(at)}::timestamptz
    WHERE id = ${id} AND notified_at IS NULL AND notice_overdue_at IS NULL AND notice_due_at <= ${iso(at)}::timestamptz RETURNING patient_id, facility_id`);
  return r.rows[0];
}
