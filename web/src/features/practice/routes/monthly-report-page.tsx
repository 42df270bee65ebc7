import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';

const lastMonth = (): string => {
  const d = new Date();
  d.setDate(1);
  d.setMonth(d.getMonth() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

/** The GP's monthly NHIF report (R-127): the figures with their records, and the XML and PDF to file. */
export function MonthlyReportPage() {
  const t = useT();
  useDocumentTitle(t('practice.report.title'));
  const api = useApi();
  const { me } = useAuth();
  const facilityId = me?.facilityIds[0] ?? null;
  const [month, setMonth] = useState(lastMonth());
  const report = useResource(facilityId ? `report:${facilityId}:${month}` : null, (a) => a.practice.monthlyReport(facilityId ?? '', month));
  const r = valueOf(report);
  return (
    <div className="page">
      <h1>{t('practice.report.title')}</h1>
      {!facilityId ? <p>{t('practice.noPractice')}</p> : null}
      <label>
        {t('practice.report.month')} <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
      </label>
      {report.state === 'loading' && facilityId ? <p aria-live="polite">{t('practice.loading')}</p> : null}
      {report.state === 'problem' ? <ProblemAlert problem={report.problem} /> : null}
      {r && facilityId ? (
        <section aria-live="polite">
          <h2>{`${r.facility.name} · ${r.month}`}</h2>
          <p>{t('practice.report.due', { date: r.dueBy })}</p>
          <details>
            <summary data-figure="visits">{t('practice.report.visits', { count: r.visits.count })}</summary>
            <ul>
              {r.byKindAndAge
                .filter((f) => f.count > 0)
                .map((f) => (
                  <li key={`${f.kind}-${f.ageGroup}`}>{`${f.kind} · ${f.ageGroup}: ${f.count} (${f.records.length} ${t('practice.report.records')})`}</li>
                ))}
            </ul>
          </details>
          <p>{t('practice.report.prophylaxis', { count: r.prophylaxis.count, dispensary: r.dispensary.count })}</p>
          <p>{t('practice.report.fees', { count: r.userFeeDue.count, paid: r.paidByPatient.count })}</p>
          <ul>
            {r.exempted.map((e) => (
              <li key={e.code}>{`${e.code}: ${e.count}`}</li>
            ))}
            {r.collected.map((c) => (
              <li key={`${c.purpose}-${c.currency}`}>{`${c.purpose}: ${c.amount} ${c.currency}${c.currency === 'BGN' ? ` (${c.eur} EUR)` : ''}`}</li>
            ))}
          </ul>
          <p data-figure="collected">{t('practice.report.collected', { eur: r.collectedEur })}</p>
          <p>{t('practice.report.phone', r.phoneRegister)}</p>
          {r.referrals.length > 0 ? (
            <ul aria-label={t('practice.report.referrals')}>
              {r.referrals.map((f) => (
                <li key={f.form} data-figure={`referrals-${f.form}`}>
                  {t('practice.report.referralForm', { form: f.form, count: f.count, quarter: f.quarterToDate })}
                  {f.standardPerQuarter !== null ? ` ${t(f.overStandard ? 'practice.report.referralOver' : 'practice.report.referralWithin', { allowed: f.allowedWithTolerance ?? 0 })}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('practice.report.noReferrals')}</p>
          )}
          <p>
            <a className="button" href={api.practice.reportHref(facilityId, month, 'xml')}>
              {t('practice.report.xml')}
            </a>{' '}
            <a className="button button--secondary" href={api.practice.reportHref(facilityId, month, 'pdf')}>
              {t('practice.report.pdf')}
            </a>
          </p>
        </section>
      ) : null}
    </div>
  );
}
