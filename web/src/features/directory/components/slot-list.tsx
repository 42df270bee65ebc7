import { Link } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { formatDay, formatTime, FACILITY_ZONE, groupByDay, SLOT_WINDOW_DAYS, windowFrom } from '../format.js';
import { useResource } from '../../../api/use-resource.js';
import { useAuth } from '../../auth/auth-context.js';

export interface SlotListProps {
  facilityId: string;
  /** The specialty searched for (or the service's), carried into the booking. */
  specialty: string;
  /** Whether the times can be booked online (a real-time service). */
  bookable: boolean;
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
 * Free slots of one specialist for one service in the next 7 days, grouped by day in Europe/Sofia. Each time
 * is a link into `/book` carrying facility, specialist, service and slot, so booking is one more tap; a
 * signed-out visitor goes through sign-in and lands on the same booking.
 */
export function SlotList({ facilityId, specialty, bookable, specialistId, serviceId, labelledBy, userZone, now }: SlotListProps) {
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
  const bookHref = (slotId: string) => {
    const url = `/book?${new URLSearchParams({ specialty, facility: facilityId, specialist: specialistId, service: serviceId, slot: slotId }).toString()}`;
    return me ? url : `/sign-in?next=${encodeURIComponent(url)}`;
  };
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
                <li key={slot.id}>
                  {bookable ? (
                    <Link className="slot-chip slot-chip--link" to={bookHref(slot.id)} data-slot-id={slot.id}>
                      <time dateTime={slot.start}>{formatTime(slot.start, locale)}</time>
                      {otherZone ? (
                        <span className="slot-chip__local">{t('directory.slots.yourTime', { time: formatTime(slot.start, locale, userZone) })}</span>
                      ) : null}
                    </Link>
                  ) : (
                    <span className="slot-chip">
                      <time dateTime={slot.start}>{formatTime(slot.start, locale)}</time>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      {me ? null : (
        <p className="slot-list__signin">
          {t('directory.slots.signInPrompt')} <Link to="/sign-in">{t('directory.slots.signIn')}</Link>
        </p>
      )}
    </div>
  );
}
