import { useResource } from '../../../api/use-resource.js';
import { useT } from '../../../i18n/index.js';

/**
 * How a practice's patients reach care out of hours (W21, R-OOH-03), on its public directory page. Shown
 * only when the practice published an arrangement; other facilities have none and show nothing.
 */
export function OutOfHoursSection({ facilityId }: { facilityId: string }) {
  const t = useT();
  const ooh = useResource(`practice/out-of-hours/${facilityId}`, (api, signal) => api.practice.outOfHours(facilityId, { signal }));
  if (ooh.state !== 'ready' || !ooh.value) return null;
  const o = ooh.value;
  return (
    <section className="directory-section" aria-labelledby="facility-ooh">
      <h2 id="facility-ooh">{t('practice.ooh.title')}</h2>
      <p>{o.arrangement === 'contract_nearest' ? t('practice.ooh.contract_nearest', { partner: o.partnerName ?? '' }) : t(`practice.ooh.${o.arrangement}`)}</p>
      {o.phone ? (
        <p>
          {t('practice.ooh.phone')}: <a href={`tel:${o.phone.replace(/\s+/g, '')}`}>{o.phone}</a>
        </p>
      ) : null}
      {o.note ? <p>{o.note}</p> : null}
      <p className="directory-muted">{t('practice.ooh.emergency')}</p>
    </section>
  );
}
