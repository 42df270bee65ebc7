import { useId, useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert, problemMessage } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import type { AccessGrant } from '../api.js';
import { endOfDayInSofia } from '../grantee.js';

/** A new grant (Art. 28(4)): who, for what purpose, and until when (or until revoked). */
export function GrantForm({ patientId, onGranted }: { patientId: string; onGranted: (g: AccessGrant) => Promise<void> }) {
  const t = useT();
  const api = useApi();
  const ids = useId();
  const [email, setEmail] = useState('');
  const [purpose, setPurpose] = useState('');
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  const fieldError = (pointer: string) => problem?.errors?.find((e) => e.pointer === pointer);
  const emailError = fieldError('#/granteeEmail') ? (problem ? problemMessage(problem, t) : undefined) : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const grant = await api.access.grantAccess(patientId, {
        granteeEmail: email.trim(),
        purpose: purpose.trim(),
        ...(until ? { validUntil: endOfDayInSofia(until) } : {}),
      });
      setEmail('');
      setPurpose('');
      setUntil('');
      await onGranted(grant);
    } catch (e) {
      setProblem(problemFromError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="grant-form-heading" className="access-section">
      <h2 id="grant-form-heading">{t('access.form.title')}</h2>
      <p>{t('access.form.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate={false}>
        <div className="field">
          <label htmlFor={`${ids}-email`}>{t('access.form.email')}</label>
          <input
            id={`${ids}-email`}
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? `${ids}-email-error` : undefined}
          />
          {emailError ? (
            <p id={`${ids}-email-error`} className="field__error">
              {emailError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-purpose`}>{t('access.form.purpose')}</label>
          <input id={`${ids}-purpose`} type="text" required maxLength={300} value={purpose} onChange={(e) => setPurpose(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-until`}>{t('access.form.until')}</label>
          <input id={`${ids}-until`} type="date" value={until} onChange={(e) => setUntil(e.target.value)} aria-describedby={`${ids}-until-hint`} />
          <p id={`${ids}-until-hint`} className="field__hint">
            {t('access.form.untilHint')}
          </p>
        </div>
        {problem && !emailError ? <ProblemAlert problem={problem} /> : null}
        <button type="submit" className="button" aria-disabled={busy}>
          {t('access.form.submit')}
        </button>
      </form>
    </section>
  );
}
