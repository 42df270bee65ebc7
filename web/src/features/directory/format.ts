// Pure formatting for the public directory: slot times in the facility's zone (Europe/Sofia) and, when
// it differs, in the visitor's own zone; prices in euro or "paid by the NHIF".

/** Every facility in Bulgaria publishes its schedule in this zone (Art. 15). */
export const FACILITY_ZONE = 'Europe/Sofia';

/** How far ahead the slot list looks, and what "a free slot soon" means in the search. */
export const SLOT_WINDOW_DAYS = 7;

const dateTimeOptions: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
};

/** The visitor's time zone as the browser reports it (IANA name), Sofia when unknown. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || FACILITY_ZONE;
  } catch {
    return FACILITY_ZONE;
  }
}

export interface FormattedInstant {
  /** Date and time in Europe/Sofia. */
  sofia: string;
  /** The same instant in the visitor's zone, or null when that zone shows the same wall time. */
  local: string | null;
}

/**
 * Formats an instant (ISO 8601 with offset) as a date and time in Europe/Sofia, plus the visitor's
 * wall time when the visitor is in another zone.
 * @param instant - ISO 8601 date-time with an offset
 * @param locale - BCP 47 locale of the interface (e.g. `bg-BG`)
 * @param userZone - the visitor's IANA zone
 */
export function formatInstant(instant: string, locale: string, userZone: string): FormattedInstant {
  const date = new Date(instant);
  const sofia = new Intl.DateTimeFormat(locale, { ...dateTimeOptions, timeZone: FACILITY_ZONE }).format(date);
  const local = new Intl.DateTimeFormat(locale, { ...dateTimeOptions, timeZone: userZone }).format(date);
  return { sofia, local: local === sofia ? null : local };
}

/** Time of day (HH:MM) of an instant in a zone. */
export function formatTime(instant: string, locale: string, zone: string = FACILITY_ZONE): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(new Date(instant));
}

/** The calendar date (YYYY-MM-DD) of an instant in Europe/Sofia, to group slots by day. */
export function sofiaDate(instant: string): string {
  // `en-CA` formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: FACILITY_ZONE }).format(new Date(instant));
}

/** A heading for a day of slots, e.g. "сряда, 25 ноември 2026 г.". */
export function formatDay(instant: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: FACILITY_ZONE }).format(new Date(instant));
}

/** Groups slots (already in start order) by their Sofia calendar day, keeping the order. */
export function groupByDay<T extends { start: string }>(slots: readonly T[]): { day: string; slots: T[] }[] {
  const groups: { day: string; slots: T[] }[] = [];
  for (const slot of slots) {
    const day = sofiaDate(slot.start);
    const last = groups.at(-1);
    if (last?.day === day) last.slots.push(slot);
    else groups.push({ day, slots: [slot] });
  }
  return groups;
}

/** The window [now, now + days) as ISO instants, for `from`/`to` and `freeBefore`. */
export function windowFrom(now: Date, days: number = SLOT_WINDOW_DAYS): { from: string; to: string } {
  return { from: now.toISOString(), to: new Date(now.getTime() + days * 86_400_000).toISOString() };
}

/** A price in euro cents as money in the interface locale, e.g. "35,00 €". */
export function formatEur(cents: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** ISO weekday (1 = Monday … 7 = Sunday) as a name in the interface locale. */
export function weekdayName(isoWeekday: number, locale: string): string {
  // 2024-01-01 was a Monday.
  const date = new Date(Date.UTC(2024, 0, isoWeekday, 12));
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(date);
}
