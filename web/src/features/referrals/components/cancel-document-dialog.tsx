import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { OneTimeCodeInput } from '../../../components/one-time-code.js';
import { ConfirmDialog, useToast } from '../../../components/ui.js';
import { useT } from '../../../i18n/index.js';
import type { IssuedDocument } from '../api.js';

/**
 * Cancelling an issued referral or prescription in the NHIS (R007 / P007), asked once in a dialog with the
 * reason and a fresh second factor (docs/referrals.md); the signed content never changes.
 * @param props - the document (undefined: closed), its name in words, and what to do when done or closed
 */
export function CancelDocumentDialog({ doc, name, onDone, onClose }: { doc: IssuedDocument | undefined; name: string; onDone: () => void; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const toast = useToast();
  const [reason, setReason] = useState('');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);

  const close = () => {
    setReason('');
    setCode('');
    setProblem(undefined);
    onClose();
  };

  async function confirm() {
    if (!doc || busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await api.referrals.cancel(doc.kind, doc.id, { reason: reason.trim(), code: code.replace(/\s/g, '') });
      toast(t('refIssue.cancel.sent'));
      setReason('');
      setCode('');
      onDone();
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog open={doc !== undefined} danger title={t('refIssue.cancel.title', { doc: name, nrn: doc?.nrn ?? '' })} confirm={t('refIssue.cancel.confirm')} onConfirm={() => void confirm()} onCancel={close}>
      <p>{t('refIssue.cancel.text')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <label className="ref-dialog-field">
        {t('refIssue.cancel.reason')}
        <textarea rows={2} maxLength={500} required value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label className="ref-dialog-field">
        {t('refIssue.field.code')}
        <OneTimeCodeInput required value={code} onChange={setCode} />
      </label>
    </ConfirmDialog>
  );
}
