import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import { ActingForPatient } from '../../access/components/acting-for-patient.js';
import type { ConsentVerification } from '../api.js';
import '../consent.css';

/** The patient's (or a representative's) signed consents: printable copies, verification, withdrawal. */
export function MyConsentsPage() {
  const t = useT();
  useDocumentTitle(t('consent.list.title'));
  return (
    <div className="page page--narrow">
      <h1>{t('consent.list.title')}</h1>
      <p className="lead">{t('consent.list.intro')}</p>
      <ActingForPatient id="consent-patient" label={t('access.actingFor.label')} empty={t('access.noPatients')}>
        {(patientId) => <ConsentList patientId={patientId} />}
      </ActingForPatient>
    </div>
  );
}

function ConsentList({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const list = useResource(`consent/patient/${patientId}`, (a) => a.consent.listForPatient(patientId).then((r) => r.items));
  const items = valueOf(list);
  const [actionProblem, setProblem] = useState<Problem>();
  const problem = actionProblem ?? problemOf(list);
  const [verified, setVerified] = useState<Record<string, ConsentVerification>>({});
  const [confirming, setConfirming] = useState<string>();

  async function verify(id: string) {
    try {
      const v = await api.consent.verify(id);
      setVerified((cur) => ({ ...cur, [id]: v }));
    } catch (e) {
      setProblem(problemFromError(e));
    }
  }

  async function withdraw(id: string) {
    setProblem(undefined);
    try {
      await api.consent.withdraw(id);
      setConfirming(undefined);
      list.reload();
    } catch (e) {
      setProblem(problemFromError(e));
    }
  }

  if (problem) return <ProblemAlert problem={problem} />;
  if (!items) return <p aria-live="polite">{t('consultation.loading')}</p>;
  if (items.length === 0) return <p>{t('consent.list.empty')}</p>;
  return (
    <ul className="consent-list">
      {items.map((c) => (
        <li key={c.id}>
          <h2>{t(c.kind === 'recording' ? 'consent.kind.recording' : 'consent.kind.treatment')}</h2>
          <p>
            {t('consent.list.signed', { at: formatDateTime(new Date(c.signedAt)), version: c.templateVersion })} — {t(`consent.role.${c.signerRole}`)}
          </p>
          {c.recording ? (
            <p>
              {t('consent.recording.summary', { reason: c.recording.reason, media: c.recording.media.map((m) => t(`consent.media.${m}`)).join(', '), purpose: c.recording.purpose })}
            </p>
          ) : null}
          <p className={c.status === 'active' ? 'gate-ok' : 'gate-missing'}>
            {c.status === 'active' ? t('consent.status.active') : t('consent.status.withdrawn', { at: c.withdrawnAt ? formatDateTime(new Date(c.withdrawnAt)) : '' })}
          </p>
          {verified[c.id] ? (
            <p role="status" className={verified[c.id]?.valid ? 'gate-ok' : 'gate-missing'}>
              {verified[c.id]?.valid ? t('consent.verify.ok') : t('consent.verify.bad')}
            </p>
          ) : null}
          <div className="consent-actions">
            <a className="button button--secondary" href={api.consent.pdfUrl(c.id)} download>
              {t('consent.pdf')}
            </a>
            <button type="button" className="button button--secondary" onClick={() => void verify(c.id)}>
              {t('consent.verify')}
            </button>
            {c.status === 'active' && confirming !== c.id ? (
              <button type="button" className="button button--danger" onClick={() => setConfirming(c.id)}>
                {t('consent.withdraw')}
              </button>
            ) : null}
            {confirming === c.id ? (
              <>
                <span>{t(c.kind === 'recording' ? 'consent.withdraw.confirmRecording' : 'consent.withdraw.confirm')}</span>
                <button type="button" className="button button--danger" onClick={() => void withdraw(c.id)}>
                  {t('consent.withdraw.yes')}
                </button>
                <button type="button" className="button button--secondary" onClick={() => setConfirming(undefined)}>
                  {t('consultation.complete.no')}
                </button>
              </>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
