import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { useT, type MessageKey } from '../../../i18n/index.js';
import type { PatientBanner as Banner } from '../api.js';
import { MaskedIdentifier } from './masked-identifier.js';
import './patient-banner.css';

const BASIS: Record<'parent' | 'guardian' | 'curator', MessageKey> = {
  parent: 'banner.basis.parent',
  guardian: 'banner.basis.guardian',
  curator: 'banner.basis.curator',
};

/**
 * The patient at the top of every clinical screen (docs/design-system.md#patient-banner): names, age and
 * sex, the EGN/LNCh masked with an audited reveal, the representative acting, the reason for the visit
 * and the medicines the intake recorded. `compact` is the one-line form of worklist rows.
 */
export function PatientBanner({ requestId, compact = false }: { requestId: string; compact?: boolean }) {
  const t = useT();
  const banner = useResource(`patient-banner:${requestId}`, (api) => api.patient.banner(requestId));
  if (banner.state === 'loading') {
    return (
      <div className={compact ? 'patient-banner patient-banner--compact patient-banner--loading' : 'patient-banner patient-banner--loading'} role="status" aria-live="polite">
        <span className="visually-hidden">{t('ui.loading')}</span>
        <span className="patient-banner__placeholder" aria-hidden="true" />
      </div>
    );
  }
  if (banner.state === 'problem') return compact ? <span className="patient-banner__missing">—</span> : <ProblemAlert problem={banner.problem} />;
  return <BannerView banner={banner.value} compact={compact} />;
}

/**
 * The banner for data already loaded (also used by /dev/components). `reveal` is false where there is no
 * request to audit the reveal against (a visit recorded by the practice): the identifier stays masked.
 */
export function BannerView({ banner, compact = false, reveal = true }: { banner: Banner; compact?: boolean; reveal?: boolean }) {
  const t = useT();
  const name = [banner.givenName, banner.middleName, banner.familyName].filter(Boolean).join(' ');
  const who = `${t('banner.age', { age: banner.ageYears })}, ${t(`banner.sex.${banner.sex}` as MessageKey)}`;
  if (compact) {
    return (
      <span className="patient-banner patient-banner--compact" data-testid="patient-banner">
        <strong className="patient-banner__name">{name}</strong>
        <span className="patient-banner__who">{who}</span>
        {banner.reason ? <span className="patient-banner__reason">{banner.reason}</span> : null}
      </span>
    );
  }
  return (
    <section className="patient-banner" aria-label={t('banner.label')} data-testid="patient-banner">
      <div className="patient-banner__main">
        <svg className="patient-banner__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="12" cy="8" r="4" fill="currentColor" />
          <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="currentColor" />
        </svg>
        <p className="patient-banner__name">{name}</p>
        <p className="patient-banner__who">{who}</p>
        <MaskedIdentifier kindLabel={t(`banner.${banner.identifierKind}` as MessageKey)} masked={banner.identifierMasked} requestId={reveal ? banner.requestId : null} />
      </div>
      <dl className="patient-banner__facts">
        {banner.representative ? (
          <div>
            <dt>{t('banner.representative')}</dt>
            <dd>{banner.representative.basis ? t(BASIS[banner.representative.basis]) : t('banner.basis.unknown')}</dd>
          </div>
        ) : null}
        {banner.reason ? (
          <div>
            <dt>{t('banner.reason')}</dt>
            <dd>{banner.reason}</dd>
          </div>
        ) : null}
        {banner.medicines ? (
          <div>
            <dt>{t('banner.medicines')}</dt>
            <dd>{banner.medicines}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
