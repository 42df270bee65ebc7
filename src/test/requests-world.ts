import { sql } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import type { LightMyRequestResponse } from 'fastify';
import { withTransaction, type Queryable } from '../platform/db/index.js';
import { systemCtx } from '../platform/auth/request-context.js';
import { makeEgn, makeFacilityNumber, makeUin } from '../platform/identifiers.js';
import type { Role } from '../contracts/identity.js';
import { signIn } from './access-world.js';
import type { TestApp } from './app-harness.js';
import { enrolTotpForDemo } from '../demo/enrol-totp.js';
import { referralFixture } from './referral-fixture.js';

// Test fixture for requests: a providing facility (cardiology, one real-time and one store-and-forward
// published service, a schedule with free slots, an emergency rota of two), a requesting facility with
// an emergency contract, a patient, a representative of a child, and signed-in sessions. Rows of other
// modules are inserted as plain SQL (the fixture is not a module and owns no rules).

const PASSWORD = 'Vitosha-Lipa-Mart-Zora-2026';
export const CARDIOLOGY = '1020';

export type WorldActor = 'patient' | 'otherPatient' | 'parent' | 'cardiologist' | 'cardiologist2' | 'requesterSpecialist' | 'facilityAdmin' | 'operator';

export interface RequestsWorld {
  providerId: string;
  requesterFacilityId: string;
  uncontractedFacilityId: string;
  syncServiceId: string;
  asyncServiceId: string;
  draftServiceId: string;
  cardiologistId: string;
  cardiologist2Id: string;
  requesterPractitionerId: string;
  patientId: string;
  otherPatientId: string;
  childId: string;
  /** Free slots of the cardiologist, 30 minutes each, from 2026-12-01 09:00 Sofia. */
  slots: { id: string; start: string }[];
  /** A slot of the draft (unpublished) service. */
  draftSlotId: string;
  accounts: Record<WorldActor, string>;
  headers: Record<WorldActor, Record<string, string>>;
  as(actor: WorldActor | 'anonymous', req: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Adds `n` more free slots starting at `from` (ISO instant), `minutes` apart. */
  addSlots(n: number, from: string, minutes?: number): Promise<{ id: string; start: string }[]>;
  /** Signs the actor in again at the clock's time (a session ends after 30 idle minutes; tests that move the clock by days). */
  signInAgain(actor: WorldActor): Promise<void>;
  /** A fresh issued № 3 to cardiology of the patient (W14), by the requesting facility's doctor; its НРН. */
  referral(patientId?: string, o?: { specialtyCode?: string; form?: '3' | '3A' | '4' | '6'; validUntil?: string | null; status?: 'issued' | 'pending' | 'cancelled' }): Promise<string>;
}

const PATIENT_SIDE: readonly string[] = ['patient', 'otherPatient', 'parent'];

async function insertSlots(q: Queryable, ids: () => string, w: { scheduleId: string; practitionerId: string; facilityId: string; serviceId: string }, n: number, from: string, minutes: number) {
  const out: { id: string; start: string }[] = [];
  let t = Temporal.Instant.from(from);
  const values = [];
  for (let i = 0; i < n; i += 1) {
    const id = ids();
    const end = t.add({ minutes });
    out.push({ id, start: t.toString() });
    values.push(sql`(${id}, ${w.scheduleId}, ${w.practitionerId}, ${w.facilityId}, ${w.serviceId}, ${CARDIOLOGY}, ${t.toString()}::timestamptz, ${end.toString()}::timestamptz, 'free')`);
    t = end;
  }
  for (let i = 0; i < values.length; i += 500) {
    await q.execute(sql`INSERT INTO slot (id, schedule_id, practitioner_id, facility_id, service_id, specialty_code, start, "end", status) VALUES ${sql.join(values.slice(i, i + 500), sql`, `)}`);
  }
  return out;
}

/**
 * Builds the world on a test app.
 * @param t - from `createTestApp`
 * @param opts - how many slots to create
 * @returns ids, sessions and a request helper
 */
export async function buildRequestsWorld(t: Pick<TestApp, 'app' | 'deps'>, opts: { slots?: number; from?: string } = {}): Promise<RequestsWorld> {
  const { deps, app } = t;
  const ctx = systemCtx('test.requests-world');
  const ids = () => deps.ids.uuid();
  const seed = parseInt(deps.ids.uuid().replace(/-/g, '').slice(-6), 16);
  const email = (n: string) => `${n}.${seed}@test.distansia.bg`;
  const epochSeconds = Math.floor(deps.clock.now().epochMilliseconds / 1000);
  // Fixture rows take their time from the app's clock, never the database's now(): a test must not
  // change outcome because the calendar moved (src/test/fixture-clock.test.ts guards this).
  const at = () => deps.clock.now().toString();

  const w = await withTransaction(deps.db, async (tx) => {
    const facility = async (n: number) => {
      const id = ids();
      await tx.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
        VALUES (${id}, ${makeFacilityNumber('22', seed + n)}, ${`Център ${n}`}, 'mc', '22', 'София', 'ул. Тестова 1', ${at()}, ${at()})`);
      return id;
    };
    const providerId = await facility(1);
    const requesterFacilityId = await facility(2);
    const uncontractedFacilityId = await facility(3);
    const practitioner = async (n: number, facilityId: string) => {
      const id = ids();
      await tx.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at) VALUES (${id}, ${makeUin(seed * 10 + n)}, ${`Д-р ${n}`}, 'Тестов', ${at()})`);
      await tx.execute(sql`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) VALUES (${ids()}, ${id}, ${facilityId}, ${at()})`);
      await tx.execute(sql`INSERT INTO practitioner_specialty (practitioner_id, specialty_code) VALUES (${id}, ${CARDIOLOGY})`);
      return id;
    };
    const cardiologistId = await practitioner(1, providerId);
    const cardiologist2Id = await practitioner(2, providerId);
    const requesterPractitionerId = await practitioner(3, requesterFacilityId);
    await tx.execute(sql`INSERT INTO practitioner_role (id, practitioner_id, facility_id, created_at) VALUES (${ids()}, ${requesterPractitionerId}, ${uncontractedFacilityId}, ${at()})`);
    const service = async (mode: string, status: string) => {
      const id = ids();
      await tx.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, nhif_paid, status, created_at, updated_at)
        VALUES (${id}, ${providerId}, ${CARDIOLOGY}, 'consultation', ${`Кардиология ${mode}`}, 'Консултация', ${mode}, 30, true, ${status}, ${at()}, ${at()})`);
      return id;
    };
    const syncServiceId = await service('synchronous', 'published');
    const asyncServiceId = await service('asynchronous', 'published');
    const draftServiceId = await service('synchronous', 'draft');
    const schedule = async (serviceId: string) => {
      const id = ids();
      await tx.execute(sql`INSERT INTO schedule (id, facility_id, practitioner_id, service_id, time_zone, slot_minutes, valid_from, created_at, updated_at)
        VALUES (${id}, ${providerId}, ${cardiologistId}, ${serviceId}, 'Europe/Sofia', 30, '2026-11-01', ${at()}, ${at()})`);
      return id;
    };
    const scheduleId = await schedule(syncServiceId);
    const draftScheduleId = await schedule(draftServiceId);
    const slotWorld = { scheduleId, practitionerId: cardiologistId, facilityId: providerId, serviceId: syncServiceId };
    const slots = await insertSlots(tx, ids, slotWorld, opts.slots ?? 20, opts.from ?? '2026-12-01T07:00:00Z', 30);
    const [draftSlot] = await insertSlots(tx, ids, { ...slotWorld, scheduleId: draftScheduleId, serviceId: draftServiceId }, 1, Temporal.Instant.from(opts.from ?? '2026-12-01T07:00:00Z').add({ hours: 19 * 24 }).toString(), 30);
    // Art. 14(3): the requesting facility may consult the provider in cardiology.
    const contractId = ids();
    await tx.execute(sql`INSERT INTO emergency_contract (id, requester_facility_id, provider_facility_id, reference, valid_from, created_at, updated_at)
      VALUES (${contractId}, ${requesterFacilityId}, ${providerId}, 'Д-101/2026', '2026-01-01', ${at()}, ${at()})`);
    await tx.execute(sql`INSERT INTO emergency_contract_specialty (contract_id, specialty_code) VALUES (${contractId}, ${CARDIOLOGY})`);
    await deps.requests.setRotaIn(tx, providerId, CARDIOLOGY, [cardiologistId, cardiologist2Id]);

    const patient = async (given: string, birth: string, n: number) =>
      deps.patients.createPatient(tx, ctx, {
        identifierKind: 'egn',
        identifier: makeEgn(Temporal.PlainDate.from(birth), 'female', ((seed + n) % 400) + 1),
        givenName: given,
        familyName: 'Тестова',
        birthDate: birth,
        sex: 'female',
      });
    const patientId = await patient('Мария', '1984-03-17', 1);
    const otherPatientId = await patient('Елена', '1979-11-02', 2);
    const childId = await patient('Ния', '2018-05-05', 3);

    const accounts = {} as Record<WorldActor, string>;
    const secrets = {} as Record<WorldActor, string>;
    const account = async (name: WorldActor, role: Role, links: { practitionerId?: string; patientId?: string; facilityIds?: string[] }) => {
      accounts[name] = await deps.identity.createAccount(tx, ctx, { email: email(name.toLowerCase()), password: PASSWORD, role, ...links });
      secrets[name] = (await enrolTotpForDemo(deps, tx, ctx, accounts[name])).secret;
    };
    await account('patient', 'patient', { patientId });
    await account('otherPatient', 'patient', { patientId: otherPatientId });
    await account('parent', 'representative', {});
    await account('cardiologist', 'specialist', { practitionerId: cardiologistId });
    await account('cardiologist2', 'specialist', { practitionerId: cardiologist2Id });
    await account('requesterSpecialist', 'specialist', { practitionerId: requesterPractitionerId });
    await account('facilityAdmin', 'facility_admin', { facilityIds: [providerId] });
    await account('operator', 'operator', {});
    await tx.execute(sql`INSERT INTO representative_link (id, representative_account_id, patient_id, basis, document_ref_enc, facility_id, valid_from, created_by, created_at)
      VALUES (${ids()}, ${accounts.parent}, ${childId}, 'parent', ${await deps.keyring.encrypt(tx, 'registry', 'Акт за раждане', 'test')}, ${providerId}, ${deps.clock.now().subtract({ hours: 24 }).toString()}, ${accounts.facilityAdmin}, ${deps.clock.now().toString()})`);
    return { providerId, requesterFacilityId, uncontractedFacilityId, syncServiceId, asyncServiceId, draftServiceId, cardiologistId, cardiologist2Id, requesterPractitionerId, patientId, otherPatientId, childId, slots, draftSlotId: draftSlot?.id ?? '', accounts, secrets, slotWorld };
  });

  const referrals = referralFixture(deps, { facilityId: w.requesterFacilityId, practitionerId: w.requesterPractitionerId, accountId: w.accounts.requesterSpecialist });
  const referral: RequestsWorld['referral'] = async (patientId = w.patientId, o = {}) =>
    (await withTransaction(deps.db, (tx) => referrals.issue(tx, { patientId, specialtyCode: o.specialtyCode ?? CARDIOLOGY, ...o }))).nrn;
  const ownPatient: Partial<Record<WorldActor, string>> = { patient: w.patientId, otherPatient: w.otherPatientId };
  const headers = {} as Record<WorldActor, Record<string, string>>;
  for (const name of Object.keys(w.accounts) as WorldActor[]) {
    headers[name] = await signIn(app, email(name.toLowerCase()), w.secrets[name], epochSeconds);
  }
  return {
    ...w,
    headers,
    referral,
    signInAgain: async (actor) => {
      headers[actor] = await signIn(app, email(actor.toLowerCase()), w.secrets[actor], Math.floor(deps.clock.now().epochMilliseconds / 1000));
    },
    as: async (actor, req) => {
      let payload = req.payload as Record<string, unknown> | undefined;
      // W14: the world's services are NHIF-paid cardiology and its patients insured, so a patient-side
      // booking carries a fresh referral of the patient, unless the test gives its own `referralNrn` (or
      // the key with undefined, to book without one).
      if (req.method === 'POST' && req.url === '/api/v1/requests' && PATIENT_SIDE.includes(actor) && payload && !('referralNrn' in payload) && payload['urgency'] === 'planned') {
        const patientId = (payload['patientId'] as string | undefined) ?? ownPatient[actor as WorldActor];
        if (patientId) payload = { ...payload, referralNrn: await referral(patientId) };
      }
      return app.inject({
        method: req.method,
        url: req.url,
        headers: { ...(actor === 'anonymous' ? {} : headers[actor]), ...req.headers },
        ...(payload === undefined ? {} : { payload }),
      });
    },
    addSlots: (n, from, minutes = 30) =>
      withTransaction(deps.db, async (tx) => {
        // A second schedule of the same specialist and service (slots of one schedule never repeat a start).
        const scheduleId = ids();
        await tx.execute(sql`INSERT INTO schedule (id, facility_id, practitioner_id, service_id, time_zone, slot_minutes, valid_from, created_at, updated_at)
          VALUES (${scheduleId}, ${w.providerId}, ${w.cardiologistId}, ${w.syncServiceId}, 'Europe/Sofia', ${minutes}, '2026-11-01', ${at()}, ${at()})`);
        return insertSlots(tx, ids, { ...w.slotWorld, scheduleId }, n, from, minutes);
      }),
  };
}
