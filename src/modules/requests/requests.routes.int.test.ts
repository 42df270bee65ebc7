import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { fixedClock } from '../../platform/clock.js';
import { makeFacilityNumber } from '../../platform/identifiers.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { verifyAuditTrail } from '../../platform/audit/audit-verify.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { readOutbox } from '../../test/mail-sink.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';
import { ART7_CHECKLIST_ALL_MET } from '../../contracts/common.js';

// Requests: the request contract, the Art. 8/14/18 rules and the lifecycle, through the real routes.

const clock = fixedClock('2026-11-25T08:00:00Z');
let t: TestApp;
let w: RequestsWorld;

const CHECKLIST = ART7_CHECKLIST_ALL_MET;
const INTAKE_SECRET = 'Стенокардия при усилие от 3 седмици';

beforeAll(async () => {
  t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true' } });
  w = await buildRequestsWorld(t, { slots: 40 });
});
afterAll(async () => t?.close());

let nextSlot = 0;
const takeSlot = () => {
  const s = w.slots[nextSlot++];
  if (!s) throw new Error('out of slots');
  return s;
};

function planned(slotId: string, extra: Record<string, unknown> = {}) {
  return {
    urgency: 'planned',
    mode: 'synchronous',
    facilityId: w.providerId,
    specialtyCode: CARDIOLOGY,
    serviceId: w.syncServiceId,
    slotId,
    phone: '+359 88 123 4567',
    circumstances: 'Предпочитам следобед',
    intake: { anamnesis: INTAKE_SECRET, medicines: 'Бисопролол 5 mg' },
    ...extra,
  };
}

function emergency(extra: Record<string, unknown> = {}) {
  return { urgency: 'emergency', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, requesterFacilityId: w.requesterFacilityId, phone: '+359 2 999 1111', circumstances: 'Остър коронарен синдром?', ...extra };
}

