import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';
import type { AccessPolicy } from '../access/index.js';
import * as repo from './consent.repo.js';

/** Who may sign for a request's patient, and on what basis (Art. 10, Art. 87 ЗЗ; docs/decisions.md#d5). */
export interface Signer {
  accountId: string;
  role: 'patient' | 'representative' | 'specialist';
  /** The patient a representative or a requesting specialist acts for. */
  onBehalfOf: string | null;
  representativeLinkId: string | null;
}

/**
 * Resolves the actor as a signer for the request's patient: the patient, a linked representative, or
 * (specialist-to-specialist consults) the requesting specialist, who records the patient's consent.
 * @param tx - the caller's transaction
 * @param ctx - the request context
 * @param policy - the access policy (representative links)
 * @param r - the request
 * @returns the signer
 * @throws {AccessDeniedError} for anyone else (recorded by `policy.guard`)
 */
export async function resolveSigner(tx: Queryable, ctx: RequestCtx, policy: AccessPolicy, r: repo.RequestFacts & { patient_id: string }): Promise<Signer> {
  const actor = ctx.actor;
  if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
  if (actor.role === 'specialist') {
    if (r.requester_kind === 'specialist' && r.requester_account_id === actor.id) {
      return { accountId: actor.id, role: 'specialist', onBehalfOf: r.patient_id, representativeLinkId: null };
    }
    throw new ForbiddenError("Only the requesting specialist records the patient's consent");
  }
  const granted = await policy.assertCanActForPatient(ctx, tx, r.patient_id, 'consent.sign');
  if (granted.basis === 'representative') {
    const linkId = granted.reason.startsWith('representative_link:') ? granted.reason.slice('representative_link:'.length) : null;
    return { accountId: actor.id, role: 'representative', onBehalfOf: r.patient_id, representativeLinkId: linkId };
  }
  return { accountId: actor.id, role: 'patient', onBehalfOf: null, representativeLinkId: null };
}

/**
 * The actor as the providing specialist of the request: a specialist of the providing facility who is
 * the request's specialist (or any of its specialists while none is assigned, as for emergencies).
 * @returns the practitioner id (the responsible specialist, Art. 9(2))
 * @throws {ForbiddenError} for anyone else
 */
export async function assertProvider(tx: Queryable, ctx: RequestCtx, r: repo.RequestFacts): Promise<{ accountId: string; practitionerId: string }> {
  const actor = ctx.actor;
  if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
  if (actor.role !== 'specialist' || !actor.facilityIds.includes(r.provider_facility_id)) throw new ForbiddenError('Only the providing specialist may do this');
  const practitionerId = await repo.practitionerOfAccount(tx, actor.id);
  if (!practitionerId || !(await repo.worksAt(tx, practitionerId, r.provider_facility_id))) throw new ForbiddenError('Only the providing specialist may do this');
  if (r.practitioner_id !== null && r.practitioner_id !== practitionerId) throw new ForbiddenError('Only the specialist of this request may do this');
  return { accountId: actor.id, practitionerId };
}

/**
 * Which side of the request the actor is on, for read views; refuses everyone else.
 * @returns `provider` or `requester`
 */
export async function sideOf(tx: Queryable, ctx: RequestCtx, policy: AccessPolicy, r: repo.RequestFacts): Promise<'provider' | 'requester'> {
  const actor = ctx.actor;
  if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
  if (actor.role === 'specialist') {
    if (r.requester_account_id === actor.id) return 'requester';
    await assertProvider(tx, ctx, r);
    return 'provider';
  }
  if (!r.patient_id) throw new ForbiddenError('Not a party of this request');
  await policy.assertCanActForPatient(ctx, tx, r.patient_id, 'consent.read');
  return 'requester';
}
