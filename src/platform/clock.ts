import { Temporal } from 'temporal-polyfill';

export { Temporal };

/** The only source of "now" in Distansia (STYLE C10). */
export interface Clock {
  now(): Temporal.Instant;
}

export const systemClock: Clock = { now: () => Temporal.Now.instant() };

export interface FixedClock extends Clock {
  advance(d: Temporal.DurationLike): void;
  set(iso: string): void;
}

/**
 * A clock for tests and replays that moves only when told to.
 * @param iso - the starting instant, ISO 8601 with offset
 * @returns a clock with `advance` and `set`
 */
export function fixedClock(iso: string): FixedClock {
  let t = Temporal.Instant.from(iso);
  return {
    now: () => t,
    advance: (d) => {
      t = t.add(d);
    },
    set: (next) => {
      t = Temporal.Instant.from(next);
    },
  };
}

/** Converts an instant to a JS Date for drivers that need one (pg, drizzle timestamp columns). */
export function toDate(i: Temporal.Instant): Date {
  return new Date(i.epochMilliseconds);
}

/** Converts a driver Date back to an instant. */
export function fromDate(d: Date): Temporal.Instant {
  return Temporal.Instant.fromEpochMilliseconds(d.getTime());
}
