import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';
import { signIn, WORLD_PASSWORD } from '../../test/access-world.js';
import { enrolTotpForDemo } from '../../demo/enrol-totp.js';

// Foreigners' mandatory medical insurance (W22-W23, R-INS-*) and who pays for a booking (R-PC-13), through
// the routes, on PGlite and (with DATABASE_URL) on PostgreSQL. The world's cardiology services are
// NHIF-paid and carry no price; its slots start on 2026-12-01 09:00 Sofia.
const clock = fixedClock('2026-11-25T08:00:00Z');
let t: TestApp;
let w: RequestsWorld;
let foreignerId: string;
let foreigner: Record<string, string>;
let eventId: string;

const as = (h: Record<string, string>, req: { method: 'GET' | 'POST'; url: string; payload?: unknown }): Promise<LightMyRequestResponse> =>
  t.app.inject({ method: req.method, url: req.url, headers: h, ...(req.payload === undefined ? {} : { payload: req.payload as Record<string, unknown> }) });

const policy = (extra: Record<string, unknown> = {}) => ({
  stayKind: 'short',
  insurer: 'ЗД „Тестова застраховка“ АД',
  policyNumber: 'MM-2026-000123',
  concludedOn: '2026-09-01',
  startsOn: '2026-09-03',
  endsOn: '2026-11-30',
  sumInsuredCents: 3_067_751,
  sumCurrency: 'EUR',
  premiumCents: 4_500,
  premiumCurrency: 'EUR',
  premiumPayment: 'single',
  ...extra,
});

const booking = (slotId: string, extra: Record<string, unknown> = {}) => ({
  urgency: 'planned',
  mode: 'synchronous',
  facilityId: w.providerId,
  specialtyCode: CARDIOLOGY,
  serviceId: w.syncServiceId,
  slotId,
  phone: '+359 88 123 4567',
  intake: {},
  ...extra,
});

const slot = (i: number) => (w.slots[i] as { id: string }).id;

