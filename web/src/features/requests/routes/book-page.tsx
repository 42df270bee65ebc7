import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource } from '../../../api/use-resource.js';
import { locales, useDocumentTitle, useLanguage, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import type { DirectoryFacilityPage, RequestWithAppointment } from '../api.js';
import { WeekSlots } from '../components/week-slots.js';
import { formatSlot } from '../booking-format.js';
import { PaymentNotice, type PaymentChoice } from '../../insurance/payment-notice.js';
import '../requests.css';
import '../booking.css';

/** Specialties offered in the booking search (NHIS CL006 codes). */
const SPECIALTIES = ['1020', '1004', '1046', '1038', '1030'] as const;

type Params = { specialty?: string; facility?: string; specialist?: string; service?: string; slot?: string };

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
  const [done, setDone] = useState<RequestWithAppointment & { names: { facility: string; specialist: string } }>();
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

function WithFacility({ p, href, onBooked }: { p: Params; href: (p: Params) => string; onBooked: (b: RequestWithAppointment & { names: { facility: string; specialist: string } }) => void }) {
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

/** The chosen slot's start, from the specialist's free slots (undefined while loading or when gone). */
function useSlotStart(p: Params): string | undefined {
  const slots = useFreeAround(p);
  return slots?.find((s) => s.id === p.slot)?.start;
}

/** Free slots of the chosen specialist and service over the next 31 days (the directory's largest window) (for a slot chosen elsewhere). */
function useFreeAround(p: Params): { id: string; start: string }[] | undefined {
  const key = p.slot && p.specialist && p.service ? `book/slot/${p.specialist}/${p.service}` : null;
  const [now] = useState(() => new Date());
  const res = useResource(key, (api) => api.requests.freeSlots(p.specialist ?? '', p.service ?? '', now.toISOString(), new Date(now.getTime() + 31 * 86_400_000).toISOString()));
  return key && res.state === 'ready' ? res.value.items : undefined;
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

function Confirm(props: { f: DirectoryFacilityPage; p: Params; href: (p: Params) => string; specialistId: string; serviceId: string; specialty: string; onBooked: (b: RequestWithAppointment & { names: { facility: string; specialist: string } }) => void }) {
  const { f, p, href, specialistId, serviceId, specialty, onBooked } = props;
  const t = useT();
  const api = useApi();
  const free = useFreeAround(p);
  const [patientId, setPatientId] = useState<string>();
  const [phone, setPhone] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  // Who pays for the chosen time (R-PC-13): the form books only once the notice allows it.
  const [payment, setPayment] = useState<PaymentChoice>({ canBook: false });
  // Whose care: the patient's own record, or (representatives) the first linked patient; the phone is
  // taken from that record so it is not asked again.
  useEffect(() => {
    let live = true;
    api.access.actingFor().then(
      async (r) => {
        const id = r.items[0]?.patientId;
        if (!live || !id) return;
        setPatientId(id);
        const patient = await api.access.getPatient(id).catch(() => undefined);
        if (live && patient?.phone) setPhone((old) => old || patient.phone || '');
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);

  const gone = free !== undefined && !free.some((s) => s.id === p.slot);
  const specialist = f.specialists.find((s) => s.id === specialistId);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const text = (k: string) => {
      const v = String(fd.get(k) ?? '').trim();
      return v === '' ? undefined : v;
    };
    setBusy(true);
    setProblem(undefined);
    try {
      const booked = await api.requests.create({
        urgency: 'planned',
        mode: 'synchronous',
        facilityId: f.id,
        specialtyCode: specialty,
        serviceId,
        practitionerId: specialistId,
        slotId: p.slot ?? '',
        ...(patientId ? { patientId } : {}),
        phone: phone.trim(),
        circumstances: text('circumstances'),
        intake: { anamnesis: text('anamnesis'), careSoFar: text('careSoFar'), dispensary: text('dispensary'), medicines: text('medicines'), riskFactors: text('riskFactors') },
        ...(payment.acceptedPriceEurCents !== undefined ? { acceptedPriceEurCents: payment.acceptedPriceEurCents } : {}),
      });
      onBooked({ ...booked, names: { facility: f.name, specialist: specialist ? `${specialist.givenName} ${specialist.familyName}` : '' } });
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  if (gone) {
    return (
      <section className="book-step" aria-labelledby="book-when">
        <h2 id="book-when">{t('book.step.when')}</h2>
        <p role="alert" className="book-warning">
          {t('book.slotGone')}
        </p>
        <WeekSlots specialistId={specialistId} serviceId={serviceId} hrefOf={(slot) => href({ ...p, slot })} />
      </section>
    );
  }

  return (
    <section className="book-step" aria-labelledby="book-confirm">
      <h2 id="book-confirm">{t('book.step.confirm')}</h2>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <form className="book-form" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        {patientId && p.slot ? <PaymentNotice patientId={patientId} serviceId={serviceId} slotId={p.slot} onChange={setPayment} /> : null}
        <label className="book-field">
          {t('book.phone')}
          <input name="phone" type="tel" required autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} aria-describedby="book-phone-hint" />
          <span id="book-phone-hint" className="book-hint">
            {t('book.phoneHint')}
          </span>
        </label>
        <details className="book-more">
          <summary>{t('book.more')}</summary>
          <label className="book-field">
            {t('requests.form.circumstances')}
            <textarea name="circumstances" rows={2} />
          </label>
          {(['anamnesis', 'careSoFar', 'dispensary', 'medicines', 'riskFactors'] as const).map((k) => (
            <label key={k} className="book-field">
              {t(`requests.form.${k}`)}
              <textarea name={k} rows={2} />
            </label>
          ))}
        </details>
        <button type="submit" className="button book-submit" aria-disabled={busy ? 'true' : undefined} disabled={busy || (patientId !== undefined && !payment.canBook)}>
          {t('book.submit')}
        </button>
      </form>
    </section>
  );
}

/** After booking: what happens next, the consent to sign, and the calendar file. */
function BookedPage({ booked }: { booked: RequestWithAppointment & { names: { facility: string; specialist: string } } }) {
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
