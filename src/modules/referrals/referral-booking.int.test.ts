import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';

// Booking NHIF-paid specialist care with a referral (W14; docs/referrals.md#booking-with-a-referral), through
// the real booking route on PGlite and (DATABASE_URL) PostgreSQL. The world's cardiology is NHIF-paid and
// its patients insured (the NRA simulator's default), so the NHIF pays and a referral is needed.

const clock = fixedClock('2026-11-25T08:00:00Z');
let t: TestApp;
let w: RequestsWorld;
let next = 0;
const slot = () => {
  const s = w.slots[next++];
  if (!s) throw new Error('out of slots');
  return s;
};

type Problem = { code: string; title: string; meta?: { rule?: string } };

function booking(slotId: string, referralNrn: string | undefined, extra: Record<string, unknown> = {}) {
  return { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId, phone: '+359 88 123 4567', referralNrn, ...extra };
}

const book = (slotId: string, referralNrn: string | undefined, actor: 'patient' | 'parent' = 'patient', extra: Record<string, unknown> = {}) =>
  w.as(actor, { method: 'POST', url: '/api/v1/requests', payload: booking(slotId, referralNrn, extra) });

async function statusOf(nrn: string): Promise<{ status: string; used_for_request_id: string | null }> {
  const r = await t.deps.db.execute<{ status: string; used_for_request_id: string | null }>(sql`SELECT status, used_for_request_id FROM referral WHERE nrn = ${nrn}`);
  return r.rows[0] ?? { status: 'missing', used_for_request_id: null };
}

async function expectRefused(res: { statusCode: number; json: () => unknown; body: string }, status: number, code: string, rule: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json()).toMatchObject({ code, meta: { rule } });
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildRequestsWorld(t, { slots: 30 });
});
afterAll(async () => t?.close());

