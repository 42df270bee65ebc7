import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { AppError } from './errors/app-error.js';

export interface RateLimitSettings {
  /** Requests per client IP and route per window on the authentication routes (`authPrefix` writes). */
  authMax: number;
  /** Requests per client IP and route per window on any other write made without a session. */
  anonymousWriteMax: number;
  windowSeconds: number;
  /** Routes under this prefix count as sign-in, second factor, reset, activation and registration. */
  authPrefix: string;
  /** Whether the request carries a session (resolved by the auth hook, which runs first). */
  isSignedIn(req: FastifyRequest): boolean;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Registers `@fastify/rate-limit` once, not globally, and gives each route its setting as it is added:
 * authentication routes get `authMax` per IP, every other write gets `anonymousWriteMax` per IP unless
 * the caller is signed in (signed-in callers are bounded by their session and their role's checks).
 * Routes that set `config.rateLimit` themselves keep it. Over the limit the answer is 429
 * `rate.limited` as problem+json with `Retry-After`.
 * Call it before any route is registered (the `onRoute` hook sees only later routes).
 * @param app - the root Fastify instance
 * @param s - the limits (config.ts RATE_LIMIT_*)
 */
export async function registerRateLimits(app: FastifyInstance, s: RateLimitSettings): Promise<void> {
  const timeWindow = s.windowSeconds * 1000;
  // Tricky: this hook must run before the plugin's own onRoute hook, which reads `config.rateLimit`.
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => WRITES.has(m))) return;
    const config = (route.config ?? {}) as Record<string, unknown>;
    if (config.rateLimit !== undefined) return;
    const limit = route.url.startsWith(s.authPrefix)
      ? { max: s.authMax, timeWindow }
      : { max: s.anonymousWriteMax, timeWindow, allowList: (req: FastifyRequest) => s.isSignedIn(req) };
    route.config = { ...config, rateLimit: limit } as RouteOptions['config'];
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => {
      const seconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new AppError('rate.limited', { detail: 'Too many requests; try again later', headers: { 'Retry-After': String(seconds) }, meta: { retryAfterSeconds: seconds } });
    },
  });
}
