import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError } from '../../platform/errors/app-error.js';
import type { RequestLifecycle } from './consultation.ports.js';

/** The one requests-service use case the consultation needs (the requests module's `transition`). */
export interface RequestTransitions {
  transition(ctx: RequestCtx, id: string, body: { action: 'start' | 'complete' }): Promise<unknown>;
}

/**
 * The request lifecycle through the requests service's compare-and-swap transitions. A request that is
 * already where the consultation wants it (started from the worklist, completed twice) is not an error.
 * @param requests - the requests service
 * @returns the lifecycle port
 */
export function requestLifecycleVia(requests: RequestTransitions): RequestLifecycle {
  const alreadyAt = (statuses: readonly string[]) => (err: unknown) => {
    if (err instanceof AppError && err.code === 'state.bad_transition' && statuses.includes(String(err.meta?.from))) return;
    throw err;
  };
  return {
    startService: (ctx, id) => requests.transition(ctx, id, { action: 'start' }).then(() => undefined, alreadyAt(['in_progress', 'completed', 'documented'])),
    completeService: (ctx, id) => requests.transition(ctx, id, { action: 'complete' }).then(() => undefined, alreadyAt(['completed', 'documented'])),
  };
}
