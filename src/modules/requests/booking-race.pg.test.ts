import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { fixedClock } from '../../platform/clock.js';
import { onPostgres } from '../../platform/db/testing.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';

// STYLE C8: the race for one slot, on real PostgreSQL (PGlite has one connection and serialises
// everything, so it cannot show a race). Not silently skipped: on PGlite the suite is reported by name.

describe.skipIf(!onPostgres)('booking race — PostgreSQL only (skipped on PGlite: set DATABASE_URL to run it)', () => {
  let t: TestApp;
  let w: RequestsWorld;
  beforeAll(async () => {
    t = await createTestApp({ clock: fixedClock('2026-11-25T08:00:00Z') });
    w = await buildRequestsWorld(t, { slots: 10 });
  });
  afterAll(async () => t?.close());

  const book = (actor: 'patient' | 'otherPatient', slotId: string) =>
    w.as(actor, {
      method: 'POST',
      url: '/api/v1/requests',
      payload: { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId, phone: '+359 88 000 0000' },
    });

  it('two concurrent bookings of one slot: [201, 409]', async () => {
    const slot = w.slots[0]?.id ?? '';
    const results = await Promise.all([book('patient', slot), book('otherPatient', slot)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.statusCode === 409)?.json().code).toBe('appointment.slot_taken');
  });

  it('200 concurrent attempts on one slot: exactly 1 success and 199 clean 409 appointment.slot_taken', async () => {
    const slot = w.slots[1]?.id ?? '';
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => book(i % 2 === 0 ? 'patient' : 'otherPatient', slot)));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(199);
    expect(new Set(results.filter((r) => r.statusCode === 409).map((r) => r.json().code))).toEqual(new Set(['appointment.slot_taken']));
    const n = (await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM appointment WHERE slot_id = ${slot}`)).rows[0];
    expect(n?.n).toBe(1);
  });

  it('overlapping slots of two schedules of one specialist: the exclusion constraint lets exactly one win', async () => {
    const base = w.slots[2];
    if (!base) throw new Error('no slot');
    // Shifted by 10 minutes: a different slot row, the same specialist's time.
    const [shifted] = await w.addSlots(1, new Date(Date.parse(base.start) + 10 * 60_000).toISOString());
    const results = await Promise.all([book('patient', base.id), book('otherPatient', shifted?.id ?? '')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('afterwards no two live appointments of a specialist overlap (checked by SQL)', async () => {
    const overlaps = await t.deps.db.execute(sql`
      SELECT count(*)::int AS n FROM appointment a JOIN appointment b
        ON a.practitioner_id = b.practitioner_id AND a.id < b.id
       AND tstzrange(a.block_start, a.block_end, '[)') && tstzrange(b.block_start, b.block_end, '[)')
      WHERE a.status NOT IN ('cancelled', 'noshow', 'entered-in-error') AND b.status NOT IN ('cancelled', 'noshow', 'entered-in-error')`);
    expect(overlaps.rows[0]?.n).toBe(0);
  });
});
