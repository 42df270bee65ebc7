import { MedplumClient } from '@medplum/core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { makeFacilityNumber, makeUin } from '../../platform/identifiers.js';
import { practitionerRoleId } from '../../platform/fhir/uuid.js';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld, type ActorName } from '../../test/access-world.js';
import { fhirProblems } from '../../test/fhir-validate.js';

/** An id no row has: the same id with its last digit changed (a fixed replacement can equal the digit it replaces). */
const otherId = (id: string): string => id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');

// The FHIR R4 endpoint over HTTP (docs/fhir.md): the public directory with search and paging, the
// patient under the same access policy as /api/v1, and OperationOutcome errors. Thursday 2026-11-26
// 10:00 Sofia. Runs on PGlite and on PostgreSQL (DATABASE_URL).

const clock = fixedClock('2026-11-26T08:00:00Z');
const system = systemCtx('test.fhir');
const adminOf = (...facilityIds: string[]): RequestCtx => ({ ...system, actor: { type: 'user', id: '00000000-0000-7000-8000-00000000a001', role: 'facility_admin', sessionId: 's', facilityIds } });

interface Bundle {
  resourceType: 'Bundle';
  type: string;
  link?: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: { resourceType: string; id: string } & Record<string, unknown>; search?: { mode: string } }[];
}
interface Outcome {
  resourceType: 'OperationOutcome';
  issue: { severity: string; code: string; details: { coding: { code: string }[] } }[];
}

