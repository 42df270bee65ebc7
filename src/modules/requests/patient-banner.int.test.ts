import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { fixedClock } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';
import { ageOn, maskIdentifier } from './request-patient-banner.js';

// The patient banner of the clinical screens (docs/design-system.md#patient-banner): only the
// request's participants see it, the identifier is masked, and both the read and the reveal are audited.

const clock = fixedClock('2026-11-25T08:00:00Z');
let t: TestApp;
let w: RequestsWorld;
let requestId: string;
let childRequestId: string;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true' } });
  w = await buildRequestsWorld(t, { slots: 4 });
  const base = { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, phone: '+359 88 123 4567' };
  const mine = await w.as('patient', { method: 'POST', url: '/api/v1/requests', payload: { ...base, slotId: w.slots[0]?.id, circumstances: 'Болка в гърдите при изкачване\nвтори ред', intake: { medicines: 'Бисопролол 5 mg' } } });
  expect(mine.statusCode).toBe(201);
  requestId = mine.json().request.id;
  const child = await w.as('parent', { method: 'POST', url: '/api/v1/requests', payload: { ...base, slotId: w.slots[1]?.id, patientId: w.childId, intake: { anamnesis: 'Сърдечен шум' } } });
  expect(child.statusCode).toBe(201);
  childRequestId = child.json().request.id;
});
afterAll(async () => t?.close());

const auditRows = (action: string, patientId: string) =>
  t.deps.db.execute<{ actor_id: string; reason: string }>(sql`SELECT actor_id, reason FROM audit_event WHERE action = ${action} AND patient_id = ${patientId} ORDER BY seq`);

describe('GET /api/v1/requests/:id/patient-banner', () => {
  it('shows the providing specialist who the patient is, with the identifier masked, and audits the read', async () => {
    const res = await w.as('cardiologist', { method: 'GET', url: `/api/v1/requests/${requestId}/patient-banner` });
    expect(res.statusCode).toBe(200);
    const banner = res.json();
    expect(banner).toMatchObject({ patientId: w.patientId, givenName: 'Мария', familyName: 'Тестова', sex: 'female', birthDate: '1984-03-17', ageYears: 42, identifierKind: 'egn', representative: null, reason: 'Болка в гърдите при изкачване', medicines: 'Бисопролол 5 mg' });
    expect(banner.identifierMasked).toMatch(/^•{8}\d{2}$/);
    const reads = (await auditRows('patient.read', w.patientId)).rows.filter((r) => r.actor_id === w.accounts.cardiologist);
    expect(reads.at(-1)?.reason).toBe(`request:${requestId}`);
  });

  it('names the representative who filed for a child, by the basis of the link', async () => {
    const res = await w.as('cardiologist', { method: 'GET', url: `/api/v1/requests/${childRequestId}/patient-banner` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ givenName: 'Ния', ageYears: 8, representative: { basis: 'parent' }, reason: 'Сърдечен шум' });
  });

  it('is not found for anyone outside the request (deny by default, no existence oracle)', async () => {
    for (const actor of ['otherPatient', 'cardiologist2', 'facilityAdmin'] as const) {
      const res = await w.as(actor, { method: 'GET', url: `/api/v1/requests/${requestId}/patient-banner` });
      expect(res.statusCode, actor).toBe(404);
    }
    expect((await w.as('anonymous', { method: 'GET', url: `/api/v1/requests/${requestId}/patient-banner` })).statusCode).toBe(401);
  });
});

describe('POST /api/v1/requests/:id/patient-identifier', () => {
  it("reveals the full EGN to a participant and records the reveal in the patient's audit trail", async () => {
    const before = (await auditRows('patient.identifier_revealed', w.patientId)).rows.length;
    const res = await w.as('cardiologist', { method: 'POST', url: `/api/v1/requests/${requestId}/patient-identifier` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.identifierKind).toBe('egn');
    expect(body.identifier).toMatch(/^\d{10}$/);
    const masked = (await w.as('cardiologist', { method: 'GET', url: `/api/v1/requests/${requestId}/patient-banner` })).json().identifierMasked;
    expect(masked.slice(-2)).toBe(body.identifier.slice(-2));
    const after = (await auditRows('patient.identifier_revealed', w.patientId)).rows;
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ actor_id: w.accounts.cardiologist, reason: `request:${requestId}` });
  });

  it('refuses a stranger and records nothing for them', async () => {
    const res = await w.as('cardiologist2', { method: 'POST', url: `/api/v1/requests/${requestId}/patient-identifier` });
    expect(res.statusCode).toBe(404);
    const rows = (await auditRows('patient.identifier_revealed', w.patientId)).rows;
    expect(rows.some((r) => r.actor_id === w.accounts.cardiologist2)).toBe(false);
  });

  it('shows in the patient\'s "who accessed my data" log', async () => {
    const log = await w.as('patient', { method: 'GET', url: '/api/v1/me/access-log' });
    expect(log.statusCode).toBe(200);
    expect(log.json().items.some((e: { action: string }) => e.action === 'patient.identifier_revealed')).toBe(true);
  });
});

describe('banner helpers', () => {
  it('counts whole years, the birthday on its day', () => {
    expect(ageOn('1984-03-17', Temporal.PlainDate.from('2026-03-16'))).toBe(41);
    expect(ageOn('1984-03-17', Temporal.PlainDate.from('2026-03-17'))).toBe(42);
  });

  it('hides all but the last two characters', () => {
    expect(maskIdentifier('8403170001')).toBe('••••••••01');
  });
});
