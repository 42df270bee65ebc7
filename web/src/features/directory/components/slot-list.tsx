import { Link } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { formatDay, formatTime, FACILITY_ZONE, groupByDay, SLOT_WINDOW_DAYS, windowFrom } from '../format.js';
import { useResource } from '../../../api/use-resource.js';
import { useAuth } from '../../auth/auth-context.js';

export interface SlotListProps {
  specialistId: string;
  serviceId: string;
  /** Heading id of the specialist/service the list belongs to, for `aria-labelledby`. */
  labelledBy: string;
  /** The visitor's IANA zone; a second time is shown when it differs from Europe/Sofia. */
  userZone: string;
  /** The start of the window (the page's "now"). */
  now: Date;
}

/**
 * Free slots of one specialist for one service in the next 7 days, grouped by day in Europe/Sofia. Booking
 * needs an account: a signed-out visitor gets a sign-in prompt, a signed-in one a link to the booking flow
 * (`/book`, where the slot is chosen again: that page takes no preselected slot).
 */
export function SlotList({ specialistId, serviceId, labelledBy, userZone, now }: SlotListProps) {
  const t = useT();
  const { me } = useAuth();
  const { language } = useLanguage();
  const locale = locales[language];
  const { from, to } = windowFrom(now, SLOT_WINDOW_DAYS);
  const slots = useResource(`directory/slots/${specialistId}/${serviceId}/${from}`, (api, signal) => api.directory.slots({ specialistId, serviceId, from, to }, { signal }));
  const otherZone = userZone !== FACILITY_ZONE;

  if (slots.state === 'loading') return <p className="directory-muted" role="status">{t('directory.slots.loading')}</p>;
  if (slots.state === 'problem') return <ProblemAlert problem={slots.problem} />;

  const days = groupByDay(slots.value.items);
  return (
    <div className="slot-list" aria-labelledby={labelledBy} role="region">
      <p className="directory-muted">
        {t('directory.slots.intro', { days: SLOT_WINDOW_DAYS })}
        {otherZone ? ` ${t('directory.slots.zoneNote', { zone: userZone })}` : null}
      </p>
      {days.length === 0 ? (
        <p>{t('directory.slots.none', { days: SLOT_WINDOW_DAYS })}</p>
      ) : (
        days.map(({ day, slots: daySlots }) => (
          <section key={day} className="slot-day">
            <h5 className="slot-day__title">{formatDay(daySlots[0]?.start ?? '', locale)}</h5>
            <ul className="slot-day__times" role="list">
              {daySlots.map((slot) => (
                <li key={slot.id} className="slot-chip">
                  <time dateTime={slot.start}>{formatTime(slot.start, locale)}</time>
                  {otherZone ? (
                    <span className="slot-chip__local">{t('directory.slots.yourTime', { time: formatTime(slot.start, locale, userZone) })}</span>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      {me ? (
        <p className="slot-list__signin">
          <Link className="button" to="/book">
            {t('directory.slots.book')}
          </Link>
        </p>
      ) : (
        <p className="slot-list__signin">
          {t('directory.slots.signInPrompt')} <Link to="/sign-in">{t('directory.slots.signIn')}</Link>
        </p>
      )}
    </div>
  );
}
