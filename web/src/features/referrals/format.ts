/** A local date (YYYY-MM-DD) as people say it: "пн, 7 декември 2026 г." (no time: the date is the practice's). */
export function formatDay(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}
