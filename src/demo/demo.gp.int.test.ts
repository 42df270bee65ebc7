import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../platform/clock.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { createTestApp, type TestApp } from '../test/app-harness.js';
import { seedDemo } from './demo.seed.js';
import { DEMO_UNLISTED, unlistedEgn } from './demo.gp.js';

// The demo's GP part (issue brief "Demo"): two practices with about 300 listed patients, children
// registered through a parent, and one patient whose insurance is interrupted.
let t: TestApp;

beforeAll(async () => {
  // The demo seeds relative to real time (its requests book future slots), as `distansia demo` does.
  t = await createTestApp({ clock: systemClock });
  await seedDemo(t.deps);
}, 300_000);

afterAll(async () => {
  await t?.close();
});

async function gpCtx(practiceName: string): Promise<{ ctx: RequestCtx; practitionerId: string }> {
  const { rows } = await t.deps.database.pool.query<{ account_id: string; practitioner_id: string; facility_id: string }>(
    `SELECT a.id AS account_id, a.practitioner_id, f.id AS facility_id FROM user_account a JOIN practitioner_role pr ON pr.practitioner_id = a.practitioner_id
       JOIN facility f ON f.id = pr.facility_id WHERE f.name = $1`,
    [practiceName],
  );
  const r = rows[0];
  if (!r) throw new Error(`no GP at ${practiceName}`);
  return { practitionerId: r.practitioner_id, ctx: { actor: { type: 'user', id: r.account_id, role: 'specialist', sessionId: 's', facilityIds: [r.facility_id] }, requestId: 'demo-test', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' } };
}

describe('demo GP practices', () => {
  it('list about 300 patients across two practices, with children in the youngest age group', async () => {
    const sofia = await gpCtx('АИППМП „Д-р Виктория Илиева“');
    const plovdiv = await gpCtx('ГППМП „Марица Медик“');
    const a = await t.deps.gp.readPatientListSummary(sofia.ctx, sofia.practitionerId);
    const b = await t.deps.gp.readPatientListSummary(plovdiv.ctx, plovdiv.practitionerId);
    expect(a.total + b.total).toBeGreaterThanOrEqual(280);
    expect(a.total).toBe(142);
    expect(a.ageGroups.find((g) => g.code === '0-18')?.count).toBeGreaterThan(0);
    const { rows } = await t.deps.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM gp_registration WHERE signer = 'representative'`);
    expect(rows[0]?.n).toBeGreaterThan(10);
  });

  it('one listed patient has interrupted insurance in the simulator', async () => {
    const sofia = await gpCtx('АИППМП „Д-р Виктория Илиева“');
    const page = await t.deps.gp.readPatientList(sofia.ctx, sofia.practitionerId, { status: 'listed', page: 1, pageSize: 100 });
    const statuses = [];
    for (const item of page.items.slice(0, 5)) statuses.push((await t.deps.insurance.checkInsuranceStatus(sofia.ctx, item.patientId)).status);
    expect(statuses).toContain('interrupted');
    expect(statuses.filter((s) => s === 'insured').length).toBeGreaterThan(0);
  });

  it('R-INS-01, R-PC-13: the demo foreigners and the interrupted patient have accounts; one policy is valid, one expired; cardiology has a paid price', async () => {
    const accounts = JSON.parse(await readFile(join(t.deps.config.DATA_DIR, 'demo-accounts.json'), 'utf8')) as { email: string; role: string }[];
    const emails = accounts.map((a) => a.email);
    expect(emails).toEqual(expect.arrayContaining(['foreigner@demo.distansia.bg', 'foreigner.expired@demo.distansia.bg', 'patient2@demo.distansia.bg']));
    // Two foreigners with a policy: one covers today, one ended yesterday.
    const today = t.deps.clock.now().toZonedDateTimeISO('Europe/Sofia').toPlainDate().toString();
    const { rows: policies } = await t.deps.database.pool.query<{ covered: boolean }>(
      `SELECT bool_or(p.starts_on <= $1::date AND $1::date <= p.ends_on) AS covered FROM foreign_insurance_policy p
         JOIN user_account a ON a.patient_id = p.patient_id AND a.role = 'patient' GROUP BY p.patient_id ORDER BY 1`,
      [today],
    );
    expect(policies).toEqual([{ covered: false }, { covered: true }]);
    const { rows: paid } = await t.deps.database.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM facility_service WHERE name = 'Видеоконсултация (платена)' AND status = 'published' AND price_eur_cents = 4500");
    expect(paid[0]?.n).toBeGreaterThan(0);
  });

  it('W8: the Sofia desk finds the demo people without a GP from their documents, with the practice GP to choose', async () => {
    const sofia = await gpCtx('АИППМП „Д-р Виктория Илиева“');
    const facilityId = sofia.ctx.actor.type === 'user' ? (sofia.ctx.actor.facilityIds[0] ?? '') : '';
    for (const u of DEMO_UNLISTED) {
      const found = await t.deps.gp.lookUpForRegistration(sofia.ctx, facilityId, { identifierKind: 'egn', identifier: unlistedEgn(u), givenName: u.givenName, familyName: u.familyName, birthDate: u.birthDate });
      expect(found).toMatchObject({ currentGp: null, suggestedKind: 'initial' });
      expect(found.gps.map((g) => g.practitionerId)).toEqual([sofia.practitionerId]);
    }
    const accounts = JSON.parse(await readFile(join(t.deps.config.DATA_DIR, 'demo-accounts.json'), 'utf8')) as { email: string; description: string }[];
    expect(accounts.find((a) => a.email === 'gp.desk@demo.distansia.bg')?.description).toContain(unlistedEgn(DEMO_UNLISTED[0]));
  });
});
