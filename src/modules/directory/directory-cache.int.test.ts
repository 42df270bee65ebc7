import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildRequestsWorld, CARDIOLOGY, type RequestsWorld } from '../../test/requests-world.js';
import { fixedClock } from '../../platform/clock.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { makeFacilityNumber } from '../../platform/identifiers.js';
import { DirectorySearchResultSchema, DirectorySlotListSchema } from '../../contracts/directory.js';

// R-TM-32, the public directory: its answers are cached for DIRECTORY_CACHE_SECONDS (60 here),
// and correctness comes first: a booking, a registry or a schedule change in this process is visible at
// once; a change this process did not make (another server process: plain SQL here) after the lifetime;
// and a listed slot is never served once it has started.

const clock = fixedClock('2026-11-25T08:00:00Z');
let t: TestApp;
let w: RequestsWorld;
const adminCtx = (facilityId: string): RequestCtx => ({ ...systemCtx('test.directory-cache'), actor: { type: 'user', id: '00000000-0000-7000-8000-00000000a001', role: 'facility_admin', sessionId: 's', facilityIds: [facilityId] } });

beforeAll(async () => {
  t = await createTestApp({ clock, env: { DEV_MAIL_SINK: 'true', DIRECTORY_CACHE_SECONDS: '60' } });
  w = await buildRequestsWorld(t, { slots: 8 });
});
afterAll(async () => t?.close());

const slotsUrl = () => `/api/v1/directory/slots?specialistId=${w.cardiologistId}&serviceId=${w.syncServiceId}&from=2026-11-25T08:00:00.000Z&to=2026-12-20T00:00:00.000Z`;
async function listed(url = slotsUrl()): Promise<string[]> {
  const res = await t.app.inject({ method: 'GET', url });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return DirectorySlotListSchema.parse(res.json()).items.map((s) => s.id);
}
async function searched(query: string): Promise<{ id: string; earliestFreeSlot: string | null }[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/directory/facilities?${query}` });
  expect(res.statusCode).toBe(200);
  return DirectorySearchResultSchema.parse(res.json()).items;
}

describe('directory answers in memory (R-TM-32)', () => {
  it('a slot booked in this process is not offered afterwards; cancelled, it is offered again', async () => {
    const [first, second] = w.slots;
    if (!first || !second) throw new Error('no slots');
    expect(await listed()).toContain(first.id);
    const hitsBefore = t.deps.directory.cacheStats().hits;
    expect(await listed()).toContain(first.id);
    expect(t.deps.directory.cacheStats().hits).toBe(hitsBefore + 1);
    expect((await searched(`facilityId=${w.providerId}&specialty=${CARDIOLOGY}`))[0]?.earliestFreeSlot).toBe('2026-12-01T07:00:00.000Z');

    const booked = await w.as('patient', {
      method: 'POST',
      url: '/api/v1/requests',
      payload: { urgency: 'planned', mode: 'synchronous', facilityId: w.providerId, specialtyCode: CARDIOLOGY, serviceId: w.syncServiceId, slotId: first.id, phone: '+359 88 123 4567', intake: { anamnesis: 'Сърцебиене' } },
    });
    expect(booked.statusCode).toBe(201);
    expect(await listed()).not.toContain(first.id);
    expect((await searched(`facilityId=${w.providerId}&specialty=${CARDIOLOGY}`))[0]?.earliestFreeSlot).toBe(new Date(second.start).toISOString());

    const id = booked.json<{ request: { id: string } }>().request.id;
    const cancelled = await w.as('patient', { method: 'POST', url: `/api/v1/requests/${id}/transitions`, payload: { action: 'cancel', reason: 'Не мога' } });
    expect(cancelled.statusCode).toBe(200);
    expect(await listed()).toContain(first.id);
  });

  it('a registry change in this process shows at once: a suspended facility leaves the search', async () => {
    const f = await t.deps.registry.registerFacility(systemCtx('test.directory-cache'), { number: makeFacilityNumber('22', 8201), name: 'МЦ Кеш', typeCode: 'mc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'ул. Тест 2' });
    const s = await t.deps.registry.createService(adminCtx(f.id), f.id, { specialtyCode: CARDIOLOGY, kindCode: 'consultation', name: 'Консултация', description: 'Описание', mode: 'asynchronous', typicalMinutes: 20, nhifPaid: true });
    await t.deps.registry.publishService(adminCtx(f.id), f.id, s.id, s.version);
    expect((await searched(`facilityId=${f.id}`)).map((i) => i.id)).toEqual([f.id]);
    await t.deps.registry.setFacilityStatus(adminCtx(f.id), f.id, { status: 'suspended', version: f.version });
    expect(await searched(`facilityId=${f.id}`)).toEqual([]);
  });

  it('a schedule change in this process shows at once (leave regenerates the fixture\'s rule-less schedule: no free slot is left)', async () => {
    expect(await listed()).toHaveLength(8);
    await t.deps.scheduling.createException(adminCtx(w.providerId), w.providerId, { practitionerId: w.cardiologistId, startsOn: '2026-12-01', endsOn: '2026-12-01', reason: 'leave' });
    expect(await listed()).toEqual([]);
  });

  it('a change made elsewhere (another server process) is served after at most DIRECTORY_CACHE_SECONDS', async () => {
    const extra = await w.addSlots(1, '2026-12-10T08:00:00Z');
    const url = slotsUrl().replace('2026-12-20', '2026-12-19');
    expect(await listed(url)).toEqual([extra[0]?.id]);
    await t.deps.db.execute(sql`UPDATE slot SET status = 'busy' WHERE id = ${extra[0]?.id ?? ''}`);
    expect(await listed(url)).toEqual([extra[0]?.id]);
    clock.advance({ seconds: 59 });
    expect(await listed(url)).toEqual([extra[0]?.id]);
    clock.advance({ seconds: 1 });
    expect(await listed(url)).toEqual([]);
  });

  it('time alone: once a listed slot starts, the cached answer is not served any more', async () => {
    const [a, b] = await w.addSlots(2, '2026-12-11T08:00:00Z');
    const url = slotsUrl().replace('2026-12-20', '2026-12-18');
    clock.set('2026-12-11T07:59:30Z');
    expect(await listed(url)).toEqual([a?.id, b?.id]);
    clock.set('2026-12-11T08:00:00Z');
    // Within the lifetime, but the first slot has started; `from` lies in the past, so the window starts now.
    expect(await listed(url)).toEqual([a?.id, b?.id]);
    clock.set('2026-12-11T08:00:01Z');
    expect(await listed(url)).toEqual([b?.id]);
  });
});
