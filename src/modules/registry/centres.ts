import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError, RuleViolation } from '../../platform/errors/app-error.js';
import type { Centre, CentreInput, CentreMemberInput, CentreUpdate } from '../../contracts/registry.js';
import { CentreMemberInputSchema } from '../../contracts/registry.js';
import { assertCoordinates, assertCoordinator, assertManages, manageableFacilityIds } from './registry-access.js';
import { centreMissing } from './registry-rules.js';
import { versionMismatch, type RegistryCore } from './registry-shared.js';
import * as repo from './registry.repo.js';

/**
 * Telemedicine centres (Art. 5): contract data, members and their structures, activation (R-TM-21).
 * @param core - the registry's shared core
 * @returns the use cases
 */
export function createCentreUseCases(core: RegistryCore) {
  const { deps, run, reader, now, assertSpecialties } = core;
  async function loadCentre(q: Queryable, id: string): Promise<Centre> {
    const c = await repo.findCentre(q, id);
    if (!c) throw new NotFoundError('centre', id);
    const members = await repo.loadCentreMembers(q, id);
    const missing = centreMissing({
      headName: c.headName,
      headPractitionerId: c.headPractitionerId,
      contractReference: c.contractReference,
      members: members.map((m) => ({ ...m, structures: m.structures.length })),
    });
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      contractReference: c.contractReference,
      contractSignedOn: c.contractSignedOn,
      headName: c.headName,
      headPractitionerId: c.headPractitionerId,
      activatedAt: c.activatedAt ? c.activatedAt.toISOString() : null,
      members: members.map((m) => ({ facilityId: m.facilityId, rightsObligations: m.rightsObligations, structures: m.structures })),
      missing,
      version: c.version,
    };
  }

  async function setCoordinator(q: Queryable, ctx: RequestCtx, centreId: string, accountId: string): Promise<void> {
    const account = await repo.findAccountRole(q, accountId);
    if (account?.role !== 'coordinator' || account.status !== 'active') throw new AppError('request.invalid', { detail: 'Only an active coordinator account can coordinate a centre' });
    await repo.insertCentreCoordinator(q, centreId, accountId, now());
    await deps.audit.record(q, ctx, { action: 'centre.coordinator_set', subject: { type: 'telemedicine_centre', id: centreId }, data: { accountId } });
  }

  /** Regulatory: R-TM-21 holds for an active centre at all times, so edits re-check it. */
  function assertCentreComplete(centre: Centre): void {
    if (centre.status === 'active' && centre.missing.length > 0) {
      throw new RuleViolation('R-TM-21', `The centre contract is incomplete: ${centre.missing.join(', ')}`);
    }
  }

  return {
    /**
     * @param ctx - a coordinator or facility administrator
     * @returns centres the actor may see (a coordinator: those they coordinate; a facility administrator:
     *   those of their facilities)
     */
    async listCentres(ctx: RequestCtx): Promise<{ items: Centre[] }> {
      const a = ctx.actor;
      // A coordinator sees the centres they coordinate; an administrator those their facilities belong to.
      const ids = a.type === 'user' && a.role === 'coordinator' ? await repo.centresCoordinatedBy(reader, a.id) : await repo.listCentreIds(reader, await manageableFacilityIds(reader, ctx));
      const items: Centre[] = [];
      for (const id of ids) items.push(await loadCentre(reader, id));
      return { items };
    },

    /**
     * @param ctx - a coordinator, or an administrator of a member
     * @param id - centre id
     * @returns the centre with what it still lacks
     */
    async getCentre(ctx: RequestCtx, id: string): Promise<Centre> {
      // Security: authorisation before existence — the role first; a centre out of reach answers 404.
      const a = ctx.actor;
      const ids = await manageableFacilityIds(reader, ctx);
      if (a.type === 'user' && a.role === 'coordinator') {
        await assertCoordinates(reader, ctx, id);
        return loadCentre(reader, id);
      }
      const centre = await repo.findCentre(reader, id);
      if (!centre) throw new NotFoundError('centre', id);
      const full = await loadCentre(reader, id);
      if (ids && !full.members.some((m) => ids.includes(m.facilityId))) throw new NotFoundError('centre', id);
      return full;
    },

    /**
     * Creates a centre in draft.
     * @param ctx - a coordinator
     * @param input - name, contract reference, functional head
     * @returns the centre
     */
    async createCentre(ctx: RequestCtx, input: CentreInput): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        const id = deps.ids.uuid();
        const at = now();
        await repo.insertCentre(tx, { id, name: input.name, contractReference: input.contractReference ?? null, contractSignedOn: input.contractSignedOn ?? null, headName: input.headName ?? null, headPractitionerId: input.headPractitionerId ?? null, createdAt: at, updatedAt: at });
        await deps.audit.record(tx, ctx, { action: 'centre.created', subject: { type: 'telemedicine_centre', id } });
        // Art. 5(4) item 1: the coordinator who creates a centre coordinates it.
        if (ctx.actor.type === 'user') await setCoordinator(tx, ctx, id, ctx.actor.id);
        return loadCentre(tx, id);
      });
    },

    /**
     * Changes a centre's contract data; an active centre must stay complete (R-TM-21).
     * @param ctx - a coordinator
     * @param id - centre id
     * @param input - fields and the version seen
     * @returns the centre
     */
    async updateCentre(ctx: RequestCtx, id: string, input: CentreUpdate): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        await assertCoordinates(tx, ctx, id);
        const { version, ...fields } = input;
        const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        const row = await repo.updateCentre(tx, id, version, { ...set, updatedAt: now() });
        if (!row) throw (await repo.findCentre(tx, id)) ? versionMismatch() : new NotFoundError('centre', id);
        const centre = await loadCentre(tx, id);
        assertCentreComplete(centre);
        await deps.audit.record(tx, ctx, { action: 'centre.updated', subject: { type: 'telemedicine_centre', id }, data: { fields: Object.keys(set) } });
        return centre;
      });
    },

    /**
     * Adds a facility to a centre, or replaces its rights and obligations and contributed structures.
     * @param ctx - a coordinator
     * @param id - centre id
     * @param input - facility, rights and obligations, structures and specialties
     * @returns the centre
     */
    async setCentreMember(ctx: RequestCtx, id: string, input: CentreMemberInput): Promise<Centre> {
      assertCoordinator(ctx);
      const m = CentreMemberInputSchema.parse(input);
      return run(async (tx) => {
        await assertCoordinates(tx, ctx, id);
        // Security: a coordinator adds only facilities already theirs (their centres', their account's).
        await assertManages(tx, ctx, m.facilityId);
        const f = await repo.findFacilityWithType(tx, m.facilityId);
        if (!f) throw new NotFoundError('facility', m.facilityId);
        // Regulatory: W2 step 4 — every member must itself be a facility that may provide telemedicine.
        if (!f.typeEligible) throw new RuleViolation('R-TM-02', 'This facility type may not provide medical care at a distance');
        await assertSpecialties(tx, m.structures.map((s) => s.specialtyCode), '#/structures');
        if (!(await repo.touchCentre(tx, id, now()))) throw new NotFoundError('centre', id);
        await repo.upsertCentreMember(tx, { centreId: id, facilityId: m.facilityId, rightsObligations: m.rightsObligations, joinedAt: now() }, m.structures.map((s) => ({ id: deps.ids.uuid(), ...s })));
        const centre = await loadCentre(tx, id);
        assertCentreComplete(centre);
        await deps.audit.record(tx, ctx, { action: 'centre.member_set', facilityId: m.facilityId, subject: { type: 'telemedicine_centre', id }, data: { structures: m.structures.length } });
        return centre;
      });
    },

    /**
     * Removes a facility from a centre; an active centre must keep two complete members (R-TM-21).
     * @param ctx - a coordinator
     * @param id - centre id
     * @param facilityId - the member to remove
     * @returns the centre
     */
    async removeCentreMember(ctx: RequestCtx, id: string, facilityId: string): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        await assertCoordinates(tx, ctx, id);
        if (!(await repo.touchCentre(tx, id, now()))) throw new NotFoundError('centre', id);
        if (!(await repo.deleteCentreMember(tx, id, facilityId))) throw new NotFoundError('centre_member', facilityId);
        const centre = await loadCentre(tx, id);
        assertCentreComplete(centre);
        await deps.audit.record(tx, ctx, { action: 'centre.member_removed', facilityId, subject: { type: 'telemedicine_centre', id } });
        return centre;
      });
    },

    /**
     * Activates a centre once its contract is complete (Art. 5(4), R-TM-21).
     * @param ctx - a coordinator
     * @param id - centre id
     * @param version - the version seen
     * @returns the active centre
     * @throws {RuleViolation} R-TM-21 listing what is missing
     */
    async activateCentre(ctx: RequestCtx, id: string, version: number): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        await assertCoordinates(tx, ctx, id);
        const current = await loadCentre(tx, id);
        if (current.missing.length > 0) {
          throw new AppError('rule.violated', { detail: `The centre contract is incomplete: ${current.missing.join(', ')}`, meta: { rule: 'R-TM-21', missing: current.missing } });
        }
        // Concurrency: the version check makes a member change committed meanwhile fail this activation.
        const row = await repo.updateCentre(tx, id, version, { status: 'active', activatedAt: now(), updatedAt: now() }, ['draft', 'suspended']);
        if (!row) throw current.status === 'active' ? new AppError('state.bad_transition', { detail: 'Already active' }) : versionMismatch();
        await deps.audit.record(tx, ctx, { action: 'centre.activated', subject: { type: 'telemedicine_centre', id } });
        return loadCentre(tx, id);
      });
    },

    /**
     * Names a coordinator (functional head, Art. 5(4) item 1) of a centre: from then on they manage its
     * member facilities. No route: the CLI and demo seeding, or a coordinator of the same centre.
     * @param ctx - a system job or a coordinator of the centre
     * @param id - centre id
     * @param accountId - an active coordinator account
     */
    async assignCentreCoordinator(ctx: RequestCtx, id: string, accountId: string): Promise<void> {
      assertCoordinator(ctx);
      await run(async (tx) => {
        await assertCoordinates(tx, ctx, id);
        if (!(await repo.findCentre(tx, id))) throw new NotFoundError('centre', id);
        await setCoordinator(tx, ctx, id, accountId);
      });
    },

    /**
     * Suspends an active centre.
     * @param ctx - a coordinator
     * @param id - centre id
     * @param version - the version seen
     * @returns the centre
     */
    async suspendCentre(ctx: RequestCtx, id: string, version: number): Promise<Centre> {
      assertCoordinator(ctx);
      return run(async (tx) => {
        await assertCoordinates(tx, ctx, id);
        const row = await repo.updateCentre(tx, id, version, { status: 'suspended', updatedAt: now() }, ['active']);
        if (!row) throw (await repo.findCentre(tx, id)) ? new AppError('state.bad_transition', { detail: 'Only an active centre can be suspended' }) : new NotFoundError('centre', id);
        await deps.audit.record(tx, ctx, { action: 'centre.suspended', subject: { type: 'telemedicine_centre', id } });
        return loadCentre(tx, id);
      });
    },
  };
}
