import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { RuleViolation } from '../../platform/errors/app-error.js';
import { validateFacilityNumber } from '../../platform/identifiers.js';
import type { Facility, FacilityInput, FacilityStatusChange, FacilityUpdate, ReferenceData } from '../../contracts/registry.js';
import { assertCoordinator, assertManages, manageableFacilityIds } from './registry-access.js';
import { isValidEkatte } from './registry-rules.js';
import type { Cl006Entry } from './cl006.js';
import { invalid, toFacility, versionMismatch, type RegistryCore } from './registry-shared.js';
import * as repo from './registry.repo.js';

/**
 * Reference data and the register of facilities (Art. 4, 24): registration, changes, suspension.
 * @param core - the registry's shared core
 * @returns the use cases
 */
export function createFacilityUseCases(core: RegistryCore) {
  const { deps, run, reader, now, facilityOr404 } = core;
  const service = {
    /**
     * Facility types, specialties, RHIF regions and service kinds (public data).
     * @returns the reference lists
     */
    async getReferenceData(): Promise<ReferenceData> {
      const r = await repo.listReferenceData(reader);
      return {
        facilityTypes: r.facilityTypes,
        specialties: r.specialties.map((s) => ({ code: s.code, nhifCode: s.nhifCode, nameBg: s.nameBg, nameEn: s.nameEn, dental: s.dental })),
        regions: r.regions,
        serviceKinds: r.serviceKinds.map((k) => ({ code: k.code, nameBg: k.nameBg, nameEn: k.nameEn, allowedForDental: k.allowedForDental, prohibitedRule: k.prohibitedRule })),
      };
    },

    /**
     * Loads the NHIS CL006 specialty nomenclature (from `distansia import specialties`).
     * @param ctx - a system or coordinator context
     * @param entries - parsed CL006 entries
     * @param source - where the file came from, stored per row
     * @returns how many rows were inserted or updated
     */
    async importSpecialties(ctx: RequestCtx, entries: readonly Cl006Entry[], source: string): Promise<number> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        const at = now();
        const n = await repo.upsertSpecialties(
          tx,
          entries.map((e) => ({ code: e.code, nameBg: e.nameBg, nameEn: e.nameEn ?? e.nameBg, nhifCode: e.nhifCode, dental: e.dental, source, updatedAt: at })),
        );
        await deps.audit.record(tx, ctx, { action: 'specialty.imported', data: { count: n, source } });
        return n;
      });
    },

    // ------------------------------------------------------------------ facilities

    /**
     * Registers a facility inside the caller's transaction (demo seeding, `registerFacility`).
     * @param q - the transaction
     * @param ctx - who registers it
     * @param input - facility data
     * @returns the facility id
     * @throws {RuleViolation} R-TM-02 when the facility type may not provide telemedicine
     */
    async createFacility(q: Queryable, ctx: RequestCtx, input: FacilityInput): Promise<string> {
      assertCoordinator(ctx);
      const number = validateFacilityNumber(input.number);
      if (!number.ok) throw invalid('#/number', `Invalid facility number (${number.reason})`);
      const type = await repo.findFacilityType(q, input.typeCode);
      if (!type) throw invalid('#/typeCode', 'Unknown facility type');
      // Regulatory: Art. 4(2) — types of ЗЛЗ Art. 10 items 2, 5, 7 cannot provide telemedicine (R-TM-02).
      if (!type.eligible) throw new RuleViolation('R-TM-02', `Facilities of type "${type.nameEn}" may not provide medical care at a distance`, [{ in: 'body', pointer: '#/typeCode', detail: 'R-TM-02' }]);
      if (!(await repo.findRegion(q, input.rhifCode))) throw invalid('#/rhifCode', 'Unknown RHIF region');
      if (input.ekatte && !isValidEkatte(input.ekatte)) throw invalid('#/ekatte', 'EKATTE check digit does not match');
      const id = deps.ids.uuid();
      const at = now();
      await repo.insertFacility(q, {
        id,
        ...input,
        description: input.description ?? '',
        timeZone: deps.defaultTimeZone,
        createdAt: at,
        updatedAt: at,
      });
      await deps.audit.record(q, ctx, { action: 'facility.created', facilityId: id, subject: { type: 'facility', id } });
      // Security: a coordinator manages what they register (on their own account) until it joins one of
      // their centres; no other coordinator sees it (docs/access.md "Coordinators").
      if (ctx.actor.type === 'user') await repo.linkAccountToFacility(q, ctx.actor.id, id, at);
      return id;
    },

    /**
     * Registers a facility in its own transaction.
     * @param ctx - a coordinator
     * @param input - facility data
     * @returns the facility
     * @throws {RuleViolation} R-TM-02 for an ineligible type
     */
    async registerFacility(ctx: RequestCtx, input: FacilityInput): Promise<Facility> {
      return run(async (tx) => {
        const id = await service.createFacility(tx, ctx, input);
        return toFacility(await facilityOr404(tx, id));
      });
    },

    /**
     * The facilities the actor administers (a coordinator: the members of their centres and the
     * facilities on their account).
     * @param ctx - an administrator or coordinator
     * @returns the facilities
     */
    async listManagedFacilities(ctx: RequestCtx): Promise<{ items: Facility[] }> {
      const ids = await manageableFacilityIds(reader, ctx);
      return { items: (await repo.listFacilities(reader, ids)).map(toFacility) };
    },

    /**
     * @param ctx - an administrator of the facility
     * @param id - facility id
     * @returns the facility
     */
    async getFacility(ctx: RequestCtx, id: string): Promise<Facility> {
      await assertManages(reader, ctx, id);
      return toFacility(await facilityOr404(reader, id));
    },

    /**
     * Changes a facility's data (optimistic lock on `version`).
     * @param ctx - an administrator of the facility
     * @param id - facility id
     * @param input - the changed fields and the version the editor saw
     * @returns the facility
     * @throws {AppError} `resource.version_mismatch` when someone else changed it first
     */
    async updateFacility(ctx: RequestCtx, id: string, input: FacilityUpdate): Promise<Facility> {
      await assertManages(reader, ctx, id);
      return run(async (tx) => {
        const before = await facilityOr404(tx, id);
        const { version, ...fields } = input;
        if (fields.typeCode !== undefined) {
          const type = await repo.findFacilityType(tx, fields.typeCode);
          if (!type) throw invalid('#/typeCode', 'Unknown facility type');
          if (!type.eligible) throw new RuleViolation('R-TM-02', `Facilities of type "${type.nameEn}" may not provide medical care at a distance`, [{ in: 'body', pointer: '#/typeCode', detail: 'R-TM-02' }]);
        }
        if (fields.rhifCode !== undefined && !(await repo.findRegion(tx, fields.rhifCode))) throw invalid('#/rhifCode', 'Unknown RHIF region');
        if (fields.ekatte && !isValidEkatte(fields.ekatte)) throw invalid('#/ekatte', 'EKATTE check digit does not match');
        const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        const row = await repo.updateFacility(tx, id, version, { ...set, updatedAt: now() });
        if (!row) throw versionMismatch();
        const changed = Object.keys(set).filter((k) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify((row as Record<string, unknown>)[k]));
        await deps.audit.record(tx, ctx, { action: 'facility.updated', facilityId: id, subject: { type: 'facility', id }, data: { fields: changed } });
        await core.publicChange(tx, id);
        return toFacility(row);
      });
    },

    /**
     * Suspends or reactivates a facility. Suspension hides it from the directory.
     * @param ctx - a coordinator, or an administrator of the facility
     * @param id - facility id
     * @param input - new status and the version seen
     * @returns the facility
     */
    async setFacilityStatus(ctx: RequestCtx, id: string, input: FacilityStatusChange): Promise<Facility> {
      await assertManages(reader, ctx, id);
      return run(async (tx) => {
        const before = await facilityOr404(tx, id);
        const row = await repo.updateFacility(tx, id, input.version, { status: input.status, updatedAt: now() });
        if (!row) throw versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'facility.status_changed', facilityId: id, subject: { type: 'facility', id }, data: { from: before.status, to: row.status } });
        await core.publicChange(tx, id);
        return toFacility(row);
      });
    },
  };
  return service;
}
