import { Temporal } from 'temporal-polyfill';
import type { Clock } from '../../src/platform/clock.js';

export interface ShiftedClock extends Clock {
  /** Jumps to an instant; the clock keeps ticking from there at the wall clock's pace. */
  set(iso: string): void;
}

/**
 * A clock for journeys on a chosen date: it starts at `iso` and ticks in real time, so sessions, sign-in
 * codes and timeouts behave as in production while the date is the one the rules are tested on.
 * @param iso - the starting instant, ISO 8601 with offset
 * @returns the clock
 */
export function shiftedClock(iso: string): ShiftedClock {
  let offset = 0;
  const set = (to: string) => {
    offset = Temporal.Instant.from(to).epochMilliseconds - Date.now();
  };
  set(iso);
  return { now: () => Temporal.Instant.fromEpochMilliseconds(Date.now() + offset), set };
}