describe('POST /api/v1/requests — booking', () => {
  it('books a planned real-time consultation: 201 with the request and its pending appointment; the slot is busy', async () => {
    const slot = takeSlot();
    const res = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id) });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.request).toMatchObject({ urgency: 'planned', mode: 'synchronous', status: 'requested', patientId: w.patientId, slotId: slot.id });
    expect(body.request.provider).toMatchObject({ facilityId: w.providerId, specialtyCode: CARDIOLOGY, practitionerId: w.cardiologistId, practitionerName: 'Д-р 1 Тестов' });
    expect(body.appointment).toMatchObject({ status: 'pending', practitionerId: w.cardiologistId, start: slot.start });
    const [row] = (await t.deps.db.execute(sql`SELECT status FROM slot WHERE id = ${slot.id}`)).rows;
    expect(row?.status).toBe('busy');
  });

  it('answers 409 appointment.slot_taken for a slot someone already took', async () => {
    const slot = takeSlot();
    expect((await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id) })).statusCode).toBe(201);
    const res = await w.as('otherPatient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id) });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('appointment.slot_taken');
  });

  it('refuses an overlapping booking of the same specialist through another slot (exclusion constraint)', async () => {
    const slot = takeSlot();
    // A second, overlapping slot row of the same specialist (e.g. a second schedule).
    const [dup] = await w.addSlots(1, slot.start, 30);
    expect((await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id) })).statusCode).toBe(201);
    const res = await w.as('otherPatient', { method: 'POST', url: '/api/v1/requests', payload: planned(dup?.id ?? '') });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('appointment.slot_taken');
  });

  it('is idempotent: a retry with the same Idempotency-Key returns the first result; another body with the key is refused', async () => {
    const slot = takeSlot();
    const headers = { 'idempotency-key': `retry-${slot.id}` };
    // A retry sends the same body, its referral included (W14: the first attempt used it).
    const referralNrn = await w.referral();
    const first = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id, { referralNrn }), headers });
    const again = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id, { referralNrn }), headers });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().request.id).toBe(first.json().request.id);
    const other = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id, { circumstances: 'друго' }), headers });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('request.idempotency_conflict');
    const count = (await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM service_request WHERE slot_id = ${slot.id}`)).rows[0];
    expect(count?.n).toBe(1);
  });

  it('one statement writes the request, appointment, history, outbox message and a chained audit event; a refused booking writes none of them', async () => {
    const count = async () =>
      (
        await t.deps.db.execute<{ requests: number; appointments: number; events: number; messages: number; created: number; refused: number }>(sql`SELECT (SELECT count(*)::int FROM service_request) AS requests, (SELECT count(*)::int FROM appointment) AS appointments,
          (SELECT count(*)::int FROM service_request_event) AS events, (SELECT count(*)::int FROM outbox WHERE type = 'request.notify') AS messages,
          (SELECT count(*)::int FROM audit_event WHERE action = 'request.created') AS created, (SELECT count(*)::int FROM audit_event WHERE action = 'appointment.slot_taken') AS refused`)
      ).rows[0]!;
    const slot = takeSlot();
    const before = await count();
    const res = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id) });
    expect(res.statusCode).toBe(201);
    const { request, appointment } = res.json();
    expect(await count()).toEqual({ ...before, requests: before.requests + 1, appointments: before.appointments + 1, events: before.events + 1, messages: before.messages + 1, created: before.created + 1 });
    const [event] = (await t.deps.db.execute(sql`SELECT actor_id, patient_id, facility_id, reason, data FROM audit_event WHERE action = 'request.created' AND subject_id = ${request.id}`)).rows;
    expect(event).toEqual({ actor_id: w.accounts.patient, patient_id: w.patientId, facility_id: w.providerId, reason: 'self', data: { urgency: 'planned', mode: 'synchronous', specialty: CARDIOLOGY, appointmentId: appointment.id } });
    const [message] = (await t.deps.db.execute(sql`SELECT payload, status FROM outbox WHERE type = 'request.notify' AND payload->>'requestId' = ${request.id}`)).rows;
    expect(message).toEqual({ payload: { requestId: request.id, event: 'created' }, status: 'pending' });

    const taken = await w.as('otherPatient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id) });
    expect(taken.statusCode).toBe(409);
    const after = await count();
    expect(after).toEqual({ ...before, requests: before.requests + 1, appointments: before.appointments + 1, events: before.events + 1, messages: before.messages + 1, created: before.created + 1, refused: before.refused + 1 });
    // Audit: every event, the booking's included, is sealed, chained and intact (docs/decisions.md#d12).
    const verified = await verifyAuditTrail({ pool: t.deps.database.pool, keys: t.deps.auditKeys, exportedHeads: [], concurrency: 1 });
    expect(verified.problems).toEqual([]);
    expect(verified.events).toBeGreaterThan(0);
  });

  it('stores the form and intake encrypted (Art. 12, 18): the plaintext is nowhere in the table', async () => {
    const dump = await t.deps.db.execute(sql`SELECT encode(form_enc, 'escape') AS f FROM service_request`);
    expect(dump.rows.length).toBeGreaterThan(0);
    for (const r of dump.rows) expect(String(r.f)).not.toContain('Бисопролол');
  });
});

describe('Art. 8, 14, 18 rules', () => {
  it('R-TM-05: a patient may request planned care only', async () => {
    const res = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: emergency({ requesterFacilityId: undefined }) });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'rule.violated', meta: { rule: 'R-TM-05' } });
  });

  it('R-TM-30: with direct interaction a time is mandatory; without it no time may be given', async () => {
    const noSlot = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned('x', { slotId: undefined }) });
    expect(noSlot.statusCode).toBe(400);
    expect(noSlot.json().errors[0].pointer).toBe('#/slotId');
    const asyncWithSlot = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id, { mode: 'asynchronous', serviceId: w.asyncServiceId, practitionerId: w.cardiologistId }) });
    expect(asyncWithSlot.statusCode).toBe(400);
    expect(asyncWithSlot.json().errors[0].pointer).toBe('#/slotId');
  });

  it('R-TM-30: a store-and-forward request needs no time and gets no appointment', async () => {
    const res = await w.as('patient', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: planned('x', { slotId: undefined, mode: 'asynchronous', serviceId: w.asyncServiceId, practitionerId: w.cardiologistId }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().appointment).toBeNull();
    expect(res.json().request.mode).toBe('asynchronous');
  });

  it('R-TM-08: a time of an unpublished service cannot be booked', async () => {
    const res = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(w.draftSlotId, { serviceId: undefined }) });
    expect(res.statusCode).toBe(422);
    expect(res.json().meta.rule).toBe('R-TM-08');
  });

  it('R-TM-09: the mode must be the one the service is published with', async () => {
    const res = await w.as('patient', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: planned('x', { slotId: undefined, mode: 'asynchronous', serviceId: w.syncServiceId, practitionerId: w.cardiologistId }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().meta.rule).toBe('R-TM-09');
  });

  it('R-TM-09: the database refuses a request without exactly one urgency and mode', async () => {
    await expect(t.deps.db.execute(sql`UPDATE service_request SET mode = 'hybrid' WHERE true`)).rejects.toThrow();
    await expect(t.deps.db.execute(sql`UPDATE service_request SET urgency = NULL WHERE true`)).rejects.toThrow();
  });

  it('R-TM-03: administrators and the operator are not requesters', async () => {
    for (const actor of ['facilityAdmin', 'operator'] as const) {
      const res = await w.as(actor, { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id) });
      expect(res.statusCode).toBe(422);
      expect(res.json().meta.rule).toBe('R-TM-03');
    }
    expect((await w.as('anonymous', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id) })).statusCode).toBe(401);
  });

  it('R-TM-03: a specialist files from a facility they work in', async () => {
    const res = await w.as('requesterSpecialist', { method: 'POST', url: '/api/v1/requests', payload: emergency({ requesterFacilityId: w.providerId }) });
    expect(res.statusCode).toBe(422);
    expect(res.json().meta.rule).toBe('R-TM-03');
  });

  it('R-TM-04, R-TM-31: a representative files for the linked child; the child is the recipient, both parties are stored', async () => {
    const res = await w.as('parent', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id, { patientId: w.childId }) });
    expect(res.statusCode).toBe(201);
    expect(res.json().request.requester).toMatchObject({ kind: 'representative', accountId: w.accounts.parent, patientId: w.childId });
    expect(res.json().request.recipient).toMatchObject({ kind: 'patient', patientId: w.childId });
  });

  it('R-TM-04: nobody files as the recipient for a patient they do not act for', async () => {
    const asOther = await w.as('otherPatient', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id, { patientId: w.patientId }) });
    expect(asOther.statusCode).toBe(403);
    const unlinked = await w.as('parent', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id, { patientId: w.patientId }) });
    expect(unlinked.statusCode).toBe(403);
  });

  it('R-TM-04: the database refuses a patient recipient without the patient', async () => {
    await expect(t.deps.db.execute(sql`UPDATE service_request SET patient_id = NULL WHERE recipient_kind = 'patient'`)).rejects.toThrow();
  });

  it('R-TM-06: no emergency without an active contract between the facilities', async () => {
    const res = await w.as('requesterSpecialist', { method: 'POST', url: '/api/v1/requests', payload: emergency({ requesterFacilityId: w.uncontractedFacilityId }) });
    expect(res.statusCode).toBe(422);
    expect(res.json().meta.rule).toBe('R-TM-06');
  });

  it('R-TM-07: the database refuses an emergency whose recipient is a patient', async () => {
    await expect(t.deps.db.execute(sql`UPDATE service_request SET urgency = 'emergency', slot_id = NULL WHERE recipient_kind = 'patient'`)).rejects.toThrow();
  });
});

describe('emergency consultation (Art. 14(3))', () => {
  it('goes to the rota, escalates when unacknowledged, and the first specialist to acknowledge wins; the requester sees who and when', async () => {
    const res = await w.as('requesterSpecialist', { method: 'POST', url: '/api/v1/requests', payload: emergency() });
    expect(res.statusCode).toBe(201);
    const id = res.json().request.id as string;
    expect(res.json().request.recipient).toMatchObject({ kind: 'specialist', practitionerId: w.requesterPractitionerId });

    const list = await w.as('cardiologist', { method: 'GET', url: '/api/v1/requests/worklist' });
    expect(list.json().emergencies.map((e: { request: { id: string } }) => e.request.id)).toContain(id);

    // Unacknowledged for the facility's 3 minutes: the next specialist on the rota is alerted.
    clock.advance({ minutes: 4 });
    await t.deps.outbox.drain(200);
    const detail = await w.as('requesterSpecialist', { method: 'GET', url: `/api/v1/requests/${id}` });
    expect(detail.json().alerts.map((a: { practitionerId: string }) => a.practitionerId)).toEqual([w.cardiologistId, w.cardiologist2Id]);

    const won = await w.as('cardiologist2', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'accept', checklist: CHECKLIST } });
    expect(won.statusCode).toBe(200);
    const lost = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'accept', checklist: CHECKLIST } });
    expect([404, 409]).toContain(lost.statusCode);
    const seen = await w.as('requesterSpecialist', { method: 'GET', url: `/api/v1/requests/${id}` });
    expect(seen.json().request).toMatchObject({ status: 'accepted', acceptedByPractitionerName: 'Д-р 2 Тестов' });
    expect(seen.json().request.acceptedAt).toBe(clock.now().toString());
  });

  it("R-TM-06: the emergency targets follow the provider's calendar date (Europe/Sofia), not UTC's, just after midnight", async () => {
    // Two more providers in Sofia: a contract that starts on 2026-12-01 and one that ended on 2026-11-30.
    const seed = parseInt(t.deps.ids.uuid().replace(/-/g, '').slice(-6), 16);
    const provider = async (n: number) => {
      const id = t.deps.ids.uuid();
      await t.deps.db.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, time_zone, created_at, updated_at)
        VALUES (${id}, ${makeFacilityNumber('22', seed + n)}, ${`Полунощ ${n}`}, 'mc', '22', 'София', 'ул. Тестова 2', 'Europe/Sofia', ${clock.now().toString()}, ${clock.now().toString()})`);
      return id;
    };
    const contract = async (providerId: string, reference: string, validFrom: string, validTo: string | null) => {
      const id = t.deps.ids.uuid();
      await t.deps.db.execute(sql`INSERT INTO emergency_contract (id, requester_facility_id, provider_facility_id, reference, valid_from, valid_to, created_at, updated_at)
        VALUES (${id}, ${w.requesterFacilityId}, ${providerId}, ${reference}, ${validFrom}, ${validTo}, ${clock.now().toString()}, ${clock.now().toString()})`);
      await t.deps.db.execute(sql`INSERT INTO emergency_contract_specialty (contract_id, specialty_code) VALUES (${id}, ${CARDIOLOGY})`);
    };
    const startsToday = await provider(101);
    const endedYesterday = await provider(102);
    await contract(startsToday, 'Д-901/2026', '2026-12-01', null);
    await contract(endedYesterday, 'Д-902/2026', '2026-01-01', '2026-11-30');
    const ctx: RequestCtx = {
      actor: { type: 'user', id: w.accounts.requesterSpecialist, role: 'specialist', sessionId: 'test', facilityIds: [w.requesterFacilityId] },
      requestId: 'test:emergency-targets',
      ip: '127.0.0.1',
      userAgent: undefined,
      lang: 'en',
    };
    const before = clock.now();
    try {
      // Time zone: 22:30 UTC on 30 November is 00:30 on 1 December in Sofia (EET, UTC+2).
      clock.set('2026-11-30T22:30:00Z');
      const targets = (await t.deps.requests.listEmergencyTargets(ctx)).items.map((i) => i.facilityId);
      expect(targets).toContain(startsToday);
      expect(targets).not.toContain(endedYesterday);
      expect(targets).toContain(w.providerId);
    } finally {
      clock.set(before.toString());
    }
  });
});

