import { toDate } from '../../platform/clock.js';
import { mapInOrder, withTransaction, type Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../../platform/errors/app-error.js';
import type { AccessGrant, AccessGrantList, AccessGrantStatus, ActingForList, CreateAccessGrantBody, SharedPatientList } from '../../contracts/access.js';
import { emailContext, endNotInFuture, iso, isoOrNull, normaliseEmail, purposeContext, requireUser, type AccessDeps } from './access-shared.js';
import * as repo from './access.repo.js';

/** Roles a patient may name in a grant. Security: staff roles without clinical access never become grantees. */
const GRANTEE_ROLES: ReadonlySet<string> = new Set(['patient', 'representative', 'specialist']);

function grantStatus(g: { revokedAt: Date | null; validUntil: Date | null }, now: Date): AccessGrantStatus {
  if (g.revokedAt) return 'revoked';
  if (g.validUntil && g.validUntil <= now) return 'expired';
  return 'active';
}

/**
 * Access grants to named persons (Art. 28(4)) and the lists of patients an account sees or acts for.
 * @param deps - the access dependencies
 * @returns the grant use cases
 */
export function createGrantUseCases(deps: AccessDeps) {
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

  return {
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
          if (validUntil && validUntil <= now) throw endNotInFuture();
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
     * @throws {AccessDeniedError} unless the actor acts for the grant's patient (also for an unknown id)
     * @throws {InvalidTransitionError} when it was already revoked
     */
    async revokeGrant(ctx: RequestCtx, grantId: string): Promise<AccessGrant> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const actor = requireUser(ctx);
          const grant = await repo.findGrant(tx, grantId);
          // Security: authorisation before existence — an unknown id answers as someone else's grant does.
          if (!grant) throw new ForbiddenError('You have no access to this grant');
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
  };
}
