import { useState } from 'react';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import type { Facility } from '../api.js';
import { useApi } from '../../../api/api-context.js';
import { FormProblem, Notice } from '../../../components/form.js';
import { NhisRegistrationPanel } from './nhis-registration-panel.js';

/** Suspends a facility (it leaves the public directory and cannot publish) or reactivates it. */
export function StatusSection({ facility, onChanged }: { facility: Facility; onChanged: (f: Facility) => void }) {
  const t = useT();
  const api = useApi().registryAdmin;
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();
  const next = facility.status === 'active' ? 'suspended' : 'active';

  async function change() {
    setProblem(undefined);
    try {
      const after = await api.setFacilityStatus(facility.id, next, facility.version);
      setConfirming(false);
      setNotice(t(after.status === 'active' ? 'registryAdmin.status.reactivated' : 'registryAdmin.status.suspendedNotice'));
      onChanged(after);
    } catch (error) {
      setProblem(problemFromError(error));
    }
  }

  return (
    <section aria-labelledby="ra-status">
      <h2 id="ra-status">{t('registryAdmin.tab.status')}</h2>
      <p>
        {t('registryAdmin.status.current')} <span className={`ra-badge ra-badge--${facility.status}`}>{t(`registryAdmin.facility.status.${facility.status}`)}</span>
      </p>
      <p className="ra-muted">{t(facility.status === 'active' ? 'registryAdmin.status.suspendHint' : 'registryAdmin.status.reactivateHint')}</p>
      <Notice text={notice} />
      <FormProblem problem={problem} />
      {facility.status === 'active' && confirming ? (
        <div className="ra-confirm" role="group" aria-labelledby="ra-status-confirm">
          <p id="ra-status-confirm">{t('registryAdmin.status.confirm', { name: facility.name })}</p>
          <div className="ra-actions">
            <button type="button" className="button button--danger" onClick={() => void change()}>
              {t('registryAdmin.status.confirmSuspend')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              {t('registryAdmin.common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="ra-actions">
          <button type="button" className={`button${next === 'suspended' ? ' button--danger' : ''}`} onClick={() => (next === 'suspended' ? setConfirming(true) : void change())}>
            {t(next === 'suspended' ? 'registryAdmin.status.suspend' : 'registryAdmin.status.reactivate')}
          </button>
        </div>
      )}
      <NhisRegistrationPanel facility={facility} />
    </section>
  );
}
