import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { fixedClock } from '../../platform/clock.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';

// R-REF-02 applied: a № 3 used for its primary examination books (or the specialist records) the secondary
// examination with the same provider within 30 calendar days of the primary one, counted in Europe/Sofia
// dates; and the sweep that gives back a reservation whose booking never came to be (W14). Through the real
// routes, on PGlite and (DATABASE_URL) PostgreSQL (docs/referrals.md#secondary-examinations-r-ref-02).

// Before the DST change of 25 October 2026 (03:00 EEST → 02:00 EET).
const START = '2026-10-01T06:00:00Z';
const clock = fixedClock(START);
let t: TestApp;
let w: RequestsWorld;

type Problem = { code: string; title: string; meta?: { rule?: string } };
type ReferralItem = { nrn: string; status: string; followUp?: { facilityId: string; until: string } };

function booking(slotId: string, referralNrn: string) {
  return { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId, phone: '+359 88 123 4567', referralNrn };
}
const book = (slotId: string, nrn: string, lang: 'bg' | 'en' = 'bg') => as('patient', { method: 'POST', url: '/api/v1/requests', payload: booking(slotId, nrn), headers: { 'accept-language': lang } });
// The clock moves by days here: each call signs in at the clock's time (sessions end after 30 idle minutes).
// (Only when it moved: a second sign-in in the same TOTP step would be a replayed code.)
const signedInAt: Record<string, number> = {};
async function as(actor: 'patient' | 'cardiologist' | 'requesterSpecialist', req: Parameters<RequestsWorld['as']>[1]) {
  const now = clock.now().epochMilliseconds;
  if (Math.abs(now - (signedInAt[actor] ?? Date.parse(START))) > 20 * 60_000) {
    await w.signInAgain(actor);
    signedInAt[actor] = now;
  }
  return w.as(actor, req);
}
const slotAt = async (iso: string) => {
  const [s] = await w.addSlots(1, iso);
  if (!s) throw new Error('no slot');
  return s.id;
};

async function referralRow(nrn: string) {
  const r = await t.deps.db.execute<{ id: string; status: string; used_for_request_id: string | null }>(sql`SELECT id, status, used_for_request_id FROM referral WHERE nrn = ${nrn}`);
  const row = r.rows[0];
  if (!row) throw new Error('no referral');
  return row;
}
async function auditsOf(action: string, referralId: string) {
  const r = await t.deps.db.execute<{ outcome: string; data: Record<string, unknown> }>(sql`SELECT outcome, data FROM audit_event WHERE action = ${action} AND subject_id = ${referralId} ORDER BY recorded_at, seq`);
  return r.rows;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildRequestsWorld(t, { slots: 2 });
});
afterAll(async () => t?.close());

