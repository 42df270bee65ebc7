import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld } from '../../test/gp-world.js';

// The practice's records beyond the day's fees, through the HTTP API on PGlite and (DATABASE_URL)
// PostgreSQL: a visit recorded with its payment in one transaction, document requests, the processing
// register and data-subject requests, referrals in the monthly report, reminders. Tests run in order.
const clock = fixedClock('2026-03-02T08:00:00Z');
let t: TestApp;
let g: GpWorld;
let A: string;

type Problem = { code: string; meta?: { rule?: string } };
const url = (path: string) => `/api/v1/practices/${g.practice1}${path}`;

async function count(table: string): Promise<number> {
  const { rows } = await t.deps.database.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  g = await buildGpWorld(t, clock);
  A = g.w.patientA.id;
  const reg = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: A, practitionerId: g.gp1, facilityId: g.practice1 } });
  expect(reg.statusCode, reg.body).toBe(201);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('a visit and its fee in one transaction', () => {
  it('R-73: a refused payment rolls the visit, its encounter and its care relationship back', async () => {
    const before = { encounter: await count('encounter'), visit: await count('practice_visit'), care: await count('care_relationship'), payment: await count('practice_payment') };
    const res = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person', payment: { purpose: 'user_fee', amount: '9.99', method: 'cash' } } });
    expect(res.statusCode).toBe(422);
    expect(res.json<Problem>()).toMatchObject({ code: 'practice.amount_not_due', meta: { rule: 'R-73' } });
    expect({ encounter: await count('encounter'), visit: await count('practice_visit'), care: await count('care_relationship'), payment: await count('practice_payment') }).toEqual(before);
  });
  it('R-PC-12: the visit with its user fee paid is recorded at once, with its receipt', async () => {
    const res = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person', payment: { purpose: 'user_fee', amount: '1.48', method: 'cash' } } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ fee: { basis: 'user_fee', due: { amount: '1.48', currency: 'EUR' } }, paidEur: '1.48' });
    const mine = await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/payments` });
    expect(mine.json().items).toEqual([expect.objectContaining({ encounterId: res.json().encounterId, receiptNumber: 1 })]);
  });
});

describe('document requests (E34)', () => {
  let id: string;
  it('R-DOC-01: a patient asks in writing from the portal; due in 3 working days on the calendar (2 March 2026 + 3, over 3 March)', async () => {
    const res = await g.as('patientA', { method: 'POST', url: url('/document-requests'), payload: { patientId: A, category: 'past_circumstance', what: 'Удостоверение за имунизации за детски' } });
    expect(res.statusCode, res.body).toBe(201);
    // 3 March is Liberation Day: 4, 5 and 6 March are the three working days.
    expect(res.json()).toMatchObject({ receivedOn: '2026-03-02', dueOn: '2026-03-06', rule: 'R-DOC-01', fee: 'price_list', status: 'requested', overdue: false });
    id = res.json().id;
    const phone = await g.as('patientA', { method: 'POST', url: url('/document-requests'), payload: { patientId: A, category: 'admin_contract_phone', what: 'x y z' } });
    expect(phone.statusCode).toBe(400);
    expect((await g.as('patientB', { method: 'POST', url: url('/document-requests'), payload: { patientId: A, category: 'other', what: 'Чужда заявка' } })).statusCode).toBe(403);
  });
  it('R-DOC-03: the desk records an admin-contract phone request: 2 working days', async () => {
    const res = await g.as('desk1', { method: 'POST', url: url('/document-requests'), payload: { patientId: A, category: 'admin_contract_phone', what: 'Копие от амбулаторен лист' } });
    expect(res.json()).toMatchObject({ dueOn: '2026-03-05', rule: 'R-DOC-03', fee: 'contract' });
  });
  it('R-PC-19: the GP refuses only with a reason; issues the first; the patient sees it; everything audited', async () => {
    const list = await g.as('desk1', { method: 'GET', url: url('/document-requests') });
    expect(list.json().items.map((i: { what: string }) => i.what)).toEqual(['Копие от амбулаторен лист', 'Удостоверение за имунизации за детски']);
    expect((await g.as('desk1', { method: 'POST', url: url(`/document-requests/${id}/complete`), payload: { outcome: 'issued' } })).statusCode).toBe(403);
    const bare = await g.as('gp1', { method: 'POST', url: url(`/document-requests/${id}/complete`), payload: { outcome: 'refused' } });
    expect(bare.json<Problem>().meta?.rule).toBe('R-PC-19');
    await g.travel('2026-03-09T08:00:00Z');
    const done = await g.as('gp1', { method: 'POST', url: url(`/document-requests/${id}/complete`), payload: { outcome: 'issued', note: 'Готово, на рецепцията' } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'issued', issuedOn: '2026-03-09', note: 'Готово, на рецепцията' });
    expect((await g.as('gp1', { method: 'POST', url: url(`/document-requests/${id}/complete`), payload: { outcome: 'issued' } })).statusCode).toBe(409);
    const mine = await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/document-requests` });
    expect(mine.json().items.find((i: { id: string }) => i.id === id)).toMatchObject({ status: 'issued' });
    const { rows } = await t.deps.database.pool.query<{ data: { late: boolean } }>(`SELECT data FROM audit_event WHERE action = 'practice.document_request_completed'`);
    expect(rows).toEqual([{ data: { outcome: 'issued', late: true } }]);
    expect((await t.deps.database.pool.query(`SELECT 1 FROM audit_event WHERE action = 'practice.document_requests_read'`)).rows.length).toBe(2);
  });
});