describe('lifecycle', () => {
  it('accepting opens care, schedules the appointment; a late patient cancellation is refused; the provider cancels with a reason and the slot is free again', async () => {
    // A time two hours from now: inside the patient's 24-hour rule, outside the provider's 1-hour rule.
    const [slot] = await w.addSlots(1, '2026-11-25T10:00:00Z');
    if (!slot) throw new Error('no slot');
    const created = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id) });
    const id = created.json().request.id as string;
    const patientRead = await w.as('cardiologist', { method: 'GET', url: `/api/v1/patients/${w.patientId}` });
    const accepted = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'accept', version: 1, checklist: CHECKLIST } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().request.status).toBe('scheduled');
    expect(accepted.json().appointment.status).toBe('booked');
    const care = await t.deps.db.execute(sql`SELECT active_until FROM care_relationship WHERE source_type = 'request' AND source_id = ${id}`);
    expect(care.rows).toHaveLength(1);
    expect(care.rows[0]?.active_until).toBeNull();
    expect(patientRead.statusCode).not.toBe(500);

    // Within 24 h of the start the patient may no longer cancel (the facility's default rule).
    {
      const late = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'cancel', reason: 'Не мога' } });
      expect(late.statusCode).toBe(422);
      expect(late.json().code).toBe('request.change_window_closed');
      const noReason = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'cancel' } });
      expect(noReason.statusCode).toBe(400);
      const cancelled = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'cancel', reason: 'Спешен случай в болницата' } });
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json().request.status).toBe('cancelled');
      expect(cancelled.json().appointment.status).toBe('cancelled');
    }
    const [s] = (await t.deps.db.execute(sql`SELECT status FROM slot WHERE id = ${slot.id}`)).rows;
    expect(s?.status).toBe('free');
    const closed = await t.deps.db.execute(sql`SELECT active_until FROM care_relationship WHERE source_type = 'request' AND source_id = ${id}`);
    expect(closed.rows[0]?.active_until).not.toBeNull();
    // Both sides see the history, with the reason.
    const history = await w.as('patient', { method: 'GET', url: `/api/v1/requests/${id}` });
    expect(history.json().events.map((e: { action: string }) => e.action)).toEqual(['file', 'accept', 'schedule', 'cancel']);
    expect(history.json().events[3]).toMatchObject({ side: 'provider', reason: 'Спешен случай в болницата' });
  });

  it('a stale version answers 412, a finished request cannot be accepted again (409), the other side may not act for the provider (403)', async () => {
    const created = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id) });
    const id = created.json().request.id as string;
    const asPatient = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'accept', checklist: CHECKLIST } });
    expect(asPatient.statusCode).toBe(403);
    const stale = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'accept', version: 7, checklist: CHECKLIST } });
    expect(stale.statusCode).toBe(412);
    const declined = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'decline', reason: 'Нужен е личен преглед', checklist: { ...CHECKLIST, noDirectContactNeeded: false } } });
    expect(declined.json().request.status).toBe('declined');
    const again = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'accept', checklist: CHECKLIST } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('state.bad_transition');
  });

  it('reschedules to another free slot, and refuses a taken one', async () => {
    const a = takeSlot();
    const b = takeSlot();
    const c = takeSlot();
    await w.as('otherPatient', { method: 'POST', url: '/api/v1/requests', payload: planned(c.id) });
    const created = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(a.id) });
    const id = created.json().request.id as string;
    const taken = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'reschedule', slotId: c.id, reason: 'Работа' } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('appointment.slot_taken');
    const moved = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'reschedule', slotId: b.id, reason: 'Работа' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().appointment.start).toBe(b.start);
    const states = (await t.deps.db.execute(sql`SELECT id, status FROM slot WHERE id IN (${a.id}, ${b.id})`)).rows;
    expect(Object.fromEntries(states.map((r) => [r.id, r.status]))).toEqual({ [a.id]: 'free', [b.id]: 'busy' });
  });

  it("each side is told until when it may still cancel or reschedule, under the facility's rules (default and its own)", async () => {
    const minus = (iso: string, minutes: number) => new Date(new Date(iso).getTime() - minutes * 60_000).toISOString();
    const until = (res: { json(): { request: { changeableUntil: string | null } } }) => res.json().request.changeableUntil;
    const slot = takeSlot();
    // No request_policy row: the defaults (requester 24 h, provider 1 h before the start).
    const booked = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(slot.id) });
    expect(until(booked)).toBe(minus(slot.start, 1440));
    const id = booked.json().request.id as string;
    expect(until(await w.as('patient', { method: 'GET', url: `/api/v1/requests/${id}` }))).toBe(minus(slot.start, 1440));
    expect(until(await w.as('cardiologist', { method: 'GET', url: `/api/v1/requests/${id}` }))).toBe(minus(slot.start, 60));

    await t.deps.db.execute(sql`INSERT INTO request_policy (facility_id, requester_change_min_minutes, provider_change_min_minutes, updated_at)
      VALUES (${w.providerId}, 120, 30, '2026-11-25T08:00:00Z')`);
    try {
      expect(until(await w.as('patient', { method: 'GET', url: `/api/v1/requests/${id}` }))).toBe(minus(slot.start, 120));
      const mine = (await w.as('patient', { method: 'GET', url: '/api/v1/requests?when=all' })).json().items.find((i: { request: { id: string } }) => i.request.id === id);
      expect(mine.request.changeableUntil).toBe(minus(slot.start, 120));
      const worklist = (await w.as('cardiologist', { method: 'GET', url: '/api/v1/requests/worklist' })).json().planned.find((i: { request: { id: string } }) => i.request.id === id);
      expect(worklist.request.changeableUntil).toBe(minus(slot.start, 30));
      // The booking statement (the hot path) reads the facility's rule too.
      const other = takeSlot();
      expect(until(await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(other.id) }))).toBe(minus(other.start, 120));
      // Nothing left to change: no deadline.
      const cancelled = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'cancel', reason: 'Оздравях' } });
      expect(cancelled.json().request.status).toBe('cancelled');
      expect(until(cancelled)).toBeNull();
    } finally {
      await t.deps.db.execute(sql`DELETE FROM request_policy WHERE facility_id = ${w.providerId}`);
    }
    // Without an appointment (store and forward) there is no time-bound rule.
    const async = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned('x', { slotId: undefined, mode: 'asynchronous', serviceId: w.asyncServiceId, practitionerId: w.cardiologistId }) });
    expect(async.json().request.allowedActions).toContain('cancel');
    expect(until(async)).toBeNull();
  });

  it('a request of someone else is not found (its existence is not revealed)', async () => {
    const created = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id) });
    const res = await w.as('otherPatient', { method: 'GET', url: `/api/v1/requests/${created.json().request.id}` });
    expect(res.statusCode).toBe(404);
    const byOtherSpecialist = await w.as('requesterSpecialist', { method: 'GET', url: `/api/v1/requests/${created.json().request.id}` });
    expect(byOtherSpecialist.statusCode).toBe(404);
  });

  it('attachments are stored encrypted and read back by the provider', async () => {
    const created = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id) });
    const id = created.json().request.id as string;
    const text = 'ЕКГ: синусов ритъм 72/мин';
    const up = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/attachments`, payload: { name: 'ekg.txt', contentType: 'text/plain', dataBase64: Buffer.from(text).toString('base64') } });
    expect(up.statusCode).toBe(201);
    const raw = await t.deps.db.execute(sql`SELECT encode(content_enc, 'escape') AS c FROM request_attachment WHERE id = ${up.json().id}`);
    expect(String(raw.rows[0]?.c)).not.toContain('синусов');
    const down = await w.as('cardiologist', { method: 'GET', url: `/api/v1/requests/${id}/attachments/${up.json().id}` });
    expect(down.statusCode).toBe(200);
    expect(down.body).toBe(text);
  });

  it('refuses an attachment whose bytes are not the declared type (it would be served back as that type)', async () => {
    const created = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: planned(takeSlot().id) });
    const id = created.json().request.id as string;
    const upload = (contentType: string, bytes: Buffer) =>
      w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/attachments`, payload: { name: 'scan', contentType, dataBase64: bytes.toString('base64') } });
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    expect((await upload('application/pdf', html)).json().code).toBe('file.type_mismatch');
    expect((await upload('image/png', Buffer.from('%PDF-1.7\n'))).json().code).toBe('file.type_mismatch');
    expect((await upload('text/plain', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).json().code).toBe('file.type_mismatch');
    expect((await upload('application/pdf', Buffer.from('%PDF-1.7\n%%EOF\n'))).statusCode).toBe(201);
  });
});

describe('notifications', () => {
  it('go through the outbox to the dev sink, carry no clinical content, and are visible to administrators', async () => {
    await t.deps.outbox.drain(500);
    await t.deps.outbox.drain(500);
    // The sink writes .eml files under DATA_DIR/outbox and serves nothing over HTTP.
    expect((await w.as('anonymous', { method: 'GET', url: '/api/v1/dev/outbox' })).statusCode).toBe(404);
    const items = await readOutbox(t.dataDir);
    expect(items.some((m) => m.channel === 'sms' && m.to === '+359 88 123 4567')).toBe(true);
    expect(items.some((m) => m.channel === 'email')).toBe(true);
    for (const m of items) {
      expect(m.body).not.toContain(INTAKE_SECRET);
      expect(m.body).not.toContain('Бисопролол');
    }
    const admin = await w.as('facilityAdmin', { method: 'GET', url: '/api/v1/admin/notifications' });
    expect(admin.statusCode).toBe(200);
    expect(admin.json().items.length).toBeGreaterThan(0);
    expect((await w.as('patient', { method: 'GET', url: '/api/v1/admin/notifications' })).statusCode).toBe(403);
  });
});
