import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import type { LkkCase, LkkMonthlyReport, MedicalNotice, TelkCase } from '../../contracts/sick-leave.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld } from '../../test/gp-world.js';
import { readOutbox } from '../../test/mail-sink.js';
import { EXPERTISE_DEADLINE_NOTIFY } from './sick-leave.deps.js';

// The ЛКК's monthly report (НРД R-133), the TELK bundle list (R-TELK-10), the medical notice's PDF
// (R-EXP-05) and the escalation e-mails of the expertise deadlines on the working-day calendar, through
// the HTTP API on PGlite and (DATABASE_URL) PostgreSQL. 6 May 2026 (St George's Day) is a holiday.
const clock = fixedClock('2026-04-07T07:00:00Z'); // Tuesday
let t: TestApp;
let g: GpWorld;
let A: string;
let lkkId: string;
let chair: string;
let member: string;
type Problem = { code: string; meta?: { rule?: string } };

async function practitionerOf(accountId: string): Promise<string> {
  return (await t.deps.database.pool.query<{ practitioner_id: string }>('SELECT practitioner_id FROM user_account WHERE id = $1', [accountId])).rows[0]!.practitioner_id;
}
async function auditRows(action: string) {
  return (await t.deps.database.pool.query<{ data: Record<string, unknown> | null; patient_id: string | null }>('SELECT data, patient_id FROM audit_event WHERE action = $1 ORDER BY seq', [action])).rows;
}
async function drainAll() {
  for (let i = 0; i < 10 && (await t.deps.outbox.drain()) > 0; i += 1);
}

/** gp1 routes patient A's refused request; the chair decides it in the session held on `heldOn`. */
async function decidedCase(heldOn: string, decision: 'extend' | 'refuse', startOn: string, endOn: string): Promise<LkkCase> {
  const routed = await g.as('gp1', { method: 'POST', url: '/api/v1/lkk-cases', payload: { lkkId, facilityId: g.practice1, patientId: A, source: 'limit_14', request: { startOn, endOn, kind: 'illness', diagnosisCode: 'M54.5', employers: [{ name: 'Лекс Консулт ЕООД', address: 'гр. София, ул. Шипка 1', jobTitle: 'счетоводител' }] } } });
  expect(routed.statusCode, routed.body).toBe(201);
  const session = await g.as('specialistWithCare', { method: 'POST', url: `/api/v1/lkks/${lkkId}/sessions`, payload: { heldOn } });
  expect(session.statusCode, session.body).toBe(201);
  const decided = await g.as('specialistWithCare', { method: 'POST', url: `/api/v1/lkk-cases/${routed.json<LkkCase>().id}/decision`, payload: { sessionId: session.json<{ id: string }>().id, decision, text: 'Решение на комисията', ...(decision === 'extend' ? { startOn, endOn } : {}) } });
  expect(decided.statusCode, decided.body).toBe(200);
  return decided.json<LkkCase>();
}

