import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { addDays, formatClock, formatSlot, formatWeekday, mondayOf, sofiaDay, weekColumns } from '../booking-format.js';

export interface WeekSlotsProps {
  specialistId: string;
  serviceId: string;
  /** The link of a free time (it carries the slot into the booking URL). */
  hrefOf: (slotId: string) => string;
  /** The first week shown: the week of this instant (default: now). */
  around?: string | undefined;
  selected?: string | undefined;
}

/** How far the view looks for a first week with free times: the slot horizon (SLOT_HORIZON_DAYS, 56). */
const SEARCH_WEEKS = 8;

/**
 * A week of free times, Monday first, each time a link; more weeks on demand ("Следваща седмица").
 * Only times still ahead are offered. Opened on today's week, it moves on by itself to the first week that
 * has a free time (late on a Sunday this week has none) and says so; once the person turns a week, it
 * stays where they put it.
 */
export function WeekSlots({ specialistId, serviceId, hrefOf, around, selected }: WeekSlotsProps) {
  const t = useT();
  const { language } = useLanguage();
  const locale = locales[language];
  const [now] = useState(() => new Date());
  const firstMonday = mondayOf(sofiaDay(around ?? now.toISOString()));
  const [monday, setMonday] = useState(firstMonday);
  // Looking for the first week with a free time: only when opened on today, until the person turns a week.
  const [searching, setSearching] = useState(around === undefined);
  const thisMonday = mondayOf(sofiaDay(now.toISOString()));
  // The week's bounds, widened by a day on each side: Sofia days are cut from the answer.
  const from = new Date(Math.max(now.getTime(), Date.parse(`${addDays(monday, -1)}T00:00:00Z`))).toISOString();
  const to = new Date(`${addDays(monday, 8)}T00:00:00Z`).toISOString();
  const slots = useResource(`book/slots/${specialistId}/${serviceId}/${monday}`, (api) => api.requests.freeSlots(specialistId, serviceId, from, to));
  const columns = weekColumns(monday, slots.state === 'ready' ? slots.value.items : []);
  const total = columns.reduce((n, c) => n + c.slots.length, 0);
  const lastSearched = addDays(firstMonday, 7 * (SEARCH_WEEKS - 1));
  useEffect(() => {
    if (!searching || slots.state === 'loading') return;
    if (slots.state === 'problem' || total > 0) return setSearching(false);
    if (monday < lastSearched) return setMonday(addDays(monday, 7));
    // Nothing in the whole horizon: back to this week, which says it has no free times.
    setSearching(false);
    setMonday(firstMonday);
  }, [searching, slots.state, total, monday, lastSearched, firstMonday]);
  // Turning a week by hand ends the search, and the note about it.
  const [turned, setTurned] = useState(false);
  const turn = (weeks: number) => {
    setSearching(false);
    setTurned(true);
    setMonday(addDays(monday, 7 * weeks));
  };
  const movedOn = !searching && !turned && monday !== firstMonday;
  return (
    <div className="week-slots">
      <div className="week-slots__nav">
        <button type="button" className="button button--secondary" disabled={monday <= thisMonday} onClick={() => turn(-1)}>
          ‹ {t('book.week.previous')}
        </button>
        <p className="week-slots__label" aria-live="polite">
          {t('book.week.label', { from: formatWeekday(monday, locale), to: formatWeekday(addDays(monday, 6), locale) })}
        </p>
        <button type="button" className="button button--secondary" onClick={() => turn(1)}>
          {t('book.week.next')} ›
        </button>
      </div>
      {slots.state === 'loading' || searching ? <p role="status">{t('book.week.loading')}</p> : null}
      {movedOn && slots.state === 'ready' ? <p className="week-slots__moved">{t('book.week.movedOn')}</p> : null}
      {slots.state === 'problem' ? <ProblemAlert problem={slots.problem} /> : null}
      {slots.state === 'ready' && !searching && total === 0 ? <p className="week-slots__empty">{t('book.week.empty')}</p> : null}
      {slots.state === 'ready' && total > 0 ? (
        <div className="week-slots__grid">
          {columns.map((c) => (
            <section key={c.day} className="week-slots__day" aria-label={formatWeekday(c.day, locale)}>
              <h3 className="week-slots__dayname">{formatWeekday(c.day, locale)}</h3>
              {c.slots.length === 0 ? <p className="week-slots__none">{t('book.week.dayEmpty')}</p> : null}
              <ul role="list">
                {c.slots.map((s) => (
                  <li key={s.id}>
                    <Link className="time-chip" to={hrefOf(s.id)} aria-label={formatSlot(s.start, locale)} aria-current={selected === s.id ? 'true' : undefined} data-slot-id={s.id}>
                      {formatClock(s.start, locale)}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      ) : null}
    </div>
  );
}
