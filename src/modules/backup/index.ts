export { createBackupService, type BackupService, type BackupAlertMail } from './backup.service.js';
export { backupRoutes } from './backup.routes.js';
export { configuredTargets, directoryTarget, type BackupTarget } from './backup-target.js';
export { BACKUP_ALERT, type BackupDeps } from './backup.deps.js';
export { BACKUP_JOB, RESTORE_CHECK_JOB } from './backup.jobs.js';
export { copyDamage, findBackup, readIdentity, restoreInto } from './backup-source.js';
export { BackupFileError } from './backup-archive.js';
export type { RestoreCheckReport } from './restore-check.js';
