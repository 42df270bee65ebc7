import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { problemFromError, type Problem } from '../../api/problem.js';
import type { Readiness } from './api.js';

export type ReadinessResult =
  | { kind: 'readiness'; readiness: Readiness; checkedAt: Date }
  | { kind: 'problem'; problem: Problem; checkedAt: Date };

export interface ReadinessState {
  /** True while a check is in flight; the previous result stays visible meanwhile. */
  loading: boolean;
  result?: ReadinessResult;
  refresh: () => void;
}

/** Asks the server whether it is ready, on mount and on every `refresh()`. */
export function useReadiness(): ReadinessState {
  const api = useApi();
  const [attempt, setAttempt] = useState(0);
  const [loading, setLoading] = useState(true);
  const [result, setResult] = useState<ReadinessResult>();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    api.ops.getReadiness({ signal: controller.signal }).then(
      (readiness) => {
        if (controller.signal.aborted) return;
        setResult({ kind: 'readiness', readiness, checkedAt: new Date() });
        setLoading(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setResult({ kind: 'problem', problem: problemFromError(error), checkedAt: new Date() });
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [api, attempt]);

  const refresh = useCallback(() => setAttempt((n) => n + 1), []);
  return { loading, ...(result ? { result } : {}), refresh };
}
