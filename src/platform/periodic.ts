import type { Logger } from 'pino';

/** A background check that runs now and then every interval, never twice at once. */
export interface PeriodicRunner {
  /** Runs the check now and then every `intervalMs`; a second call does nothing. */
  start(intervalMs?: number): void;
  /** Stops the timer and waits for a check under way. */
  stop(): Promise<void>;
}

/**
 * The timer shared by the daily jobs (slot roll-forward, GP restore): each check claims its day in the
 * database, so this only decides when to look, and a failed check is logged and retried next time.
 * @param tick - one check
 * @param log - the process logger
 * @param job - the job's name, in the log line of a failure
 * @param failure - the log message of a failure
 * @returns start and stop
 */
export function createPeriodicRunner(tick: () => Promise<unknown>, log: Logger, job: string, failure: string): PeriodicRunner {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    start(intervalMs = 60_000) {
      if (timer) return;
      const check = () => {
        running ??= tick()
          .catch((err: unknown) => log.error({ err, job }, failure))
          .finally(() => {
            running = undefined;
          });
      };
      check();
      timer = setInterval(check, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