async function auditRows(patientId: string, action: string) {
  const { rows } = await t.deps.database.pool.query<{ outcome: string; data: Record<string, unknown> | null }>('SELECT outcome, data FROM audit_event WHERE patient_id = $1 AND action = $2 ORDER BY seq', [patientId, action]);
  return rows;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildRequestsWorld(t);
  const ctx = systemCtx('test.foreigner');
  const email = `foreigner.${t.deps.ids.uuid().slice(0, 8)}@test.distansia.bg`;
  const secret = await withTransaction(t.deps.db, async (tx) => {
    foreignerId = await t.deps.patients.createPatient(tx, ctx, { identifierKind: 'passport', identifier: 'GB5551234', givenName: 'Emily', familyName: 'Carter', birthDate: '1990-06-15', sex: 'female' });
    const account = await t.deps.identity.createAccount(tx, ctx, { email, password: WORLD_PASSWORD, role: 'patient', patientId: foreignerId });
    return (await enrolTotpForDemo(t.deps, tx, ctx, account)).secret;
  });
  foreigner = await signIn(t.app, email, secret, Math.floor(clock.now().epochMilliseconds / 1000));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe("a foreigner's policy (W22)", () => {
  it('R-INS-01: a policy is recorded for a foreigner only (an EGN holder is refused)', async () => {
    const res = await w.as('patient', { method: 'POST', url: `/api/v1/patients/${w.patientId}/foreign-insurance`, payload: policy() });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'insurance.not_a_foreigner', meta: { rule: 'R-INS-01' } });
  });

  it('R-INS-02: 59,999.99 BGN is refused with the rule, in Bulgarian on request', async () => {
    const res = await as({ ...foreigner, 'accept-language': 'bg' }, { method: 'POST', url: `/api/v1/patients/${foreignerId}/foreign-insurance`, payload: policy({ sumInsuredCents: 5_999_999, sumCurrency: 'BGN' }) });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'insurance.sum_below_minimum', meta: { rule: 'R-INS-02' } });
  });

  it('R-INS-03, R-INS-04: instalments and a 91-day short-stay term are refused, each named', async () => {
    const res = await as(foreigner, { method: 'POST', url: `/api/v1/patients/${foreignerId}/foreign-insurance`, payload: policy({ premiumPayment: 'instalments', endsOn: '2026-12-02' }) });
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; meta: { rules: string[] } }>();
    expect(body.code).toBe('insurance.premium_not_single');
    expect(body.meta.rules).toEqual(['R-INS-03', 'R-INS-04']);
  });

  it('R-INS-02, R-INS-12..16: a valid policy is recorded; the read shows coverage, the renewal day, the EUR minimum and the exclusions', async () => {
    const res = await as(foreigner, { method: 'POST', url: `/api/v1/patients/${foreignerId}/foreign-insurance`, payload: policy() });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ patientId: foreignerId, termDays: 89, insurer: 'ЗД „Тестова застраховка“ АД', renewsPolicyId: null });
    const read = await w.as('cardiologist', { method: 'GET', url: `/api/v1/patients/${foreignerId}/foreign-insurance?on=2026-11-25` });
    // The cardiologist has no care relationship with this patient: denied by default.
    expect(read.statusCode).toBe(403);
    const own = (await as(foreigner, { method: 'GET', url: `/api/v1/patients/${foreignerId}/foreign-insurance?on=2026-11-25` })).json();
    expect(own).toMatchObject({ coverage: { state: 'covered', date: '2026-11-30' }, renewBy: '2026-11-30', minimumSum: { bgnCents: 6_000_000, eurCents: 3_067_751 }, maxTermDays: { short: 90, transit: 90, long: 365 } });
    expect(own.exclusions.map((e: { rule: string }) => e.rule)).toEqual(expect.arrayContaining(['R-INS-13', 'R-INS-14', 'R-INS-15', 'R-INS-16']));
    expect(own.exclusions).toHaveLength(21);
    // Security: the policy number is stored encrypted, never in clear.
    const { rows } = await t.deps.database.pool.query<{ raw: string }>("SELECT encode(details_enc, 'escape') AS raw FROM foreign_insurance_policy WHERE patient_id = $1", [foreignerId]);
    expect(rows[0]?.raw).not.toContain('MM-2026-000123');
  });

  it('R-INS-01: an expired policy blocks NHIF-paid booking with a clear message; the booking screen says so first', async () => {
    const notice = await as(foreigner, { method: 'GET', url: `/api/v1/patients/${foreignerId}/booking-payment?serviceId=${w.syncServiceId}&slotId=${slot(0)}` });
    expect(notice.statusCode).toBe(200);
    expect(notice.json()).toMatchObject({ on: '2026-12-01', allowed: false, code: 'insurance.foreign_policy_required', rule: 'R-INS-01', coverage: { state: 'expired', date: '2026-11-30' } });
    const res = await as(foreigner, { method: 'POST', url: '/api/v1/requests', payload: booking(slot(0)) });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'insurance.foreign_policy_required', meta: { rule: 'R-INS-01' } });
    expect(res.json().detail).toContain('2026-11-30');
    expect(await auditRows(foreignerId, 'booking.payment_refused')).toMatchObject([{ outcome: 'failure', data: { rule: 'R-INS-01' } }]);
    // Passport holders are not sent to the NRA registry.
    expect(t.deps.insuranceSimulator.calls()).toEqual([]);
  });

  it('R-INS-06: a renewal concluded after the old policy expired, or leaving a gap, is refused; one concluded in time is recorded', async () => {
    const first = (await as(foreigner, { method: 'GET', url: `/api/v1/patients/${foreignerId}/foreign-insurance` })).json().policies[0].id as string;
    const late = await as(foreigner, { method: 'POST', url: `/api/v1/patients/${foreignerId}/foreign-insurance`, payload: policy({ renewsPolicyId: first, concludedOn: '2026-12-01', startsOn: '2026-12-01', endsOn: '2027-02-27' }) });
    expect(late.json()).toMatchObject({ code: 'insurance.renewal_gap', meta: { rule: 'R-INS-06' } });
    const gap = await as(foreigner, { method: 'POST', url: `/api/v1/patients/${foreignerId}/foreign-insurance`, payload: policy({ renewsPolicyId: first, concludedOn: '2026-11-25', startsOn: '2026-12-02', endsOn: '2027-02-27' }) });
    expect(gap.json()).toMatchObject({ code: 'insurance.renewal_gap' });
    const ok = await as(foreigner, { method: 'POST', url: `/api/v1/patients/${foreignerId}/foreign-insurance`, payload: policy({ renewsPolicyId: first, concludedOn: '2026-11-25', startsOn: '2026-12-01', endsOn: '2027-02-27' }) });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ renewsPolicyId: first, termDays: 89 });
  });
});

