import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';
import type { PriorLeave, SickLeaveKind } from './sick-leave-rules.js';

/** SQL of the sick-leave, ЛКК, TELK and notice tables; every function takes a Queryable (STYLE C1). */

const D = (col: string) => sql.raw(`to_char(${col}, 'YYYY-MM-DD')`);

export async function loadRules(q: Queryable): Promise<{ key: string; value: unknown; validFrom: string; validTo: string | null }[]> {
  const r = await q.execute<{ key: string; value: unknown; valid_from: string; valid_to: string | null }>(
    sql`SELECT key, value, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM nhif_rule WHERE key LIKE 'sick_leave.%' OR key LIKE 'telk.%'`,
  );
  return r.rows.map((x) => ({ key: x.key, value: typeof x.value === 'string' ? (JSON.parse(x.value) as unknown) : x.value, validFrom: x.valid_from, validTo: x.valid_to }));
}

export async function practitionerOfAccount(q: Queryable, accountId: string): Promise<string | undefined> {
  const r = await q.execute<{ practitioner_id: string | null }>(sql`SELECT practitioner_id FROM user_account WHERE id = ${accountId}`);
  return r.rows[0]?.practitioner_id ?? undefined;
}

export async function practitionerInfo(q: Queryable, practitionerId: string) {
  const r = await q.execute<{ uin: string; name: string }>(sql`SELECT uin, given_name || ' ' || family_name AS name FROM practitioner WHERE id = ${practitionerId}`);
  return r.rows[0];
}

export async function facilityInfo(q: Queryable, facilityId: string) {
  const r = await q.execute<{ number: string; type_code: string; time_zone: string }>(sql`SELECT number, type_code, time_zone FROM facility WHERE id = ${facilityId}`);
  return r.rows[0];
}

export async function facilityName(q: Queryable, facilityId: string): Promise<string | undefined> {
  return (await q.execute<{ name: string }>(sql`SELECT name FROM facility WHERE id = ${facilityId}`)).rows[0]?.name;
}

/** Serialises issues for one insured person so two concurrent requests cannot both pass the limits. */
export async function lockPerson(q: Queryable, patientId: string): Promise<void> {
  await q.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`sick_leave:${patientId}`}))`);
}

/** Every earlier certificate of the person (one per issue; duplicates and extra employers excluded). ЛКК decisions count for no doctor. */
export async function priorLeaves(q: Queryable, patientId: string): Promise<PriorLeave[]> {
  const r = await q.execute<{ practitioner_id: string; lkk_case_id: string | null; kind: SickLeaveKind; start_on: string; end_on: string }>(sql`
    SELECT practitioner_id, lkk_case_id, kind, ${D('start_on')} AS start_on, ${D('end_on')} AS end_on FROM sick_leave
    WHERE patient_id = ${patientId} AND employer_index = 0 AND duplicate_of IS NULL`);
  return r.rows.map((x) => ({ practitionerId: x.lkk_case_id ? `lkk:${x.lkk_case_id}` : x.practitioner_id, kind: x.kind, startOn: x.start_on, endOn: x.end_on }));
}

export type SickLeaveRow = {
  id: string;
  certificate_set: string;
  employer_index: number;
  patient_id: string;
  facility_id: string;
  practitioner_id: string;
  practitioner_name: string;
  encounter_id: string | null;
  consultation_id: string | null;
  lkk_case_id: string | null;
  kind: SickLeaveKind;
  capacity: string;
  start_on: string;
  end_on: string;
  days: number;
  issued_on: string;
  retroactive: boolean;
  duplicate_of: string | null;
  data_enc: Buffer;
  nhis_status: 'pending' | 'recorded' | 'rejected';
  nrn: string | null;
  created_at: Date | string;
};

export async function insertSickLeave(q: Queryable, r: Omit<SickLeaveRow, 'practitioner_name' | 'nhis_status' | 'nrn' | 'created_at'> & { late_issue_reason: string | null; issued_by: string; created_at: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO sick_leave (id, certificate_set, employer_index, patient_id, facility_id, practitioner_id, encounter_id, consultation_id, lkk_case_id, kind, capacity,
      start_on, end_on, days, issued_on, retroactive, late_issue_reason, duplicate_of, data_enc, nhis_status, issued_by, created_at)
    VALUES (${r.id}, ${r.certificate_set}, ${r.employer_index}, ${r.patient_id}, ${r.facility_id}, ${r.practitioner_id}, ${r.encounter_id}, ${r.consultation_id}, ${r.lkk_case_id}, ${r.kind}, ${r.capacity},
      ${r.start_on}::date, ${r.end_on}::date, ${r.days}, ${r.issued_on}::date, ${r.retroactive}, ${r.late_issue_reason}, ${r.duplicate_of}, ${r.data_enc}, 'pending', ${r.issued_by}, ${r.created_at.toISOString()}::timestamptz)`);
}

