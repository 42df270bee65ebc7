import { useState, type FormEvent } from 'react';
import { problemFromError, type Problem } from '../../api/problem.js';

/**
 * The submit handling the password forms share: `onSubmit` stops the browser's own submit, clears the
 * last problem, awaits `action` (busy meanwhile) and shows the server's problem when it fails.
 * @param action - sends the form; it updates its own state on success
 * @param opts - `onFailure` runs after a refusal; `onSettled` after either outcome (a one-time code
 *   cannot be used twice, so the forms clear it there)
 * @returns the busy flag, the problem, and the form's `onSubmit`
 */
export function useSubmit(action: () => Promise<void>, opts: { onFailure?: () => void; onSettled?: () => void } = {}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } catch (error) {
      setProblem(problemFromError(error));
      opts.onFailure?.();
    } finally {
      opts.onSettled?.();
      setBusy(false);
    }
  };
  return { busy, problem, onSubmit: (event: FormEvent) => void submit(event) };
}
