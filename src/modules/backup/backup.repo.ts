import { sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/index.js';

export type BackupRunRow = {
  id: string;
  started_at: Date;
  finished_at: Date;
  trigger: 'daily' | 'cli';
  database_kind: 'postgres' | 'pglite';
  size_bytes: string | null;
  sha256: string | null;
  row_counts: Record<string, number>;
  destinations: { location: string; ok: boolean; error?: string; pruned?: number }[];
  status: 'ok' | 'partial' | 'failed';
  error: string | null;
};

export async function insertBackupRun(q: Queryable, r: Omit<BackupRunRow, 'size_bytes'> & { size_bytes: number | null }): Promise<void> {
  await q.execute(sql`
    INSERT INTO backup_run (id, started_at, finished_at, trigger, database_kind, size_bytes, sha256, row_counts, destinations, status, error)
    VALUES (${r.id}, ${r.started_at.toISOString()}::timestamptz, ${r.finished_at.toISOString()}::timestamptz, ${r.trigger}, ${r.database_kind},
      ${r.size_bytes}, ${r.sha256}, ${JSON.stringify(r.row_counts)}::jsonb, ${JSON.stringify(r.destinations)}::jsonb, ${r.status}, ${r.error})`);
}

export async function listBackupRuns(q: Queryable, limit: number): Promise<BackupRunRow[]> {
  const r = await q.execute<BackupRunRow>(sql`SELECT * FROM backup_run ORDER BY started_at DESC LIMIT ${limit}`);
  return r.rows;
}

export type RestoreCheckRow = {
  id: string;
  backup_id: string;
  started_at: Date;
  finished_at: Date;
  passed: boolean;
  report: Record<string, unknown>;
  signature: string;
  key_version: number;
};

export async function insertRestoreCheck(q: Queryable, r: RestoreCheckRow & { pdf: Buffer }): Promise<void> {
  await q.execute(sql`
    INSERT INTO restore_check (id, backup_id, started_at, finished_at, passed, report, signature, key_version, pdf)
    VALUES (${r.id}, ${r.backup_id}, ${r.started_at.toISOString()}::timestamptz, ${r.finished_at.toISOString()}::timestamptz, ${r.passed},
      ${JSON.stringify(r.report)}::jsonb, ${r.signature}, ${r.key_version}, ${r.pdf})`);
}

export async function listRestoreChecks(q: Queryable, limit: number): Promise<RestoreCheckRow[]> {
  const r = await q.execute<RestoreCheckRow>(sql`
    SELECT id, backup_id, started_at, finished_at, passed, report, signature, key_version FROM restore_check ORDER BY started_at DESC LIMIT ${limit}`);
  return r.rows;
}

export async function findRestoreCheck(q: Queryable, id: string): Promise<(RestoreCheckRow & { pdf: Buffer }) | undefined> {
  const r = await q.execute<RestoreCheckRow & { pdf: Buffer }>(sql`SELECT * FROM restore_check WHERE id = ${id}`);
  return r.rows[0];
}

/** Active operator accounts: who is alerted when a backup or restore check fails. */
export async function operatorAccountIds(q: Queryable): Promise<string[]> {
  const r = await q.execute<{ id: string }>(sql`SELECT id FROM user_account WHERE role = 'operator' AND status = 'active' ORDER BY id`);
  return r.rows.map((x) => x.id);
}

// The daily and monthly runs claim their day in scheduled_job_run (migrations/0012), like the slot roll.

export async function claimJobRun(q: Queryable, r: { job: string; runOn: string; claimedBy: string; now: Date; leaseUntil: Date }): Promise<boolean> {
  const res = await q.execute(sql`
    INSERT INTO scheduled_job_run (job, run_on, claimed_by, lease_until, started_at)
    VALUES (${r.job}, ${r.runOn}::date, ${r.claimedBy}, ${r.leaseUntil.toISOString()}::timestamptz, ${r.now.toISOString()}::timestamptz)
    ON CONFLICT (job, run_on) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until, started_at = EXCLUDED.started_at
      WHERE scheduled_job_run.finished_at IS NULL AND scheduled_job_run.lease_until < EXCLUDED.started_at
    RETURNING job`);
  return res.rows.length > 0;
}

export async function renewJobRun(q: Queryable, r: { job: string; runOn: string; claimedBy: string; leaseUntil: Date }): Promise<void> {
  await q.execute(sql`UPDATE scheduled_job_run SET lease_until = ${r.leaseUntil.toISOString()}::timestamptz
    WHERE job = ${r.job} AND run_on = ${r.runOn}::date AND claimed_by = ${r.claimedBy} AND finished_at IS NULL`);
}

export async function endJobRun(q: Queryable, r: { job: string; runOn: string; claimedBy: string; now: Date; result?: Record<string, number | string | boolean> }): Promise<void> {
  await q.execute(
    r.result
      ? sql`UPDATE scheduled_job_run SET finished_at = ${r.now.toISOString()}::timestamptz, result = ${JSON.stringify(r.result)}::jsonb
          WHERE job = ${r.job} AND run_on = ${r.runOn}::date AND claimed_by = ${r.claimedBy} AND finished_at IS NULL`
      : sql`UPDATE scheduled_job_run SET lease_until = ${r.now.toISOString()}::timestamptz
          WHERE job = ${r.job} AND run_on = ${r.runOn}::date AND claimed_by = ${r.claimedBy} AND finished_at IS NULL`,
  );
}
