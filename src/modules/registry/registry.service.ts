import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, RuleViolation } from '../../platform/errors/app-error.js';
import { validateFacilityNumber, validateUin } from '../../platform/identifiers.js';
import type { FacilityInput, PractitionerInput } from '../../contracts/registry.js';
import { findFacilityType, insertFacility, insertPractitioner, countFacilities } from './registry.repo.js';

/**
 * The register of facilities and practitioners that provide telemedicine (Art. 24).
 * @param deps - clock, ids and audit
 * @returns the registry service
 */
export function createRegistryService(deps: { clock: Clock; ids: IdGen; audit: AuditLog }) {
  return {
    /**
     * Registers a facility.
     * @param q - the transaction
     * @param ctx - who registers it
     * @param input - facility data
     * @returns the facility id
     * @throws {RuleViolation} R-TM-02 when the facility type may not provide telemedicine
     */
    async createFacility(q: Queryable, ctx: RequestCtx, input: FacilityInput): Promise<string> {
      const number = validateFacilityNumber(input.number);
      if (!number.ok) {
        throw new AppError('request.invalid', { detail: `Invalid facility number (${number.reason})`, errors: [{ in: 'body', pointer: '#/number', detail: number.reason }] });
      }
      const type = await findFacilityType(q, input.typeCode);
      if (!type) throw new AppError('request.invalid', { detail: 'Unknown facility type', errors: [{ in: 'body', pointer: '#/typeCode', detail: 'unknown' }] });
      // Regulatory: Art. 4(2) — types of ЗЛЗ Art. 10 items 2, 5, 7 cannot provide telemedicine (R-TM-02).
      if (!type.eligible) throw new RuleViolation('R-TM-02', `Facilities of type "${type.nameEn}" may not provide medical care at a distance`);
      const id = deps.ids.uuid();
      const now = toDate(deps.clock.now());
      await insertFacility(q, { id, ...input, createdAt: now, updatedAt: now });
      await deps.audit.record(q, ctx, { action: 'facility.created', facilityId: id, subject: { type: 'facility', id } });
      return id;
    },

    /**
     * Registers a practitioner with specialties and the facilities they work for.
     * @param q - the transaction
     * @param ctx - who registers them
     * @param input - practitioner data
     * @returns the practitioner id
     */
    async createPractitioner(q: Queryable, ctx: RequestCtx, input: PractitionerInput): Promise<string> {
      const uin = validateUin(input.uin);
      if (!uin.ok) throw new AppError('request.invalid', { detail: `Invalid UIN (${uin.reason})`, errors: [{ in: 'body', pointer: '#/uin', detail: uin.reason }] });
      const id = deps.ids.uuid();
      const now = toDate(deps.clock.now());
      await insertPractitioner(
        q,
        { id, uin: input.uin, givenName: input.givenName, familyName: input.familyName, createdAt: now },
        input.specialtyCodes,
        input.facilityIds.map((facilityId) => ({ id: deps.ids.uuid(), practitionerId: id, facilityId, createdAt: now })),
      );
      await deps.audit.record(q, ctx, { action: 'practitioner.created', subject: { type: 'practitioner', id } });
      return id;
    },

    countFacilities,
  };
}
export type RegistryService = ReturnType<typeof createRegistryService>;
