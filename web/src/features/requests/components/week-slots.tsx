import { useState } from 'react';
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

/**
 * A week of free times, Monday first, each time a link; more weeks on demand ("Следваща седмица").
 * Only times still ahead are offered.
 */
export function WeekSlots({ specialistId, serviceId, hrefOf, around, selected }: WeekSlotsProps) {
  const t = useT();
  const { language } = useLanguage();
  const locale = locales[language];
  const [now] = useState(() => new Date());
  const firstMonday = mondayOf(sofiaDay(around ?? now.toISOString()));
  const [monday, setMonday] = useState(firstMonday);
  const thisMonday = mondayOf(sofiaDay(now.toISOString()));
  // The week's bounds, widened by a day on each side: Sofia days are cut from the answer.
  const from = new Date(Math.max(now.getTime(), Date.parse(`${addDays(monday, -1)}T00:00:00Z`))).toISOString();
  const to = new Date(`${addDays(monday, 8)}T00:00:00Z`).toISOString();
  const slots = useResource(`book/slots/${specialistId}/${serviceId}/${monday}`, (api) => api.requests.freeSlots(specialistId, serviceId, from, to));
  const columns = weekColumns(monday, slots.state === 'ready' ? slots.value.items : []);
  const total = columns.reduce((n, c) => n + c.slots.length, 0);

  return (
    <div className="week-slots">
      <div className="week-slots__nav">
        <button type="button" className="button button--secondary" disabled={monday <= thisMonday} onClick={() => setMonday(addDays(monday, -7))}>
          ‹ {t('book.week.previous')}
        </button>
        <p className="week-slots__label" aria-live="polite">
          {t('book.week.label', { from: formatWeekday(monday, locale), to: formatWeekday(addDays(monday, 6), locale) })}
        </p>
        <button type="button" className="button button--secondary" onClick={() => setMonday(addDays(monday, 7))}>
          {t('book.week.next')} ›
        </button>
      </div>
      {slots.state === 'loading' ? <p role="status">{t('book.week.loading')}</p> : null}
      {slots.state === 'problem' ? <ProblemAlert problem={slots.problem} /> : null}
      {slots.state === 'ready' && total === 0 ? <p className="week-slots__empty">{t('book.week.empty')}</p> : null}
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