beforeAll(async () => {
  // DEV_MAIL_SINK: e-mails are written as .eml files under DATA_DIR/outbox, so delivery succeeds without a mail server.
  t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true' } });
  g = await buildGpWorld(t, clock);
  A = g.w.patientA.id;
  const reg = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: A, practitionerId: g.gp1, facilityId: g.practice1 } });
  expect(reg.statusCode, reg.body).toBe(201);
  chair = await practitionerOf(g.w.sessions.specialistWithCare.accountId);
  member = await practitionerOf(g.w.sessions.specialistWithout.accountId);
  const lkk = await g.as('facilityAdmin', { method: 'POST', url: '/api/v1/lkks', payload: { facilityId: g.w.facilityId, name: 'ЛКК по вътрешни болести', orderRef: 'Заповед № РД-01-15/2026', members: [{ practitionerId: chair, role: 'chair' }, { practitionerId: member, role: 'member' }] } });
  expect(lkk.statusCode, lkk.body).toBe(201);
  lkkId = lkk.json<{ id: string }>().id;
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('the ЛКК monthly report (НРД R-133)', () => {
  let extended: LkkCase;
  let refused: LkkCase;
  it('R-133: the chair reports the month’s protocols with the patients, composition, decisions and the talon’s common part', async () => {
    await decidedCase('2026-03-31', 'refuse', '2026-03-25', '2026-03-31'); // March: not in April's report
    extended = await decidedCase('2026-04-07', 'extend', '2026-04-08', '2026-04-14');
    const signed = await g.as('specialistWithout', { method: 'POST', url: `/api/v1/lkk-cases/${extended.id}/signatures` });
    expect(signed.json<LkkCase>().status).toBe('decided');
    refused = await decidedCase('2026-04-07', 'refuse', '2026-04-15', '2026-04-20');

    const res = await g.as('specialistWithCare', { method: 'GET', url: `/api/v1/lkks/${lkkId}/monthly-report?month=2026-04` });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<LkkMonthlyReport>();
    expect(r.sessions).toEqual(['2026-04-07']);
    expect(r.lkk.members.map((m) => m.role).sort()).toEqual(['chair', 'member']);
    expect(r.rows.map((x) => [x.caseId, x.protocolNo, x.decision, x.inForce])).toEqual([
      [extended.id, extended.protocolNo, 'extend', true],
      [refused.id, refused.protocolNo, 'refuse', false],
    ]);
    const gp1 = (await t.deps.database.pool.query<{ uin: string }>('SELECT uin FROM practitioner WHERE id = $1', [g.gp1])).rows[0]!.uin;
    expect(r.rows[0]).toMatchObject({ heldOn: '2026-04-07', identifierKind: g.w.patientA.demographics.identifierKind, identifier: g.w.patientA.demographics.identifier, period: { startOn: '2026-04-08', endOn: '2026-04-14' }, talon: { practitionerUin: gp1, diagnosisCode: 'M54.5', form6ReferralId: null } });
    expect(r.rows[1]!.period).toBeNull();
    expect(r.totals).toEqual({ extend: 1, refuse: 1 });
    // Each case in the report is a read of the patient's data, audited; the report itself once.
    expect((await auditRows('lkk.report_read')).at(-1)!.data).toEqual({ month: '2026-04', cases: 2, format: 'json' });
    const march = (await g.as('specialistWithCare', { method: 'GET', url: `/api/v1/lkks/${lkkId}/monthly-report?month=2026-03` })).json<LkkMonthlyReport>();
    expect(march.rows.map((x) => x.decision)).toEqual(['refuse']);
  });

  it('R-133: the report is the chair’s: a member, the routing GP and a patient are refused', async () => {
    const asMember = await g.as('specialistWithout', { method: 'GET', url: `/api/v1/lkks/${lkkId}/monthly-report?month=2026-04` });
    expect(asMember.statusCode).toBe(403);
    expect(asMember.json<Problem>()).toMatchObject({ code: 'lkk.not_chair', meta: { rule: 'R-133' } });
    expect((await g.as('gp1', { method: 'GET', url: `/api/v1/lkks/${lkkId}/monthly-report?month=2026-04` })).json<Problem>().code).toBe('lkk.not_member');
    expect((await g.as('patientA', { method: 'GET', url: `/api/v1/lkks/${lkkId}/monthly-report?month=2026-04` })).statusCode).toBe(403);
    expect((await g.as('specialistWithCare', { method: 'GET', url: `/api/v1/lkks/${lkkId}/monthly-report?month=2026-13` })).statusCode).toBe(400);
  });

  it('R-133: the report as a PDF', async () => {
    const pdf = await g.as('specialistWithCare', { method: 'GET', url: `/api/v1/lkks/${lkkId}/monthly-report/pdf?month=2026-04` });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await auditRows('lkk.report_read')).at(-1)!.data).toEqual({ month: '2026-04', cases: 2, format: 'pdf' });
  });
});

