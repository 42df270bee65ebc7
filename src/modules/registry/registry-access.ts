import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError } from '../../platform/errors/app-error.js';

/**
 * Who may manage registry data (deny by default). Security: facility administrators manage only the
 * facilities on their account (`actor.facilityIds`); coordinators (functional heads of centres, Art. 5)
 * manage the register across facilities; system actors (CLI, demo) act as coordinators. Every other
 * role is refused, and anonymous callers are asked to sign in.
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
 * @param ctx - the request context
 * @param facilityId - the facility to manage
 * @returns whether the actor may change this facility's registry data
 */
export function canManageFacility(ctx: RequestCtx, facilityId: string): boolean {
  const a = ctx.actor;
  if (isCoordinator(ctx)) return true;
  return a.type === 'user' && a.role === 'facility_admin' && a.facilityIds.includes(facilityId);
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
 * @param ctx - the request context
 * @returns the facilities the actor administers, or undefined for "all" (coordinators)
 * @throws {AppError} when the actor is not an administrator at all
 */
export function manageableFacilityIds(ctx: RequestCtx): readonly string[] | undefined {
  if (ctx.actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
  if (isCoordinator(ctx)) return undefined;
  if (ctx.actor.type === 'user' && ctx.actor.role === 'facility_admin') return ctx.actor.facilityIds;
  throw new ForbiddenError('Only facility administrators and coordinators manage the registry');
}
