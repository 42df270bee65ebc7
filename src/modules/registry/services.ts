import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError, RuleViolation } from '../../platform/errors/app-error.js';
import type { Service, ServiceInput, ServiceUpdate } from '../../contracts/registry.js';
import { ServiceInputSchema } from '../../contracts/registry.js';
import { assertManages } from './registry-access.js';
import { facilityRefusal, serviceRefusal } from './registry-rules.js';
import { invalid, toService, versionMismatch, type RegistryCore } from './registry-shared.js';
import * as repo from './registry.repo.js';

/**
 * Remote services of a facility: drafts, changes, publication and withdrawal (Art. 7, 15).
 * @param core - the registry's shared core
 * @returns the use cases
 */
export function createServiceUseCases(core: RegistryCore) {
  const { deps, run, reader, now, facilityOr404, assertSpecialties, publicChange } = core;
  return {
    /**
     * Creates a service in draft. Art. 7 exclusions are checked now and again at publication.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param input - the service
     * @returns the draft service
     * @throws {RuleViolation} R-TM-13, R-TM-16 or R-TM-17 for an excluded kind
     */
    async createService(ctx: RequestCtx, facilityId: string, input: ServiceInput): Promise<Service> {
      await assertManages(reader, ctx, facilityId);
      const s = ServiceInputSchema.parse(input);
      return run(async (tx) => {
        await facilityOr404(tx, facilityId);
        const kind = await repo.findServiceKind(tx, s.kindCode);
        if (!kind) throw invalid('#/kindCode', 'Unknown service kind');
        const [specialty] = await assertSpecialties(tx, [s.specialtyCode], '#/specialtyCode');
        const refusal = serviceRefusal(kind, specialty as { code: string; dental: boolean });
        if (refusal) throw new RuleViolation(refusal.rule, refusal.detail, [{ in: 'body', pointer: refusal.pointer, detail: refusal.rule }]);
        const at = now();
        const row = await repo.insertService(tx, {
          id: deps.ids.uuid(),
          facilityId,
          specialtyCode: s.specialtyCode,
          kindCode: s.kindCode,
          name: s.name,
          description: s.description,
          mode: s.mode,
          typicalMinutes: s.typicalMinutes,
          priceEurCents: s.nhifPaid ? null : (s.priceEurCents ?? null),
          nhifPaid: s.nhifPaid,
          createdAt: at,
          updatedAt: at,
        });
        await deps.audit.record(tx, ctx, { action: 'service.created', facilityId, subject: { type: 'facility_service', id: row.id }, data: { specialtyCode: row.specialtyCode, kindCode: row.kindCode, mode: row.mode } });
        return toService(row);
      });
    },

    /**
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns every service of the facility, any status
     */
    async listServices(ctx: RequestCtx, facilityId: string): Promise<{ items: Service[] }> {
      await assertManages(reader, ctx, facilityId);
      return { items: (await repo.listServices(reader, facilityId)).map(toService) };
    },

    /**
     * Changes a service's description, duration or price.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - service id
     * @param input - fields and the version seen
     * @returns the service
     */
    async updateService(ctx: RequestCtx, facilityId: string, id: string, input: ServiceUpdate): Promise<Service> {
      await assertManages(reader, ctx, facilityId);
      return run(async (tx) => {
        const before = await repo.findService(tx, id);
        if (!before || before.facilityId !== facilityId) throw new NotFoundError('facility_service', id);
        const { version, ...fields } = input;
        const nhifPaid = fields.nhifPaid ?? before.nhifPaid;
        const price = fields.priceEurCents !== undefined ? fields.priceEurCents : before.priceEurCents;
        if (nhifPaid === (price !== null)) throw invalid('#/priceEurCents', 'Give a price in EUR, or mark the service NHIF-paid (not both)');
        const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        const row = await repo.updateService(tx, id, version, { ...set, updatedAt: now() });
        if (!row) throw versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'service.updated', facilityId, subject: { type: 'facility_service', id }, data: { fields: Object.keys(set) } });
        await publicChange(tx, facilityId);
        return toService(row);
      });
    },

    /**
     * Publishes a service (Art. 15): the facility must be eligible and active (R-TM-01/02) and the
     * service admissible under Art. 7 (R-TM-13/16/17).
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - service id
     * @param version - the version seen
     * @returns the published service
     * @throws {RuleViolation} with the rule id when publication is refused
     */
    async publishService(ctx: RequestCtx, facilityId: string, id: string, version: number): Promise<Service> {
      await assertManages(reader, ctx, facilityId);
      return run(async (tx) => {
        const f = await repo.findFacilityWithType(tx, facilityId);
        if (!f) throw new NotFoundError('facility', facilityId);
        const fRefusal = facilityRefusal({ status: f.facility.status, typeEligible: f.typeEligible });
        if (fRefusal) throw new RuleViolation(fRefusal.rule, fRefusal.detail);
        const before = await repo.findService(tx, id);
        if (!before || before.facilityId !== facilityId) throw new NotFoundError('facility_service', id);
        const kind = await repo.findServiceKind(tx, before.kindCode);
        const [specialty] = await repo.findSpecialties(tx, [before.specialtyCode]);
        if (!kind || !specialty) throw new NotFoundError('service_kind', before.kindCode);
        const refusal = serviceRefusal(kind, specialty);
        if (refusal) throw new RuleViolation(refusal.rule, refusal.detail, [{ in: 'body', pointer: refusal.pointer, detail: refusal.rule }]);
        const row = await repo.updateService(tx, id, version, { status: 'published', publishedAt: now(), updatedAt: now() }, ['draft', 'withdrawn']);
        if (!row) throw before.status === 'published' ? new AppError('state.bad_transition', { detail: 'Already published' }) : versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'service.published', facilityId, subject: { type: 'facility_service', id } });
        await publicChange(tx, facilityId);
        return toService(row);
      });
    },

    /**
     * Withdraws a published service from the directory.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - service id
     * @param version - the version seen
     * @returns the withdrawn service
     */
    async withdrawService(ctx: RequestCtx, facilityId: string, id: string, version: number): Promise<Service> {
      await assertManages(reader, ctx, facilityId);
      return run(async (tx) => {
        const before = await repo.findService(tx, id);
        if (!before || before.facilityId !== facilityId) throw new NotFoundError('facility_service', id);
        const row = await repo.updateService(tx, id, version, { status: 'withdrawn', updatedAt: now() }, ['published', 'draft']);
        if (!row) throw before.status === 'withdrawn' ? new AppError('state.bad_transition', { detail: 'Already withdrawn' }) : versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'service.withdrawn', facilityId, subject: { type: 'facility_service', id } });
        await publicChange(tx, facilityId);
        return toService(row);
      });
    },
  };
}
