import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';

// R-NHIF-01: GET /patients/:id/insurance — the NRA status through the port, cached per person and day,
// access-checked and audited. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
// 21:50 UTC is 23:50 in Sofia: ten minutes later a new local day begins (inside the session idle time).
const clock = fixedClock('2026-11-25T21:50:00Z');
let t: TestApp;
let w: AccessWorld;

async function auditRows(patientId: string, action: string) {
  const { rows } = await t.deps.database.pool.query<{ outcome: string; data: Record<string, unknown> | null; actor_id: string }>(
    'SELECT outcome, data, actor_id FROM audit_event WHERE patient_id = $1 AND action = $2 ORDER BY seq',
    [patientId, action],
  );
  return rows;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildAccessWorld(t);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('insurance status (R-NHIF-01)', () => {
  it('asks the registry once per person, date and day; the second read is the cached answer, both audited', async () => {
    const sim = t.deps.insuranceSimulator;
    sim.reset();
    const url = `/api/v1/patients/${w.patientA.id}/insurance?on=2026-11-20`;
    const first = await w.as('patientA', { method: 'GET', url });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ patientId: w.patientA.id, on: '2026-11-20', status: 'insured', nhifPays: true, source: 'registry', missingMonths: [] });
    const second = await w.as('repOfA', { method: 'GET', url });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ status: 'insured', source: 'cache', checkedAt: first.json<{ checkedAt: string }>().checkedAt });
    expect(sim.calls()).toEqual([{ identifierKind: 'egn', identifier: w.patientA.demographics.identifier, on: '2026-11-20' }]);
    const audited = await auditRows(w.patientA.id, 'insurance.checked');
    expect(audited.map((r) => r.data?.['source'])).toEqual(['registry', 'cache']);
    expect(audited[1]?.actor_id).toBe(w.sessions.repOfA.accountId);
  });

  it('interrupted rights come with the missing months and turn NHIF payment off; a new day asks again', async () => {
    const sim = t.deps.insuranceSimulator;
    sim.reset();
    sim.setAnswer(w.patientA.demographics.identifier, { code: 2, status: 'interrupted', missingMonths: ['2026-09', '2026-08', '2026-10'] });
    const url = `/api/v1/patients/${w.patientA.id}/insurance`;
    const res = await w.as('specialistWithCare', { method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ on: '2026-11-25', status: 'interrupted', missingMonths: ['2026-08', '2026-09', '2026-10'], nhifPays: false, source: 'registry' });
    expect((await w.as('specialistWithCare', { method: 'GET', url })).json()).toMatchObject({ source: 'cache', status: 'interrupted' });
    expect(sim.calls()).toHaveLength(1);
    // 22:00 UTC is midnight in Sofia: a new day, a new round trip (the date asked about stays the 25th).
    clock.set('2026-11-25T22:00:00Z');
    const nextDay = await w.as('specialistWithCare', { method: 'GET', url: `${url}?on=2026-11-25` });
    expect(nextDay.json()).toMatchObject({ source: 'registry', on: '2026-11-25' });
    expect(sim.calls()).toHaveLength(2);
  });

  it('strangers are refused before any round trip, and the refusal is audited', async () => {
    const sim = t.deps.insuranceSimulator;
    sim.reset();
    const url = `/api/v1/patients/${w.patientA.id}/insurance?on=2026-10-01`;
    for (const actor of ['specialistWithout', 'patientB', 'facilityAdmin', 'operator'] as const) {
      const res = await w.as(actor, { method: 'GET', url });
      expect(res.statusCode, actor).toBe(403);
      expect(res.json<{ code: string }>().code).toBe('auth.forbidden');
    }
    expect((await w.as('anonymous', { method: 'GET', url })).statusCode).toBe(401);
    expect(sim.calls()).toHaveLength(0);
    const denied = await auditRows(w.patientA.id, 'access.denied');
    expect(denied.filter((r) => r.actor_id === w.sessions.specialistWithout.accountId).length).toBeGreaterThan(0);
  });

  it('a registry outage is a 503 that is not cached; the next request asks again', async () => {
    const sim = t.deps.insuranceSimulator;
    sim.reset();
    sim.failNext(1);
    const url = `/api/v1/patients/${w.patientB.id}/insurance?on=2026-11-01`;
    const failed = await w.as('patientB', { method: 'GET', url });
    expect(failed.statusCode).toBe(503);
    expect(failed.json<{ code: string }>().code).toBe('insurance.registry_unavailable');
    expect((await auditRows(w.patientB.id, 'insurance.check_failed')).map((r) => r.outcome)).toEqual(['failure']);
    const ok = await w.as('patientB', { method: 'GET', url });
    expect(ok.json()).toMatchObject({ status: 'insured', source: 'registry' });
    expect(sim.calls()).toHaveLength(2);
  });

  it('concurrent first reads share one round trip', async () => {
    const sim = t.deps.insuranceSimulator;
    sim.reset();
    sim.setDelayMs(50);
    const url = `/api/v1/patients/${w.patientB.id}/insurance?on=2026-09-15`;
    const [a, b] = await Promise.all([w.as('patientB', { method: 'GET', url }), w.as('patientB', { method: 'GET', url })]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(sim.calls()).toHaveLength(1);
  });

  it('the cached answer is encrypted at rest', async () => {
    const { rows } = await t.deps.database.pool.query<{ answer_enc: Buffer }>('SELECT answer_enc FROM insurance_status_check');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.answer_enc.toString('latin1')).not.toMatch(/insured|interrupted|2026-0/);
    }
  });
});
