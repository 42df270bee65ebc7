import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { useT } from '../../../i18n/index.js';
import type { DirectoryFacilityPage } from '../api.js';
import { useFreeAround, type Booked, type Params } from '../book-choice.js';
import { WeekSlots } from './week-slots.js';
import { PaymentNotice, type PaymentChoice } from '../../insurance/payment-notice.js';
import { ReferralChoice } from './referral-choice.js';

/**
 * Whose care: the patient's own record, or (representatives) the first linked patient; the phone is
 * taken from that record so it is not asked again.
 */
function useBookingPatient(): { patientId?: string; phone?: string } {
  const r = useResource('book/patient', async (api) => {
    const id = (await api.access.actingFor()).items[0]?.patientId;
    if (!id) return {};
    const patient = await api.access.getPatient(id).catch(() => undefined);
    return { patientId: id, ...(patient?.phone ? { phone: patient.phone } : {}) };
  });
  return valueOf(r) ?? {};
}

/** The last step: the phone, the optional intake, who pays, and "Запази часа". */
export function Confirm(props: { f: DirectoryFacilityPage; p: Params; href: (p: Params) => string; specialistId: string; serviceId: string; specialty: string; onBooked: (b: Booked) => void }) {
  const { f, p, href, specialistId, serviceId, specialty, onBooked } = props;
  const t = useT();
  const api = useApi();
  const free = useFreeAround(p);
  const booking = useBookingPatient();
  const patientId = booking.patientId;
  const [typedPhone, setPhone] = useState<string>();
  const phone = typedPhone ?? booking.phone ?? '';
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  // Who pays for the chosen time (R-PC-13): the form books only once the notice allows it.
  const [payment, setPayment] = useState<PaymentChoice>({ canBook: false });
  // W14: the NHIF pays for a specialist with a referral; the chosen one's НРН goes with the booking.
  const [referralNrn, setReferralNrn] = useState<string | null>(null);
  const referralNeeded = payment.payer === 'nhif';
  const canBook = payment.canBook && (!referralNeeded || referralNrn !== null);

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
        ...(referralNeeded && referralNrn ? { referralNrn } : {}),
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
        {patientId && referralNeeded ? <ReferralChoice patientId={patientId} specialty={specialty} facilityId={f.id} onChange={setReferralNrn} /> : null}
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
        <button type="submit" className="button book-submit" aria-disabled={busy ? 'true' : undefined} disabled={busy || (patientId !== undefined && !canBook)}>
          {t('book.submit')}
        </button>
      </form>
    </section>
  );
}
