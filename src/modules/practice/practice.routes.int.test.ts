import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildGpWorld, type GpWorld } from '../../test/gp-world.js';

// The practice's day through the HTTP API, on PGlite and (DATABASE_URL) PostgreSQL. The tests run in order:
// a practice prices its services in BGN in December 2025 and in EUR from 1 January 2026, sees patients,
// takes fees, keeps its phone register and queue, and reports January 2026 to the NHIF.
const clock = fixedClock('2025-12-10T08:00:00Z');
let t: TestApp;
let g: GpWorld;
let A: string;
let B: string;
const enc: Record<string, string> = {};

type Problem = { code: string; meta?: { rule?: string; price?: { amount: string; currency: string } } };
const url = (path: string) => `/api/v1/practices/${g.practice1}${path}`;

async function audit(action: string) {
  const { rows } = await t.deps.database.pool.query<{ outcome: string; data: Record<string, unknown> | null }>(`SELECT outcome, data FROM audit_event WHERE action = $1 ORDER BY seq`, [action]);
  return rows;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  g = await buildGpWorld(t, clock);
  A = g.w.patientA.id;
  B = g.w.patientB.id;
  const reg = await g.as('patientA', { method: 'POST', url: '/api/v1/gp-registrations', payload: { kind: 'initial', patientId: A, practitionerId: g.gp1, facilityId: g.practice1 } });
  expect(reg.statusCode, reg.body).toBe(201);
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('price lists (E24, DECISIONS 17)', () => {
  it('DECISIONS-17: the GP adds a BGN list for December 2025 and an EUR list from 1 January; the desk may not', async () => {
    const items = [{ code: 'exam.primary', name: 'Преглед на неосигурен или нерегистриран пациент', amount: '30.00' }, { code: 'visit.home', name: 'Домашно посещение по желание', amount: '60.00' }, { code: 'holter.ecg', name: '24-часово ЕКГ мониториране', amount: '40.00' }];
    expect((await g.as('desk1', { method: 'POST', url: url('/price-list'), payload: { effectiveFrom: '2025-12-10', items } })).statusCode).toBe(403);
    const dec = await g.as('gp1', { method: 'POST', url: url('/price-list'), payload: { effectiveFrom: '2025-12-10', items } });
    expect(dec.statusCode, dec.body).toBe(201);
    const jan = await g.as('gp1', { method: 'POST', url: url('/price-list'), payload: { effectiveFrom: '2026-01-01', items: [{ code: 'exam.primary', name: 'Преглед', amount: '17.00' }, { code: 'visit.home', name: 'Домашно посещение по желание', amount: '35.00' }] } });
    expect(jan.statusCode, jan.body).toBe(201);
    expect(jan.json().versions.map((v: { currency: string; effectiveTo: string | null }) => [v.currency, v.effectiveTo])).toEqual([['EUR', null], ['BGN', '2025-12-31']]);
  });
  it('DECISIONS-17: a version cannot start in the past', async () => {
    const res = await g.as('gp1', { method: 'POST', url: url('/price-list'), payload: { effectiveFrom: '2025-12-09', items: [{ code: 'x', name: 'x', amount: '1.00' }] } });
    expect(res.statusCode).toBe(422);
    expect(res.json<Problem>()).toMatchObject({ code: 'practice.price_list_past', meta: { rule: 'DECISIONS-17' } });
  });
  it('R-121: anyone reads the list in force, BGN shown with EUR, the user fee and its exemptions', async () => {
    const res = await g.as('anonymous', { method: 'GET', url: url('/price-list') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.current.effectiveFrom).toBe('2025-12-10');
    expect(body.current.items.find((i: { code: string }) => i.code === 'holter.ecg').price).toEqual({ amount: '40.00', currency: 'BGN', eur: '20.45' });
    expect(body.userFee).toEqual({ amount: '2.90', currency: 'BGN', eur: '1.48' });
    expect(body.exemptions.map((e: { code: string }) => e.code)).toContain('minor');
  });
});

describe('visits, fees and payments (R-PC-12..14, R-72..74)', () => {
  it('R-PC-12: a listed, insured adult pays the user fee of the day: 2.90 BGN on 31 December 2025', async () => {
    await g.travel('2025-12-31T09:00:00Z');
    const res = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ nhifPaid: true, ageGroup: '18-65', fee: { basis: 'user_fee', rule: 'R-PC-12', due: { amount: '2.90', currency: 'BGN', eur: '1.48' } } });
    enc.dec31 = res.json().encounterId;
    const wrong = await g.as('desk1', { method: 'POST', url: `/api/v1/encounters/${enc.dec31}/payments`, payload: { purpose: 'user_fee', amount: '1.48', method: 'cash' } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json<Problem>().meta?.rule).toBe('R-73');
    const paid = await g.as('desk1', { method: 'POST', url: `/api/v1/encounters/${enc.dec31}/payments`, payload: { purpose: 'user_fee', amount: '2.90', method: 'cash' } });
    expect(paid.statusCode, paid.body).toBe(201);
    expect(paid.json()).toMatchObject({ receiptNumber: 1, price: { amount: '2.90', currency: 'BGN', eur: '1.48' } });
    const twice = await g.as('desk1', { method: 'POST', url: `/api/v1/encounters/${enc.dec31}/payments`, payload: { purpose: 'user_fee', amount: '2.90', method: 'cash' } });
    expect(twice.statusCode).toBe(422);
  });
  it('DECISIONS-17: from 1 January the fee is 1.48 EUR; the 2025 receipt keeps its 2.90 BGN', async () => {
    await g.travel('2026-01-12T08:00:00Z');
    const res = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().fee).toMatchObject({ basis: 'user_fee', due: { amount: '1.48', currency: 'EUR' } });
    enc.jan12 = res.json().encounterId;
    expect((await g.as('desk1', { method: 'POST', url: `/api/v1/encounters/${enc.jan12}/payments`, payload: { purpose: 'user_fee', amount: '1.48', method: 'card_terminal', providerReference: 'POS 000184' } })).statusCode).toBe(201);
    const mine = await g.as('patientA', { method: 'GET', url: `/api/v1/patients/${A}/payments` });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((p: { price: unknown }) => p.price)).toEqual([{ amount: '1.48', currency: 'EUR', eur: '1.48' }, { amount: '2.90', currency: 'BGN', eur: '1.48' }]);
    expect(mine.json().totalEur).toBe('2.96');
    expect((await g.as('patientB', { method: 'GET', url: `/api/v1/patients/${A}/payments` })).statusCode).toBe(403);
  });
  it('R-PC-13: an unlisted patient pays the price list and must be told the price before the visit', async () => {
    const untold = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: B, kind: 'in_person' } });
    expect(untold.statusCode).toBe(409);
    expect(untold.json<Problem>()).toMatchObject({ code: 'practice.price_not_told', meta: { rule: 'R-PC-13', price: { amount: '17.00', currency: 'EUR' } } });
    expect(await audit('encounter.recorded')).toHaveLength(2);
    const told = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: B, kind: 'in_person', priceTold: true } });
    expect(told.statusCode, told.body).toBe(201);
    expect(told.json()).toMatchObject({ nhifPaid: false, fee: { basis: 'price_list', rule: 'R-PC-13', itemCode: 'exam.primary', due: { amount: '17.00', currency: 'EUR' } } });
    enc.janB = told.json().encounterId;
    const noSlip = await g.as('desk1', { method: 'POST', url: `/api/v1/encounters/${enc.janB}/payments`, payload: { purpose: 'price_list', amount: '17.00', method: 'card_terminal' } });
    expect(noSlip.statusCode).toBe(400);
    const paid = await g.as('desk1', { method: 'POST', url: `/api/v1/encounters/${enc.janB}/payments`, payload: { purpose: 'price_list', amount: '17.00', method: 'bank_transfer', providerReference: 'BG-TRX-55' } });
    expect(paid.statusCode, paid.body).toBe(201);
  });
  it('R-PC-14: the lab fee once per lab per day; another lab again. R-74: never above the maximum', async () => {
    const pay = (lab: string, amount = '1.00') => g.as('desk1', { method: 'POST', url: `/api/v1/encounters/${enc.jan12}/payments`, payload: { purpose: 'lab_fee', amount, method: 'cash', lab } });
    expect((await pay('СМДЛ Цибалаб')).statusCode).toBe(201);
    const again = await pay('СМДЛ Цибалаб');
    expect(again.statusCode).toBe(409);
    expect(again.json<Problem>()).toMatchObject({ code: 'practice.lab_fee_once', meta: { rule: 'R-PC-14' } });
    expect((await pay('МДЛ Рамус')).statusCode).toBe(201);
    const over = await pay('МДЛ Рамус-2', '1.03');
    expect(over.json<Problem>()).toMatchObject({ code: 'practice.lab_fee_over_max', meta: { rule: 'R-74' } });
  });
  it('R-PC-13: interrupted rights (the registry says so) pay the price list', async () => {
    await g.travel('2026-01-15T08:00:00Z');
    t.deps.insuranceSimulator.setAnswer(g.w.patientA.demographics.identifier, { code: 2, status: 'interrupted', missingMonths: ['2025-10', '2025-11', '2025-12'] });
    const res = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person' } });
    expect(res.statusCode).toBe(409);
    expect(res.json<Problem>().meta?.rule).toBe('R-PC-13');
    t.deps.insuranceSimulator.reset();
  });
  it('R-72: a documented exemption category pays nothing; an unknown one is refused', async () => {
    await g.travel('2026-01-19T08:00:00Z');
    const bad = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person', exemptionCode: 'friend' } });
    expect(bad.json<Problem>()).toMatchObject({ code: 'practice.exemption_unknown', meta: { rule: 'R-72' } });
    const res = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person', purpose: 'prophylaxis', exemptionCode: 'listed_disease' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ purpose: 'prophylaxis', fee: { basis: 'exempt', exemptionCode: 'listed_disease', rule: 'R-72' } });
    enc.jan19 = res.json().encounterId;
    expect((await g.as('desk1', { method: 'POST', url: `/api/v1/encounters/${enc.jan19}/payments`, payload: { purpose: 'user_fee', amount: '1.48', method: 'cash' } })).statusCode).toBe(422);
  });
  it('a GP of another practice and the front desk of this one may not record this practice’s visits here', async () => {
    expect((await g.as('gp2', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person' } })).statusCode).toBe(403);
    expect((await g.as('desk1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person' } })).statusCode).toBe(403);
    expect((await g.as('gp2', { method: 'GET', url: url('/visits?date=2026-01-12') })).statusCode).toBe(403);
  });
});