describe('the TELK bundle list and the medical notice as PDFs', () => {
  let telk: TelkCase;
  it('R-TELK-10: the list (опис) of the bundle prints each item present or missing, for the doctor and the patient only', async () => {
    const res = await g.as('gp1', { method: 'POST', url: '/api/v1/telk-cases', payload: { patientId: A, facilityId: g.practice1, route: 'gp', temporaryIncapacityPreceded: false, requestedOn: '2026-04-07', diagnoses: [{ code: 'I10', documented: true, presentAtExam: true }], medications: ['Лизиноприл 10 mg'] } });
    expect(res.statusCode, res.body).toBe(201);
    telk = res.json<TelkCase>();
    expect(telk.dueOn).toBe('2026-05-07');
    await g.as('gp1', { method: 'POST', url: `/api/v1/telk-cases/${telk.id}`, payload: { checklist: { identity_document: true, medical_documents: true } } });
    for (const who of ['gp1', 'patientA'] as const) {
      const pdf = await g.as(who, { method: 'GET', url: `/api/v1/telk-cases/${telk.id}/pdf` });
      expect(pdf.statusCode, pdf.body).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
    }
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/telk-cases/${telk.id}/pdf` })).statusCode).toBe(403);
    expect((await auditRows('telk.bundle_printed')).map((x) => x.data)).toEqual([{ missing: 3 }, { missing: 3 }]);
  });

  it('R-EXP-05: a notice issued on an examination prints for the patient, not for another patient', async () => {
    const visit = await g.as('desk1', { method: 'POST', url: '/api/v1/encounters', payload: { facilityId: g.practice1, patientId: A, practitionerId: g.gp1, kind: 'in_person', startedAt: '2026-04-07T06:30:00Z', nhifPaid: true, reason: 'Профилактичен преглед' } });
    expect(visit.statusCode, visit.body).toBe(201);
    const issued = await g.as('gp1', { method: 'POST', url: '/api/v1/medical-notices', payload: { encounterId: visit.json<{ id: string }>().id, purpose: 'sport', text: 'Клинично здрав, може да тренира плуване.', validUntil: '2027-04-07' } });
    expect(issued.statusCode, issued.body).toBe(201);
    const n = issued.json<MedicalNotice>();
    const pdf = await g.as('patientA', { method: 'GET', url: `/api/v1/medical-notices/${n.id}/pdf` });
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/medical-notices/${n.id}/pdf` })).statusCode).toBe(403);
    expect((await auditRows('notice.printed')).at(-1)).toMatchObject({ data: { purpose: 'sport' }, patient_id: A });
  });
});

describe('escalation e-mails on the working-day calendar', () => {
  const telkMail = async () => (await readOutbox(t.dataDir)).filter((m) => m.subject.includes('ТЕЛК'));

  it('R-TELK-01: the TELK preparation due on Thursday 7 May is escalated on Tuesday 5 May, the working day before (6 May is a holiday), and e-mailed once', async () => {
    await g.travel('2026-05-04T07:00:00Z'); // Monday: due after the next working day, nothing yet
    await t.deps.sickLeave.checkDeadlines();
    await drainAll();
    expect(await telkMail()).toEqual([]);

    await g.travel('2026-05-05T07:00:00Z'); // Tuesday: the next working day is Thursday 7 May
    const r = await t.deps.sickLeave.checkDeadlines();
    expect(r.escalated).toBeGreaterThanOrEqual(1);
    await drainAll();
    const mail = await telkMail();
    // The practice (gp1 is the preparation's doctor) is told, without the patient's name or identifier.
    expect(mail.length).toBeGreaterThanOrEqual(1);
    expect(mail[0]!.subject).toContain('7 май 2026');
    expect(mail.map((m) => m.body).join('\n')).not.toContain(g.w.patientA.demographics.identifier);
    const gp1Mail = (await t.deps.database.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM notification n JOIN user_account u ON u.id = n.recipient_account_id WHERE n.kind = 'expertise_deadline_escalated' AND u.practitioner_id = $1 AND n.status = 'sent'`, [g.gp1])).rows[0]!.n;
    expect(gp1Mail).toBe('1');

    await g.travel('2026-05-06T07:00:00Z'); // the holiday: checked again, nothing new
    expect((await t.deps.sickLeave.checkDeadlines()).escalated).toBe(0);
    await drainAll();
    expect((await telkMail()).length).toBe(mail.length);
  });

  it('R-TELK-01: left open past 7 May it is recorded as breached and the practice is e-mailed that it was missed', async () => {
    await g.travel('2026-05-08T07:00:00Z');
    expect((await t.deps.sickLeave.checkDeadlines()).breached).toBeGreaterThanOrEqual(1);
    await drainAll();
    expect((await telkMail()).some((m) => m.subject.includes('пропуснат срок'))).toBe(true);
    const { rows } = await t.deps.database.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM outbox WHERE type = $1`, [EXPERTISE_DEADLINE_NOTIFY]);
    // Re-running the check sends nothing twice.
    await t.deps.sickLeave.checkDeadlines();
    expect((await t.deps.database.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM outbox WHERE type = $1`, [EXPERTISE_DEADLINE_NOTIFY])).rows[0]!.n).toBe(rows[0]!.n);
  });
});
