import { useId, type Ref } from 'react';
import { ProblemAlert } from '../../../api/problem-alert.js';
import type { Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';

/** The request changed meanwhile (stale version or status): the page should reload it. */
export function isStaleProblem(problem: Problem): boolean {
  return problem.code === 'resource.version_mismatch' || problem.code === 'state.bad_transition';
}

/** Why a cancel or reschedule was refused: the facility's change window in words, else the server's problem. */
export function ChangeRefusal({ windowText, problem }: { windowText: string | undefined; problem: Problem | undefined }) {
  if (windowText) {
    return (
      <p role="alert" className="request-change__closed" data-problem-code="request.change_window_closed">
        {windowText}
      </p>
    );
  }
  return problem ? <ProblemAlert problem={problem} /> : null;
}

/** The required reason for a change, with an optional hint and the error when it was left empty. */
export function ReasonField({ label, hint, value, onChange, missing, inputRef }: { label: string; hint?: string; value: string; onChange: (value: string) => void; missing: boolean; inputRef: Ref<HTMLTextAreaElement> }) {
  const t = useT();
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', missing ? `${id}-missing` : ''].filter(Boolean).join(' ');
  return (
    <>
      <label>
        {label}
        <textarea ref={inputRef} value={value} onChange={(e) => onChange(e.target.value)} required maxLength={1000} rows={2} aria-invalid={missing} aria-describedby={describedBy || undefined} />
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="request-hint">
          {hint}
        </p>
      ) : null}
      {missing ? (
        <p id={`${id}-missing`} className="request-field-error">
          {t('requests.detail.reasonRequired')}
        </p>
      ) : null}
    </>
  );
}

/** Send the change (not while sending or once the change window has closed), or go back. */
export function ChangeActions({ submit, disabled, onClose }: { submit: string; disabled: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <div className="request-actions">
      <button type="submit" disabled={disabled}>
        {submit}
      </button>
      <button type="button" onClick={onClose}>
        {t('requests.detail.cancel.back')}
      </button>
    </div>
  );
}