describe('phone register (W17)', () => {
  it('R-PC-07: a medical call is the GP’s phone encounter, with no user fee; an administrative call is registered by the desk', async () => {
    await g.travel('2026-01-20T07:30:00Z');
    const med = await g.as('gp1', { method: 'POST', url: url('/phone-consultations'), payload: { kind: 'medical', caller: 'patient', patientId: A, basis: 'test_results', outcome: 'advice', topic: 'Резултати от ПКК' } });
    expect(med.statusCode, med.body).toBe(201);
    expect(med.json().encounterId).toBeTruthy();
    enc.phone = med.json().encounterId;
    const adm = await g.as('desk1', { method: 'POST', url: url('/phone-consultations'), payload: { kind: 'administrative', caller: 'relative', outcome: 'information', topic: 'Работно време' } });
    expect(adm.statusCode, adm.body).toBe(201);
    expect(adm.json().encounterId).toBeNull();
    const day = await g.as('desk1', { method: 'GET', url: url('/phone-consultations?date=2026-01-20') });
    expect(day.json().items.map((i: { topic: string }) => i.topic)).toEqual(['Резултати от ПКК', 'Работно време']);
    const raw = await t.deps.database.pool.query<{ topic_enc: Buffer }>('SELECT topic_enc FROM practice_phone_consultation');
    expect(raw.rows.every((r) => !r.topic_enc.toString('utf8').includes('Работно'))).toBe(true);
  });
  it('R-PC-08: a refusal gives the reason and books an ambulatory consultation', async () => {
    const res = await g.as('gp1', { method: 'POST', url: url('/phone-consultations'), payload: { kind: 'medical', caller: 'patient', patientId: A, outcome: 'refused', refusalReason: 'problem_unclear', topic: 'Болки в гърдите' } });
    expect(res.statusCode).toBe(422);
    expect(res.json<Problem>().meta?.rule).toBe('R-PC-08');
  });
});

