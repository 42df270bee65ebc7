/**
 * Dates as people say them (docs/design.md): weekday, day and month, then the time without seconds —
 * "пн, 7 декември, 10:00" — in Europe/Sofia; the year only when it is not the current one.
 */
export const SOFIA = 'Europe/Sofia';

/**
 * A formatter for instants in one locale and zone.
 * @param locale - BCP 47 locale of the interface language
 * @param now - the current instant (which year is "this year")
 * @param timeZone - the zone to show (the facility's; Europe/Sofia by default)
 * @returns the formatter
 */
export function whenFormatter(locale: string, now: Date = new Date(), timeZone: string = SOFIA): (instant: Date) => string {
  const yearOf = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone });
  const thisYear = yearOf.format(now);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', timeZone });
  const dayYear = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  return (instant) => {
    const date = (yearOf.format(instant) === thisYear ? day : dayYear).format(instant);
    return `${date}, ${time.format(instant)}`;
  };
}

/**
 * A date only, as "пн, 7 декември" (the year when not the current one).
 * @param locale - BCP 47 locale
 * @param now - the current instant
 * @param timeZone - the zone to show
 * @returns the formatter
 */
export function dayFormatter(locale: string, now: Date = new Date(), timeZone: string = SOFIA): (instant: Date) => string {
  const yearOf = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone });
  const thisYear = yearOf.format(now);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', timeZone });
  const dayYear = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone });
  return (instant) => (yearOf.format(instant) === thisYear ? day : dayYear).format(instant);
}
