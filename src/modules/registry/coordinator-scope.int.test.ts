import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { makeFacilityNumber } from '../../platform/identifiers.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';
import type { Centre, Facility } from '../../contracts/registry.js';

// Art. 5(4) item 1 (docs/access.md "Coordinators"): a coordinator, the functional head of a centre,
// manages only the facilities of the centres they coordinate; every other facility and centre answers
// 404. Regression test of the trust review's finding 4 ("a coordinator manages every facility"): on the
// old code the coordinator suspended and edited a facility of another centre.

const clock = fixedClock('2026-11-25T08:00:00Z');
const system = systemCtx('test.coordinator');
let t: TestApp;
let w: AccessWorld;
let member: Facility;
let stranger: Facility;
let mine: Centre;
let theirs: Centre;
let seq = 0;

const register = (name: string) =>
  t.deps.registry.registerFacility(system, { number: makeFacilityNumber('22', 8100 + (seq += 1)), name, typeCode: 'mc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'ул. Тест 2' });

beforeAll(async () => {
  t = await createTestApp({ clock });
  w = await buildAccessWorld(t);
  member = await register('МЦ Член');
  stranger = await register('МЦ Чужд');
  mine = await t.deps.registry.createCentre(system, { name: 'Център Свой' });
  mine = await t.deps.registry.setCentreMember(system, mine.id, { facilityId: member.id, rightsObligations: 'Осигурява кардиолог', structures: [{ structure: 'Кабинет', specialtyCode: '1020' }] });
  await t.deps.registry.assignCentreCoordinator(system, mine.id, w.sessions.coordinator.accountId);
  theirs = await t.deps.registry.createCentre(system, { name: 'Център Чужд' });
  theirs = await t.deps.registry.setCentreMember(system, theirs.id, { facilityId: stranger.id, rightsObligations: 'Осигурява педиатър', structures: [{ structure: 'Кабинет', specialtyCode: '1046' }] });
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const as = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: w.sessions.coordinator.headers, ...(payload ? { payload } : {}) });

describe('a coordinator manages only the facilities of the centres they coordinate (Art. 5(4))', () => {
  it('finding 4: cannot suspend, edit or even see another centre’s facility (404)', async () => {
    const attempts = [
      await as('POST', `/api/v1/admin/facilities/${stranger.id}/status`, { status: 'suspended', version: stranger.version }),
      await as('PATCH', `/api/v1/admin/facilities/${stranger.id}`, { name: 'Превзето', version: stranger.version }),
      await as('GET', `/api/v1/admin/facilities/${stranger.id}`),
      await as('GET', `/api/v1/admin/facilities/${stranger.id}/practitioners`),
      await as('POST', `/api/v1/admin/facilities/${stranger.id}/services`, { specialtyCode: '1020', kindCode: 'consultation', name: 'Услуга', description: 'Описание', mode: 'synchronous', typicalMinutes: 20, priceEurCents: 1000 }),
      await as('GET', `/api/v1/admin/centres/${theirs.id}`),
      await as('POST', `/api/v1/admin/centres/${theirs.id}/suspend`, { version: theirs.version }),
      await as('PUT', `/api/v1/admin/centres/${mine.id}/members`, { facilityId: stranger.id, rightsObligations: 'Присвоява', structures: [] }),
    ];
    for (const [i, res] of attempts.entries()) expect({ attempt: i, status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ attempt: i, status: 404, code: 'resource.not_found' });
    // An unknown id answers the same.
    expect((await as('GET', '/api/v1/admin/facilities/0190a000-0000-7000-8000-00000000dead')).statusCode).toBe(404);
    const after = await t.deps.registry.getFacility(system, stranger.id);
    expect(after).toMatchObject({ status: 'active', name: 'МЦ Чужд', version: stranger.version });
  });

  it('manages the members of their centre and the facilities on their own account, and lists only those', async () => {
    const suspended = await as('POST', `/api/v1/admin/facilities/${member.id}/status`, { status: 'suspended', version: member.version });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(suspended.json()).toMatchObject({ status: 'suspended' });
    expect((await as('GET', `/api/v1/admin/facilities/${w.facilityId}`)).statusCode).toBe(200);
    const listed = (await as('GET', '/api/v1/admin/facilities')).json<{ items: Facility[] }>().items.map((f) => f.id).sort();
    expect(listed).toEqual([member.id, w.facilityId].sort());
    const centres = (await as('GET', '/api/v1/admin/centres')).json<{ items: Centre[] }>().items.map((c) => c.id);
    expect(centres).toEqual([mine.id]);
  });

  it('coordinates the centres they create, and what they register stays theirs', async () => {
    const created = await as('POST', '/api/v1/admin/centres', { name: 'Център Нов' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<Centre>().id;
    expect((await as('GET', `/api/v1/admin/centres/${id}`)).statusCode).toBe(200);
    const registered = await as('POST', '/api/v1/admin/facilities', { number: makeFacilityNumber('22', 8100 + (seq += 1)), name: 'МЦ Регистриран', typeCode: 'mc', rhifCode: '22', settlement: 'София', address: 'ул. Нова 1' });
    expect(registered.statusCode, registered.body).toBe(201);
    const added = await as('PUT', `/api/v1/admin/centres/${id}/members`, { facilityId: registered.json<Facility>().id, rightsObligations: 'Осигурява кардиолог', structures: [] });
    expect(added.statusCode, added.body).toBe(200);
  });
});