describe('booking NHIF-paid specialist care with a referral', () => {
  it('W14, R-NHIF-01: without a referral the NHIF-paid booking is refused, in Bulgarian and English, and the slot stays free', async () => {
    const s = slot();
    const bg = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: booking(s.id, undefined), headers: { 'accept-language': 'bg' } });
    await expectRefused(bg, 422, 'booking.referral_required', 'W14');
    expect(bg.json<Problem>().title).toContain('направление');
    const en = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: booking(s.id, undefined), headers: { 'accept-language': 'en' } });
    expect(en.json<Problem>().title).toContain('referral');
    const free = await t.deps.db.execute<{ status: string }>(sql`SELECT status FROM slot WHERE id = ${s.id}`);
    expect(free.rows[0]?.status).toBe('free');
    const audited = await t.deps.db.execute<{ outcome: string; data: { code: string; rule: string } }>(sql`SELECT outcome, data FROM audit_event WHERE action = 'referral.booking_refused' ORDER BY seq`);
    expect(audited.rows.at(-1)).toMatchObject({ outcome: 'failure', data: { code: 'booking.referral_required', rule: 'W14' } });
  });

  it('W14: the booking uses the patient’s referral once; the patient sees it used; a second booking with it is refused', async () => {
    // A № 3А: a used № 3 still books its secondary examination with the same provider (R-REF-02,
    // referral-secondary.int.test.ts); no other form does.
    const nrn = await w.referral(w.patientId, { form: '3A' });
    const first = await book(slot().id, nrn);
    expect(first.statusCode, first.body).toBe(201);
    const requestId = first.json<{ request: { id: string } }>().request.id;
    expect(await statusOf(nrn)).toEqual({ status: 'used', used_for_request_id: requestId });
    const mine = await w.as('patient', { method: 'GET', url: `/api/v1/patients/${w.patientId}/referrals` });
    expect(mine.json<{ items: { nrn: string; status: string }[] }>().items.find((r) => r.nrn === nrn)?.status).toBe('used');
    await expectRefused(await book(slot().id, nrn), 409, 'referral.already_used', 'W14');
    const booked = await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'referral.booked' AND data->>'requestId' = ${requestId}`);
    expect(booked.rows[0]?.n).toBe(1);
  });

  it('W14: a representative books for the child with the child’s referral; the НРН is read case-insensitively', async () => {
    const nrn = await w.referral(w.childId);
    const res = await book(slot().id, nrn.toLowerCase(), 'parent', { patientId: w.childId });
    expect(res.statusCode, res.body).toBe(201);
    expect((await statusOf(nrn)).status).toBe('used');
  });

  it('W14: another patient’s НРН answers as no referral of this patient, and stays unused', async () => {
    const theirs = await w.referral(w.otherPatientId);
    await expectRefused(await book(slot().id, theirs), 422, 'booking.referral_not_found', 'W14');
    await expectRefused(await book(slot().id, '26ZZZZZZZZZZ'), 422, 'booking.referral_not_found', 'W14');
    expect((await statusOf(theirs)).status).toBe('issued');
  });

  it('W14: a referral to another specialty, or a № 4 (tests), does not book a cardiologist', async () => {
    await expectRefused(await book(slot().id, await w.referral(w.patientId, { specialtyCode: '1040' })), 422, 'booking.referral_wrong_specialty', 'W14');
    await expectRefused(await book(slot().id, await w.referral(w.patientId, { form: '4' })), 422, 'booking.referral_wrong_form', 'R-REF-03');
  });

  it('W14: a referral not yet acknowledged by the NHIS, or cancelled, is refused', async () => {
    const pending = await w.referral(w.patientId, { status: 'pending' });
    // A pending referral has no НРН yet: the patient cannot name it.
    expect(pending).toMatch(/^26/);
    await expectRefused(await book(slot().id, pending), 422, 'booking.referral_not_found', 'W14');
    await expectRefused(await book(slot().id, await w.referral(w.patientId, { status: 'cancelled' })), 409, 'referral.cancelled', 'W14');
  });

  it('R-REF-01: a № 3 books a visit on its last day, not a visit the day after', async () => {
    // The world's slots are on 2026-12-01 (Europe/Sofia) and later.
    const s = slot();
    const day = new Date(s.start).toLocaleDateString('en-CA', { timeZone: 'Europe/Sofia' });
    const before = new Date(Date.parse(`${day}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await expectRefused(await book(s.id, await w.referral(w.patientId, { validUntil: before })), 422, 'referral.expired', 'R-REF-01');
    const res = await book(s.id, await w.referral(w.patientId, { validUntil: day }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('R-REF-04: a № 3А counts its 30 days to the booking, so a visit after its last day is booked while it is valid', async () => {
    const today = clock.now().toZonedDateTimeISO('Europe/Sofia').toPlainDate().toString();
    const res = await book(slot().id, await w.referral(w.patientId, { form: '3A', validUntil: today }));
    expect(res.statusCode, res.body).toBe(201);
    const yesterday = clock.now().toZonedDateTimeISO('Europe/Sofia').toPlainDate().subtract({ days: 1 }).toString();
    await expectRefused(await book(slot().id, await w.referral(w.patientId, { form: '3A', validUntil: yesterday })), 422, 'referral.expired', 'R-REF-04');
  });

  it('R-REF-09: a № 6 (TELK consultation) books the specialist without a time limit', async () => {
    const res = await book(slot().id, await w.referral(w.patientId, { form: '6', validUntil: null }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('W14: a booking that fails (the time is taken) gives the referral back; a cancelled request gives its referral back', async () => {
    const s = slot();
    const first = await w.referral();
    const won = await book(s.id, first);
    expect(won.statusCode, won.body).toBe(201);
    const second = await w.referral();
    const lost = await book(s.id, second);
    expect(lost.statusCode).toBe(409);
    expect(lost.json<Problem>().code).toBe('appointment.slot_taken');
    expect(await statusOf(second)).toEqual({ status: 'issued', used_for_request_id: null });
    const id = won.json<{ request: { id: string } }>().request.id;
    const cancelled = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'cancel', reason: 'Не мога да присъствам' } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await statusOf(first)).toEqual({ status: 'issued', used_for_request_id: null });
    const released = await t.deps.db.execute<{ data: { why: string } }>(sql`SELECT data FROM audit_event WHERE action = 'referral.released' ORDER BY seq`);
    expect(released.rows.map((r) => r.data.why)).toEqual(['booking_failed', 'request_ended']);
    // Given back, it books again.
    expect((await book(slot().id, first)).statusCode).toBe(201);
  });
});
