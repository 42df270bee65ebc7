import { Link } from 'react-router';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import type { RequestWithAppointment } from '../api.js';
import { formatSlot } from '../booking-format.js';
import '../booking.css';

/** Upcoming requests with a time, soonest first (those without a time last, newest first). */
export function soonestFirst(items: readonly RequestWithAppointment[]): RequestWithAppointment[] {
  return [...items].sort((a, b) => {
    const x = a.appointment?.start;
    const y = b.appointment?.start;
    if (x && y) return x.localeCompare(y);
    if (x) return -1;
    if (y) return 1;
    return b.request.createdAt.localeCompare(a.request.createdAt);
  });
}

/**
 * The patient's (or representative's) own part of the home page: the identity note while unverified, a
 * to-do for every booked visit whose informed consent is not signed yet, and the upcoming visits.
 */
export function PatientToday() {
  const t = useT();
  const { me } = useAuth();
  const { language } = useLanguage();
  const role = me?.role;
  const patientSide = role === 'patient' || role === 'representative';
  const upcoming = valueOf(
    useResource(patientSide ? 'requests/upcoming' : null, (a) => a.requests.listMine('upcoming').then((r) => soonestFirst(r.items).filter((i) => i.appointment && i.request.status !== 'cancelled'))),
  );
  const first = upcoming?.slice(0, 10).map((i) => i.request.id) ?? [];
  const unsigned =
    valueOf(
      useResource(upcoming ? `consent/gates/${first.join(',')}` : null, async (a) => {
        const unsignedIds = new Set<string>();
        for (const id of first) {
          const g = await a.consent.gates(id).catch(() => undefined);
          if (g?.consentRequired && !g.treatmentConsent) unsignedIds.add(id);
        }
        return unsignedIds;
      }),
    ) ?? new Set<string>();

  if (role !== 'patient' && role !== 'representative') return null;
  const locale = locales[language];
  const who = (i: RequestWithAppointment) => i.request.provider.practitionerName ?? i.request.provider.facilityName;
  return (
    <>
      {me?.identityVerified === false ? (
        <p className="unverified-note" role="note">
          {t('register.unverifiedBanner')}
        </p>
      ) : null}
      {unsigned.size > 0 ? (
        <section className="home-todo" aria-labelledby="home-todo-title">
          <h2 id="home-todo-title">{t('home.todo.title')}</h2>
          <ul role="list">
            {(upcoming ?? [])
              .filter((i) => unsigned.has(i.request.id))
              .map((i) => (
                <li key={i.request.id}>
                  <Link to={`/requests/${i.request.id}/consent`}>{t('home.todo.consent', { time: formatSlot(i.appointment?.start ?? '', locale), specialist: who(i) })}</Link>
                </li>
              ))}
          </ul>
        </section>
      ) : null}
      {upcoming && upcoming.length > 0 ? (
        <section className="home-upcoming" aria-labelledby="home-upcoming-title">
          <h2 id="home-upcoming-title">{t('home.upcoming.title')}</h2>
          <ul role="list">
            {upcoming.slice(0, 5).map((i) => (
              <li key={i.request.id}>
                <Link to={`/requests/${i.request.id}`}>
                  <strong>{formatSlot(i.appointment?.start ?? '', locale)}</strong> — {who(i)}, {i.request.provider.facilityName}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