describe('R-REF-02: the secondary examination on a № 3', () => {
  it('R-REF-02: day 30 after the primary (local date, across the autumn DST change) books the secondary visit; day 31 is refused in Bulgarian and English, audited', async () => {
    clock.set('2026-10-01T06:00:00Z');
    const nrn = await w.referral();
    // The primary: 00:30 on 10 October in Sofia (EEST), which is still 9 October in UTC.
    const primary = await book(await slotAt('2026-10-09T21:30:00Z'), nrn);
    expect(primary.statusCode, primary.body).toBe(201);
    const primaryId = primary.json<{ request: { id: string } }>().request.id;
    const ref = await referralRow(nrn);
    expect(ref).toMatchObject({ status: 'used', used_for_request_id: primaryId });

    // The patient's list offers it for the follow-up with the primary's provider, to 9 November.
    const list = await as('patient', { method: 'GET', url: `/api/v1/patients/${w.patientId}/referrals` });
    expect(list.json<{ items: ReferralItem[] }>().items.find((r) => r.nrn === nrn)?.followUp).toEqual({ facilityId: w.providerId, until: '2026-11-09' });

    // 23:30 on 9 November in Sofia (EET, UTC+2): day 30. With the primary's +3 offset it would read as 10 November.
    const second = await book(await slotAt('2026-11-09T21:30:00Z'), nrn);
    expect(second.statusCode, second.body).toBe(201);
    const secondId = second.json<{ request: { id: string } }>().request.id;
    const visits = await t.deps.db.execute<{ request_id: string; visit_on: string }>(sql`SELECT request_id, to_char(visit_on, 'YYYY-MM-DD') AS visit_on FROM referral_secondary_visit WHERE referral_id = ${ref.id}`);
    expect(visits.rows).toEqual([{ request_id: secondId, visit_on: '2026-11-09' }]);
    expect((await auditsOf('referral.secondary_booked', ref.id)).map((a) => a.data)).toEqual([{ form: '3', requestId: secondId, primaryOn: '2026-10-10', visitOn: '2026-11-09' }]);
    // The referral stays used by its primary booking.
    expect(await referralRow(nrn)).toMatchObject({ status: 'used', used_for_request_id: primaryId });

    // 00:00 on 10 November in Sofia: day 31, though still 9 November in UTC.
    const lateSlot = await slotAt('2026-11-09T22:00:00Z');
    const late = await book(lateSlot, nrn, 'bg');
    expect(late.statusCode, late.body).toBe(422);
    expect(late.json<Problem>()).toMatchObject({ code: 'referral.secondary_exam_late', meta: { rule: 'R-REF-02' } });
    expect(late.json<Problem>().title).toContain('вторичен преглед');
    const lateEn = await book(lateSlot, nrn, 'en');
    expect(lateEn.json<Problem>().title).toContain('secondary exam');
    const free = await t.deps.db.execute<{ status: string }>(sql`SELECT status FROM slot WHERE id = ${lateSlot}`);
    expect(free.rows[0]?.status).toBe('free');
    const refused = await t.deps.db.execute<{ data: { code: string; rule: string } }>(sql`SELECT data FROM audit_event WHERE action = 'referral.booking_refused' AND outcome = 'failure' ORDER BY recorded_at DESC, seq DESC LIMIT 1`);
    expect(refused.rows[0]?.data).toEqual({ code: 'referral.secondary_exam_late', rule: 'R-REF-02' });

    // Cancelling the secondary visit gives back its own row only; the primary keeps the referral.
    const cancelled = await as('patient', { method: 'POST', url: `/api/v1/requests/${secondId}/transitions`, payload: { action: 'cancel', reason: 'Не мога да присъствам' } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await t.deps.db.execute(sql`SELECT 1 FROM referral_secondary_visit WHERE referral_id = ${ref.id}`)).rows).toHaveLength(0);
    expect(await referralRow(nrn)).toMatchObject({ status: 'used', used_for_request_id: primaryId });
    expect((await auditsOf('referral.released', ref.id)).map((a) => a.data)).toEqual([{ form: '3', requestId: secondId, why: 'request_ended', use: 'secondary' }]);
  });

  it('R-REF-02: a secondary visit comes after the primary one', async () => {
    clock.set('2026-10-01T06:00:00Z');
    const nrn = await w.referral();
    expect((await book(await slotAt('2026-10-20T08:00:00Z'), nrn)).statusCode).toBe(201);
    const before = await book(await slotAt('2026-10-15T08:00:00Z'), nrn);
    expect(before.statusCode, before.body).toBe(422);
    expect(before.json<Problem>()).toMatchObject({ code: 'referral.secondary_before_primary', meta: { rule: 'R-REF-02' } });
  });

  it('R-REF-02, W14: the specialist of the primary provider records the secondary examination on day 30; day 31, or another facility, is refused', async () => {
    clock.set('2026-10-01T06:00:00Z');
    const nrn = await w.referral();
    // The primary examination by the provider's specialist, used by the НРН at 10:00 on 2 October (Sofia).
    clock.set('2026-10-02T07:00:00Z');
    const used = await as('cardiologist', { method: 'POST', url: `/api/v1/referrals/by-nrn/${nrn}/use`, payload: { facilityId: w.providerId } });
    expect(used.statusCode, used.body).toBe(200);
    const ref = await referralRow(nrn);
    // Another facility's specialist: the referral is used (W14).
    const elsewhere = await as('requesterSpecialist', { method: 'POST', url: `/api/v1/referrals/by-nrn/${nrn}/use`, payload: { facilityId: w.requesterFacilityId } });
    expect(elsewhere.statusCode, elsewhere.body).toBe(409);
    expect(elsewhere.json<Problem>().code).toBe('referral.already_used');
    // 23:59 on 1 November (EET) is day 30; the DST change fell in between.
    clock.set('2026-11-01T21:59:00Z');
    const second = await as('cardiologist', { method: 'POST', url: `/api/v1/referrals/by-nrn/${nrn}/use`, payload: { facilityId: w.providerId } });
    expect(second.statusCode, second.body).toBe(200);
    expect((await auditsOf('referral.secondary_used', ref.id)).map((a) => a.data)).toEqual([{ form: '3', primaryOn: '2026-10-02', visitOn: '2026-11-01' }]);
    // 00:01 on 2 November in Sofia is day 31.
    clock.set('2026-11-01T22:01:00Z');
    const late = await as('cardiologist', { method: 'POST', url: `/api/v1/referrals/by-nrn/${nrn}/use`, payload: { facilityId: w.providerId }, headers: { 'accept-language': 'en' } });
    expect(late.statusCode, late.body).toBe(422);
    expect(late.json<Problem>()).toMatchObject({ code: 'referral.secondary_exam_late', meta: { rule: 'R-REF-02' } });
    expect((await auditsOf('referral.booking_refused', ref.id)).map((a) => a.data)).toContainEqual({ code: 'referral.secondary_exam_late', rule: 'R-REF-02' });
  });
});