const SELECT_LEAVE = sql`SELECT s.id, s.certificate_set, s.employer_index, s.patient_id, s.facility_id, s.practitioner_id, p.given_name || ' ' || p.family_name AS practitioner_name,
    s.encounter_id, s.consultation_id, s.lkk_case_id, s.kind, s.capacity, to_char(s.start_on, 'YYYY-MM-DD') AS start_on, to_char(s.end_on, 'YYYY-MM-DD') AS end_on, s.days,
    to_char(s.issued_on, 'YYYY-MM-DD') AS issued_on, s.retroactive, s.duplicate_of, s.data_enc, s.nhis_status, s.nrn, s.created_at
  FROM sick_leave s JOIN practitioner p ON p.id = s.practitioner_id`;

export async function findSickLeave(q: Queryable, id: string): Promise<SickLeaveRow | undefined> {
  return (await q.execute<SickLeaveRow>(sql`${SELECT_LEAVE} WHERE s.id = ${id}`)).rows[0];
}
export async function listSickLeaves(q: Queryable, patientId: string): Promise<SickLeaveRow[]> {
  return (await q.execute<SickLeaveRow>(sql`${SELECT_LEAVE} WHERE s.patient_id = ${patientId} ORDER BY s.start_on DESC, s.created_at DESC, s.employer_index`)).rows;
}
export async function listSet(q: Queryable, set: string): Promise<SickLeaveRow[]> {
  return (await q.execute<SickLeaveRow>(sql`${SELECT_LEAVE} WHERE s.certificate_set = ${set} ORDER BY s.employer_index`)).rows;
}
export async function setLeaveNhis(q: Queryable, id: string, status: 'recorded' | 'rejected', nrn: string | null): Promise<void> {
  await q.execute(sql`UPDATE sick_leave SET nhis_status = ${status}, nrn = ${nrn} WHERE id = ${id}`);
}

// ЛКК
export async function insertLkk(q: Queryable, r: { id: string; facilityId: string; name: string; orderRef: string; at: Date; members: { practitionerId: string; role: string }[] }): Promise<void> {
  await q.execute(sql`INSERT INTO lkk (id, facility_id, name, order_ref, created_at) VALUES (${r.id}, ${r.facilityId}, ${r.name}, ${r.orderRef}, ${r.at.toISOString()}::timestamptz)`);
  for (const m of r.members) await q.execute(sql`INSERT INTO lkk_member (lkk_id, practitioner_id, role) VALUES (${r.id}, ${m.practitionerId}, ${m.role})`);
}
export async function listLkks(q: Queryable, id?: string) {
  const lkks = (await q.execute<{ id: string; facility_id: string; name: string; order_ref: string }>(sql`SELECT id, facility_id, name, order_ref FROM lkk ${id ? sql`WHERE id = ${id}` : sql``} ORDER BY name`)).rows;
  const members = (
    await q.execute<{ lkk_id: string; practitioner_id: string; role: 'chair' | 'member'; name: string }>(
      sql`SELECT m.lkk_id, m.practitioner_id, m.role, p.given_name || ' ' || p.family_name AS name FROM lkk_member m JOIN practitioner p ON p.id = m.practitioner_id ORDER BY m.role, p.family_name`,
    )
  ).rows;
  return lkks.map((l) => ({ id: l.id, facilityId: l.facility_id, name: l.name, orderRef: l.order_ref, members: members.filter((m) => m.lkk_id === l.id).map((m) => ({ practitionerId: m.practitioner_id, role: m.role, name: m.name })) }));
}
export async function practitionerWorksAt(q: Queryable, practitionerId: string, facilityId: string): Promise<boolean> {
  const r = await q.execute<{ ok: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM practitioner_role WHERE practitioner_id = ${practitionerId} AND facility_id = ${facilityId} AND active) AS ok`);
  return Boolean(r.rows[0]?.ok);
}
export async function insertSession(q: Queryable, r: { id: string; lkkId: string; heldOn: string; at: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO lkk_session (id, lkk_id, held_on, created_at) VALUES (${r.id}, ${r.lkkId}, ${r.heldOn}::date, ${r.at.toISOString()}::timestamptz)`);
}
export async function findSessionOn(q: Queryable, lkkId: string, heldOn: string) {
  return (await q.execute<{ id: string }>(sql`SELECT id FROM lkk_session WHERE lkk_id = ${lkkId} AND held_on = ${heldOn}::date`)).rows[0];
}
export async function findSession(q: Queryable, id: string) {
  return (await q.execute<{ id: string; lkk_id: string; held_on: string }>(sql`SELECT id, lkk_id, ${D('held_on')} AS held_on FROM lkk_session WHERE id = ${id}`)).rows[0];
}

