import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError, RuleViolation } from '../../platform/errors/app-error.js';
import type { EmergencyContract, EmergencyContractInput } from '../../contracts/registry.js';
import { assertManages, assertManagesAny, manageableFacilityIds } from './registry-access.js';
import { toContract, versionMismatch, type RegistryCore } from './registry-shared.js';
import * as repo from './registry.repo.js';

/**
 * Emergency-consultation contracts between facilities (Art. 14(3), R-TM-06).
 * @param core - the registry's shared core
 * @returns the use cases
 */
export function createEmergencyContractUseCases(core: RegistryCore) {
  const { deps, run, reader, now, today, assertSpecialties } = core;
  return {
    /**
     * Records an emergency-consultation contract: who consults whom, for which specialties, when.
     * @param ctx - a coordinator or an administrator of either party
     * @param input - parties, specialties, validity
     * @returns the contract
     */
    async createEmergencyContract(ctx: RequestCtx, input: EmergencyContractInput): Promise<EmergencyContract> {
      await assertManagesAny(reader, ctx, [input.requesterFacilityId, input.providerFacilityId], { kind: 'facility', id: input.requesterFacilityId });
      return run(async (tx) => {
        for (const fid of [input.requesterFacilityId, input.providerFacilityId]) {
          const f = await repo.findFacilityWithType(tx, fid);
          if (!f) throw new NotFoundError('facility', fid);
          if (!f.typeEligible) throw new RuleViolation('R-TM-02', 'This facility type may not provide medical care at a distance');
        }
        await assertSpecialties(tx, input.specialtyCodes, '#/specialtyCodes');
        const id = deps.ids.uuid();
        const at = now();
        await repo.insertContract(tx, { id, requesterFacilityId: input.requesterFacilityId, providerFacilityId: input.providerFacilityId, reference: input.reference, validFrom: input.validFrom, validTo: input.validTo ?? null, createdAt: at, updatedAt: at }, [...new Set(input.specialtyCodes)]);
        await deps.audit.record(tx, ctx, { action: 'emergency_contract.created', facilityId: input.requesterFacilityId, subject: { type: 'emergency_contract', id }, data: { providerFacilityId: input.providerFacilityId, specialtyCodes: input.specialtyCodes } });
        const [c] = await repo.loadContracts(tx, { id });
        return toContract(c as Awaited<ReturnType<typeof repo.loadContracts>>[number]);
      });
    },

    /**
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns contracts where the facility is a party
     */
    async listEmergencyContracts(ctx: RequestCtx, facilityId: string): Promise<{ items: EmergencyContract[] }> {
      await assertManages(reader, ctx, facilityId);
      return { items: (await repo.loadContracts(reader, { facilityId })).map(toContract) };
    },

    /**
     * Ends a contract today.
     * @param ctx - a coordinator or an administrator of either party
     * @param id - contract id
     * @param version - the version seen
     * @returns the terminated contract
     */
    async terminateEmergencyContract(ctx: RequestCtx, id: string, version: number): Promise<EmergencyContract> {
      return run(async (tx) => {
        // Security: authorisation before existence — the role first, then another facility's contract
        // answers like an unknown one.
        const scope = await manageableFacilityIds(tx, ctx);
        const [c] = await repo.loadContracts(tx, { id });
        if (!c || (scope && !scope.includes(c.requesterFacilityId) && !scope.includes(c.providerFacilityId))) throw new NotFoundError('emergency_contract', id);
        const day = today(deps.defaultTimeZone).toString();
        const row = await repo.terminateContract(tx, id, version, now(), c.validFrom > day ? c.validFrom : day);
        if (!row) throw c.status === 'terminated' ? new AppError('state.bad_transition', { detail: 'Already terminated' }) : versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'emergency_contract.terminated', facilityId: c.requesterFacilityId, subject: { type: 'emergency_contract', id } });
        const [after] = await repo.loadContracts(tx, { id });
        return toContract(after as Awaited<ReturnType<typeof repo.loadContracts>>[number]);
      });
    },

    /**
     * For routing emergency consultations: is there an active contract letting the
     * requesting facility consult the provider in this specialty at this instant? (Art. 14(3), R-TM-06)
     * @param q - the caller's transaction or the database
     * @param requesterFacilityId - the facility asking
     * @param providerFacilityId - the facility consulted
     * @param specialtyCode - CL006 code
     * @returns the contract id, or undefined
     */
    async findActiveEmergencyContract(q: Queryable, requesterFacilityId: string, providerFacilityId: string, specialtyCode: string): Promise<string | undefined> {
      const day = today(deps.defaultTimeZone).toString();
      return (await repo.findActiveContract(q, requesterFacilityId, providerFacilityId, specialtyCode, day))?.id;
    },
  };
}
