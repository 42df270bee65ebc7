import { useState } from 'react';
import { PageHeader } from '../../../components/ui.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { defaultPeriod, sofiaDayStart } from '../format.js';
import { useFacilityOptions } from '../use-facility-options.js';
import { FacilityPicker } from '../components/facility-picker.js';
import '../compliance.css';

/** The day after `date` (`YYYY-MM-DD`), so the period's last day is included whole. */
function nextDay(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The supervisor's audit export (Art. 21; docs/audit.md): a facility, a period of whole days in
 * Europe/Sofia, CSV or FHIR AuditEvent JSON, downloaded from `GET /api/v1/supervision/audit-export`
 * (the server checks the role and records the export in the audit trail).
 */
export function AuditExportPage() {
  const t = useT();
  useDocumentTitle(t('auditExport.title'));
  const { me } = useAuth();
  const [period, setPeriod] = useState(() => defaultPeriod(new Date()));
  const [format, setFormat] = useState<'csv' | 'fhir'>('csv');
  const [facilityId, setFacilityId] = useState<string>();
  const options = useFacilityOptions('search');
  const selected = facilityId && options.items.some((o) => o.id === facilityId) ? facilityId : options.items[0]?.id;
  if (me === undefined) return <div className="page" aria-busy="true" />;
  if (me?.role !== 'supervisor') {
    return (
      <div className="page">
        <PageHeader title={t('auditExport.title')} />
        <p>{t('auditExport.onlySupervisors')}</p>
      </div>
    );
  }
  const badPeriod = period.to < period.from;
  const href = selected && !badPeriod ? `/api/v1/supervision/audit-export?${new URLSearchParams({ facilityId: selected, from: sofiaDayStart(period.from), to: sofiaDayStart(nextDay(period.to)), format }).toString()}` : undefined;

  return (
    <div className="page compliance">
      <PageHeader title={t('auditExport.title')} lead={t('auditExport.lead')} />
      <form className="compliance-filters" onSubmit={(e) => e.preventDefault()} aria-label={t('auditExport.title')} noValidate>
        <FacilityPicker idPrefix="export" options={options} search selected={selected} onSelect={setFacilityId} empty={t('compliance.noMatches')} />
        <div className="compliance-period">
          <div className="field">
            <label htmlFor="export-from">{t('compliance.from')}</label>
            <input id="export-from" type="date" value={period.from} max={period.to} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} required />
          </div>
          <div className="field">
            <label htmlFor="export-to">{t('compliance.to')}</label>
            <input id="export-to" type="date" value={period.to} min={period.from} onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))} required aria-invalid={badPeriod} aria-describedby={badPeriod ? 'export-period-error' : undefined} />
          </div>
        </div>
        {badPeriod ? (
          <p id="export-period-error" className="compliance-error" role="alert">
            {t('compliance.badPeriod')}
          </p>
        ) : null}
        <fieldset className="checklist">
          <legend>{t('auditExport.format')}</legend>
          {(['csv', 'fhir'] as const).map((f) => (
            <label key={f} className="consent-check">
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
              <span>{t(`auditExport.format.${f}`)}</span>
            </label>
          ))}
        </fieldset>
        {href ? (
          <a className="button" href={href} download data-testid="audit-export-download">
            {t('auditExport.download')}
          </a>
        ) : null}
        <p className="compliance-hint">{t('auditExport.recorded')}</p>
      </form>
    </div>
  );
}
