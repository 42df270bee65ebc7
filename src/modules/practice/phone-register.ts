import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { CreatePhoneConsultationBody, PhoneConsultation } from '../../contracts/practice.js';
import { checkPhoneConsultation } from './desk-rules.js';
import { assertPracticeStaff, openFor, ruleRefusal, sealFor, type PracticeDeps } from './practice.deps.js';
import { localDay } from './price-list.js';
import { recordVisitUseCase } from './record-visit.js';
import * as repo from './practice.repo.js';

const topicContext = (id: string) => `practice_phone_consultation:${id}:topic`;

/**
 * `POST /practices/:id/phone-consultations` and `GET …?date=`: the phone register (W17). Every medical and
 * administrative call is registered (R-PC-07); a medical one is the GP's and is recorded as a phone
 * encounter (no user fee); a refusal books an ambulatory consultation (R-PC-08). The topic is encrypted.
 * @returns the use cases
 */
export function phoneRegisterUseCases(deps: PracticeDeps) {
  const recordVisit = recordVisitUseCase(deps);
  return {
    async recordPhoneConsultation(ctx: RequestCtx, facilityId: string, body: CreatePhoneConsultationBody): Promise<PhoneConsultation> {
      const actor = await assertPracticeStaff(deps, ctx, facilityId);
      const check = checkPhoneConsultation(body);
      if (!check.ok) throw ruleRefusal('practice.phone_entry_invalid', check.ruleId, check.why);
      const calledAt = body.calledAt ? Temporal.Instant.from(body.calledAt) : deps.clock.now();
      const id = deps.ids.uuid();
      const insert = async (tx: Parameters<Parameters<typeof withTransaction>[1]>[0], encounterId: string | null) => {
        const practitionerId = await repo.practitionerOfAccount(tx, actor.id);
        await repo.insertPhone(tx, {
          id,
          facilityId,
          encounterId,
          patientId: body.patientId ?? null,
          practitionerId,
          kind: body.kind,
          caller: body.caller,
          basis: body.basis ?? null,
          outcome: body.outcome,
          refusalReason: body.refusalReason ?? null,
          bookedFor: body.bookedFor ?? null,
          calledAt: calledAt.toString(),
          topicEnc: await sealFor(deps, tx, facilityId, body.topic, topicContext(id)),
          recordedBy: actor.id,
          createdAt: deps.clock.now().toString(),
        });
        await deps.audit.record(tx, ctx, { action: 'practice.phone_consultation_recorded', facilityId, ...(body.patientId ? { patientId: body.patientId } : {}), subject: { type: 'practice_phone_consultation', id }, data: { kind: body.kind, outcome: body.outcome } });
      };
      let encounterId: string | null = null;
      if (body.kind === 'medical' && body.patientId) {
        const visit = await recordVisit(ctx, { facilityId, patientId: body.patientId, kind: 'phone', purpose: 'treatment', startedAt: calledAt, emergency: false, priceTold: false }, (tx, enc) => insert(tx, enc));
        encounterId = visit.encounterId;
      } else {
        await withTransaction(deps.db, (tx) => insert(tx, null));
      }
      return { id, facilityId, encounterId, patientId: body.patientId ?? null, kind: body.kind, caller: body.caller, basis: body.basis ?? null, outcome: body.outcome, refusalReason: body.refusalReason ?? null, bookedFor: body.bookedFor ?? null, calledAt: calledAt.toString(), topic: body.topic };
    },

    async listPhoneConsultations(ctx: RequestCtx, facilityId: string, date?: string): Promise<{ date: string; items: PhoneConsultation[] }> {
      await assertPracticeStaff(deps, ctx, facilityId);
      const day = date ?? localDay(deps.clock.now(), deps.zone);
      const from = Temporal.PlainDate.from(day).toZonedDateTime({ timeZone: deps.zone }).toInstant().toString();
      const to = Temporal.PlainDate.from(day).add({ days: 1 }).toZonedDateTime({ timeZone: deps.zone }).toInstant().toString();
      return withTransaction(deps.db, async (tx) => {
        const rows = await repo.listPhoneBetween(tx, facilityId, from, to);
        const items: PhoneConsultation[] = [];
        for (const r of rows) {
          items.push({
            id: r.id,
            facilityId,
            encounterId: r.encounter_id,
            patientId: r.patient_id,
            kind: r.kind,
            caller: r.caller,
            basis: r.basis,
            outcome: r.outcome,
            refusalReason: r.refusal_reason,
            bookedFor: r.booked_for ? new Date(r.booked_for).toISOString() : null,
            calledAt: new Date(r.called_at).toISOString(),
            topic: await openFor<string>(deps, ctx, tx, facilityId, r.topic_enc, topicContext(r.id)),
          });
        }
        await deps.audit.record(tx, ctx, { action: 'practice.queue_read', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: items.length, list: 'phone', date: day } });
        return { date: day, items };
      });
    },
  };
}
