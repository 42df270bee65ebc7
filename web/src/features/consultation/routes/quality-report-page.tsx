import { useState } from 'react';
import { Link } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import '../consultation.css';

/** First instant of a month in UTC (the report period; the API takes instants). */
function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const from = new Date(Date.UTC(y ?? 2026, (m ?? 1) - 1, 1));
  const to = new Date(Date.UTC(y ?? 2026, m ?? 1, 1));
  return { from: from.toISOString(), to: to.toISOString() };
}

const fmt = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);

/**
 * `/consultations/quality`: the facility quality report (Art. 28(1) items 8-9, docs/decisions.md#d16).
 * Facilities are shown by name (the server's list of the caller's facilities); ids stay in the API.
 */
export function QualityReportPage() {
  const t = useT();
  useDocumentTitle(t('consultation.report.title'));
  const list = useResource('consultation-quality/facilities', (a) => a.consultation.qualityReportFacilities());
  const facilities = valueOf(list)?.items ?? [];
  const [facilityId, setFacilityId] = useState<string>();
  const [month, setMonth] = useState(() => new Date().toISOString().slice(0, 7));
  const selected = facilityId ?? facilities[0]?.id;
  const loaded = useResource(selected ? `consultation-quality/${selected}/${month}` : null, (a) => {
    const { from, to } = monthRange(month);
    return a.consultation.facilityQuality(selected ?? '', from, to);
  });
  const report = valueOf(loaded);
  const problem = problemOf(list) ?? problemOf(loaded);

  return (
    <div className="page">
      <h1>{t('consultation.report.title')}</h1>
      <p className="lead">{t('consultation.report.intro')}</p>
      {facilities.length > 1 ? (
        <div className="field">
          <label htmlFor="report-facility">{t('consultation.report.facility')}</label>
          <select id="report-facility" value={selected} onChange={(e) => setFacilityId(e.target.value)}>
            {facilities.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="report-month">{t('consultation.report.month')}</label>
        <input id="report-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      </div>
      {list.state === 'ready' && facilities.length === 0 ? <p>{t('consultation.report.noFacility')}</p> : null}
      {problem ? <ProblemAlert problem={problem} /> : null}
      {report ? (
        <>
          <dl className="consultation-report">
            <dt>{t('consultation.report.facility')}</dt>
            <dd data-facility-id={report.facilityId}>{report.facilityName}</dd>
            <dt>{t('consultation.report.consultations')}</dt>
            <dd>{report.consultations}</dd>
            <dt>{t('consultation.report.samples')}</dt>
            <dd>{report.samples}</dd>
            <dt>{t('consultation.report.latency', { limit: report.latencyLimitMs })}</dt>
            <dd>
              {t('consultation.report.breachesP95', { count: report.latencyBreaches, p95: fmt(report.p95LatencyMs) })}
            </dd>
            <dt>{t('consultation.report.avSync', { limit: report.avSyncLimitMs })}</dt>
            <dd>
              {t('consultation.report.breachesP95', { count: report.avSyncBreaches, p95: fmt(report.p95AvSyncMs) })}
            </dd>
          </dl>
          <h2>{t('consultation.report.flagged')}</h2>
          {report.flagged.length === 0 ? <p>{t('consultation.report.none')}</p> : null}
          <ul>
            {report.flagged.map((f) => (
              <li key={f.consultationId}>
                <Link to={`/consultations/${f.consultationId}`}>{f.consultationId.slice(0, 8)}</Link>:{' '}
                {t('consultation.report.flaggedLine', { latency: f.latencyBreaches, sync: f.avSyncBreaches, maxLatency: fmt(f.maxLatencyMs), maxSync: fmt(f.maxAvSyncMs) })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
