import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { createPeriodicRunner } from '../../platform/periodic.js';
import { localDate } from './gp-rules.js';

/** The job's name in `scheduled_job_run` and in the log. */
export const GP_RESTORE_JOB = 'gp.restore_temporary';
const LEASE_MINUTES = 15;

export interface GpRestoreJob {
  /** Runs today's restore once per local day across server processes; undefined when already done. */
  tick(): Promise<{ restored: number; runOn: string } | undefined>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/**
 * R-GP-05: at the end of a temporary choice the permanent one is restored with no user action. Every
 * server process checks once a minute; the first to claim the local day's row in `scheduled_job_run`
 * ends the expired temporary choices (the same claim-and-lease scheme as the slot roll-forward).
 * @param deps - database, clock, ids, log, the use case and the zone
 * @returns the job
 */
export function createGpRestoreJob(deps: { db: Db; clock: Clock; ids: IdGen; log: Logger; zone: string; restore: (ctx: ReturnType<typeof systemCtx>, today: string) => Promise<{ restored: number }> }): GpRestoreJob {
  const processId = deps.ids.uuid();

  async function tick() {
    const now = deps.clock.now();
    const runOn = localDate(now, deps.zone).toString();
    const lease = toDate(now.add({ minutes: LEASE_MINUTES })).toISOString();
    // Concurrency: the claim (primary key on job and day) is the only check between processes.
    const claim = await deps.db.execute(sql`INSERT INTO scheduled_job_run (job, run_on, claimed_by, lease_until, started_at)
      VALUES (${GP_RESTORE_JOB}, ${runOn}::date, ${processId}, ${lease}::timestamptz, ${toDate(now).toISOString()}::timestamptz)
      ON CONFLICT (job, run_on) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until, started_at = EXCLUDED.started_at
        WHERE scheduled_job_run.finished_at IS NULL AND scheduled_job_run.lease_until < EXCLUDED.started_at
      RETURNING job`);
    if (claim.rows.length === 0) return undefined;
    try {
      const result = await deps.restore(systemCtx(GP_RESTORE_JOB), runOn);
      await deps.db.execute(sql`UPDATE scheduled_job_run SET finished_at = ${toDate(deps.clock.now()).toISOString()}::timestamptz, result = ${JSON.stringify(result)}::jsonb
        WHERE job = ${GP_RESTORE_JOB} AND run_on = ${runOn}::date AND claimed_by = ${processId}`);
      deps.log.info({ job: GP_RESTORE_JOB, runOn, ...result }, 'temporary GP choices restored');
      return { ...result, runOn };
    } catch (err) {
      await deps.db
        .execute(sql`UPDATE scheduled_job_run SET lease_until = ${toDate(deps.clock.now()).toISOString()}::timestamptz
          WHERE job = ${GP_RESTORE_JOB} AND run_on = ${runOn}::date AND claimed_by = ${processId} AND finished_at IS NULL`)
        .catch(() => undefined);
      throw err;
    }
  }

  return { tick, ...createPeriodicRunner(tick, deps.log, GP_RESTORE_JOB, 'GP restore failed') };
}
