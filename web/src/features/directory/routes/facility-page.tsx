import { useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { locales, useDocumentTitle, useLanguage, useT } from '../../../i18n/index.js';
import type { DirectoryFacilityPage } from '../api.js';
import { OutOfHoursSection } from '../components/out-of-hours.js';
import { SlotList } from '../components/slot-list.js';
import { Price, SlotTime } from '../components/slot-time.js';
import { browserTimeZone, SLOT_WINDOW_DAYS, weekdayName } from '../format.js';
import { useResource } from '../../../api/use-resource.js';
import { useReference } from '../hooks.js';
import { regionName, specialistName, specialtyName } from '../names.js';
import '../directory.css';

type Specialist = DirectoryFacilityPage['specialists'][number];

/** A facility's public page: everything Art. 15 requires it to publish (R-TM-32), and free slots. */
export function FacilityPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  // "Back" returns to the search as it was (its filters ride in the link's state).
  const search = (useLocation().state as { directorySearch?: string } | null)?.directorySearch ?? '';
  const page = useResource(`directory/facility/${id}`, (api, signal) => api.directory.facility(id, { signal }));
  useDocumentTitle(page.state === 'ready' ? page.value.name : t('directory.facility.title'));

  return (
    <div className="page directory-page">
      <p className="directory-back">
        <Link to={`/directory${search.startsWith('?') ? search : ''}`}>{t('directory.facility.back')}</Link>
      </p>
      {page.state === 'loading' ? <p role="status">{t('directory.facility.loading')}</p> : null}
      {page.state === 'problem' ? (
        <>
          <h1>{t('directory.facility.title')}</h1>
          <ProblemAlert problem={page.problem} />
        </>
      ) : null}
      {page.state === 'ready' ? <FacilityDetails facility={page.value} specialty={params.get('specialty') ?? ''} /> : null}
    </div>
  );
}

