import type { Translate } from '../../i18n/index.js';

/**
 * A span of seconds as days, hours and minutes ("1 д 2 ч 5 мин"); the sign is dropped (callers say
 * "left" or "overdue").
 * @param t - the translate function
 * @param seconds - the span, or null for "no data"
 * @returns the text
 */
export function formatDuration(t: Translate, seconds: number | null): string {
  if (seconds === null) return t('compliance.noData');
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t('compliance.duration.days', { d, h, m });
  if (h > 0) return t('compliance.duration.hours', { h, m });
  return t('compliance.duration.minutes', { m });
}

/**
 * The default report period: the last 30 days up to today, as local dates in Europe/Sofia (the report
 * takes the facility's local dates; the demo and most facilities are in Sofia's zone).
 * @param now - the current instant
 * @returns `{ from, to }` as `YYYY-MM-DD`
 */
export function defaultPeriod(now: Date): { from: string; to: string } {
  // Time zone: the calendar date in Sofia, not the browser's zone (STYLE C19).
  const to = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [y, m, d] = to.split('-').map(Number);
  const from = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) - 29)).toISOString().slice(0, 10);
  return { from, to };
}

/**
 * The instant a calendar day starts in Europe/Sofia (00:00 local, winter +02:00 or summer +03:00), as an
 * ISO string with Z — the audit export takes instants, the screen asks for days (STYLE C19).
 * @param date - `YYYY-MM-DD`
 * @returns the UTC instant of that local midnight
 */
export function sofiaDayStart(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const utcMidnight = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
  // The zone's offset at that moment: how far Sofia's wall clock is ahead of UTC.
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Sofia', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(utcMidnight));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return new Date(utcMidnight - (wall - utcMidnight)).toISOString().replace('.000Z', 'Z');
}
