import { Temporal } from 'temporal-polyfill';

/**
 * Pure availability and slot maths (STYLE C11-C12): no I/O, no clock — `now` is an argument.
 *
 * Intervals are half-open `[start, end)` instants, matching `tstzrange(start, end, '[)')` in SQL.
 * Rules are wall times in an IANA zone; they become instants only in {@link expandRules}.
 *
 * Time zone: a wall time that does not exist (spring forward, 03:00-03:59 in Sofia on 2026-03-29) is
 * resolved with Temporal's `disambiguation: 'compatible'`, i.e. moved forward by the gap (03:30 becomes
 * 04:30 EEST); a wall time that happens twice (fall back, 2026-10-25) takes the earlier instant. This
 * is the policy of RFC 5545 and of most calendars; the tests in slots.test.ts pin it.
 */

/** A half-open interval of instants. */
export interface Interval {
  start: Temporal.Instant;
  end: Temporal.Instant;
}

/** A weekly rule: ISO weekday (1 = Monday) and wall times `HH:MM`, end after start on the same day. */
export interface WallRule {
  weekday: number;
  start: string;
  end: string;
}

const cmp = Temporal.Instant.compare;
const max = (a: Temporal.Instant, b: Temporal.Instant) => (cmp(a, b) >= 0 ? a : b);
const min = (a: Temporal.Instant, b: Temporal.Instant) => (cmp(a, b) <= 0 ? a : b);

/**
 * Turns weekly wall-time rules into instants for every date of a range.
 * @param rules - weekly rules in wall time
 * @param range - `from` inclusive, `to` exclusive (calendar dates in `zone`)
 * @param zone - IANA time zone of the rules, e.g. `Europe/Sofia`
 * @param skipDates - ISO dates to leave out (official holidays, whole-day exceptions)
 * @returns the intervals, sorted and merged
 * @throws {RangeError} when the zone is unknown or a rule's time is malformed
 */
export function expandRules(
  rules: readonly WallRule[],
  range: { from: Temporal.PlainDate; to: Temporal.PlainDate },
  zone: string,
  skipDates: ReadonlySet<string> = new Set(),
): Interval[] {
  const parsed = rules.map((r) => ({ weekday: r.weekday, start: Temporal.PlainTime.from(r.start), end: Temporal.PlainTime.from(r.end) }));
  const out: Interval[] = [];
  for (let d = range.from; Temporal.PlainDate.compare(d, range.to) < 0; d = d.add({ days: 1 })) {
    if (skipDates.has(d.toString())) continue;
    for (const r of parsed) {
      if (r.weekday !== d.dayOfWeek) continue;
      // Time zone: 'compatible' is the default of toZonedDateTime; stated for the reader (see banner).
      const start = d.toPlainDateTime(r.start).toZonedDateTime(zone, { disambiguation: 'compatible' }).toInstant();
      const end = d.toPlainDateTime(r.end).toZonedDateTime(zone, { disambiguation: 'compatible' }).toInstant();
      if (cmp(end, start) > 0) out.push({ start, end });
    }
  }
  return normalize(out);
}

/**
 * The instants covering whole wall days, for exceptions such as leave.
 * @param from - first day, inclusive
 * @param to - last day, inclusive
 * @param zone - IANA time zone
 * @returns one interval from the start of `from` to the start of the day after `to`
 */
export function wallDays(from: Temporal.PlainDate, to: Temporal.PlainDate, zone: string): Interval {
  return {
    start: from.toZonedDateTime({ timeZone: zone }).toInstant(),
    end: to.add({ days: 1 }).toZonedDateTime({ timeZone: zone }).toInstant(),
  };
}

/**
 * Sorts intervals and merges those that overlap or touch; drops empty ones.
 * @param intervals - any intervals
 * @returns disjoint, sorted intervals covering the same instants
 */
export function normalize(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => cmp(i.end, i.start) > 0).sort((a, b) => cmp(a.start, b.start));
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && cmp(i.start, last.end) <= 0) last.end = max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/**
 * Removes busy time from available time.
 * @param available - available intervals
 * @param busy - intervals to remove
 * @returns the parts of `available` outside every busy interval, normalised
 */
