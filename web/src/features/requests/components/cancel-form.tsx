import { useId, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import type { RequestWithAppointment } from '../api.js';
import { ChangeActions, ChangeRefusal, ReasonField, isStaleProblem } from './change-form-parts.js';
import { changeWindowText } from './change-window.js';

export interface CancelFormProps {
  item: RequestWithAppointment;
  onDone(updated: RequestWithAppointment): void | Promise<void>;
  /** The request changed meanwhile (stale version or status): the page should reload it. */
  onStale(): void;
  onClose(): void;
}

/** Cancels a request with a reason (either side), under the facility's change rules. */
export function CancelForm({ item, onDone, onStale, onClose }: CancelFormProps) {
  const t = useT();
  const api = useApi();
  const ids = useId();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) {
      setMissingReason(true);
      reasonRef.current?.focus();
      return;
    }
    setMissingReason(false);
    setBusy(true);
    setProblem(undefined);
    try {
      await onDone(await api.requests.transition(item.request.id, { action: 'cancel', reason: reason.trim(), version: item.request.version }));
    } catch (err) {
      const p = problemFromError(err);
      setProblem(p);
      if (isStaleProblem(p)) onStale();
    } finally {
      setBusy(false);
    }
  }

  const windowText = changeWindowText(problem, t);
  return (
    <section className="request-change" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{t('requests.detail.cancel.title')}</h3>
      <ChangeRefusal windowText={windowText} problem={problem} />
      <form className="booking-form" onSubmit={(e) => void submit(e)} noValidate>
        <ReasonField label={t('requests.detail.cancel.reason')} hint={t('requests.detail.cancel.reasonHint')} value={reason} onChange={setReason} missing={missingReason} inputRef={reasonRef} />
        <ChangeActions submit={t('requests.detail.cancel.submit')} disabled={busy || windowText !== undefined} onClose={onClose} />
      </form>
    </section>
  );
}
