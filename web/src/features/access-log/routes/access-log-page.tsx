import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useT, type MessageKey } from '../../../i18n/index.js';
import type { ActingFor } from '../../access/api.js';
import type { AccessLogEntry } from '../api.js';
import '../access-log.css';

type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'problem'; problem: Problem };

const ACTION_KEYS: Record<string, MessageKey> = {
  'patient.read': 'accessLog.action.patient.read',
  'patient.created': 'accessLog.action.patient.created',
  'access.denied': 'accessLog.action.access.denied',
  'access.granted': 'accessLog.action.access.granted',
  'access.revoked': 'accessLog.action.access.revoked',
  'access.grants_viewed': 'accessLog.action.access.grants_viewed',
  'care.opened': 'accessLog.action.care.opened',
  'care.closed': 'accessLog.action.care.closed',
  'audit.access_log_viewed': 'accessLog.action.audit.access_log_viewed',
  'supervision.case_opened': 'accessLog.action.supervision.case_opened',
  'supervision.case_closed': 'accessLog.action.supervision.case_closed',
};

const ROLE_KEYS: Record<string, MessageKey> = {
  patient: 'auth.role.patient',
  representative: 'auth.role.representative',
  specialist: 'auth.role.specialist',
  facility_admin: 'auth.role.facility_admin',
  coordinator: 'auth.role.coordinator',
  supervisor: 'auth.role.supervisor',
  operator: 'auth.role.operator',
};

/** "Who accessed my data": every recorded access to the patient's data (docs/decisions.md#d12). */
export function AccessLogPage() {
  const t = useT();
  useDocumentTitle(t('accessLog.title'));
  const api = useApi();
  const [actingFor, setActingFor] = useState<Load<ActingFor[]>>({ state: 'loading' });
  const [selected, setSelected] = useState<string>();

  useEffect(() => {
    let live = true;
    api.access.actingFor().then(
      (r) => {
        if (!live) return;
        setActingFor({ state: 'ready', value: r.items });
        setSelected((s) => s ?? r.items[0]?.patientId);
      },
      (e: unknown) => live && setActingFor({ state: 'problem', problem: problemFromError(e) }),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const patients = actingFor.state === 'ready' ? actingFor.value : [];
  const current = patients.find((p) => p.patientId === selected);

  return (
    <div className="page access-log-page">
      <h1>{t('accessLog.title')}</h1>
      <p className="lead">{t('accessLog.intro')}</p>
      {actingFor.state === 'loading' ? <p aria-live="polite">{t('accessLog.loading')}</p> : null}
      {actingFor.state === 'problem' ? <ProblemAlert problem={actingFor.problem} /> : null}
      {patients.length > 1 ? (
        <div className="field">
          <label htmlFor="access-log-patient">{t('accessLog.patient')}</label>
          <select id="access-log-patient" value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {patients.map((p) => (
              <option key={p.patientId} value={p.patientId}>
                {`${p.givenName} ${p.familyName}`}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {actingFor.state === 'ready' && patients.length === 0 ? <p>{t('accessLog.noPatients')}</p> : null}
      {current ? <LogTable key={current.patientId} patientId={current.basis === 'self' ? undefined : current.patientId} /> : null}
    </div>
  );
}

function LogTable({ patientId }: { patientId: string | undefined }) {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const [items, setItems] = useState<AccessLogEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [status, setStatus] = useState<{ state: 'loading' } | { state: 'ready' } | { state: 'problem'; problem: Problem }>({ state: 'loading' });

  const load = useCallback(
    (before: string | undefined) => {
      setStatus({ state: 'loading' });
      api.accessLog.get({ patientId, before }).then(
        (page) => {
          setItems((old) => (before ? [...old, ...page.items] : page.items));
          setNext(page.nextBefore);
          setStatus({ state: 'ready' });
        },
        (e: unknown) => setStatus({ state: 'problem', problem: problemFromError(e) }),
      );
    },
    [api, patientId],
  );

  useEffect(() => load(undefined), [load]);

  const who = (e: AccessLogEntry) => {
    if (e.actor.isYou) return t('accessLog.you');
    if (e.actor.type === 'system') return t('accessLog.system');
    if (e.actor.type === 'anonymous') return t('accessLog.anonymous');
    const role = e.actor.role ? t(ROLE_KEYS[e.actor.role] ?? 'accessLog.unknownRole') : t('accessLog.unknownRole');
    return e.actor.displayName ? `${e.actor.displayName} (${role})` : role;
  };
  const what = (e: AccessLogEntry) => {
    const key = ACTION_KEYS[e.action];
    return key ? t(key) : e.action;
  };

  return (
    <section aria-labelledby="access-log-heading" aria-busy={status.state === 'loading'}>
      <h2 id="access-log-heading" className="visually-hidden">
        {t('accessLog.caption')}
      </h2>
      {status.state === 'problem' ? <ProblemAlert problem={status.problem} /> : null}
      {status.state === 'ready' && items.length === 0 ? <p>{t('accessLog.empty')}</p> : null}
      {items.length > 0 ? (
        <div className="access-log__scroll" tabIndex={0} role="region" aria-label={t('accessLog.caption')}>
          <table className="access-log">
            <caption className="visually-hidden">{t('accessLog.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accessLog.col.when')}</th>
                <th scope="col">{t('accessLog.col.who')}</th>
                <th scope="col">{t('accessLog.col.facility')}</th>
                <th scope="col">{t('accessLog.col.what')}</th>
                <th scope="col">{t('accessLog.col.why')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} className={e.outcome === 'success' ? undefined : 'access-log__row--refused'}>
                  <td data-label={t('accessLog.col.when')}>
                    <time dateTime={e.at}>{formatDateTime(new Date(e.at))}</time>
                  </td>
                  <td data-label={t('accessLog.col.who')}>{who(e)}</td>
                  <td data-label={t('accessLog.col.facility')}>{e.facility?.name ?? '—'}</td>
                  <td data-label={t('accessLog.col.what')}>
                    {what(e)}
                    {e.outcome === 'success' ? null : <strong className="access-log__outcome"> ({t(e.outcome === 'denied' ? 'accessLog.outcome.denied' : 'accessLog.outcome.failure')})</strong>}
                  </td>
                  <td data-label={t('accessLog.col.why')}>{e.supervision ? t('accessLog.supervision', { basis: e.supervision.legalBasis }) : (e.reason ?? '—')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {status.state === 'loading' ? <p aria-live="polite">{t('accessLog.loading')}</p> : null}
      {next && status.state === 'ready' ? (
        <button type="button" className="button" onClick={() => load(next)}>
          {t('accessLog.more')}
        </button>
      ) : null}
    </section>
  );
}
