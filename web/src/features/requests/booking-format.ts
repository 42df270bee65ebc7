/** Booking times are the facility's wall time (Europe/Sofia, DESIGN.md "Dates and money"). */
export const BOOKING_ZONE = 'Europe/Sofia';

/**
 * A slot as people say it: "пн, 7 декември, 10:00" (weekday, day, month, time; no year, no seconds).
 * @param instant - ISO 8601 instant
 * @param locale - BCP 47 locale of the interface
 * @returns the label
 */
export function formatSlot(instant: string, locale: string): string {
  const d = new Date(instant);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', timeZone: BOOKING_ZONE }).format(d).replace(/^(\p{L}+)\.?,? /u, '$1, ');
  return `${day}, ${formatClock(instant, locale)}`;
}

/** "10:00" in Europe/Sofia. */
export function formatClock(instant: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: BOOKING_ZONE }).format(new Date(instant));
}

/** A day heading of the week view: "пн, 7 декември". */
export function formatWeekday(day: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`)).replace(/^(\p{L}+)\.?,? /u, '$1, ');
}

/** The Sofia calendar date (YYYY-MM-DD) of an instant. */
export function sofiaDay(instant: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: BOOKING_ZONE }).format(new Date(instant));
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday (YYYY-MM-DD) of the week that holds `day`. */
export function mondayOf(day: string): string {
  const wd = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((wd + 6) % 7));
}

/**
 * The seven days of a week and the slots of each, in start order.
 * @param monday - the week's Monday (YYYY-MM-DD, Sofia)
 * @param slots - free slots (any order)
 * @returns the days, Monday first, each with its slots
 */
export function weekColumns<T extends { start: string }>(monday: string, slots: readonly T[]): { day: string; slots: T[] }[] {
  const days = Array.from({ length: 7 }, (_, i) => ({ day: addDays(monday, i), slots: [] as T[] }));
  for (const s of [...slots].sort((a, b) => a.start.localeCompare(b.start))) days.find((d) => d.day === sofiaDay(s.start))?.slots.push(s);
  return days;
}
