import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { fixedClock } from '../../platform/clock.js';
import { ART7_CHECKLIST_ALL_MET } from '../../contracts/common.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';

// STYLE C9: every compare-and-swap result is checked. A transition reads the request with its
// appointment, swaps the request's status, then swaps the appointment's; when the appointment moved in
// between (another writer committed first), the whole transition must roll back rather than leave a
// cancelled request on a live appointment. A trigger plays the other writer, at exactly that moment.

const clock = fixedClock('2026-11-25T08:00:00Z');
let t: TestApp;
let w: RequestsWorld;

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildRequestsWorld(t, { slots: 4 });
  await t.deps.db.execute(sql.raw(`
    CREATE FUNCTION test_concurrent_arrival() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE appointment SET status = 'arrived' WHERE request_id = NEW.id AND status = 'booked';
      RETURN NEW;
    END $$`));
  await t.deps.db.execute(sql.raw(`
    CREATE TRIGGER test_concurrent_arrival BEFORE UPDATE OF status ON service_request
    FOR EACH ROW WHEN (NEW.status = 'cancelled') EXECUTE FUNCTION test_concurrent_arrival()`));
});
afterAll(async () => t?.close());

describe('a transition whose appointment moved underneath it', () => {
  it('answers 409 state.bad_transition and changes nothing: request, appointment and slot stay as they were', async () => {
    const slot = w.slots[0];
    if (!slot) throw new Error('no slot');
    const created = await w.as('patient', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId: slot.id, phone: '+359 88 123 4567', intake: { anamnesis: 'Тест' } },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().request.id as string;
    const accepted = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'accept', checklist: ART7_CHECKLIST_ALL_MET } });
    expect(accepted.json().appointment.status).toBe('booked');

    const cancel = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'cancel', reason: 'Тест' } });
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json()).toMatchObject({ code: 'state.bad_transition', meta: { from: 'booked', to: 'cancelled' } });
    const [state] = (
      await t.deps.db.execute<{ request: string; appointment: string; slot: string }>(sql`
        SELECT r.status AS request, a.status AS appointment, s.status AS slot
        FROM service_request r JOIN appointment a ON a.request_id = r.id JOIN slot s ON s.id = r.slot_id WHERE r.id = ${id}`)
    ).rows;
    expect(state).toEqual({ request: 'scheduled', appointment: 'booked', slot: 'busy' });
  });
});
