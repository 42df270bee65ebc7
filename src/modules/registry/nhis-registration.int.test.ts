import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { fixedClock } from '../../platform/clock.js';
import { systemCtx, type RequestCtx } from '../../platform/auth/request-context.js';
import { withTransaction } from '../../platform/db/index.js';
import { makeFacilityNumber, makeUin } from '../../platform/identifiers.js';
import { enrolTotpForDemo } from '../../demo/enrol-totp.js';
import { signIn, WORLD_PASSWORD } from '../../test/access-world.js';

// Art. 24 (R-TM-34): the NHIS database of telemedicine facilities, through the real registry and
// scheduling use cases, the outbox and the bundled NHIS directory simulator.
// Friday 2026-11-27 10:00 Sofia.
const clock = fixedClock('2026-11-27T08:00:00Z');
const system = systemCtx('test.nhis-registration');
const adminOf = (...facilityIds: string[]): RequestCtx => ({ ...system, actor: { type: 'user', id: '00000000-0000-7000-8000-00000000a001', role: 'facility_admin', sessionId: 's', facilityIds } });

describe('R-TM-34: the facility in the NHIS database of telemedicine facilities', () => {
  let t: TestApp;
  let seq = 0;
  const sim = () => t.deps.nhisDirectorySimulator;
  const drain = () => t.deps.outbox.drain();
  const auditCount = async (action: string, facilityId: string) =>
    (await t.deps.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_event WHERE action = ${action} AND subject_id = ${facilityId}`)).rows[0]?.n;

  /** A facility with a published cardiology service and one specialist's Friday hours. */
  async function publishingFacility(validTo?: string) {
    const number = makeFacilityNumber('22', 8100 + (seq += 1));
    const f = await t.deps.registry.registerFacility(system, { number, name: `МЦ НЗИС ${seq}`, typeCode: 'mc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'ул. Регистър 1' });
    const admin = adminOf(f.id);
    const uin = makeUin(81000 + seq);
    const doc = await t.deps.registry.registerPractitioner(admin, { uin, givenName: 'Мария', familyName: `Регистрова${seq}`, specialtyCodes: ['1020'], facilityIds: [f.id] });
    const draft = await t.deps.registry.createService(admin, f.id, { specialtyCode: '1020', kindCode: 'consultation', name: 'Кардиологична консултация', description: 'Видеоконсултация с кардиолог', mode: 'synchronous', typicalMinutes: 30, priceEurCents: 4000 });
    const svc = await t.deps.registry.publishService(admin, f.id, draft.id, draft.version);
    const schedule = await t.deps.scheduling.createSchedule(admin, f.id, { practitionerId: doc.id, serviceId: svc.id, slotMinutes: 30, validFrom: '2026-11-01', ...(validTo ? { validTo } : {}), rules: [{ weekday: 5, start: '09:00', end: '12:00' }] });
    return { f, admin, number, uin, doc, svc, schedule };
  }

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('R-TM-34: publishing a service with a scheduled specialist registers the facility, its service, hours and specialist; an unchanged entry is not sent again', async () => {
    const { f, admin, number, uin, svc } = await publishingFacility();
    expect((await t.deps.nhisRegistration.getRegistration(admin, f.id)).status).toBe('pending');
    await drain();
    const held = sim().entries().get(number);
    expect(held?.facility).toMatchObject({ number, rhifCode: '22', ekatte: '68134', typeCode: 'mc' });
    expect(held?.services).toEqual([{ id: svc.id, specialtyCode: '1020', kindCode: 'consultation', mode: 'synchronous', nhifPaid: false, priceEurCents: 4000, hours: [{ uin, weekday: 5, start: '09:00', end: '12:00' }] }]);
    expect(held?.practitioners).toEqual([{ uin, specialtyCodes: ['1020'] }]);
    const status = await t.deps.nhisRegistration.getRegistration(admin, f.id);
    expect(status).toMatchObject({ status: 'registered', upToDate: true, services: 1, practitioners: 1, lastError: null });
    expect(status.reference).toMatch(new RegExp(`^TM-${number}-`));
    expect(status.acknowledgedAt).toBe('2026-11-27T08:00:00.000Z');
    expect(await auditCount('facility.nhis_registered', f.id)).toBe(1);

    // The description is not part of the NHIS entry: the sync runs and sends nothing.
    const calls = sim().calls();
    const current = await t.deps.registry.getFacility(admin, f.id);
    await t.deps.registry.updateFacility(admin, f.id, { version: current.version, description: 'Нов текст за сайта' });
    await drain();
    expect(sim().calls()).toBe(calls);
    expect(await auditCount('facility.nhis_registered', f.id)).toBe(1);
  });

  it('R-TM-34: a change of hours is out of date until the NHIS acknowledges it; an outage is retried and shown', async () => {
    const { f, admin, number, uin, schedule } = await publishingFacility();
    await drain();
    await t.deps.scheduling.updateSchedule(admin, f.id, schedule.schedule.id, { version: schedule.schedule.version, rules: [{ weekday: 5, start: '14:00', end: '18:00' }] });
    expect(await t.deps.nhisRegistration.getRegistration(admin, f.id)).toMatchObject({ status: 'registered', upToDate: false });

    sim().failNext(1);
    await drain();
    expect(await t.deps.nhisRegistration.getRegistration(admin, f.id)).toMatchObject({ status: 'failed', upToDate: false, lastError: 'nhis_unavailable' });
    expect(sim().entries().get(number)?.services[0]?.hours).toEqual([{ uin, weekday: 5, start: '09:00', end: '12:00' }]);

    // The outbox retries after its backoff.
    clock.set(clock.now().add({ minutes: 10 }).toString());
    await drain();
    expect(await t.deps.nhisRegistration.getRegistration(admin, f.id)).toMatchObject({ status: 'registered', upToDate: true, lastError: null });
    expect(sim().entries().get(number)?.services[0]?.hours).toEqual([{ uin, weekday: 5, start: '14:00', end: '18:00' }]);
  });

  it('R-TM-34: a suspended facility is taken out of the NHIS database; a refusal is kept with its reason and not retried', async () => {
    const { f, admin, number } = await publishingFacility();
    await drain();
    const before = await t.deps.registry.getFacility(admin, f.id);
    await t.deps.registry.setFacilityStatus(admin, f.id, { status: 'suspended', version: before.version });
    await drain();
    expect(sim().entries().has(number)).toBe(false);
    expect(await t.deps.nhisRegistration.getRegistration(admin, f.id)).toMatchObject({ status: 'deregistered', upToDate: true, services: 0 });
    expect(await auditCount('facility.nhis_deregistered', f.id)).toBe(1);

    const suspended = await t.deps.registry.getFacility(admin, f.id);
    sim().refuseNext('invalid_ekatte');
    await t.deps.registry.setFacilityStatus(admin, f.id, { status: 'active', version: suspended.version });
    await drain();
    expect(await t.deps.nhisRegistration.getRegistration(admin, f.id)).toMatchObject({ status: 'refused', upToDate: false, lastError: 'invalid_ekatte' });
    expect(await auditCount('facility.nhis_registration_refused', f.id)).toBe(1);
    const pending = await t.deps.db.execute(sql`SELECT 1 FROM outbox WHERE type = 'registry.nhis_sync' AND status = 'pending' AND payload->>'facilityId' = ${f.id}`);
    expect(pending.rows).toHaveLength(0);
  });

  it('R-TM-34: the daily reconciliation takes out a facility whose only schedule ended yesterday', async () => {
    const { f, admin, number } = await publishingFacility('2026-11-27');
    await drain();
    expect(sim().entries().has(number)).toBe(true);
    // The next day in Sofia (the schedule ran to 27 November inclusive); nothing was changed by anyone.
    clock.set('2026-11-28T06:00:00Z');
    const ran = await t.deps.nhisRegistration.reconcile.tick();
    expect(ran?.runOn).toBe('2026-11-28');
    expect(sim().entries().has(number)).toBe(false);
    expect((await t.deps.nhisRegistration.getRegistration(admin, f.id)).status).toBe('deregistered');
    expect(await t.deps.nhisRegistration.reconcile.tick()).toBeUndefined();
  });

  it('R-TM-34: over HTTP, the administrator sees the entry and asks for it to be sent now (audited); another facility’s administrator is refused', async () => {
    const { f } = await publishingFacility();
    const other = await publishingFacility();
    const email = `nhis-admin-${seq}@distansia.bg`;
    const secret = await withTransaction(t.deps.db, async (tx) => {
      const id = await t.deps.identity.createAccount(tx, system, { email, password: WORLD_PASSWORD, role: 'facility_admin', facilityIds: [f.id] });
      return (await enrolTotpForDemo(t.deps, tx, system, id)).secret;
    });
    const headers = await signIn(t.app, email, secret, Math.floor(clock.now().epochMilliseconds / 1000));
    const sync = await t.app.inject({ method: 'POST', url: `/api/v1/admin/facilities/${f.id}/nhis-registration/sync`, headers });
    expect(sync.statusCode).toBe(202);
    expect(await auditCount('facility.nhis_sync_requested', f.id)).toBe(1);
    await drain();
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/admin/facilities/${f.id}/nhis-registration`, headers });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ status: 'registered', upToDate: true, services: 1, practitioners: 1 });
    const denied = await t.app.inject({ method: 'GET', url: `/api/v1/admin/facilities/${other.f.id}/nhis-registration`, headers });
    expect(denied.statusCode).toBe(403);
  });
});
