import { sql } from 'drizzle-orm';
import type { Queryable } from '../platform/db/index.js';
import type { IdGen } from '../platform/ids.js';
import type { Clock } from '../platform/clock.js';
import { facilityScope, type Keyring } from '../platform/crypto/keyring.js';
import type { RequestForm } from '../contracts/requests.js';

// Test and benchmark fixture for the consultation: a request in the state the requests
// module leaves it after booking and acceptance, written with plain SQL against the tables of
// migrations/0006-0007 so the consultation can be tested while the requests service evolves. The form
// is a real envelope under the providing facility's key (as the requests service writes it), so the
// outbox handlers and the request detail decrypt it like any other.

/** The form the fixture files: contact data only, as a patient would enter it (no real person). */
export const FIXTURE_FORM: RequestForm = { phone: '+359 88 555 0101', circumstances: null, intake: { anamnesis: 'Тестова заявка' } };

export interface RequestFixtureInput {
  facilityId: string;
  practitionerId: string;
  /** The patient account's patient, for a patient-requested planned service. */
  patientId: string;
  requesterAccountId: string;
  mode?: 'synchronous' | 'asynchronous';
  status?: 'accepted' | 'scheduled' | 'in_progress' | 'requested';
  /** Start of the booked slot (ISO); defaults to 2026-11-25T09:00:00Z. */
  start?: string;
}

/** What the fixture needs from the app: ids, the clock and the keyring (the app's `deps` will do). */
export interface RequestFixtureDeps {
  ids: IdGen;
  /** Fixture rows are stamped with the app's clock, never the database's now(). */
  clock: Clock;
  keyring: Keyring;
}

/**
 * Inserts a published service, a schedule and a slot (synchronous) and a planned request for them.
 * @param q - the database or a transaction
 * @param deps - the app's `deps` (ids, and the keyring that encrypts the form as the service does)
 * @param input - who and how
 * @returns the request id
 */
export async function insertRequestFixture(q: Queryable, deps: RequestFixtureDeps, input: RequestFixtureInput): Promise<string> {
  const ids = deps.ids;
  const at = deps.clock.now().toString();
  const mode = input.mode ?? 'synchronous';
  const start = input.start ?? '2026-11-25T09:00:00Z';
  const end = new Date(new Date(start).getTime() + 30 * 60_000).toISOString();
  const serviceId = ids.uuid();
  await q.execute(sql`INSERT INTO facility_service (id, facility_id, specialty_code, kind_code, name, description, mode, typical_minutes, price_eur_cents, nhif_paid, status, published_at, created_at, updated_at)
    VALUES (${serviceId}, ${input.facilityId}, '1020', 'consultation', 'Кардиологична консултация', 'Тест', ${mode}, 30, 5000, false, 'published', ${at}, ${at}, ${at})`);
  let slotId: string | null = null;
  if (mode === 'synchronous') {
    const scheduleId = ids.uuid();
    slotId = ids.uuid();
    await q.execute(sql`INSERT INTO schedule (id, facility_id, practitioner_id, service_id, time_zone, slot_minutes, valid_from, created_at, updated_at)
      VALUES (${scheduleId}, ${input.facilityId}, ${input.practitionerId}, ${serviceId}, 'Europe/Sofia', 30, '2026-01-01', ${at}, ${at})`);
    await q.execute(sql`INSERT INTO slot (id, schedule_id, practitioner_id, facility_id, service_id, specialty_code, start, "end", status)
      VALUES (${slotId}, ${scheduleId}, ${input.practitionerId}, ${input.facilityId}, ${serviceId}, '1020', ${start}, ${end}, 'busy')`);
  }
  const requestId = ids.uuid();
  // Security: the keyring context of the requests service's form (`request:<id>:intake`, requests.service.ts).
  const formEnc = await deps.keyring.encryptJson(q, facilityScope(input.facilityId), FIXTURE_FORM, `request:${requestId}:intake`);
  await q.execute(sql`INSERT INTO service_request (id, urgency, mode, status, requester_kind, requester_account_id, recipient_kind, patient_id,
      provider_facility_id, specialty_code, service_id, practitioner_id, slot_id, form_enc, created_at, updated_at)
    VALUES (${requestId}, 'planned', ${mode}, ${input.status ?? 'scheduled'}, 'patient', ${input.requesterAccountId}, 'patient', ${input.patientId},
      ${input.facilityId}, '1020', ${serviceId}, ${input.practitionerId}, ${slotId}, ${formEnc}, ${at}, ${at})`);
  return requestId;
}