export type LkkCaseRow = {
  id: string;
  lkk_id: string;
  patient_id: string;
  from_facility_id: string;
  from_practitioner_id: string;
  source: string;
  rule_id: string;
  request_enc: Buffer;
  contested_sick_leave_id: string | null;
  form6_needed: boolean;
  form6_referral_id: string | null;
  status: 'queued' | 'awaiting_signatures' | 'decided';
  session_id: string | null;
  decision: 'extend' | 'refuse' | 'send_to_telk' | 'confirm' | 'reject' | null;
  protocol_no: number | null;
  protocol_enc: Buffer | null;
  decided_by_practitioner_id: string | null;
  created_at: Date | string;
  lkk_facility_id: string;
};
const SELECT_CASE = sql`SELECT c.*, l.facility_id AS lkk_facility_id FROM lkk_case c JOIN lkk l ON l.id = c.lkk_id`;
export async function insertCase(q: Queryable, r: { id: string; lkkId: string; patientId: string; fromFacilityId: string; fromPractitionerId: string; source: string; ruleId: string; requestEnc: Buffer; contestedSickLeaveId: string | null; form6Needed: boolean; form6ReferralId: string | null; at: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO lkk_case (id, lkk_id, patient_id, from_facility_id, from_practitioner_id, source, rule_id, request_enc, contested_sick_leave_id, form6_needed, form6_referral_id, status, created_at)
    VALUES (${r.id}, ${r.lkkId}, ${r.patientId}, ${r.fromFacilityId}, ${r.fromPractitionerId}, ${r.source}, ${r.ruleId}, ${r.requestEnc}, ${r.contestedSickLeaveId}, ${r.form6Needed}, ${r.form6ReferralId}, 'queued', ${r.at.toISOString()}::timestamptz)`);
}
export async function findCase(q: Queryable, id: string, lock = false): Promise<LkkCaseRow | undefined> {
  return (await q.execute<LkkCaseRow>(sql`${SELECT_CASE} WHERE c.id = ${id} ${lock ? sql`FOR UPDATE OF c` : sql``}`)).rows[0];
}
export async function listQueue(q: Queryable, lkkId: string): Promise<LkkCaseRow[]> {
  return (await q.execute<LkkCaseRow>(sql`${SELECT_CASE} WHERE c.lkk_id = ${lkkId} AND c.status <> 'decided' ORDER BY c.created_at`)).rows;
}
export async function listPatientCases(q: Queryable, patientId: string): Promise<LkkCaseRow[]> {
  return (await q.execute<LkkCaseRow>(sql`${SELECT_CASE} WHERE c.patient_id = ${patientId} ORDER BY c.created_at DESC`)).rows;
}
export async function recordDecision(q: Queryable, r: { id: string; sessionId: string; decision: string; protocolEnc: Buffer; by: string; at: Date }): Promise<number> {
  const res = await q.execute<{ protocol_no: number }>(sql`UPDATE lkk_case SET status = 'awaiting_signatures', session_id = ${r.sessionId}, decision = ${r.decision}, protocol_enc = ${r.protocolEnc},
      decided_by_practitioner_id = ${r.by}, decided_at = ${r.at.toISOString()}::timestamptz,
      protocol_no = (SELECT COALESCE(MAX(protocol_no), 0) + 1 FROM lkk_case WHERE lkk_id = (SELECT lkk_id FROM lkk_case WHERE id = ${r.id}))
    WHERE id = ${r.id} AND status = 'queued' RETURNING protocol_no`);
  return res.rows[0]?.protocol_no ?? 0;
}
export async function markDecided(q: Queryable, id: string): Promise<void> {
  await q.execute(sql`UPDATE lkk_case SET status = 'decided' WHERE id = ${id} AND status = 'awaiting_signatures'`);
}
export async function insertSignature(q: Queryable, caseId: string, practitionerId: string, at: Date): Promise<boolean> {
  const r = await q.execute(sql`INSERT INTO lkk_signature (case_id, practitioner_id, signed_at) VALUES (${caseId}, ${practitionerId}, ${at.toISOString()}::timestamptz) ON CONFLICT DO NOTHING RETURNING case_id`);
  return r.rows.length > 0;
}
export async function signatures(q: Queryable, caseId: string) {
  return (await q.execute<{ practitioner_id: string; signed_at: Date | string }>(sql`SELECT practitioner_id, signed_at FROM lkk_signature WHERE case_id = ${caseId} ORDER BY signed_at`)).rows;
}

// TELK
export type TelkRow = {
  id: string;
  patient_id: string;
  facility_id: string;
  practitioner_id: string;
  route: 'gp' | 'treating_specialist' | 'lkk';
  temporary_incapacity_preceded: boolean;
  lkk_case_id: string | null;
  requested_on: string;
  earliest_on: string;
  due_on: string;
  clock_suspended: boolean;
  scheduled_on: string | null;
  checklist: Record<string, boolean> | string;
  child: boolean;
  address_differs: boolean;
  had_previous_decision: boolean;
  data_enc: Buffer;
  form6_needed: boolean;
  status: 'preparing' | 'completed';
  completed_on: string | null;
  dossier_lent_on: string | null;
  dossier_due_on: string | null;
  dossier_returned_on: string | null;
  created_at: Date | string;
};
const SELECT_TELK = sql`SELECT id, patient_id, facility_id, practitioner_id, route, temporary_incapacity_preceded, lkk_case_id,
    ${D('requested_on')} AS requested_on, ${D('earliest_on')} AS earliest_on, ${D('due_on')} AS due_on, clock_suspended, ${D('scheduled_on')} AS scheduled_on,
    checklist, child, address_differs, had_previous_decision, data_enc, form6_needed, status, ${D('completed_on')} AS completed_on,
    ${D('dossier_lent_on')} AS dossier_lent_on, ${D('dossier_due_on')} AS dossier_due_on, ${D('dossier_returned_on')} AS dossier_returned_on, created_at FROM telk_case`;
export async function insertTelk(q: Queryable, r: Omit<TelkRow, 'scheduled_on' | 'checklist' | 'status' | 'completed_on' | 'dossier_lent_on' | 'dossier_due_on' | 'dossier_returned_on' | 'created_at'> & { created_at: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO telk_case (id, patient_id, facility_id, practitioner_id, route, temporary_incapacity_preceded, lkk_case_id, requested_on, earliest_on, due_on, clock_suspended,
      checklist, child, address_differs, had_previous_decision, data_enc, form6_needed, status, created_at)
    VALUES (${r.id}, ${r.patient_id}, ${r.facility_id}, ${r.practitioner_id}, ${r.route}, ${r.temporary_incapacity_preceded}, ${r.lkk_case_id}, ${r.requested_on}::date, ${r.earliest_on}::date, ${r.due_on}::date, ${r.clock_suspended},
      '{}'::jsonb, ${r.child}, ${r.address_differs}, ${r.had_previous_decision}, ${r.data_enc}, ${r.form6_needed}, 'preparing', ${r.created_at.toISOString()}::timestamptz)`);
}
export async function findTelk(q: Queryable, id: string, lock = false): Promise<TelkRow | undefined> {
  return (await q.execute<TelkRow>(sql`${SELECT_TELK} WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`)).rows[0];
}
export async function listTelk(q: Queryable, patientId: string): Promise<TelkRow[]> {
  return (await q.execute<TelkRow>(sql`${SELECT_TELK} WHERE patient_id = ${patientId} ORDER BY requested_on DESC`)).rows;
}
export async function updateTelk(q: Queryable, id: string, u: { checklist: Record<string, boolean>; scheduledOn: string | null; dossierLentOn: string | null; dossierDueOn: string | null; dossierReturnedOn: string | null; completedOn: string | null }): Promise<void> {
  await q.execute(sql`UPDATE telk_case SET checklist = ${JSON.stringify(u.checklist)}::jsonb, scheduled_on = ${u.scheduledOn}::date, dossier_lent_on = ${u.dossierLentOn}::date,
      dossier_due_on = ${u.dossierDueOn}::date, dossier_returned_on = ${u.dossierReturnedOn}::date, completed_on = ${u.completedOn}::date,
      status = ${u.completedOn ? 'completed' : 'preparing'} WHERE id = ${id}`);
}

