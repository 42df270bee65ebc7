import { Temporal } from 'temporal-polyfill';

/**
 * Pure deadlines of data-subject requests (GDPR Art. 12(3), rights of Art. 15-21), counted as EU law
 * counts periods (Regulation 1182/71 Art. 3): a period in months ends on the same date of the last month,
 * or on that month's last day when it has no such date; a last day that is not a working day moves to the
 * next working day of the Bulgarian calendar. No I/O, no clock.
 */

/** `gdpr.subject_request_deadline`: one month, extendable by two further months. */
export interface SubjectRequestDeadline {
  months: number;
  extendMonths: number;
}

/**
 * The last day of a period of months from a day (Regulation 1182/71 Art. 3(2)(c), 3(4)).
 * @param from - the day of the event (the request received)
 * @param isWorkingDay - the Bulgarian working-day calendar
 * @returns `YYYY-MM-DD`
 */
export function monthsDeadline(from: string, months: number, isWorkingDay: (d: Temporal.PlainDate) => boolean): string {
  // Temporal constrains 31 January + 1 month to 28/29 February: the month's last day, as 3(2)(c) says.
  let d = Temporal.PlainDate.from(from).add({ months });
  while (!isWorkingDay(d)) d = d.add({ days: 1 });
  return d.toString();
}

/**
 * GDPR Art. 12(3): answer within one month of receipt.
 * @returns the due day
 */
export function subjectRequestDueOn(receivedOn: string, rule: SubjectRequestDeadline, isWorkingDay: (d: Temporal.PlainDate) => boolean): string {
  return monthsDeadline(receivedOn, rule.months, isWorkingDay);
}

/**
 * GDPR Art. 12(3): the controller may extend by two further months, telling the patient why within the
 * first month; an extension after the first month has passed is refused.
 * @param on - the day the extension is decided
 * @returns the extended due day, or the refusal
 */
export function extendSubjectRequest(receivedOn: string, dueOn: string, on: string, rule: SubjectRequestDeadline, isWorkingDay: (d: Temporal.PlainDate) => boolean): { extendedTo: string } | { refused: 'first_month_passed' } {
  if (on > dueOn) return { refused: 'first_month_passed' };
  return { extendedTo: monthsDeadline(receivedOn, rule.months + rule.extendMonths, isWorkingDay) };
}
