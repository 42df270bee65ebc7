import { Temporal } from 'temporal-polyfill';
import type { WorkingCalendar } from '../../platform/calendar.js';

/**
 * Art. 17 documentation deadlines as pure functions of the completion instant (STYLE C10: no clock, no
 * I/O). Regulatory: docs/decisions.md#d9-d11; R-TM-35..R-TM-39, R-TM-43; interpretation A-12.
 */

export type Urgency = 'planned' | 'emergency';

/** How a deadline is measured from completion: n working days at a clock time, or a fixed duration. */
export type DeadlineRule =
  | { kind: 'working_days'; workingDays: number; atTime?: Temporal.PlainTime }
  | { kind: 'duration'; minutes: number };

/**
 * The deadline rules of Art. 17(1).
 * Regulatory:
 * - R-TM-35: planned → 16:00 local on the next working day after the completion date (A-12(a));
 * - R-TM-36: planned, complex case / extensive image processing / mutual consultation → the same clock
 *   time on the second working day (A-12(b), the conservative reading);
 * - R-TM-37: emergency → 10 minutes; R-TM-38: emergency, complex → 60 minutes.
 */
export const DEADLINE_RULES: Readonly<Record<Urgency, { base: DeadlineRule; complex: DeadlineRule }>> = {
  planned: {
    base: { kind: 'working_days', workingDays: 1, atTime: Temporal.PlainTime.from('16:00') },
    complex: { kind: 'working_days', workingDays: 2 },
  },
  emergency: {
    base: { kind: 'duration', minutes: 10 },
    complex: { kind: 'duration', minutes: 60 },
  },
};

/** The facility is alerted when this share of the time to the deadline has passed. */
export const ESCALATION_SHARE = 0.8;

/**
 * Applies one rule.
 * @param rule - the rule
 * @param completedAt - when the service was completed (R-TM-39: the clock starts here)
 * @param calendar - the Bulgarian working-day calendar
 * @param timeZone - the facility's zone (Europe/Sofia), data not code (STYLE C11)
 * @returns the deadline instant
 */
export function applyRule(rule: DeadlineRule, completedAt: Temporal.Instant, calendar: Pick<WorkingCalendar, 'workingDeadline'>, timeZone: string): Temporal.Instant {
  if (rule.kind === 'duration') return completedAt.add({ minutes: rule.minutes });
  return calendar.workingDeadline(completedAt, { workingDays: rule.workingDays, ...(rule.atTime ? { atTime: rule.atTime } : {}) }, timeZone);
}

/** The computed deadline of one completed service. */
export interface ComputedDeadline {
  baseDueAt: Temporal.Instant;
  dueAt: Temporal.Instant;
  escalateAt: Temporal.Instant;
}

/**
 * The instant at which `share` of the span from `start` to `end` has passed (millisecond precision).
 * @param start - the start
 * @param end - the end
 * @param share - 0..1
 * @returns the instant
 */
export function pointInSpan(start: Temporal.Instant, end: Temporal.Instant, share: number): Temporal.Instant {
  const span = end.epochMilliseconds - start.epochMilliseconds;
  return Temporal.Instant.fromEpochMilliseconds(start.epochMilliseconds + Math.floor(span * share));
}

/**
 * Computes a service's deadline at completion (R-TM-35..R-TM-39).
 * @param input - urgency, completion instant, whether the case is complex, and the zone
 * @param calendar - the working-day calendar
 * @returns base deadline, effective deadline and the 80% escalation instant
 */
export function computeDeadline(
  input: { urgency: Urgency; completedAt: Temporal.Instant; complex: boolean; timeZone: string },
  calendar: Pick<WorkingCalendar, 'workingDeadline'>,
): ComputedDeadline {
  const rules = DEADLINE_RULES[input.urgency];
  const baseDueAt = applyRule(rules.base, input.completedAt, calendar, input.timeZone);
  const complexDueAt = applyRule(rules.complex, input.completedAt, calendar, input.timeZone);
  // Tricky: the extension never shortens a deadline, even where calendars make the 2nd working day at the
  // completion clock time earlier than 16:00 on the 1st (it cannot, but the max keeps the invariant explicit).
  const dueAt = input.complex && Temporal.Instant.compare(complexDueAt, baseDueAt) > 0 ? complexDueAt : baseDueAt;
  return { baseDueAt, dueAt, escalateAt: pointInSpan(input.completedAt, dueAt, ESCALATION_SHARE) };
}

/** Why a complexity extension is refused. */
export type ComplexRefusal = 'not_provider' | 'base_deadline_passed' | 'already_complex' | 'already_recorded';

/**
 * Regulatory: R-TM-43 (A-12(d)) — only the providing specialist marks a case complex, with a reason,
 * before the base deadline passes; once recorded in the NHIS there is nothing left to extend.
 * @param input - the actor's relation to the service, the deadline state and now
 * @returns null when allowed, or the reason for refusal
 */
export function complexRefusal(input: { isProvider: boolean; complex: boolean; status: 'open' | 'met' | 'missed'; baseDueAt: Temporal.Instant; now: Temporal.Instant }): ComplexRefusal | null {
  if (!input.isProvider) return 'not_provider';
  if (input.status !== 'open') return 'already_recorded';
  if (input.complex) return 'already_complex';
  if (Temporal.Instant.compare(input.now, input.baseDueAt) >= 0) return 'base_deadline_passed';
  return null;
}

/**
 * Met or missed, once the NHIS acknowledged the record (a recording exactly at the deadline is in time).
 * @param recordedAt - the NHIS acknowledgement instant
 * @param dueAt - the deadline
 * @returns the outcome
 */
export function outcomeOf(recordedAt: Temporal.Instant, dueAt: Temporal.Instant): 'met' | 'missed' {
  return Temporal.Instant.compare(recordedAt, dueAt) <= 0 ? 'met' : 'missed';
}

/**
 * Time left and share of the allowed time used, for the worklist.
 * @param completedAt - the start of the clock
 * @param dueAt - the deadline
 * @param now - now
 * @returns seconds left (negative when overdue) and the elapsed share (≥ 1 when due)
 */
export function progress(completedAt: Temporal.Instant, dueAt: Temporal.Instant, now: Temporal.Instant): { secondsLeft: number; elapsedShare: number } {
  const total = dueAt.epochMilliseconds - completedAt.epochMilliseconds;
  const used = now.epochMilliseconds - completedAt.epochMilliseconds;
  return {
    secondsLeft: Math.floor((dueAt.epochMilliseconds - now.epochMilliseconds) / 1000),
    elapsedShare: total > 0 ? Math.max(0, Math.round((used / total) * 1000) / 1000) : 1,
  };
}

/** Why an open deadline was breached, from what exists when the breach is found. */
export type BreachCause = 'not_signed' | 'nhis_pending' | 'nhis_unavailable' | 'nhis_rejected' | 'recorded_late';

/**
 * Classifies a breach found by the scan.
 * @param state - whether a signed document exists, and the NHIS submission's state
 * @returns the cause recorded with the breach
 */
export function breachCause(state: { signed: boolean; submission: { status: 'pending' | 'opened' | 'acknowledged' | 'rejected'; failedAttempts: number } | null }): BreachCause {
  if (!state.signed || !state.submission) return 'not_signed';
  if (state.submission.status === 'rejected') return 'nhis_rejected';
  if (state.submission.status === 'acknowledged') return 'recorded_late';
  return state.submission.failedAttempts > 0 ? 'nhis_unavailable' : 'nhis_pending';
}