export function subtract(available: readonly Interval[], busy: readonly Interval[]): Interval[] {
  const b = normalize(busy);
  const out: Interval[] = [];
  for (const a of normalize(available)) {
    let cursor = a.start;
    for (const x of b) {
      if (cmp(x.end, cursor) <= 0) continue;
      if (cmp(x.start, a.end) >= 0) break;
      if (cmp(x.start, cursor) > 0) out.push({ start: cursor, end: x.start });
      cursor = max(cursor, x.end);
      if (cmp(cursor, a.end) >= 0) break;
    }
    if (cmp(cursor, a.end) < 0) out.push({ start: cursor, end: a.end });
  }
  return out;
}

/**
 * The time in both sets (e.g. a group visit needing two specialists).
 * @param a - first set
 * @param b - second set
 * @returns the intersection, normalised
 */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const na = normalize(a);
  const nb = normalize(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < na.length && j < nb.length) {
    const x = na[i] as Interval;
    const y = nb[j] as Interval;
    const start = max(x.start, y.start);
    const end = min(x.end, y.end);
    if (cmp(end, start) > 0) out.push({ start, end });
    if (cmp(x.end, y.end) < 0) i += 1;
    else j += 1;
  }
  return out;
}

/**
 * Cuts availability into bookable slots aligned to the start of each interval.
 * @param intervals - availability, normalised
 * @param opts - `duration` and `step` in minutes of real (elapsed) time; `step` defaults to `duration`
 * @returns slots that fit entirely inside an interval, sorted
 * @throws {RangeError} when duration or step is not a positive integer
 */
export function slice(intervals: readonly Interval[], opts: { duration: number; step?: number }): Interval[] {
  const step = opts.step ?? opts.duration;
  if (!Number.isInteger(opts.duration) || opts.duration <= 0 || !Number.isInteger(step) || step <= 0) {
    throw new RangeError('slice: duration and step must be positive integers (minutes)');
  }
  const out: Interval[] = [];
  for (const i of intervals) {
    for (let t = i.start; ; t = t.add({ minutes: step })) {
      const end = t.add({ minutes: opts.duration });
      if (cmp(end, i.end) > 0) break;
      out.push({ start: t, end });
    }
  }
  return out;
}

/**
 * Removes the part of availability that starts too soon.
 * @param intervals - availability
 * @param now - the current instant, from the injected clock
 * @param minNoticeMinutes - how long before its start a time can still be offered
 * @returns the intervals clipped to start at `now + minNotice` or later
 */
export function applyNotice(intervals: readonly Interval[], now: Temporal.Instant, minNoticeMinutes: number): Interval[] {
  const earliest = now.add({ minutes: minNoticeMinutes });
  return intervals.filter((i) => cmp(i.end, earliest) > 0).map((i) => ({ start: max(i.start, earliest), end: i.end }));
}

/** Whether two intervals share at least one instant. */
export function overlaps(a: Interval, b: Interval): boolean {
  return cmp(a.start, b.end) < 0 && cmp(b.start, a.end) < 0;
}

/**
 * The slots a schedule offers: rules expanded over the range, minus holidays and exceptions, cut into
 * slots, without those overlapping busy time or starting before `now + minNotice`.
 * @param input - rules, zone, date range, days to skip, exceptions, busy time, now, slot length, notice
 * @returns free slots, sorted
 */
export function computeSlots(input: {
  rules: readonly WallRule[];
  zone: string;
  range: { from: Temporal.PlainDate; to: Temporal.PlainDate };
  skipDates?: ReadonlySet<string>;
  exceptions?: readonly Interval[];
  busy?: readonly Interval[];
  now: Temporal.Instant;
  slotMinutes: number;
  minNoticeMinutes?: number;
}): Interval[] {
  const available = subtract(expandRules(input.rules, input.range, input.zone, input.skipDates), input.exceptions ?? []);
  const earliest = input.now.add({ minutes: input.minNoticeMinutes ?? 0 });
  const busy = normalize(input.busy ?? []);
  // Tricky: slice before removing busy time, so slots stay on the rule's grid (09:00, 09:30, …) instead
  // of shifting after a booking of a different length.
  return slice(available, { duration: input.slotMinutes }).filter(
    (s) => cmp(s.start, earliest) >= 0 && !busy.some((b) => overlaps(s, b)),
  );
}
