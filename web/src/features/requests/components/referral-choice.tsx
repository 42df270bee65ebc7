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
 * R-REF-02: the patient's used № 3s whose secondary examination this facility (the primary's provider) can
 * still do, in this specialty; the booking checks the visit's day against the limit.
 */
export function followUpReferrals(items: Referral[], specialty: string, facilityId: string, today: string): Referral[] {
  return items.filter((r) => r.status === 'used' && r.form === '3' && r.nrn && r.followUp && r.followUp.facilityId === facilityId && r.followUp.until >= today && (r.specialtyCode === null || r.specialtyCode === specialty));
}

/**
 * W14: when the NHIF pays for a specialist, the booking carries one of the patient's referrals (its НРН).
 * Shows the usable ones to choose from — first a used № 3's secondary examination at this facility
 * (R-REF-02, "вторичен преглед"), then unused referrals — or why the NHIF-paid booking cannot go ahead.
 * @param props - the patient, the specialty, the facility, and where to report the chosen НРН (null: none to book with)
 */
export function ReferralChoice({ patientId, specialty, facilityId, onChange }: { patientId: string; specialty: string; facilityId: string; onChange: (nrn: string | null) => void }) {
  const t = useT();
  const { language } = useLanguage();
  const needed = specialty !== GP_SPECIALTY;
  const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/Sofia' });
  const list = useResource(needed ? `book/referrals/${patientId}` : null, (api) => api.referrals.referrals(patientId));
  const followUps = list.state === 'ready' ? followUpReferrals(list.value.items, specialty, facilityId, today) : [];
  const usable = list.state === 'ready' ? [...followUps, ...usableReferrals(list.value.items, specialty, today)] : [];
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
          {r.status === 'used' && r.followUp
            ? t('book.referral.followUp', { nrn: r.nrn ?? '', doctor: r.issuer.name, until: formatDay(r.followUp.until, locales[language]) })
            : t('book.referral.option', {
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
