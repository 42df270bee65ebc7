import { createHash } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import { fromDate } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { ApiClient } from '../../contracts/api-clients.js';
import type { ApiClientRow } from './api-clients.repo.js';

export interface ApiClientsDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  audit: AuditLog;
}

/** How long an access token lives (SMART backend services recommend at most five minutes to an hour). */
export const TOKEN_SECONDS = 3600;

export const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function toApiClient(row: ApiClientRow): ApiClient {
  return {
    id: row.id,
    facilityId: row.facility_id,
    name: row.name,
    scope: row.scope,
    createdAt: fromDate(row.created_at).toString(),
    revokedAt: row.revoked_at ? fromDate(row.revoked_at).toString() : null,
  };
}
