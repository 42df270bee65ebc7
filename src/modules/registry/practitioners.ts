import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import { validateUin } from '../../platform/identifiers.js';
import type { Practitioner, PractitionerInput, PractitionerRoleInput, PractitionerUpdate } from '../../contracts/registry.js';
import { assertManages, assertManagesAny, manageableFacilityIds } from './registry-access.js';
import { invalid, toPractitioner, versionMismatch, type PractitionerLoaded, type RegistryCore } from './registry-shared.js';
import * as repo from './registry.repo.js';

/**
 * Specialists: registration (UIN validated), changes, and their roles at facilities (Art. 15 item 3).
 * @param core - the registry's shared core
 * @returns the use cases
 */
export function createPractitionerUseCases(core: RegistryCore) {
  const { deps, run, reader, now, facilityOr404, assertSpecialties } = core;
  const service = {
    /**
     * Registers a specialist with specialties and the facilities they work for, in the caller's transaction.
     * @param q - the transaction
     * @param ctx - a coordinator or an administrator of every listed facility
     * @param input - practitioner data
     * @returns the practitioner id
     */
    async createPractitioner(q: Queryable, ctx: RequestCtx, input: PractitionerInput): Promise<string> {
      await assertManages(q, ctx, ...input.facilityIds);
      const uin = validateUin(input.uin);
      if (!uin.ok) throw invalid('#/uin', `Invalid UIN (${uin.reason})`);
      await assertSpecialties(q, input.specialtyCodes, '#/specialtyCodes');
      if (await repo.findPractitionerByUin(q, input.uin)) throw new AppError('resource.conflict', { detail: 'A specialist with this UIN is already registered', errors: [{ in: 'body', pointer: '#/uin', detail: 'taken' }] });
      const id = deps.ids.uuid();
      const at = now();
      await repo.insertPractitioner(
        q,
        { id, uin: input.uin, givenName: input.givenName, familyName: input.familyName, createdAt: at, updatedAt: at },
        [...new Set(input.specialtyCodes)],
        [...new Set(input.facilityIds)].map((facilityId) => ({ id: deps.ids.uuid(), practitionerId: id, facilityId, createdAt: at })),
      );
      await deps.audit.record(q, ctx, { action: 'practitioner.created', subject: { type: 'practitioner', id }, data: { facilityIds: input.facilityIds, specialtyCodes: input.specialtyCodes } });
      return id;
    },

    /**
     * Registers a specialist in its own transaction.
     * @param ctx - a coordinator or an administrator of every listed facility
     * @param input - practitioner data
     * @returns the practitioner
     */
    async registerPractitioner(ctx: RequestCtx, input: PractitionerInput): Promise<Practitioner> {
      return run(async (tx) => {
        const id = await service.createPractitioner(tx, ctx, input);
        const [p] = await repo.loadPractitioners(tx, { ids: [id] });
        return toPractitioner(p as PractitionerLoaded);
      });
    },

    /**
     * The specialists working for a facility.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns the specialists with their roles
     */
    async listPractitioners(ctx: RequestCtx, facilityId: string): Promise<{ items: Practitioner[] }> {
      await assertManages(reader, ctx, facilityId);
      return { items: (await repo.loadPractitioners(reader, { facilityId })).map(toPractitioner) };
    },

    /**
     * Changes a specialist's names, specialties or active flag.
     * @param ctx - a coordinator or an administrator of a facility the specialist works for
     * @param id - practitioner id
     * @param input - fields and the version seen
     * @returns the practitioner
     */
    async updatePractitioner(ctx: RequestCtx, id: string, input: PractitionerUpdate): Promise<Practitioner> {
      return run(async (tx) => {
        // Security: authorisation before existence (the role first); an administrator or coordinator of any
        // facility the specialist works for may edit the person.
        // An unknown id answers as another facility's specialist does.
        const [p] = await repo.loadPractitioners(tx, { ids: [id] });
        await assertManagesAny(tx, ctx, p?.roles.map((r) => r.facilityId) ?? [], { kind: 'practitioner', id });
        if (!p) throw new NotFoundError('practitioner', id);
        const { version, specialtyCodes, ...fields } = input;
        const row = await repo.updatePractitioner(tx, id, version, { ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)), updatedAt: now() });
        if (!row) throw versionMismatch();
        if (specialtyCodes) {
          await assertSpecialties(tx, specialtyCodes, '#/specialtyCodes');
          await repo.replacePractitionerSpecialties(tx, id, [...new Set(specialtyCodes)]);
        }
        await deps.audit.record(tx, ctx, { action: 'practitioner.updated', subject: { type: 'practitioner', id }, data: { fields: [...Object.keys(fields), ...(specialtyCodes ? ['specialtyCodes'] : [])] } });
        const [after] = await repo.loadPractitioners(tx, { ids: [id] });
        return toPractitioner(after as PractitionerLoaded);
      });
    },

    /**
     * Adds an already registered specialist (found by UIN) to a facility, or changes their role there:
     * whether they work for it and whether they are listed as a telemedicine provider (Art. 15 item 3).
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param practitionerId - practitioner id
     * @param input - active and listed flags
     * @returns the practitioner
     */
    async setPractitionerRole(ctx: RequestCtx, facilityId: string, practitionerId: string, input: PractitionerRoleInput): Promise<Practitioner> {
      await assertManages(reader, ctx, facilityId);
      return run(async (tx) => {
        await facilityOr404(tx, facilityId);
        const [p] = await repo.loadPractitioners(tx, { ids: [practitionerId] });
        if (!p) throw new NotFoundError('practitioner', practitionerId);
        await repo.upsertPractitionerRole(tx, { id: deps.ids.uuid(), practitionerId, facilityId, active: input.active, listed: input.listed, createdAt: now() });
        await deps.audit.record(tx, ctx, { action: 'practitioner.role_changed', facilityId, subject: { type: 'practitioner', id: practitionerId }, data: input });
        await core.publicChange(tx, facilityId);
        const [after] = await repo.loadPractitioners(tx, { ids: [practitionerId] });
        return toPractitioner(after as PractitionerLoaded);
      });
    },

    /**
     * Finds a registered specialist by UIN, to add them to another facility.
     * @param ctx - an administrator
     * @param uin - the UIN
     * @returns the practitioner
     */
    async findPractitionerByUin(ctx: RequestCtx, uin: string): Promise<Practitioner> {
      await manageableFacilityIds(reader, ctx);
      const row = await repo.findPractitionerByUin(reader, uin);
      if (!row) throw new NotFoundError('practitioner', uin);
      const [p] = await repo.loadPractitioners(reader, { ids: [row.id] });
      return toPractitioner(p as PractitionerLoaded);
    },
  };
  return service;
}
