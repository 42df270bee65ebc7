import { useState } from 'react';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { useFormatDateTime, useT } from '../../../i18n/index.js';
import { FormProblem, Notice } from '../../../components/form.js';
import type { Facility, NhisRegistration } from '../api.js';

/** The badge tone and the sentence for each state; the NHIS's own codes never reach the screen. */
const TONE: Record<NhisRegistration['status'], string> = { registered: 'active', pending: 'draft', not_registered: 'draft', deregistered: 'withdrawn', failed: 'suspended', refused: 'suspended' };

/**
 * Art. 24 (R-TM-34): whether the NHIS database of telemedicine facilities holds what this facility
 * publishes today, when it last acknowledged it, and "Изпрати сега" after an outage or a refusal.
 */
export function NhisRegistrationPanel({ facility }: { facility: Facility }) {
  const t = useT();
  const api = useApi().registryAdmin;
  const formatDateTime = useFormatDateTime();
  const entry = useResource(`nhis-registration/${facility.id}/${facility.version}`, (a) => a.registryAdmin.nhisRegistration(facility.id));
  const [problem, setProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();

  async function sendNow() {
    setProblem(undefined);
    try {
      await api.syncNhisRegistration(facility.id);
      setNotice(t('registryAdmin.nhis.queued'));
      entry.reload();
    } catch (error) {
      setProblem(problemFromError(error));
    }
  }

  return (
    <section aria-labelledby="ra-nhis">
      <h3 id="ra-nhis">{t('registryAdmin.nhis.title')}</h3>
      <p className="ra-muted">{t('registryAdmin.nhis.hint')}</p>
      {entry.state === 'loading' ? <p role="status">{t('registryAdmin.common.loading')}</p> : null}
      {entry.state === 'problem' ? <FormProblem problem={entry.problem} /> : null}
      {entry.state === 'ready' ? (
        <>
          <p>
            <span className={`ra-badge ra-badge--${TONE[entry.value.status]}`}>{t(`registryAdmin.nhis.status.${entry.value.status}`)}</span>{' '}
            {entry.value.upToDate ? t('registryAdmin.nhis.upToDate') : t('registryAdmin.nhis.outOfDate')}
          </p>
          <dl className="ra-facts">
            {entry.value.acknowledgedAt ? (
              <>
                <dt>{t('registryAdmin.nhis.acknowledgedAt')}</dt>
                <dd>{formatDateTime(new Date(entry.value.acknowledgedAt))}</dd>
                <dt>{t('registryAdmin.nhis.holds')}</dt>
                <dd>{t('registryAdmin.nhis.counts', { services: entry.value.services, practitioners: entry.value.practitioners })}</dd>
                <dt>{t('registryAdmin.nhis.reference')}</dt>
                <dd>{entry.value.reference}</dd>
              </>
            ) : null}
            {entry.value.lastError ? (
              <>
                <dt>{t('registryAdmin.nhis.lastAttempt')}</dt>
                <dd>
                  {entry.value.lastAttemptAt ? `${formatDateTime(new Date(entry.value.lastAttemptAt))}: ` : ''}
                  {t(entry.value.lastError === 'nhis_unavailable' ? 'registryAdmin.nhis.error.unavailable' : 'registryAdmin.nhis.error.refused')}
                </dd>
              </>
            ) : null}
          </dl>
          <Notice text={notice} />
          <FormProblem problem={problem} />
          {!entry.value.upToDate ? (
            <div className="ra-actions">
              <button type="button" className="button button--secondary" onClick={() => void sendNow()}>
                {t('registryAdmin.nhis.sendNow')}
              </button>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
