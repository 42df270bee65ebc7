import type { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { createPeriodicRunner, type PeriodicRunner } from '../../platform/periodic.js';
import type { BackupDeps } from './backup.deps.js';
import * as repo from './backup.repo.js';

export const BACKUP_JOB = 'backup.daily';
export const RESTORE_CHECK_JOB = 'backup.restore_check';
const LEASE_MINUTES = 120;

export interface BackupJob extends PeriodicRunner {
  /** Runs the period's work when due and no process has claimed it; undefined otherwise. */
  tick(): Promise<Record<string, number | string | boolean> | undefined>;
}

/**
 * A job that runs once per period across all server processes: the first process to claim the period's row
 * in `scheduled_job_run` after it is due does the work (as the slot roll-forward, migrations/0012). A failed
 * run gives the claim up, and the next check retries.
 * @param deps - database, clock, ids, log
 * @param job - its name
 * @param due - the period's key (a local date) and whether it is due now
 * @param work - the work
 * @returns the job
 */
export function createClaimedJob(
  deps: Pick<BackupDeps, 'database' | 'clock' | 'ids' | 'log'>,
  job: string,
  due: (now: Temporal.Instant) => { runOn: string; due: boolean },
  work: () => Promise<Record<string, number | string | boolean>>,
): BackupJob {
  const processId = deps.ids.uuid();
  const db = deps.database.db;
  async function tick() {
    const now = deps.clock.now();
    const d = due(now);
    if (!d.due) return undefined;
    const run = { job, runOn: d.runOn, claimedBy: processId };
    const leaseUntil = toDate(now.add({ minutes: LEASE_MINUTES }));
    if (!(await repo.claimJobRun(db, { ...run, now: toDate(now), leaseUntil }))) return undefined;
    try {
      const result = await work();
      await repo.endJobRun(db, { ...run, now: toDate(deps.clock.now()), result });
      deps.log.info({ job, runOn: d.runOn, ...result }, 'scheduled job done');
      return result;
    } catch (err) {
      await repo.endJobRun(db, { ...run, now: toDate(deps.clock.now()) }).catch(() => undefined);
      throw err;
    }
  }
  return { tick, ...createPeriodicRunner(tick, deps.log, job, `${job} failed`) };
}
