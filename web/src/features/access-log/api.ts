import { AccessLogSchema, type AccessLog, type AccessLogEntry } from '../../../../src/contracts/audit-trail.js';
import type { Http } from '../../api/http.js';

export type { AccessLog, AccessLogEntry };

/** "Who accessed my data" (server module `audit-trail`, contract `src/contracts/audit-trail.ts`). */
export interface AccessLogApi {
  /** `GET /api/v1/me/access-log`: the caller's own log, or a linked patient's (`patientId`) for representatives. */
  get(params: { patientId?: string; before?: string }): Promise<AccessLog>;
}

export function createAccessLogApi(http: Http): AccessLogApi {
  return {
    get: ({ patientId, before }) => {
      const q = new URLSearchParams();
      if (patientId) q.set('patientId', patientId);
      if (before) q.set('before', before);
      const qs = q.toString();
      return http.getJson(`/api/v1/me/access-log${qs ? `?${qs}` : ''}`, AccessLogSchema);
    },
  };
}
