import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { locales, useDocumentTitle, useLanguage, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import type { DirectoryFacilityPage } from '../api.js';
import { WeekSlots } from '../components/week-slots.js';
import { formatSlot } from '../booking-format.js';
import { useSlotStart, type Booked, type Params } from '../book-choice.js';
import { Confirm } from '../components/book-confirm.js';
import { BookedPage } from '../components/booked-page.js';
import '../requests.css';
import '../booking.css';

/** Specialties offered in the booking search (NHIS CL006 codes). */
const SPECIALTIES = ['1020', '1004', '1046', '1038', '1030'] as const;

/**
 * Booking (docs/registration.md#booking). The URL holds every choice (`specialty`, `facility`,
 * `specialist`, `service`, `slot`), so a time chosen in the directory arrives complete and the page asks
 * only what is missing; "back" returns to the previous choice. Three taps from the directory: the
 * facility, the time, "Запази часа".
 */
export function BookPage() {
  const t = useT();
  useDocumentTitle(t('requests.book.title'));
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const p: Params = Object.fromEntries(['specialty', 'facility', 'specialist', 'service', 'slot'].flatMap((k) => (params.get(k) ? [[k, params.get(k)]] : [])));
  const [done, setDone] = useState<Booked>();
  const href = (next: Params) => `/book?${new URLSearchParams(Object.entries(next).filter((e): e is [string, string] => Boolean(e[1]))).toString()}`;

  if (!me) {
    return (
      <div className="page book-page">
        <h1>{t('requests.book.title')}</h1>
        <p>
          <Link className="button" to={`/sign-in?next=${encodeURIComponent(href(p))}`}>
            {t('book.signInToBook')}
          </Link>
        </p>
      </div>
    );
  }
  if (done) return <BookedPage booked={done} />;

  return (
    <div className="page book-page">
      <h1>{t('requests.book.title')}</h1>
      {!p.facility ? <ChooseFacility specialty={p.specialty ?? '1020'} onSpecialty={(specialty) => setParams({ specialty })} href={(facility) => href({ ...p, facility })} /> : null}
      {p.facility ? <WithFacility p={p} href={href} onBooked={setDone} /> : null}
    </div>
  );
}

function ChooseFacility({ specialty, onSpecialty, href }: { specialty: string; onSpecialty: (s: string) => void; href: (facilityId: string) => string }) {
  const t = useT();
  const list = useResource(`book/facilities/${specialty}`, (api) => api.requests.searchFacilities(specialty));
  return (
    <>
      <section className="book-step" aria-labelledby="book-what">
        <h2 id="book-what">{t('book.step.what')}</h2>
        <label className="book-field">
          {t('requests.book.specialty')}
          <select value={specialty} onChange={(e) => onSpecialty(e.target.value)} name="specialty">
            {SPECIALTIES.map((code) => (
              <option key={code} value={code}>
                {t(`requests.specialty.${code}`)}
              </option>
            ))}
          </select>
        </label>
      </section>
      <section className="book-step" aria-labelledby="book-where">
        <h2 id="book-where">{t('book.step.where')}</h2>
        {list.state === 'loading' ? <p role="status">{t('book.loading')}</p> : null}
        {list.state === 'problem' ? <ProblemAlert problem={list.problem} /> : null}
        {list.state === 'ready' && list.value.items.length === 0 ? <p>{t('requests.book.none')}</p> : null}
        {list.state === 'ready' ? (
          <ul className="book-choices" role="list">
            {list.value.items.map((f) => (
              <li key={f.id}>
                <Link className="book-choice" to={href(f.id)}>
                  <strong>{f.name}</strong>
                  <span>{f.settlement}</span>
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </>
  );
}

function WithFacility({ p, href, onBooked }: { p: Params; href: (p: Params) => string; onBooked: (b: Booked) => void }) {
  const t = useT();
  const facility = useResource(`book/facility/${p.facility}`, (api) => api.requests.facilityPage(p.facility ?? ''));
  if (facility.state === 'loading') return <p role="status">{t('book.loading')}</p>;
  if (facility.state === 'problem') return <ProblemAlert problem={facility.problem} />;
  const f = facility.value;
  const specialist = f.specialists.find((s) => s.id === p.specialist);
  const service = f.services.find((s) => s.id === p.service);
  const specialty = p.specialty ?? service?.specialtyCode;

  return (
    <>
      <Summary f={f} p={p} href={href} />
      {!specialist || !service ? <ChooseService f={f} p={p} specialty={specialty} href={href} /> : null}
      {specialist && service && !p.slot ? (
        <section className="book-step" aria-labelledby="book-when">
          <h2 id="book-when">{t('book.step.when')}</h2>
          <WeekSlots specialistId={specialist.id} serviceId={service.id} hrefOf={(slot) => href({ ...p, slot })} />
        </section>
      ) : null}
      {specialist && service && p.slot ? <Confirm f={f} p={p} href={href} specialistId={specialist.id} serviceId={service.id} specialty={specialty ?? service.specialtyCode} onBooked={onBooked} /> : null}
    </>
  );
}

/** What is chosen so far, each with "Промени" (which drops it and what follows from the URL). */
function Summary({ f, p, href }: { f: DirectoryFacilityPage; p: Params; href: (p: Params) => string }) {
  const t = useT();
  const { language } = useLanguage();
  const specialist = f.specialists.find((s) => s.id === p.specialist);
  const service = f.services.find((s) => s.id === p.service);
  const slotStart = useSlotStart(p);
  return (
    <dl className="book-summary">
      <div>
        <dt>{t('book.summary.facility')}</dt>
        <dd>
          {f.name}, {f.settlement} <Link to={href({ ...(p.specialty ? { specialty: p.specialty } : {}) })}>{t('book.change')}</Link>
        </dd>
      </div>
      {specialist && service ? (
        <div>
          <dt>{t('book.summary.specialist')}</dt>
          <dd>
            {specialist.givenName} {specialist.familyName} · {service.name} <Link to={href({ specialty: p.specialty, facility: p.facility })}>{t('book.change')}</Link>
          </dd>
        </div>
      ) : null}
      {p.slot && slotStart ? (
        <div>
          <dt>{t('book.summary.time')}</dt>
          <dd>
            <strong>{formatSlot(slotStart, locales[language])}</strong> <Link to={href({ ...p, slot: undefined })}>{t('book.change')}</Link>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

function ChooseService({ f, p, specialty, href }: { f: DirectoryFacilityPage; p: Params; specialty: string | undefined; href: (p: Params) => string }) {
  const t = useT();
  const services = f.services.filter((s) => s.mode === 'synchronous' && (!specialty || s.specialtyCode === specialty));
  return (
    <section className="book-step" aria-labelledby="book-who">
      <h2 id="book-who">{t('book.step.who')}</h2>
      <ul className="book-choices" role="list">
        {services.flatMap((s) =>
          f.specialists
            .filter((sp) => sp.services.some((x) => x.serviceId === s.id))
            .map((sp) => (
              <li key={`${s.id}:${sp.id}`}>
                <Link className="book-choice" to={href({ ...p, specialty: s.specialtyCode, specialist: sp.id, service: s.id, slot: undefined })}>
                  <strong>
                    {sp.givenName} {sp.familyName}
                  </strong>
                  <span>{s.name}</span>
                </Link>
              </li>
            )),
        )}
      </ul>
    </section>
  );
}