function FacilityDetails({ facility, specialty }: { facility: DirectoryFacilityPage; specialty: string }) {
  const t = useT();
  const { language } = useLanguage();
  const reference = useReference();
  const [now] = useState(() => new Date());
  const [userZone] = useState(browserTimeZone);

  // The searched specialty first, so the patient lands on what they looked for.
  const matches = (s: Specialist) => (specialty ? s.specialtyCodes.includes(specialty) : false);
  const specialists = [...facility.specialists].sort((a, b) => Number(matches(b)) - Number(matches(a)));

  return (
    <>
      <h1>{facility.name}</h1>
      {facility.description ? <p className="lead">{facility.description}</p> : null}

      <section className="directory-section" aria-labelledby="facility-contacts">
        <h2 id="facility-contacts">{t('directory.facility.contacts')}</h2>
        <dl className="facility-facts">
          <dt>{t('directory.facility.address')}</dt>
          <dd>
            {facility.address}, {facility.settlement} · {regionName(reference, facility.regionCode, language)}
          </dd>
          {facility.phone ? (
            <>
              <dt>{t('directory.facility.phone')}</dt>
              <dd>
                <a href={`tel:${facility.phone.replace(/\s+/g, '')}`}>{facility.phone}</a>
              </dd>
            </>
          ) : null}
          {facility.email ? (
            <>
              <dt>{t('directory.facility.email')}</dt>
              <dd>
                <a href={`mailto:${facility.email}`}>{facility.email}</a>
              </dd>
            </>
          ) : null}
          {facility.website ? (
            <>
              <dt>{t('directory.facility.website')}</dt>
              <dd>
                <a href={facility.website} rel="noopener noreferrer">
                  {facility.website}
                </a>
              </dd>
            </>
          ) : null}
          <dt>{t('directory.facility.number')}</dt>
          <dd>{facility.number}</dd>
          {facility.centres.length > 0 ? (
            <>
              <dt>{t('directory.facility.centres')}</dt>
              <dd>{facility.centres.map((c) => c.name).join(', ')}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <OutOfHoursSection facilityId={facility.id} />

      <section className="directory-section" aria-labelledby="facility-services">
        <h2 id="facility-services">{t('directory.services')}</h2>
        {facility.services.length === 0 ? <p>{t('directory.facility.noServices')}</p> : null}
        <ul className="service-list" role="list">
          {facility.services.map((s) => (
            <li key={s.id} className="card service-item">
              <h3 className="service-item__title">{s.name}</h3>
              <p className="facility-card__tags">
                <span className="tag">{specialtyName(reference, s.specialtyCode, language)}</span>
                <span className="tag tag--mode">{t(`directory.mode.${s.mode}`)}</span>
              </p>
              {s.description ? <p>{s.description}</p> : null}
              <p>
                {t('directory.service.minutes', { minutes: s.typicalMinutes })} · <strong>
                  <Price service={s} />
                </strong>
              </p>
            </li>
          ))}
        </ul>
      </section>

      <section className="directory-section" aria-labelledby="facility-specialists">
        <h2 id="facility-specialists">{t('directory.facility.specialistsAndSlots')}</h2>
        <p className="directory-muted">{t('directory.facility.zoneNote')}</p>
        {specialists.length === 0 ? <p>{t('directory.facility.noSpecialists')}</p> : null}
        {specialists.map((specialist) => (
          <article key={specialist.id} className="card specialist" aria-labelledby={`specialist-${specialist.id}`}>
            <h3 id={`specialist-${specialist.id}`}>{specialistName(specialist)}</h3>
            <p className="directory-muted">{specialist.specialtyCodes.map((c) => specialtyName(reference, c, language)).join(', ')}</p>
            {specialist.services.map((entry) => {
              const service = facility.services.find((s) => s.id === entry.serviceId);
              if (!service) return null;
              return (
                <SpecialistService
                  key={entry.serviceId}
                  facility={facility}
                  specialistId={specialist.id}
                  service={service}
                  specialty={specialty}
                  earliest={entry.earliestFreeSlot}
                  now={now}
                  userZone={userZone}
                />
              );
            })}
          </article>
        ))}
      </section>
    </>
  );
}

interface SpecialistServiceProps {
  facility: DirectoryFacilityPage;
  specialistId: string;
  service: DirectoryFacilityPage['services'][number];
  specialty: string;
  earliest: string | null;
  now: Date;
  userZone: string;
}

/** One service of a specialist: weekly schedule (Art. 15 item 4), earliest slot and the 7-day slot list. */
function SpecialistService({ facility, specialistId, service, specialty, earliest, now, userZone }: SpecialistServiceProps) {
  const t = useT();
  const { language } = useLanguage();
  const [open, setOpen] = useState(false);
  const headingId = `svc-${specialistId}-${service.id}`;
  const listId = `${headingId}-slots`;
  const rules = facility.schedules
    .filter((s) => s.practitionerId === specialistId && s.serviceId === service.id)
    .flatMap((s) => s.rules)
    .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));

  return (
    <div className="specialist-service">
      <h4 id={headingId} className="specialist-service__title">
        {service.name} <span className="directory-muted">({t(`directory.mode.${service.mode}`)})</span>
      </h4>
      {rules.length > 0 ? (
        <p>
          <strong>{t('directory.facility.schedule')}</strong>{' '}
          {rules.map((r) => `${weekdayName(r.weekday, locales[language])} ${r.start}–${r.end}`).join('; ')}
        </p>
      ) : null}
      <p>
        <strong>{t('directory.earliest')}</strong> {earliest ? <SlotTime instant={earliest} userZone={userZone} /> : t('directory.earliest.none')}
      </p>
      <button type="button" className="button button--secondary" aria-expanded={open} aria-controls={listId} onClick={() => setOpen((o) => !o)}>
        {open ? t('directory.slots.hide') : t('directory.slots.show', { days: SLOT_WINDOW_DAYS })}
      </button>
      <div id={listId}>{open ? <SlotList facilityId={facility.id} specialty={specialty || service.specialtyCode} bookable={service.mode === 'synchronous'} specialistId={specialistId} serviceId={service.id} labelledBy={headingId} userZone={userZone} now={now} /> : null}</div>
    </div>
  );
}
