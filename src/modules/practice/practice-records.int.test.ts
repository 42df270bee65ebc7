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
