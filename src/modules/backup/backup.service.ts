import { fromDate } from '../../platform/clock.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type { OutboxMessage } from '../../platform/outbox/outbox.js';
import type { BackupOverview, RestoreCheckDocument } from '../../contracts/backup.js';
import { createBackup } from './create-backup.js';
import { runRestoreCheck, type RestoreCheckReport } from './restore-check.js';
import { dailyDue, monthlyDue } from './backup-rules.js';
import { BACKUP_JOB, RESTORE_CHECK_JOB, createClaimedJob } from './backup.jobs.js';
import type { BackupAlert, BackupDeps } from './backup.deps.js';
import type { NotificationMessage } from '../notifications/index.js';
import * as repo from './backup.repo.js';

/** The e-mail the operator gets (sent by the notifications module). */
export interface BackupAlertMail {
  sourceId: string;
  accountIds: string[];
  message: Extract<NotificationMessage, { kind: 'backup_failed' }>;
}

/**
 * Backups, restore checks and what the operator and the supervisor see of them (docs/operations.md).
 * @param deps - see BackupDeps
 * @param times - local `HH:MM` of the daily backup and of the monthly restore check
 * @param times.backupAt - BACKUP_TIME
 * @param times.restoreCheckAt - RESTORE_CHECK_TIME
 * @returns the service
 */
export function createBackupService(deps: BackupDeps, times: { backupAt: string; restoreCheckAt: string }) {
  const db = deps.database.db;

  async function allowed(ctx: RequestCtx, operation: string): Promise<void> {
    const actor = ctx.actor;
    if (actor.type === 'anonymous') throw new AppError('auth.unauthenticated');
    if (actor.type === 'user' && (actor.role === 'operator' || actor.role === 'supervisor')) return;
    await deps.audit.recordStandalone(ctx, { action: 'access.denied', outcome: 'denied', data: { operation } });
    throw new ForbiddenError('Only the platform operator and the supervisory agency see backups');
  }

  const dailyBackup = createClaimedJob(deps, BACKUP_JOB, (now) => dailyDue(now, deps.zone, times.backupAt), async () => {
    const r = await createBackup(deps, 'daily');
    return { backupId: r.id, status: r.status, sizeBytes: r.sizeBytes ?? 0 };
  });
  const monthlyCheck = createClaimedJob(deps, RESTORE_CHECK_JOB, (now) => monthlyDue(now, deps.zone, times.restoreCheckAt), async () => {
    const r = await runRestoreCheck(deps, { trigger: 'monthly' });
    return { checkId: r.checkId, passed: r.passed };
  });

  return {
    dailyBackup,
    monthlyCheck,
    /** `distansia backup`. */
    backupNow: () => createBackup(deps, 'cli'),
    /** `distansia restore-check`. */
    restoreCheckNow: (backupId?: string): Promise<RestoreCheckReport> => runRestoreCheck(deps, { trigger: 'cli', ...(backupId ? { backupId } : {}) }),

    /**
     * The inspector's view: the last 30 backups with each destination's outcome, and the restore checks.
     * @param ctx - the operator or a supervisor
     * @returns backups and checks (counts only)
     */
    async overview(ctx: RequestCtx): Promise<BackupOverview> {
      await allowed(ctx, 'backup.overview');
      const runs = await repo.listBackupRuns(db, 30);
      const checks = await repo.listRestoreChecks(db, 12);
      await deps.audit.recordStandalone(ctx, { action: 'backup.report_read', data: { view: 'overview' } });
      return {
        destinations: deps.targets.map((t) => t.location),
        backups: runs.map((r) => ({
          id: r.id,
          startedAt: fromDate(new Date(r.started_at)).toString(),
          finishedAt: fromDate(new Date(r.finished_at)).toString(),
          trigger: r.trigger,
          status: r.status,
          sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
          rows: Object.values(r.row_counts).reduce((a, b) => a + b, 0),
          destinations: r.destinations.map((d) => ({ location: d.location, ok: d.ok, error: d.error ?? null })),
        })),
        restoreChecks: checks.map((c) => ({ id: c.id, backupId: c.backup_id, startedAt: fromDate(new Date(c.started_at)).toString(), passed: c.passed, failure: (c.report.failure as string | null) ?? null })),
      };
    },

    /**
     * A signed restore-check report with the public key that verifies it.
     * @param ctx - the operator or a supervisor
     * @param id - the check
     * @returns the report, signature and key
     */
    async report(ctx: RequestCtx, id: string): Promise<RestoreCheckDocument> {
      await allowed(ctx, 'backup.report');
      const row = await repo.findRestoreCheck(db, id);
      if (!row) throw new NotFoundError('restore_check', id);
      const pub = await deps.auditKeys.verifyingKey(row.key_version);
      await deps.audit.recordStandalone(ctx, { action: 'backup.report_read', subject: { type: 'restore_check', id }, data: { format: 'json' } });
      return {
        report: row.report as unknown as RestoreCheckDocument['report'],
        signature: row.signature,
        keyVersion: row.key_version,
        publicKeyPem: pub ? pub.export({ type: 'spki', format: 'pem' }).toString() : null,
      };
    },

    /**
     * The report's PDF.
     * @param ctx - the operator or a supervisor
     * @param id - the check
     * @returns the PDF bytes
     */
    async reportPdf(ctx: RequestCtx, id: string): Promise<Buffer> {
      await allowed(ctx, 'backup.report');
      const row = await repo.findRestoreCheck(db, id);
      if (!row) throw new NotFoundError('restore_check', id);
      await deps.audit.recordStandalone(ctx, { action: 'backup.report_read', subject: { type: 'restore_check', id }, data: { format: 'pdf' } });
      return row.pdf;
    },

    /**
     * The outbox handler of BACKUP_ALERT: mails every active operator account.
     * @param msg - the outbox message
     * @param send - delivers the mail (the notifications module)
     */
    async handleAlert(msg: OutboxMessage, send: (mail: BackupAlertMail) => Promise<unknown>): Promise<void> {
      const raw = msg.payload as Partial<BackupAlert> & { subject?: string; text?: string };
      // Rows written before the texts catalogue carried a worded subject and text: they keep their detail.
      const p: BackupAlert = raw.what ? { what: raw.what, reference: raw.reference ?? '', detail: raw.detail ?? '' } : { what: 'backup', reference: '', detail: `${raw.subject ?? ''}\n${raw.text ?? ''}` };
      const accountIds = await repo.operatorAccountIds(db);
      if (accountIds.length === 0) {
        deps.log.error({ what: p.what, reference: p.reference }, 'backup alert: no active operator account to tell');
        return;
      }
      await send({ sourceId: msg.id, accountIds, message: { kind: 'backup_failed', ...p } });
    },
  };
}
export type BackupService = ReturnType<typeof createBackupService>;
