import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import { createPeriodicRunner, type PeriodicRunner } from '../../platform/periodic.js';
import { PROPHYLAXIS_REMINDER_JOB } from './prophylaxis-reminders.js';

const LEASE_MINUTES = 15;

export interface ProphylaxisReminderJob extends PeriodicRunner {
  /** Runs the local day's planning once across server processes; undefined when already done. */
  tick(): Promise<{ runOn: string; result: Record<string, unknown> } | undefined>;
}

/**
 * W20: every server process checks once a minute; the first to claim the local day's row in
 * `scheduled_job_run` plans the day's prophylaxis reminders (which plans nothing except on a month's first
 * working day). The same claim-and-lease scheme as the GP restore job.
 * @param deps - database, clock, ids, log, the zone and the planning use case
 * @returns the job
 */
export function createProphylaxisReminderJob(deps: { db: Db; clock: Clock; ids: IdGen; log: Logger; zone: string; plan: (today: string) => Promise<Record<string, unknown>> }): ProphylaxisReminderJob {
  const processId = deps.ids.uuid();
  const job = PROPHYLAXIS_REMINDER_JOB;

  async function tick() {
    const now = deps.clock.now();
    const runOn = now.toZonedDateTimeISO(deps.zone).toPlainDate().toString();
    const lease = toDate(now.add({ minutes: LEASE_MINUTES })).toISOString();
    // Concurrency: the claim (primary key on job and day) is the only check between processes.
    const claim = await deps.db.execute(sql`INSERT INTO scheduled_job_run (job, run_on, claimed_by, lease_until, started_at)
      VALUES (${job}, ${runOn}::date, ${processId}, ${lease}::timestamptz, ${toDate(now).toISOString()}::timestamptz)
      ON CONFLICT (job, run_on) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until, started_at = EXCLUDED.started_at
        WHERE scheduled_job_run.finished_at IS NULL AND scheduled_job_run.lease_until < EXCLUDED.started_at
      RETURNING job`);
    if (claim.rows.length === 0) return undefined;
    try {
      const result = await deps.plan(runOn);
      await deps.db.execute(sql`UPDATE scheduled_job_run SET finished_at = ${toDate(deps.clock.now()).toISOString()}::timestamptz, result = ${JSON.stringify(result)}::jsonb
        WHERE job = ${job} AND run_on = ${runOn}::date AND claimed_by = ${processId}`);
      deps.log.info({ job, runOn, ...result }, 'prophylaxis reminders planned');
      return { runOn, result };
    } catch (err) {
      await deps.db
        .execute(sql`UPDATE scheduled_job_run SET lease_until = ${toDate(deps.clock.now()).toISOString()}::timestamptz
          WHERE job = ${job} AND run_on = ${runOn}::date AND claimed_by = ${processId} AND finished_at IS NULL`)
        .catch(() => undefined);
      throw err;
    }
  }

  return { tick, ...createPeriodicRunner(tick, deps.log, job, 'prophylaxis reminders failed') };
}
