import { toDate } from '../../platform/clock.js';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { ForbiddenError } from '../../platform/errors/app-error.js';
import type { EmergencyRota, EmergencyTargetList } from '../../contracts/requests.js';
import * as repo from './requests.repo.js';
import { invalid, requireUser, type RequestsDeps } from './request-common.js';

/**
 * Emergencies between facilities (Art. 14(3)): where a specialist may send one, and each facility's
 * rota of specialists on duty, in escalation order.
 * @param deps - the requests dependencies
 * @returns listEmergencyTargets, getRota, setRota, setRotaIn
 */
export function createEmergencyRota(deps: RequestsDeps) {
  const { db, clock, audit } = deps;

  const rota = {
    /**
     * Facilities and specialties the signed-in specialist may send emergencies to (Art. 14(3)).
     * @param ctx - a specialist
     * @returns contracted facilities with their specialties and how many are on duty
     */
    async listEmergencyTargets(ctx: RequestCtx): Promise<EmergencyTargetList> {
      const actor = requireUser(ctx);
      if (actor.role !== 'specialist') throw new ForbiddenError('Emergencies are filed by specialists');
      // Time zone: each contract is valid on the provider's calendar dates (Europe/Sofia by default), not UTC's.
      const rows = await repo.listEmergencyTargets(db, actor.facilityIds, toDate(clock.now()));
      const byFacility = new Map<string, EmergencyTargetList['items'][number]>();
      for (const r of rows) {
        const key = `${r.requester_facility_id}:${r.facility_id}`;
        const item = byFacility.get(key) ?? { requesterFacilityId: r.requester_facility_id, facilityId: r.facility_id, facilityName: r.facility_name, specialties: [] };
        item.specialties.push({ code: r.specialty_code, name: ctx.lang === 'en' ? r.specialty_name_en : r.specialty_name_bg, onDuty: r.on_duty });
        byFacility.set(key, item);
      }
      return { items: [...byFacility.values()] };
    },

    /**
     * The emergency rota of a facility for a specialty.
     * @param ctx - an administrator or coordinator of the facility, or a specialist working there
     */
    async getRota(ctx: RequestCtx, facilityId: string, specialtyCode: string): Promise<EmergencyRota> {
      const actor = requireUser(ctx);
      if (!actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Not your facility');
      const members = await repo.listRota(db, facilityId, specialtyCode);
      return { facilityId, specialtyCode, members: members.map((m) => ({ position: m.position, practitionerId: m.practitioner_id, practitionerName: m.practitioner_name })) };
    },

    /**
     * Replaces the emergency rota (order = escalation order).
     * @param ctx - an administrator or coordinator of the facility
     * @throws {ForbiddenError} otherwise
     */
    async setRota(ctx: RequestCtx, facilityId: string, specialtyCode: string, practitionerIds: readonly string[]): Promise<EmergencyRota> {
      const actor = requireUser(ctx);
      if (!['facility_admin', 'coordinator'].includes(actor.role) || !actor.facilityIds.includes(facilityId)) throw new ForbiddenError('Only the facility administration sets the rota');
      await withTransaction(db, async (tx) => {
        for (const pid of practitionerIds) {
          if (!(await repo.practitionerServes(tx, pid, facilityId, specialtyCode))) throw invalid('#/practitionerIds', 'Each specialist must work here and hold the specialty');
        }
        await repo.replaceRota(tx, facilityId, specialtyCode, practitionerIds, toDate(clock.now()));
        await audit.record(tx, ctx, { action: 'request.rota_changed', facilityId, data: { specialty: specialtyCode, count: practitionerIds.length } });
      });
      return rota.getRota(ctx, facilityId, specialtyCode);
    },

    /**
     * Seeds or changes the rota inside a caller's transaction (demo seeding, CLI).
     * @param q - the transaction
     */
    async setRotaIn(q: Queryable, facilityId: string, specialtyCode: string, practitionerIds: readonly string[]): Promise<void> {
      await repo.replaceRota(q, facilityId, specialtyCode, practitionerIds, toDate(clock.now()));
    },
  };
  return rota;
}
