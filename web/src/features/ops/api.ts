import { z } from 'zod';
import type { Http } from '../../api/http.js';

/**
 * Contract: the server's `GET /health/ready` body, sent with 200 when ready and 503 when not. It
 * belongs in `src/contracts/ops.ts` (STYLE C3); until the server publishes it there, it is mirrored here.
 */
export const ReadinessSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({
    database: z.enum(['ok', 'down']),
    migrations: z.enum(['ok', 'pending']),
  }),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

/** Operations endpoints (server module `ops`). */
export interface OpsApi {
  /** Whether the server can serve requests; "unavailable" is an answer, not an error. */
  getReadiness(options?: { signal?: AbortSignal }): Promise<Readiness>;
}

export function createOpsApi(http: Http): OpsApi {
  return {
    getReadiness: (options = {}) =>
      http.getJson('/health/ready', ReadinessSchema, {
        acceptStatuses: [503],
        ...(options.signal ? { signal: options.signal } : {}),
      }),
  };
}
