import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { IssueSickLeaveResult, LkkCase, MedicalNotice, SickLeave, TelkCase } from '../../contracts/sick-leave.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld } from '../../test/gp-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { totpCode } from '../identity/index.js';

// Sick leave, the ЛКК, TELK and medical notices through the HTTP API, on PGlite and (DATABASE_URL)
// PostgreSQL. The tests run in order: patient A's GP issues 14 days after a remote consultation, the 15th
// day is refused and routed to the ЛКК, which extends it; then duplicates, notices and TELK.
const clock = fixedClock('2026-03-10T07:00:00Z');
let t: TestApp;
let g: GpWorld;
let A: string;
let gp1Account: string;
let lkkId: string;
let chair: string;
let member: string;
type Problem = { code: string; meta?: { rule?: string; counters?: Record<string, unknown>; lkkRouting?: { lkks: { id: string }[]; source: string } } };

const employers = [
  { name: 'Лекс Консулт ЕООД', address: 'гр. София, ул. Шипка 1', jobTitle: 'счетоводител' },
  { name: 'Сметка АД', address: 'гр. София, бул. Витоша 10', jobTitle: 'консултант' },
];

async function auditRows(action: string) {
  const { rows } = await t.deps.database.pool.query<{ outcome: string; data: Record<string, unknown> | null }>('SELECT outcome, data FROM audit_event WHERE action = $1 ORDER BY seq', [action]);
  return rows;
}

/** A remote consultation of gp1 with patient A that has started; `accepted` records the Art. 7/9 decision. */
async function remoteConsultation(accepted: boolean, start: string): Promise<string> {
  return withTransaction(t.deps.db, async (tx) => {
    const requestId = await insertRequestFixture(tx, t.deps, { facilityId: g.practice1, practitionerId: g.gp1, patientId: A, requesterAccountId: g.w.sessions.patientA.accountId, status: 'in_progress', start });
    await tx.execute(sql`INSERT INTO consultation (id, request_id, facility_id, patient_id, practitioner_id, mode, status, started_at, created_at, updated_at)
      VALUES (${t.deps.ids.uuid()}, ${requestId}, ${g.practice1}, ${A}, ${g.gp1}, 'synchronous', 'in-progress', ${start}, ${start}, ${start})`);
    if (accepted) {
      await tx.execute(sql`INSERT INTO admissibility_decision (id, request_id, facility_id, outcome, no_risk_to_life_or_health, quality_and_safety_assured, not_dental_except_imaging,
          no_direct_contact_needed, requester_identity_verifiable, not_conducting_birth, not_establishing_death, decided_by_account_id, decided_by_practitioner_id, decided_at)
        VALUES (${t.deps.ids.uuid()}, ${requestId}, ${g.practice1}, 'accept', true, true, true, true, true, true, true, ${gp1Account}, ${g.gp1}, ${start})`);
    }
    return requestId;
  });
}

