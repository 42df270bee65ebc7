import { Link } from 'react-router';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { formatSlot } from '../booking-format.js';
import type { Booked } from '../book-choice.js';

/** After booking: what happens next, the consent to sign, and the calendar file. */
export function BookedPage({ booked }: { booked: Booked }) {
  const t = useT();
  const { language } = useLanguage();
  const time = booked.appointment ? formatSlot(booked.appointment.start, locales[language]) : '';
  return (
    <div className="page book-page">
      <h1>{t('book.done.title')}</h1>
      <p role="status" className="book-done">
        {t('book.done.text', { time, specialist: booked.names.specialist, facility: booked.names.facility })}
      </p>
      <section className="book-next" aria-labelledby="book-next">
        <h2 id="book-next">{t('book.done.next')}</h2>
        <p>{t('book.done.nextText')}</p>
        <Link className="button book-submit" to={`/requests/${booked.request.id}/consent`}>
          {t('book.done.sign')}
        </Link>
      </section>
      <p className="book-links">
        <a href={`/api/v1/requests/${booked.request.id}/calendar.ics`} download>
          {t('book.done.ics')}
        </a>
        <Link to="/requests">{t('book.done.mine')}</Link>
      </p>
    </div>
  );
}