describe('personal data: the Art. 30 register and data-subject requests', () => {
  it('GDPR-30: the GP keeps the register of processing activities; the supervisor reads it; the desk may not', async () => {
    const entry = { name: 'Медицинско обслужване на регистрираните пациенти', purpose: 'Диагностика, лечение и отчитане към НЗОК', legalBasis: 'health_care', subjectCategories: ['пациенти'], dataCategories: ['ЕГН', 'здравни данни'], recipients: ['НЗОК/РЗОК', 'НЗИС'], retention: '5 години, после архив 5 години', retentionRule: 'R-DATA-05', securityMeasures: 'Криптиране, двуфакторно влизане, одитна следа', validFrom: '2026-01-01' };
    expect((await g.as('desk1', { method: 'POST', url: url('/processing-activities'), payload: entry })).statusCode).toBe(403);
    const res = await g.as('gp1', { method: 'POST', url: url('/processing-activities'), payload: entry });
    expect(res.statusCode, res.body).toBe(201);
    expect((await g.as('supervisor', { method: 'GET', url: url('/processing-activities') })).json().items).toEqual([expect.objectContaining({ name: entry.name, retentionRule: 'R-DATA-05', recipients: ['НЗОК/РЗОК', 'НЗИС'] })]);
  });
  it('GDPR-12-3: the patient asks for a copy; due in one month on the calendar; extended once within it; completed; audited', async () => {
    const res = await g.as('patientA', { method: 'POST', url: url('/data-subject-requests'), payload: { patientId: A, right: 'access', details: 'Копие на всички мои данни' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ receivedOn: '2026-03-09', dueOn: '2026-04-09', status: 'received', extended: false, overdue: false });
    const id = res.json().id;
    expect((await g.as('patientB', { method: 'POST', url: url('/data-subject-requests'), payload: { patientId: A, right: 'erasure', details: 'Изтрийте' } })).statusCode).toBe(403);
    expect((await g.as('desk1', { method: 'GET', url: url('/data-subject-requests') })).statusCode).toBe(403);
    const ext = await g.as('gp1', { method: 'POST', url: url(`/data-subject-requests/${id}`), payload: { action: 'extend', answer: 'Архивът е на хартия, нужни са ни още два месеца' } });
    expect(ext.json()).toMatchObject({ status: 'extended', extended: true, dueOn: '2026-06-09' });
    const again = await g.as('gp1', { method: 'POST', url: url(`/data-subject-requests/${id}`), payload: { action: 'extend', answer: 'Още малко' } });
    expect(again.json<Problem>().meta?.rule).toBe('GDPR-12-3');
    await g.travel('2026-05-04T08:00:00Z');
    const done = await g.as('gp1', { method: 'POST', url: url(`/data-subject-requests/${id}`), payload: { action: 'complete', answer: 'Изпратихме копие по електронна поща' } });
    expect(done.json()).toMatchObject({ status: 'completed', closedOn: '2026-05-04', overdue: false });
    const mine = await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/data-subject-requests` });
    expect(mine.json().items).toEqual([expect.objectContaining({ id, answer: 'Изпратихме копие по електронна поща' })]);
    const { rows } = await t.deps.database.pool.query<{ data: { action: string } }>(`SELECT data FROM audit_event WHERE action = 'practice.subject_request_handled' ORDER BY seq`);
    expect(rows.map((r) => r.data.action)).toEqual(['extend', 'complete']);
  });
  it('GDPR-12-3: after the first month an extension is refused and the open request shows overdue', async () => {
    const res = await g.as('patientA', { method: 'POST', url: url('/data-subject-requests'), payload: { patientId: A, right: 'rectification', details: 'Грешен адрес' } });
    const id = res.json().id;
    await g.travel('2026-06-08T08:00:00Z');
    const late = await g.as('gp1', { method: 'POST', url: url(`/data-subject-requests/${id}`), payload: { action: 'extend', answer: 'Късно' } });
    expect(late.statusCode).toBe(422);
    expect(late.json<Problem>()).toMatchObject({ code: 'practice.subject_request_extension_late', meta: { rule: 'GDPR-12-3' } });
    expect((await g.as('gp1', { method: 'GET', url: url('/data-subject-requests') })).json().items[0]).toMatchObject({ id, overdue: true, status: 'received' });
  });
});
