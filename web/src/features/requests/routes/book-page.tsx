import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { DirectoryFacilityPage, DirectorySearchResult, RequestWithAppointment } from '../api.js';
import { PaymentNotice, type PaymentChoice } from '../../insurance/payment-notice.js';
import '../requests.css';

/** Specialties offered in the booking search (NHIS CL006 codes; names come from the server's directory). */
const SPECIALTIES: readonly { code: string; key: 'requests.specialty.1020' | 'requests.specialty.1004' | 'requests.specialty.1046' | 'requests.specialty.1038' | 'requests.specialty.1030' }[] = [
  { code: '1020', key: 'requests.specialty.1020' },
  { code: '1004', key: 'requests.specialty.1004' },
  { code: '1046', key: 'requests.specialty.1046' },
  { code: '1038', key: 'requests.specialty.1038' },
  { code: '1030', key: 'requests.specialty.1030' },
];

/** Booking in three steps: specialty → facility, specialist and time → the Art. 18 form with the Art. 12 intake. */
export function BookPage() {
  const t = useT();
  useDocumentTitle(t('requests.book.title'));
  const api = useApi();
  const fmt = useFormatDateTime();
  const [specialty, setSpecialty] = useState('1020');
  const [facilities, setFacilities] = useState<DirectorySearchResult['items']>();
  const [facility, setFacility] = useState<DirectoryFacilityPage>();
  const [choice, setChoice] = useState<{ serviceId: string; practitionerId: string }>();
  const [slots, setSlots] = useState<{ id: string; start: string }[]>();
  const [slotId, setSlotId] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<RequestWithAppointment>();
  // Who pays for the chosen time (R-PC-13): the form books only once the notice allows it.
  const [payment, setPayment] = useState<PaymentChoice>({ canBook: false });
  // Whose care: the patient's own record, or (representatives) the first linked patient.
  const [patientId, setPatientId] = useState<string>();
  useEffect(() => {
    api.access.actingFor().then(
      (r) => setPatientId(r.items[0]?.patientId),
      () => undefined,
    );
  }, [api]);

  async function search(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    setFacility(undefined);
    try {
      setFacilities((await api.requests.searchFacilities(specialty)).items);
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  async function openFacility(id: string) {
    setProblem(undefined);
    setChoice(undefined);
    setSlots(undefined);
    try {
      setFacility(await api.requests.facilityPage(id));
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  useEffect(() => {
    if (!choice) return;
    let live = true;
    const from = new Date();
    const to = new Date(from.getTime() + 14 * 86_400_000);
    api.requests.freeSlots(choice.practitionerId, choice.serviceId, from.toISOString(), to.toISOString()).then(
      (r) => live && setSlots(r.items),
      (err: unknown) => live && setProblem(problemFromError(err)),
    );
    return () => {
      live = false;
    };
  }, [api, choice]);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!facility || !choice || !slotId) return;
    const f = new FormData(e.currentTarget);
    const text = (k: string) => {
      const v = String(f.get(k) ?? '').trim();
      return v === '' ? undefined : v;
    };
    setBusy(true);
    setProblem(undefined);
    try {
      setDone(
        await api.requests.create({
          urgency: 'planned',
          mode: 'synchronous',
          facilityId: facility.id,
          specialtyCode: specialty,
          serviceId: choice.serviceId,
          practitionerId: choice.practitionerId,
          slotId,
          ...(patientId ? { patientId } : {}),
          phone: text('phone') ?? '',
          circumstances: text('circumstances'),
          intake: { anamnesis: text('anamnesis'), careSoFar: text('careSoFar'), dispensary: text('dispensary'), medicines: text('medicines'), riskFactors: text('riskFactors') },
          ...(payment.acceptedPriceEurCents !== undefined ? { acceptedPriceEurCents: payment.acceptedPriceEurCents } : {}),
        }),
      );
    } catch (err) {
      setProblem(problemFromError(err));
      // The time may have gone: show the current free slots again.
      setChoice((c) => (c ? { ...c } : c));
      setSlotId(undefined);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section aria-labelledby="book-done">
        <h1 id="book-done">{t('requests.book.done')}</h1>
        <p role="status">{t('requests.book.doneText', { facility: done.request.provider.facilityName, time: done.appointment ? fmt(new Date(done.appointment.start)) : '' })}</p>
        <Link to="/requests">{t('requests.mine.title')}</Link>
      </section>
    );
  }

  const realTimeServices = facility?.services.filter((s) => s.mode === 'synchronous' && s.specialtyCode === specialty) ?? [];
  return (
    <section aria-labelledby="book-title">
      <h1 id="book-title">{t('requests.book.title')}</h1>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <form onSubmit={search} className="booking-form">
        <label>
          {t('requests.book.specialty')}
          <select value={specialty} onChange={(e) => setSpecialty(e.target.value)} name="specialty">
            {SPECIALTIES.map((s) => (
              <option key={s.code} value={s.code}>
                {t(s.key)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('requests.book.search')}</button>
      </form>
      {facilities ? (
        <ul className="request-list" aria-label={t('requests.book.facilities')}>
          {facilities.length === 0 ? <li>{t('requests.book.none')}</li> : null}
          {facilities.map((f) => (
            <li key={f.id}>
              <button type="button" onClick={() => void openFacility(f.id)}>
                {f.name} — {f.settlement}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {facility ? (
        <section aria-labelledby="book-step2">
          <h2 id="book-step2">{facility.name}</h2>
          <ul className="request-list">
            {realTimeServices.flatMap((s) =>
              facility.specialists
                .filter((p) => p.services.some((x) => x.serviceId === s.id))
                .map((p) => (
                  <li key={`${s.id}:${p.id}`}>
                    <button type="button" aria-pressed={choice?.serviceId === s.id && choice.practitionerId === p.id} onClick={() => setChoice({ serviceId: s.id, practitionerId: p.id })}>
                      {s.name} — {p.givenName} {p.familyName}
                    </button>
                  </li>
                )),
            )}
          </ul>
        </section>
      ) : null}
      {slots ? (
        <section aria-labelledby="book-step3">
          <h2 id="book-step3">{t('requests.book.time')}</h2>
          {slots.length === 0 ? <p>{t('requests.book.noSlots')}</p> : null}
          <ul className="slot-grid">
            {slots.slice(0, 40).map((s) => (
              <li key={s.id}>
                <button type="button" data-slot-id={s.id} aria-pressed={slotId === s.id} onClick={() => setSlotId(s.id)}>
                  {fmt(new Date(s.start))}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {slotId ? (
        <form className="booking-form" onSubmit={(e) => void submit(e)} aria-labelledby="book-step4">
          <h2 id="book-step4">{t('requests.book.form')}</h2>
          {patientId && choice ? <PaymentNotice patientId={patientId} serviceId={choice.serviceId} slotId={slotId} onChange={setPayment} /> : null}
          <label>
            {t('requests.form.phone')}
            <input name="phone" type="tel" required autoComplete="tel" />
          </label>
          <label>
            {t('requests.form.circumstances')}
            <textarea name="circumstances" rows={2} />
          </label>
          <fieldset>
            <legend>{t('requests.form.intake')}</legend>
            {(['anamnesis', 'careSoFar', 'dispensary', 'medicines', 'riskFactors'] as const).map((k) => (
              <label key={k}>
                {t(`requests.form.${k}`)}
                <textarea name={k} rows={2} />
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={busy || (patientId !== undefined && !payment.canBook)}>
            {t('requests.book.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
