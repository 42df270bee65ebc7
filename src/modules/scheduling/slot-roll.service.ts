import { Temporal } from 'temporal-polyfill';
import type { Logger } from 'pino';
import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { Db } from '../../platform/db/index.js';
import { systemCtx } from '../../platform/auth/request-context.js';
import { createPeriodicRunner } from '../../platform/periodic.js';
import type { SchedulingService, SlotRollResult } from './scheduling.service.js';
import * as repo from './scheduling.repo.js';

/** The job's name in `scheduled_job_run` and in the log. */
export const SLOT_ROLL_JOB = 'slots.roll_forward';
const LEASE_MINUTES = 15;

export interface SlotRollForward {
  /**
   * Runs today's roll-forward when its time has come and no server process has done it yet today.
   * @returns what it did, or undefined when it was not due or another process owns today's run
   */
  tick(): Promise<(SlotRollResult & { runOn: string }) | undefined>;
  /** Checks every `intervalMs` (default one minute) whether the run is due; the server calls this. */
  start(intervalMs?: number): void;
  /** Stops checking and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * The daily roll-forward of published slots (Art. 15 item 4): slots are materialised `horizonDays` ahead,
 * so every day one more day must be written, or the published horizon shrinks. Every server process
 * checks once a minute; the first to claim the day's row in `scheduled_job_run` after the configured
 * local time runs `extendSlots`, the others see the claim and do nothing. A process that dies mid-run
 * leaves an unfinished claim whose lease another process takes over; a process started after the hour
 * catches up at once.
 * @param deps - database, clock, ids, logger, the scheduling service, the zone and local time (`HH:MM`)
 * @returns the job
 */
export function createSlotRollForward(deps: { db: Db; clock: Clock; ids: IdGen; log: Logger; scheduling: Pick<SchedulingService, 'extendSlots'>; zone: string; at: string }): SlotRollForward {
  const processId = deps.ids.uuid();
  const at = Temporal.PlainTime.from(deps.at);

  async function tick(): Promise<(SlotRollResult & { runOn: string }) | undefined> {
    const now = deps.clock.now();
    const today = now.toZonedDateTimeISO(deps.zone).toPlainDate();
    // Time zone: a local time in the spring-forward gap (03:00-03:59 in Sofia) moves forward by the gap,
    // one in the repeated autumn hour takes the earlier instant ('compatible', as slots.ts).
    const due = today.toPlainDateTime(at).toZonedDateTime(deps.zone, { disambiguation: 'compatible' }).toInstant();
    if (Temporal.Instant.compare(now, due) < 0) return undefined;
    const runOn = today.toString();
    const run = { job: SLOT_ROLL_JOB, runOn, claimedBy: processId };
    const lease = () => toDate(deps.clock.now().add({ minutes: LEASE_MINUTES }));
    // Concurrency: the claim is the only check between server processes (primary key on job and day).
    if (!(await repo.claimJobRun(deps.db, { ...run, now: toDate(now), leaseUntil: lease() }))) return undefined;
    try {
      const result = await deps.scheduling.extendSlots(systemCtx('scheduling.roll-forward'), {
        onProgress: () => repo.renewJobRun(deps.db, { ...run, leaseUntil: lease() }),
      });
      await repo.endJobRun(deps.db, { ...run, now: toDate(deps.clock.now()), result: { ...result } });
      deps.log.info({ job: SLOT_ROLL_JOB, runOn, ...result }, 'slots rolled forward');
      return { ...result, runOn };
    } catch (err) {
      // Give the day up so the next check (this or another process) retries it.
      await repo.endJobRun(deps.db, { ...run, now: toDate(deps.clock.now()) }).catch(() => undefined);
      throw err;
    }
  }

  return { tick, ...createPeriodicRunner(tick, deps.log, SLOT_ROLL_JOB, 'slot roll-forward failed') };
}