async function visit(kind: 'in_person' | 'phone', startedAt: string, practitionerId = g.gp1): Promise<string> {
  const res = await g.as('desk1', { method: 'POST', url: '/api/v1/encounters', payload: { facilityId: g.practice1, patientId: A, practitionerId, kind, startedAt, nhifPaid: true, reason: 'Температура' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** A fresh TOTP code for the doctor's signature: each one claims its own 30-second step (replay protection). */
async function signed(actor: 'gp1' | 'gp2' | 'gp3', over: Record<string, unknown>) {
  clock.set(clock.now().add({ seconds: 31 }).toString());
  return leave({ ...over, code: await totpCode(g.totpSecrets[actor] ?? '', Math.floor(clock.now().epochMilliseconds / 1000)) });
}

const leave = (over: Record<string, unknown>) => ({ kind: 'illness', capacity: 'gp', diagnosis: { code: 'J06.9', text: 'Остра инфекция на горните дихателни пътища' }, employers: [employers[0]], ...over });

beforeAll(async () => {
  t = await createTestApp({ clock });
  g = await buildGpWorld(t, clock);
  A = g.w.patientA.id;
  const res = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: A, practitionerId: g.gp1, facilityId: g.practice1 } });
  expect(res.statusCode, res.body).toBe(201);
  const q = async (accountId: string) => (await t.deps.database.pool.query<{ practitioner_id: string; id: string }>('SELECT id, practitioner_id FROM user_account WHERE id = $1', [accountId])).rows[0]!.practitioner_id;
  gp1Account = (await t.deps.database.pool.query<{ id: string }>('SELECT id FROM user_account WHERE practitioner_id = $1', [g.gp1])).rows[0]!.id;
  chair = await q(g.w.sessions.specialistWithCare.accountId);
  member = await q(g.w.sessions.specialistWithout.accountId);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('sick leave on an examination (W15)', () => {
  it('the facility administrator creates its ЛКК with a chair and members', async () => {
    expect((await g.as('specialistWithCare', { method: 'POST', url: '/api/v1/lkks', payload: { facilityId: g.w.facilityId, name: 'ЛКК по вътрешни болести', orderRef: 'Заповед № РД-01-15/2026', members: [{ practitionerId: chair, role: 'chair' }, { practitionerId: member, role: 'member' }] } })).statusCode).toBe(403);
    const res = await g.as('facilityAdmin', { method: 'POST', url: '/api/v1/lkks', payload: { facilityId: g.w.facilityId, name: 'ЛКК по вътрешни болести', orderRef: 'Заповед № РД-01-15/2026', members: [{ practitionerId: chair, role: 'chair' }, { practitionerId: member, role: 'member' }] } });
    expect(res.statusCode, res.body).toBe(201);
    lkkId = res.json<{ id: string }>().id;
  });

  it('R-SL-21 (Art. 9): a remote consultation without the remote-assessable record cannot establish incapacity', async () => {
    const requestId = await remoteConsultation(false, '2026-03-10T07:05:00Z');
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/sick-leaves', payload: await signed('gp1', { requestId, startOn: '2026-03-10', endOn: '2026-03-16' }) });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json<Problem>()).toMatchObject({ code: 'sick_leave.remote_not_assessable', meta: { rule: 'R-SL-21' } });
    expect((await auditRows('sick_leave.refused')).at(-1)).toMatchObject({ outcome: 'failure', data: { rule: 'R-SL-21' } });
  });

  it('the doctor signs with a fresh second factor: a wrong or replayed code issues nothing', async () => {
    const requestId = await remoteConsultation(true, '2026-03-10T07:20:00Z');
    const wrong = await g.as('gp1', { method: 'POST', url: '/api/v1/sick-leaves', payload: leave({ requestId, startOn: '2026-03-10', endOn: '2026-03-11', code: '000000' }) });
    expect(wrong.statusCode, wrong.body).toBe(401);
    expect(wrong.json<Problem>().code).toBe('auth.mfa_invalid');
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/patients/${A}/sick-leaves` })).json<{ items: unknown[] }>().items).toEqual([]);
  });

  let first: SickLeave[];
  it('R-SL-01, R-SL-13: after a remote consultation the GP issues 14 days, one certificate per employer, citing the consultation', async () => {
    const requestId = await remoteConsultation(true, '2026-03-10T07:30:00Z');
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/sick-leaves', payload: await signed('gp1', { requestId, startOn: '2026-03-10', endOn: '2026-03-23', employers }) });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<IssueSickLeaveResult>();
    first = body.certificates;
    expect(first).toHaveLength(2);
    expect(new Set(first.map((c) => c.certificateSet)).size).toBe(1);
    expect(first[0]).toMatchObject({ kind: 'illness', days: 14, startOn: '2026-03-10', endOn: '2026-03-23', issuedOn: '2026-03-10', retroactive: false, marking: '', nhisStatus: 'pending', diagnosis: { code: 'J06.9' } });
    expect(first[0]!.consultationId).not.toBeNull();
    expect(first.map((c) => c.employer.name)).toEqual(employers.map((e) => e.name));
    expect(body.counters).toMatchObject({ episodeDaysBefore: 0, requestDays: 14, limits: { consecutiveDays: 14, yearDays: 40 } });
    // Security: the employer and diagnosis are stored encrypted.
    const { rows } = await t.deps.database.pool.query<{ data_enc: Buffer }>('SELECT data_enc FROM sick_leave WHERE id = $1', [first[0]!.id]);
    expect(rows[0]!.data_enc.toString('utf8')).not.toContain('Лекс');
    expect(rows[0]!.data_enc.toString('utf8')).not.toContain('J06');
  });

  it('X011: the outbox records each certificate in the NHIS (simulator), and the patient sees them', async () => {
    await t.deps.outbox.drain();
    const res = await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/sick-leaves` });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: SickLeave[] }>().items;
    expect(items.map((i) => i.nhisStatus)).toEqual(['recorded', 'recorded']);
    expect(items[0]!.nrn).toMatch(/SL/);
    expect(t.deps.nhisSimulator.expertise().filter((r) => r.type === 'sick_leave')).toHaveLength(2);
    expect((await g.as('gp2', { method: 'GET', url: `/api/v1/patients/${A}/sick-leaves` })).statusCode).toBe(403);
  });

  it('R-SL-01: the counters shown before issuing say the 15th day is over the limit', async () => {
    const res = await g.as('gp1', { method: 'GET', url: `/api/v1/patients/${A}/sick-leave-counters?practitionerId=${g.gp1}&kind=illness&startOn=2026-03-24&endOn=2026-03-24` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, rule: 'R-SL-01', counters: { episodeDaysBefore: 14, yearDaysBefore: { '2026': 14 } } });
  });

  let refusedExam: string;
  it('R-SL-01, R-SL-03: the 15th day is refused naming the rule, with the ЛКК routing offered', async () => {
    await g.travel('2026-03-24T07:00:00Z');
    refusedExam = await visit('in_person', '2026-03-24T09:00:00+02:00');
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/sick-leaves', payload: await signed('gp1', { encounterId: refusedExam, startOn: '2026-03-24', endOn: '2026-03-30' }) });
    expect(res.statusCode, res.body).toBe(422);
    const p = res.json<Problem>();
    expect(p).toMatchObject({ code: 'sick_leave.limit_14', meta: { rule: 'R-SL-01', counters: { episodeDaysBefore: 14, requestDays: 7 }, lkkRouting: { source: 'limit_14' } } });
    expect(p.meta?.lkkRouting?.lkks.map((l) => l.id)).toContain(lkkId);
  });

  let lkkCase: LkkCase;
  it('R-SL-03: the GP routes the case to the ЛКК with a № 6 to prepare; only members see the queue', async () => {
    // НРД R-46: the № 6 (not a № 3) refers to the ЛКК; the GP issues it on the same examination and the case cites it.
    await withTransaction(t.deps.db, async (tx) => {
      await tx.execute(sql`INSERT INTO practitioner_specialty (practitioner_id, specialty_code) VALUES (${g.gp1}, '0000') ON CONFLICT DO NOTHING`);
      await tx.execute(sql`INSERT INTO rhif_outpatient_contract (id, practitioner_id, facility_id, kind, contract_number, valid_from, created_at) VALUES (${t.deps.ids.uuid()}, ${g.gp1}, ${g.practice1}, 'pimp', '22/1234', '2026-01-01', ${clock.now().toString()})`);
    });
    const { code } = (await signed('gp1', {})) as unknown as { code: string };
    const form6 = await g.as('gp1', { method: 'POST', url: '/api/v1/referrals', payload: { encounterId: refusedExam, form: '6', purpose: 'sick_leave_extension', diagnosisCode: 'J06.9', request: 'Продължаване на временната неработоспособност над 14 дни', code } });
    expect(form6.statusCode, form6.body).toBe(201);
    const form6Id = form6.json<{ id: string }>().id;
    const route = { lkkId, facilityId: g.practice1, patientId: A, source: 'limit_14', request: { startOn: '2026-03-24', endOn: '2026-03-30', kind: 'illness', diagnosisCode: 'J06.9', employers: [employers[0]] } };
    const wrong = await g.as('gp1', { method: 'POST', url: '/api/v1/lkk-cases', payload: { ...route, patientId: g.w.patientB.id, form6ReferralId: form6Id } });
    expect(wrong.json<Problem>()).toMatchObject({ code: 'lkk.form6_mismatch', meta: { rule: 'R-46' } });
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/lkk-cases', payload: { ...route, form6ReferralId: form6Id } });
    expect(res.statusCode, res.body).toBe(201);
    lkkCase = res.json<LkkCase>();
    expect(lkkCase).toMatchObject({ status: 'queued', ruleId: 'R-SL-01', form6Needed: true, form6ReferralId: form6Id, decision: null });
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/lkks/${lkkId}/queue` })).json<Problem>().code).toBe('lkk.not_member');
    const queue = await g.as('specialistWithout', { method: 'GET', url: `/api/v1/lkks/${lkkId}/queue` });
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json<{ items: LkkCase[] }>().items.map((c) => c.id)).toEqual([lkkCase.id]);
    expect(queue.json<{ items: LkkCase[] }>().items[0]!.patientName).toBe(`${g.w.patientA.demographics.givenName} ${g.w.patientA.demographics.familyName}`);
  });

  it('the ЛКК decides in a session and the extension takes effect when every member has signed the protocol', async () => {
    const session = await g.as('specialistWithCare', { method: 'POST', url: `/api/v1/lkks/${lkkId}/sessions`, payload: { heldOn: '2026-03-24' } });
    expect(session.statusCode, session.body).toBe(201);
    const sessionId = session.json<{ id: string }>().id;
    // A second member opening the day's session joins it.
    expect((await g.as('specialistWithout', { method: 'POST', url: `/api/v1/lkks/${lkkId}/sessions`, payload: { heldOn: '2026-03-24' } })).json<{ id: string }>().id).toBe(sessionId);
    const decided = await g.as('specialistWithCare', { method: 'POST', url: `/api/v1/lkk-cases/${lkkCase.id}/decision`, payload: { sessionId, decision: 'extend', text: 'Удължава временната неработоспособност', startOn: '2026-03-24', endOn: '2026-03-30' } });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json<LkkCase>()).toMatchObject({ status: 'awaiting_signatures', decision: 'extend', protocolNo: 1, signatures: [{ practitionerId: chair }] });
    // Not in effect before the last signature.
    expect((await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/sick-leaves` })).json<{ items: SickLeave[] }>().items).toHaveLength(2);
    const again = await g.as('specialistWithCare', { method: 'POST', url: `/api/v1/lkk-cases/${lkkCase.id}/decision`, payload: { sessionId, decision: 'refuse', text: 'x' } });
    expect(again.json<Problem>().code).toBe('lkk.case_state');
    const signed = await g.as('specialistWithout', { method: 'POST', url: `/api/v1/lkk-cases/${lkkCase.id}/signatures` });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json<LkkCase>()).toMatchObject({ status: 'decided' });
    const items = (await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/sick-leaves` })).json<{ items: SickLeave[] }>().items;
    expect(items[0]).toMatchObject({ lkkCaseId: lkkCase.id, startOn: '2026-03-24', endOn: '2026-03-30', days: 7, encounterId: null, practitioner: { id: chair } });
    expect((await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/lkk-cases` })).json<{ items: LkkCase[] }>().items[0]).toMatchObject({ decision: 'extend', status: 'decided' });
  });

  it('R-SL-23: the employer contests a certificate; the GP routes the contest to the ЛКК, which confirms it (no № 6 needed)', async () => {
    const contest = await g.as('gp1', { method: 'POST', url: '/api/v1/lkk-cases', payload: { lkkId, facilityId: g.practice1, patientId: A, source: 'contest_employer', contestedSickLeaveId: first[0]!.id, request: { startOn: first[0]!.startOn, endOn: first[0]!.endOn, kind: 'illness', diagnosisCode: 'J06.9', note: 'Работодателят оспорва болничния лист' } } });
    expect(contest.statusCode, contest.body).toBe(201);
    expect(contest.json<LkkCase>()).toMatchObject({ ruleId: 'R-SL-23', form6Needed: false, status: 'queued' });
    const sessionId = (await g.as('specialistWithCare', { method: 'POST', url: `/api/v1/lkks/${lkkId}/sessions`, payload: { heldOn: '2026-03-24' } })).json<{ id: string }>().id;
    const decided = await g.as('specialistWithCare', { method: 'POST', url: `/api/v1/lkk-cases/${contest.json<LkkCase>().id}/decision`, payload: { sessionId, decision: 'confirm', text: 'Болничният лист е издаден законосъобразно' } });
    expect(decided.statusCode, decided.body).toBe(200);
    const signed = await g.as('specialistWithout', { method: 'POST', url: `/api/v1/lkk-cases/${contest.json<LkkCase>().id}/signatures` });
    expect(signed.json<LkkCase>()).toMatchObject({ status: 'decided', decision: 'confirm' });
  });

  it('the patient prints a certificate and a member prints the protocol as PDFs; others may not', async () => {
    const leaves = (await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/sick-leaves` })).json<{ items: SickLeave[] }>().items;
    const pdf = await g.as('patientA', { method: 'GET', url: `/api/v1/sick-leaves/${leaves[0]!.id}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/sick-leaves/${leaves[0]!.id}/pdf` })).statusCode).toBe(403);
    const protocol = await g.as('specialistWithout', { method: 'GET', url: `/api/v1/lkk-cases/${lkkCase.id}/pdf` });
    expect(protocol.statusCode, protocol.body).toBe(200);
    expect(protocol.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/lkk-cases/${lkkCase.id}/pdf` })).statusCode).toBe(403);
    expect((await auditRows('sick_leave.read')).at(-1)).toMatchObject({ outcome: 'success', data: { format: 'pdf' } });
  });

  it('DECISIONS 18: limits are per issuing doctor; the ЛКК days count for no doctor, the total is shown', async () => {
    await g.travel('2026-04-20T07:00:00Z');
    const exam = await visit('in_person', '2026-04-20T09:00:00+03:00', g.gp3);
    const res = await g.as('gp3', { method: 'POST', url: '/api/v1/sick-leaves', payload: await signed('gp3', { encounterId: exam, startOn: '2026-04-20', endOn: '2026-04-26' }) });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<IssueSickLeaveResult>().counters).toMatchObject({ episodeDaysBefore: 0, yearDaysBefore: { '2026': 0 }, allIssuersYearDays: 21 });
    // gp1 on another's examination cannot issue.
    expect((await g.as('gp1', { method: 'POST', url: '/api/v1/sick-leaves', payload: await signed('gp1', { encounterId: exam, startOn: '2026-04-20', endOn: '2026-04-21' }) })).statusCode).toBe(403);
  });

  it('R-SL-21: a phone call is not an examination', async () => {
    const exam = await visit('phone', '2026-04-20T10:00:00+03:00');
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/sick-leaves', payload: await signed('gp1', { encounterId: exam, startOn: '2026-04-20', endOn: '2026-04-21' }) });
    expect(res.json<Problem>()).toMatchObject({ code: 'sick_leave.no_exam', meta: { rule: 'R-SL-21' } });
  });

  it('R-SL-14: a retroactive leave without the exam document of its first day is refused; R-SL-16 with it, met within 1 working day', async () => {
    const exam = await visit('in_person', '2026-04-20T11:00:00+03:00');
    const bad = await g.as('gp1', { method: 'POST', url: '/api/v1/sick-leaves', payload: await signed('gp1', { encounterId: exam, startOn: '2026-04-16', endOn: '2026-04-20' }) });
    expect(bad.json<Problem>()).toMatchObject({ code: 'sick_leave.retroactive_document', meta: { rule: 'R-SL-14' } });
    const doc = { patientNames: 'Пациент А', examOn: '2026-04-16', diagnosis: 'J06.9', treatment: 'парацетамол', incapacityOpinion: 'неработоспособен', doctorNames: 'д-р Болнична', signed: true, stamped: true };
    const ok = await g.as('gp1', { method: 'POST', url: '/api/v1/sick-leaves', payload: await signed('gp1', { encounterId: exam, startOn: '2026-04-16', endOn: '2026-04-20', examDocument: doc, requestedOn: '2026-04-17' }) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<IssueSickLeaveResult>().certificates[0]).toMatchObject({ retroactive: true });
    const deadlines = (await g.as('desk1', { method: 'GET', url: `/api/v1/facilities/${g.practice1}/expertise-deadlines` })).json<{ items: { kind: string; dueOn: string; state: string }[] }>().items;
    // Requested Friday 17 April (after Easter Monday 13 April): due Monday 20 April, issued that day.
    expect(deadlines.find((d) => d.kind === 'retroactive_leave')).toMatchObject({ dueOn: '2026-04-20', state: 'met' });
  });

  it('R-SL-17, R-SL-18: a duplicate needs a written request with a reason, is marked "дубликат", and counts for no limit', async () => {
    const refused = await g.as('gp1', { method: 'POST', url: `/api/v1/sick-leaves/${first[0]!.id}/duplicate`, payload: { requestedOn: '2026-04-20', requestedBy: 'employer', written: false, reason: 'изгубен' } });
    expect(refused.json<Problem>()).toMatchObject({ code: 'sick_leave.duplicate_refused', meta: { rule: 'R-SL-17' } });
    const res = await g.as('gp1', { method: 'POST', url: `/api/v1/sick-leaves/${first[0]!.id}/duplicate`, payload: { requestedOn: '2026-04-20', requestedBy: 'employer', written: true, reason: 'изгубен' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<SickLeave>()).toMatchObject({ duplicateOf: first[0]!.id, marking: 'дубликат', startOn: '2026-03-10', days: 14 });
    const c = await g.as('gp1', { method: 'GET', url: `/api/v1/patients/${A}/sick-leave-counters?practitionerId=${g.gp1}&kind=illness&startOn=2026-04-21&endOn=2026-04-21` });
    expect(c.json()).toMatchObject({ counters: { yearDaysBefore: { '2026': 19 } } });
  });
});

describe('medical notices (R-EXP-05, NHIS C041/C045)', () => {
  it('R-EXP-05: a sport notice needs an examination; issued, recorded as C041 and cancelled as C045', async () => {
    const phone = await visit('phone', '2026-04-20T12:00:00+03:00');
    const refused = await g.as('gp1', { method: 'POST', url: '/api/v1/medical-notices', payload: { encounterId: phone, purpose: 'sport', text: 'Може да тренира' } });
    expect(refused.json<Problem>()).toMatchObject({ code: 'notice.exam_required', meta: { rule: 'R-EXP-05' } });
    const exam = await visit('in_person', '2026-04-20T12:30:00+03:00');
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/medical-notices', payload: { encounterId: exam, purpose: 'sport', text: 'Може да тренира' } });
    expect(res.statusCode, res.body).toBe(201);
    const notice = res.json<MedicalNotice>();
    await t.deps.outbox.drain();
    const cancel = await g.as('gp1', { method: 'POST', url: `/api/v1/medical-notices/${notice.id}/cancel`, payload: { reason: 'Грешно издадена' } });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect(cancel.json<MedicalNotice>()).toMatchObject({ status: 'cancelled', nhisStatus: 'cancel_pending' });
    await t.deps.outbox.drain();
    const list = (await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/medical-notices` })).json<{ items: MedicalNotice[] }>().items;
    expect(list[0]).toMatchObject({ id: notice.id, status: 'cancelled', nhisStatus: 'cancelled' });
    expect(t.deps.nhisSimulator.expertise().find((r) => r.type === 'medical_notice')).toMatchObject({ status: 'cancelled' });
    expect((await g.as('gp1', { method: 'POST', url: `/api/v1/medical-notices/${notice.id}/cancel`, payload: { reason: 'x' } })).json<Problem>().code).toBe('notice.cancelled');
  });
});

describe('TELK preparation (W16)', () => {
  const telk = (over: Record<string, unknown>) => ({ patientId: A, facilityId: g.practice1, route: 'gp', temporaryIncapacityPreceded: false, diagnoses: [{ code: 'I10', documented: true, presentAtExam: true }], medications: ['Лизиноприл 10 mg'], ...over });

  it('R-TELK-07: after temporary incapacity only the ЛКК refers; R-TELK-06: no undocumented diagnosis', async () => {
    expect((await g.as('gp1', { method: 'POST', url: '/api/v1/telk-cases', payload: telk({ temporaryIncapacityPreceded: true }) })).json<Problem>()).toMatchObject({ code: 'telk.route', meta: { rule: 'R-TELK-07' } });
    expect((await g.as('gp1', { method: 'POST', url: '/api/v1/telk-cases', payload: telk({ diagnoses: [{ code: 'M54', documented: false, presentAtExam: false }] }) })).json<Problem>()).toMatchObject({ code: 'telk.undocumented_diagnosis', meta: { rule: 'R-TELK-06' } });
  });

  it('R-TELK-01, R-TELK-02: requests on 31 May, 1 June, 30 November, 1 December and 20 December', async () => {
    const cases: [string, string, string][] = [
      ['2026-05-31', '2026-05-31', '2026-08-05'],
      ['2026-06-01', '2026-07-07', '2026-08-05'],
      ['2026-11-30', '2026-11-30', '2027-02-05'],
      ['2026-12-01', '2027-01-07', '2027-02-05'],
      ['2026-12-20', '2027-01-07', '2027-02-05'],
    ];
    for (const [requestedOn, earliestOn, dueOn] of cases) {
      const res = await g.as('gp1', { method: 'POST', url: '/api/v1/telk-cases', payload: telk({ requestedOn }) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<TelkCase>(), requestedOn).toMatchObject({ requestedOn, earliestOn, dueOn, clockSuspended: true, status: 'preparing' });
    }
  });

  it('R-TELK-10: the 7-item checklist blocks completion (a child needs the parent’s ID); R-TELK-02: no date in December; R-TELK-05: the dossier', async () => {
    const created = await g.as('gp1', { method: 'POST', url: '/api/v1/telk-cases', payload: telk({ requestedOn: '2026-11-20', child: true, addressDiffers: false, hadPreviousDecision: false }) });
    const c = created.json<TelkCase>();
    expect(c.missing).toEqual(['identity_document', 'medical_documents', 'last_12_months_tests', 'diseases_list', 'medications_list', 'parent_identity_document']);
    const read = await g.as('patientA', { method: 'GET', url: `/api/v1/telk-cases/${c.id}` });
    expect(read.statusCode).toBe(200);
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/telk-cases/${c.id}` })).statusCode).toBe(403);
    const december = await g.as('gp1', { method: 'POST', url: `/api/v1/telk-cases/${c.id}`, payload: { scheduledOn: '2026-12-03' } });
    expect(december.json<Problem>()).toMatchObject({ code: 'telk.blackout', meta: { rule: 'R-TELK-02' } });
    const incomplete = await g.as('gp1', { method: 'POST', url: `/api/v1/telk-cases/${c.id}`, payload: { checklist: { identity_document: true, medical_documents: true, last_12_months_tests: true, diseases_list: true, medications_list: true }, complete: true } });
    expect(incomplete.json<Problem>()).toMatchObject({ code: 'telk.checklist_incomplete', meta: { rule: 'R-TELK-10', missing: ['parent_identity_document'] } });
    const lent = await g.as('gp1', { method: 'POST', url: `/api/v1/telk-cases/${c.id}`, payload: { checklist: { identity_document: true, medical_documents: true, last_12_months_tests: true, diseases_list: true, medications_list: true }, dossierLentOn: '2026-04-20', missingConsultations: ['Кардиолог'] } });
    expect(lent.json<TelkCase>()).toMatchObject({ dossierDueOn: '2026-04-27', missing: ['parent_identity_document'], form6Needed: true, missingConsultations: ['Кардиолог'] });
    const done = await g.as('gp1', { method: 'POST', url: `/api/v1/telk-cases/${c.id}`, payload: { checklist: { parent_identity_document: true }, scheduledOn: '2026-11-27', complete: true } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<TelkCase>()).toMatchObject({ status: 'completed', completedOn: '2026-04-20', missing: [] });
  });

  it('the compliance view lists the deadlines; the daily check records a breach after the due day (escalation before it: expertise-reports.int.test.ts)', async () => {
    await g.travel('2026-04-28T07:00:00Z');
    const r = await t.deps.sickLeave.checkDeadlines();
    expect(r.breached).toBeGreaterThanOrEqual(1); // the dossier lent on 20 April was due on 27 April
    const items = (await g.as('desk1', { method: 'GET', url: `/api/v1/facilities/${g.practice1}/expertise-deadlines` })).json<{ items: { kind: string; state: string; ruleId: string }[] }>().items;
    expect(items.find((d) => d.kind === 'dossier_return')).toMatchObject({ state: 'breached', ruleId: 'R-TELK-05' });
    expect(items.filter((d) => d.kind === 'telk_protocol').length).toBeGreaterThanOrEqual(6);
    expect((await auditRows('expertise.deadline_missed')).length).toBe(r.breached);
    expect((await g.as('gp2', { method: 'GET', url: `/api/v1/facilities/${g.practice1}/expertise-deadlines` })).statusCode).toBe(403);
  });
});
