import { toDate, type Clock } from '../../platform/clock.js';
import type { Queryable } from '../../platform/db/index.js';
import type { AuditEntry, AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { AccessBasis } from '../../contracts/access.js';
import { decideAct, decideRead, factsNeeded, type AccessDecision, type AccessFacts, type ReadPurpose } from './access-rules.js';
import { findActiveCare, findActiveCareAtFacility, findActiveGrant, findActiveRepresentativeLink, findOpenSupervisionCases, listActiveRepresentedPatients } from './access.repo.js';

/** Why an actor may see or act for a patient; the reason goes into the audit event shown to the patient. */
export interface AccessGranted {
  basis: AccessBasis;
  /** e.g. `self`, `access_grant:<id>`, `request:<id>`, `representative_link:<id>` */
  reason: string;
  /** The facility on whose behalf the actor acts (care and supervision), for the audit event. */
  facilityId?: string;
  /** The patient a representative acts for (audit `on_behalf_of`). */
  onBehalfOf?: string;
  /**
   * Set when the basis reaches only the data these facilities recorded (supervision, Art. 21): a caller
   * that lists a patient's data across facilities must keep only these facilities' rows.
   */
  facilityScope?: readonly string[];
}

/**
 * A denial by the access policy. It carries its audit entry: the denial must be recorded in a separate
 * transaction after the caller's one has rolled back (STYLE C13), which `AccessPolicy.guard` does.
 */
export class AccessDeniedError extends ForbiddenError {
  recorded = false;
  constructor(
    readonly entry: AuditEntry,
    detail: string,
  ) {
    super(detail);
  }
}

// Tricky: drizzle's transaction handle has `rollback()`, the database handle does not. A denial found
// with the database handle is recorded at once; inside a transaction it waits for `guard` (PGlite has
// one connection, so a second transaction opened now would wait for this one forever).
const isTransaction = (q: Queryable): boolean => typeof (q as { rollback?: unknown }).rollback === 'function';

export interface AccessPolicy {
  /**
   * Checks that the actor may read this patient's data, in the caller's transaction.
   * @param ctx - the request context
   * @param q - the caller's transaction (or the database)
   * @param patientId - whose data
   * @param purpose - demographics or clinical content (recorded with a denial)
   * @param recordedBy - the facility that recorded the data read, when it is one facility's record (a
   *   document, a consent): a supervision case reaches only its own facility's records
   * @returns the basis and the audit reason
   * @throws {AppError} `auth.unauthenticated` for anonymous callers
   * @throws {AccessDeniedError} `auth.forbidden` otherwise; recorded via `audit.recordStandalone`
   *   at once when `q` is the database, or by `guard` when `q` is a transaction
   */
  assertCanReadPatient(ctx: RequestCtx, q: Queryable, patientId: string, purpose: ReadPurpose, recordedBy?: string): Promise<AccessGranted>;
  /**
   * Checks that the actor may act (write) for this patient: the patient or a linked representative.
   * @throws {AccessDeniedError} as `assertCanReadPatient`
   */
  assertCanActForPatient(ctx: RequestCtx, q: Queryable, patientId: string, action: string): Promise<AccessGranted>;
  /**
   * The patients the actor may act for: a patient's own record, a representative's linked patients.
   * @returns patient ids with the link that opens each (`null` for the patient themself)
   */
  patientIdsActorMayActFor(ctx: RequestCtx, q: Queryable): Promise<{ patientId: string; linkId: string | null }[]>;
  /**
   * Runs a use case and records any access denial it raised after its transaction rolled back.
   * Wrap every `withTransaction` that calls the assertions above.
   * @param ctx - the request context
   * @param fn - the use case
   * @returns what `fn` returns
   */
  guard<T>(ctx: RequestCtx, fn: () => Promise<T>): Promise<T>;
}

/**
 * The access policy: deny by default, checked in services on every read and write of patient data
 * (docs/access.md; docs/decisions.md#d13).
 * @param deps - clock and audit log
 * @returns the policy
 */
export function createAccessPolicy(deps: { clock: Clock; audit: AuditLog }): AccessPolicy {
  async function loadFacts(ctx: RequestCtx, q: Queryable, patientId: string, now: Date, recordedBy?: string): Promise<AccessFacts> {
    const actor = ctx.actor;
    if (actor.type === 'client') {
      const care = await findActiveCareAtFacility(q, patientId, actor.facilityId, now);
      return care ? { facilityCare: care } : {};
    }
    if (actor.type !== 'user') return {};
    const need = factsNeeded(actor, patientId);
    const facts: AccessFacts = {};
    if (need.representativeLink) {
      const id = await findActiveRepresentativeLink(q, actor.id, patientId, now);
      if (id) facts.representativeLinkId = id;
    }
    if (need.care) {
      const care = await findActiveCare(q, actor.id, patientId, actor.facilityIds, now);
      if (care) facts.care = care;
    }
    if (need.grant && !facts.representativeLinkId && !facts.care) {
      const id = await findActiveGrant(q, actor.id, patientId, now);
      if (id) facts.grantId = id;
    }
    if (need.supervision) {
      const cases = await findOpenSupervisionCases(q, actor.id, patientId);
      const c = cases.find((x) => x.facilityId === recordedBy) ?? cases[0];
      if (c) {
        facts.supervisionCase = c;
        facts.supervisionFacilityIds = [...new Set(cases.map((x) => x.facilityId))];
      }
    }
    return facts;
  }

  async function conclude(ctx: RequestCtx, q: Queryable, patientId: string, decision: AccessDecision, what: { operation: 'read' | 'act'; purpose: string; recordedBy?: string }): Promise<AccessGranted> {
    if (decision.allow) {
      return {
        basis: decision.basis,
        reason: decision.reason,
        ...(decision.facilityId ? { facilityId: decision.facilityId } : {}),
        ...(decision.facilityScope ? { facilityScope: decision.facilityScope } : {}),
        ...(decision.basis === 'representative' ? { onBehalfOf: patientId } : {}),
      };
    }
    if (decision.why === 'unauthenticated') throw new AppError('auth.unauthenticated', { detail: 'Sign in to see patient data' });
    const err = new AccessDeniedError(
      { action: 'access.denied', outcome: 'denied', patientId, subject: { type: 'patient', id: patientId }, data: { ...what, why: decision.why } },
      'You have no access to this patient',
    );
    if (!isTransaction(q)) {
      await deps.audit.recordStandalone(ctx, err.entry);
      err.recorded = true;
    }
    throw err;
  }

  const policy: AccessPolicy = {
    async assertCanReadPatient(ctx, q, patientId, purpose, recordedBy) {
      const now = toDate(deps.clock.now());
      const facts = await loadFacts(ctx, q, patientId, now, recordedBy);
      return conclude(ctx, q, patientId, decideRead(ctx.actor, patientId, facts, recordedBy), { operation: 'read', purpose, ...(recordedBy ? { recordedBy } : {}) });
    },
    async assertCanActForPatient(ctx, q, patientId, action) {
      const actor = ctx.actor;
      const facts: AccessFacts = {};
      if (actor.type === 'user' && actor.role === 'representative') {
        const id = await findActiveRepresentativeLink(q, actor.id, patientId, toDate(deps.clock.now()));
        if (id) facts.representativeLinkId = id;
      }
      return conclude(ctx, q, patientId, decideAct(actor, patientId, facts), { operation: 'act', purpose: action });
    },
    async patientIdsActorMayActFor(ctx, q) {
      const actor = ctx.actor;
      if (actor.type !== 'user') return [];
      if (actor.role === 'patient') return actor.patientId ? [{ patientId: actor.patientId, linkId: null }] : [];
      if (actor.role === 'representative') return listActiveRepresentedPatients(q, actor.id, toDate(deps.clock.now()));
      return [];
    },
    async guard(ctx, fn) {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof AccessDeniedError && !err.recorded) {
          err.recorded = true;
          await deps.audit.recordStandalone(ctx, err.entry);
        }
        throw err;
      }
    },
  };
  return policy;
}
