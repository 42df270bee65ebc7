import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import { toDate, type Clock } from './clock.js';
import type { Db } from './db/index.js';
import type { IdGen } from './ids.js';
import { createPeriodicRunner, type PeriodicRunner } from './periodic.js';

const LEASE_MINUTES = 15;

/** A job that runs once per local day across all server processes. */
export interface DailyJob<R> extends PeriodicRunner {
  /** Runs the local day's work if no process has done it yet; undefined when it is done or claimed. */
  tick(): Promise<{ runOn: string; result: R } | undefined>;
}

/**
 * The claim-and-lease scheme of the daily jobs: every process looks once a minute; the first to claim the
 * local day's row in `scheduled_job_run` (primary key on job and day, the only check between processes)
 * does the work. A process that dies mid-run leaves its lease to expire, so another takes the day over;
 * a failure ends the lease at once so the next look retries.
 * @param deps - database, clock, ids, log, the zone whose day counts
 * @param spec - the job's name, its work for a local date, and the log lines of success and failure
 * @returns tick, start and stop
 */
export function createDailyJob<R extends object>(
  deps: { db: Db; clock: Clock; ids: IdGen; log: Logger; zone: string },
  spec: { job: string; run: (runOn: string) => Promise<R>; done: string; failure: string },
): DailyJob<R> {
  const processId = deps.ids.uuid();
  const { job } = spec;

  async function tick(): Promise<{ runOn: string; result: R } | undefined> {
    const now = deps.clock.now();
    const runOn = now.toZonedDateTimeISO(deps.zone).toPlainDate().toString();
    const lease = toDate(now.add({ minutes: LEASE_MINUTES })).toISOString();
    const claim = await deps.db.execute(sql`INSERT INTO scheduled_job_run (job, run_on, claimed_by, lease_until, started_at)
      VALUES (${job}, ${runOn}::date, ${processId}, ${lease}::timestamptz, ${toDate(now).toISOString()}::timestamptz)
      ON CONFLICT (job, run_on) DO UPDATE SET claimed_by = EXCLUDED.claimed_by, lease_until = EXCLUDED.lease_until, started_at = EXCLUDED.started_at
        WHERE scheduled_job_run.finished_at IS NULL AND scheduled_job_run.lease_until < EXCLUDED.started_at
      RETURNING job`);
    if (claim.rows.length === 0) return undefined;
    try {
      const result = await spec.run(runOn);
      await deps.db.execute(sql`UPDATE scheduled_job_run SET finished_at = ${toDate(deps.clock.now()).toISOString()}::timestamptz, result = ${JSON.stringify(result)}::jsonb
        WHERE job = ${job} AND run_on = ${runOn}::date AND claimed_by = ${processId}`);
      const fields: Record<string, unknown> = { job, runOn, ...result };
      deps.log.info(fields, spec.done);
      return { runOn, result };
    } catch (err) {
      await deps.db
        .execute(sql`UPDATE scheduled_job_run SET lease_until = ${toDate(deps.clock.now()).toISOString()}::timestamptz
          WHERE job = ${job} AND run_on = ${runOn}::date AND claimed_by = ${processId} AND finished_at IS NULL`)
        .catch(() => undefined);
      throw err;
    }
  }

  return { tick, ...createPeriodicRunner(tick, deps.log, job, spec.failure) };
}