describe('an insured event and its claim (W23)', () => {


  it('R-INS-11, R-INS-07: with a valid policy the booking goes through, the insurer pays and the 24-hour notice starts', async () => {
    const notice = (await as(foreigner, { method: 'GET', url: `/api/v1/patients/${foreignerId}/booking-payment?serviceId=${w.syncServiceId}&slotId=${slot(0)}` })).json();
    expect(notice).toMatchObject({ allowed: true, payer: 'foreign_insurer', rule: 'R-INS-11', mustAccept: false, coverage: { state: 'covered', date: '2027-02-27' } });
    const res = await as(foreigner, { method: 'POST', url: '/api/v1/requests', payload: booking(slot(0)) });
    expect(res.statusCode).toBe(201);
    const requestId = res.json().request.id as string;
    const second = await as(foreigner, { method: 'POST', url: '/api/v1/requests', payload: booking(slot(1)) });
    expect(second.statusCode).toBe(201);
    const events = (await as(foreigner, { method: 'GET', url: `/api/v1/patients/${foreignerId}/insured-events` })).json().items;
    expect(events).toHaveLength(2);
    const ev = events.find((e: { requestId: string }) => e.requestId === requestId);
    expect(ev).toMatchObject({ occurredAt: '2026-11-25T08:00:00Z', noticeDueAt: '2026-11-26T08:00:00Z', notifiedAt: null, noticeOverdue: false, completeOn: null });
    expect(ev.missing).toEqual(['event_certificate', 'sick_leave_or_hospital_certificates', 'epicrises', 'lkk_telk_protocol']);
    eventId = ev.id;
    expect(await auditRows(foreignerId, 'booking.payment_recorded')).toMatchObject([{ data: { payer: 'foreign_insurer', rule: 'R-INS-11' } }, { data: { payer: 'foreign_insurer' } }]);
  });

  it('R-INS-07: the treating facility records the notice once; another patient may not', async () => {
    expect((await w.as('otherPatient', { method: 'POST', url: `/api/v1/insured-events/${eventId}/notice`, payload: { channel: 'phone' } })).statusCode).toBe(403);
    const res = await w.as('facilityAdmin', { method: 'POST', url: `/api/v1/insured-events/${eventId}/notice`, payload: { channel: 'phone' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ notifiedAt: '2026-11-25T08:00:00Z', noticeChannel: 'phone' });
    expect((await as(foreigner, { method: 'POST', url: `/api/v1/insured-events/${eventId}/notice`, payload: { channel: 'letter' } })).statusCode).toBe(409);
  });

  it('R-INS-10, R-INS-08: the claim file completes with the four documents; the payout is due 15 days after the last', async () => {
    const doc = (code: string, submittedOn: string) => as(foreigner, { method: 'POST', url: `/api/v1/insured-events/${eventId}/documents`, payload: { code, submittedOn } });
    expect((await doc('passport_copy', '2026-11-25')).statusCode).toBe(400);
    await doc('event_certificate', '2026-11-20');
    await doc('epicrises', '2026-11-21');
    const partial = (await doc('lkk_telk_protocol', '2026-11-22')).json();
    expect(partial).toMatchObject({ missing: ['sick_leave_or_hospital_certificates'], completeOn: null, payoutDueOn: null });
    const done = (await doc('sick_leave_or_hospital_certificates', '2026-11-24')).json();
    expect(done).toMatchObject({ missing: [], completeOn: '2026-11-24', payoutDueOn: '2026-12-09' });
    expect((await doc('epicrises', '2026-11-26')).statusCode).toBe(400);
  });

  it('R-INS-09: a payout abroad takes the BNB rate of the transfer day; another day is refused; once only', async () => {
    const pay = (abroad: { currency: string; rate: string; rateOn: string }) => w.as('facilityAdmin', { method: 'POST', url: `/api/v1/insured-events/${eventId}/payout`, payload: { paidOn: '2026-11-25', amountCents: 100_000, currency: 'EUR', to: 'insured', abroad } });
    const stale = await pay({ currency: 'TRY', rate: '0.021234', rateOn: '2026-11-24' });
    expect(stale.statusCode).toBe(422);
    expect(stale.json()).toMatchObject({ code: 'insurance.payout_rate_not_transfer_day', meta: { rule: 'R-INS-09' } });
    const ok = await pay({ currency: 'TRY', rate: '0.021234', rateOn: '2026-11-25' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ claimExpiresOn: '2029-11-25', payout: { paidOn: '2026-11-25', cents: 100_000, currency: 'EUR', to: 'insured', abroad: { currency: 'TRY', rate: '0.021234', cents: 4_709_428 } } });
    expect((await pay({ currency: 'TRY', rate: '0.021234', rateOn: '2026-11-25' })).statusCode).toBe(409);
    expect((await auditRows(foreignerId, 'insurance.claim_paid')).at(-1)).toMatchObject({ data: { paidOn: '2026-11-25', late: false, abroad: true } });
  });

  it('R-INS-18: three years after the event the claim file is time-barred', async () => {
    const other = (await as(foreigner, { method: 'GET', url: `/api/v1/patients/${foreignerId}/insured-events` })).json().items.find((e: { id: string }) => e.id !== eventId);
    await t.deps.database.pool.query(`UPDATE foreign_insurance_event SET occurred_at = '2023-11-24T10:00:00Z' WHERE id = $1`, [other.id]);
    const res = await as(foreigner, { method: 'POST', url: `/api/v1/insured-events/${other.id}/documents`, payload: { code: 'epicrises', submittedOn: '2026-11-25' } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'insurance.claim_time_barred', meta: { rule: 'R-INS-18' } });
  });

});

describe('NHIF-paid booking with interrupted rights (R-PC-13)', () => {
  it('R-PC-13: without a price the facility publishes, the patient cannot be told the cost, so the booking is refused', async () => {
    const sim = t.deps.insuranceSimulator;
    sim.reset();
    sim.setDefault({ code: 2, status: 'interrupted', missingMonths: ['2026-09', '2026-10'] });
    const notice = (await w.as('patient', { method: 'GET', url: `/api/v1/patients/${w.patientId}/booking-payment?serviceId=${w.syncServiceId}&slotId=${slot(2)}` })).json();
    expect(notice).toMatchObject({ allowed: false, code: 'booking.self_pay_price_unknown', insuranceStatus: 'interrupted', missingMonths: ['2026-09', '2026-10'] });
    const res = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: booking(slot(2)) });
    expect(res.json()).toMatchObject({ code: 'booking.self_pay_price_unknown', meta: { rule: 'R-PC-13' } });
    // Both reads asked the registry once (cached per person, date and day).
    expect(sim.calls()).toHaveLength(1);
  });

  it('R-PC-13: with the price of the same care at the facility, the booking needs the accepted price; with it, it goes through', async () => {
    const at = clock.now().toString();
    await t.deps.db.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, nhif_paid, status, created_at, updated_at)
      VALUES (${t.deps.ids.uuid()}, ${w.providerId}, ${CARDIOLOGY}, 'consultation', 'Кардиология (платена)', 'Консултация', 'synchronous', 30, 4500, false, 'published', ${at}, ${at})`);
    const notice = (await w.as('patient', { method: 'GET', url: `/api/v1/patients/${w.patientId}/booking-payment?serviceId=${w.syncServiceId}&slotId=${slot(2)}` })).json();
    expect(notice).toMatchObject({ allowed: true, payer: 'patient', rule: 'R-PC-13', priceEurCents: 4500, mustAccept: true });
    const unaccepted = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: booking(slot(2)) });
    expect(unaccepted.statusCode).toBe(409);
    expect(unaccepted.json()).toMatchObject({ code: 'booking.payment_notice_required', meta: { rule: 'R-PC-13', priceEurCents: 4500 } });
    const wrong = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: booking(slot(2), { acceptedPriceEurCents: 3000 }) });
    expect(wrong.statusCode).toBe(409);
    const ok = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: booking(slot(2), { acceptedPriceEurCents: 4500 }) });
    expect(ok.statusCode).toBe(201);
    expect((await auditRows(w.patientId, 'booking.payment_recorded')).at(-1)).toMatchObject({ data: { payer: 'patient', rule: 'R-PC-13', priceEurCents: 4500, accepted: true } });
  });

  it('R-NHIF-01: an insured patient books NHIF-paid care with no price step', async () => {
    const sim = t.deps.insuranceSimulator;
    sim.reset();
    const notice = (await w.as('otherPatient', { method: 'GET', url: `/api/v1/patients/${w.otherPatientId}/booking-payment?serviceId=${w.syncServiceId}&slotId=${slot(3)}` })).json();
    expect(notice).toMatchObject({ allowed: true, payer: 'nhif', priceEurCents: null, mustAccept: false, insuranceStatus: 'insured' });
    const ok = await w.as('otherPatient', { method: 'POST', url: '/api/v1/requests', payload: booking(slot(3)) });
    expect(ok.statusCode).toBe(201);
  });

  it('R-PC-13: another patient may not ask who pays for this patient (deny by default)', async () => {
    const res = await w.as('otherPatient', { method: 'GET', url: `/api/v1/patients/${w.patientId}/booking-payment?serviceId=${w.syncServiceId}` });
    expect(res.statusCode).toBe(403);
  });
});

// Last: the clock moves a day on (sessions idle out after that).
describe('the insurer notice deadline (R-INS-07)', () => {
  it('R-INS-07: when 24 hours pass without a notice the event is marked overdue by the outbox job; a noticed one is not', async () => {
    clock.set('2026-11-26T08:30:00Z');
    await t.deps.outbox.drain(50);
    const { rows } = await t.deps.database.pool.query<{ id: string; overdue: boolean }>('SELECT id, notice_overdue_at IS NOT NULL AS overdue FROM foreign_insurance_event WHERE patient_id = $1', [foreignerId]);
    expect(rows.find((r) => r.id === eventId)?.overdue).toBe(false);
    expect(rows.filter((r) => r.overdue)).toHaveLength(1);
    expect(await auditRows(foreignerId, 'insurance.notice_overdue')).toMatchObject([{ outcome: 'failure', data: { rule: 'R-INS-07' } }]);
  });
});
