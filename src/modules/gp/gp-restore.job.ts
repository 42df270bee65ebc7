import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { createDailyJob } from '../../platform/daily-job.js';

/** The job's name in `scheduled_job_run` and in the log. */
export const GP_RESTORE_JOB = 'gp.restore_temporary';

export interface GpRestoreJob {
  /** Runs today's restore once per local day across server processes; undefined when already done. */
  tick(): Promise<{ restored: number; runOn: string } | undefined>;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
}

/**
 * R-GP-05: at the end of a temporary choice the permanent one is restored with no user action. Every
 * server process checks once a minute; the first to claim the local day's row in `scheduled_job_run`
 * ends the expired temporary choices (`createDailyJob`).
 * @param deps - database, clock, ids, log, the use case and the zone
 * @returns the job
 */
export function createGpRestoreJob(deps: { db: Db; clock: Clock; ids: IdGen; log: Logger; zone: string; restore: (ctx: ReturnType<typeof systemCtx>, today: string) => Promise<{ restored: number }> }): GpRestoreJob {
  const daily = createDailyJob(deps, { job: GP_RESTORE_JOB, run: (runOn) => deps.restore(systemCtx(GP_RESTORE_JOB), runOn), done: 'temporary GP choices restored', failure: 'GP restore failed' });
  return {
    ...daily,
    async tick() {
      const ran = await daily.tick();
      return ran && { ...ran.result, runOn: ran.runOn };
    },
  };
}
