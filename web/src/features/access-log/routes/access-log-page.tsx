import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { isMessageKey, useDocumentTitle, useFormatDateTime, useT, type MessageKey, type Translate } from '../../../i18n/index.js';
import { useResource } from '../../../api/use-resource.js';
import { EmptyState, Skeleton } from '../../../components/ui.js';
import type { ActingFor } from '../../access/api.js';
import type { AccessLogEntry } from '../api.js';
import '../access-log.css';


const BASIS_KEYS: Record<string, MessageKey> = {
  self: 'accessLog.basis.self',
  request: 'accessLog.basis.request',
  consultation: 'accessLog.basis.consultation',
  access_grant: 'accessLog.basis.grant',
  representative_link: 'accessLog.basis.representative',
  care: 'accessLog.basis.care',
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
  const actingFor = useResource<ActingFor[]>('acting-for', async (api) => (await api.access.actingFor()).items);
  const [chosen, setSelected] = useState<string>();
  const patients = actingFor.state === 'ready' ? actingFor.value : [];
  const selected = chosen ?? patients[0]?.patientId;
  const current = patients.find((p) => p.patientId === selected);

  return (
    <div className="page access-log-page">
      <h1>{t('accessLog.title')}</h1>
      <p className="lead">{t('accessLog.intro')}</p>
      {actingFor.state === 'loading' ? <Skeleton lines={4} label={t('accessLog.loading')} /> : null}
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
      {actingFor.state === 'ready' && patients.length === 0 ? <EmptyState title={t('accessLog.noPatients')} /> : null}
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

  const sentence = (e: AccessLogEntry) => {
    const what = didText(t, e.action);
    if (e.actor.isYou) return t('accessLog.sentenceYou', { what });
    if (e.actor.type === 'system') return t('accessLog.sentenceSystem', { what });
    const role = e.actor.role ? t(ROLE_KEYS[e.actor.role] ?? 'accessLog.unknownRole') : t('accessLog.unknownRole');
    const who = e.actor.type === 'anonymous' ? t('accessLog.anonymous') : (e.actor.displayName ?? t('accessLog.someone'));
    return t('accessLog.sentence', { who, role: role.toLocaleLowerCase(), facility: e.facility?.name ? `, ${e.facility.name}` : '', what });
  };

  return (
    <section aria-labelledby="access-log-heading" aria-busy={status.state === 'loading'}>
      <h2 id="access-log-heading" className="visually-hidden">
        {t('accessLog.caption')}
      </h2>
      {status.state === 'problem' ? <ProblemAlert problem={status.problem} /> : null}
      {status.state === 'ready' && items.length === 0 ? <EmptyState title={t('accessLog.empty')} /> : null}
      {items.length > 0 ? (
        <ol className="access-log-list" aria-label={t('accessLog.caption')}>
          {items.map((e) => (
            <li key={e.id} className={e.outcome === 'success' ? 'access-log-entry' : 'access-log-entry access-log-entry--refused'} data-action={e.action}>
              <p className="access-log-entry__sentence">
                {sentence(e)}
                {e.outcome === 'failure' ? <strong className="access-log__outcome"> ({t('accessLog.outcome.failure')})</strong> : null}
              </p>
              <p className="access-log-entry__meta">
                <time dateTime={e.at}>{formatDateTime(new Date(e.at))}</time>
                {e.supervision ? ` · ${t('accessLog.supervision', { basis: e.supervision.legalBasis })}` : basisText(t, e.reason) ? ` · ${basisText(t, e.reason)}` : ''}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {status.state === 'loading' ? <Skeleton lines={3} label={t('accessLog.loading')} /> : null}
      {next && status.state === 'ready' ? (
        <button type="button" className="button" onClick={() => load(next)}>
          {t('accessLog.more')}
        </button>
      ) : null}
    </section>
  );
}

/** What an audited action did, as the verb phrase of a sentence; an unknown code never reaches the screen. */
export function didText(t: Translate, action: string): string {
  const key = `accessLog.did.${action}`;
  return isMessageKey(key) ? t(key) : t('accessLog.did.other');
}

/** Why the access happened, in words (the audit reason is `self`, `request:<id>`, `access_grant:<id>` …). */
export function basisText(t: Translate, reason: string | null): string | undefined {
  if (!reason) return undefined;
  const key = BASIS_KEYS[reason.split(':')[0] ?? ''];
  return key ? t(key) : undefined;
}
