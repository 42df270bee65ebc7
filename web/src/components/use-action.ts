import { useCallback, useState } from 'react';
import { problemFromError, type Problem } from '../api/problem.js';

/**
 * The notice and the problem of a section's actions on its items (publish, withdraw, remove …).
 * `run(action)` clears both, awaits the action and shows the notice it returns, or the problem it throws;
 * it resolves to whether the action succeeded, so the caller can reload afterwards.
 */
export function useAction() {
  const [problem, setProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();
  const run = useCallback(async (action: () => Promise<string>): Promise<boolean> => {
    setProblem(undefined);
    setNotice(undefined);
    try {
      setNotice(await action());
      return true;
    } catch (error) {
      setProblem(problemFromError(error));
      return false;
    }
  }, []);
  return { problem, setProblem, notice, setNotice, run };
}
