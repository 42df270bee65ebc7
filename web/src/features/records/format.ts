import type { Translate } from '../../i18n/index.js';

/**
 * A span of time as days, hours and minutes ("1 д 4 ч", "3 ч 05 мин", "12 мин"), rounded down to the
 * minute; the sign is dropped (the caller says "left" or "overdue").
 * @param seconds - the span
 * @param t - the translate function
 * @returns the text
 */
export function formatSpan(seconds: number, t: Translate): string {
  const total = Math.floor(Math.abs(seconds) / 60);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  if (days > 0) return t('records.span.daysHours', { d: days, h: hours });
  if (hours > 0) return t('records.span.hoursMinutes', { h: hours, m: String(minutes).padStart(2, '0') });
  return t('records.span.minutes', { m: minutes });
}

/**
 * Formats an instant as a date and time in the deadline's zone (Europe/Sofia for every Bulgarian
 * facility), never the browser's.
 * @param locale - BCP 47 locale of the interface language
 * @param timeZone - the deadline's IANA zone
 * @returns the formatter
 */
export function zonedFormatter(locale: string, timeZone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone });
  return (iso) => format.format(new Date(iso));
}
