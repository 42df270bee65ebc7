import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import type { Resource } from '../../../api/use-resource.js';
import { useT } from '../../../i18n/index.js';
import type { Patient, SharedPatientList } from '../api.js';

type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'problem'; problem: Problem };

/** Records other patients shared with the signed-in account; each opens on request (an audited read). */
export function SharedWithMe({ shared }: { shared: Resource<SharedPatientList['items']> }) {
  const t = useT();
  const api = useApi();
  const [open, setOpen] = useState<Record<string, Load<Patient>>>({});
  if (shared.state !== 'ready' || shared.value.length === 0) return null;

  async function show(patientId: string) {
    setOpen((o) => ({ ...o, [patientId]: { state: 'loading' } }));
    try {
      const p = await api.access.getPatient(patientId);
      setOpen((o) => ({ ...o, [patientId]: { state: 'ready', value: p } }));
    } catch (e) {
      setOpen((o) => ({ ...o, [patientId]: { state: 'problem', problem: problemFromError(e) } }));
    }
  }

  return (
    <section aria-labelledby="shared-heading" className="access-section">
      <h2 id="shared-heading">{t('access.shared.title')}</h2>
      <ul className="grant-list" role="list">
        {shared.value.map((s) => {
          const state = open[s.patientId];
          return (
            <li key={s.grantId} className="grant">
              <p className="grant__purpose">{s.purpose}</p>
              <button type="button" className="button button--secondary" onClick={() => void show(s.patientId)}>
                {t('access.shared.show')}
              </button>
              {state?.state === 'problem' ? <ProblemAlert problem={state.problem} /> : null}
              {state?.state === 'ready' ? (
                <dl className="patient-card" aria-label={t('access.shared.record')}>
                  <dt>{t('access.patient.name')}</dt>
                  <dd>{[state.value.givenName, state.value.middleName, state.value.familyName].filter(Boolean).join(' ')}</dd>
                  <dt>{t('access.patient.birthDate')}</dt>
                  <dd>{state.value.birthDate}</dd>
                  <dt>{t('access.patient.identifier')}</dt>
                  <dd>{state.value.identifier}</dd>
                </dl>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
