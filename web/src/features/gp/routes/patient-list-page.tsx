import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { useDocumentTitle, useT, type MessageKey } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { maskIdentifier } from '../../patient/components/masked-identifier.js';
import '../gp.css';

/** The GP's own patient list (НРД R-27, R-31), its summary (R-76, R-32) and the monthly register (R-29). */
export function PatientListPage() {
  const t = useT();
  useDocumentTitle(t('gp.list.title'));
  const { me } = useAuth();
  const practitionerId = me?.role === 'specialist' ? me.practitionerId : null;
  return (
    <div className="page gp-page">
      <h1>{t('gp.list.title')}</h1>
      <p className="lead">{t('gp.list.intro')}</p>
      {practitionerId ? (
        <>
          <Summary practitionerId={practitionerId} />
          <ListTable practitionerId={practitionerId} />
          <Report practitionerId={practitionerId} />
        </>
      ) : (
        <p>{t('gp.list.notGp')}</p>
      )}
    </div>
  );
}

function Summary({ practitionerId }: { practitionerId: string }) {
  const t = useT();
  const s = useResource(`gp/summary/${practitionerId}`, (a) => a.gp.summary(practitionerId));
  if (s.state === 'loading') return <p aria-live="polite">{t('gp.loading')}</p>;
  if (s.state === 'problem') return <ProblemAlert problem={s.problem} />;
  const v = s.value;
  return (
    <section aria-labelledby="gp-summary-title">
      <h2 id="gp-summary-title">{t('gp.summary.title')}</h2>
      <p>{t('gp.list.total', { count: v.total })}</p>
      <ul>
        {v.ageGroups.map((g) => (
          <li key={g.code}>{`${g.code}: ${g.count}`}</li>
        ))}
      </ul>
      <p>{t('gp.summary.capitation', { eur: v.capitationEur })}</p>
      <p>{t('gp.summary.capacity', { max: v.capacity.maxListSize ?? t('gp.summary.noLimit') })}</p>
      <p>{t('gp.summary.staffing', { specialists: v.staffing.medicalSpecialists, doctors: v.staffing.doctors })}</p>
    </section>
  );
}

function ListTable({ practitionerId }: { practitionerId: string }) {
  const t = useT();
  const [status, setStatus] = useState<'listed' | 'left'>('listed');
  const [page, setPage] = useState(1);
  const list = useResource(`gp/list/${practitionerId}/${status}/${page}`, (a) => a.gp.patientList(practitionerId, { page, status }));
  const pages = list.state === 'ready' ? Math.max(1, Math.ceil(list.value.total / list.value.pageSize)) : 1;
  const choose = (s: 'listed' | 'left') => {
    setStatus(s);
    setPage(1);
  };
  return (
    <section aria-labelledby="gp-list-title">
      <h2 id="gp-list-title" className="visually-hidden">{t('gp.list.title')}</h2>
      <div className="gp-tabs" role="group">
        <button type="button" aria-pressed={status === 'listed'} onClick={() => choose('listed')}>{t('gp.list.listed')}</button>
        <button type="button" aria-pressed={status === 'left'} onClick={() => choose('left')}>{t('gp.list.left')}</button>
      </div>
      {list.state === 'loading' ? <p aria-live="polite">{t('gp.loading')}</p> : null}
      {list.state === 'problem' ? <ProblemAlert problem={list.problem} /> : null}
      {list.state === 'ready' && list.value.items.length === 0 ? <p>{t('gp.list.empty')}</p> : null}
      {list.state === 'ready' && list.value.items.length > 0 ? (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('gp.list.name')}</th>
                <th scope="col">{t('gp.list.identifier')}</th>
                <th scope="col">{t('gp.list.ageGroup')}</th>
                <th scope="col">{t('gp.col.kind')}</th>
                <th scope="col">{t('gp.col.from')}</th>
                <th scope="col">{t('gp.col.ended')}</th>
              </tr>
            </thead>
            <tbody>
              {list.value.items.map((i) => (
                <tr key={i.registrationId}>
                  <td>{`${i.givenName} ${i.familyName}`}</td>
                  {/* Privacy: masked as in the patient banner; no reveal here, there is no request to audit it against. */}
                  <td className="patient-banner__number">{maskIdentifier(i.identifier)}</td>
                  <td>{i.ageGroup}</td>
                  <td>{t(`gp.kind.${i.kind}` as MessageKey)}</td>
                  <td>{i.startsOn}</td>
                  <td>{i.endedOn && i.endReason ? `${i.endedOn} (${t(`gp.end.${i.endReason}` as MessageKey)})` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="gp-pager">
            <button type="button" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>{t('gp.list.prev')}</button>
            <span>{t('gp.list.page', { page, pages })}</span>
            <button type="button" disabled={page >= pages} onClick={() => setPage((p) => p + 1)}>{t('gp.list.next')}</button>
          </div>
        </>
      ) : null}
    </section>
  );
}

function Report({ practitionerId }: { practitionerId: string }) {
  const t = useT();
  const api = useApi();
  const [month, setMonth] = useState('');
  return (
    <section aria-labelledby="gp-report-title">
      <h2 id="gp-report-title">{t('gp.report.title')}</h2>
      <div className="field">
        <label htmlFor="gp-report-month">{t('gp.report.month')}</label>
        <input id="gp-report-month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
      </div>
      {/^\d{4}-\d{2}$/.test(month) ? (
        <p>
          <a href={api.gp.reportHref(practitionerId, month)} download>{t('gp.report.download')}</a>{' '}
          <a href={api.gp.reportHref(practitionerId, month, 'pdf')} download>{t('gp.report.downloadPdf')}</a>
        </p>
      ) : null}
    </section>
  );
}
