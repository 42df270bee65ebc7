import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { useResource } from '../../../api/use-resource.js';
import { Callout } from '../../../components/ui.js';
import { useFormatDateTime, useT } from '../../../i18n/index.js';

/**
 * The recording consent in the call's pre-join screen (Art. 12, R-TM-25; docs/consent.md): the patient
 * agrees — the written consent with a fresh second factor, then back here — or chooses no recording,
 * which is also what no answer means; the specialist sees which before joining. Recording stays
 * impossible without an active recording consent (the server decides, `recordingAllowed`).
 */
export function RecordingConsentPanel({ requestId, consultationId, isProvider }: { requestId: string; consultationId: string; isProvider: boolean }) {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const [refused, setRefused] = useState(false);
  const gates = useResource(`gates:${requestId}`, (a) => a.consent.gates(requestId));
  if (gates.state !== 'ready') return null;
  const consent = gates.value.recordingConsent?.status === 'active' ? gates.value.recordingConsent : null;

  if (isProvider) {
    return (
      <div data-testid="recording-consent" data-consent={consent ? 'given' : 'none'}>
        <Callout tone={consent ? 'info' : 'warn'} title={t('consultation.recordingConsent.title')}>
          <p>{t(consent ? 'consultation.recordingConsent.providerYes' : 'consultation.recordingConsent.providerNo')}</p>
        </Callout>
      </div>
    );
  }
  return (
    <section className="consultation-panel" aria-labelledby="recording-consent-title" data-testid="recording-consent" data-consent={consent ? 'given' : refused ? 'refused' : 'none'}>
      <h2 id="recording-consent-title">{t('consultation.recordingConsent.title')}</h2>
      {consent ? (
        <>
          <p>{t('consultation.recordingConsent.given', { at: formatDateTime(new Date(consent.signedAt)) })}</p>
          <p className="recording-consent__actions">
            <a className="button button--secondary" href={api.consent.pdfUrl(consent.id)} download>
              {t('consent.pdf')}
            </a>
            <Link to="/consents">{t('consultation.recordingConsent.manage')}</Link>
          </p>
        </>
      ) : refused ? (
        <p role="status">{t('consultation.recordingConsent.refused')}</p>
      ) : (
        <>
          <p>{t('consultation.recordingConsent.ask')}</p>
          <p className="recording-consent__actions">
            <Link className="button button--secondary" to={`/requests/${encodeURIComponent(requestId)}/consent?kind=recording&back=${encodeURIComponent(`/consultations/${consultationId}`)}`}>
              {t('consultation.recordingConsent.agree')}
            </Link>
            <button type="button" className="button button--secondary" onClick={() => setRefused(true)}>
              {t('consultation.recordingConsent.refuse')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
