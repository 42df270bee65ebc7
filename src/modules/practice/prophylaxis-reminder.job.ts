import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import { createDailyJob, type DailyJob } from '../../platform/daily-job.js';
import { PROPHYLAXIS_REMINDER_JOB } from './prophylaxis-reminders.js';

export type ProphylaxisReminderJob = DailyJob<Record<string, unknown>>;

/**
 * W20: once per local day across server processes, plan the day's prophylaxis reminders (which plans
 * nothing except on a month's first working day).
 * @param deps - database, clock, ids, log, the zone and the planning use case
 * @returns the job
 */
export function createProphylaxisReminderJob(deps: { db: Db; clock: Clock; ids: IdGen; log: Logger; zone: string; plan: (today: string) => Promise<Record<string, unknown>> }): ProphylaxisReminderJob {
  return createDailyJob(deps, { job: PROPHYLAXIS_REMINDER_JOB, run: deps.plan, done: 'prophylaxis reminders planned', failure: 'prophylaxis reminders failed' });
}
