import { useEffect, useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import type { CompliancePeriod } from '../api.js';
import { AlertsList } from '../components/alerts-list.js';
import { ReportView } from '../components/report-view.js';
import { defaultPeriod } from '../format.js';
import { useFacilityOptions } from '../use-facility-options.js';
import { FacilityPicker } from '../components/facility-picker.js';
import '../compliance.css';

/** Who may see the report (the server decides: facility administrators and coordinators of the facility, supervisors). */
const REPORT_ROLES = ['facility_admin', 'coordinator', 'supervisor'];
/** The alert list is the facility staff's (`/records/facility-alerts`). */
const ALERT_ROLES = ['facility_admin', 'coordinator'];

/**
 * `/compliance`: the compliance dashboard (Art. 17). Facility staff pick one of their
 * facilities and also see the deadline alerts; the supervisory agency searches any facility (Art. 21).
 */
export function CompliancePage() {
  const t = useT();
  useDocumentTitle(t('compliance.title'));
  const { me } = useAuth();
  const [period, setPeriod] = useState(() => defaultPeriod(new Date()));
  const [facilityId, setFacilityId] = useState<string>();
  const [applied, setApplied] = useState<CompliancePeriod>();
  const [badPeriod, setBadPeriod] = useState(false);
  const options = useFacilityOptions(me?.role === 'supervisor' ? 'search' : (me?.facilityIds ?? []));
  const selected = facilityId && options.items.some((o) => o.id === facilityId) ? facilityId : options.items[0]?.id;

  // The first report shows as soon as a facility is known; later changes apply with "Show".
  useEffect(() => {
    if (!applied && selected) setApplied({ facilityId: selected, ...period });
  }, [applied, selected, period]);

  if (me === undefined) return <div className="page" aria-busy="true" />;
  const allowed = me !== null && REPORT_ROLES.includes(me.role);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (period.to < period.from) {
      setBadPeriod(true);
      return;
    }
    setBadPeriod(false);
    if (selected) setApplied({ facilityId: selected, ...period });
  }

  return (
    <div className="page compliance">
      <h1>{t('compliance.title')}</h1>
      <p className="lead">{t('compliance.intro')}</p>
      {!allowed ? <p>{t('compliance.noFacility')}</p> : null}
      {allowed ? (
        <form className="compliance-filters" onSubmit={submit} aria-labelledby="compliance-filters-title" noValidate>
          <h2 id="compliance-filters-title" className="visually-hidden">
            {t('compliance.filters')}
          </h2>
          <FacilityPicker idPrefix="compliance" options={options} search={me.role === 'supervisor'} selected={selected} onSelect={setFacilityId} empty={me.role === 'supervisor' ? t('compliance.noMatches') : t('compliance.noFacility')} />
          <div className="compliance-period">
            <div className="field">
              <label htmlFor="compliance-from">{t('compliance.from')}</label>
              <input id="compliance-from" type="date" value={period.from} max={period.to} onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))} required />
            </div>
            <div className="field">
              <label htmlFor="compliance-to">{t('compliance.to')}</label>
              <input
                id="compliance-to"
                type="date"
                value={period.to}
                min={period.from}
                onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))}
                required
                aria-invalid={badPeriod}
                aria-describedby={badPeriod ? 'compliance-period-error' : undefined}
              />
            </div>
            <button type="submit" className="button" disabled={!selected}>
              {t('compliance.show')}
            </button>
          </div>
          {badPeriod ? (
            <p id="compliance-period-error" className="compliance-error" role="alert">
              {t('compliance.badPeriod')}
            </p>
          ) : null}
        </form>
      ) : null}
      {allowed && applied ? <Report key={`${applied.facilityId}/${applied.from}/${applied.to}`} period={applied} /> : null}
      {me && ALERT_ROLES.includes(me.role) ? <AlertsList /> : null}
    </div>
  );
}

function Report({ period }: { period: CompliancePeriod }) {
  const t = useT();
  const api = useApi();
  const loaded = useResource(`compliance/report/${JSON.stringify(period)}`, (a) => a.compliance.report(period));
  const report = valueOf(loaded);
  const problem = problemOf(loaded);

  if (problem) return <ProblemAlert problem={problem} />;
  if (!report) return <p aria-live="polite">{t('compliance.loading')}</p>;
  return <ReportView report={report} csvUrl={api.compliance.fileUrl(period, 'csv')} pdfUrl={api.compliance.fileUrl(period, 'pdf')} />;
}
