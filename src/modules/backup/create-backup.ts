import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { dumpDatabase, encryptToFile } from './backup-archive.js';
import { backupId, retentionDrops, type BackupManifest } from './backup-rules.js';
import { BACKUP_ALERT, type BackupAlert, type BackupDeps } from './backup.deps.js';
import * as repo from './backup.repo.js';

export interface BackupResult {
  id: string;
  status: 'ok' | 'partial' | 'failed';
  sizeBytes: number | null;
  durationMs: number;
  destinations: { location: string; ok: boolean; error?: string; pruned?: number }[];
  error?: string;
}

/**
 * Art. 28(1) items 5-6: one full backup, encrypted, to every destination (docs/operations.md#backups).
 * The file is encrypted once into the staging directory, then copied to each destination; a destination
 * that is full or gone is recorded and the others still get it. Each destination then drops what its
 * retention no longer keeps. A failure at any destination alerts the operator through the outbox.
 * @param deps - see BackupDeps
 * @param trigger - the daily job or the CLI
 * @returns what happened at each destination
 */
export async function createBackup(deps: BackupDeps, trigger: 'daily' | 'cli'): Promise<BackupResult> {
  if (deps.targets.length < 2) throw new Error('BACKUP_DESTINATIONS needs at least two destinations (two sites, Art. 28(1) item 5)');
  if (deps.recipients.length === 0) throw new Error('BACKUP_RECIPIENTS is empty: set the operator\'s age public key (docs/operations.md#backup-key)');
  const started = deps.clock.now();
  const id = backupId(started, randomBytes(4).toString('hex'));
  await mkdir(deps.stagingDir, { recursive: true, mode: 0o700 });
  // A kill -9 leaves this file behind; it is never at a destination, and the next run clears it.
  const staged = join(deps.stagingDir, `.tmp-${id}.age`);
  const destinations: BackupResult['destinations'] = [];
  let manifest: BackupManifest | undefined;
  let error: string | undefined;
  try {
    await clearStaging(deps.stagingDir);
    const dump = await dumpDatabase(deps.database, { store: deps.store, id, startedAt: started.toString(), url: deps.databaseUrl });
    const { sizeBytes, sha256 } = await encryptToFile(dump, deps.recipients, staged);
    manifest = {
      format: 1,
      id,
      databaseKind: deps.database.kind,
      trigger,
      startedAt: started.toString(),
      finishedAt: deps.clock.now().toString(),
      sizeBytes,
      sha256,
      rowCounts: dump.header.rowCounts,
      recipients: [...deps.recipients],
    };
    for (const target of deps.targets) {
      try {
        await target.put(manifest, staged);
        const drops = retentionDrops(await target.list(), { keepDaily: deps.keep.daily, keepMonthly: deps.keep.monthly, zone: deps.zone });
        for (const old of drops) await target.remove(old);
        destinations.push({ location: target.location, ok: true, pruned: drops.length });
      } catch (err) {
        deps.log.error({ err, location: target.location, backupId: id }, 'backup destination failed');
        destinations.push({ location: target.location, ok: false, error: describe(err) });
      }
    }
  } catch (err) {
    deps.log.error({ err, backupId: id }, 'backup failed');
    error = describe(err);
  } finally {
    await rm(staged, { force: true }).catch(() => undefined);
  }
  const okCount = destinations.filter((d) => d.ok).length;
  const status: BackupResult['status'] = error || okCount === 0 ? 'failed' : okCount < deps.targets.length ? 'partial' : 'ok';
  const finished = deps.clock.now();
  await withTransaction(deps.database.db, async (tx) => {
    await repo.insertBackupRun(tx, {
      id,
      started_at: toDate(started),
      finished_at: toDate(finished),
      trigger,
      database_kind: deps.database.kind,
      size_bytes: manifest?.sizeBytes ?? null,
      sha256: manifest?.sha256 ?? null,
      row_counts: manifest?.rowCounts ?? {},
      destinations,
      status,
      error: error ?? null,
    });
    await deps.audit.record(tx, systemCtx(`backup.${trigger}`), {
      action: 'backup.created',
      outcome: status === 'failed' ? 'failure' : 'success',
      subject: { type: 'backup', id },
      data: { backupId: id, status, ok: okCount, failed: destinations.length - okCount },
    });
    if (status !== 'ok') {
      const failedAt = destinations.filter((d) => !d.ok).map((d) => `${d.location}: ${d.error ?? ''}`);
      await deps.outbox.enqueue(tx, BACKUP_ALERT, {
        what: 'backup',
        reference: id,
        detail: [status === 'failed' ? 'No destination holds it.' : 'A destination is missing it.', ...(error ? [`Error: ${error}`] : []), ...failedAt.map((f) => `Destination failed: ${f}`), 'docs/operations.md'].join('\n'),
      } satisfies BackupAlert);
    }
  });
  return { id, status, sizeBytes: manifest?.sizeBytes ?? null, durationMs: finished.epochMilliseconds - started.epochMilliseconds, destinations, ...(error ? { error } : {}) };
}

async function clearStaging(dir: string): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  for (const n of await readdir(dir)) if (n.startsWith('.tmp-')) await rm(join(dir, n), { force: true });
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC') return 'ENOSPC: the destination is full';
  if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EROFS') return `${e.code}: the destination is gone or not writable (${e.message})`;
  return e instanceof Error ? e.message : String(err);
}
