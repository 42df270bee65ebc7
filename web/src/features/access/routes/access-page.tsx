import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource } from '../../../api/use-resource.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { AccessGrant } from '../api.js';
import { GrantForm } from '../components/grant-form.js';
import { SharedWithMe } from '../components/shared-with-me.js';
import { granteeLabel } from '../grantee.js';

export { endOfDayInSofia } from '../grantee.js';
import '../access.css';

/** "Access to my data": grants (Art. 28(4)) for the patient or a representative, and shared records for grantees. */
export function AccessPage() {
  const t = useT();
  useDocumentTitle(t('access.title'));
  const actingFor = useResource('access/acting-for', (api) => api.access.actingFor().then((r) => r.items));
  const [chosen, setChosen] = useState<string>();
  const shared = useResource('access/shared-with-me', (api) => api.access.sharedWithMe().then((r) => r.items));

  if (actingFor.state === 'problem') {
    return (
      <div className="page page--narrow">
        <h1>{t('access.title')}</h1>
        <ProblemAlert problem={actingFor.problem} />
      </div>
    );
  }

  const patients = actingFor.state === 'ready' ? actingFor.value : [];
  const selected = chosen ?? patients[0]?.patientId;
  const current = patients.find((p) => p.patientId === selected);

  return (
    <div className="page page--narrow access-page">
      <h1>{t('access.title')}</h1>
      <p className="lead">{t('access.intro')}</p>
      {actingFor.state === 'loading' ? <p aria-live="polite">{t('access.loading')}</p> : null}

      {patients.length > 1 ? (
        <div className="field">
          <label htmlFor="access-patient">{t('access.actingFor.label')}</label>
          <select id="access-patient" value={selected ?? ''} onChange={(e) => setChosen(e.target.value)}>
            {patients.map((p) => (
              <option key={p.patientId} value={p.patientId}>
                {`${p.givenName} ${p.familyName}`}
                {p.basis === 'self' ? ` (${t('access.actingFor.self')})` : ''}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {patients.length === 1 && current?.basis === 'representative' ? (
        <p>{t('access.actingFor.one', { name: `${current.givenName} ${current.familyName}` })}</p>
      ) : null}

      {current ? <GrantsSection key={current.patientId} patientId={current.patientId} /> : null}
      {actingFor.state === 'ready' && patients.length === 0 ? <p>{t('access.noPatients')}</p> : null}

      <SharedWithMe shared={shared} />
    </div>
  );
}

function GrantsSection({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const grants = useResource(`access/grants/${patientId}`, (a) => a.access.listGrants(patientId).then((r) => r.items));
  const [confirming, setConfirming] = useState<string>();
  const [actionProblem, setActionProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();

  async function revoke(grant: AccessGrant) {
    setActionProblem(undefined);
    try {
      await api.access.revokeGrant(grant.id);
      setConfirming(undefined);
      setNotice(t('access.revoked', { who: granteeLabel(grant) }));
      grants.reload();
    } catch (e) {
      setActionProblem(problemFromError(e));
    }
  }

  return (
    <>
      <section aria-labelledby="grants-heading" className="access-section">
        <h2 id="grants-heading">{t('access.grants.title')}</h2>
        {notice ? (
          <p role="status" className="access-notice">
            {notice}
          </p>
        ) : null}
        {actionProblem ? <ProblemAlert problem={actionProblem} /> : null}
        {grants.state === 'problem' ? <ProblemAlert problem={grants.problem} /> : null}
        {grants.state === 'ready' && grants.value.length === 0 ? <p>{t('access.grants.empty')}</p> : null}
        {grants.state === 'ready' && grants.value.length > 0 ? (
          <ul className="grant-list" role="list">
            {grants.value.map((g) => {
              const who = granteeLabel(g);
              return (
                <li key={g.id} className={`grant grant--${g.status}`} aria-label={who}>
                  <p className="grant__who">{who}</p>
                  <p className="grant__purpose">{g.purpose}</p>
                  <p className="grant__meta">
                    {t(`access.status.${g.status}`)}
                    {' · '}
                    {g.validUntil
                      ? t('access.grants.until', { time: formatDateTime(new Date(g.validUntil)) })
                      : t('access.grants.untilRevoked')}
                  </p>
                  {g.status === 'active' && confirming !== g.id ? (
                    <button type="button" className="button button--secondary" onClick={() => setConfirming(g.id)}>
                      {t('access.revoke')}
                    </button>
                  ) : null}
                  {confirming === g.id ? (
                    <div className="grant__confirm" role="group" aria-label={t('access.revoke.confirmLabel')}>
                      <p>{t('access.revoke.confirm', { who })}</p>
                      <button type="button" className="button button--danger" onClick={() => void revoke(g)} autoFocus>
                        {t('access.revoke.yes')}
                      </button>
                      <button type="button" className="button button--secondary" onClick={() => setConfirming(undefined)}>
                        {t('access.revoke.no')}
                      </button>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : null}
      </section>
      <GrantForm
        patientId={patientId}
        onGranted={async (g) => {
          setNotice(t('access.granted', { who: granteeLabel(g) }));
          grants.reload();
        }}
      />
    </>
  );
}