describe('FHIR R4 endpoint', () => {
  let t: TestApp;
  let w: AccessWorld;
  let sofia: { id: string; number: string };
  let plovdiv: { id: string };
  let doctorId: string;
  let serviceId: string;
  const get = (url: string, actor: ActorName = 'anonymous', headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...(actor === 'anonymous' ? {} : w.sessions[actor].headers), ...headers } });
  const rel = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');

  beforeAll(async () => {
    t = await createTestApp({ clock });
    w = await buildAccessWorld(t);
    const reg = t.deps.registry;
    const facility = (n: number, settlement: string, ekatte: string, name: string) =>
      reg.registerFacility(system, { number: makeFacilityNumber('22', 7100 + n), name, typeCode: 'mc', rhifCode: '22', ekatte, settlement, address: 'ул. Тест 1' });
    sofia = await facility(1, 'София', '68134', 'МЦ Фхир София');
    plovdiv = await facility(2, 'Пловдив', '56784', 'МЦ Фхир Пловдив');
    const doc = await reg.registerPractitioner(adminOf(sofia.id, plovdiv.id), { uin: makeUin(91001), givenName: 'Мария', familyName: 'Фхирова', specialtyCodes: ['1020'], facilityIds: [sofia.id, plovdiv.id] });
    doctorId = doc.id;
    for (const f of [sofia, plovdiv]) {
      const s = await reg.createService(adminOf(f.id), f.id, { specialtyCode: '1020', kindCode: 'consultation', name: 'Кардиологична консултация', description: 'Видео', mode: 'synchronous', typicalMinutes: 30, priceEurCents: 4000 });
      const published = await reg.publishService(adminOf(f.id), f.id, s.id, s.version);
      if (f === sofia) serviceId = published.id;
      await t.deps.scheduling.createSchedule(adminOf(f.id), f.id, { practitionerId: doc.id, serviceId: published.id, slotMinutes: 30, validFrom: '2026-11-01', rules: [{ weekday: 5, start: '09:00', end: '12:00' }] });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves a valid CapabilityStatement as application/fhir+json', async () => {
    const res = await get('/fhir/R4/metadata');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const cs = res.json<{ resourceType: string; fhirVersion: string; rest: { resource: { type: string }[] }[] }>();
    expect(cs).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    expect(cs.rest[0]!.resource.map((r) => r.type)).toEqual(expect.arrayContaining(['Organization', 'HealthcareService', 'Practitioner', 'PractitionerRole', 'Schedule', 'Slot', 'Patient', 'NamingSystem']));
    expect(fhirProblems(cs)).toEqual([]);
  });

  it('pages Slot search by schedule.actor, status and start with next links, without gaps or repeats', async () => {
    const role = practitionerRoleId(sofia.id, doctorId);
    const first = await get(`/fhir/R4/Slot?schedule.actor=PractitionerRole/${role}&status=free&start=ge2026-12-01&_count=4`);
    expect(first.statusCode, first.body).toBe(200);
    let page = first.json<Bundle>();
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      expect(fhirProblems(page)).toEqual([]);
      for (const e of page.entry ?? []) {
        expect(e.fullUrl).toMatch(new RegExp(`^http://[^/]+/fhir/R4/Slot/${e.resource.id}$`));
        seen.push(String(e.resource.start));
      }
      const next = page.link?.find((l) => l.relation === 'next');
      if (!next) break;
      expect(page.entry).toHaveLength(4);
      page = (await get(rel(next.url))).json<Bundle>();
    }
    // Fridays 09:00-12:00 Sofia in 30-minute slots from 4 December until the 8-week horizon (22.01 excluded),
    // without 25.12 and 01.01: 4.12, 11.12, 18.12, 08.01, 15.01 → 5 × 6 = 30 slots, all in Sofia's schedules.
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect([...seen].sort()).toEqual(seen);
    expect(seen[0]).toBe('2026-12-04T07:00:00Z');
    // The other facility's role of the same specialist has its own slots.
    const other = (await get(`/fhir/R4/Slot?schedule.actor=PractitionerRole/${practitionerRoleId(plovdiv.id, doctorId)}&start=ge2026-12-04&start=lt2026-12-05`)).json<Bundle>();
    expect(other.entry).toHaveLength(6);
    const schedules = new Set(other.entry!.map((e) => (e.resource.schedule as { reference: string }).reference));
    const sofiaSchedules = new Set(first.json<Bundle>().entry!.map((e) => (e.resource.schedule as { reference: string }).reference));
    expect([...schedules].some((s) => sofiaSchedules.has(s))).toBe(false);
  });

  it('filters Slot by specialty, service-type and status, and HealthcareService by actor', async () => {
    const bySpecialty = (await get('/fhir/R4/Slot?specialty=https://distansia.bg/fhir/CodeSystem/nhis-cl006|1020&service-type=consultation&start=ge2026-12-04&start=lt2026-12-05&_count=50')).json<Bundle>();
    expect(bySpecialty.entry).toHaveLength(12);
    expect((await get('/fhir/R4/Slot?specialty=1010&start=ge2026-12-04&start=lt2026-12-05')).json<Bundle>().entry).toBeUndefined();
    expect((await get('/fhir/R4/Slot?specialty=http://other.example|1020')).json<Bundle>().entry).toBeUndefined();
    expect((await get('/fhir/R4/Slot?status=busy')).json<Bundle>().entry).toBeUndefined();
    const byService = (await get(`/fhir/R4/Slot?schedule.actor=HealthcareService/${serviceId}&start=ge2026-12-04&start=lt2026-12-05`)).json<Bundle>();
    expect(byService.entry).toHaveLength(6);
  });

  it('searches and reads the directory resources by city, identifier and organization, all valid', async () => {
    const plov = (await get('/fhir/R4/Organization?address-city=плов')).json<Bundle>();
    expect(plov.entry?.map((e) => e.resource.id)).toEqual([plovdiv.id]);
    expect(fhirProblems(plov)).toEqual([]);
    const byNumber = (await get(`/fhir/R4/Organization?identifier=https://distansia.bg/fhir/sid/rhi-facility-number|${sofia.number}`)).json<Bundle>();
    expect(byNumber.entry?.map((e) => e.resource.id)).toEqual([sofia.id]);
    const roles = (await get(`/fhir/R4/PractitionerRole?practitioner=Practitioner/${doctorId}`)).json<Bundle>();
    expect(roles.entry?.map((e) => e.resource.id).sort()).toEqual([practitionerRoleId(sofia.id, doctorId), practitionerRoleId(plovdiv.id, doctorId)].sort());
    const services = (await get(`/fhir/R4/HealthcareService?organization=Organization/${sofia.id}&specialty=1020`)).json<Bundle>();
    expect(services.entry?.map((e) => e.resource.id)).toEqual([serviceId]);
    for (const [type, id] of [['Organization', sofia.id], ['HealthcareService', serviceId], ['Practitioner', doctorId], ['PractitionerRole', practitionerRoleId(plovdiv.id, doctorId)]] as const) {
      const res = await get(`/fhir/R4/${type}/${id}`);
      expect(res.statusCode, `${type} ${res.body}`).toBe(200);
      expect(res.json<{ resourceType: string; id: string }>()).toMatchObject({ resourceType: type, id });
      expect(fhirProblems(res.json())).toEqual([]);
    }
    const practitioner = (await get(`/fhir/R4/Practitioner/${doctorId}`)).json<Record<string, unknown>>();
    expect(Object.keys(practitioner).sort()).toEqual(['active', 'id', 'name', 'resourceType']);
    const schedule = (await get(`/fhir/R4/Schedule?actor=PractitionerRole/${practitionerRoleId(sofia.id, doctorId)}`)).json<Bundle>();
    expect(schedule.entry).toHaveLength(1);
    expect((await get(`/fhir/R4/Schedule/${schedule.entry![0]!.resource.id}`)).statusCode).toBe(200);
    const slot = (await get('/fhir/R4/Slot?_count=1')).json<Bundle>().entry![0]!.resource;
    expect((await get(`/fhir/R4/Slot/${slot.id}`)).json()).toEqual(slot);
    const ns = (await get('/fhir/R4/NamingSystem?value=https://distansia.bg/fhir/sid/egn')).json<Bundle>();
    expect(ns.entry?.[0]?.resource).toMatchObject({ resourceType: 'NamingSystem', id: 'egn' });
    expect(fhirProblems(ns)).toEqual([]);
  });

  it('_include follows the named reference once per resource, marked include; an unsupported one is 400', async () => {
    const actor = `PractitionerRole/${practitionerRoleId(sofia.id, doctorId)}`;
    const res = await get(`/fhir/R4/Slot?schedule.actor=${actor}&status=free&_count=5&_include=Slot:schedule`);
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json<Bundle>().entry ?? [];
    expect(entries.filter((e) => e.search?.mode === 'match')).toHaveLength(5);
    const inc = entries.filter((e) => e.search?.mode === 'include');
    expect(inc.map((e) => e.resource.resourceType)).toEqual(['Schedule']);
    expect(fhirProblems(res.json())).toEqual([]);
    expect(rel(res.json<Bundle>().link?.find((l) => l.relation === 'next')?.url ?? '')).toContain('_include=Slot%3Aschedule');
    const roles = await get(`/fhir/R4/PractitionerRole?organization=Organization/${sofia.id}&_include=PractitionerRole:practitioner&_include=PractitionerRole:organization`);
    expect(roles.statusCode).toBe(200);
    expect(new Set((roles.json<Bundle>().entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => e.resource.resourceType))).toEqual(new Set(['Practitioner', 'Organization']));
    expect((await get(`/fhir/R4/Slot?status=free&_include=Slot:actor`)).statusCode).toBe(400);
    const meta = (await get('/fhir/R4/metadata')).json<{ rest: { resource: { type: string; searchInclude?: string[] }[] }[] }>();
    expect(meta.rest[0]?.resource.find((r) => r.type === 'Slot')?.searchInclude).toEqual(['Slot:schedule']);
  });

  it('a FHIR client library (MedplumClient) reads and searches the directory', async () => {
    // The client's HTTP goes through Fastify's inject, so the test needs no port.
    const fetch = async (url: string, init?: { method?: string; headers?: Record<string, string> }) => {
      const res = await t.app.inject({ method: (init?.method ?? 'GET') as 'GET', url: rel(url), headers: init?.headers ?? {} });
      return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
    };
    const medplum = new MedplumClient({ baseUrl: 'http://localhost/', fhirUrlPath: 'fhir/R4', fetch, cacheTime: 0 });
    const org = await medplum.readResource('Organization', sofia.id);
    expect(org.identifier?.[0]).toEqual({ system: 'https://distansia.bg/fhir/sid/rhi-facility-number', value: sofia.number });
    const slots = await medplum.searchResources('Slot', { 'schedule.actor': `PractitionerRole/${practitionerRoleId(sofia.id, doctorId)}`, status: 'free', start: 'ge2026-12-04', _count: '3' });
    expect(slots.map((x) => x.start)).toEqual(['2026-12-04T07:00:00Z', '2026-12-04T07:30:00Z', '2026-12-04T08:00:00Z']);
    expect(slots.bundle.link?.find((l: { relation?: string }) => l.relation === 'next')).toBeDefined();
    for (const r of [org, ...slots]) expect(fhirProblems(r)).toEqual([]);
    await expect(medplum.readResource('Organization', otherId(plovdiv.id))).rejects.toThrow();
  });

  it('answers every error as an OperationOutcome with the catalogue status', async () => {
    const cases: [string, number, string, Record<string, string>?][] = [
      ['/fhir/R4/Slot?colour=blue', 400, 'request.invalid'],
      ['/fhir/R4/Slot?start=2026-12-01', 400, 'request.invalid'],
      ['/fhir/R4/Slot?_count=many', 400, 'request.invalid'],
      ['/fhir/R4/metadata?_format=xml', 406, 'request.not_acceptable'],
      ['/fhir/R4/metadata', 406, 'request.not_acceptable', { accept: 'application/fhir+xml' }],
      [`/fhir/R4/Organization/${otherId(w.otherFacilityId)}`, 404, 'resource.not_found'],
      ['/fhir/R4/Organization/not-a-uuid', 404, 'resource.not_found'],
      ['/fhir/R4/Observation', 404, 'resource.not_found'],
      ['/fhir/R4/Encounter/x/y/z', 404, 'resource.not_found'],
      [`/fhir/R4/Patient/${w.patientA.id}`, 401, 'auth.unauthenticated'],
    ];
    for (const [url, status, code, headers] of cases) {
      const res = await get(url, 'anonymous', headers);
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-type'], url).toMatch(/^application\/fhir\+json/);
      const outcome = res.json<Outcome>();
      expect(outcome.issue[0]!.details.coding[0]!.code, url).toBe(code);
      expect(fhirProblems(outcome), url).toEqual([]);
    }
  });

  it('reads a Patient under the same access matrix as /api/v1, audited, with no IDOR', async () => {
    const count = async () => Number((await t.deps.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM audit_event WHERE action = 'patient.read' AND patient_id = ${w.patientA.id}`)).rows[0]!.n);
    const expected: Partial<Record<ActorName, number>> = { patientA: 200, repOfA: 200, specialistWithCare: 200, specialistWithGrant: 200, patientB: 403, repOfNobody: 403, specialistWithout: 403, operator: 403 };
    for (const [actor, status] of Object.entries(expected) as [ActorName, number][]) {
      const before = await count();
      const fhir = await get(`/fhir/R4/Patient/${w.patientA.id}`, actor);
      const rest = await get(`/api/v1/patients/${w.patientA.id}`, actor);
      expect(fhir.statusCode, actor).toBe(rest.statusCode);
      expect(fhir.statusCode, actor).toBe(status);
      if (status === 200) {
        expect(fhir.json()).toMatchObject({ resourceType: 'Patient', id: w.patientA.id, identifier: [{ system: `https://distansia.bg/fhir/sid/${w.patientA.demographics.identifierKind}`, value: w.patientA.demographics.identifier }] });
        expect(fhirProblems(fhir.json())).toEqual([]);
        expect(await count()).toBe(before + 2);
      } else {
        expect(fhir.json<Outcome>().issue[0]!.code).toBe('forbidden');
      }
    }
    const everything = await get(`/fhir/R4/Patient/${w.patientA.id}/$everything`, 'patientA');
    expect(everything.statusCode, everything.body).toBe(200);
    expect(everything.json<Bundle>()).toMatchObject({ type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: w.patientA.id }, search: { mode: 'match' } }] });
    expect(fhirProblems(everything.json())).toEqual([]);
    expect((await get(`/fhir/R4/Patient/${w.patientA.id}/$everything`, 'patientB')).statusCode).toBe(403);
  });

  it("AuditEvent: the patient's own access log as valid AuditEvents; nobody else's", async () => {
    const res = await get(`/fhir/R4/AuditEvent?patient=${w.patientA.id}`, 'patientA');
    expect(res.statusCode, res.body).toBe(200);
    const bundle = res.json<Bundle>();
    expect(bundle.type).toBe('searchset');
    expect(bundle.entry?.length).toBeGreaterThan(0);
    expect(bundle.entry?.every((e) => e.resource.resourceType === 'AuditEvent')).toBe(true);
    expect(bundle.entry?.[0]?.resource).toMatchObject({ entity: [{ what: { reference: `Patient/${w.patientA.id}` } }] });
    expect(fhirProblems(bundle)).toEqual([]);
    for (const actor of ['patientB', 'specialistWithCare', 'supervisor'] as const) expect((await get(`/fhir/R4/AuditEvent?patient=${w.patientA.id}`, actor)).statusCode, actor).toBe(403);
    expect((await get('/fhir/R4/AuditEvent', 'patientA')).statusCode).toBe(400);
  });
});
