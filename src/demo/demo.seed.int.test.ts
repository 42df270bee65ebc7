import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app-harness.js';
import { systemClock } from '../platform/clock.js';
import { seedDemo } from './demo.seed.js';

// The demo seeds through the modules' public use cases (no service carries a demo method): the
// requests the demo patient finds are filed, accepted and cancelled as anyone's would be.

let t: TestApp;

beforeAll(async () => {
  // The demo runs on the machine's clock, as `distansia demo` does (its health-record step signs with
  // fresh authenticator codes, which a stopped clock cannot give); no assertion depends on the date.
  t = await createTestApp({ clock: systemClock });
});
afterAll(async () => {
  await t?.close();
});

describe('demo seeding', () => {
  // The whole demo (GP lists, referrals the bookings carry, signed documents) takes longer than one default test.
  it('files the demo requests through the requests use cases: one waiting, one scheduled, one cancelled, each audited', { timeout: 240_000 }, async () => {
    const first = await seedDemo(t.deps);
    expect(first.created).toBe(true);
    const { rows } = await t.deps.db.execute<{ status: string }>(sql`
      SELECT r.status FROM service_request r JOIN user_account a ON a.id = r.requester_account_id WHERE a.role = 'patient'`);
    const statuses = rows.map((r) => r.status).sort();
    // Three from the requests demo and one completed service from the health-record demo.
    expect(statuses).toEqual(expect.arrayContaining(['cancelled', 'requested', 'scheduled']));
    const audited = await t.deps.db.execute<{ action: string; n: number }>(sql`
      SELECT action, count(*)::int AS n FROM audit_event WHERE action IN ('request.created', 'request.transitioned') GROUP BY action`);
    const byAction = Object.fromEntries(audited.rows.map((r) => [r.action, r.n]));
    expect(byAction['request.created']).toBeGreaterThanOrEqual(3);
    expect(byAction['request.transitioned']).toBeGreaterThanOrEqual(2);
    // W14: the demo's NHIF-paid bookings carry the demo GP's referrals; the cancelled one gave its back.
    const booked = await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM referral WHERE status = 'used' AND used_for_request_id IS NOT NULL`);
    expect(booked.rows[0]?.n).toBe(3);
    // A second start seeds nothing.
    expect((await seedDemo(t.deps)).created).toBe(false);
  });
});
