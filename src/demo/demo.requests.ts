import { sql } from 'drizzle-orm';
import type { Deps } from '../composition.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { ART7_CHECKLIST_ALL_MET } from '../contracts/common.js';

/**
 * Demo only: a few requests of the demo patient with the demo specialist in different states
 * (requested, scheduled, cancelled), filed and moved through the requests module's public use cases
 * (rules, audit, outbox apply as to anyone). Runs after the seeding transaction.
 * @param deps - the app dependencies
 * @param refs - the demo patient record, specialist and facility
 * @param referrals - НРН of the demo patient's № 3 to cardiology: each NHIF-paid booking takes one (W14)
 * @returns how many requests were filed
 */
export async function seedDemoRequests(deps: Deps, refs: { patientId: string; practitionerId: string; facilityId: string }, referrals: string[] = []): Promise<number> {
  // Demo only: the identity module has no lookup of an account by patient or practitioner; read the two ids.
  const accounts = await deps.db.execute<{ id: string; role: string }>(
    sql`SELECT id, role FROM user_account WHERE status = 'active' AND (patient_id = ${refs.patientId} OR practitioner_id = ${refs.practitionerId})`,
  );
  const patientAccount = accounts.rows.find((a) => a.role === 'patient')?.id;
  const specialistAccount = accounts.rows.find((a) => a.role === 'specialist')?.id;
  if (!patientAccount || !specialistAccount) return 0;
  const base = { requestId: 'system:demo', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' as const };
  const patientCtx: RequestCtx = { ...base, actor: { type: 'user', id: patientAccount, role: 'patient', sessionId: 'demo', facilityIds: [], patientId: refs.patientId } };
  const specialistCtx: RequestCtx = { ...base, actor: { type: 'user', id: specialistAccount, role: 'specialist', sessionId: 'demo', facilityIds: [refs.facilityId] } };
  // Later slots (from the 7th free one, 48 hours ahead), so the patient's 24-hour change rule still
  // allows the cancellation below and the health-record demo keeps the earliest times.
  const after = deps.clock.now().add({ hours: 48 }).toString();
  const slots = (
    await deps.db.execute<{ id: string; service_id: string; specialty_code: string }>(
      sql`SELECT s.id, s.service_id, s.specialty_code FROM slot s JOIN facility_service fs ON fs.id = s.service_id
          WHERE s.practitioner_id = ${refs.practitionerId} AND s.facility_id = ${refs.facilityId} AND s.status = 'free' AND s.start > ${after}::timestamptz
            AND fs.status = 'published' AND fs.mode = 'synchronous'
          ORDER BY s.start OFFSET 6 LIMIT 3`,
    )
  ).rows;
  const file = (slot: { id: string; service_id: string; specialty_code: string }, circumstances: string) =>
    deps.requests.createRequest(patientCtx, {
      urgency: 'planned',
      mode: 'synchronous',
      facilityId: refs.facilityId,
      specialtyCode: slot.specialty_code,
      serviceId: slot.service_id,
      slotId: slot.id,
      phone: '+359 88 800 0001',
      circumstances,
      intake: { anamnesis: 'Демо: артериална хипертония от 5 години', medicines: 'Демо: амлодипин 5 mg' },
      referralNrn: referrals.shift(),
    });
  const [a, b, c] = slots;
  if (a) await file(a, 'Демо: заявка, която чака потвърждение');
  if (b) {
    const r = await file(b, 'Демо: потвърдена заявка');
    await deps.requests.transition(specialistCtx, r.request.id, { action: 'accept', checklist: ART7_CHECKLIST_ALL_MET });
  }
  if (c) {
    const r = await file(c, 'Демо: отменена заявка');
    await deps.requests.transition(patientCtx, r.request.id, { action: 'cancel', reason: 'Демо: пациентът е възпрепятстван' });
  }
  return slots.length;
}
