import type { Queryable } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import { centresCoordinatedBy, facilitiesCoordinatedBy } from './registry.repo.js';

/**
 * Who may manage registry data (deny by default; docs/access.md "Coordinators"). Security:
 * - facility administrators manage only the facilities on their account (`actor.facilityIds`);
 * - coordinators (functional heads of centres, Art. 5(4) item 1) manage the member facilities of the
 *   centres they coordinate (`centre_coordinator`) and the facilities on their own account; any other
 *   facility or centre answers 404, as if it did not exist;
 * - system actors (CLI, demo seeding) manage everything.
 * Every other role is refused, and anonymous callers are asked to sign in.
 */

/**
 * @param ctx - the request context
 * @returns whether the actor is a coordinator or a system job
 */
export function isCoordinator(ctx: RequestCtx): boolean {
  const a = ctx.actor;
  return a.type === 'system' || (a.type === 'user' && a.role === 'coordinator');
}

/**
 * The check other modules use without a database round trip (schedules): a coordinator passes only for
 * the facilities on their own account, a strict subset of what the registry lets them manage.
 * @param ctx - the request context
 * @param facilityId - the facility to manage
 * @returns whether the actor may change this facility's data
 */
export function canManageFacility(ctx: RequestCtx, facilityId: string): boolean {
  const a = ctx.actor;
  if (a.type === 'system') return true;
  return a.type === 'user' && (a.role === 'facility_admin' || a.role === 'coordinator') && a.facilityIds.includes(facilityId);
}

/**
 * @param ctx - the request context
 * @param facilityIds - every facility the change touches
 * @throws {AppError} `auth.unauthenticated` for anonymous callers, `auth.forbidden` otherwise
 */
export function assertCanManageFacility(ctx: RequestCtx, ...facilityIds: string[]): void {
  if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (!facilityIds.every((id) => canManageFacility(ctx, id))) throw new ForbiddenError('You do not administer this facility');
}

/**
 * @param ctx - the request context
 * @throws {AppError} `auth.unauthenticated` for anonymous callers, `auth.forbidden` unless a coordinator
 */
export function assertCoordinator(ctx: RequestCtx): void {
  if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (!isCoordinator(ctx)) throw new ForbiddenError('Only a coordinator may do this');
}

/**
 * The facilities the actor manages in the registry.
 * @param q - the database or the use case's transaction
 * @param ctx - the request context
 * @returns the facility ids, or undefined for "all" (system jobs)
 * @throws {AppError} when the actor is not an administrator or coordinator at all
 */
export async function manageableFacilityIds(q: Queryable, ctx: RequestCtx): Promise<readonly string[] | undefined> {
  const a = ctx.actor;
  if (a.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (a.type === 'system') return undefined;
  if (a.type === 'user' && a.role === 'facility_admin') return a.facilityIds;
  if (a.type === 'user' && a.role === 'coordinator') return [...new Set([...a.facilityIds, ...(await facilitiesCoordinatedBy(q, a.id))])];
  throw new ForbiddenError('Only facility administrators and coordinators manage the registry');
}

/**
 * Asserts the actor manages every facility named.
 * @param q - the database or the use case's transaction
 * @param ctx - the request context
 * @param facilityIds - every facility the change touches
 * @throws {AppError} `auth.unauthenticated`; `auth.forbidden` for other roles and for an administrator of
 *   another facility; `resource.not_found` for a coordinator outside their centres
 */
export async function assertManages(q: Queryable, ctx: RequestCtx, ...facilityIds: string[]): Promise<void> {
  const scope = await manageableFacilityIds(q, ctx);
  if (!scope) return;
  const outside = facilityIds.find((id) => !scope.includes(id));
  if (outside === undefined) return;
  if (ctx.actor.type === 'user' && ctx.actor.role === 'coordinator') throw new NotFoundError('facility', outside);
  throw new ForbiddenError('You do not administer this facility');
}

/**
 * Asserts a coordinator coordinates the centre (system jobs coordinate every centre).
 * @param q - the database or the use case's transaction
 * @param ctx - the request context
 * @param centreId - the centre
 * @throws {AppError} `auth.unauthenticated`, `auth.forbidden` unless a coordinator, `resource.not_found`
 *   for a centre the coordinator does not coordinate
 */
export async function assertCoordinates(q: Queryable, ctx: RequestCtx, centreId: string): Promise<void> {
  assertCoordinator(ctx);
  const a = ctx.actor;
  if (a.type === 'user' && !(await centresCoordinatedBy(q, a.id)).includes(centreId)) throw new NotFoundError('centre', centreId);
}

/**
 * Asserts the actor manages at least one of the facilities (either party of a contract, or any facility
 * a specialist works for).
 * @param q - the database or the use case's transaction
 * @param ctx - the request context
 * @param facilityIds - the candidates
 * @param missing - what answers 404 to a coordinator outside their centres (the record asked for)
 * @throws {AppError} as `assertManages`
 */
export async function assertManagesAny(q: Queryable, ctx: RequestCtx, facilityIds: readonly string[], missing: { kind: string; id: string }): Promise<void> {
  const scope = await manageableFacilityIds(q, ctx);
  if (!scope || facilityIds.some((id) => scope.includes(id))) return;
  if (ctx.actor.type === 'user' && ctx.actor.role === 'coordinator') throw new NotFoundError(missing.kind, missing.id);
  throw new ForbiddenError('You do not administer this facility');
}
