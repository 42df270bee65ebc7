import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { ProblemAlert } from '../../api/problem-alert.js';
import { problemOf, useResource, valueOf } from '../../api/use-resource.js';
import { locales, useLanguage, useT } from '../../i18n/index.js';
import { formatEur, type BookingPayment } from './api.js';

/** The refusal in the page's language (the server's `detail` is English). */
function refusalText(p: BookingPayment, t: ReturnType<typeof useT>): string {
  if (p.code === 'booking.self_pay_price_unknown') return t('insurance.pay.priceUnknown');
  const c = p.coverage;
  if (c?.state === 'expired') return t('insurance.pay.policyExpired', { date: c.date ?? '' });
  if (c?.state === 'not_started') return t('insurance.pay.policyNotStarted', { date: c.date ?? '' });
  return t('insurance.pay.policyNone');
}

/** What the booking form may send: whether booking is possible and the price accepted (R-PC-13). */
export interface PaymentChoice {
  canBook: boolean;
  acceptedPriceEurCents?: number;
  /** Who pays, once known: the NHIF pays a specialist only with a referral (W14). */
  payer?: BookingPayment['payer'];
}

/**
 * Who pays for the chosen time, shown before booking (R-PC-13: the patient is told the price first;
 * R-INS-01: a foreigner needs a policy for the day of care; R-INS-11: the insurer pays the facility).
 * @param props - patient, service and slot, and where to report the choice
 */
export function PaymentNotice({ patientId, serviceId, slotId, onChange }: { patientId: string; serviceId: string; slotId: string; onChange: (c: PaymentChoice) => void }) {
  const t = useT();
  const { language: lang } = useLanguage();
  const checked = useResource(`insurance/booking-payment/${patientId}/${serviceId}/${slotId}`, (a) => a.insurance.bookingPayment(patientId, serviceId, slotId));
  const payment = valueOf(checked);
  const problem = problemOf(checked);
  // The acceptance belongs to the answer it was given for: another slot's answer starts unaccepted.
  const [acceptedFor, setAcceptedFor] = useState<BookingPayment>();
  const accepted = payment !== undefined && acceptedFor === payment;

  // What the booking form may do, told whenever the answer changes (nothing until it is known).
  useEffect(() => {
    if (problem) {
      // The booking itself checks again; an unreachable registry must not hide the form for good.
      onChange({ canBook: true });
    } else {
      onChange(payment ? { canBook: payment.allowed && !payment.mustAccept, payer: payment.payer } : { canBook: false });
    }
  }, [payment, problem, onChange]);

  if (problem) return <ProblemAlert problem={problem} />;
  if (!payment) return <p aria-live="polite">{t('insurance.pay.checking')}</p>;
  const price = payment.priceEurCents === null ? '' : formatEur(payment.priceEurCents, locales[lang]);
  if (!payment.allowed) {
    return (
      <div role="alert" className="payment-notice payment-refused" data-payment="refused">
        <p>
          <strong>{t('insurance.pay.refused')}</strong> {refusalText(payment, t)}
        </p>
        {payment.code === 'insurance.foreign_policy_required' ? <Link to="/my-insurance">{t('insurance.pay.policyLink')}</Link> : null}
      </div>
    );
  }
  if (payment.payer === 'nhif') return <p className="payment-notice" data-payment="nhif">{t('insurance.pay.nhif')}</p>;
  if (payment.payer === 'foreign_insurer') return <p className="payment-notice" data-payment="insurer">{t('insurance.pay.insurer', { price })}</p>;
  if (!payment.mustAccept) return <p className="payment-notice" data-payment="paid">{t('insurance.pay.patient', { price })}</p>;
  return (
    <div className="payment-notice" data-payment="self-pay" role="status">
      <p>{payment.insuranceStatus === 'interrupted' ? t('insurance.pay.interrupted', { months: payment.missingMonths.join(', '), price }) : t('insurance.pay.notFound', { price })}</p>
      <label>
        <input
          type="checkbox"
          name="acceptPrice"
          checked={accepted}
          onChange={(e) => {
            setAcceptedFor(e.target.checked ? payment : undefined);
            onChange(e.target.checked ? { canBook: true, acceptedPriceEurCents: payment.priceEurCents ?? 0, payer: payment.payer } : { canBook: false, payer: payment.payer });
          }}
        />{' '}
        {t('insurance.pay.accept', { price })}
      </label>
    </div>
  );
}
