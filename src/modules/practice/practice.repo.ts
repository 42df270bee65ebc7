import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { DatedRule, PriceListVersion } from './fee-rules.js';
import type { Currency } from './money.js';
import type { ReportPayment, ReportVisit } from './report-rules.js';

// SQL only (STYLE C7). Facility, practitioner, account and GP-registration tables belong to other modules;
// they are read here for names, the list check and the report header, never written.

const iso = (d: Date | string): string => new Date(d).toISOString();

/** Every row of the dated rule table (a few dozen). */
export async function loadRules(q: Queryable): Promise<DatedRule[]> {
  const r = await q.execute<{ key: string; rule_id: string; value: unknown; valid_from: string; valid_to: string | null }>(
    sql`SELECT key, rule_id, value, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM nhif_rule`,
  );
  return r.rows.map((x) => ({ key: x.key, ruleId: x.rule_id, value: typeof x.value === 'string' ? (JSON.parse(x.value) as unknown) : x.value, validFrom: x.valid_from, validTo: x.valid_to }));
}

export type FacilityRow = { id: string; number: string; name: string; rhif_code: string; type_code: string };

export async function findFacility(q: Queryable, facilityId: string): Promise<FacilityRow | undefined> {
  const r = await q.execute<FacilityRow>(sql`SELECT id, number, name, rhif_code, type_code FROM facility WHERE id = ${facilityId}`);
  return r.rows[0];
}

/** Serialises receipt numbering and price-list versions per practice. */
export async function lockFacility(q: Queryable, facilityId: string): Promise<void> {
  await q.execute(sql`SELECT id FROM facility WHERE id = ${facilityId} FOR UPDATE`);
}

