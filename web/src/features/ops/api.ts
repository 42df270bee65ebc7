import { ReadinessSchema, type Readiness } from '../../../../src/contracts/ops.js';
import type { Http } from '../../api/http.js';

export { ReadinessSchema };
export type { Readiness };

/** Operations endpoints (server module `ops`, contract `src/contracts/ops.ts`). */
export interface OpsApi {
  /** `GET /health/ready`: whether the server can serve requests; "unavailable" (503) is an answer, not an error. */
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
