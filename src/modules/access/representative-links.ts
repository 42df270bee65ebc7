import { toDate } from '../../platform/clock.js';
import { mapInOrder, withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../../platform/errors/app-error.js';
import type { CreateRepresentativeLinkBody, RepresentativeLink } from '../../contracts/access.js';
import { documentRefContext, endNotInFuture, iso, isoOrNull, normaliseEmail, requireUser, type AccessDeps, type UserActor } from './access-shared.js';
import * as repo from './access.repo.js';

type LinkInput = { patientId: string; facilityId: string; basis: RepresentativeLink['basis']; documentRef: string; validUntil?: string; createdBy: string };

/**
 * Representative links (Health Act Art. 87): a facility administrator links a parent, guardian or
 * curator to a patient after checking the documents.
 * @param deps - the access dependencies
 * @returns the representative-link use cases
 */
export function createRepresentativeLinkUseCases(deps: AccessDeps) {
  const { db, clock, ids, keyring, audit } = deps;

  async function linkView(ctx: RequestCtx, q: Queryable, l: repo.RepresentativeLinkRow): Promise<RepresentativeLink> {
    const documentRef = (await keyring.decrypt(ctx, q, 'registry', l.documentRefEnc, documentRefContext(l.id))).toString('utf8');
    return {
      id: l.id,
      representativeAccountId: l.representativeAccountId,
      patientId: l.patientId,
      basis: l.basis,
      documentRef,
      facilityId: l.facilityId,
      validFrom: iso(l.validFrom),
      validUntil: isoOrNull(l.validUntil),
      endedAt: isoOrNull(l.endedAt),
    };
  }

  function assertFacilityAdminOf(ctx: RequestCtx, facilityId: string): UserActor {
    const actor = requireUser(ctx);
    if (actor.role !== 'facility_admin' || !actor.facilityIds.includes(facilityId)) {
      throw new ForbiddenError('Only an administrator of this facility may manage its representative links');
    }
    return actor;
  }

  /** The representative account, checked before anything about the patient is looked at. */
  function assertRepresentative(rep: repo.AccountRef | undefined): asserts rep is repo.AccountRef {
    if (!rep || rep.status !== 'active') {
      throw new AppError('access.account_not_found', { errors: [{ in: 'body', pointer: '#/representativeEmail', detail: 'no active account' }] });
    }
    if (rep.role !== 'representative') {
      throw new AppError('access.account_not_eligible', { errors: [{ in: 'body', pointer: '#/representativeEmail', detail: 'not a representative account' }], meta: { role: rep.role } });
    }
  }

  async function linkRepresentative(tx: Queryable, ctx: RequestCtx, rep: repo.AccountRef, input: LinkInput): Promise<RepresentativeLink> {
    const now = toDate(clock.now());
    if (await repo.findActiveRepresentativeLink(tx, rep.id, input.patientId, now)) {
      throw new AppError('resource.conflict', { detail: 'This representative is already linked to the patient' });
    }
    const id = ids.uuid();
    await repo.insertRepresentativeLink(tx, {
      id,
      representativeAccountId: rep.id,
      patientId: input.patientId,
      basis: input.basis,
      documentRefEnc: await keyring.encrypt(tx, 'registry', input.documentRef, documentRefContext(id)),
      facilityId: input.facilityId,
      validFrom: now,
      validUntil: input.validUntil ? new Date(input.validUntil) : null,
      createdBy: input.createdBy,
      createdAt: now,
    });
    await audit.record(tx, ctx, {
      action: 'representative.linked',
      patientId: input.patientId,
      facilityId: input.facilityId,
      subject: { type: 'representative_link', id },
      data: { representativeAccountId: rep.id, basis: input.basis, checkedBy: input.createdBy },
    });
    const row = await repo.findRepresentativeLink(tx, id);
    if (!row) throw new NotFoundError('representative_link', id);
    return linkView(ctx, tx, row);
  }

  return {
    /**
     * Links a representative to a patient after the administrator checked the documents (Health Act
     * Art. 87). The patient is found by national identifier, without decrypting any record.
     * Security: not an oracle for "is this EGN registered" (docs/access.md "Representatives"): both blind
     * indexes are computed before any branch, and every check that does not depend on the patient (the
     * end, the representative account) answers first, identically for a registered and an unregistered
     * identifier. Only a request that would really create a link learns that no patient has the
     * identifier, and that refusal is audited for the facility.
     * @param ctx - an administrator of `body.facilityId`
     * @param body - representative e-mail, patient identifier, basis, document, optional end
     * @returns the link
     * @throws {ForbiddenError} unless the actor administers that facility
     * @throws {AppError} `request.invalid` (end not in the future), `access.account_not_found`,
     *   `access.account_not_eligible` (not a representative account), `resource.not_found` (no such
     *   patient), `resource.conflict` (already linked)
     */
    async createRepresentativeLink(ctx: RequestCtx, body: CreateRepresentativeLinkBody): Promise<RepresentativeLink> {
      const actor = assertFacilityAdminOf(ctx, body.facilityId);
      const emailIndex = await keyring.blindIndex('registry', normaliseEmail(body.representativeEmail));
      const outcome = await withTransaction(db, async (tx) => {
        // Both lookups always run, in the same order, before any answer depends on them.
        const rep = await repo.findAccountByEmailIndex(tx, emailIndex);
        const patientId = await deps.patients.findPatientIdByIdentifier(tx, body.patientIdentifierKind, body.patientIdentifier);
        if (body.validUntil && new Date(body.validUntil) <= toDate(clock.now())) throw endNotInFuture();
        assertRepresentative(rep);
        if (!patientId) return { refused: true as const };
        return { refused: false as const, link: await linkRepresentative(tx, ctx, rep, { ...body, patientId, createdBy: actor.id }) };
      });
      if (outcome.refused) {
        await audit.recordStandalone(ctx, { action: 'representative.link_refused', outcome: 'failure', facilityId: body.facilityId, data: { pointer: '#/patientIdentifier' } });
        throw new AppError('resource.not_found', { detail: 'No patient with this identifier', errors: [{ in: 'body', pointer: '#/patientIdentifier', detail: 'not registered' }] });
      }
      return outcome.link;
    },

    /**
     * Records a representative link inside the caller's transaction on behalf of a named facility
     * administrator (the demo seeder; later an import of documents checked at the desk).
     * @param q - the caller's transaction
     * @param ctx - who records it (audited)
     * @param input - representative and administrator e-mails, patient, facility, basis, document
     * @returns the link
     * @throws {AppError} `access.account_not_eligible` when `checkedByEmail` is not an administrator of the facility
     */
    async linkRepresentativeIn(
      q: Queryable,
      ctx: RequestCtx,
      input: { representativeEmail: string; checkedByEmail: string; patientId: string; facilityId: string; basis: RepresentativeLink['basis']; documentRef: string },
    ): Promise<RepresentativeLink> {
      const admin = await repo.findAccountByEmailIndex(q, await keyring.blindIndex('registry', normaliseEmail(input.checkedByEmail)));
      if (!admin || admin.role !== 'facility_admin' || !(await repo.accountWorksFor(q, admin.id, input.facilityId))) {
        throw new AppError('access.account_not_eligible', { detail: 'The link must be checked by an administrator of the facility' });
      }
      const rep = await repo.findAccountByEmailIndex(q, await keyring.blindIndex('registry', normaliseEmail(input.representativeEmail)));
      assertRepresentative(rep);
      return linkRepresentative(q, ctx, rep, { ...input, createdBy: admin.id });
    },

    /**
     * The representative links a facility's administrators created (operational data: ids, basis, document).
     * @param ctx - an administrator of the facility
     * @param facilityId - which facility
     * @returns the links, newest first
     */
    async listRepresentativeLinks(ctx: RequestCtx, facilityId: string): Promise<{ items: RepresentativeLink[] }> {
      assertFacilityAdminOf(ctx, facilityId);
      return withTransaction(db, async (tx) => {
        const rows = await repo.listRepresentativeLinksOfFacility(tx, facilityId);
        const items = await mapInOrder(rows, (l) => linkView(ctx, tx, l));
        await audit.record(tx, ctx, { action: 'representative.links_viewed', facilityId, data: { count: items.length } });
        return { items };
      });
    },

    /**
     * Ends a representative link (e.g. the child came of age, guardianship ended).
     * Security: authorisation before existence — only a facility administrator learns whether the id
     * exists, and another facility's link answers like an unknown one.
     * @param ctx - an administrator of the facility that created the link
     * @param linkId - which link
     * @returns the ended link
     * @throws {ForbiddenError} not a facility administrator; {NotFoundError} unknown or another facility's link;
     *   {InvalidTransitionError} already ended
     */
    async endRepresentativeLink(ctx: RequestCtx, linkId: string): Promise<RepresentativeLink> {
      const admin = requireUser(ctx);
      if (admin.role !== 'facility_admin') throw new ForbiddenError('Only a facility administrator ends representative links');
      return withTransaction(db, async (tx) => {
        const link = await repo.findRepresentativeLink(tx, linkId);
        if (!link || !admin.facilityIds.includes(link.facilityId)) throw new NotFoundError('representative_link', linkId);
        const ended = await repo.endRepresentativeLink(tx, linkId, admin.id, toDate(clock.now()));
        if (!ended) throw new InvalidTransitionError('ended', 'ended');
        await audit.record(tx, ctx, { action: 'representative.unlinked', patientId: link.patientId, facilityId: link.facilityId, subject: { type: 'representative_link', id: linkId } });
        return linkView(ctx, tx, ended);
      });
    },
  };
}

/**
 * The accounts that speak for a patient now: the patient's own and active representatives' (for reminders
 * addressed to the patient, e.g. the prophylaxis plan's, W20).
 * @returns account ids
 */
export function accountsSpeakingForIn(q: Queryable, patientId: string, now: Date): Promise<string[]> {
  return repo.accountsSpeakingFor(q, patientId, now);
}
