import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role } from '../../contracts/identity.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { IdentityService } from './identity.service.js';
import { assertRole, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './identity.policy.js';

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the session cookie into `req.ctx.actor` on every API request, then enforces the staff
 * network gateway and CSRF on cookie-authenticated writes. Register after @fastify/cookie and after
 * the hook that creates `req.ctx`.
 * @param app - the root Fastify instance
 * @param identity - the identity service
 */
export function registerAuthHook(app: FastifyInstance, identity: IdentityService): void {
  app.addHook('onRequest', async (req: FastifyRequest) => {
    // Static assets and the SPA shell need no actor; skip the session lookup for them.
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await identity.resolveSession(token);
    if (!session) return;
    req.ctx = { ...req.ctx, actor: session.actor };
    await identity.assertNetworkAllowed(req.ctx);
    if (!SAFE_METHODS.has(req.method)) {
      const header = req.headers[CSRF_HEADER];
      // Security: double-submit token bound to the session (its hash is stored with it); SameSite=Strict
      // is the first line, this the second (OWASP CSRF Prevention Cheat Sheet).
      if (!identity.csrfMatches(session, typeof header === 'string' ? header : undefined, req.cookies[CSRF_COOKIE])) {
        throw new AppError('auth.csrf');
      }
    }
  });
}

/**
 * A route guard: only signed-in users with one of `roles` get through (deny by default).
 * @param roles - allowed roles
 * @returns a preHandler hook
 * @example app.get('/x', { preHandler: requireRole('coordinator') }, handler)
 */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return async (req) => {
    assertRole(req.ctx, ...roles);
  };
}