export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | null> {
  const r = await q.execute<{ practitioner_id: string | null }>(sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`);
  return r.rows[0]?.practitioner_id ?? null;
}

export async function practitionersOf(q: Queryable, facilityId: string): Promise<{ id: string; uin: string }[]> {
  const r = await q.execute<{ id: string; uin: string }>(sql`SELECT DISTINCT p.id, p.uin FROM practitioner p JOIN practitioner_role pr ON pr.practitioner_id = p.id WHERE pr.facility_id = ${facilityId} ORDER BY p.uin`);
  return r.rows;
}

// ---- Price lists ----

export type StoredVersion = PriceListVersion & { facilityId: string; createdAt: string };

export async function listPriceLists(q: Queryable, facilityId: string): Promise<StoredVersion[]> {
  const lists = await q.execute<{ id: string; effective_from: string; currency: Currency; created_at: Date | string }>(
    sql`SELECT id, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, currency, created_at FROM practice_price_list WHERE facility_id = ${facilityId} ORDER BY effective_from DESC`,
  );
  if (lists.rows.length === 0) return [];
  const items = await q.execute<{ price_list_id: string; code: string; name: string; amount: string }>(
    sql`SELECT i.price_list_id, i.code, i.name, i.amount::text AS amount FROM practice_price_item i JOIN practice_price_list l ON l.id = i.price_list_id WHERE l.facility_id = ${facilityId} ORDER BY i.position`,
  );
  return lists.rows.map((l) => ({
    id: l.id,
    facilityId,
    effectiveFrom: l.effective_from,
    currency: l.currency,
    createdAt: iso(l.created_at),
    items: items.rows.filter((i) => i.price_list_id === l.id).map((i) => ({ code: i.code, name: i.name, amount: i.amount })),
  }));
}

export async function insertPriceList(q: Queryable, v: { id: string; facilityId: string; effectiveFrom: string; currency: Currency; createdBy: string | null; createdAt: string; items: { code: string; name: string; amount: string }[] }): Promise<void> {
  await q.execute(sql`INSERT INTO practice_price_list (id, facility_id, effective_from, currency, created_by, created_at) VALUES (${v.id}, ${v.facilityId}, ${v.effectiveFrom}::date, ${v.currency}, ${v.createdBy}, ${v.createdAt}::timestamptz)`);
  for (const [i, it] of v.items.entries()) {
    await q.execute(sql`INSERT INTO practice_price_item (price_list_id, code, name, amount, position) VALUES (${v.id}, ${it.code}, ${it.name}, ${it.amount}::numeric, ${i})`);
  }
}

// ---- Visits ----

export type VisitRow = {
  encounter_id: string;
  facility_id: string;
  patient_id: string;
  practitioner_id: string;
  kind: 'in_person' | 'phone' | 'home_visit';
  visit_on: string;
  nhif_paid: boolean;
  purpose: 'treatment' | 'prophylaxis' | 'dispensary';
  age_group: string;
  fee_basis: 'user_fee' | 'exempt' | 'price_list' | 'none';
  fee_rule: string;
  exemption_code: string | null;
  price_item_code: string | null;
  fee_amount: string | null;
  fee_currency: Currency | null;
  paid: { amount: string; currency: Currency }[];
};

const SELECT_VISIT = sql`SELECT v.encounter_id, v.facility_id, v.patient_id, v.practitioner_id, v.kind, to_char(v.visit_on, 'YYYY-MM-DD') AS visit_on, v.nhif_paid, v.purpose,
    v.age_group, v.fee_basis, v.fee_rule, v.exemption_code, v.price_item_code, v.fee_amount::text AS fee_amount, v.fee_currency,
    COALESCE((SELECT json_agg(json_build_object('amount', p.amount::text, 'currency', p.currency) ORDER BY p.receipt_number) FROM practice_payment p WHERE p.encounter_id = v.encounter_id), '[]'::json) AS paid
  FROM practice_visit v`;

const parsePaid = (r: VisitRow): VisitRow => ({ ...r, paid: typeof r.paid === 'string' ? (JSON.parse(r.paid) as VisitRow['paid']) : r.paid });

export async function insertVisit(
  q: Queryable,
  v: { encounterId: string; facilityId: string; patientId: string; practitionerId: string; kind: string; visitOn: string; nhifPaid: boolean; purpose: string; ageGroup: string; feeBasis: string; feeRule: string; exemptionCode: string | null; itemCode: string | null; amount: string | null; currency: Currency | null; informedAt: string | null; createdAt: string },
): Promise<void> {
  await q.execute(sql`INSERT INTO practice_visit (encounter_id, facility_id, patient_id, practitioner_id, kind, visit_on, nhif_paid, purpose, age_group, fee_basis, fee_rule, exemption_code, price_item_code, fee_amount, fee_currency, informed_at, created_at)
    VALUES (${v.encounterId}, ${v.facilityId}, ${v.patientId}, ${v.practitionerId}, ${v.kind}, ${v.visitOn}::date, ${v.nhifPaid}, ${v.purpose}, ${v.ageGroup}, ${v.feeBasis}, ${v.feeRule},
      ${v.exemptionCode}, ${v.itemCode}, ${v.amount}::numeric, ${v.currency}, ${v.informedAt}::timestamptz, ${v.createdAt}::timestamptz)`);
}

export async function findVisit(q: Queryable, encounterId: string): Promise<VisitRow | undefined> {
  const r = await q.execute<VisitRow>(sql`${SELECT_VISIT} WHERE v.encounter_id = ${encounterId}`);
  return r.rows.map(parsePaid)[0];
}

export async function listVisitsOn(q: Queryable, facilityId: string, on: string): Promise<VisitRow[]> {
  const r = await q.execute<VisitRow>(sql`${SELECT_VISIT} WHERE v.facility_id = ${facilityId} AND v.visit_on = ${on}::date ORDER BY v.created_at, v.encounter_id`);
  return r.rows.map(parsePaid);
}

// ---- Payments ----

export type PaymentRow = {
  id: string;
  facility_id: string;
  facility_name: string;
  encounter_id: string;
  patient_id: string;
  purpose: 'user_fee' | 'price_list' | 'lab_fee' | 'document';
  item_code: string | null;
  lab: string | null;
  amount: string;
  currency: Currency;
  method: 'cash' | 'card_terminal' | 'bank_transfer';
  provider_reference: string | null;
  receipt_number: number;
  paid_at: Date | string;
};

const SELECT_PAYMENT = sql`SELECT p.id, p.facility_id, f.name AS facility_name, p.encounter_id, p.patient_id, p.purpose, p.item_code, p.lab, p.amount::text AS amount, p.currency, p.method,
    p.provider_reference, p.receipt_number, p.paid_at FROM practice_payment p JOIN facility f ON f.id = p.facility_id`;

export async function nextReceiptNumber(q: Queryable, facilityId: string): Promise<number> {
  const r = await q.execute<{ n: number }>(sql`SELECT COALESCE(MAX(receipt_number), 0) + 1 AS n FROM practice_payment WHERE facility_id = ${facilityId}`);
  return Number(r.rows[0]?.n ?? 1);
}

export async function insertPayment(
  q: Queryable,
  p: { id: string; facilityId: string; encounterId: string; patientId: string; purpose: string; itemCode: string | null; lab: string | null; amount: string; currency: Currency; method: string; reference: string | null; receiptNumber: number; paidAt: string; paidOn: string; recordedBy: string | null; createdAt: string },
): Promise<void> {
  await q.execute(sql`INSERT INTO practice_payment (id, facility_id, encounter_id, patient_id, purpose, item_code, lab, amount, currency, method, provider_reference, receipt_number, paid_at, paid_on, recorded_by, created_at)
    VALUES (${p.id}, ${p.facilityId}, ${p.encounterId}, ${p.patientId}, ${p.purpose}, ${p.itemCode}, ${p.lab}, ${p.amount}::numeric, ${p.currency}, ${p.method}, ${p.reference}, ${p.receiptNumber},
      ${p.paidAt}::timestamptz, ${p.paidOn}::date, ${p.recordedBy}, ${p.createdAt}::timestamptz)`);
}

export async function findPayment(q: Queryable, id: string): Promise<PaymentRow | undefined> {
  const r = await q.execute<PaymentRow>(sql`${SELECT_PAYMENT} WHERE p.id = ${id}`);
  return r.rows[0];
}

export async function listPaymentsOfPatient(q: Queryable, patientId: string): Promise<PaymentRow[]> {
  const r = await q.execute<PaymentRow>(sql`${SELECT_PAYMENT} WHERE p.patient_id = ${patientId} ORDER BY p.paid_at DESC, p.receipt_number DESC`);
  return r.rows;
}

/** R-PC-14: the patient's lab fees on a day. */
export async function labFeesOn(q: Queryable, patientId: string, on: string): Promise<{ lab: string; date: string }[]> {
  const r = await q.execute<{ lab: string }>(sql`SELECT lab FROM practice_payment WHERE patient_id = ${patientId} AND purpose = 'lab_fee' AND paid_on = ${on}::date AND amount > 0`);
  return r.rows.map((x) => ({ lab: x.lab, date: on }));
}

// ---- Phone register ----

export type PhoneRow = {
  id: string;
  facility_id: string;
  encounter_id: string | null;
  patient_id: string | null;
  kind: 'medical' | 'administrative';
  caller: string;
  basis: string | null;
  outcome: string;
  refusal_reason: string | null;
  booked_for: Date | string | null;
  called_at: Date | string;
  topic_enc: Buffer;
};

export async function insertPhone(
  q: Queryable,
  p: { id: string; facilityId: string; encounterId: string | null; patientId: string | null; practitionerId: string | null; kind: string; caller: string; basis: string | null; outcome: string; refusalReason: string | null; bookedFor: string | null; calledAt: string; topicEnc: Buffer; recordedBy: string; createdAt: string },
): Promise<void> {
  await q.execute(sql`INSERT INTO practice_phone_consultation (id, facility_id, encounter_id, patient_id, practitioner_id, kind, caller, basis, outcome, refusal_reason, booked_for, called_at, topic_enc, recorded_by, created_at)
    VALUES (${p.id}, ${p.facilityId}, ${p.encounterId}, ${p.patientId}, ${p.practitionerId}, ${p.kind}, ${p.caller}, ${p.basis}, ${p.outcome}, ${p.refusalReason}, ${p.bookedFor}::timestamptz,
      ${p.calledAt}::timestamptz, ${p.topicEnc}, ${p.recordedBy}, ${p.createdAt}::timestamptz)`);
}

export async function listPhoneBetween(q: Queryable, facilityId: string, from: string, to: string): Promise<PhoneRow[]> {
  const r = await q.execute<PhoneRow>(sql`SELECT id, facility_id, encounter_id, patient_id, kind, caller, basis, outcome, refusal_reason, booked_for, called_at, topic_enc
    FROM practice_phone_consultation WHERE facility_id = ${facilityId} AND called_at >= ${from}::timestamptz AND called_at < ${to}::timestamptz ORDER BY called_at, id`);
  return r.rows;
}

export async function countPhoneBetween(q: Queryable, facilityId: string, from: string, to: string): Promise<{ medical: number; administrative: number }> {
  const r = await q.execute<{ kind: string; n: number }>(sql`SELECT kind, COUNT(*)::int AS n FROM practice_phone_consultation WHERE facility_id = ${facilityId} AND called_at >= ${from}::timestamptz AND called_at < ${to}::timestamptz GROUP BY kind`);
  const get = (k: string) => Number(r.rows.find((x) => x.kind === k)?.n ?? 0);
  return { medical: get('medical'), administrative: get('administrative') };
}

// ---- Report ----

export async function visitsForMonth(q: Queryable, facilityId: string, from: string, to: string): Promise<ReportVisit[]> {
  const r = await q.execute<{ encounter_id: string; kind: ReportVisit['kind']; age_group: string; nhif_paid: boolean; purpose: ReportVisit['purpose']; fee_basis: ReportVisit['feeBasis']; exemption_code: string | null; visit_on: string }>(
    sql`SELECT encounter_id, kind, age_group, nhif_paid, purpose, fee_basis, exemption_code, to_char(visit_on, 'YYYY-MM-DD') AS visit_on
      FROM practice_visit WHERE facility_id = ${facilityId} AND visit_on >= ${from}::date AND visit_on < ${to}::date`,
  );
  return r.rows.map((x) => ({ encounterId: x.encounter_id, kind: x.kind, ageGroup: x.age_group, nhifPaid: x.nhif_paid, purpose: x.purpose, feeBasis: x.fee_basis, exemptionCode: x.exemption_code, visitOn: x.visit_on }));
}

export async function paymentsForMonth(q: Queryable, facilityId: string, from: string, to: string): Promise<ReportPayment[]> {
  const r = await q.execute<{ id: string; encounter_id: string; purpose: ReportPayment['purpose']; amount: string; currency: Currency; method: ReportPayment['method']; receipt_number: number }>(
    sql`SELECT id, encounter_id, purpose, amount::text AS amount, currency, method, receipt_number FROM practice_payment WHERE facility_id = ${facilityId} AND paid_on >= ${from}::date AND paid_on < ${to}::date`,
  );
  return r.rows.map((x) => ({ id: x.id, encounterId: x.encounter_id, purpose: x.purpose, amount: x.amount, currency: x.currency, method: x.method, receiptNumber: Number(x.receipt_number) }));
}

// ---- Queue ----

export type QueueRow = { id: string; patient_id: string; priority: 'emergency' | 'urgent' | 'pregnant' | 'infant' | 'other'; requested_at: Date | string; status: 'waiting' | 'seen' | 'left'; encounter_id: string | null; facility_id: string };

export async function insertQueueEntry(q: Queryable, e: { id: string; facilityId: string; patientId: string; priority: string; requestedAt: string; recordedBy: string }): Promise<void> {
  await q.execute(sql`INSERT INTO practice_queue_entry (id, facility_id, patient_id, priority, requested_at, status, recorded_by, created_at)
    VALUES (${e.id}, ${e.facilityId}, ${e.patientId}, ${e.priority}, ${e.requestedAt}::timestamptz, 'waiting', ${e.recordedBy}, ${e.requestedAt}::timestamptz)`);
}

export async function listOpenQueue(q: Queryable, facilityId: string): Promise<QueueRow[]> {
  const r = await q.execute<QueueRow>(sql`SELECT id, facility_id, patient_id, priority, requested_at, status, encounter_id FROM practice_queue_entry WHERE facility_id = ${facilityId} AND status = 'waiting'`);
  return r.rows;
}

export async function findQueueEntry(q: Queryable, id: string): Promise<QueueRow | undefined> {
  const r = await q.execute<QueueRow>(sql`SELECT id, facility_id, patient_id, priority, requested_at, status, encounter_id FROM practice_queue_entry WHERE id = ${id}`);
  return r.rows[0];
}

export async function closeQueueEntry(q: Queryable, id: string, status: 'seen' | 'left', encounterId: string | null, at: string): Promise<boolean> {
  const r = await q.execute(sql`UPDATE practice_queue_entry SET status = ${status}, encounter_id = ${encounterId}, closed_at = ${at}::timestamptz WHERE id = ${id} AND status = 'waiting' RETURNING id`);
  return r.rows.length > 0;
}

// ---- Complaints ----

export type ComplaintRow = { id: string; facility_id: string; patient_id: string | null; channel: string; received_on: string; needs_reply: boolean; content_enc: Buffer; reviewed_on: string | null; replied_on: string | null; reply_enc: Buffer | null };
const SELECT_COMPLAINT = sql`SELECT id, facility_id, patient_id, channel, to_char(received_on, 'YYYY-MM-DD') AS received_on, needs_reply, content_enc,
  to_char(reviewed_on, 'YYYY-MM-DD') AS reviewed_on, to_char(replied_on, 'YYYY-MM-DD') AS replied_on, reply_enc FROM practice_complaint`;

export async function insertComplaint(q: Queryable, c: { id: string; facilityId: string; patientId: string | null; channel: string; receivedOn: string; needsReply: boolean; contentEnc: Buffer; createdAt: string }): Promise<void> {
  await q.execute(sql`INSERT INTO practice_complaint (id, facility_id, patient_id, channel, received_on, needs_reply, content_enc, created_at)
    VALUES (${c.id}, ${c.facilityId}, ${c.patientId}, ${c.channel}, ${c.receivedOn}::date, ${c.needsReply}, ${c.contentEnc}, ${c.createdAt}::timestamptz)`);
}
export async function listComplaints(q: Queryable, facilityId: string): Promise<ComplaintRow[]> {
  const r = await q.execute<ComplaintRow>(sql`${SELECT_COMPLAINT} WHERE facility_id = ${facilityId} ORDER BY received_on DESC, id`);
  return r.rows;
}
export async function findComplaint(q: Queryable, id: string): Promise<ComplaintRow | undefined> {
  const r = await q.execute<ComplaintRow>(sql`${SELECT_COMPLAINT} WHERE id = ${id}`);
  return r.rows[0];
}
export async function answerComplaint(q: Queryable, id: string, reviewedOn: string, repliedOn: string | null, replyEnc: Buffer | null): Promise<void> {
  await q.execute(sql`UPDATE practice_complaint SET reviewed_on = ${reviewedOn}::date, replied_on = ${repliedOn}::date, reply_enc = ${replyEnc} WHERE id = ${id}`);
}

// ---- Breaches ----

export type BreachRow = { id: string; facility_id: string; detected_at: Date | string; notify_by: Date | string; notified_at: Date | string | null; notice_channel: string | null; description_enc: Buffer };
const SELECT_BREACH = sql`SELECT id, facility_id, detected_at, notify_by, notified_at, notice_channel, description_enc FROM practice_data_breach`;

export async function insertBreach(q: Queryable, b: { id: string; facilityId: string; detectedAt: string; notifyBy: string; descriptionEnc: Buffer; recordedBy: string; createdAt: string }): Promise<void> {
  await q.execute(sql`INSERT INTO practice_data_breach (id, facility_id, detected_at, notify_by, description_enc, recorded_by, created_at)
    VALUES (${b.id}, ${b.facilityId}, ${b.detectedAt}::timestamptz, ${b.notifyBy}::timestamptz, ${b.descriptionEnc}, ${b.recordedBy}, ${b.createdAt}::timestamptz)`);
}
export async function listBreaches(q: Queryable, facilityId: string): Promise<BreachRow[]> {
  return (await q.execute<BreachRow>(sql`${SELECT_BREACH} WHERE facility_id = ${facilityId} ORDER BY detected_at DESC`)).rows;
}
export async function findBreach(q: Queryable, id: string): Promise<BreachRow | undefined> {
  return (await q.execute<BreachRow>(sql`${SELECT_BREACH} WHERE id = ${id}`)).rows[0];
}
export async function notifyBreach(q: Queryable, id: string, at: string, channel: string): Promise<boolean> {
  const r = await q.execute(sql`UPDATE practice_data_breach SET notified_at = ${at}::timestamptz, notice_channel = ${channel} WHERE id = ${id} AND notified_at IS NULL RETURNING id`);
  return r.rows.length > 0;
}

// ---- Out of hours ----

export type OohRow = { facility_id: string; arrangement: string; partner_name: string | null; partner_distance_km: string | null; phone: string | null; note: string | null; valid_from: string };

export async function upsertOutOfHours(q: Queryable, o: { id: string; facilityId: string; arrangement: string; partnerName: string | null; partnerDistanceKm: number | null; phone: string | null; note: string | null; validFrom: string; createdAt: string }): Promise<void> {
  await q.execute(sql`INSERT INTO practice_out_of_hours (id, facility_id, arrangement, partner_name, partner_distance_km, phone, note, valid_from, created_at)
    VALUES (${o.id}, ${o.facilityId}, ${o.arrangement}, ${o.partnerName}, ${o.partnerDistanceKm}, ${o.phone}, ${o.note}, ${o.validFrom}::date, ${o.createdAt}::timestamptz)
    ON CONFLICT (facility_id, valid_from) DO UPDATE SET arrangement = EXCLUDED.arrangement, partner_name = EXCLUDED.partner_name, partner_distance_km = EXCLUDED.partner_distance_km,
      phone = EXCLUDED.phone, note = EXCLUDED.note`);
}

export async function outOfHoursOn(q: Queryable, facilityId: string, on: string): Promise<OohRow | undefined> {
  const r = await q.execute<OohRow>(sql`SELECT facility_id, arrangement, partner_name, partner_distance_km::text AS partner_distance_km, phone, note, to_char(valid_from, 'YYYY-MM-DD') AS valid_from
    FROM practice_out_of_hours WHERE facility_id = ${facilityId} AND valid_from <= ${on}::date ORDER BY valid_from DESC LIMIT 1`);
  return r.rows[0];
}

// ---- Home visits ----

export type HomeVisitRow = { id: string; facility_id: string; patient_id: string; channel: string; requested_at: Date | string; details_enc: Buffer; agreed_for: Date | string | null; category: 'covered' | 'paid' | null; reclassified: boolean; encounter_id: string | null };
const SELECT_HOME = sql`SELECT id, facility_id, patient_id, channel, requested_at, details_enc, agreed_for, category, reclassified, encounter_id FROM practice_home_visit`;

export async function insertHomeVisit(q: Queryable, h: { id: string; facilityId: string; patientId: string; channel: string; requestedAt: string; detailsEnc: Buffer; agreedFor: string | null }): Promise<void> {
  await q.execute(sql`INSERT INTO practice_home_visit (id, facility_id, patient_id, channel, requested_at, details_enc, agreed_for, created_at)
    VALUES (${h.id}, ${h.facilityId}, ${h.patientId}, ${h.channel}, ${h.requestedAt}::timestamptz, ${h.detailsEnc}, ${h.agreedFor}::timestamptz, ${h.requestedAt}::timestamptz)`);
}
export async function findHomeVisit(q: Queryable, id: string): Promise<HomeVisitRow | undefined> {
  return (await q.execute<HomeVisitRow>(sql`${SELECT_HOME} WHERE id = ${id}`)).rows[0];
}
export async function listOpenHomeVisits(q: Queryable, facilityId: string): Promise<HomeVisitRow[]> {
  return (await q.execute<HomeVisitRow>(sql`${SELECT_HOME} WHERE facility_id = ${facilityId} AND encounter_id IS NULL ORDER BY requested_at, id`)).rows;
}
export async function decideHomeVisit(q: Queryable, id: string, category: string, reclassified: boolean, by: string): Promise<boolean> {
  const r = await q.execute(sql`UPDATE practice_home_visit SET category = ${category}, reclassified = ${reclassified}, decided_by = ${by} WHERE id = ${id} AND encounter_id IS NULL RETURNING id`);
  return r.rows.length > 0;
}
export async function linkHomeVisit(q: Queryable, id: string, encounterId: string): Promise<boolean> {
  const r = await q.execute(sql`UPDATE practice_home_visit SET encounter_id = ${encounterId} WHERE id = ${id} AND encounter_id IS NULL AND category IS NOT NULL RETURNING id`);
  return r.rows.length > 0;
}

// ---- Prophylaxis plan ----

/** The last prophylactic exam at the practice before a day of each of the patients (`YYYY-MM-DD`), if any. */
export async function lastProphylaxisExams(q: Queryable, facilityId: string, patientIds: readonly string[], examsBefore: string): Promise<Map<string, string>> {
  if (patientIds.length === 0) return new Map();
  const r = await q.execute<{ patient_id: string; last_exam_on: string }>(sql`SELECT v.patient_id, to_char(MAX(v.visit_on), 'YYYY-MM-DD') AS last_exam_on
    FROM practice_visit v WHERE v.facility_id = ${facilityId} AND v.patient_id = ANY(${sql.param([...patientIds])}::uuid[]) AND v.purpose = 'prophylaxis' AND v.visit_on < ${examsBefore}::date
    GROUP BY v.patient_id`);
  return new Map(r.rows.map((x) => [x.patient_id, x.last_exam_on]));
}

/** For the plan's reminders (W20): the practice's name and phone, the GP's name and active account. */
export async function planContacts(q: Queryable, facilityId: string, practitionerId: string): Promise<{ practice: string; phone: string | null; gp: string; gpAccountId: string | null } | undefined> {
  const r = await q.execute<{ practice: string; phone: string | null; gp: string; account_id: string | null }>(sql`SELECT f.name AS practice, f.phone, p.given_name || ' ' || p.family_name AS gp,
      (SELECT u.id FROM user_account u WHERE u.practitioner_id = p.id AND u.status = 'active' ORDER BY u.created_at LIMIT 1) AS account_id
    FROM facility f, practitioner p WHERE f.id = ${facilityId} AND p.id = ${practitionerId}`);
  const row = r.rows[0];
  return row ? { practice: row.practice, phone: row.phone, gp: row.gp, gpAccountId: row.account_id } : undefined;
}