describe('W14: the sweep of reservations whose booking never came to be', () => {
  const patientCtx = (): RequestCtx => ({ actor: { type: 'user', id: w.accounts.patient, role: 'patient', sessionId: 'sweep-test', facilityIds: [], patientId: w.patientId }, requestId: 'sweep-test', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' });

  it('W14: a referral reserved for a booking that never happened is given back after the grace period, audited once; a booked one stays used', async () => {
    clock.set('2026-10-01T06:00:00Z');
    const orphanNrn = await w.referral();
    const bookedNrn = await w.referral();
    const slot = await slotAt('2026-10-12T08:00:00Z');
    // The process reserves the referral and dies before the booking statement: no request with this id ever exists.
    const lostRequest = randomUUID();
    await t.deps.referrals.reserveForBooking(patientCtx(), { nrn: orphanNrn, patientId: w.patientId, serviceId: w.syncServiceId, slotId: slot, payer: 'nhif', requestId: lostRequest });
    expect(await referralRow(orphanNrn)).toMatchObject({ status: 'used', used_for_request_id: lostRequest });
    const ok = await book(slot, bookedNrn);
    expect(ok.statusCode, ok.body).toBe(201);

    // Within the grace period nothing is touched (a booking may still be on its way).
    clock.advance({ minutes: 14 });
    expect(await t.deps.referrals.sweepOrphanedReservations()).toEqual({ released: 0 });
    expect((await referralRow(orphanNrn)).status).toBe('used');

    clock.advance({ minutes: 2 });
    expect(await t.deps.referrals.sweepOrphanedReservations()).toEqual({ released: 1 });
    const orphan = await referralRow(orphanNrn);
    expect(orphan).toMatchObject({ status: 'issued', used_for_request_id: null });
    expect((await referralRow(bookedNrn)).status).toBe('used');
    const released = await t.deps.db.execute<{ actor_type: string; data: Record<string, unknown> }>(sql`SELECT actor_type, data FROM audit_event WHERE action = 'referral.released' AND subject_id = ${orphan.id}`);
    expect(released.rows).toEqual([{ actor_type: 'system', data: { form: '3', requestId: lostRequest, why: 'booking_orphaned', use: 'primary' } }]);

    // Idempotent: a second run (or another process) finds nothing; the referral books again.
    expect(await t.deps.referrals.sweepOrphanedReservations()).toEqual({ released: 0 });
    expect((await book(await slotAt('2026-10-13T08:00:00Z'), orphanNrn)).statusCode).toBe(201);
  });

  it('R-REF-02, W14: a secondary visit written for a booking that never happened is swept too; the referral stays with its primary', async () => {
    clock.set('2026-10-01T06:00:00Z');
    const nrn = await w.referral();
    const primary = await book(await slotAt('2026-10-14T08:00:00Z'), nrn);
    expect(primary.statusCode, primary.body).toBe(201);
    const ref = await referralRow(nrn);
    const lostRequest = randomUUID();
    await t.deps.referrals.reserveForBooking(patientCtx(), { nrn, patientId: w.patientId, serviceId: w.syncServiceId, slotId: await slotAt('2026-10-21T08:00:00Z'), payer: 'nhif', requestId: lostRequest });
    expect((await t.deps.db.execute(sql`SELECT 1 FROM referral_secondary_visit WHERE request_id = ${lostRequest}::uuid`)).rows).toHaveLength(1);
    clock.advance({ minutes: 16 });
    expect(await t.deps.referrals.sweepOrphanedReservations()).toEqual({ released: 1 });
    expect((await t.deps.db.execute(sql`SELECT 1 FROM referral_secondary_visit WHERE request_id = ${lostRequest}::uuid`)).rows).toHaveLength(0);
    expect((await referralRow(nrn)).status).toBe('used');
    expect((await auditsOf('referral.released', ref.id)).map((a) => a.data)).toEqual([{ form: '3', requestId: lostRequest, why: 'booking_orphaned', use: 'secondary' }]);
  });
});