describe('walk-in queue (W19)', () => {
  it('R-PC-02 / R-PC-01: the urgent patient is called first; each entry carries its 48 h target; the GP’s visit closes it', async () => {
    const a = await g.as('desk1', { method: 'POST', url: url('/queue'), payload: { patientId: A } });
    await g.travel('2026-01-20T08:05:00Z');
    const b = await g.as('desk1', { method: 'POST', url: url('/queue'), payload: { patientId: B, priority: 'urgent' } });
    expect(b.statusCode, b.body).toBe(201);
    const q = await g.as('desk1', { method: 'GET', url: url('/queue') });
    expect(q.json().items.map((e: { id: string }) => e.id)).toEqual([b.json().id, a.json().id]);
    expect(q.json().items[1]).toMatchObject({ dueBy: '2026-01-22T07:30:00Z', overdue: false });
    const seen = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person', queueEntryId: a.json().id } });
    expect(seen.statusCode, seen.body).toBe(201);
    enc.jan20 = seen.json().encounterId;
    expect((await g.as('desk1', { method: 'GET', url: url('/queue') })).json().items.map((e: { id: string }) => e.id)).toEqual([b.json().id]);
    await g.travel('2026-01-22T08:05:01Z');
    expect((await g.as('desk1', { method: 'GET', url: url('/queue') })).json().items[0].overdue).toBe(true);
  });
});

