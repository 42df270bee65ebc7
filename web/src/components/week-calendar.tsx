import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useLanguage, useT } from '../i18n/index.js';
import { locales } from '../i18n/catalogue.js';
import './week-calendar.css';

export interface CalendarEntry {
  id: string;
  /** ISO instants. */
  start: string;
  end: string;
  title: ReactNode;
  href?: string;
  /** Who the entry is about (a compact patient banner), if anyone. */
  patient?: ReactNode;
  /** `absence` and `deadline` entries are drawn differently from appointments. */
  kind?: 'appointment' | 'absence' | 'deadline' | 'request';
}

const ZONE = 'Europe/Sofia';
const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Sofia calendar day of an instant as `YYYY-MM-DD`. */
export function sofiaDay(instant: Date): string {
  return dayKey.format(instant);
}

/** `YYYY-MM-DD` plus n days (calendar arithmetic at noon UTC, so no zone edge moves the day). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the week that holds `day`. */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, weekday === 0 ? -6 : 1 - weekday);
}

/**
 * A day or week calendar (the specialist's and the administrator's): one column per day in Europe/Sofia,
 * entries in time order, "previous / this / next" and "day / week" with the keyboard. On phones the days
 * stack. Entries link to their page.
 */
export function WeekCalendar({ entries, today = sofiaDay(new Date()), initialView = 'week' }: { entries: CalendarEntry[]; today?: string; initialView?: 'day' | 'week' }) {
  const t = useT();
  const { language } = useLanguage();
  const [view, setView] = useState<'day' | 'week'>(initialView);
  const [anchor, setAnchor] = useState(today);
  const formats = useMemo(
    () => ({
      day: new Intl.DateTimeFormat(locales[language], { weekday: 'short', day: 'numeric', month: 'long', timeZone: 'UTC' }),
      time: new Intl.DateTimeFormat(locales[language], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: ZONE }),
    }),
    [language],
  );
  const days = view === 'week' ? Array.from({ length: 7 }, (_, i) => addDays(mondayOf(anchor), i)) : [anchor];
  const byDay = new Map<string, CalendarEntry[]>();
  for (const e of entries) {
    const k = sofiaDay(new Date(e.start));
    byDay.set(k, [...(byDay.get(k) ?? []), e]);
  }
  const label = (day: string) => formats.day.format(new Date(`${day}T12:00:00Z`));
  const step = view === 'week' ? 7 : 1;
  const range = view === 'week' ? `${label(days[0] ?? anchor)} – ${label(days[6] ?? anchor)}` : label(anchor);
  return (
    <div className={`week-calendar week-calendar--${view}`} data-testid="week-calendar">
      <div className="week-calendar__bar">
        <div className="button-row" role="group" aria-label={t('calendar.navigate')}>
          <button type="button" className="button button--secondary button--small" onClick={() => setAnchor(addDays(anchor, -step))}>
            <span aria-hidden="true">‹</span> {view === 'week' ? t('calendar.prevWeek') : t('calendar.prevDay')}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={() => setAnchor(today)}>
            {t('calendar.today')}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={() => setAnchor(addDays(anchor, step))}>
            {view === 'week' ? t('calendar.nextWeek') : t('calendar.nextDay')} <span aria-hidden="true">›</span>
          </button>
        </div>
        <p className="week-calendar__range" aria-live="polite">
          {range}
        </p>
        <div className="button-row" role="group" aria-label={t('calendar.view')}>
          {(['day', 'week'] as const).map((v) => (
            <button key={v} type="button" className={view === v ? 'button button--small' : 'button button--secondary button--small'} aria-pressed={view === v} onClick={() => setView(v)}>
              {t(v === 'day' ? 'calendar.day' : 'calendar.week')}
            </button>
          ))}
        </div>
      </div>
      <ol className="week-calendar__days">
        {days.map((day) => {
          const list = (byDay.get(day) ?? []).sort((a, b) => a.start.localeCompare(b.start));
          return (
            <li key={day} className={day === today ? 'week-calendar__day week-calendar__day--today' : 'week-calendar__day'} aria-current={day === today ? 'date' : undefined}>
              <h3 className="week-calendar__day-title">{label(day)}</h3>
              {list.length === 0 ? <p className="week-calendar__free">{t('calendar.nothing')}</p> : null}
              <ul className="week-calendar__entries">
                {list.map((e) => (
                  <li key={e.id} className={`week-calendar__entry week-calendar__entry--${e.kind ?? 'appointment'}`}>
                    <span className="week-calendar__time">
                      {formats.time.format(new Date(e.start))}–{formats.time.format(new Date(e.end))}
                    </span>
                    {e.href ? <Link to={e.href}>{e.title}</Link> : <span>{e.title}</span>}
                    {e.patient ? <span className="week-calendar__patient">{e.patient}</span> : null}
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