// Medical notices
export type NoticeRow = {
  id: string;
  patient_id: string;
  facility_id: string;
  practitioner_id: string;
  encounter_id: string;
  purpose: 'school' | 'kindergarten' | 'sport' | 'driving' | 'work' | 'school_absence';
  issued_on: string;
  data_enc: Buffer;
  status: 'issued' | 'cancelled';
  nhis_status: 'pending' | 'recorded' | 'rejected' | 'cancel_pending' | 'cancelled';
  nrn: string | null;
  created_at: Date | string;
};
const SELECT_NOTICE = sql`SELECT id, patient_id, facility_id, practitioner_id, encounter_id, purpose, ${D('issued_on')} AS issued_on, data_enc, status, nhis_status, nrn, created_at FROM medical_notice`;
export async function insertNotice(q: Queryable, r: Omit<NoticeRow, 'status' | 'nhis_status' | 'nrn' | 'created_at'> & { created_at: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO medical_notice (id, patient_id, facility_id, practitioner_id, encounter_id, purpose, issued_on, data_enc, status, nhis_status, created_at)
    VALUES (${r.id}, ${r.patient_id}, ${r.facility_id}, ${r.practitioner_id}, ${r.encounter_id}, ${r.purpose}, ${r.issued_on}::date, ${r.data_enc}, 'issued', 'pending', ${r.created_at.toISOString()}::timestamptz)`);
}
export async function findNotice(q: Queryable, id: string, lock = false): Promise<NoticeRow | undefined> {
  return (await q.execute<NoticeRow>(sql`${SELECT_NOTICE} WHERE id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`)).rows[0];
}
export async function listNotices(q: Queryable, patientId: string): Promise<NoticeRow[]> {
  return (await q.execute<NoticeRow>(sql`${SELECT_NOTICE} WHERE patient_id = ${patientId} ORDER BY issued_on DESC, created_at DESC`)).rows;
}
export async function cancelNotice(q: Queryable, id: string, at: Date): Promise<void> {
  await q.execute(sql`UPDATE medical_notice SET status = 'cancelled', nhis_status = CASE WHEN nrn IS NULL THEN 'cancelled' ELSE 'cancel_pending' END, cancelled_at = ${at.toISOString()}::timestamptz WHERE id = ${id}`);
}
export async function setNoticeNhis(q: Queryable, id: string, status: NoticeRow['nhis_status'], nrn: string | null): Promise<void> {
  await q.execute(sql`UPDATE medical_notice SET nhis_status = ${status}, nrn = COALESCE(${nrn}, nrn) WHERE id = ${id}`);
}

// Deadlines
export type DeadlineRow = {
  id: string;
  facility_id: string;
  patient_id: string;
  kind: 'retroactive_leave' | 'duplicate_leave' | 'telk_protocol' | 'dossier_return';
  rule_id: string;
  subject_id: string;
  started_on: string;
  due_on: string;
  done_on: string | null;
  escalated_at: Date | string | null;
  breached_at: Date | string | null;
};
export async function upsertDeadline(q: Queryable, r: Omit<DeadlineRow, 'escalated_at' | 'breached_at'> & { at: Date }): Promise<void> {
  await q.execute(sql`INSERT INTO expertise_deadline (id, facility_id, patient_id, kind, rule_id, subject_id, started_on, due_on, done_on, created_at)
    VALUES (${r.id}, ${r.facility_id}, ${r.patient_id}, ${r.kind}, ${r.rule_id}, ${r.subject_id}, ${r.started_on}::date, ${r.due_on}::date, ${r.done_on}::date, ${r.at.toISOString()}::timestamptz)
    ON CONFLICT (kind, subject_id) DO UPDATE SET due_on = EXCLUDED.due_on, started_on = EXCLUDED.started_on, done_on = EXCLUDED.done_on`);
}
const SELECT_DEADLINE = sql`SELECT id, facility_id, patient_id, kind, rule_id, subject_id, ${D('started_on')} AS started_on, ${D('due_on')} AS due_on, ${D('done_on')} AS done_on, escalated_at, breached_at FROM expertise_deadline`;
export async function listDeadlines(q: Queryable, facilityId: string): Promise<DeadlineRow[]> {
  return (await q.execute<DeadlineRow>(sql`${SELECT_DEADLINE} WHERE facility_id = ${facilityId} ORDER BY due_on, kind`)).rows;
}
export async function openDeadlinesDueBy(q: Queryable, on: string): Promise<DeadlineRow[]> {
  return (await q.execute<DeadlineRow>(sql`${SELECT_DEADLINE} WHERE done_on IS NULL AND due_on <= ${on}::date ORDER BY due_on`)).rows;
}
export async function markDeadline(q: Queryable, id: string, what: 'escalated' | 'breached', at: Date): Promise<boolean> {
  const r =
    what === 'escalated'
      ? await q.execute(sql`UPDATE expertise_deadline SET escalated_at = ${at.toISOString()}::timestamptz WHERE id = ${id} AND escalated_at IS NULL AND done_on IS NULL RETURNING id`)
      : await q.execute(sql`UPDATE expertise_deadline SET breached_at = ${at.toISOString()}::timestamptz WHERE id = ${id} AND breached_at IS NULL AND done_on IS NULL RETURNING id`);
  return r.rows.length > 0;
}

export async function setTelkData(q: Queryable, id: string, enc: Buffer, form6Needed: boolean): Promise<void> {
  await q.execute(sql`UPDATE telk_case SET data_enc = ${enc}, form6_needed = ${form6Needed} WHERE id = ${id}`);
}
export async function setNoticeData(q: Queryable, id: string, enc: Buffer): Promise<void> {
  await q.execute(sql`UPDATE medical_notice SET data_enc = ${enc} WHERE id = ${id}`);
}

// The ЛКК's monthly report (НРД R-133): the cases decided in the month's sessions, with the sender's talon part.
export type ReportCaseRow = LkkCaseRow & { held_on: string; from_practitioner_name: string; from_practitioner_uin: string; from_facility_name: string; from_facility_number: string };
export async function listReportCases(q: Queryable, lkkId: string, from: string, until: string): Promise<ReportCaseRow[]> {
  return (
    await q.execute<ReportCaseRow>(sql`SELECT c.*, l.facility_id AS lkk_facility_id, ${D('s.held_on')} AS held_on,
        p.given_name || ' ' || p.family_name AS from_practitioner_name, p.uin AS from_practitioner_uin, f.name AS from_facility_name, f.number AS from_facility_number
      FROM lkk_case c JOIN lkk l ON l.id = c.lkk_id JOIN lkk_session s ON s.id = c.session_id
      JOIN practitioner p ON p.id = c.from_practitioner_id JOIN facility f ON f.id = c.from_facility_id
      WHERE c.lkk_id = ${lkkId} AND s.held_on >= ${from}::date AND s.held_on < ${until}::date AND c.protocol_no IS NOT NULL
      ORDER BY c.protocol_no`)
  ).rows;
}
export async function sessionsBetween(q: Queryable, lkkId: string, from: string, until: string): Promise<string[]> {
  return (await q.execute<{ held_on: string }>(sql`SELECT ${D('held_on')} AS held_on FROM lkk_session WHERE lkk_id = ${lkkId} AND held_on >= ${from}::date AND held_on < ${until}::date ORDER BY held_on`)).rows.map((r) => r.held_on);
}
export async function memberUins(q: Queryable, lkkId: string): Promise<Map<string, string>> {
  const r = await q.execute<{ practitioner_id: string; uin: string }>(sql`SELECT m.practitioner_id, p.uin FROM lkk_member m JOIN practitioner p ON p.id = m.practitioner_id WHERE m.lkk_id = ${lkkId}`);
  return new Map(r.rows.map((x) => [x.practitioner_id, x.uin]));
}

// Escalation e-mails for the expertise deadlines
export async function findDeadline(q: Queryable, id: string): Promise<DeadlineRow | undefined> {
  return (await q.execute<DeadlineRow>(sql`${SELECT_DEADLINE} WHERE id = ${id}`)).rows[0];
}
/**
 * Who is told about an expertise deadline at risk: the practice's administrators and coordinators, and the
 * doctor the deadline belongs to (the TELK preparation's or the certificate's), if they have an account.
 */
export async function deadlineRecipients(q: Queryable, facilityId: string, subjectId: string): Promise<string[]> {
  const r = await q.execute<{ id: string }>(sql`
    SELECT u.id FROM user_account u JOIN account_facility af ON af.account_id = u.id
      WHERE af.facility_id = ${facilityId} AND u.role IN ('facility_admin', 'coordinator') AND u.status = 'active'
    UNION
    SELECT u.id FROM user_account u WHERE u.status = 'active' AND u.practitioner_id IN (
      SELECT practitioner_id FROM telk_case WHERE id = ${subjectId} UNION SELECT practitioner_id FROM sick_leave WHERE id = ${subjectId})
    ORDER BY id`);
  return r.rows.map((x) => x.id);
}