describe('monthly NHIF report (R-127, R-NHIF-02)', () => {
  // Hand count for January 2026 (practice 1): NHIF-paid visits: A on 12, 19 (prophylaxis, exempt
  // listed_disease) and 20 January in person, A's phone advice on 20 January → 4; B on 12 January paid by
  // himself (price list) → not NHIF-paid. Fees: user fee due 2 (12 and 20 Jan); collected user fee 1.48
  // EUR (one receipt), price list 17.00 EUR, lab fees 2 × 1.00 EUR → 20.48 EUR. The 2.90 BGN of 31
  // December belongs to December.
  it('R-127: the January figures match the hand count, each tied to its records; due by the 5th working day', async () => {
    const res = await g.as('gp1', { method: 'GET', url: url('/reports/nhif-monthly?month=2026-01') });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.visits).toEqual({ count: 4, records: [enc.jan12, enc.jan19, enc.jan20, enc.phone].sort() });
    expect(r.byKindAndAge.find((f: { kind: string; ageGroup: string }) => f.kind === 'in_person' && f.ageGroup === '18-65').count).toBe(3);
    expect(r.byKindAndAge.find((f: { kind: string; ageGroup: string }) => f.kind === 'phone' && f.ageGroup === '18-65').records).toEqual([enc.phone]);
    expect(r.prophylaxis.records).toEqual([enc.jan19]);
    expect(r.userFeeDue.count).toBe(2);
    expect(r.exempted).toEqual([{ code: 'listed_disease', count: 1, records: [enc.jan19] }]);
    expect(r.paidByPatient.records).toEqual([enc.janB]);
    expect(r.collected.map((c: { purpose: string; amount: string; count: number }) => [c.purpose, c.amount, c.count])).toEqual([['lab_fee', '2.00', 2], ['price_list', '17.00', 1], ['user_fee', '1.48', 1]]);
    expect(r.collectedEur).toBe('20.48');
    expect(r.phoneRegister).toEqual({ medical: 1, administrative: 1 });
    expect(r.dueBy).toBe('2026-02-06');
    const dec = (await g.as('gp1', { method: 'GET', url: url('/reports/nhif-monthly?month=2025-12') })).json();
    expect(dec.collected).toEqual([expect.objectContaining({ purpose: 'user_fee', currency: 'BGN', amount: '2.90', eur: '1.48' })]);
  });
  it('R-127: the XML is reproducible for a past month after later activity; the PDF is a PDF', async () => {
    const xml1 = await g.as('gp1', { method: 'GET', url: url('/reports/nhif-monthly?month=2026-01&format=xml') });
    expect(xml1.headers['content-type']).toContain('application/xml');
    expect(xml1.body).toContain('<Visits total="4">');
    await g.travel('2026-02-03T08:00:00Z');
    expect((await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'in_person' } })).statusCode).toBe(201);
    const xml2 = await g.as('gp1', { method: 'GET', url: url('/reports/nhif-monthly?month=2026-01&format=xml') });
    expect(xml2.body).toBe(xml1.body);
    const pdf = await g.as('gp1', { method: 'GET', url: url('/reports/nhif-monthly?month=2026-01&format=pdf') });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await g.as('desk1', { method: 'GET', url: url('/reports/nhif-monthly?month=2026-01') })).statusCode).toBe(403);
    expect((await audit('practice.report_generated')).length).toBeGreaterThanOrEqual(4);
  });
});

