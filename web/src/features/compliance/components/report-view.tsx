import { useFormatDateTime, useT } from '../../../i18n/index.js';
import type { ComplianceReport, ComplianceRow } from '../api.js';
import { formatDuration } from '../format.js';

const ref = (requestId: string) => requestId.slice(-8).toUpperCase();

/**
 * The compliance report of one facility and period: the figures first (met and missed deadlines, times
 * to record, consents, call quality), then by kind of service, then each missed deadline; CSV and PDF.
 */
export function ReportView({ report, csvUrl, pdfUrl }: { report: ComplianceReport; csvUrl: string; pdfUrl: string }) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const totals = report.totals;
  const kindOf = (r: ComplianceRow) =>
    t('compliance.kind', { urgency: t(`compliance.urgency.${r.urgency}`), mode: t(`compliance.mode.${r.mode}`), document: t(`compliance.document.${r.documentKind}`) });
  const figures: { key: string; label: string; value: string | number; tone?: 'ok' | 'bad' }[] = [
    { key: 'services', label: t('compliance.services'), value: totals.services },
    { key: 'met', label: t('compliance.met'), value: totals.met, tone: 'ok' },
    { key: 'missed', label: t('compliance.missed'), value: totals.missed, ...(totals.missed > 0 ? { tone: 'bad' as const } : {}) },
    { key: 'open', label: t('compliance.open'), value: totals.open },
    { key: 'escalated', label: t('compliance.escalated'), value: totals.escalated },
    { key: 'complex', label: t('compliance.complex'), value: totals.complex },
    { key: 'median', label: t('compliance.median'), value: formatDuration(t, totals.medianSecondsToRecord) },
    { key: 'worst', label: t('compliance.worst'), value: formatDuration(t, totals.worstSecondsToRecord) },
    { key: 'consents', label: t('compliance.consents'), value: report.consentsOnFile ?? t('compliance.noData') },
    { key: 'quality', label: t('compliance.quality'), value: report.qualityBreaches ?? t('compliance.noData') },
  ];

  return (
    <section className="compliance-report" aria-labelledby="compliance-summary">
      <h2 id="compliance-summary">{t('compliance.summary')}</h2>
      <p className="compliance-report__period">{t('compliance.period', { facility: report.facilityName, from: report.from, to: report.to, zone: report.timeZone })}</p>
      <dl className="compliance-figures">
        {figures.map((f) => (
          <div key={f.key} className={`card compliance-figure${f.tone ? ` compliance-figure--${f.tone}` : ''}`}>
            <dt>{f.label}</dt>
            <dd data-figure={f.key}>{f.value}</dd>
          </div>
        ))}
      </dl>
      <div className="compliance-downloads" role="group" aria-label={t('compliance.downloads')}>
        <a className="button" href={csvUrl} download>
          {t('compliance.csv')}
        </a>
        <a className="button button--secondary" href={pdfUrl} download>
          {t('compliance.pdf')}
        </a>
      </div>

      <h2>{t('compliance.byKind')}</h2>
      {report.rows.length === 0 ? (
        <p>{t('compliance.noServices')}</p>
      ) : (
        <div className="compliance-table__scroll" role="region" tabIndex={0} aria-label={t('compliance.byKind')}>
          <table className="compliance-table">
            <thead>
              <tr>
                <th scope="col">{t('compliance.col.kind')}</th>
                <th scope="col">{t('compliance.services')}</th>
                <th scope="col">{t('compliance.met')}</th>
                <th scope="col">{t('compliance.missed')}</th>
                <th scope="col">{t('compliance.open')}</th>
                <th scope="col">{t('compliance.median')}</th>
                <th scope="col">{t('compliance.worst')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={`${r.urgency}-${r.mode}-${r.documentKind}`}>
                  <th scope="row" data-label={t('compliance.col.kind')}>
                    {kindOf(r)}
                  </th>
                  <td data-label={t('compliance.services')}>{r.services}</td>
                  <td data-label={t('compliance.met')}>{r.met}</td>
                  <td data-label={t('compliance.missed')}>{r.missed}</td>
                  <td data-label={t('compliance.open')}>{r.open}</td>
                  <td data-label={t('compliance.median')}>{formatDuration(t, r.medianSecondsToRecord)}</td>
                  <td data-label={t('compliance.worst')}>{formatDuration(t, r.worstSecondsToRecord)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('compliance.breaches')}</h2>
      {report.breaches.length === 0 ? (
        <p>{t('compliance.noBreaches')}</p>
      ) : (
        <div className="compliance-table__scroll" role="region" tabIndex={0} aria-label={t('compliance.breaches')}>
          <table className="compliance-table">
            <thead>
              <tr>
                <th scope="col">{t('compliance.col.service')}</th>
                <th scope="col">{t('compliance.col.due')}</th>
                <th scope="col">{t('compliance.col.recorded')}</th>
                <th scope="col">{t('compliance.col.cause')}</th>
              </tr>
            </thead>
            <tbody>
              {report.breaches.map((b) => (
                <tr key={b.requestId} data-request-id={b.requestId}>
                  <th scope="row" data-label={t('compliance.col.service')}>
                    <span className="compliance-ref">{ref(b.requestId)}</span>
                  </th>
                  <td data-label={t('compliance.col.due')}>
                    <time dateTime={b.dueAt}>{formatDateTime(new Date(b.dueAt))}</time>
                  </td>
                  <td data-label={t('compliance.col.recorded')}>{b.recordedAt ? <time dateTime={b.recordedAt}>{formatDateTime(new Date(b.recordedAt))}</time> : t('compliance.notRecorded')}</td>
                  <td data-label={t('compliance.col.cause')}>{b.cause ? t(`compliance.cause.${b.cause}`) : t('compliance.noData')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
