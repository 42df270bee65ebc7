import { toDate, fromDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { mapInOrder, withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { Keyring } from '../../platform/crypto/keyring.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../../platform/errors/app-error.js';
import type {
  AccessGrant,
  AccessGrantList,
  AccessGrantStatus,
  ActingForList,
  CreateAccessGrantBody,
  CreateRepresentativeLinkBody,
  OpenSupervisionCaseBody,
  RepresentativeLink,
  SharedPatientList,
  SupervisionCase,
} from '../../contracts/access.js';
import type { PatientsService } from '../patients/index.js';
import type { AccessPolicy } from './access-policy.js';
import * as repo from './access.repo.js';

/** Roles a patient may name in a grant. Security: staff roles without clinical access never become grantees. */
const GRANTEE_ROLES: ReadonlySet<string> = new Set(['patient', 'representative', 'specialist']);

// Keyring contexts of the encrypted free-text columns (migrations/0005_access.sql).
const purposeContext = (grantId: string) => `access_grant:${grantId}:purpose`;
const documentRefContext = (linkId: string) => `representative_link:${linkId}:document_ref`;
const reasonContext = (caseId: string) => `supervision_case:${caseId}:reason`;
const emailContext = (accountId: string) => `account:${accountId}:email`;

/** Same normalisation as the identity module's e-mail blind index (trim, NFC, lower case). */
const normaliseEmail = (email: string) => email.trim().normalize('NFC').toLowerCase();

const iso = (d: Date) => fromDate(d).toString();
const isoOrNull = (d: Date | null) => (d ? iso(d) : null);

function requireUser(ctx: RequestCtx): Extract<RequestCtx['actor'], { type: 'user' }> {
  if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated', { detail: 'Sign in first' });
  if (ctx.actor.type !== 'user') throw new ForbiddenError('Only a signed-in user may do this');
  return ctx.actor;
}

function grantStatus(g: { revokedAt: Date | null; validUntil: Date | null }, now: Date): AccessGrantStatus {
  if (g.revokedAt) return 'revoked';
  if (g.validUntil && g.validUntil <= now) return 'expired';
  return 'active';
}

export interface CareRelationshipInput {
  patientId: string;
  practitionerId: string;
  facilityId: string;
  /** What opened it: `request`, `consultation`, … */
  sourceType: string;
  sourceId: string;
  /** Defaults to now. */
  activeFrom?: Date;
  /** Defaults to open-ended (closed by `closeCareRelationship`). */
  activeUntil?: Date;
}

/**
 * Access grants, representative links, care relationships and supervision cases.
 * @param deps - database, clock, ids, keyring, audit, the access policy and the patient registry
 * @returns the access service
 */
export function createAccessService(deps: { db: Db; clock: Clock; ids: IdGen; keyring: Keyring; audit: AuditLog; policy: AccessPolicy; patients: PatientsService }) {
  const { db, clock, ids, keyring, audit, policy } = deps;

  async function grantView(ctx: RequestCtx, q: Queryable, g: repo.GrantWithGrantee, now: Date): Promise<AccessGrant> {
    // Sequential: q may be a transaction, whose one connection runs one query at a time.
    const purpose = await keyring.decrypt(ctx, q, 'registry', g.purposeEnc, purposeContext(g.id));
    const email = await keyring.decrypt(ctx, q, 'registry', g.granteeEmailEnc, emailContext(g.granteeAccountId));
    return {
      id: g.id,
      patientId: g.patientId,
      grantee: {
        accountId: g.granteeAccountId,
        email: email.toString('utf8'),
        role: g.granteeRole,
        displayName: g.granteeGivenName && g.granteeFamilyName ? `${g.granteeGivenName} ${g.granteeFamilyName}` : null,
      },
      scope: 'read',
      purpose: purpose.toString('utf8'),
      validFrom: iso(g.validFrom),
      validUntil: isoOrNull(g.validUntil),
      revokedAt: isoOrNull(g.revokedAt),
      status: grantStatus(g, now),
    };
  }

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

  const caseView = (c: repo.SupervisionCaseRow): SupervisionCase => ({
    id: c.id,
    facilityId: c.facilityId,
    patientId: c.patientId,
    openedAt: iso(c.openedAt),
    closedAt: isoOrNull(c.closedAt),
  });

  function assertFacilityAdminOf(ctx: RequestCtx, facilityId: string): Extract<RequestCtx['actor'], { type: 'user' }> {
    const actor = requireUser(ctx);
    if (actor.role !== 'facility_admin' || !actor.facilityIds.includes(facilityId)) {
      throw new ForbiddenError('Only an administrator of this facility may manage its representative links');
    }
    return actor;
  }

  async function linkRepresentative(
    tx: Queryable,
    ctx: RequestCtx,
    input: { representativeEmail: string; patientId: string; facilityId: string; basis: RepresentativeLink['basis']; documentRef: string; validUntil?: string; createdBy: string },
  ): Promise<RepresentativeLink> {
    const now = toDate(clock.now());
    const validUntil = input.validUntil ? new Date(input.validUntil) : null;
    if (validUntil && validUntil <= now) {
      throw new AppError('request.invalid', { detail: 'The end must be in the future', errors: [{ in: 'body', pointer: '#/validUntil', detail: 'must be in the future' }] });
    }
    const rep = await repo.findAccountByEmailIndex(tx, await keyring.blindIndex('registry', normaliseEmail(input.representativeEmail)));
    if (!rep || rep.status !== 'active') {
      throw new AppError('access.account_not_found', { errors: [{ in: 'body', pointer: '#/representativeEmail', detail: 'no active account' }] });
    }
    if (rep.role !== 'representative') {
      throw new AppError('access.account_not_eligible', { errors: [{ in: 'body', pointer: '#/representativeEmail', detail: 'not a representative account' }], meta: { role: rep.role } });
    }
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
      validUntil,
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

  const service = {
    /**
     * Lists every grant of a patient (active, expired and revoked), for the patient or a representative.
     * @param ctx - the acting user
     * @param patientId - whose grants
     * @returns the grants, newest first
     * @throws {AccessDeniedError} unless the actor acts for the patient
     */
    async listGrants(ctx: RequestCtx, patientId: string): Promise<AccessGrantList> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const access = await policy.assertCanActForPatient(ctx, tx, patientId, 'access.grants_viewed');
          const now = toDate(clock.now());
          const rows = await repo.listGrantsOfPatient(tx, patientId);
          const items = await mapInOrder(rows, (g) => grantView(ctx, tx, g, now));
          await audit.record(tx, ctx, {
            action: 'access.grants_viewed',
            patientId,
            reason: access.reason,
            ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
            data: { count: items.length },
          });
          return { items };
        }),
      );
    },

    /**
     * Lets a named person (an account, identified by e-mail) read the patient's data (Art. 28(4)).
     * @param ctx - the patient or a linked representative
     * @param patientId - whose data
     * @param body - grantee e-mail, purpose, optional end
     * @returns the new grant
     * @throws {AccessDeniedError} unless the actor acts for the patient
     * @throws {AppError} `access.account_not_found`, `access.account_not_eligible`, `resource.conflict`
     *   (an active grant to the same person exists), `request.invalid` (end not in the future)
     */
    async grantAccess(ctx: RequestCtx, patientId: string, body: CreateAccessGrantBody): Promise<AccessGrant> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const access = await policy.assertCanActForPatient(ctx, tx, patientId, 'access.granted');
          const actor = requireUser(ctx);
          const now = toDate(clock.now());
          const validUntil = body.validUntil ? new Date(body.validUntil) : null;
          if (validUntil && validUntil <= now) {
            throw new AppError('request.invalid', { detail: 'The end must be in the future', errors: [{ in: 'body', pointer: '#/validUntil', detail: 'must be in the future' }] });
          }
          const grantee = await repo.findAccountByEmailIndex(tx, await keyring.blindIndex('registry', normaliseEmail(body.granteeEmail)));
          if (!grantee || grantee.status !== 'active') {
            throw new AppError('access.account_not_found', { errors: [{ in: 'body', pointer: '#/granteeEmail', detail: 'no active account' }] });
          }
          if (!GRANTEE_ROLES.has(grantee.role) || grantee.id === actor.id || grantee.patientId === patientId) {
            throw new AppError('access.account_not_eligible', { errors: [{ in: 'body', pointer: '#/granteeEmail', detail: 'cannot receive a grant' }], meta: { role: grantee.role } });
          }
          if (await repo.findActiveGrant(tx, grantee.id, patientId, now)) {
            throw new AppError('resource.conflict', { detail: 'This person already has access', errors: [{ in: 'body', pointer: '#/granteeEmail', detail: 'already granted' }] });
          }
          const id = ids.uuid();
          await repo.insertGrant(tx, {
            id,
            patientId,
            granteeAccountId: grantee.id,
            grantedByAccountId: actor.id,
            scope: 'read',
            purposeEnc: await keyring.encrypt(tx, 'registry', body.purpose, purposeContext(id)),
            validFrom: now,
            validUntil,
            createdAt: now,
          });
          await audit.record(tx, ctx, {
            action: 'access.granted',
            patientId,
            subject: { type: 'access_grant', id },
            reason: access.reason,
            ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
            data: { granteeAccountId: grantee.id, granteeRole: grantee.role, scope: 'read', validUntil: body.validUntil ?? null },
          });
          const created = await repo.findGrantWithGrantee(tx, id);
          if (!created) throw new NotFoundError('access_grant', id);
          return grantView(ctx, tx, created, now);
        }),
      );
    },

    /**
     * Revokes a grant at once; the grantee's next request is refused.
     * @param ctx - the patient or a linked representative
     * @param grantId - which grant
     * @returns the revoked grant
     * @throws {NotFoundError} for an unknown grant
     * @throws {AccessDeniedError} unless the actor acts for the grant's patient
     * @throws {InvalidTransitionError} when it was already revoked
     */
    async revokeGrant(ctx: RequestCtx, grantId: string): Promise<AccessGrant> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const actor = requireUser(ctx);
          const grant = await repo.findGrant(tx, grantId);
          if (!grant) throw new NotFoundError('access_grant', grantId);
          const access = await policy.assertCanActForPatient(ctx, tx, grant.patientId, 'access.revoked');
          const now = toDate(clock.now());
          // Concurrency: compare-and-swap, so two revocations cannot both succeed (STYLE C9).
          if (!(await repo.revokeGrant(tx, grantId, actor.id, now))) throw new InvalidTransitionError('revoked', 'revoked');
          await audit.record(tx, ctx, {
            action: 'access.revoked',
            patientId: grant.patientId,
            subject: { type: 'access_grant', id: grantId },
            reason: access.reason,
            ...(access.onBehalfOf ? { onBehalfOf: access.onBehalfOf } : {}),
            data: { granteeAccountId: grant.granteeAccountId },
          });
          const updated = await repo.findGrantWithGrantee(tx, grantId);
          if (!updated) throw new NotFoundError('access_grant', grantId);
          return grantView(ctx, tx, updated, now);
        }),
      );
    },

    /**
     * The patients who currently share their data with the signed-in account (active grants only).
     * @param ctx - the grantee
     * @returns grant ids, patient ids, purposes and ends; each listed patient is audited as a read
     */
    async listSharedWithMe(ctx: RequestCtx): Promise<SharedPatientList> {
      const actor = requireUser(ctx);
      if (!GRANTEE_ROLES.has(actor.role)) return { items: [] };
      return withTransaction(db, async (tx) => {
        const now = toDate(clock.now());
        const rows = await repo.listActiveGrantsForGrantee(tx, actor.id, now);
        const items = [];
        for (const g of rows) {
          const purpose = (await keyring.decrypt(ctx, tx, 'registry', g.purposeEnc, purposeContext(g.id))).toString('utf8');
          await audit.record(tx, ctx, { action: 'access.grants_viewed', patientId: g.patientId, subject: { type: 'access_grant', id: g.id }, reason: `access_grant:${g.id}` });
          items.push({ grantId: g.id, patientId: g.patientId, purpose, validUntil: isoOrNull(g.validUntil) });
        }
        return { items };
      });
    },

    /**
     * The patients the signed-in account acts for, with their names: the patient's own record, or a
     * representative's linked patients (the switcher of the web app). Each name shown is an audited read.
     * @param ctx - a patient or representative (others get an empty list)
     * @returns the patients
     */
    async listActingFor(ctx: RequestCtx): Promise<ActingForList> {
      requireUser(ctx);
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const refs = await policy.patientIdsActorMayActFor(ctx, tx);
          const items = [];
          for (const ref of refs) {
            const p = await deps.patients.readPatientIn(tx, ctx, ref.patientId);
            items.push({ patientId: ref.patientId, basis: ref.linkId ? ('representative' as const) : ('self' as const), linkId: ref.linkId, givenName: p.givenName, familyName: p.familyName });
          }
          return { items };
        }),
      );
    },

    /**
     * Links a representative to a patient after the administrator checked the documents (Health Act
     * Art. 87). The patient is found by national identifier, without decrypting any record.
     * @param ctx - an administrator of `body.facilityId`
     * @param body - representative e-mail, patient identifier, basis, document, optional end
     * @returns the link
     * @throws {ForbiddenError} unless the actor administers that facility
     * @throws {AppError} `access.account_not_found`, `access.account_not_eligible` (not a representative
     *   account), `resource.not_found` (no such patient), `resource.conflict` (already linked)
     */
    async createRepresentativeLink(ctx: RequestCtx, body: CreateRepresentativeLinkBody): Promise<RepresentativeLink> {
      const actor = assertFacilityAdminOf(ctx, body.facilityId);
      return withTransaction(db, async (tx) => {
        const patientId = await deps.patients.findPatientIdByIdentifier(tx, body.patientIdentifierKind, body.patientIdentifier);
        if (!patientId) {
          throw new AppError('resource.not_found', { detail: 'No patient with this identifier', errors: [{ in: 'body', pointer: '#/patientIdentifier', detail: 'not registered' }] });
        }
        return linkRepresentative(tx, ctx, { ...body, patientId, createdBy: actor.id });
      });
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
      return linkRepresentative(q, ctx, { ...input, createdBy: admin.id });
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
     * @param ctx - an administrator of the facility that created the link
     * @param linkId - which link
     * @returns the ended link
     * @throws {NotFoundError} unknown link; {ForbiddenError} another facility's link; {InvalidTransitionError} already ended
     */
    async endRepresentativeLink(ctx: RequestCtx, linkId: string): Promise<RepresentativeLink> {
      requireUser(ctx);
      return withTransaction(db, async (tx) => {
        const link = await repo.findRepresentativeLink(tx, linkId);
        if (!link) throw new NotFoundError('representative_link', linkId);
        const actor = assertFacilityAdminOf(ctx, link.facilityId);
        const ended = await repo.endRepresentativeLink(tx, linkId, actor.id, toDate(clock.now()));
        if (!ended) throw new InvalidTransitionError('ended', 'ended');
        await audit.record(tx, ctx, { action: 'representative.unlinked', patientId: link.patientId, facilityId: link.facilityId, subject: { type: 'representative_link', id: linkId } });
        return linkView(ctx, tx, ended);
      });
    },

    /**
     * Opens a supervision case: until it is closed, the supervisor may read the data of the patient
     * named, or of the facility's patients (Art. 21). Opening is audited with the reason encrypted.
     * @param ctx - a supervisor
     * @param body - facility, optional patient, reason
     * @returns the case
     * @throws {ForbiddenError} unless the actor is a supervisor; {NotFoundError} unknown facility
     */
    async openSupervisionCase(ctx: RequestCtx, body: OpenSupervisionCaseBody): Promise<SupervisionCase> {
      const actor = requireUser(ctx);
      if (actor.role !== 'supervisor') throw new ForbiddenError('Only the supervisory agency opens supervision cases');
      return withTransaction(db, async (tx) => {
        if (!(await repo.facilityExists(tx, body.facilityId))) throw new NotFoundError('facility', body.facilityId);
        if (body.patientId && !(await deps.patients.patientExists(tx, body.patientId))) throw new NotFoundError('patient', body.patientId);
        const id = ids.uuid();
        const now = toDate(clock.now());
        await repo.insertSupervisionCase(tx, {
          id,
          facilityId: body.facilityId,
          patientId: body.patientId ?? null,
          openedBy: actor.id,
          reasonEnc: await keyring.encrypt(tx, 'registry', body.reason, reasonContext(id)),
          openedAt: now,
        });
        await audit.record(tx, ctx, {
          action: 'supervision.case_opened',
          facilityId: body.facilityId,
          ...(body.patientId ? { patientId: body.patientId } : {}),
          subject: { type: 'supervision_case', id },
        });
        const row = await repo.findSupervisionCase(tx, id);
        if (!row) throw new NotFoundError('supervision_case', id);
        return caseView(row);
      });
    },

    /**
     * Closes a supervision case; patient data closes to the supervisor again.
     * @param ctx - the supervisor who opened it
     * @param caseId - which case
     * @returns the closed case
     * @throws {ForbiddenError} not a supervisor; {NotFoundError} unknown or someone else's case; {InvalidTransitionError} already closed
     */
    async closeSupervisionCase(ctx: RequestCtx, caseId: string): Promise<SupervisionCase> {
      const actor = requireUser(ctx);
      if (actor.role !== 'supervisor') throw new ForbiddenError('Only the supervisory agency closes supervision cases');
      return withTransaction(db, async (tx) => {
        const existing = await repo.findSupervisionCase(tx, caseId);
        if (!existing || existing.openedBy !== actor.id) throw new NotFoundError('supervision_case', caseId);
        const closed = await repo.closeSupervisionCase(tx, caseId, actor.id, toDate(clock.now()));
        if (!closed) throw new InvalidTransitionError('closed', 'closed');
        await audit.record(tx, ctx, {
          action: 'supervision.case_closed',
          facilityId: closed.facilityId,
          ...(closed.patientId ? { patientId: closed.patientId } : {}),
          subject: { type: 'supervision_case', id: caseId },
        });
        return caseView(closed);
      });
    },

    /**
     * Art. 13 seam: the requests and consultation modules call this in their own transaction when a
     * specialist takes on a patient's request or consultation; the policy then opens the patient's data
     * to that specialist, in that facility, until the relationship is closed.
     * @param q - the caller's transaction
     * @param ctx - who acts (audited)
     * @param input - patient, practitioner, facility, source and validity
     * @returns the care relationship id
     * @throws {AppError} `resource.conflict` when the same source already opened one for this practitioner
     */
    async openCareRelationship(q: Queryable, ctx: RequestCtx, input: CareRelationshipInput): Promise<string> {
      const id = ids.uuid();
      const now = toDate(clock.now());
      await repo.insertCareRelationship(q, {
        id,
        patientId: input.patientId,
        practitionerId: input.practitionerId,
        facilityId: input.facilityId,
        sourceType: input.sourceType,
        sourceId: input.sourceId,
        activeFrom: input.activeFrom ?? now,
        activeUntil: input.activeUntil ?? null,
        createdAt: now,
      });
      await audit.record(q, ctx, {
        action: 'care.opened',
        patientId: input.patientId,
        facilityId: input.facilityId,
        subject: { type: 'care_relationship', id },
        reason: `${input.sourceType}:${input.sourceId}`,
        data: { practitionerId: input.practitionerId },
      });
      return id;
    },

    /**
     * Closes every open care relationship of a source (the request was declined or closed, the
     * consultation's record was signed), from `at` (default now).
     * @param q - the caller's transaction
     * @param ctx - who acts (audited)
     * @param source - the source type and id, and when it ends
     * @returns how many relationships were closed
     */
    async closeCareRelationship(q: Queryable, ctx: RequestCtx, source: { sourceType: string; sourceId: string; at?: Date }): Promise<number> {
      const rows = await repo.closeCareRelationships(q, source.sourceType, source.sourceId, source.at ?? toDate(clock.now()));
      for (const r of rows) {
        await audit.record(q, ctx, {
          action: 'care.closed',
          patientId: r.patientId,
          facilityId: r.facilityId,
          subject: { type: 'care_relationship', id: r.id },
          reason: `${r.sourceType}:${r.sourceId}`,
        });
      }
      return rows.length;
    },
  };
  return service;
}

export type AccessService = ReturnType<typeof createAccessService>;