describe('complaints, data breaches, out of hours (W24, W25, W21)', () => {
  it('R-CMP-01..03: a patient writes from the portal; the GP reviews and replies; the supervisor reads the journal; the desk may not', async () => {
    const res = await g.as('patientA', { method: 'POST', url: url('/complaints'), payload: { patientId: A, submitterName: 'Радослава Зографова', contact: 'radoslava@example.bg', topic: 'Чакане', text: 'Чаках два часа.' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ channel: 'portal', receivedOn: '2026-02-03', needsReply: true, reviewBy: '2026-03-31', replyBy: null });
    const anon = await g.as('patientA', { method: 'POST', url: url('/complaints'), payload: { patientId: A, topic: 'Анонимно', text: 'Без подпис.' } });
    expect(anon.json().needsReply).toBe(false);
    expect((await g.as('patientB', { method: 'POST', url: url('/complaints'), payload: { patientId: A, topic: 'x', text: 'y' } })).statusCode).toBe(403);
    const ans = await g.as('gp1', { method: 'POST', url: url(`/complaints/${res.json().id}/answer`), payload: { reviewedOn: '2026-02-03', reply: 'Извиняваме се.' } });
    expect(ans.json()).toMatchObject({ reviewedOn: '2026-02-03', replyBy: '2026-02-13', repliedOn: '2026-02-03', reply: 'Извиняваме се.' });
    const noReply = await g.as('gp1', { method: 'POST', url: url(`/complaints/${anon.json().id}/answer`), payload: { reviewedOn: '2026-02-03', reply: 'x' } });
    expect(noReply.json<Problem>().meta?.rule).toBe('R-CMP-02');
    expect((await g.as('supervisor', { method: 'GET', url: url('/complaints') })).json().items).toHaveLength(2);
    expect((await g.as('desk1', { method: 'GET', url: url('/complaints') })).statusCode).toBe(403);
  });
  it('R-DATA-02: a breach must be notified within 72 h; a late notice stays marked late', async () => {
    const res = await g.as('gp1', { method: 'POST', url: url('/data-breaches'), payload: { detectedAt: '2026-01-30T08:00:00Z', description: 'Изгубена флашка' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ notifyBy: '2026-02-02T08:00:00Z', late: true });
    expect((await g.as('gp1', { method: 'POST', url: url(`/data-breaches/${res.json().id}/notified`), payload: { channel: 'both' } })).statusCode).toBe(204);
    expect((await g.as('gp1', { method: 'GET', url: url('/data-breaches') })).json().items[0]).toMatchObject({ channel: 'both', late: true });
  });
  it('R-OOH-03 / R-OOH-01: arrangement 1.4 needs a 24-hour phone; a 1.3 partner within 40 km; published to everyone', async () => {
    const bad = await g.as('gp1', { method: 'POST', url: url('/out-of-hours'), payload: { arrangement: 'individual_24h_phone', validFrom: '2026-02-01' } });
    expect(bad.json<Problem>().meta?.rule).toBe('R-OOH-03');
    const far = await g.as('gp1', { method: 'POST', url: url('/out-of-hours'), payload: { arrangement: 'contract_nearest', partnerName: 'МБАЛ Света Анна', partnerDistanceKm: 41, validFrom: '2026-02-01' } });
    expect(far.json<Problem>().meta?.rule).toBe('R-OOH-01');
    const ok = await g.as('gp1', { method: 'POST', url: url('/out-of-hours'), payload: { arrangement: 'individual_24h_phone', phone: '+359888175066', validFrom: '2026-02-01' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await g.as('anonymous', { method: 'GET', url: url('/out-of-hours') })).json()).toMatchObject({ arrangement: 'individual_24h_phone', phone: '+359888175066' });
  });
});

describe('home visits and the prophylaxis plan (W18, W20)', () => {
  it('R-PC-16: the desk records the request; the GP decides covered (user fee) or, misled, paid (price list)', async () => {
    const req = await g.as('desk1', { method: 'POST', url: url('/home-visits'), payload: { patientId: A, channel: 'phone', address: 'ж.к. Младост 2, бл. 211', symptoms: 'Висока температура, не може да стане', companion: 'съпруг' } });
    expect(req.statusCode, req.body).toBe(201);
    const id = req.json().id;
    const early = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'home_visit', homeVisitId: id } });
    expect(early.json<Problem>().meta?.rule).toBe('R-PC-16');
    expect((await g.as('desk1', { method: 'POST', url: url(`/home-visits/${id}/decision`), payload: { careImpossibleInClinic: true } })).statusCode).toBe(403);
    const covered = await g.as('gp1', { method: 'POST', url: url(`/home-visits/${id}/decision`), payload: { careImpossibleInClinic: true } });
    expect(covered.json()).toMatchObject({ category: 'covered', reclassified: false, symptoms: 'Висока температура, не може да стане' });
    const misled = await g.as('gp1', { method: 'POST', url: url(`/home-visits/${id}/decision`), payload: { careImpossibleInClinic: true, misled: true } });
    expect(misled.json()).toMatchObject({ category: 'paid', reclassified: true });
    const untold = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'home_visit', homeVisitId: id } });
    expect(untold.json<Problem>()).toMatchObject({ code: 'practice.price_not_told', meta: { price: { amount: '35.00' } } });
    const visit = await g.as('gp1', { method: 'POST', url: url('/visits'), payload: { patientId: A, kind: 'home_visit', homeVisitId: id, priceTold: true } });
    expect(visit.statusCode, visit.body).toBe(201);
    expect(visit.json()).toMatchObject({ kind: 'home_visit', nhifPaid: false, fee: { basis: 'price_list', rule: 'R-PC-16', itemCode: 'visit.home' } });
    expect((await g.as('desk1', { method: 'GET', url: url('/home-visits') })).json().items).toEqual([]);
  });
  it('R-PRO-01: an adult examined in January is not due again that year; due in the next', async () => {
    expect((await g.as('gp1', { method: 'GET', url: url('/prophylaxis/due?month=2026-03') })).json().items).toEqual([]);
    const next = await g.as('gp1', { method: 'GET', url: url('/prophylaxis/due?month=2027-01') });
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().items).toEqual([expect.objectContaining({ patientId: A, lastExamOn: '2026-01-19', everyMonths: 12 })]);
    expect((await g.as('desk1', { method: 'GET', url: url('/prophylaxis/due?month=2027-01') })).statusCode).toBe(403);
  });
});
