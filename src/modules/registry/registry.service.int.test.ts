import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { fixedClock } from '../../platform/clock.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import { makeFacilityNumber, makeUin } from '../../platform/identifiers.js';
import { fhirProblems } from '../../test/fhir-validate.js';

// Registry, scheduling and directory together, through the real services and routes.
// Thursday 2026-11-26 10:00 Sofia; the week ends Sunday 2026-11-29.
const clock = fixedClock('2026-11-26T08:00:00Z');
const system = systemCtx('test.registry');
const adminOf = (...facilityIds: string[]): RequestCtx => ({ ...system, actor: { type: 'user', id: '00000000-0000-7000-8000-00000000a001', role: 'facility_admin', sessionId: 's', facilityIds } });
const specialistCtx: RequestCtx = { ...system, actor: { type: 'user', id: '00000000-0000-7000-8000-00000000a002', role: 'specialist', sessionId: 's', facilityIds: [] } };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.meta?.rule ? `${e.code}:${String(e.meta.rule)}` : e.code;
    throw e;
  }
  return 'ok';
}

describe('registry, schedules and directory', () => {
  let t: TestApp;
  let seq = 0;
  const facility = async (over: Record<string, unknown> = {}) =>
    t.deps.registry.registerFacility(system, {
      number: makeFacilityNumber('22', 7000 + (seq += 1)),
      name: `МЦ Тест ${seq}`,
      typeCode: 'mc',
      rhifCode: '22',
      ekatte: '68134',
      settlement: 'София',
      address: 'ул. Тест 1',
      ...over,
    });
  const cardiologist = async (facilityId: string) =>
    t.deps.registry.registerPractitioner(adminOf(facilityId), { uin: makeUin(90000 + (seq += 1)), givenName: 'Мария', familyName: `Кардиева${seq}`, specialtyCodes: ['1020'], facilityIds: [facilityId] });
  const cardioService = async (facilityId: string, mode: 'synchronous' | 'asynchronous' = 'synchronous') => {
    const s = await t.deps.registry.createService(adminOf(facilityId), facilityId, { specialtyCode: '1020', kindCode: 'consultation', name: 'Кардиологична консултация', description: 'Видеоконсултация с кардиолог', mode, typicalMinutes: 30, priceEurCents: 4000 });
    return t.deps.registry.publishService(adminOf(facilityId), facilityId, s.id, s.version);
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('R-TM-02: a facility of a type under ЗЛЗ Art. 10 items 2, 5, 7 cannot be registered', async () => {
    for (const typeCode of ['transfusion', 'medico_social', 'tissue_bank']) {
      expect(await codeOf(facility({ typeCode }))).toBe('rule.violated:R-TM-02');
    }
    expect(await codeOf(facility({ number: '9912345678' }))).toBe('request.invalid');
    expect(await codeOf(facility({ ekatte: '68135' }))).toBe('request.invalid');
  });

  it('R-TM-01: a facility administrator manages only their own facility; other roles are refused', async () => {
    const a = await facility();
    const b = await facility();
    expect(await codeOf(t.deps.registry.updateFacility(adminOf(a.id), b.id, { version: b.version, name: 'Чуждо' }))).toBe('auth.forbidden');
    expect(await codeOf(t.deps.registry.updateFacility(specialistCtx, a.id, { version: a.version, name: 'Х' }))).toBe('auth.forbidden');
    const changed = await t.deps.registry.updateFacility(adminOf(a.id), a.id, { version: a.version, name: 'МЦ Ново име' });
    expect(changed.version).toBe(a.version + 1);
    expect(await codeOf(t.deps.registry.updateFacility(adminOf(a.id), a.id, { version: a.version, name: 'Стара версия' }))).toBe('resource.version_mismatch');
    const audit = await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = 'facility.updated' AND subject_id = ${a.id}`);
    expect(audit.rows[0]?.n).toBe(1);
  });

  it('R-TM-13, R-TM-16, R-TM-17: Art. 7 exclusions are refused; dental imaging is allowed', async () => {
    const f = await facility();
    const base = { name: 'Услуга', description: 'Описание на услугата', mode: 'synchronous' as const, typicalMinutes: 20, priceEurCents: 3000 };
    expect(await codeOf(t.deps.registry.createService(adminOf(f.id), f.id, { ...base, specialtyCode: '2081', kindCode: 'consultation' }))).toBe('rule.violated:R-TM-13');
    expect(await codeOf(t.deps.registry.createService(adminOf(f.id), f.id, { ...base, specialtyCode: '1020', kindCode: 'dental_treatment' }))).toBe('rule.violated:R-TM-13');
    expect(await codeOf(t.deps.registry.createService(adminOf(f.id), f.id, { ...base, specialtyCode: '1001', kindCode: 'childbirth' }))).toBe('rule.violated:R-TM-16');
    expect(await codeOf(t.deps.registry.createService(adminOf(f.id), f.id, { ...base, specialtyCode: '1004', kindCode: 'death_certification' }))).toBe('rule.violated:R-TM-17');
    const imaging = await t.deps.registry.createService(adminOf(f.id), f.id, { ...base, specialtyCode: '2081', kindCode: 'dental_imaging', mode: 'asynchronous' });
    expect((await t.deps.registry.publishService(adminOf(f.id), f.id, imaging.id, imaging.version)).status).toBe('published');
  });

  it('R-TM-01: a suspended facility cannot publish, and disappears from the directory', async () => {
    const f = await facility();
    const s = await t.deps.registry.createService(adminOf(f.id), f.id, { specialtyCode: '1020', kindCode: 'consultation', name: 'Консултация', description: 'Описание', mode: 'asynchronous', typicalMinutes: 20, nhifPaid: true });
    const suspended = await t.deps.registry.setFacilityStatus(adminOf(f.id), f.id, { status: 'suspended', version: f.version });
    expect(await codeOf(t.deps.registry.publishService(adminOf(f.id), f.id, s.id, s.version))).toBe('rule.violated:R-TM-01');
    const active = await t.deps.registry.setFacilityStatus(adminOf(f.id), f.id, { status: 'active', version: suspended.version });
    await t.deps.registry.publishService(adminOf(f.id), f.id, s.id, s.version);
    expect((await t.deps.directory.searchFacilities({ facilityId: f.id })).items).toHaveLength(1);
    await t.deps.registry.setFacilityStatus(adminOf(f.id), f.id, { status: 'suspended', version: active.version });
    expect((await t.deps.directory.searchFacilities({ facilityId: f.id })).items).toHaveLength(0);
  });

  it('R-TM-21: a centre without a functional head, rights and obligations and structures cannot be activated', async () => {
    const a = await facility();
    const b = await facility();
    let centre = await t.deps.registry.createCentre(system, { name: 'Център Тест' });
    expect(centre.missing).toEqual(['head', 'contract_reference', 'members']);
    expect(await codeOf(t.deps.registry.activateCentre(system, centre.id, centre.version))).toBe('rule.violated:R-TM-21');
    centre = await t.deps.registry.updateCentre(system, centre.id, { version: centre.version, headName: 'Д-р Петров', contractReference: 'Договор 12/2026' });
    centre = await t.deps.registry.setCentreMember(system, centre.id, { facilityId: a.id, rightsObligations: 'Осигурява кардиолог', structures: [{ structure: 'Кардиологичен кабинет', specialtyCode: '1020' }] });
    centre = await t.deps.registry.setCentreMember(system, centre.id, { facilityId: b.id, rightsObligations: '', structures: [] });
    expect(centre.missing).toEqual([`rights_obligations:${b.id}`, `structures:${b.id}`]);
    expect(await codeOf(t.deps.registry.activateCentre(system, centre.id, centre.version))).toBe('rule.violated:R-TM-21');
    centre = await t.deps.registry.setCentreMember(system, centre.id, { facilityId: b.id, rightsObligations: 'Осигурява педиатър', structures: [{ structure: 'Детски кабинет', specialtyCode: '1046' }] });
    centre = await t.deps.registry.activateCentre(system, centre.id, centre.version);
    expect(centre.status).toBe('active');
    // An active centre must stay complete.
    expect(await codeOf(t.deps.registry.removeCentreMember(system, centre.id, b.id))).toBe('rule.violated:R-TM-21');
    expect(await codeOf(t.deps.registry.createCentre(adminOf(a.id), { name: 'Х' }))).toBe('auth.forbidden');
  });

  it('Art. 14(3): emergency contracts route by parties, specialty and validity', async () => {
    const a = await facility();
    const b = await facility();
    const c = await t.deps.registry.createEmergencyContract(adminOf(a.id), { requesterFacilityId: a.id, providerFacilityId: b.id, reference: 'СД-1', specialtyCodes: ['1020'], validFrom: '2026-11-01', validTo: '2026-12-31' });
    expect(await t.deps.registry.findActiveEmergencyContract(t.deps.db, a.id, b.id, '1020')).toBe(c.id);
    expect(await t.deps.registry.findActiveEmergencyContract(t.deps.db, b.id, a.id, '1020')).toBeUndefined();
    expect(await t.deps.registry.findActiveEmergencyContract(t.deps.db, a.id, b.id, '1046')).toBeUndefined();
    await t.deps.registry.terminateEmergencyContract(adminOf(b.id), c.id, c.version);
    const other = await facility();
    expect(await codeOf(t.deps.registry.createEmergencyContract(adminOf(other.id), { requesterFacilityId: a.id, providerFacilityId: b.id, reference: 'X', specialtyCodes: ['1020'], validFrom: '2026-11-01' }))).toBe('auth.forbidden');
  });

  it('Art. 25-26: an expired certificate is flagged', async () => {
    const f = await facility();
    await t.deps.registry.recordCertificate(adminOf(f.id), f.id, { kind: 'ce_mark', title: 'CE сертификат – видеосистема', issuer: 'TÜV', reference: 'CE-1', issuedOn: '2024-01-10', expiresOn: '2026-11-25' });
    await t.deps.registry.recordCertificate(adminOf(f.id), f.id, { kind: 'software', title: 'Сертификат на софтуера', issuer: 'БИС', reference: 'S-1', issuedOn: '2025-01-10', expiresOn: '2027-06-30' });
    const { items } = await t.deps.registry.listCertificates(adminOf(f.id), f.id);
    expect(items.map((c) => [c.reference, c.state])).toEqual([
      ['CE-1', 'expired'],
      ['S-1', 'valid'],
    ]);
  });

  it('R-TM-01, R-TM-32, R-TM-33: schedules publish slots, leave removes them, overlaps warn, the directory finds a free cardiologist this week', async () => {
    const f = await facility({ name: 'МЦ Сърце' });
    const doc = await cardiologist(f.id);
    const svc = await cardioService(f.id);
    const stranger = await cardiologist((await facility()).id);
    expect(await codeOf(t.deps.scheduling.createSchedule(adminOf(f.id), f.id, { practitionerId: stranger.id, serviceId: svc.id, slotMinutes: 30, validFrom: '2026-11-01', rules: [{ weekday: 5, start: '09:00', end: '12:00' }] }))).toBe(
      'rule.violated:R-TM-01',
    );
    const created = await t.deps.scheduling.createSchedule(adminOf(f.id), f.id, {
      practitionerId: doc.id,
      serviceId: svc.id,
      slotMinutes: 30,
      validFrom: '2026-11-01',
      rules: [{ weekday: 5, start: '09:00', end: '12:00' }],
    });
    // Fridays from 2026-11-27 for 8 weeks (56 days from Thursday 26th): 27.11 … 15.01 = 8 Fridays, minus
    // the holidays 25.12 and 01.01 (both Fridays in 2026/2027) = 6 Fridays × 6 slots.
    expect(created.freeSlots).toBe(36);
    expect(created.warnings).toEqual([]);

    const week = await t.deps.directory.searchFacilities({ specialty: '1020', mode: 'synchronous', freeBefore: '2026-11-29T22:00:00Z', q: 'Сърце' });
    expect(week.items.map((i) => [i.id, i.earliestFreeSlot])).toEqual([[f.id, '2026-11-27T07:00:00.000Z']]);

    const slots = await t.deps.directory.listFreeSlots({ specialistId: doc.id, serviceId: svc.id, from: '2026-11-26T00:00:00Z', to: '2026-12-05T00:00:00Z' });
    expect(slots.items.map((s) => s.start)).toEqual(['2026-11-27T07:00:00.000Z', '2026-11-27T07:30:00.000Z', '2026-11-27T08:00:00.000Z', '2026-11-27T08:30:00.000Z', '2026-11-27T09:00:00.000Z', '2026-11-27T09:30:00.000Z', '2026-12-04T07:00:00.000Z', '2026-12-04T07:30:00.000Z', '2026-12-04T08:00:00.000Z', '2026-12-04T08:30:00.000Z', '2026-12-04T09:00:00.000Z', '2026-12-04T09:30:00.000Z']);

    await t.deps.scheduling.createException(adminOf(f.id), f.id, { practitionerId: doc.id, startsOn: '2026-11-27', endsOn: '2026-11-27', reason: 'leave' });
    expect((await t.deps.directory.searchFacilities({ specialty: '1020', freeBefore: '2026-11-29T22:00:00Z', q: 'Сърце' })).items).toEqual([]);

    // Art. 16: the same specialist published twice on Friday morning.
    const second = await t.deps.registry.createService(adminOf(f.id), f.id, { specialtyCode: '1020', kindCode: 'results_review', name: 'Обсъждане на ЕКГ', description: 'Разчитане на ЕКГ', mode: 'synchronous', typicalMinutes: 15, nhifPaid: true });
    await t.deps.registry.publishService(adminOf(f.id), f.id, second.id, second.version);
    const overlapping = await t.deps.scheduling.createSchedule(adminOf(f.id), f.id, { practitionerId: doc.id, serviceId: second.id, slotMinutes: 15, validFrom: '2026-11-01', rules: [{ weekday: 5, start: '11:00', end: '13:00' }] });
    expect(overlapping.warnings).toEqual([expect.objectContaining({ kind: 'overlap', practitionerId: doc.id, weekday: 5, minutes: 60 })]);

    const page = await t.deps.directory.getFacilityPage(f.id);
    expect(page.services.map((s) => s.id).sort()).toEqual([svc.id, second.id].sort());
    expect(page.specialists.map((s) => s.id)).toEqual([doc.id]);
    expect(page.schedules).toHaveLength(2);

    const bundle = await t.deps.directory.getFacilityFhir(f.id, 'https://example.bg/fhir/R4');
    const types = (bundle.entry as { resource: { resourceType: string } }[]).map((e) => e.resource.resourceType);
    expect(new Set(types)).toEqual(new Set(['Organization', 'HealthcareService', 'Practitioner', 'PractitionerRole', 'Schedule', 'Slot']));
    expect(fhirProblems(bundle)).toEqual([]);

    // Withdrawn: the slots stay in the table but the directory no longer offers them.
    const withdrawn = await t.deps.registry.withdrawService(adminOf(f.id), f.id, svc.id, svc.version);
    expect(withdrawn.status).toBe('withdrawn');
    expect((await t.deps.directory.listFreeSlots({ specialistId: doc.id, serviceId: svc.id, from: '2026-11-26T00:00:00Z', to: '2026-12-20T00:00:00Z' })).items).toEqual([]);
  });

  it('serves the public directory without sign-in and refuses admin routes to anonymous callers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/directory/facilities?specialty=1020&limit=5' });
    expect(res.statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/directory/slots?specialistId=x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('request.invalid');
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/admin/facilities' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json<{ code: string }>().code).toBe('auth.unauthenticated');
    const ref = await t.app.inject({ method: 'GET', url: '/api/v1/registry/reference' });
    expect(ref.json<{ specialties: unknown[] }>().specialties.length).toBeGreaterThanOrEqual(100);
  });
});
