import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { systemClock } from '../platform/clock.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { createTestApp, type TestApp } from '../test/app-harness.js';
import { seedDemo } from './demo.seed.js';

// The demo's practice part (issue brief "Demo"): an administrator per GP practice and last month's
// visits, fees and phone consultations, so the monthly NHIF report has content.
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock: systemClock });
  await seedDemo(t.deps);
}, 600_000);

afterAll(async () => {
  await t?.close();
});

async function adminCtx(practiceName: string): Promise<{ ctx: RequestCtx; facilityId: string }> {
  const { rows } = await t.deps.database.pool.query<{ account_id: string; facility_id: string }>(
    `SELECT a.id AS account_id, f.id AS facility_id FROM user_account a JOIN account_facility af ON af.account_id = a.id JOIN facility f ON f.id = af.facility_id WHERE f.name = $1 AND a.role = 'facility_admin'`,
    [practiceName],
  );
  const r = rows[0];
  if (!r) throw new Error(`no administrator at ${practiceName}`);
  return { facilityId: r.facility_id, ctx: { actor: { type: 'user', id: r.account_id, role: 'facility_admin', sessionId: 's', facilityIds: [r.facility_id] }, requestId: 'demo-test', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' } };
}

describe('demo practices (the practice’s day)', () => {
  // Hand count for the Plovdiv practice (demo.practice.ts: patients k = 0..35 in list order): home visits
  // k ≡ 5 (mod 12) → 3; phone k ≡ 1 (mod 4) otherwise → 6; in person 27. Prophylaxis k ≡ 0 (mod 6) → 6;
  // dispensary k ≡ 7 (mod 10) → 3. Exempt: children k ≡ 3 (mod 7) → 5 (minor), adults k ≡ 4 (mod 9) not by
  // phone → 2 (listed_disease). User fee due: 30 − 7 = 23, each paid. Lab fees: in person k ≡ 2 (mod 5) → 6.
  it('R-127: last month’s report of the Plovdiv practice matches the hand count', async () => {
    const { ctx, facilityId } = await adminCtx('ГППМП „Марица Медик“');
    const month = systemClock.now().toZonedDateTimeISO('Europe/Sofia').toPlainDate().toPlainYearMonth().subtract({ months: 1 }).toString();
    const r = await t.deps.practice.readNhifMonthlyReport(ctx, facilityId, month);
    const byKind = (kind: string) => r.byKindAndAge.filter((f) => f.kind === kind).reduce((s, f) => s + f.count, 0);
    expect(r.visits.count).toBe(36);
    expect([byKind('in_person'), byKind('phone'), byKind('home_visit')]).toEqual([27, 6, 3]);
    expect(r.prophylaxis.count).toBe(6);
    expect(r.dispensary.count).toBe(3);
    expect(r.exempted.map((e) => [e.code, e.count])).toEqual([['listed_disease', 2], ['minor', 5]]);
    expect(r.userFeeDue.count).toBe(23);
    expect(r.phoneRegister).toEqual({ medical: 6, administrative: 5 });
    const eur = Temporal.PlainYearMonth.from(month).toString() >= '2026-01';
    expect(r.collected.map((c) => [c.purpose, c.count])).toEqual([['lab_fee', 6], ['user_fee', 23]]);
    expect(r.collected.find((c) => c.purpose === 'user_fee')?.amount).toBe(eur ? '34.04' : '66.70');
  });
  it('the Sofia practice’s interrupted patient paid the price list; the administrator reads the price list with its BGN history', async () => {
    const { ctx, facilityId } = await adminCtx('АИППМП „Д-р Виктория Илиева“');
    const month = systemClock.now().toZonedDateTimeISO('Europe/Sofia').toPlainDate().toPlainYearMonth().subtract({ months: 1 }).toString();
    const r = await t.deps.practice.readNhifMonthlyReport(ctx, facilityId, month);
    expect(r.paidByPatient.count).toBe(1);
    expect(r.visits.count).toBe(35);
    const list = await t.deps.practice.readPriceList(ctx, facilityId);
    expect(list.versions.map((v) => v.currency)).toEqual(['EUR', 'BGN']);
    expect(list.versions[1]?.items.find((i) => i.code === 'holter.ecg')?.price).toEqual({ amount: '40.00', currency: 'BGN', eur: '20.45' });
  });
});
