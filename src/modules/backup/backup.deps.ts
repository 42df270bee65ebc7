import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Database } from '../../platform/db/index.js';
import type { MasterKeyStore } from '../../platform/crypto/key-store.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { AuditKeys } from '../../platform/audit/audit-keys.js';
import type { ExportedHead } from '../../platform/audit/audit-heads.js';
import type { Outbox } from '../../platform/outbox/outbox.js';
import type { BackupTarget } from './backup-target.js';

/** What the backup use cases need; wired in src/composition.ts. */
export interface BackupDeps {
  database: Database;
  clock: Clock;
  ids: IdGen;
  log: Logger;
  /** Master keys: only fingerprints go into a backup; the restore check opens sampled records with them. */
  store: MasterKeyStore;
  audit: AuditLog;
  /** The head-signing key (`auditsign`) also signs restore-check reports. */
  auditKeys: AuditKeys;
  outbox: Outbox;
  targets: readonly BackupTarget[];
  /** age public keys backups are encrypted to. */
  recipients: readonly string[];
  /** The operator's age secret key file (restore and restore check only). */
  identityFile: string | undefined;
  /** A local directory for the encrypted file before it is copied to the destinations. */
  stagingDir: string;
  /** The PostgreSQL URL for pg_dump (undefined on PGlite). */
  databaseUrl: string | undefined;
  zone: string;
  keep: { daily: number; monthly: number };
  /** The audit chain heads exported to the second location(s). */
  exportedHeads: () => Promise<ExportedHead[]>;
}

/** The outbox message that alerts the operator (payload: subject and text, counts only). */
export const BACKUP_ALERT = 'backup.alert';

/** The BACKUP_ALERT payload: what failed, its id, and the technical detail for the operator. */
export type BackupAlert = { what: 'backup' | 'restore_check'; reference: string; detail: string };
