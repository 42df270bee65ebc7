import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useResource } from '../../../api/use-resource.js';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import type { Referral } from '../../referrals/api.js';
import { formatDay } from '../../referrals/format.js';

/** The forms a specialist visit is booked on (W14: № 3, № 3А, № 6); the booking checks the rest. */
const BOOKING_FORMS: readonly string[] = ['3', '3A', '6'];
const GP_SPECIALTY = '0000';

/** The patient's referrals that can book this specialty today: issued, unused, not past their last day. */
export function usableReferrals(items: Referral[], specialty: string, today: string): Referral[] {
  return items.filter((r) => r.status === 'issued' && r.nrn && BOOKING_FORMS.includes(r.form) && (r.specialtyCode === null || r.specialtyCode === specialty) && (r.validUntil === null || r.validUntil >= today));
}

/**
 * W14: when the NHIF pays for a specialist, the booking carries one of the patient's referrals (its НРН).
 * Shows the usable ones to choose from, or why the NHIF-paid booking cannot go ahead without one.
 * @param props - the patient, the specialty, and where to report the chosen НРН (null: none to book with)
 */
export function ReferralChoice({ patientId, specialty, onChange }: { patientId: string; specialty: string; onChange: (nrn: string | null) => void }) {
  const t = useT();
  const { language } = useLanguage();
  const needed = specialty !== GP_SPECIALTY;
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Sofia' });
  const list = useResource(needed ? `book/referrals/${patientId}` : null, (api) => api.referrals.referrals(patientId));
  const usable = list.state === 'ready' ? usableReferrals(list.value.items, specialty, today) : [];
  const [chosen, setChosen] = useState<string>();
  const nrn = chosen && usable.some((r) => r.nrn === chosen) ? chosen : (usable[0]?.nrn ?? null);

  useEffect(() => {
    // The booking itself checks again; a list that cannot be read leaves the choice to the server's answer.
    onChange(!needed ? null : list.state === 'problem' ? null : nrn);
  }, [needed, list.state, nrn, onChange]);

  if (!needed || list.state === 'loading') return null;
  if (list.state === 'problem' || usable.length === 0) {
    return (
      <div role="alert" className="payment-notice payment-refused" data-referral="none">
        <p>
          <strong>{t('book.referral.none')}</strong> {t('book.referral.noneHint')}
        </p>
        <Link to="/referrals">{t('book.referral.mine')}</Link>
      </div>
    );
  }
  return (
    <fieldset className="book-field" data-referral="choose">
      <legend>{t('book.referral.legend')}</legend>
      {usable.map((r) => (
        <label key={r.id} className="book-radio">
          <input type="radio" name="referralNrn" value={r.nrn ?? ''} checked={r.nrn === nrn} onChange={() => setChosen(r.nrn ?? undefined)} />{' '}
          {t('book.referral.option', {
            form: r.form === '3A' ? '3А' : r.form,
            nrn: r.nrn ?? '',
            doctor: r.issuer.name,
            until: r.validUntil ? formatDay(r.validUntil, locales[language]) : t('book.referral.noLimit'),
          })}
        </label>
      ))}
    </fieldset>
  );
}
