import { ReadinessSchema, type Readiness } from '../../../../src/contracts/ops.js';
import { BackupOverviewSchema, RestoreCheckDocumentSchema, type BackupOverview, type RestoreCheckDocument } from '../../../../src/contracts/backup.js';
import { fileUrls } from '../../api/file-urls.js';
import type { Http } from '../../api/http.js';

export { ReadinessSchema };
export type { Readiness, BackupOverview, RestoreCheckDocument };

/** Operations endpoints (server modules `ops` and `backup`, contracts `src/contracts/ops.ts`, `backup.ts`). */
export interface OpsApi {
  /** `GET /health/ready`: whether the server can serve requests; "unavailable" (503) is an answer, not an error. */
  getReadiness(options?: { signal?: AbortSignal }): Promise<Readiness>;
  /** The last 30 backups with each destination's outcome, and the restore checks (operator, supervisor). */
  getBackups(options?: { signal?: AbortSignal }): Promise<BackupOverview>;
  /** A signed restore-check report with the public key that verifies it. */
  getRestoreCheck(id: string, options?: { signal?: AbortSignal }): Promise<RestoreCheckDocument>;
  /** Where the report's PDF downloads from. */
  restoreCheckPdfUrl(id: string): string;
}

export function createOpsApi(http: Http): OpsApi {
  const signal = (options: { signal?: AbortSignal }) => (options.signal ? { signal: options.signal } : {});
  return {
    getReadiness: (options = {}) => http.getJson('/health/ready', ReadinessSchema, { acceptStatuses: [503], ...signal(options) }),
    getBackups: (options = {}) => http.getJson('/api/v1/ops/backups', BackupOverviewSchema, signal(options)),
    getRestoreCheck: (id, options = {}) => http.getJson(`/api/v1/ops/restore-checks/${encodeURIComponent(id)}`, RestoreCheckDocumentSchema, signal(options)),
    restoreCheckPdfUrl: fileUrls.restoreCheckPdf,
  };
}
